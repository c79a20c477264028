"""The model boundary: what the core needs from an embedding model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float32]
"""One embedding."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors.

    Usage::

        vectors = embedder.embed(["My sister Anna lives in Lyon."])
        assert vectors.shape == (1, embedder.dim)
    """

    name: str
    """Identifies the model and its version; part of every embedding-cache key."""
    dim: int
    """Length of each vector."""

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised float32 row per text, in order."""
        ...


def query_vector(embedder: Embedder, text: str) -> Vector:
    """The vector a search for ``text`` compares with the stored ones: from the embedder's
    quicker query path where it has one (``embed_query``), else as any text is embedded."""
    embed_query = getattr(embedder, "embed_query", None)
    if callable(embed_query):
        vector: Vector = embed_query(text)
        return vector
    first: Vector = embedder.embed([text])[0]
    return first
