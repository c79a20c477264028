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

import contextlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from assistant import paths
from assistant.errors import StoreBusyError, StoreError, storage_error

log = logging.getLogger(__name__)

Migration = Callable[[duckdb.DuckDBPyConnection], None]

MAIN = "main"
"""The lane every unit of work uses unless it names another."""

SEARCH_PATH = "SET search_path = 'main,records.main'"
"""Queries name tables without their file (set on every cursor)."""


class Database:
    """A lazily opened, shared, migrated DuckDB connection with lock retry.

    Work runs in *lanes*: one unit of work at a time per lane, on the lane's own cursor (a
    DuckDB connection to the same database), and lanes run side by side. Everything uses the
    main lane unless it names another: a bridge's inbox and outbox have a lane of their own,
    so acknowledging a message never waits for the conversation log or learning.
    """

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
        self._lanes: dict[str, threading.RLock] = {MAIN: threading.RLock()}
        self._state = threading.Lock()
        """Guards the connection, the cursors, the count of units of work and the timer."""
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._cursors: dict[str, duckdb.DuckDBPyConnection] = {}
        self._releaser: threading.Thread | None = None
        """The thread that releases the file once it has been idle for ``linger`` seconds;
        one per stretch of use, not one per unit of work (starting a thread waits for it
        to run, which on a busy machine cost each query milliseconds)."""
        self._release_at = 0.0
        self._active = 0

    @contextmanager
    def connect(self, lane: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the connection of ``lane`` (the main one by default) for one unit of work;
        driver errors become ``StoreError``."""
        with self._lane(lane or MAIN):
            conn = self._acquire(lane or MAIN)
            try:
                yield conn
            except duckdb.Error as exc:
                raise _query_error(self.path, exc) from exc
            finally:
                self._done()

    @contextmanager
    def transaction(self, lane: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside ``BEGIN`` … ``COMMIT`` (rolled back on error)."""
        with self.connect(lane) as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Release the file now (checkpointing it), once every lane's work is done; a
        checkpoint that cannot be written (a full disk) raises ``StoreError``, and the file
        is released all the same."""
        with self.offline():
            pass

    @contextmanager
    def offline(self) -> Iterator[None]:
        """Release the files and keep this process off them while the block runs (every
        lane waits): for work on the files themselves, such as rewriting them."""
        with self._state:
            lanes = [lock for _, lock in sorted(self._lanes.items())]
        with contextlib.ExitStack() as held:
            for lock in lanes:
                held.enter_context(lock)
            with self._state:
                self._close()
            yield

    def _lane(self, name: str) -> threading.RLock:
        with self._state:
            return self._lanes.setdefault(name, threading.RLock())

    def _acquire(self, lane: str) -> duckdb.DuckDBPyConnection:
        """The lane's cursor, opening the file first when it is released."""
        with self._state:
            if self._conn is None:
                self._conn = self._open()
            self._active += 1
            if lane == MAIN:
                return self._conn
            cursor = self._cursors.get(lane)
            if cursor is None:
                try:
                    cursor = self._conn.cursor()
                    if self.records is not None:
                        cursor.execute(SEARCH_PATH)
                except duckdb.Error as exc:
                    self._active -= 1
                    raise _query_error(self.path, exc) from exc
                self._cursors[lane] = cursor
            return cursor

    def _done(self) -> None:
        with self._state:
            self._active -= 1
            if self._active > 0 or self._conn is None:
                return
            if self._linger <= 0:
                self._close()
                return
            self._release_at = time.monotonic() + self._linger
            if self._releaser is None:
                self._releaser = threading.Thread(
                    target=self._release_when_idle, name="duckdb-release", daemon=True
                )
                self._releaser.start()

    def _release_when_idle(self) -> None:
        """Sleep until the file has been idle for ``linger`` seconds, release it, and end
        (also when something else released it first)."""
        while True:
            with self._state:
                if self._conn is None:
                    self._releaser = None
                    return
                wait = self._release_at - time.monotonic()
                if self._active == 0 and wait <= 0:
                    self._releaser = None
                    try:
                        self._close()
                    except StoreError as exc:  # a thread of its own: log, the next write reports it
                        log.warning("%s", exc)
                    return
            time.sleep(wait if wait > 0 else self._linger)

    def _close(self) -> None:
        """Close the cursors, then the connection (the caller holds ``_state``)."""
        cursors, self._cursors = list(self._cursors.values()), {}
        conn, self._conn = self._conn, None
        try:
            for cursor in cursors:
                cursor.close()
            if conn is not None:
                conn.close()
        except duckdb.Error as exc:
            raise _query_error(self.path, exc) from exc

    def _open(self) -> duckdb.DuckDBPyConnection:
        folders = [self.path.parent] + ([self.records.parent] if self.records else [])
        for folder in folders:
            try:
                paths.private_dir(folder)  # the index and the records: their owner's only
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
                conn.execute(SEARCH_PATH)
        except duckdb.Error as exc:
            conn.close()
            raise _open_error(self.path, str(exc)) from exc
        return conn


def _quoted(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def migrate(
    conn: duckdb.DuckDBPyConnection, migrations: Sequence[Migration], *, quiet: bool = False
) -> None:
    """Run the migrations not yet recorded in ``_migrations``, each in its own transaction;
    each is logged unless ``quiet`` (a scratch database, not the user's)."""
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
        if not quiet:
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
