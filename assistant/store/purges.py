"""What a purge removes from the databases, the log that it happened, and the keys of what
imports took in.

A purge deletes rows, then rewrites both database files from their live rows: DuckDB marks
the blocks of deleted rows free but leaves their bytes in the file until they are reused, so
a deleted sentence could still be read from the file with a byte search.

Usage::

    records = PurgeRecords(assistant.db)
    records.remove(["01JD3K…"], needles=["my sister anna lives in lyon"])
    records.log(at=time.time(), memories=1, turns=2)
    rewrite(assistant.db)
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assistant.errors import StoreBusyError, StoreError, storage_error
from assistant.store.database import Database


@dataclass(frozen=True)
class Purge:
    """One purge as the log keeps it: when, and how much went (never what)."""

    at: float
    memories: int
    turns: int


class PurgeRecords:
    """The rows a purge removes, the ``purges`` log and the ``imports`` keys."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def remove(
        self,
        ids: Sequence[str],
        *,
        needles: Sequence[str] = (),
        turns: Iterable[tuple[str, float]] = (),
    ) -> int:
        """Delete what the records and the index hold about memories ``ids``: note rows,
        links, usage stats, review items, pages' records and the check-ins about them; the
        conversation log's messages said at ``turns`` (session, epoch seconds, with the reply
        after each) or whose text holds one of ``needles`` (lower case), the check-ins that
        quote one, and the words of bridge messages already handled. Returns the log
        messages deleted."""
        ids = list(ids)
        # Statement by statement: one DuckDB transaction writes to one file, and these
        # tables lie in both.
        with self.db.connect() as conn:
            before = _count(conn, "turns")
            if ids:
                conn.execute("DELETE FROM notes WHERE id IN (SELECT unnest(?))", [ids])
                conn.execute(
                    "DELETE FROM links WHERE src IN (SELECT unnest(?)) "
                    "OR dst IN (SELECT unnest(?))",
                    [ids, ids],
                )
                conn.execute("DELETE FROM usage WHERE id IN (SELECT unnest(?))", [ids])
                conn.execute(
                    "DELETE FROM reviews WHERE new_id IN (SELECT unnest(?)) "
                    "OR old_id IN (SELECT unnest(?))",
                    [ids, ids],
                )
            for session, at in turns:
                conn.execute(
                    "DELETE FROM turns WHERE session = ? AND ((role = 'user' AND occurred "
                    "BETWEEN ? AND ?) OR (role = 'assistant' AND occurred = (SELECT "
                    "min(occurred) FROM turns WHERE session = ? AND role = 'assistant' AND "
                    "occurred >= ?)))",
                    [session, at - 0.01, at + 0.01, session, at - 0.01],
                )
            if ids:
                conn.execute(
                    "DELETE FROM checkins WHERE json_extract_string(details, '$.memory') "
                    "IN (SELECT unnest(?))",
                    [ids],
                )
            for needle in needles:
                conn.execute("DELETE FROM turns WHERE contains(lower(text), ?)", [needle])
                conn.execute("DELETE FROM reviews WHERE contains(lower(reason), ?)", [needle])
                conn.execute(
                    "DELETE FROM checkins WHERE contains(lower(text), ?) "
                    "OR contains(lower(reason), ?)",
                    [needle, needle],
                )
                # A bridge's handled messages keep their ids (a redelivered webhook is still
                # known) but lose their words, and so do the replies queued when each was
                # answered; what still waits to be answered or sent stays.
                conn.execute(
                    "UPDATE outbox SET text = '' WHERE state <> 'queued' AND EXISTS (SELECT 1 "
                    "FROM inbox i WHERE i.channel = outbox.channel AND i.sender = "
                    "outbox.recipient AND outbox.created BETWEEN i.received AND i.done + 5 AND "
                    "i.state <> 'pending' "
                    "AND contains(lower(i.text), ?))",
                    [needle],
                )
                conn.execute(
                    "UPDATE inbox SET text = '' WHERE state <> 'pending' "
                    "AND contains(lower(text), ?)",
                    [needle],
                )
                conn.execute(
                    "UPDATE outbox SET text = '' WHERE state <> 'queued' "
                    "AND contains(lower(text), ?)",
                    [needle],
                )
            return before - _count(conn, "turns")

    def log(self, *, at: float, memories: int, turns: int) -> None:
        """Record that a purge happened, and how much it removed."""
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO purges VALUES (?, ?, ?)", [at, memories, turns])

    def purges(self) -> list[Purge]:
        """Every purge, oldest first."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT purged, memories, turns FROM purges ORDER BY purged"
            ).fetchall()
        return [Purge(float(a), int(m), int(t)) for a, m, t in rows]

    def imported(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` an import already took in."""
        if not keys:
            return set()
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT key FROM imports WHERE key IN (SELECT unnest(?))", [list(keys)]
            ).fetchall()
        return {str(row[0]) for row in rows}

    def mark_imported(self, keys: Sequence[str], at: float) -> None:
        """Remember that an import took in ``keys``."""
        if keys:
            with self.db.transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO imports SELECT unnest(?), ?", [list(keys), at])


def _count(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def rewrite(db: Database, timeout: float = 15.0) -> None:
    """Rewrite the index and records files from their live rows, so the bytes of deleted
    rows leave the disk. Every unit of work of this process waits meanwhile; another
    process holding a file makes it wait up to ``timeout`` seconds."""
    with db.offline():
        for path in (db.path, db.records):
            if path is not None and path.exists():
                _rewrite_file(path, timeout)


def _rewrite_file(path: Path, timeout: float) -> None:
    fresh = path.with_name(f".{path.name}.{os.getpid()}.rewrite")
    fresh.unlink(missing_ok=True)
    conn = _connect(path, timeout)
    try:
        row = conn.execute("SELECT current_database()").fetchone()
        name = str(row[0]) if row else "main"
        conn.execute(f"ATTACH '{_sql(fresh)}' AS rewritten")
        conn.execute(f'COPY FROM DATABASE "{name}" TO rewritten')
        conn.execute("DETACH rewritten")
        conn.close()
        os.replace(fresh, path)
        Path(f"{path}.wal").unlink(missing_ok=True)
    except duckdb.Error as exc:
        conn.close()
        fresh.unlink(missing_ok=True)
        raise StoreError(f"cannot rewrite {path.name}: {exc}") from exc
    except OSError as exc:
        fresh.unlink(missing_ok=True)
        raise storage_error(exc, path) from exc


def _connect(path: Path, timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"cannot open {path.name}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"{path.name} is held by another assistant process, so the bytes of "
                    "deleted rows are still in it; close that process and run "
                    "`assistant vault compact`"
                ) from exc
            time.sleep(0.05)


def _sql(path: Path) -> str:
    return str(path).replace("'", "''")
