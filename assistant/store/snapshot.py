"""An in-memory copy of the vector table for exact, fast search.

One float32 matrix (with spare capacity, so appends rarely copy it) plus the columns that
filters need. A process's own writes change it in place: new rows are appended, and a row
it replaces or deletes is marked gone (its new version appended), so an update costs what it
writes rather than a reload. A write by another process (a table version this one did not
make) makes the owner reload it, as do gone rows piling up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from assistant.memory_types import (
    ListOrder,
    Memory,
    MemoryFilter,
    MemoryType,
    Status,
    project_of,
)
from assistant.store.lexicon import Lexicon

_STATUS = [s.value for s in Status]
_TYPES = [t.value for t in MemoryType]


class Snapshot:
    """Rows (without vectors), their vectors as a matrix, and filter columns."""

    def __init__(self, version: int, dim: int) -> None:
        self.version = version
        self.rows = pa.table({})
        self.ids: list[str] = []
        self.positions: dict[str, int] = {}
        self._buffer = np.zeros((0, dim), dtype=np.float32)
        self.status = np.zeros(0, dtype=np.int8)
        self.types = np.zeros(0, dtype=np.int8)
        self.created = np.zeros(0, dtype=np.float64)
        self.updated = np.zeros(0, dtype=np.float64)
        self.importance = np.zeros(0, dtype=np.float64)
        self.important = np.zeros(0, dtype=bool)
        self.project = np.zeros(0, dtype=np.int32)
        """Each row's project as a code of :attr:`project_codes` (0: global)."""
        self.project_codes: dict[str, int] = {"": 0}
        self.live = np.zeros(0, dtype=bool)
        """False for rows replaced or deleted since the snapshot was loaded."""
        self._masks: dict[MemoryFilter, np.ndarray] = {}
        self._lexicon: Lexicon | None = None

    @classmethod
    def of(
        cls, version: int, table: pa.Table, dim: int, previous: Snapshot | None = None
    ) -> Snapshot:
        """A snapshot of a whole table (with its ``vector`` column). Given the ``previous``
        snapshot, its text index is carried over when it still applies."""
        snap = cls(version, dim)
        snap.append(version, table)
        if previous is not None:
            snap._inherit(previous)
        return snap

    @property
    def text_index_built(self) -> bool:
        """Whether :meth:`lexicon` is ready without indexing the texts."""
        return self._lexicon is not None

    def adopt_lexicon(self, lexicon: Lexicon) -> None:
        """Use ``lexicon`` (saved for exactly these rows) as the text index."""
        if self._lexicon is None and len(lexicon) == len(self.ids):
            self._lexicon = lexicon

    def _inherit(self, previous: Snapshot) -> None:
        """Take over ``previous``'s text index when this snapshot begins with exactly its
        live rows (same ids and texts, in order), as after a compaction or another process's
        appends; only the rows after them are indexed."""
        if previous._lexicon is None or not self.ids:
            return
        live = np.flatnonzero(previous.live)
        if len(live) > len(self.ids):
            return
        before = previous.rows.select(["id", "text"]).take(live)
        if not before.equals(self.rows.select(["id", "text"]).slice(0, len(live))):
            return
        lexicon = previous._lexicon.kept(previous.live)
        lexicon.extend(self.rows.column("text").slice(len(live)).to_pylist())
        self._lexicon = lexicon

    @property
    def matrix(self) -> np.ndarray:
        """One unit vector per row."""
        return self._buffer[: len(self.ids)]

    def append(self, version: int, table: pa.Table) -> None:
        """Add rows (with vectors) at the end and move to ``version``."""
        count, dim = len(self.ids), self._buffer.shape[1]
        vectors = table.column("vector").combine_chunks()
        fresh = vectors.values.to_numpy(zero_copy_only=False).reshape(-1, dim)
        needed = count + len(fresh)
        if needed > len(self._buffer):
            grown = np.zeros((max(needed, 2 * len(self._buffer), 256), dim), dtype=np.float32)
            grown[:count] = self._buffer[:count]
            self._buffer = grown
        self._buffer[count:needed] = fresh
        rows = table.drop_columns(["vector"])
        self.rows = pa.concat_tables([self.rows, rows]) if count else rows.combine_chunks()
        self._masks.clear()
        new_ids = rows.column("id").to_pylist()
        self.positions.update({i: count + n for n, i in enumerate(new_ids)})
        self.ids.extend(new_ids)
        codes = _codes(rows)
        self.status = np.concatenate([self.status, codes[0]])
        self.types = np.concatenate([self.types, codes[1]])
        self.created = np.concatenate([self.created, rows.column("created").to_numpy()])
        self.updated = np.concatenate([self.updated, rows.column("updated").to_numpy()])
        self.importance = np.concatenate([self.importance, rows.column("importance").to_numpy()])
        important = rows.column("important").to_numpy(zero_copy_only=False)
        self.important = np.concatenate([self.important, important.astype(bool)])
        self.project = np.concatenate([self.project, self._project_codes(rows)])
        self.live = np.concatenate([self.live, np.ones(len(new_ids), dtype=bool)])
        if self._lexicon is not None:
            self._lexicon.extend(rows.column("text").to_pylist())
        self.version = version

    def _project_codes(self, rows: pa.Table) -> np.ndarray:
        """The project code of each row, from where its note lies (see
        :func:`~assistant.memory_types.project_of`); new projects get new codes."""
        names = [project_of(p) for p in rows.column("path").to_pylist()]
        codes = self.project_codes
        return np.array([codes.setdefault(n, len(codes)) for n in names], dtype=np.int32)

    def remove(self, version: int, ids: Sequence[str]) -> None:
        """Mark the rows of ``ids`` gone and move to ``version``."""
        gone = [self.positions.pop(i) for i in ids if i in self.positions]
        self.live[gone] = False
        self._masks.clear()
        self.version = version

    @property
    def gone(self) -> int:
        """Rows replaced or deleted since the snapshot was loaded."""
        return len(self.ids) - len(self.positions)

    def lexicon(self) -> Lexicon:
        """The full-text index of the rows, built on first use and extended by appends."""
        if self._lexicon is None:
            self._lexicon = Lexicon()
            if self.ids:
                self._lexicon.extend(self.rows.column("text").to_pylist())
        return self._lexicon

    def mask(self, where: MemoryFilter) -> np.ndarray:
        """Which rows pass ``where`` (cached per filter until the next append; read-only)."""
        cached = self._masks.get(where)
        if cached is None:
            if len(self._masks) >= 16:
                self._masks.clear()
            cached = self._masks[where] = self._compute_mask(where)
            cached.flags.writeable = False
        return cached

    def _compute_mask(self, where: MemoryFilter) -> np.ndarray:
        mask = self.live.copy()
        if where.statuses:
            mask &= np.isin(self.status, [_STATUS.index(s.value) for s in where.statuses])
        if where.types:
            mask &= np.isin(self.types, [_TYPES.index(t.value) for t in where.types])
        if where.since:
            mask &= self.created >= where.since.timestamp()
        if where.until:
            mask &= self.created <= where.until.timestamp()
        if where.min_importance is not None:
            mask &= self.importance >= where.min_importance
        if where.max_importance is not None:
            mask &= self.importance <= where.max_importance
        if where.important is not None:
            mask &= self.important == where.important
        if where.projects:
            codes = [self.project_codes[p] for p in where.projects if p in self.project_codes]
            mask &= np.isin(self.project, codes)
        if where.tags:
            wanted = {t.lower() for t in where.tags}
            tags = self.rows.column("tags").to_pylist()
            mask &= np.array([bool(wanted & {t.lower() for t in row or ()}) for row in tags])
        return mask

    def order(
        self, where: MemoryFilter, by: ListOrder, counts: Mapping[str, int] | None = None
    ) -> np.ndarray:
        """Positions of the rows passing ``where``: the most important, the most used (by
        ``counts``, id → retrievals) or the newest first; newest first among equals."""
        positions = np.nonzero(self.mask(where))[0]
        created = -self.created[positions]
        if by is ListOrder.IMPORTANCE:
            keys = np.lexsort((created, -self.importance[positions]))
        elif by is ListOrder.USED:
            used = np.array([(counts or {}).get(self.ids[p], 0) for p in positions], dtype=float)
            keys = np.lexsort((created, -used))
        else:
            keys = np.argsort(created, kind="stable")
        return positions[keys]

    def memories(self, positions: Sequence[int]) -> list[Memory]:
        """The memories in rows ``positions``, in that order (one Arrow take)."""
        if not len(positions):
            return []
        if len(positions) <= 64:  # a search's few: slices, without pyarrow.compute's import
            rows = [r for p in positions for r in self.rows.slice(int(p), 1).to_pylist()]
            return [row_to_memory(row) for row in rows]
        if self.rows.num_columns and self.rows.column(0).num_chunks > 16:
            self.rows = self.rows.combine_chunks()  # take() on many small chunks is slow
        rows = self.rows.take(list(positions)).to_pylist()
        return [row_to_memory(row) for row in rows]


def _codes(rows: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """The status and type of each row as its index in ``_STATUS`` / ``_TYPES`` (-1: none).
    In Python, not ``pyarrow.compute``: importing that alone takes 0.1-0.3 s."""

    def code(column: str, names: list[str]) -> np.ndarray:
        lookup = {name: n for n, name in enumerate(names)}
        found = [lookup.get(v, -1) for v in rows.column(column).to_pylist()]
        return np.array(found, dtype=np.int8)

    return code("status", _STATUS), code("type", _TYPES)


def memory_to_row(memory: Memory) -> dict[str, Any]:
    """A memory as a table row (without its vector)."""
    return {
        "id": memory.id,
        "text": memory.text,
        "type": memory.type.value,
        "status": memory.status.value,
        "importance": float(memory.importance),
        "emotion": float(memory.emotion),
        "important": memory.important,
        "tags": list(memory.tags),
        "entities": list(memory.entities),
        "created": memory.created.timestamp(),
        "updated": memory.updated.timestamp(),
        "source": memory.source,
        "supersedes": list(memory.supersedes),
        "metadata": json.dumps(dict(memory.metadata), default=str, ensure_ascii=False),
        "path": memory.path.as_posix() if memory.path else "",
    }


def row_to_memory(row: dict[str, Any]) -> Memory:
    """The inverse of :func:`memory_to_row`."""
    return Memory(
        id=row["id"],
        text=row["text"],
        type=MemoryType(row["type"]),
        status=Status(row["status"]),
        importance=round(float(row["importance"]), 2),
        emotion=round(float(row["emotion"]), 2),
        important=bool(row["important"]),
        tags=tuple(row["tags"] or ()),
        entities=tuple(row["entities"] or ()),
        created=datetime.fromtimestamp(row["created"], UTC),
        updated=datetime.fromtimestamp(row["updated"], UTC),
        source=row["source"],
        supersedes=tuple(row["supersedes"] or ()),
        metadata=json.loads(row["metadata"] or "{}"),
        path=Path(row["path"]) if row["path"] else None,
    )
