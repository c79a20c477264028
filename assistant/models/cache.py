"""An embedding cache in diskcache, shared by every process on the home.

The cache only saves time: when it cannot be opened, read or written (a full disk, a
read-only home, a damaged file) the texts are embedded without it and one warning says why,
translated like every other storage error. The write that matters, the note and the
indexes, then reports a full or read-only home in its own words.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import storage_error
from assistant.models.base import Embedder, Matrix, Vector, query_vector

log = logging.getLogger(__name__)


def cache_errors() -> tuple[type[BaseException], ...]:
    """What a diskcache raises when it cannot open, read or write its files."""
    import diskcache

    return (OSError, sqlite3.Error, diskcache.Timeout)


class Memo:
    """Answers already worked out, in diskcache under keys the caller hashes (no text is
    stored). It only saves time: when it cannot be opened, read or written, ``recall`` finds
    nothing, ``remember`` keeps nothing, and one warning names ``what`` and why."""

    def __init__(self, directory: Path, what: str, size_limit: int = 64 * 2**20) -> None:
        import diskcache

        self.directory = directory
        self._what = what
        self._warned = False
        self._cache: Any = None
        try:
            self._cache = diskcache.Cache(str(directory), size_limit=size_limit)
        except cache_errors() as exc:
            self._warn(exc, "open")

    def recall(self, keys: Sequence[str]) -> list[bytes | None]:
        """The answer kept under each key (None where there is none)."""
        if self._cache is None:
            return [None] * len(keys)
        try:
            return [self._cache.get(key) for key in keys]
        except cache_errors() as exc:
            self._warn(exc, "read")
            return [None] * len(keys)

    def remember(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Keep answers, in one SQLite commit."""
        if self._cache is None or not items:
            return
        try:
            with self._cache.transact():
                for key, value in items:
                    self._cache.set(key, value)
        except cache_errors() as exc:
            self._warn(exc, "write")

    def drop(self, keys: Sequence[str]) -> None:
        """Forget the answers kept under ``keys``."""
        if self._cache is None:
            return
        try:
            with self._cache.transact():
                for key in keys:
                    self._cache.delete(key)
        except cache_errors() as exc:
            self._warn(exc, "write")

    def clear(self) -> None:
        """Forget every answer."""
        if self._cache is None:
            return
        try:
            self._cache.clear()
        except cache_errors() as exc:
            self._warn(exc, "write")

    def close(self) -> None:
        """Close the database handles."""
        if self._cache is not None:
            try:
                self._cache.close()
            except cache_errors() as exc:
                self._warn(exc, "close")

    def _warn(self, exc: BaseException, doing: str) -> None:
        if not self._warned:
            self._warned = True
            error = storage_error(exc, self.directory, doing=doing)
            log.warning("%s is off: %s", self._what, error)


class CachedEmbedder:
    """Wraps an :class:`Embedder`; texts already embedded are read from disk."""

    def __init__(self, inner: Embedder, directory: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.query_name: str = getattr(inner, "query_name", inner.name)
        """Names the query path's vectors (the same as ``name`` when it has none)."""
        self.queries_name: str = getattr(inner, "queries_name", inner.name)
        """Names the vectors of :meth:`embed_queries`."""
        self.dim = inner.dim
        self.directory = directory
        self._memo = Memo(directory, "The embedding cache", size_limit=512 * 2**20)

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed only the texts missing from the cache, then store them."""
        return self._cached(texts, self.name, self.inner.embed)

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        """Many texts by the inner embedder's query model in batches (its ``embed_queries``,
        else ``embed``), cached under :attr:`queries_name`."""
        quick = getattr(self.inner, "embed_queries", None)
        if not callable(quick):
            return self.embed(texts)
        return self._cached(texts, self.queries_name, quick)

    def _cached(
        self, texts: Sequence[str], name: str, embed: Callable[[Sequence[str]], Matrix]
    ) -> Matrix:
        keys = [self._key(t, name) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: list[int] = []
        for i, raw in enumerate(self._memo.recall(keys)):
            if raw is None or len(raw) != self.dim * 4:
                missing.append(i)
            else:
                out[i] = np.frombuffer(raw, dtype=np.float32)
        if missing:
            fresh = embed([texts[i] for i in missing])
            for row, i in enumerate(missing):
                out[i] = fresh[row]
            self._memo.remember([(keys[i], out[i].tobytes()) for i in missing])
        return out

    def embed_query(self, text: str) -> Vector:
        """The vector a search for ``text`` uses (the inner embedder's query path), cached."""
        key = self._key(text, self.query_name)
        raw = self._memo.recall([key])[0]
        if raw is not None and len(raw) == self.dim * 4:
            return np.frombuffer(raw, dtype=np.float32).copy()
        vector = np.asarray(query_vector(self.inner, text), dtype=np.float32)
        self._memo.remember([(key, vector.tobytes())])
        return vector

    def load_query(self) -> None:
        """Load the inner embedder's query path (or the whole model), where it loads lazily."""
        load = getattr(self.inner, "load_query", None) or getattr(self.inner, "load", None)
        if callable(load):
            load()

    def forget(self, texts: Sequence[str]) -> None:
        """Drop the cached embeddings of ``texts`` (a purged memory's, and what was said)."""
        self._memo.drop(
            [key for t in texts for key in (self._key(t), self._key(t, self.query_name))]
        )

    def close(self) -> None:
        """Close the cache's database handles."""
        self._memo.close()

    def _key(self, text: str, name: str = "") -> str:
        return hashlib.sha256(f"{name or self.name}\0{text}".encode()).hexdigest()
