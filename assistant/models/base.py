"""The model boundary: what the core needs from an embedding model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


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
