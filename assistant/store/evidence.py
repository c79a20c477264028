"""The evidence index: every user turn, with two vectors, in its own LanceDB table.

Evidence turns are kept apart from the ``memories`` table so that consolidation, the generated pages
and the browser, which work over memories, never meet them. Each row holds the turn's words,
the tail of the message before it, a vector of the turn alone and a vector of the turn read
after that previous message: a question about "it" finds the turn through what "it" was.
Search scans one matrix, the normalised sum of the two (exact cosine: one more matrix-vector
product per search), plus BM25 over the turn and its previous message, in memory, over a
snapshot reloaded when the table's version changes and extended by this process's own
writes. A process that has not written reads the snapshot from the file the last writer
left (:mod:`assistant.store.snapshot_file`), without importing LanceDB, and the text index
from the file saved beside it (building it again takes about 2 s at 100k turns).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from assistant.errors import StoreError
from assistant.memory_types import EvidenceTurn as EvidenceTurn  # re-exported: its old home
from assistant.memory_types import TurnHit as TurnHit
from assistant.store.base import Vector
from assistant.store.lance_table import LanceTable
from assistant.store.lexicon import LUCENE_STOP_WORDS, Lexicon
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

TABLE = "evidence"
_DAY = 86_400.0


def _schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            ("id", pa.string()),
            ("session", pa.string()),
            ("at", pa.float64()),
            ("text", pa.string()),
            ("before", pa.string()),
            ("vector", pa.list_(pa.float32(), dim)),
            ("paired", pa.list_(pa.float32(), dim)),
        ]
    )


@dataclass
class _Snapshot:
    version: int
    turns: list[EvidenceTurn]
    matrix: np.ndarray
    """One unit vector per turn: the turn alone and after its previous message, summed."""
    lexicon: Lexicon


class EvidenceIndex:
    """The ``evidence`` table of a LanceDB directory."""

    def __init__(self, uri: Path, dim: int, *, save_after: float = SAVE_AFTER_S) -> None:
        self._store = LanceTable(uri, TABLE, _schema(dim), what="the evidence index")
        self._dim = dim
        if not self._store.exists:
            self._store.get()
        self.created = self._store.created
        self._snapshot: _Snapshot | None = None
        self._lock = threading.RLock()
        self._table_dir = uri / f"{TABLE}.lance"
        self._file = uri.parent / f"{TABLE}.snapshot.arrow"
        self._lexicon_file = uri.parent / f"{TABLE}.lexicon.npz"
        self._file_stamp: Stamp | None = None
        self._dirty = False
        """This process wrote since it last wrote the file (it does so ``save_after``
        seconds after its latest write, and when it closes)."""
        self._saver = Debounced(self._save_if_dirty, save_after)

    @property
    def _table(self) -> Any:
        return self._store.get()

    @property
    def opened(self) -> bool:
        """Whether this process opened LanceDB (it wrote, or found no current file)."""
        return self._store.opened

    def add(
        self,
        turns: Sequence[EvidenceTurn],
        alone: Sequence[Vector],
        paired: Sequence[Vector],
        *,
        new: bool = False,
    ) -> None:
        """Insert turns (replacing rows with the same id). New turns are appended to the
        snapshot too, when nobody else wrote meanwhile: the next search reloads nothing.

        New turns (``new=True``: the caller knows; or none of them in a current snapshot)
        are a plain append, several times cheaper than the merge a replacement needs."""
        if not turns:
            return
        before = self._snapshot
        known = {t.id for t in before.turns} if before is not None else set()
        repeats = any(t.id in known for t in turns)
        new = new or (
            before is not None and before.version == int(self._table.version) and not repeats
        )
        try:
            self._store.write(self._arrow(turns, alone, paired), new=new)
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"cannot write the evidence index: {exc}") from exc
        with self._lock:
            self._changed()
            version = int(self._table.version)
            if (
                before is None
                or self._snapshot is not before
                or version != before.version + 1
                or repeats
            ):
                return  # the next read reloads
            self._snapshot = _Snapshot(
                version,
                [*before.turns, *turns],
                np.vstack([before.matrix, _fused(alone, paired)]),
                before.lexicon,
            )
            before.lexicon.extend([f"{t.before}\n{t.text}" for t in turns])

    def warm_up(self) -> None:
        """Read the table into memory now, so the first search does not wait for it."""
        self._current()

    def delete(self, ids: Sequence[str]) -> None:
        """Remove turns by id."""
        if ids:
            quoted = ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
            try:
                self._table.delete(f"id IN ({quoted})")
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(f"cannot write the evidence index: {exc}") from exc
            self._changed()

    def rebuild(
        self, turns: Sequence[EvidenceTurn], alone: Sequence[Vector], paired: Sequence[Vector]
    ) -> None:
        """Overwrite the table with exactly these turns."""
        remove_snapshot(self._file)
        remove_snapshot(self._lexicon_file)
        self._store.replace(self._arrow(turns, alone, paired))
        self._snapshot = None
        self._changed()

    def scrub(self) -> None:
        """Rewrite the table so that deleted turns leave its files (after a purge)."""
        remove_snapshot(self._file)  # it holds the purged turns too
        remove_snapshot(self._lexicon_file)  # and their words
        self._store.rewrite()
        self._snapshot = None
        self._changed()

    def close(self) -> None:
        """Leave the snapshot file at the table's version when this process wrote."""
        self._saver.cancel()
        self._save_if_dirty()

    def _changed(self) -> None:
        self._dirty = True
        self._saver.poke()

    def _save_if_dirty(self) -> None:
        with self._lock:
            if self._dirty:
                self._dirty = False
                self._write_file(self._current())

    def get(self, turn_id: str) -> EvidenceTurn | None:
        """A turn by id (or by a unique start of its id), None when unknown."""
        found = [t for t in self._current().turns if t.id.startswith(turn_id)]
        return found[0] if len(found) == 1 else None

    def sessions(self) -> dict[str, dict[str, EvidenceTurn]]:
        """Every indexed turn, by session and id."""
        found: dict[str, dict[str, EvidenceTurn]] = {}
        for turn in self._current().turns:
            found.setdefault(turn.session, {})[turn.id] = turn
        return found

    def count(self) -> int:
        """Number of turns indexed."""
        if not self._store.opened:
            return len(self._current().turns)
        return int(self._table.count_rows())

    def search(
        self,
        vector: Vector,
        text: str,
        k: int,
        *,
        semantic_share: float,
        floor: float,
        recency: float = 0.0,
        half_life_days: float = 30.0,
        now: float = 0.0,
    ) -> list[TurnHit]:
        """The ``k`` most relevant turns: cosine to the turn (read alone and after its
        previous message), blended with BM25 (normalised to the best) by ``semantic_share``;
        turns under ``floor`` are dropped. With ``recency`` (0-1, for a question about time)
        that share of the ranking goes to how recently, before ``now`` (epoch seconds), the
        turn was said, halving every ``half_life_days``."""
        snap = self._current()
        if not snap.turns or k < 1:
            return []
        query = np.asarray(vector, dtype=np.float32)
        semantic = (snap.matrix @ query).clip(0.0, None)
        size = len(snap.turns)  # the lexicon may already hold turns appended since
        lexical = snap.lexicon.scores(text)[:size] if text.strip() else np.zeros(size)
        best = float(lexical.max(initial=0.0))
        if best > 0:
            lexical = lexical / best
        relevance = semantic_share * semantic + (1 - semantic_share) * lexical
        rank = relevance
        if recency > 0:
            said = np.fromiter((t.at for t in snap.turns), dtype=np.float64, count=size)
            fresh = 0.5 ** (np.clip(now - said, 0.0, None) / (_DAY * half_life_days))
            best_relevance = float(relevance.max())
            rank = (1 - recency) * relevance + recency * best_relevance * fresh
            rank = np.where(relevance >= floor, rank, -1.0)
        take = min(k, len(snap.turns))
        top = np.argpartition(-rank, take - 1)[:take]
        top = top[np.argsort(-rank[top])]
        return [TurnHit(snap.turns[p], float(relevance[p])) for p in top if relevance[p] >= floor]

    def _current(self) -> _Snapshot:
        with self._lock:
            if not self._store.opened:  # a process that has not written reads the file
                found = self._from_file()
                if found is not None:
                    return found
            try:
                version = int(self._table.version)
                if self._snapshot is None or self._snapshot.version != version:
                    self._snapshot = self._load(version, self._table.to_arrow())
                    self._write_file(self._snapshot)  # when missing, stale or corrupt
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(f"cannot read the evidence index: {exc}") from exc
            return self._snapshot

    def _from_file(self) -> _Snapshot | None:
        """The snapshot from the file when it holds the table's newest version, else None."""
        stamp = table_stamp(self._table_dir)
        if stamp is None:
            return None
        if self._snapshot is not None and self._file_stamp == stamp:
            return self._snapshot
        data = read_snapshot(self._file, stamp)
        if data is None:
            return None
        lexicon = None
        saved = read_arrays(self._lexicon_file, stamp)
        if saved is not None:
            try:
                lexicon = Lexicon.from_arrays(saved, LUCENE_STOP_WORDS)
            except ValueError as exc:  # built by an older version: built again
                log.info("saved text index of the turns not used: %s", exc)
        self._snapshot = self._load(stamp.version, data, lexicon)
        self._file_stamp = stamp
        if self._snapshot.lexicon is not lexicon:  # built here: saved for the next process
            write_arrays(self._lexicon_file, self._snapshot.lexicon.arrays(), stamp)
        return self._snapshot

    def _write_file(self, snap: _Snapshot) -> None:
        """Save ``snap`` (turns and fused vectors) unless the file holds its version already
        or the table has moved on (the process that moved it writes its own)."""
        stamp = stamp_of(self._table_dir, snap.version)
        if stamp is None or stamp == self._file_stamp or stamp != table_stamp(self._table_dir):
            return
        if read_snapshot(self._file, stamp) is None:
            fused = pa.FixedSizeListArray.from_arrays(pa.array(snap.matrix.ravel()), self._dim)
            columns = {
                "id": [t.id for t in snap.turns],
                "session": [t.session for t in snap.turns],
                "at": pa.array([t.at for t in snap.turns], pa.float64()),
                "text": [t.text for t in snap.turns],
                "before": [t.before for t in snap.turns],
                "fused": fused,
            }
            write_snapshot(self._file, pa.table(columns), stamp)
            write_arrays(self._lexicon_file, snap.lexicon.arrays(), stamp)
        self._file_stamp = stamp

    def _load(self, version: int, data: pa.Table, lexicon: Lexicon | None = None) -> _Snapshot:
        """The snapshot of ``data``, with its text index built unless a saved one for exactly
        these rows is given."""
        turns = [
            EvidenceTurn(i, s, float(a), t, b or "")
            for i, s, a, t, b in zip(
                data["id"].to_pylist(),
                data["session"].to_pylist(),
                data["at"].to_pylist(),
                data["text"].to_pylist(),
                data["before"].to_pylist(),
                strict=True,
            )
        ]
        if lexicon is None or len(lexicon) != len(turns):
            lexicon = Lexicon(LUCENE_STOP_WORDS)  # a turn is read with the one before it
            lexicon.extend([f"{t.before}\n{t.text}" for t in turns])
        if "fused" in data.column_names:  # from the snapshot file
            return _Snapshot(version, turns, self._matrix(data["fused"]), lexicon)
        fused = _fused(self._matrix(data["vector"]), self._matrix(data["paired"]))
        return _Snapshot(version, turns, fused, lexicon)

    def _matrix(self, column: Any) -> np.ndarray:
        if not len(column):
            return np.zeros((0, self._dim), dtype=np.float32)
        rows = column.combine_chunks()  # the child values: flatten() imports pyarrow.compute
        flat = rows.values.slice(rows.offset * self._dim, len(rows) * self._dim)
        flat = flat.to_numpy(zero_copy_only=False)
        return np.asarray(flat, dtype=np.float32).reshape(-1, self._dim)

    def _arrow(
        self, turns: Sequence[EvidenceTurn], alone: Sequence[Vector], paired: Sequence[Vector]
    ) -> pa.Table:
        if not len(turns) == len(alone) == len(paired):
            raise ValueError("two vectors per turn")
        if not turns:
            return _schema(self._dim).empty_table()

        def vectors(rows: Sequence[Vector]) -> pa.Array:
            matrix = np.asarray(rows, dtype=np.float32).reshape(-1, self._dim)
            return pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), self._dim)

        columns: dict[str, Any] = {
            "id": [t.id for t in turns],
            "session": [t.session for t in turns],
            "at": [t.at for t in turns],
            "text": [t.text for t in turns],
            "before": [t.before for t in turns],
            "vector": vectors(alone),
            "paired": vectors(paired),
        }
        return pa.table(columns, schema=_schema(self._dim))


def _fused(
    alone: Sequence[Vector] | np.ndarray, paired: Sequence[Vector] | np.ndarray
) -> np.ndarray:
    """Unit vectors of the sums of each pair of unit vectors: the cosine to one is about the
    mean of the cosines to both, so one matrix product scores a turn both ways."""
    total = np.asarray(alone, dtype=np.float32) + np.asarray(paired, dtype=np.float32)
    norms = np.linalg.norm(total, axis=1, keepdims=True) if total.size else total[:, :1]
    return np.asarray(total / np.maximum(norms, 1e-12), dtype=np.float32)
