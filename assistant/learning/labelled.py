"""Small learned text classifiers over the MiniLM embedding, trained on a shipped TSV.

Each classifier reads ``label<TAB>text`` rows from a file in ``assistant/data/``, adds a few
surface features (rules kept as high-precision features, not as the decision), and fits a
softmax regression (optionally with every label weighing the same). Weights are trained on
first use, cached next to the embedding model (named by a digest of the data, the labels, the
embedder and the code that computes the features) and kept in memory.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from assistant.code_version import code_version
from assistant.learning.classifier import Array, fit, keep_weights, softmax
from assistant.models.base import Embedder

Features = Callable[[str], Sequence[float]]
"""Surface features of one text, each in 0..1."""

_TRAINED: dict[str, Array] = {}
_LOCK = threading.Lock()


def load_rows(name: str) -> list[tuple[str, str]]:
    """``(label, text)`` rows of a shipped TSV; lines starting with ``#`` are comments."""
    raw = resources.files("assistant.data").joinpath(name).read_text("utf-8")
    rows: list[tuple[str, str]] = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if label and text.strip():
            rows.append((label.strip(), text.strip()))
    return rows


class LabelledClassifier:
    """Probabilities of ``labels`` for texts.

    Usage::

        acts = LabelledClassifier(embedder, "acts.tsv", ("other", "correction"), cues)
        acts.probabilities(["typo, I meant Thomas"])[0]   # {"other": 0.1, "correction": 0.9}
    """

    def __init__(
        self,
        embedder: Embedder,
        data: str,
        labels: Sequence[str],
        features: Features,
        weights_dir: Path | None = None,
        balanced: bool = False,
        fitting: tuple[int, float] = (800, 1e-3),
    ) -> None:
        self.labels = tuple(labels)
        self._balanced = balanced
        self._fitting = fitting
        """Epochs and L2 penalty of the softmax regression."""
        self._embedder = embedder
        self._features = features
        self._weights_dir = weights_dir
        self._rows = [(label, text) for label, text in load_rows(data) if label in self.labels]
        digest = "\n".join(f"{label}\t{text}" for label, text in self._rows)
        key = f"{digest}|{'|'.join(self.labels)}|{embedder.name}" + ("|balanced" * balanced)
        key += f"|{len(list(features('')))} features"  # weights of another width never load
        key += "" if fitting == (800, 1e-3) else f"|fitting {fitting}"
        key += f"|code {code_version()}"  # the features are computed by this code
        self._stem = data.rsplit(".", 1)[0]
        self.namespace = hashlib.sha256(key.encode()).hexdigest()[:16]

    def probabilities(
        self, texts: Sequence[str], vectors: Sequence[Sequence[float]] | Array | None = None
    ) -> list[dict[str, float]]:
        """For each text, the probability of each label; the texts are embedded in one batch,
        unless their embeddings are passed in ``vectors`` (one row per text)."""
        if not texts:
            return []
        probs = softmax(self.matrix(texts, vectors) @ self.weights().T)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in probs]

    def matrix(
        self, texts: Sequence[str], vectors: Sequence[Sequence[float]] | Array | None = None
    ) -> Array:
        """The classifier's input rows: each text's embedding (computed unless given), its
        surface features and an intercept."""
        if vectors is None:
            vectors = self._embedder.embed(list(texts))
        extra = np.array([list(self._features(t)) + [1.0] for t in texts], dtype=np.float32)
        return np.concatenate([np.asarray(vectors, dtype=np.float32), extra], axis=1)

    def weights(self) -> Array:
        """The trained weights, from memory, the cache file, or trained now."""
        with _LOCK:
            found = _TRAINED.get(self.namespace)
            if found is None:
                found = self._load_or_train()
                _TRAINED[self.namespace] = found
            return found

    def _load_or_train(self) -> Array:
        name = f"{self._stem}-{self.namespace}.npy"
        cached = self._weights_dir / name if self._weights_dir else None
        if cached is not None and cached.is_file():
            try:
                loaded: Array = np.load(cached).astype(np.float32)
                return loaded
            except (OSError, ValueError, EOFError):
                pass  # half written by another process: trained again
        x = self.matrix([text for _, text in self._rows])
        y = np.array([self.labels.index(label) for label, _ in self._rows])
        if self._balanced:
            x, y = _balance(x, y, len(self.labels))
        epochs, l2 = self._fitting
        weights = fit(x, y.tolist(), len(self.labels), epochs=epochs, l2=l2)
        if cached is not None:
            keep_weights(cached, lambda tmp: np.save(tmp, weights))
        return weights


def hashed_words(text: str, dim: int) -> Array:
    """The words and word pairs of ``text`` hashed into ``dim`` buckets, unit length: what a
    sentence says in so many words, beside its embedding."""
    words = _WORD.findall(text.lower())
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    out = np.zeros(dim, dtype=np.float32)
    buckets = sorted({zlib.crc32(gram.encode()) % dim for gram in grams})
    if buckets:
        out[buckets] = 1.0 / np.sqrt(len(buckets))
    return out


_WORD = re.compile(r"[a-z0-9']+")


def _balance(x: Array, y: np.ndarray, labels: int) -> tuple[Array, np.ndarray]:
    """The rows with each label's repeated up to the commonest label's count, so that every
    label weighs the same in training."""
    counts = np.bincount(y, minlength=labels)
    rows = np.concatenate(
        [np.resize(np.flatnonzero(y == n), int(counts.max())) for n in range(labels) if counts[n]]
    )
    return x[rows], y[rows]
