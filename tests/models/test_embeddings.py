"""Embeddings: the ONNX MiniLM matches sentence-transformers; the cache and fake behave."""

from pathlib import Path

import numpy as np
import pytest

from assistant.models.cache import CachedEmbedder
from assistant.models.fakes import HashEmbedder
from assistant.models.minilm import DIM, MiniLMEmbedder, model_source

TEXTS = [
    "My sister Anna lives in Lyon.",
    "hello",
    "Je m'appelle Pierre et j'habite à Montréal.",
    "🙂 emoji and ünïcødé",
    "The quick brown fox jumps over the lazy dog. " * 60,  # longer than 256 tokens
    "",
]


@pytest.mark.slow
def test_onnx_matches_sentence_transformers(minilm: MiniLMEmbedder) -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_source()), device="cpu", local_files_only=True)
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    actual = minilm.embed(TEXTS)
    assert actual.shape == (len(TEXTS), DIM) and actual.dtype == np.float32
    cosines = (expected * actual).sum(axis=1)
    assert cosines.min() >= 0.99, cosines


def test_vectors_are_unit_length_and_order_is_kept(minilm: MiniLMEmbedder) -> None:
    vectors = minilm.embed(TEXTS[:4])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    single = np.stack([minilm.embed([t])[0] for t in TEXTS[:4]])
    assert np.allclose(vectors, single, atol=1e-5)


def test_export_from_bundled_package(tmp_path: Path) -> None:
    fresh = MiniLMEmbedder(tmp_path / "cache")
    vector = fresh.embed(["exported just now"])
    assert (tmp_path / "cache").rglob("model.onnx") and vector.shape == (1, DIM)


def test_cache_returns_identical_vectors_without_recomputing(tmp_path: Path) -> None:
    calls: list[int] = []

    class Counting(HashEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().embed(texts)

    cached = CachedEmbedder(Counting(), tmp_path / "c")
    first = cached.embed(["a b", "c d"])
    second = cached.embed(["c d", "a b", "e f"])
    cached.close()
    assert calls == [2, 1]
    assert np.array_equal(first[0], second[1]) and np.array_equal(first[1], second[0])


def test_hash_embedder_is_deterministic() -> None:
    a, b = HashEmbedder(), HashEmbedder()
    assert np.array_equal(a.embed(["same words"]), b.embed(["same words"]))
    v = a.embed(["anna lyon", "anna paris", "zzz"])
    assert v[0] @ v[1] > v[0] @ v[2]
