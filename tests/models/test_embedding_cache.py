"""The embedding cache only saves time: when it cannot be used, texts are embedded without it."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.models.cache import CachedEmbedder
from assistant.models.fakes import HashEmbedder


def test_cached_vectors_are_the_embedders(tmp_path: Path) -> None:
    inner = HashEmbedder()
    cache = CachedEmbedder(inner, tmp_path / "embeddings")
    first = cache.embed(["tea with Anna", "a walk"])
    again = cache.embed(["a walk", "tea with Anna"])
    cache.close()
    assert np.array_equal(first, inner.embed(["tea with Anna", "a walk"]))
    assert np.array_equal(again, first[::-1])


@pytest.mark.parametrize("damage", ["a file where its folder goes", "not a database"])
def test_a_cache_that_cannot_be_used_is_skipped_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    folder = tmp_path / "embeddings"
    if damage == "not a database":
        folder.mkdir()
        (folder / "cache.db").write_bytes(b"\x00garbage" * 1000)
    else:
        folder.write_text("in the way")
    inner = HashEmbedder()
    with caplog.at_level(logging.WARNING, logger="assistant.models.cache"):
        cache = CachedEmbedder(inner, folder)
        vectors = cache.embed(["tea with Anna"])
        vectors = cache.embed(["tea with Anna"])
        cache.close()
    assert np.array_equal(vectors, inner.embed(["tea with Anna"]))
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and str(folder) in warnings[0], warnings
    assert warnings[0].startswith("The embedding cache is off: ")
