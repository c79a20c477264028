"""The review queue: conflicts between two memories that the user settles, and memories
consolidation archived by decay, which the user may restore."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from assistant.errors import InvalidInputError, NotFoundError
from assistant.memory_types import new_id
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
    RESTORE = "restore"
    """A memory archived by decay comes back, active (and decay leaves it alone after)."""
    DISMISS = "dismiss"
    """A memory archived by decay stays in the archive."""
    MOOT = "moot"
    """One memory of a possible contradiction was forgotten or replaced since: nothing is
    left to ask."""


CONTRADICTION = "contradiction"
"""Two memories that may contradict each other."""
ARCHIVED = "archived"
"""A memory a consolidation run archived by decay."""


@dataclass(frozen=True)
class ReviewItem:
    """Two memories that may contradict each other, or a memory archived by decay."""

    id: str
    kind: str
    """``contradiction``, ``low-confidence`` or ``archived``."""
    new_id: str
    """The newer memory; for ``archived``, the memory archived."""
    old_id: str
    """The older memory; for ``archived``, the consolidation run that archived it."""
    reason: str
    created: float
    resolved: float | None = None
    resolution: str | None = None


class ReviewQueue:
    """Reads and writes the ``reviews`` table.

    Usage::

        queue.add("contradiction", new.id, old.id, "both say where you live")
        queue.add_archived(memory.id, run_id, "faded and unused")
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
        return self._insert(ReviewItem(new_id(), kind, new_id_, old_id, reason[:500], time.time()))

    def add_archived(self, memory_id: str, run_id: str, reason: str) -> ReviewItem:
        """Queue a memory that run ``run_id`` archived by decay, for the user to restore."""
        return self._insert(
            ReviewItem(new_id(), ARCHIVED, memory_id, run_id, reason[:500], time.time())
        )

    def _insert(self, item: ReviewItem) -> ReviewItem:
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                [item.id, item.kind, item.new_id, item.old_id, item.reason, item.created],
            )
        return item

    def pairs(self) -> set[frozenset[str]]:
        """Every pair of memories ever queued, open or settled."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT new_id, old_id FROM reviews WHERE kind <> ?", [ARCHIVED]
            ).fetchall()
        return {frozenset((str(a), str(b))) for a, b in rows}

    def archived_in(self, run_ids: Iterable[str]) -> dict[str, list[str]]:
        """The memories each of ``run_ids`` archived by decay (restored since or not), in the
        order it archived them; runs that archived nothing are left out."""
        wanted = list(run_ids)
        if not wanted:
            return {}
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT old_id, new_id FROM reviews WHERE kind = ? AND list_contains(?, old_id) "
                "ORDER BY created, id",
                [ARCHIVED, wanted],
            ).fetchall()
        out: dict[str, list[str]] = {}
        for run_id, memory_id in rows:
            out.setdefault(str(run_id), []).append(str(memory_id))
        return out

    def open(self, kind: str | None = None) -> list[ReviewItem]:
        """Items waiting for the user (of one ``kind``, or all), oldest first."""
        if kind is None:
            return self._select("resolved IS NULL ORDER BY created", [])
        return self._select("resolved IS NULL AND kind = ? ORDER BY created", [kind])

    def count_open(self, kind: str | None = None) -> int:
        """How many items of one ``kind`` wait for the user; by default, how many possible
        contradictions (every kind but ``archived``)."""
        clause, params = (
            (" AND kind <> ?", [ARCHIVED]) if kind is None else (" AND kind = ?", [kind])
        )
        with self._db.connect() as conn:
            row = conn.execute(
                f"SELECT count(*) FROM reviews WHERE resolved IS NULL{clause}", params
            ).fetchone()
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
