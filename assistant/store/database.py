"""One DuckDB connection, over the index file and the records file, shared by several
assistant processes.

The index holds what ``reindex`` rebuilds; the records file, attached as ``records`` and on
the search path, holds what nothing can rebuild (``store.migrations``). Queries name tables
without their file.

DuckDB lets one process at a time open a file read-write. Each process here opens the file
only while it works and releases it after ``linger`` idle seconds, so a chat left open in one
terminal never blocks ``assistant remember`` in another: the other process retries with
backoff until the file is free, up to ``timeout`` seconds, then raises ``StoreBusyError``.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from assistant.errors import StoreBusyError, StoreError, storage_error

log = logging.getLogger(__name__)

Migration = Callable[[duckdb.DuckDBPyConnection], None]


class Database:
    """A lazily opened, shared, migrated DuckDB connection with lock retry."""

    def __init__(
        self,
        path: Path,
        migrations: Sequence[Migration],
        *,
        records: Path | None = None,
        record_migrations: Sequence[Migration] = (),
        timeout: float = 15.0,
        linger: float = 0.5,
    ) -> None:
        self.path = path
        self.records = records
        self._migrations = migrations
        self._record_migrations = record_migrations
        self._timeout = timeout
        self._linger = linger
        self._lock = threading.RLock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._timer: threading.Timer | None = None
        self._depth = 0

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the connection for one unit of work; driver errors become ``StoreError``."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._conn is None:
                self._conn = self._open()
            self._depth += 1
            try:
                yield self._conn
            except duckdb.Error as exc:
                raise _query_error(self.path, exc) from exc
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._schedule_release()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside ``BEGIN`` … ``COMMIT`` (rolled back on error)."""
        with self.connect() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Release the file now (checkpointing it); a checkpoint that cannot be written (a
        full disk) raises ``StoreError``, and the file is released all the same."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            conn, self._conn = self._conn, None
            if conn is not None:
                try:
                    conn.close()
                except duckdb.Error as exc:
                    raise _query_error(self.path, exc) from exc

    def _schedule_release(self) -> None:
        if self._linger <= 0:
            self.close()
            return
        self._timer = threading.Timer(self._linger, self._release_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _release_if_idle(self) -> None:
        with self._lock:
            if self._depth == 0 and self._conn is not None:
                conn, self._conn, self._timer = self._conn, None, None
                try:
                    conn.close()
                except duckdb.Error as exc:  # a timer thread: log, the next write reports it
                    log.warning("%s", _query_error(self.path, exc))

    def _open(self) -> duckdb.DuckDBPyConnection:
        folders = [self.path.parent] + ([self.records.parent] if self.records else [])
        for folder in folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise storage_error(exc, folder, doing="create") from exc
        deadline = time.monotonic() + self._timeout
        delay = 0.005
        while True:
            opening = self.path
            try:
                conn = duckdb.connect(str(self.path))
                if self.records is not None:
                    opening = self.records
                    try:
                        conn.execute(f"ATTACH {_quoted(self.records)} AS records")
                    except duckdb.Error:
                        conn.close()
                        raise
                break
            except duckdb.Error as exc:
                message = str(exc)
                if "lock" not in message.lower():
                    raise _open_error(opening, message) from exc
                if time.monotonic() >= deadline:
                    raise StoreBusyError(_busy_message(opening, message, self._timeout)) from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.1)
        try:
            if self.records is not None:
                main = conn.execute("SELECT current_database()").fetchone()
                conn.execute("USE records")
                migrate(conn, self._record_migrations)
                conn.execute(f'USE "{main[0] if main else "memory"}"')
            migrate(conn, self._migrations)
            if self.records is not None:
                conn.execute("SET search_path = 'main,records.main'")
        except duckdb.Error as exc:
            conn.close()
            raise _open_error(self.path, str(exc)) from exc
        return conn


def _quoted(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def migrate(conn: duckdb.DuckDBPyConnection, migrations: Sequence[Migration]) -> None:
    """Run the migrations not yet recorded in ``_migrations``, each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at DOUBLE)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations").fetchall()}
    for migration in migrations:
        name = migration.__name__
        if name in done:
            continue
        conn.execute("BEGIN")
        try:
            migration(conn)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", [name, time.time()])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("applied migration %s", name)


def _open_error(path: Path, message: str) -> StoreError:
    error = storage_error(duckdb.Error(message), path, doing="open")
    if type(error) is StoreError:  # neither full nor read-only
        return StoreError(f"cannot open the index {path}: {message.splitlines()[0]}")
    return error


def _query_error(path: Path, exc: duckdb.Error) -> StoreError:
    error = storage_error(exc, path)
    if type(error) is StoreError:  # neither full nor read-only: the query itself failed
        return StoreError(f"index query failed: {exc}", title="Index error")
    return error


def _busy_message(path: Path, message: str, timeout: float) -> str:
    pid = re.search(r"PID (\d+)", message)
    holder = f"process {pid.group(1)}" if pid else "another process"
    return (
        f"the index {path.name} has been held by {holder} for {timeout:.0f} s; "
        "try again, or stop the long-running command"
    )
