"""The storage boundary: small protocols the memory service depends on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.memory_types import ListOrder, Memory, MemoryFilter

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Candidate:
    """A memory found by hybrid search, before re-ranking: just what ranking needs."""

    id: str
    created: float
    """Creation time, seconds since the epoch."""
    updated: float
    """When the memory was last written (its importance was set then)."""
    importance: float
    important: bool
    vector: Vector
    semantic: float
    """Cosine similarity to the query, clipped to [0, 1]."""
    lexical: float
    """Full-text score normalised to [0, 1] (0 when the text search did not match)."""


class VectorIndex(Protocol):
    """Vectors and text of every memory, searchable by meaning and by words.

    Usage::

        index.add([memory], [vector])
        candidates = index.search(query_vector, "anna lyon", limit=50, where=MemoryFilter())
        memories = index.get_many([c.id for c in candidates[:5]])
        index.delete([memory.id])
    """

    def add(
        self, memories: Sequence[Memory], vectors: Sequence[Vector], *, new: bool = False
    ) -> None:
        """Insert memories (replacing any with the same id) with their embeddings.

        ``new=True`` promises that none of the ids is indexed yet, which lets an
        implementation append instead of merging.
        """
        ...

    def search(
        self, vector: Vector, text: str, *, limit: int, where: MemoryFilter
    ) -> list[Candidate]:
        """The ``limit`` nearest memories to ``vector`` plus the best full-text matches for
        ``text``, all passing ``where``, each with its semantic and lexical score."""
        ...

    def containing(
        self, vector: Vector, needles: Sequence[str], *, where: MemoryFilter, limit: int
    ) -> list[Candidate]:
        """Up to ``limit`` memories passing ``where`` whose text holds one of ``needles``,
        each with its semantic score against ``vector``."""
        ...

    def get_many(self, ids: Sequence[str]) -> list[Memory]:
        """Indexed memories by id, in the given order (unknown ids are skipped)."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove memories by id (missing ids are ignored)."""
        ...

    def memories(
        self,
        where: MemoryFilter,
        limit: int | None = None,
        *,
        order: ListOrder = ListOrder.RECENT,
        counts: Mapping[str, int] | None = None,
    ) -> list[Memory]:
        """Indexed memories that pass ``where`` (the first ``limit``), newest first, or the
        most important, or the most used by ``counts`` (id → retrievals)."""
        ...

    def rebuild(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> None:
        """Replace the whole index with exactly these memories."""
        ...

    def with_text(self, *texts: str) -> list[str]:
        """Ids of the indexed memories whose text is exactly one of ``texts``."""
        ...

    def ids(self, where: MemoryFilter | None = None) -> list[str]:
        """Every indexed id, or those passing ``where``."""
        ...

    def vectors_of(self, ids: Sequence[str]) -> np.ndarray:
        """The stored unit vectors of ``ids``, one row each (zeros for an unknown id)."""
        ...

    def compact(self) -> None:
        """Merge small fragments and drop old versions."""
        ...

    def count(self) -> int:
        """Number of indexed memories."""
        ...
