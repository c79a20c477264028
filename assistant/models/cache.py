"""An embedding cache in diskcache, shared by every process on the home."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.models.base import Embedder, Matrix


class CachedEmbedder:
    """Wraps an :class:`Embedder`; texts already embedded are read from disk."""

    def __init__(self, inner: Embedder, directory: Path) -> None:
        import diskcache

        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: Any = diskcache.Cache(str(directory), size_limit=512 * 2**20)

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed only the texts missing from the cache, then store them."""
        keys = [self._key(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: list[int] = []
        for i, key in enumerate(keys):
            raw = self._cache.get(key)
            if raw is None:
                missing.append(i)
            else:
                out[i] = np.frombuffer(raw, dtype=np.float32)
        if missing:
            fresh = self.inner.embed([texts[i] for i in missing])
            with self._cache.transact():  # one SQLite commit for the whole batch
                for row, i in enumerate(missing):
                    out[i] = fresh[row]
                    self._cache.set(keys[i], fresh[row].tobytes())
        return out

    def close(self) -> None:
        """Close the cache's database handles."""
        self._cache.close()

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0{text}".encode()).hexdigest()
