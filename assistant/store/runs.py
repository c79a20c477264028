"""The log of consolidation runs: when, what each job changed, errors and cost."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.memory_types import new_id
from assistant.store.database import Database


@dataclass(frozen=True)
class RunRecord:
    """One consolidation run as logged."""

    id: str
    started: float
    ended: float | None
    status: str
    """``running``, ``done``, ``preempted``, ``failed`` or ``interrupted`` (the process died)."""
    trigger: str
    """``idle`` or ``command``."""
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    dollars: float = 0.0

    @property
    def seconds(self) -> float:
        """How long the run took (0 while it runs)."""
        return (self.ended - self.started) if self.ended else 0.0


class RunLog:
    """Reads and writes the ``consolidation_runs`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, trigger: str, *, dry_run: bool = False) -> str:
        """Log a run as started; runs left ``running`` by a dead process become
        ``interrupted`` (only called while holding the consolidation lock)."""
        run_id = new_id()
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE consolidation_runs SET status = 'interrupted', seen = true "
                "WHERE status = 'running'"
            )
            conn.execute(
                "INSERT INTO consolidation_runs "
                "VALUES (?, ?, NULL, 'running', ?, ?, '{}', '[]', 0, false)",
                [run_id, time.time(), trigger, dry_run],
            )
        return run_id

    def finish(
        self,
        run_id: str,
        status: str,
        counts: Mapping[str, int],
        errors: Sequence[str],
        dollars: float,
    ) -> None:
        """Log the end of a run."""
        with self._db.connect() as conn:
            conn.execute(
                "UPDATE consolidation_runs SET ended = ?, status = ?, counts = ?, errors = ?, "
                "dollars = ?, seen = dry_run WHERE id = ?",
                [
                    time.time(),
                    status,
                    json.dumps(dict(counts)),
                    json.dumps(list(errors)),
                    dollars,
                    run_id,
                ],
            )

    def history(self, limit: int = 20) -> list[RunRecord]:
        """The latest runs, newest first."""
        return self._select("true ORDER BY started DESC LIMIT ?", [limit])

    def unseen(self) -> list[RunRecord]:
        """Finished runs not yet reported to the user, oldest first; marks them seen (in one
        statement, so two callers never both report a run)."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "UPDATE consolidation_runs SET seen = true "
                "WHERE NOT seen AND status <> 'running' RETURNING " + _COLUMNS
            ).fetchall()
        return sorted(map(_record, rows), key=lambda r: r.started)

    def _select(self, clause: str, params: list[object]) -> list[RunRecord]:
        with self._db.connect() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM consolidation_runs WHERE {clause}", params
            ).fetchall()
        return [_record(r) for r in rows]


_COLUMNS = "id, started, ended, status, trigger, dry_run, counts, errors, dollars"


def _record(r: tuple[Any, ...]) -> RunRecord:
    return RunRecord(
        str(r[0]),
        float(r[1]),
        r[2],
        str(r[3]),
        str(r[4]),
        bool(r[5]),
        {str(k): int(v) for k, v in json.loads(r[6]).items()},
        [str(e) for e in json.loads(r[7])],
        float(r[8]),
    )
