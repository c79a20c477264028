"""Learned clause classifiers: keep or not, memory type and importance, without a chat model.

Softmax regressions over a clause's MiniLM embedding plus a few surface features, trained on
the labelled clauses shipped in ``assistant/data/clauses.tsv`` (the router's approach). Trained
weights are cached next to the embedding model, named by a digest of the data and embedder,
and kept in memory for the process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.code_version import code_version
from assistant.learning.context import UNDECIDED
from assistant.memory_types import MemoryType
from assistant.models.base import Embedder

Array = npt.NDArray[np.float32]
TYPES = tuple(t.value for t in MemoryType)
BANDS = (3.0, 5.0, 7.0, 9.0)
"""Importance bands a kept clause is classified into."""
KEEP_THRESHOLD = 0.55
FEATURES = 11
"""Surface features added to the embedding (part of the cached weights' name)."""
HEADS = ("keep", "type", "importance", "examples", "labels")
"""What the cached weights hold: three heads, and the labelled clauses' unit vectors and
keep labels for the neighbour vote."""
NEIGHBOURS = 7
NEIGHBOUR_TEMPERATURE = 0.05
NEIGHBOUR_SHARE = 0.35
"""How much of the keep probability is the nearest labelled clauses' vote."""


@dataclass(frozen=True)
class Example:
    """One labelled clause."""

    keep: bool
    type: str
    importance: float
    text: str


@dataclass(frozen=True)
class Verdict:
    """What the classifiers say about one clause."""

    keep: float
    """Probability that a careful listener would keep the clause as a memory."""
    type: MemoryType
    importance: float


def load_examples(path: Path | None = None) -> list[Example]:
    """Labelled clauses from a TSV file ``keep, type, importance, clause`` (default: the
    shipped set)."""
    if path is None:
        raw = resources.files("assistant.data").joinpath("clauses.tsv").read_text("utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    out: list[Example] = []
    for line in raw.splitlines():
        fields = line.split("\t")
        if len(fields) != 4 or fields[0] not in ("0", "1") or not fields[3].strip():
            continue
        keep = fields[0] == "1"
        kind = fields[1] if fields[1] in TYPES else "semantic"
        try:
            importance = float(fields[2]) if keep else 0.0
        except ValueError:
            continue
        out.append(Example(keep, kind, importance, fields[3].strip()))
    return out


def band(importance: float) -> int:
    """Index of the importance band nearest ``importance``."""
    return int(np.argmin([abs(importance - b) for b in BANDS]))


_FIRST_PERSON = re.compile(r"\b(?:my|i|me|i'm|im|i've|mine|we|our|us)\b", re.IGNORECASE)
_HYPOTHETICAL = re.compile(
    r"^(?:if|what if|imagine|suppose|would|could|should|maybe|let's say|pretend|"
    r"hypothetically|can you|could you|can u|tell me|write|help me|for example|assume|as an "
    r"example|in another life)\b|\b(?:i wish|if only|i'd love)\b",
    re.IGNORECASE,
)
_LASTING = re.compile(
    r"\b(?:always|never|from now on|every time|whenever|by default|default to|in future|"
    r"don'?t ever|each time|not \w+)\b",
    re.IGNORECASE,
)
_JOKING = re.compile(
    r"\b(?:jk|just kidding|lmao|obviously|clearly|kidding|joking)\b|💀|😂|🙃",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:rn|right now|tonight|at the moment|just now|currently)\b", re.I)
_VENTING = re.compile(
    r"\b(?:killing|destroying|eating) me\b|\b(?:no|zero) (?:idea|clue)\b|\b(?:so|totally) done\b"
    r"|\b(?:literally|basically) (?:dying|dead|starving|on fire)\b|\bdrowning in\b"
    r"|\b(?:the worst|a nightmare|hell|insane|unbearable|brutal)\b|\bout of my mind\b"
    r"|\b(?:going|driving me) (?:insane|crazy|nuts)\b|\bfried\b",
    re.IGNORECASE,
)
"""Venting and hyperbole ("exams are killing me"): how a moment feels, seldom a fact."""
_HEARSAY = re.compile(
    r"\b(?:says|said|thinks|reckons|swears|claims|told me|heard|read somewhere|apparently|"
    r"according to)\b|\bi always (?:say|guess|think|mix|get|forget)\b|\bi (?:keep|never) "
    r"(?:forgetting|remember|mixing)\b",
    re.IGNORECASE,
)
"""What others say, and the user's usual slips on a question ("i always say sydney")."""


def features(vector: Array, text: str) -> Array:
    """A clause's embedding plus surface features the embedding blurs."""
    words = len(text.split())
    extra = np.array(
        [
            1.0,
            1.0 if _FIRST_PERSON.search(text) else 0.0,
            1.0 if text.rstrip().endswith("?") else 0.0,
            1.0 if _HYPOTHETICAL.search(text) else 0.0,
            1.0 if _LASTING.search(text) else 0.0,
            1.0 if _JOKING.search(text) else 0.0,
            1.0 if _NOW.search(text) else 0.0,
            1.0 if _VENTING.search(text) else 0.0,
            1.0 if _HEARSAY.search(text) else 0.0,
            1.0 if UNDECIDED.search(text) else 0.0,
            min(words, 30) / 30.0,
        ],
        dtype=np.float32,
    )
    return np.concatenate([vector.astype(np.float32), extra])


_blas_lock = threading.Lock()
_blas_training = 0
_blas_restore: Callable[[], None] | None = None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Numpy's BLAS on one thread while a classifier trains. Gradient descent is hundreds of
    small matrix products, which BLAS threads slow down as soon as anything else wants the
    cores: two processes training at once (a chat starting while ``assistant serve`` trains,
    after an upgrade) took eight times as long on two cores, and a reply embedding its
    message beside a training thread waited for it. The limit holds while any thread trains
    and is lifted when the last one is done."""
    global _blas_training, _blas_restore
    from threadpoolctl import threadpool_limits

    with _blas_lock:
        if _blas_training == 0:
            _blas_restore = threadpool_limits(limits=1, user_api="blas").restore_original_limits
        _blas_training += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_training -= 1
            if _blas_training == 0 and _blas_restore is not None:
                _blas_restore()
                _blas_restore = None


@one_blas_thread()
def fit(
    x: Array,
    labels: Sequence[int],
    classes: int,
    epochs: int = 800,
    l2: float = 1e-3,
    rate: float = 2.0,
) -> Array:
    """Softmax regression by gradient descent: a (classes × features) weight matrix."""
    y = np.zeros((len(labels), classes), dtype=np.float32)
    y[np.arange(len(labels)), np.asarray(labels)] = 1.0
    w = np.zeros((classes, x.shape[1]), dtype=np.float32)
    for _ in range(epochs):
        logits = x @ w.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        w -= rate * ((p - y).T @ x / len(x) + l2 * w)
    return w.astype(np.float32)


def softmax(logits: Array) -> Array:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    out: Array = shifted / shifted.sum(axis=-1, keepdims=True)
    return out


def train(x: Array, examples: Sequence[Example]) -> dict[str, Array]:
    """The three heads trained on feature rows ``x`` of ``examples``."""
    kept = [i for i, e in enumerate(examples) if e.keep]
    return {
        "keep": fit(x, [int(e.keep) for e in examples], 2, epochs=3000, l2=1e-5, rate=4.0),
        "type": fit(x[kept], [TYPES.index(examples[i].type) for i in kept], len(TYPES)),
        "importance": fit(x[kept], [band(examples[i].importance) for i in kept], len(BANDS)),
    }


def neighbours(weights: dict[str, Array], vectors: Array) -> Array:
    """For each vector, the keep labels of its nearest labelled clauses, weighted by how near
    they are: a clause written almost as one labelled is judged as that one was."""
    examples, labels = weights["examples"], weights["labels"]
    sims = _unit(vectors) @ examples.T
    k = min(NEIGHBOURS, sims.shape[1])
    nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(sims, nearest, axis=1)
    weight = np.exp((near - near.max(axis=1, keepdims=True)) / NEIGHBOUR_TEMPERATURE)
    voted: Array = (weight * labels[nearest]).sum(axis=1) / weight.sum(axis=1)
    return voted.astype(np.float32)


def _unit(vectors: Array) -> Array:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Array = (vectors / np.maximum(norms, 1e-9)).astype(np.float32)
    return unit


def predict(weights: dict[str, Array], x: Array, vectors: Array | None = None) -> list[Verdict]:
    """Verdicts for feature rows ``x``; with the clauses' ``vectors``, the keep head is
    averaged with the vote of the nearest labelled clauses."""
    keep = softmax(x @ weights["keep"].T)[:, 1]
    if vectors is not None and "examples" in weights:
        keep = (1.0 - NEIGHBOUR_SHARE) * keep + NEIGHBOUR_SHARE * neighbours(weights, vectors)
    kinds = np.argmax(x @ weights["type"].T, axis=1)
    bands = np.argmax(x @ weights["importance"].T, axis=1)
    return [
        Verdict(float(k), MemoryType(TYPES[int(t)]), BANDS[int(b)])
        for k, t, b in zip(keep, kinds, bands, strict=True)
    ]


_TRAINED: dict[str, dict[str, Array]] = {}
_TRAINED_LOCK = threading.Lock()


class ClauseClassifier:
    """Classifies clauses; trains itself lazily (once per embedder and data) on first use.

    Usage::

        classifier = ClauseClassifier(embedder, weights_dir=settings.model_cache)
        verdict = classifier.classify(["I'm a nurse."])[0]
        verdict.keep > 0.5, verdict.type, verdict.importance
    """

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self._embedder = embedder
        self._weights_dir = weights_dir
        self._examples = load_examples()
        digest = "\n".join(f"{e.keep}\t{e.type}\t{e.importance}\t{e.text}" for e in self._examples)
        key = f"{digest}|{self._embedder.name}|features {FEATURES}|{HEADS}|code {code_version()}"
        self.namespace = hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def embedder(self) -> Embedder:
        """What the clauses are embedded with."""
        return self._embedder

    @property
    def weights_dir(self) -> Path | None:
        """Where trained weights are cached."""
        return self._weights_dir

    def classify(self, texts: Sequence[str]) -> list[Verdict]:
        """A verdict per clause; the clauses are embedded in one batch."""
        if not texts:
            return []
        vectors = self._embedder.embed(list(texts))
        x = np.stack([features(v, t) for v, t in zip(vectors, texts, strict=True)])
        return predict(self.weights(), x, np.asarray(vectors, dtype=np.float32))

    def weights(self) -> dict[str, Array]:
        """The trained heads, from memory, the cache file, or trained now."""
        with _TRAINED_LOCK:
            found = _TRAINED.get(self.namespace)
            if found is None:
                found = self._load_or_train()
                _TRAINED[self.namespace] = found
            return found

    def _load_or_train(self) -> dict[str, Array]:
        cached = self._weights_dir / f"clauses-{self.namespace}.npz" if self._weights_dir else None
        if cached is not None and cached.is_file():
            try:
                with np.load(cached) as loaded:
                    return {k: loaded[k].astype(np.float32) for k in HEADS}
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                pass  # half written by another process, or old: trained again
        texts = [e.text for e in self._examples]
        vectors = self._embedder.embed(texts)
        x = np.stack([features(v, t) for v, t in zip(vectors, texts, strict=True)])
        weights = train(x, self._examples)
        weights["examples"] = _unit(np.asarray(vectors, dtype=np.float32))
        weights["labels"] = np.array([float(e.keep) for e in self._examples], dtype=np.float32)
        if cached is not None:
            keep_weights(cached, lambda tmp: _save(tmp, weights))
        return weights


def _save(path: Path, weights: dict[str, Array]) -> None:
    """The clause classifier's training, as the model cache keeps it."""
    np.savez(
        path,
        keep=weights["keep"],
        type=weights["type"],
        importance=weights["importance"],
        examples=weights["examples"],
        labels=weights["labels"],
    )


def keep_weights(cached: Path, write: Callable[[Path], None]) -> None:
    """Put trained weights at ``cached``: ``write`` fills a file of this process and thread
    alone, which then replaces ``cached`` at once, so two processes that train at the same
    time (a chat starting while ``assistant serve`` runs, after an upgrade) never read each
    other's half-written file. A cache that cannot be written only costs training next time."""
    tmp = cached.with_name(
        f".{cached.stem}.{os.getpid()}.{threading.get_ident()}.tmp{cached.suffix}"
    )
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        tmp.replace(cached)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
