"""LanceDB holds every memory's text, properties and vector; search runs over a snapshot.

Both halves of hybrid search run in memory, over a snapshot of the table: vector search is
exact (the vectors as one float32 matrix, scored with one matrix product) and full-text
search is BM25 over the texts (:mod:`assistant.store.lexicon`). The snapshot is reloaded
only when the table's version changes (another process wrote). Small appends fragment the
table, so it is compacted after every ``compact_every`` writes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from assistant.errors import StoreError
from assistant.memory_types import ListOrder, Memory, MemoryFilter
from assistant.store.base import Candidate, Vector
from assistant.store.lance_table import LanceTable
from assistant.store.lexicon import Lexicon
from assistant.store.snapshot import Snapshot, memory_to_row
from assistant.store.snapshot_file import (
    SAVE_AFTER_S,
    Debounced,
    Stamp,
    read_arrays,
    read_snapshot,
    remove_snapshot,
    stamp_of,
    table_stamp,
    write_arrays,
    write_snapshot,
)

log = logging.getLogger(__name__)

TABLE = "memories"


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


class LanceIndex:
    """The :class:`~assistant.store.base.VectorIndex` over a LanceDB directory."""

    def __init__(
        self, uri: Path, dim: int, *, compact_every: int = 64, save_after: float = SAVE_AFTER_S
    ) -> None:
        self._store = LanceTable(uri, TABLE, _schema(dim), what="the vector index")
        self._dim = dim
        self._table_dir = uri / f"{TABLE}.lance"
        self._file = uri.parent / f"{TABLE}.snapshot.arrow"
        """The live rows as Arrow IPC: reads need no LanceDB (:mod:`.snapshot_file`)."""
        self._file_stamp: Stamp | None = None
        self._lexicon_file = uri.parent / f"{TABLE}.lexicon.npz"
        """The text index of the file's rows, so a cold search need not build it."""
        self._lexicon_stamp: Stamp | None = None
        self._dirty = False
        """This process wrote since it last wrote the file (it does so ``save_after``
        seconds after its latest write, and when it closes)."""
        self._saver = Debounced(self._save_if_dirty, save_after)
        if not self._store.exists:
            self._store.get()
        self.created = self._store.created
        """This process created the table: the caller rebuilds it from the vault."""
        self._compact_every = compact_every
        self._writes = 0
        self._snapshot: Snapshot | None = None
        self._stale = False
        """The snapshot holds so many replaced rows that the next read reloads it."""
        self._compactor: threading.Thread | None = None
        self._lock = threading.RLock()

    # -- writes -------------------------------------------------------------------------------

    def add(
        self, memories: Sequence[Memory], vectors: Sequence[Vector], *, new: bool = False
    ) -> None:
        """Insert memories, replacing rows with the same id, in one commit.

        ``new=True`` promises the ids are not in the table yet: a plain append, much cheaper
        than the merge an update needs.
        """
        if not memories:
            return
        data = self._arrow(memories, vectors)
        before = self._snapshot
        try:  # concurrent writers all land (tests/core/test_concurrency.py)
            self._store.write(data, new=new)
            self._follow(before, data, replaced=() if new else [m.id for m in memories])
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot write the vector index: {exc}") from exc
        self._changed()
        self._after_write()

    def delete(self, ids: Sequence[str]) -> None:
        """Remove rows by id."""
        if not ids:
            return
        quoted = ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
        before = self._snapshot
        self._table.delete(f"id IN ({quoted})")
        self._follow(before, None, replaced=ids)
        self._changed()
        self._after_write()

    def rebuild(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> None:
        """Overwrite the table with exactly these memories."""
        remove_snapshot(self._file)
        remove_snapshot(self._lexicon_file)
        self._store.replace(self._arrow(memories, vectors))
        self._snapshot = None
        self._changed()

    def compact(self) -> None:
        """Merge small fragments and drop old versions."""
        try:
            # Stores written before full-text search moved into memory carry a text index
            # that every compaction would otherwise keep up to date for nothing.
            for index in self._table.list_indices():
                if index.index_type == "FTS":
                    self._table.drop_index(index.name)
            self._table.optimize(cleanup_older_than=timedelta(minutes=5))
        except (OSError, RuntimeError, ValueError) as exc:
            # Another process compacting at the same moment is harmless; try again later.
            log.info("compaction skipped: %s", exc)
        self._changed()  # compaction makes a new version: the file follows it

    def scrub(self) -> None:
        """Rewrite the table so that deleted memories leave its files (after a purge)."""
        self.close()
        remove_snapshot(self._file)  # they hold the purged rows' words too
        remove_snapshot(self._lexicon_file)
        self._store.rewrite()
        self._snapshot = None
        self._changed()

    def close(self) -> None:
        """Wait for a background compaction to finish, and leave the snapshot file at the
        table's version when this process wrote (the next process reads it, not LanceDB)."""
        if self._compactor is not None:
            self._compactor.join()
            self._compactor = None
        self._saver.cancel()
        self._save_if_dirty()

    @property
    def _table(self) -> Any:
        return self._store.get()

    @property
    def opened(self) -> bool:
        """Whether this process opened LanceDB: it wrote, or a read found no current
        snapshot file. Reads alone otherwise never import it."""
        return self._store.opened

    def warm_up(self) -> None:
        """Open the table and read it into memory now, so the first search does not wait."""
        with self._lock:
            self._current()

    # -- reads --------------------------------------------------------------------------------

    def search(
        self, vector: Vector, text: str, *, limit: int, where: MemoryFilter
    ) -> list[Candidate]:
        """Exact cosine top-``limit`` plus the ``2 × limit`` best BM25 matches for ``text``,
        among rows passing ``where``, all read from one snapshot."""
        with self._lock:
            snap = self._current()
            if not snap.ids:
                return []
            mask = snap.mask(where)
            matrix = snap.matrix
            scores = matrix @ np.asarray(vector, dtype=np.float32)
            scores[~mask] = -np.inf
            take = min(limit, int(mask.sum()))
            found = [int(i) for i in np.argpartition(-scores, take - 1)[:take]] if take else []
            words = _best_text(snap, text, 2 * limit, mask)
            self._save_lexicon(snap)
            seen = set(found)
            found += [p for p in words if p not in seen]
            return [_candidate(snap, pos, float(scores[pos]), words.get(pos, 0.0)) for pos in found]

    def containing(
        self, vector: Vector, needles: Sequence[str], *, where: MemoryFilter, limit: int
    ) -> list[Candidate]:
        """Up to ``limit`` rows passing ``where`` whose text holds one of ``needles`` (a scan
        of the snapshot's texts, vectorised), as candidates scored against ``vector`` and
        matching in full by their words: the facts dated in the days a question asks about
        ("December 2026)")."""
        with self._lock:
            snap = self._current()
            if not snap.ids or not needles:
                return []
            texts = snap.rows.column("text")
            hit = np.zeros(len(snap.ids), dtype=bool)
            for needle in needles:
                found = pc.match_substring(texts, needle).to_numpy(zero_copy_only=False)
                hit |= np.asarray(found, dtype=bool)
            positions = np.nonzero(hit & snap.mask(where))[0][:limit]
            scores = snap.matrix[positions] @ np.asarray(vector, dtype=np.float32)
            # the text holds what was asked for, word for word: a full lexical match
            pairs = zip(positions.tolist(), scores.tolist(), strict=True)
            return [_candidate(snap, pos, score, 1.0) for pos, score in pairs]

    def get_many(self, ids: Sequence[str]) -> list[Memory]:
        """Memories by id from the snapshot, in order; unknown ids are skipped."""
        with self._lock:
            # Right after a search the snapshot is current: skip the version check.
            snap = self._snapshot if self._snapshot and not self._stale else self._current()
            return snap.memories([snap.positions[i] for i in ids if i in snap.positions])

    def memories(
        self,
        where: MemoryFilter,
        limit: int | None = None,
        *,
        order: ListOrder = ListOrder.RECENT,
        counts: Mapping[str, int] | None = None,
    ) -> list[Memory]:
        """Memories passing ``where`` in ``order`` (only the first ``limit`` are read)."""
        with self._lock:
            snap = self._current()
            if not snap.ids:
                return []
            return snap.memories([int(p) for p in snap.order(where, order, counts)[:limit]])

    def with_text(self, *texts: str) -> list[str]:
        """Ids of the indexed memories whose text is exactly one of ``texts`` (one scan of
        the snapshot's texts: about 20 ms at 100k)."""
        wanted = set(texts)
        with self._lock:
            snap = self._current()
            if not snap.ids:
                return []
            stored = snap.rows.column("text").to_pylist()
            return [snap.ids[p] for p, t in enumerate(stored) if t in wanted and snap.live[p]]

    def ids(self, where: MemoryFilter | None = None) -> list[str]:
        """Every indexed id, or those passing ``where``, in table order."""
        with self._lock:
            snap = self._current()
            if where is None:
                return [snap.ids[int(p)] for p in np.nonzero(snap.live)[0]]
            return [snap.ids[int(p)] for p in np.nonzero(snap.mask(where))[0]]

    def vectors_of(self, ids: Sequence[str]) -> np.ndarray:
        """The stored unit vectors of ``ids``, one row each (zeros for an unknown id)."""
        with self._lock:
            snap = self._current()
            out = np.zeros((len(ids), snap.matrix.shape[1]), dtype=np.float32)
            for row, memory_id in enumerate(ids):
                position = snap.positions.get(memory_id)
                if position is not None:
                    out[row] = snap.matrix[position]
            return out

    def count(self) -> int:
        """Number of rows in the table."""
        if not self._store.opened:
            with self._lock:
                found = self._from_file()
            if found is not None:
                return len(found.positions)
        return int(self._table.count_rows())

    # -- internals ----------------------------------------------------------------------------

    def _changed(self) -> None:
        """Note a write: the snapshot file follows it soon (or when this index closes)."""
        self._dirty = True
        self._saver.poke()

    def _after_write(self) -> None:
        self._writes += 1
        busy = self._compactor is not None and self._compactor.is_alive()
        if self._writes % self._compact_every == 0 and not busy:
            # Off the write path: a remember never waits for compaction.
            self._compactor = threading.Thread(target=self.compact, name="lance-compact")
            self._compactor.start()

    def _follow(
        self, before: Snapshot | None, data: pa.Table | None, replaced: Sequence[str]
    ) -> None:
        """Apply our own write to the snapshot when nobody else wrote in between: rows it
        replaced or deleted are marked gone, new versions appended. Otherwise, or once gone
        rows are a quarter of the snapshot, the next read reloads it (keeping its text index
        when the rows still match)."""
        with self._lock:
            version = self._table.version
            if before is None or self._snapshot is not before or version != before.version + 1:
                self._stale = True  # someone else wrote too: the next read reloads
                return
            before.remove(version, replaced)
            if data is not None:
                before.append(version, data)
            self._stale = self._stale or before.gone > max(256, len(before.ids) // 4)

    def _current(self) -> Snapshot:
        if not self._store.opened:  # a process that has not written reads the file
            found = self._from_file()
            if found is not None:
                return found
        version = self._table.version
        if self._snapshot is None or self._snapshot.version != version or self._stale:
            self._stale = False
            self._snapshot = Snapshot.of(
                version, self._table.to_arrow(), self._dim, previous=self._snapshot
            )
            self._write_file(self._snapshot)  # when missing, stale or corrupt
        return self._snapshot

    def _from_file(self) -> Snapshot | None:
        """The snapshot from the file when it holds the table's newest version, else None."""
        stamp = table_stamp(self._table_dir)
        if stamp is None:
            return None
        if self._snapshot is not None and self._file_stamp == stamp and not self._stale:
            return self._snapshot
        table = read_snapshot(self._file, stamp)
        if table is None:
            return None
        snap = Snapshot.of(stamp.version, table, self._dim, previous=self._snapshot)
        saved = read_arrays(self._lexicon_file, stamp)
        if saved is not None:
            try:
                snap.adopt_lexicon(Lexicon.from_arrays(saved))
                self._lexicon_stamp = stamp
            except ValueError as exc:  # built by an older version: built again on first use
                log.info("saved text index not used: %s", exc)
        self._snapshot, self._file_stamp = snap, stamp
        return snap

    def _save_lexicon(self, snap: Snapshot) -> None:
        """Save the text index a read built over the file's rows, for the next process."""
        stamp = self._file_stamp
        if (
            stamp is None
            or self._lexicon_stamp == stamp
            or snap is not self._snapshot
            or snap.version != stamp.version
            or snap.gone
            or self._store.opened  # the rows may be LanceDB's, in its order, not the file's
            or not snap.text_index_built
        ):
            return
        write_arrays(self._lexicon_file, snap.lexicon().arrays(), stamp)
        self._lexicon_stamp = stamp

    def _save_if_dirty(self) -> None:
        if self._dirty:
            self.save_snapshot()

    def save_snapshot(self) -> None:
        """Bring the snapshot file to the table's current version now (a long-running
        writer may call it when idle; closing does it)."""
        with self._lock:
            self._dirty = False
            self._write_file(self._current())

    def _write_file(self, snap: Snapshot) -> None:
        """Write ``snap`` as the snapshot file, unless the file holds its version already or
        another process has written a newer version meanwhile (it writes its own)."""
        stamp = stamp_of(self._table_dir, snap.version)
        if stamp is None or stamp == self._file_stamp or stamp != table_stamp(self._table_dir):
            return
        if read_snapshot(self._file, stamp) is None:
            live = np.flatnonzero(snap.live)
            rows = snap.rows.take(live) if snap.gone else snap.rows
            vectors = pa.array(snap.matrix[live].ravel())
            column = pa.FixedSizeListArray.from_arrays(vectors, self._dim)
            write_snapshot(self._file, rows.append_column("vector", column), stamp)
            if snap.text_index_built:  # renumbered as the file's rows are
                lexicon = snap.lexicon().kept(snap.live) if snap.gone else snap.lexicon()
                write_arrays(self._lexicon_file, lexicon.arrays(), stamp)
                self._lexicon_stamp = stamp
        self._file_stamp = stamp

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


def _candidate(snap: Snapshot, pos: int, semantic: float, lexical: float) -> Candidate:
    """The row at ``pos`` as a search candidate with these scores."""
    return Candidate(
        id=snap.ids[pos],
        created=float(snap.created[pos]),
        updated=float(snap.updated[pos]),
        importance=float(snap.importance[pos]),
        important=bool(snap.important[pos]),
        vector=snap.matrix[pos],
        semantic=max(semantic, 0.0),
        lexical=lexical,
    )


def _best_text(snap: Snapshot, text: str, limit: int, mask: np.ndarray) -> dict[int, float]:
    """The ``limit`` best BM25 matches among rows in ``mask``, by position, scores
    normalised so the best is 1."""
    if not text.strip() or limit < 1:
        return {}
    scores = snap.lexicon().scores(text)
    scores[~mask] = 0.0
    found = np.flatnonzero(scores > 0)
    if len(found) > limit:
        found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
    if not len(found):
        return {}
    best = float(scores[found].max())
    return {int(p): float(scores[p]) / best for p in found}
