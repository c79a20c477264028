"""The log of backups (``backup_runs``): what ``doctor`` and ``serve`` read to say when the
last backup was made and whether it failed."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.memory_types import new_id
from assistant.store.database import Database


@dataclass(frozen=True)
class BackupRun:
    """One backup as logged."""

    started: float
    ended: float
    status: str
    """``ok``, ``failed``, or ``partial`` (made here, but the remote copy failed)."""
    trigger: str
    """``command`` or ``schedule``."""
    archive: str = ""
    """The archive's file name (empty when none was made)."""
    size: int = 0
    remote: str = ""
    """Where the remote copy went (``s3://bucket/key``), empty for none."""
    error: str = ""


class BackupLog:
    """Reads and writes the ``backup_runs`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, run: BackupRun) -> None:
        """Log a finished backup (made or failed)."""
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO backup_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    new_id(),
                    run.started,
                    run.ended,
                    run.status,
                    run.trigger,
                    run.archive,
                    run.size,
                    run.remote,
                    run.error or None,
                ],
            )

    def last(self, *, status: str = "", trigger: str = "") -> BackupRun | None:
        """The latest backup (of ``status`` and ``trigger`` when given)."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT started, ended, status, trigger, archive, size, remote, error "
                "FROM backup_runs WHERE (? = '' OR status = ?) AND (? = '' OR trigger = ?) "
                "ORDER BY started DESC LIMIT 1",
                [status, status, trigger, trigger],
            ).fetchone()
        if row is None:
            return None
        return BackupRun(
            float(row[0]),
            float(row[1]),
            str(row[2]),
            str(row[3]),
            str(row[4]),
            int(row[5]),
            str(row[6]),
            str(row[7] or ""),
        )
