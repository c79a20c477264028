"""Check-ins: what the assistant wrote first, why, and when it reached the owner; and the
owner's pauses of them (``/quiet``). Operational records, read by every process of a home.

Usage::

    checkins = CheckIns(db)
    written = checkins.claim(draft, now=now, gap=3 * 3600)   # None: another came first
    checkins.deliver(written.id, ["cli"], now=now)
    checkins.recent(10)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.memory_types import new_id
from assistant.store.database import Database

_COLUMNS = (
    "id, created, kind, key, text, reason, score, details, model, expires, delivered, channels"
)


@dataclass(frozen=True)
class CheckIn:
    """One message the assistant wrote without being asked."""

    id: str
    created: float
    kind: str
    """``event`` (good luck on the day), ``follow_up`` (how did it go), ``needs`` or
    ``silence``."""
    key: str
    """What it is about; at most one check-in is ever written per key."""
    text: str
    reason: str
    """Why it was sent, in one line, for ``/why`` and ``assistant checkins``."""
    score: float
    details: dict[str, Any] = field(default_factory=dict)
    """The parts of the score and the restraints that applied."""
    model: str = ""
    """The model that wrote it; empty: a template."""
    expires: float = 0.0
    """After this an undelivered check-in is no longer shown."""
    delivered: float | None = None
    channels: tuple[str, ...] = ()


class CheckIns:
    """Reads and writes the ``checkins`` and ``checkin_pauses`` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def claim(self, draft: CheckIn, *, now: float, gap: float) -> CheckIn | None:
        """Store ``draft`` as written at ``now`` unless another check-in was written less
        than ``gap`` seconds ago or one with its key exists: one statement, so two processes
        of a home never both write one. Returns the stored check-in, or None."""
        with self._db.connect() as conn:
            row = conn.execute(
                "INSERT INTO checkins SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, [] "
                "WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE created > ? OR key = ?) "
                "RETURNING id",
                [
                    draft.id or new_id(now),
                    now,
                    draft.kind,
                    draft.key,
                    draft.text,
                    draft.reason,
                    draft.score,
                    json.dumps(draft.details),
                    draft.model or None,
                    draft.expires,
                    now - gap,
                    draft.key,
                ],
            ).fetchone()
        if row is None:
            return None
        return self.get(str(row[0]))

    def get(self, checkin_id: str) -> CheckIn | None:
        """The check-in with this id, or None."""
        found = self._select("WHERE id = ?", [checkin_id])
        return found[0] if found else None

    def deliver(self, checkin_id: str, channels: Sequence[str], *, now: float) -> bool:
        """Record that the check-in reached ``channels``; False when another process had
        already delivered it (then it is not shown again)."""
        with self._db.connect() as conn:
            row = conn.execute(
                "UPDATE checkins SET delivered = ?, channels = ? "
                "WHERE id = ? AND delivered IS NULL RETURNING id",
                [now, list(channels), checkin_id],
            ).fetchone()
        return row is not None

    def take_pending(self, now: float) -> list[CheckIn]:
        """Check-ins written while no channel was open and not yet expired, claimed as
        delivered in the same statement (the caller shows them, or gives them back)."""
        with self._db.connect() as conn:
            ids = conn.execute(
                "UPDATE checkins SET delivered = ? WHERE delivered IS NULL AND expires > ? "
                "RETURNING id",
                [now, now],
            ).fetchall()
        found = self._select("WHERE id IN (SELECT unnest(?))", [[r[0] for r in ids]])
        return sorted(found, key=lambda c: c.created)

    def give_back(self, checkin_id: str) -> None:
        """A check-in no channel took: pending again, for the next channel that opens."""
        with self._db.connect() as conn:
            conn.execute("UPDATE checkins SET delivered = NULL WHERE id = ?", [checkin_id])

    def recent(self, limit: int = 20) -> list[CheckIn]:
        """The latest check-ins, newest first."""
        return self._select("ORDER BY created DESC LIMIT ?", [limit])

    def since(self, start: float) -> list[CheckIn]:
        """Check-ins written at or after ``start``, oldest first."""
        return self._select("WHERE created >= ? ORDER BY created", [start])

    def pause(self, now: float, until: float | None) -> None:
        """No check-ins from ``now`` until ``until`` (None: until :meth:`resume`)."""
        with self._db.connect() as conn:
            conn.execute("INSERT INTO checkin_pauses VALUES (?, ?)", [now, until])

    def resume(self, now: float) -> None:
        """End any pause now."""
        self.pause(now, now)

    def paused_until(self, now: float) -> float | None:
        """Until when check-ins are paused at ``now``: a time, ``inf`` when until the owner
        says otherwise, or None when they are not paused."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT until FROM checkin_pauses WHERE set_at <= ? ORDER BY set_at DESC LIMIT 1",
                [now],
            ).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return float("inf")
        until = float(row[0])
        return until if until > now else None

    def user_messages(self, start: float) -> list[float]:
        """When the owner wrote (any channel) since ``start``, oldest first: from the
        conversation log, the one record every channel writes."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT occurred FROM turns WHERE role = 'user' AND occurred >= ? "
                "ORDER BY occurred",
                [start],
            ).fetchall()
        return [float(r[0]) for r in rows]

    def last_message(self) -> float | None:
        """When the owner last wrote, on any channel (None: never)."""
        with self._db.connect() as conn:
            row = conn.execute("SELECT max(occurred) FROM turns WHERE role = 'user'").fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def _select(self, clause: str, params: list[object]) -> list[CheckIn]:
        with self._db.connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM checkins {clause}", params).fetchall()
        return [
            CheckIn(
                str(i),
                float(c),
                str(k),
                str(key),
                str(t),
                str(r),
                float(s),
                json.loads(d) if isinstance(d, str) else dict(d or {}),
                str(m or ""),
                float(e),
                None if dv is None else float(dv),
                tuple(ch or ()),
            )
            for i, c, k, key, t, r, s, d, m, e, dv, ch in rows
        ]
