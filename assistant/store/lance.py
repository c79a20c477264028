"""LanceDB holds every memory's text, properties and vector; search runs over a snapshot.

Vector search is exact: the vectors are kept in memory as one float32 matrix, reloaded only
when the table's version changes (another process wrote), and scored with one matrix
product. Full-text search uses Lance's native BM25 index, which also scans rows added since
the index was last built. Small appends fragment the table, so it is compacted after every
``compact_every`` writes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from assistant.errors import StoreError
from assistant.memory import Memory, MemoryFilter, MemoryType, Status
from assistant.store.base import Candidate, Vector
from assistant.store.filelock import file_lock

log = logging.getLogger(__name__)

TABLE = "memories"
_STATUS = [s.value for s in Status]
_TYPES = [t.value for t in MemoryType]


def _schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            ("id", pa.string()),
            ("text", pa.string()),
            ("type", pa.string()),
            ("status", pa.string()),
            ("importance", pa.float32()),
            ("emotion", pa.float32()),
            ("important", pa.bool_()),
            ("tags", pa.list_(pa.string())),
            ("entities", pa.list_(pa.string())),
            ("created", pa.float64()),
            ("updated", pa.float64()),
            ("source", pa.string()),
            ("supersedes", pa.list_(pa.string())),
            ("metadata", pa.string()),
            ("path", pa.string()),
            ("vector", pa.list_(pa.float32(), dim)),
        ]
    )


@dataclass
class _Snapshot:
    version: int
    rows: pa.Table
    ids: list[str]
    positions: dict[str, int]
    matrix: np.ndarray
    status: np.ndarray
    types: np.ndarray
    created: np.ndarray


class LanceIndex:
    """The :class:`~assistant.store.base.VectorIndex` over a LanceDB directory."""

    def __init__(self, uri: Path, dim: int, *, compact_every: int = 64) -> None:
        import lancedb  # heavy import (~1 s), paid only when the index is first used

        self._lock_path = uri.parent / ".lance.lock"
        try:
            self._db = lancedb.connect(str(uri), read_consistency_interval=timedelta(0))
            self._dim = dim
            # Two processes creating the table at once would each write a first version.
            with file_lock(self._lock_path):
                self.created = TABLE not in self._db.list_tables().tables
                if self.created:
                    self._table = self._db.create_table(TABLE, schema=_schema(dim))
                else:
                    self._table = self._db.open_table(TABLE)
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot open the vector index at {uri}: {exc}") from exc
        self._compact_every = compact_every
        self._writes = 0
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()
        self._fts_ready = False

    # -- writes -------------------------------------------------------------------------------

    def add(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> None:
        """Insert or replace memories by id, in one commit."""
        if not memories:
            return
        data = self._arrow(memories, vectors)
        try:
            with file_lock(self._lock_path):
                (
                    self._table.merge_insert("id")
                    .when_matched_update_all()
                    .when_not_matched_insert_all()
                    .execute(data)
                )
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot write the vector index: {exc}") from exc
        self._after_write()

    def delete(self, ids: Sequence[str]) -> None:
        """Remove rows by id."""
        if not ids:
            return
        quoted = ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
        with file_lock(self._lock_path):
            self._table.delete(f"id IN ({quoted})")
        self._after_write()

    def rebuild(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> None:
        """Overwrite the table with exactly these memories, then build the text index."""
        data = self._arrow(memories, vectors)
        with file_lock(self._lock_path):
            self._table = self._db.create_table(
                TABLE, data, schema=_schema(self._dim), mode="overwrite"
            )
        self._fts_ready = False
        self._ensure_fts(force=True)
        self._snapshot = None

    def compact(self) -> None:
        """Merge small fragments, fold new rows into the text index, drop old versions."""
        try:
            with file_lock(self._lock_path):
                self._table.optimize(cleanup_older_than=timedelta(minutes=5))
        except (OSError, RuntimeError, ValueError) as exc:
            # Another process compacting at the same moment is harmless; try again later.
            log.info("compaction skipped: %s", exc)

    # -- reads --------------------------------------------------------------------------------

    def search(
        self, vector: Vector, text: str, *, limit: int, where: MemoryFilter
    ) -> list[Candidate]:
        """Exact cosine top-``limit`` plus BM25 top-``limit`` among memories passing ``where``."""
        snap = self._current()
        if not snap.ids:
            return []
        mask = self._mask(snap, where)
        scores = snap.matrix @ np.asarray(vector, dtype=np.float32)
        scores = np.where(mask, scores, -np.inf)
        take = min(limit, int(mask.sum()))
        found: dict[int, float] = {}
        if take:
            top = np.argpartition(-scores, take - 1)[:take]
            found = {int(i): 0.0 for i in top}
        lexical = self._text_scores(snap, text, limit * 2)
        for pos, _ in lexical.items():
            if mask[pos]:
                found.setdefault(pos, 0.0)
        return [
            Candidate(
                memory=self._memory(snap, pos),
                vector=snap.matrix[pos],
                semantic=float(max(scores[pos], 0.0)),
                lexical=lexical.get(pos, 0.0),
            )
            for pos in found
        ]

    def memories(self, where: MemoryFilter) -> list[Memory]:
        """Every memory passing ``where``, newest first."""
        snap = self._current()
        if not snap.ids:
            return []
        positions = np.nonzero(self._mask(snap, where))[0]
        order = positions[np.argsort(-snap.created[positions], kind="stable")]
        return [self._memory(snap, int(p)) for p in order]

    def count(self) -> int:
        """Number of rows in the table."""
        return int(self._table.count_rows())

    # -- internals ----------------------------------------------------------------------------

    def _after_write(self) -> None:
        self._snapshot = None
        self._writes += 1
        if self._writes % self._compact_every == 0:
            self.compact()

    def _current(self) -> _Snapshot:
        with self._lock:
            version = self._table.version
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._load(version)
            return self._snapshot

    def _load(self, version: int) -> _Snapshot:
        table = self._table.to_arrow()
        vectors = table.column("vector").combine_chunks()
        if len(vectors):
            matrix = vectors.values.to_numpy(zero_copy_only=False).reshape(-1, self._dim)
        else:
            matrix = np.zeros((0, self._dim), dtype=np.float32)
        rows = table.drop_columns(["vector"])
        ids = rows.column("id").to_pylist()
        return _Snapshot(
            version=version,
            rows=rows,
            ids=ids,
            positions={i: n for n, i in enumerate(ids)},
            matrix=np.ascontiguousarray(matrix, dtype=np.float32),
            status=np.array([_STATUS.index(s) for s in rows.column("status").to_pylist()]),
            types=np.array([_TYPES.index(t) for t in rows.column("type").to_pylist()]),
            created=rows.column("created").to_numpy(),
        )

    def _mask(self, snap: _Snapshot, where: MemoryFilter) -> np.ndarray:
        mask = np.ones(len(snap.ids), dtype=bool)
        if where.statuses:
            mask &= np.isin(snap.status, [_STATUS.index(s.value) for s in where.statuses])
        if where.types:
            mask &= np.isin(snap.types, [_TYPES.index(t.value) for t in where.types])
        if where.since:
            mask &= snap.created >= where.since.timestamp()
        if where.until:
            mask &= snap.created <= where.until.timestamp()
        if where.tags:
            wanted = {t.lower() for t in where.tags}
            tags = snap.rows.column("tags").to_pylist()
            mask &= np.array([bool(wanted & {t.lower() for t in row or ()}) for row in tags])
        return mask

    def _text_scores(self, snap: _Snapshot, text: str, limit: int) -> dict[int, float]:
        if not text.strip() or not self._ensure_fts():
            return {}
        try:
            result = (
                self._table.search(text, query_type="fts")
                .limit(limit)
                .select(["id", "_score"])
                .to_arrow()
            )
        except (OSError, RuntimeError, ValueError) as exc:
            log.debug("full-text search failed: %s", exc)
            return {}
        ids = result.column("id").to_pylist()
        raw = result.column("_score").to_pylist()
        best = max(raw, default=0.0)
        if best <= 0:
            return {}
        return {
            snap.positions[i]: float(s) / best for i, s in zip(ids, raw, strict=True)
            if i in snap.positions
        }

    def _ensure_fts(self, force: bool = False) -> bool:
        if self._fts_ready and not force:
            return True
        if self._table.count_rows() == 0:
            return False
        from lancedb.index import FTS

        try:
            existing = {tuple(i.columns) for i in self._table.list_indices()}
            if force or ("text",) not in existing:
                self._table.create_index("text", config=FTS(), replace=True)
        except (OSError, RuntimeError, ValueError) as exc:
            log.info("full-text index unavailable: %s", exc)
            return False
        self._fts_ready = True
        return True

    def _memory(self, snap: _Snapshot, pos: int) -> Memory:
        row: dict[str, Any] = snap.rows.slice(pos, 1).to_pylist()[0]
        return row_to_memory(row)

    def _arrow(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> pa.Table:
        if len(memories) != len(vectors):
            raise ValueError("one vector per memory")
        if not memories:
            return _schema(self._dim).empty_table()
        rows = [memory_to_row(m) for m in memories]
        matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, self._dim)
        columns: dict[str, Any] = {name: [r[name] for r in rows] for name in rows[0]}
        columns["vector"] = pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), self._dim)
        return pa.table(columns, schema=_schema(self._dim))


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
