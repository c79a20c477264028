"""The local router: SIMPLE, COMPLEX or TOOL for each message, in well under 15 ms.

It needs no chat model. High-precision patterns settle greetings, acknowledgements and
explicit memory or reminder requests; everything else goes to a softmax classifier over the
message's MiniLM embedding (the same vector retrieval uses), trained on the labelled set shipped
in ``assistant/data/routes.tsv``. Trained weights are cached next to the embedding model, and
decisions are cached by message text.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import diskcache
import numpy as np
import numpy.typing as npt

from assistant.models.base import Embedder

ROUTES = ("simple", "complex", "tool")

_SMALLTALK = re.compile(
    r"^(?:hi+|hey+|hello+|hiya|howdy|yo|gm|morning|evening|good (?:morning|afternoon|evening|night)"
    r"|thanks?(?: you)?(?: so much| a lot)?|thx|ty|cheers|many thanks|ok(?:ay)?|k|cool|nice|great"
    r"|perfect|awesome|excellent|alright|all good|got it|understood|sure|yes|yep|yeah|no|nope"
    r"|no (?:worries|problem)|fair enough|makes sense|sounds (?:good|great)|i see|lol|haha+|wow"
    r"|oh wow|hmm+|bye(?: for now)?|goodbye|see you(?: later| soon)?|good ?night|gn"
    r"|talk to you (?:later|tomorrow|soon)|never ?mind)"
    r"(?:[\s,]+(?:thanks?(?: you)?|buddy|assistant|there|to you|again|then))*[\s!.?]*$",
    re.IGNORECASE,
)
_TOOL = re.compile(
    r"^(?:please\s+)?(?:remember\b|remind me\b|set (?:a|an) (?:reminder|alarm)\b|forget\b"
    r"|don'?t forget\b|keep in mind\b|note that\b|save this\b|make a note\b)"
    r"|\b(?:my|the) (?:reminders?|to-?do(?: list)?|task(?: list)?|tasks)\b"
    r"|\b(?:what|do) you (?:know|remember) about\b"
    r"|\bmy memor(?:y|ies)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RouteDecision:
    """Where a message goes and how sure the router is."""

    route: str
    confidence: float
    source: str
    """``rule``, ``classifier`` or ``cache``."""


def is_smalltalk(text: str) -> bool:
    """Greetings, thanks and acknowledgements: answered without retrieval."""
    return len(text) <= 60 and _SMALLTALK.match(text.strip()) is not None


def load_examples(path: Path | None = None) -> list[tuple[str, str]]:
    """``(route, text)`` pairs from a labelled TSV file (default: the shipped training set)."""
    if path is None:
        raw = resources.files("assistant.data").joinpath("routes.tsv").read_text("utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    pairs = []
    for line in raw.splitlines():
        label, _, text = line.partition("\t")
        if label in ROUTES and text.strip():
            pairs.append((label, text.strip()))
    return pairs


class Router:
    """Routes messages; trains itself lazily (once per embedder) on first use.

    Usage::

        router = Router(embedder, weights_dir=settings.model_cache)
        router.route("what's my sister's name?").route   # "tool"
    """

    def __init__(
        self, embedder: Embedder, weights_dir: Path | None = None, cache_dir: Path | None = None
    ) -> None:
        self._embedder = embedder
        self._weights_dir = weights_dir
        self._lock = threading.Lock()
        self._weights: npt.NDArray[np.float32] | None = None
        self._cache: dict[str, RouteDecision] = {}
        self._store = diskcache.Cache(str(cache_dir), size_limit=8 * 2**20) if cache_dir else None
        self._examples = load_examples()
        self._namespace = hashlib.sha256(
            ("\n".join(f"{r}\t{t}" for r, t in self._examples) + embedder.name).encode()
        ).hexdigest()[:16]
        """Names the training set and embedder: weights and cached decisions are per namespace."""

    def route(self, text: str, vector: npt.NDArray[np.float32] | None = None) -> RouteDecision:
        """The route of ``text``; pass its embedding when it is already computed."""
        key = " ".join(text.lower().split())[:500]
        cached = self._cache.get(key)
        if cached is None and self._store is not None:
            stored = self._store.get(f"{self._namespace}:{key}")
            cached = stored if isinstance(stored, RouteDecision) else None
        if cached is not None:
            return RouteDecision(cached.route, cached.confidence, "cache")
        decision = self._decide(text, vector)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = decision
        if self._store is not None:  # shared with the other assistant processes
            self._store.set(f"{self._namespace}:{key}", decision, expire=30 * 86400)
        return decision

    def forget_cached(self) -> None:
        """Drop every cached decision (after the training set or the model changed)."""
        self._cache.clear()
        if self._store is not None:
            self._store.clear()

    def close(self) -> None:
        """Release the cache files."""
        if self._store is not None:
            self._store.close()

    def _decide(self, text: str, vector: npt.NDArray[np.float32] | None) -> RouteDecision:
        stripped = text.strip()
        if is_smalltalk(stripped):
            return RouteDecision("simple", 1.0, "rule")
        if _TOOL.search(stripped):
            return RouteDecision("tool", 1.0, "rule")
        if vector is None:
            vector = self._embedder.embed([stripped])[0]
        probs = _softmax(self.weights() @ _features(vector, stripped))
        best = int(np.argmax(probs))
        return RouteDecision(ROUTES[best], float(probs[best]), "classifier")

    def weights(self) -> npt.NDArray[np.float32]:
        """The trained classifier (routes × features), from the cache or trained now."""
        with self._lock:
            if self._weights is None:
                self._weights = self._load_or_train()
            return self._weights

    def _load_or_train(self) -> npt.NDArray[np.float32]:
        name = f"router-{self._namespace}.npy"
        cached = self._weights_dir / name if self._weights_dir else None
        if cached is not None and cached.is_file():
            try:
                loaded: npt.NDArray[np.float32] = np.load(cached)
                return loaded
            except (OSError, ValueError):
                pass
        weights = train(self._embedder, self._examples)
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp.npy")
                np.save(tmp, weights)
                tmp.replace(cached)
            except OSError:
                pass  # a read-only cache only costs a retrain next time
        return weights


def train(
    embedder: Embedder, examples: list[tuple[str, str]], epochs: int = 400, l2: float = 1e-3
) -> npt.NDArray[np.float32]:
    """Softmax regression over embeddings plus a few surface features, by gradient descent."""
    vectors = embedder.embed([text for _, text in examples])
    x = np.stack([_features(v, t) for v, (_, t) in zip(vectors, examples, strict=True)])
    y = np.zeros((len(examples), len(ROUTES)), dtype=np.float32)
    for row, (label, _) in enumerate(examples):
        y[row, ROUTES.index(label)] = 1.0
    w = np.zeros((len(ROUTES), x.shape[1]), dtype=np.float32)
    rate = 2.0
    for _ in range(epochs):
        logits = x @ w.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - y).T @ x / len(x) + l2 * w
        w -= rate * grad
    return w.astype(np.float32)


_FIRST_PERSON = re.compile(r"\b(?:my|i|me|i'm|i've|mine)\b", re.IGNORECASE)
_ASKS_RECALL = re.compile(
    r"^(?:what|when|where|who|which|how old|do|did|have)\b.*\b(?:my|i)\b", re.IGNORECASE
)


def _features(vector: npt.NDArray[np.float32], text: str) -> npt.NDArray[np.float32]:
    words = len(text.split())
    extra = np.array(
        [
            1.0,
            1.0 if _FIRST_PERSON.search(text) else 0.0,
            1.0 if _ASKS_RECALL.search(text) and words <= 12 else 0.0,
            min(words, 40) / 40.0,
        ],
        dtype=np.float32,
    )
    return np.concatenate([vector.astype(np.float32), extra])


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    shifted = np.exp(logits - logits.max())
    out: npt.NDArray[np.float32] = shifted / shifted.sum()
    return out
