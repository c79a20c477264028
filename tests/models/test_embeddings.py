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


def test_export_from_bundled_package(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    fresh = MiniLMEmbedder(tmp_path / "cache")
    vector = fresh.embed(["exported just now"])
    assert any((tmp_path / "cache").rglob("model.onnx")) and vector.shape == (1, DIM)
    # One line says what is happening; no library's progress bar reaches the terminal.
    assert "%|" not in capfd.readouterr().err


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


QUERIES = [
    "where does my sister live?",
    "what's the name of Tom's dog",
    "dentist appointment next week",
    "did I tell you about the plumber",
    "allergies",
    "🙂 emoji and ünïcødé",
    "",
]


def test_the_query_model_is_quicker_and_agrees_with_the_full_one(tmp_path: Path) -> None:
    """Queries are embedded by the 8-bit model made from the export (once, into the model
    cache): each vector is within a small angle of the full model's and ranks stored texts
    the same way."""
    full = MiniLMEmbedder(tmp_path / "cache")
    stored = full.embed(TEXTS[:4] + ["Anna's flat in Lyon has a balcony", "Tom's dog is Rex"])
    assert not any((tmp_path / "cache").rglob("model-int8-*.onnx"))
    quick = np.stack([full.embed_query(q) for q in QUERIES])
    assert list((tmp_path / "cache").rglob("model-int8-*.onnx"))
    exact = full.embed(QUERIES)
    assert quick.shape == exact.shape and quick.dtype == np.float32
    assert np.allclose(np.linalg.norm(quick, axis=1), 1.0, atol=1e-5)
    cosines = (quick * exact).sum(axis=1)
    assert cosines.min() >= 0.93 and cosines.mean() >= 0.98, cosines
    assert np.array_equal((quick @ stored.T).argmax(axis=1), (exact @ stored.T).argmax(axis=1))
    assert full.query_name != full.name
    later = MiniLMEmbedder(tmp_path / "cache")  # a later process: the query model alone loads
    assert np.allclose(later.embed_query(QUERIES[0]), quick[0], atol=1e-6)
    assert later._session is None


def test_queries_can_use_the_full_model(minilm: MiniLMEmbedder) -> None:
    """With the query model off, a query's vector is the full model's, under the same name
    in the cache."""
    plain = MiniLMEmbedder(minilm._cache, quantized_queries=False)  # a new process
    assert plain.query_name == plain.name
    assert np.allclose(
        plain.embed_query("where does Anna live"),
        minilm.embed(["where does Anna live"])[0],
        atol=1e-5,
    )


def test_the_cache_keeps_query_vectors_apart(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    """A query's vector is cached under the query model's name: a stored text's vector is
    never answered for a query of the same words, or the other way round; forgetting a text
    drops both."""
    cached = CachedEmbedder(minilm, tmp_path / "c")
    try:
        as_text = cached.embed(["My sister Anna lives in Lyon."])[0]
        as_query = cached.embed_query("My sister Anna lives in Lyon.")
        assert not np.array_equal(as_text, as_query)
        assert np.array_equal(cached.embed_query("My sister Anna lives in Lyon."), as_query)
        cached.forget(["My sister Anna lives in Lyon."])
        keys = [cached._key("My sister Anna lives in Lyon.", name) for name in (minilm.name, "")]
        keys.append(cached._key("My sister Anna lives in Lyon.", cached.query_name))
        assert cached._memo.recall(keys) == [None, None, None]
    finally:
        cached.close()
