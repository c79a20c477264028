"""The storage boundary: small protocols the memory service depends on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.memory import Memory, MemoryFilter

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Candidate:
    """A memory found by hybrid search, before re-ranking."""

    memory: Memory
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
        """Up to ``limit`` candidates by vector similarity plus up to ``limit`` by full text."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove memories by id (missing ids are ignored)."""
        ...

    def memories(self, where: MemoryFilter) -> list[Memory]:
        """Every indexed memory that passes ``where``, newest first."""
        ...

    def rebuild(self, memories: Sequence[Memory], vectors: Sequence[Vector]) -> None:
        """Replace the whole index with exactly these memories."""
        ...
