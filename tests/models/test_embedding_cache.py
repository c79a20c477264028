"""The embedding cache only saves time: when it cannot be used, texts are embedded without it."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.models.cache import CachedEmbedder
from assistant.models.fakes import HashEmbedder
from assistant.models.minilm import MiniLMEmbedder


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


def test_many_queries_are_embedded_by_the_query_model_and_kept_apart(
    tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    texts = ["My sister Anna lives in Lyon.", "hello", "a walk by the river on sundays"]
    cache = CachedEmbedder(minilm, tmp_path / "embeddings")
    quick = cache.embed_queries(texts)
    full = cache.embed(texts)
    assert np.allclose(cache.embed_queries(texts[::-1]), quick[::-1])
    one_by_one = np.stack([cache.embed_query(t) for t in texts])
    assert np.allclose(np.linalg.norm(quick, axis=1), 1.0, atol=1e-5)
    assert (quick * full).sum(axis=1).min() >= 0.97 and not np.allclose(quick, full)
    # a batch is quantized as a whole: its vectors are kept apart from single queries'
    assert (quick * one_by_one).sum(axis=1).min() >= 0.95 and not np.allclose(quick, one_by_one)
    assert np.allclose(one_by_one, np.stack([minilm.embed_query(t) for t in texts]), atol=1e-6)
    cache.close()


def test_an_embedder_without_a_query_model_embeds_queries_as_texts(tmp_path: Path) -> None:
    inner = HashEmbedder()
    cache = CachedEmbedder(inner, tmp_path / "embeddings")
    assert np.array_equal(cache.embed_queries(["a walk"]), inner.embed(["a walk"]))
    cache.close()
