"""The review queue: conflicts between two memories that the user settles."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from assistant.errors import InvalidInputError, NotFoundError
from assistant.memory import new_id
from assistant.store.database import Database


class Resolution(StrEnum):
    """How the user settled a review item."""

    KEEP_NEW = "keep-new"
    """The newer memory is right: it replaces the older one."""
    KEEP_OLD = "keep-old"
    """The older memory is right: the newer one is forgotten (restorable)."""
    BOTH = "both"
    """Both are true: nothing changes, and the pair is never asked about again."""
    MERGE = "merge"
    """One memory says both: it replaces the two."""


@dataclass(frozen=True)
class ReviewItem:
    """Two memories that may contradict each other."""

    id: str
    kind: str
    """``contradiction`` or ``low-confidence``."""
    new_id: str
    old_id: str
    reason: str
    created: float
    resolved: float | None = None
    resolution: str | None = None


class ReviewQueue:
    """Reads and writes the ``reviews`` table.

    Usage::

        queue.add("contradiction", new.id, old.id, "both say where you live")
        for item in queue.open():
            ...
        queue.resolve(item.id, Resolution.BOTH)
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        kind: str,
        new_id_: str,
        old_id: str,
        reason: str,
        *,
        known: set[frozenset[str]] | None = None,
    ) -> ReviewItem | None:
        """Queue a pair, unless it is already queued or was settled before (either order).
        ``known``: the pairs as read before (and kept up to date here), to save a query."""
        if new_id_ == old_id:
            raise InvalidInputError("a review needs two different memories")
        pairs = self.pairs() if known is None else known
        pair = frozenset((new_id_, old_id))
        if pair in pairs:
            return None
        pairs.add(pair)
        item = ReviewItem(new_id(), kind, new_id_, old_id, reason[:500], time.time())
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                [item.id, item.kind, item.new_id, item.old_id, item.reason, item.created],
            )
        return item

    def pairs(self) -> set[frozenset[str]]:
        """Every pair ever queued, open or settled."""
        with self._db.connect() as conn:
            rows = conn.execute("SELECT new_id, old_id FROM reviews").fetchall()
        return {frozenset((str(a), str(b))) for a, b in rows}

    def open(self) -> list[ReviewItem]:
        """Items waiting for the user, oldest first."""
        return self._select("resolved IS NULL ORDER BY created", [])

    def count_open(self) -> int:
        """How many items wait for the user."""
        with self._db.connect() as conn:
            row = conn.execute("SELECT count(*) FROM reviews WHERE resolved IS NULL").fetchone()
        return int(row[0]) if row else 0

    def get(self, item_id: str) -> ReviewItem:
        """One item by id, or a unique start of it."""
        found = self._select("id LIKE ? ORDER BY created", [item_id.strip().upper() + "%"])
        if len(found) != 1 or not item_id.strip():
            raise NotFoundError(f"no review item {item_id!r}")
        return found[0]

    def resolve(self, item_id: str, resolution: Resolution) -> None:
        """Record how an item was settled."""
        with self._db.connect() as conn:
            conn.execute(
                "UPDATE reviews SET resolved = ?, resolution = ? WHERE id = ?",
                [time.time(), resolution.value, item_id],
            )

    def _select(self, clause: str, params: list[object]) -> list[ReviewItem]:
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT id, kind, new_id, old_id, reason, created, resolved, resolution "
                f"FROM reviews WHERE {clause}",
                params,
            ).fetchall()
        return [ReviewItem(*row) for row in rows]
