"""The local router: SIMPLE, COMPLEX or TOOL for each message, in well under 15 ms.

It needs no chat model. High-precision patterns settle greetings, acknowledgements and
explicit memory, reminder and list requests; everything else goes to a softmax classifier over
the message's MiniLM embedding (the same vector retrieval uses) and its hashed words, trained on
the labelled set shipped in ``assistant/data/routes.tsv``. The classifier leans towards TOOL: a
missed memory lookup invents an answer or drops a reminder, which costs more than a needless
lookup. Trained weights are cached next to the embedding model, and decisions are cached by a
digest of the message text.
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

from assistant.code_version import code_version
from assistant.learning.classifier import keep_weights, one_blas_thread
from assistant.learning.labelled import hashed_words
from assistant.models.base import Embedder

ROUTES = ("simple", "complex", "tool")
_KEYS = "keys"
"""Names how the disk cache keys decisions; a cache keyed otherwise is cleared on open."""

HOW_ARE_YOU = (
    r"(?:how(?:'s|’s|s| is| are| r| ya)? (?:you|u|ya|it going|ur day|your day|things|life|"
    r"everything)|wh?at'?s up|sup|wassup)(?: (?:doing|going|been|today|tonight|then))*"
)
"""Asking after the assistant ("how are you", "hows ur day", "what's up"): small talk."""
_SMALLTALK = re.compile(
    r"^(?:(?:hi+|hey+|hello+|yo)[\s,!]+(?=" + HOW_ARE_YOU + r"))?"
    r"(?:hi+|hey+|hello+|hiya|howdy|yo|gm|morning|evening|good (?:morning|afternoon|evening|night)"
    r"|thanks?(?: you)?(?: so much| a lot)?|thx|ty|cheers|many thanks|ok(?:ay)?|k|cool|nice|great"
    r"|perfect|awesome|excellent|alright|all good|got it|understood|sure|yes|yep|yeah|no|nope"
    r"|no (?:worries|problem)|fair enough|makes sense|sounds (?:good|great)|i see|lol|haha+|wow"
    r"|oh wow|hmm+|bye(?: for now)?|goodbye|see you(?: later| soon)?|good ?night|gn"
    r"|talk to you (?:later|tomorrow|soon)|never ?mind|" + HOW_ARE_YOU + ")"
    r"(?:[\s,]+(?:thanks?(?: you)?|buddy|assistant|there|to you|again|then))*[^\w]*$",
    re.IGNORECASE,
)
_TOOL = re.compile(
    r"^(?:(?:please|pls|plz|can you|could you|hey|ok(?:ay)?|and)[\s,]+)*"
    r"(?:remember(?=[\s,:]+(?:that|this|my|i|i'm|im|i've|we|we're|our|me)\b|\s*[:,])"
    r"|remind me(?=\s+(?:to|2|at|in|on|about|abt|every|tomorrow|tonight|tmrw|next|this|later"
    r"|again|before|after|that|once|when i)\b)"
    r"|set (?:a|an|up a) (?:recurring |daily |weekly )?(?:reminder|alarm)\b|forget\b"
    r"|don'?t (?:let me )?forget\b|keep in mind\b|note (?:that|to self)\b|save this\b"
    r"|make a note\b|snooze\b|update\s*[:\-]|correction\s*:)"
    r"|\bmy (?:reminders?|to-?do(?: list)?s?|todos?|task list|tasks)\b"
    r"|\bthe (?:reminders?|to-?do list|todo list|task list)\b"
    r"|\bsnooze (?:it|that|this|the|my|all)\b"
    r"|\b(?:what|do) you (?:know|remember) about\b"
    r"|\bmy memor(?:y|ies)\b"
    r"|\b(?:to|on|off|from) (?:my|the) (?:shopping|grocery|packing|to-?do|todo) list\b",
    re.IGNORECASE,
)
"""Explicit memory, reminder and list requests. "remind me" and "remember" count only when an
action follows: "remind me how photosynthesis works" is a general question."""
_PREFACE = re.compile(
    r"^(?:(?:hey|ok|so|and|quick one|can you|could you|pls|please)[\s,]+)*"
    r"(?:remind me|(?:do |d'you |do u )?(?:you |u )?remember)[\s,]+"
    r"(?=(?:what|who|whom|whose|when|where|which|why|how|whether|if|is|are|was|were)\b)",
    re.IGNORECASE,
)
"""A "remind me" or "remember" before a question: it says nothing about where the question goes."""
HASH_DIM = 1024
"""Buckets of the hashed words and word pairs the classifier reads beside the embedding."""
TOOL_BIAS = 0.5
"""Added to the TOOL score: a missed lookup counts as about 1.6 wrong routes of another kind."""
FEATURES = "v2"
"""Names the feature layout; cached weights of another layout are never loaded."""


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


def rule_route(text: str) -> str | None:
    """The route the high-precision patterns give ``text``, or None to ask the classifier."""
    stripped = text.strip()
    if is_smalltalk(stripped):
        return "simple"
    if _TOOL.search(stripped):
        return "tool"
    return None


def content(text: str) -> str:
    """What the classifier reads: ``text`` without a "remind me" or "remember" before a question,
    so "remind me who wrote Hamlet" is read as the general question it is and "remind me what my
    sister's address is" as a lookup."""
    stripped = text.strip()
    match = _PREFACE.match(stripped)
    return stripped[match.end() :] if match and match.end() < len(stripped) else stripped


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
        if self._store is not None and self._store.get(_KEYS) != "sha256":
            self._store.clear()  # written by a version that keyed decisions by the words
            self._store.set(_KEYS, "sha256")
        self._examples = load_examples()
        self._namespace = hashlib.sha256(
            (
                "\n".join(f"{r}\t{t}" for r, t in self._examples)
                + embedder.name
                + FEATURES
                + code_version()
            ).encode()
        ).hexdigest()[:16]
        """Names the training set and embedder: weights and cached decisions are per namespace."""

    def route(self, text: str, vector: npt.NDArray[np.float32] | None = None) -> RouteDecision:
        """The route of ``text``; pass its embedding when it is already computed."""
        # A digest, never the words: a message must not be readable from the cache files.
        key = hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()
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
            self._store.set(_KEYS, "sha256")

    def close(self) -> None:
        """Release the cache files."""
        if self._store is not None:
            self._store.close()

    def _decide(self, text: str, vector: npt.NDArray[np.float32] | None) -> RouteDecision:
        ruled = rule_route(text)
        if ruled is not None:
            return RouteDecision(ruled, 1.0, "rule")
        read = content(text)
        if vector is None or read != text.strip():  # a dropped preface: embed the question
            vector = self._embedder.embed([read])[0]
        return classify(self.weights(), vector, read)

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
                if loaded.shape == (len(ROUTES), self._embedder.dim + _EXTRA + HASH_DIM):
                    return loaded
            except (OSError, ValueError, EOFError):
                pass  # half written by another process: trained again
        weights = train(self._embedder, self._examples)
        if cached is not None:
            keep_weights(cached, lambda tmp: np.save(tmp, weights))
        return weights


def classify(
    weights: npt.NDArray[np.float32], vector: npt.NDArray[np.float32], text: str
) -> RouteDecision:
    """The classifier's route for ``text`` (already passed through :func:`content`) and its
    embedding."""
    probs = _softmax(weights @ _features(vector, text))
    best = int(np.argmax(probs))
    return RouteDecision(ROUTES[best], float(probs[best]), "classifier")


def featurize(embedder: Embedder, texts: list[str]) -> npt.NDArray[np.float32]:
    """The classifier's input rows for ``texts``, one embedding call for all of them."""
    read = [content(text) for text in texts]
    vectors = embedder.embed(read)
    return np.stack([_features(v, t) for v, t in zip(vectors, read, strict=True)])


@one_blas_thread()
def fit(
    x: npt.NDArray[np.float32], labels: list[str], epochs: int = 300, l2: float = 1e-4
) -> npt.NDArray[np.float32]:
    """Softmax regression on feature rows by gradient descent with Nesterov momentum, each route
    weighted as if the routes were equally common; :data:`TOOL_BIAS` is then added to TOOL's
    intercept."""
    y = np.zeros((len(labels), len(ROUTES)), dtype=np.float32)
    for row, label in enumerate(labels):
        y[row, ROUTES.index(label)] = 1.0
    counts = np.maximum(y.sum(axis=0), 1.0)
    sample = (y @ (len(labels) / (len(ROUTES) * counts))).astype(np.float32)[:, None]
    w = np.zeros((len(ROUTES), x.shape[1]), dtype=np.float32)
    velocity = np.zeros_like(w)
    rate, momentum = 2.0, 0.9
    for _ in range(epochs):
        ahead = w + momentum * velocity
        logits = x @ ahead.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = ((p - y) * sample).T @ x / len(x) + l2 * ahead
        velocity = momentum * velocity - rate * grad
        w = w + velocity
    w[ROUTES.index("tool"), x.shape[1] - HASH_DIM - _EXTRA] += TOOL_BIAS  # the intercept
    return w.astype(np.float32)


def train(embedder: Embedder, examples: list[tuple[str, str]]) -> npt.NDArray[np.float32]:
    """Weights trained on ``(route, text)`` examples: see :func:`fit`."""
    return fit(featurize(embedder, [text for _, text in examples]), [r for r, _ in examples])


_FIRST_PERSON = re.compile(r"\b(?:my|i|me|i'm|i've|mine)\b", re.IGNORECASE)
_ASKS_RECALL = re.compile(
    r"^(?:what|when|where|who|which|how old|do|did|have)\b.*\b(?:my|i)\b", re.IGNORECASE
)
_EXTRA = 4
"""Surface features between the embedding and the hashed words; the first is the intercept."""


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
    return np.concatenate([vector.astype(np.float32), extra, _hashed_words(text)])


def _hashed_words(text: str) -> npt.NDArray[np.float32]:
    """Words and word pairs of ``text`` hashed into :data:`HASH_DIM` buckets, unit length."""
    return hashed_words(text, HASH_DIM)


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    shifted = np.exp(logits - logits.max())
    out: npt.NDArray[np.float32] = shifted / shifted.sum()
    return out
