"""The pair judge: whether two memory texts are one fact said twice, the same fact with more
detail, a look-alike, a contradiction, or unrelated.

A small softmax classifier over features of the pair (embedding cosine, word overlap,
whether numbers, dates, names, people, negation or tense differ, whether one breaks a way of
living the other states or gives another value of where the user lives or works), trained on
the labelled pairs in ``assistant/data/pairs.tsv``. Its weights ship in
``assistant/data/pair_judge.tsv``; ``python -m assistant.consolidation.judge_pairs`` retrains
them with the MiniLM embedder (deterministically: the same pairs give the same weights).

Precision first: a pair with a hard difference (:func:`~assistant.consolidation.differences.
veto`) is a look-alike whatever the classifier says, and never merges; nor does a text that is
the other with words put in ("allergic to peanuts" / "… and cashews").
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.consolidation.attributes import attribute, opposed
from assistant.consolidation.differences import (
    CHANGE,
    SWITCH,
    WORD,
    dates,
    names,
    names_differ,
    numbers,
    one_swap,
    opening,
    polarity,
    relations,
    swap_spans,
    tense,
    veto,
)
from assistant.consolidation.differences import (
    VERSION as RULES,
)
from assistant.consolidation.forms import settled
from assistant.learning.classifier import one_blas_thread
from assistant.learning.sameness import content_words, negated
from assistant.models.base import Embedder
from assistant.models.cache import Memo
from assistant.paths import JUDGE_MEMO, cache_dir

LABELS = ("paraphrase", "more_detail", "look_alike", "contradiction", "unrelated")
MERGE_PROBABILITY = 0.5
"""Probability of ``paraphrase`` from which a pair merges."""
MERGE_FLOOR = 0.6
"""Cosine under which a pair never merges, whatever the classifier says."""
SURE_COSINE = 0.7
"""Cosine under which the classifier must be sure (:data:`SURE_PROBABILITY`): two texts that
far apart in the embedding are one fact only in words the embedding does not relate."""
SURE_PROBABILITY = 0.8
"""Probability of ``paraphrase`` from which a pair under :data:`SURE_COSINE` merges."""
REFINEMENT_FLOOR = 0.95
"""Cosine from which a text that says all the other says and more is still the same fact
("allergic to peanuts" / "allergic to peanuts and cashews" are two)."""
SWAP_FLOOR = 0.7
"""MiniLM cosine of two swapped parts under which they name two things ("kindergarten" /
"swimming lessons" 0.33, "tea" / "coffee" 0.62), not one in other words ("freeway" /
"highway" 0.83, "afraid" / "fear" 0.73)."""

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@contextmanager
def verdict_memo(home: Path, embedder: Embedder) -> Iterator[tuple[Memo, str]]:
    """The home's memo of the judge's verdicts (``cache/pair-judge``), with the name of the
    vectors the judge embeds parts by (:func:`parts_embedding`), closed after the block."""
    memo = Memo(cache_dir(home) / JUDGE_MEMO, "The pair judge's memo")
    try:
        yield memo, parts_embedding(embedder)[1]
    finally:
        memo.close()


def parts_embedding(embedder: Embedder) -> tuple[Embed, str]:
    """How the judge embeds the parts of pairs, and the name of those vectors (for its memo):
    by the embedder's quicker query model, in batches, where it has one (about twice as fast;
    MiniLM's int8 vectors have cosine ≥ 0.98 with the full model's: the development sets and
    the seeded store give the same figures either way), else by the embedder itself."""
    quick = getattr(embedder, "embed_queries", None)
    if callable(quick):
        return quick, str(getattr(embedder, "queries_name", embedder.name))
    return embedder.embed, embedder.name


"""Texts to unit vectors (an embedder's ``embed``)."""


def said_similarity(a: str, b: str, cosine: float, embed: Embed | None) -> float:
    """The cosine of what two texts say of the one they both name ("Iris plays the violin" /
    "Iris teaches at a music school": "plays the violin" / "teaches at a music school");
    ``cosine`` when they name no one in common or there is no embedder."""
    return _cosine(said_parts(a, b) if embed is not None else [], cosine, embed)


def said_parts(a: str, b: str) -> list[str]:
    """What :func:`said_similarity` compares (none when they name no one in common)."""
    who = (names(a, b) | names(b, a) | {opening(a), opening(b)}) - {""}
    who &= content_words(a) & content_words(b)
    if not who:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(who))) + r")(?:['’]s)?\b", re.I)
    rest = [" ".join(pattern.sub(" ", t).split()) for t in (a, b)]
    return rest if all(content_words(t) for t in rest) else []


def rest_similarity(a: str, b: str, cosine: float, embed: Embed | None) -> float:
    """The cosine of what each text says beyond the words they share ("owns a sea kayak" /
    "kayak club launches from cornelian bay": "owns a sea" / "club launches from cornelian
    bay"; "can't stand olives" / "olives = gross": "can't stand" / "= gross"); ``cosine``
    when one says nothing more or there is no embedder."""
    return _cosine(rest_parts(a, b) if embed is not None else [], cosine, embed)


def rest_parts(a: str, b: str) -> list[str]:
    """What :func:`rest_similarity` compares (none when one says nothing more)."""
    rest = [_beyond(a, b), _beyond(b, a)]
    return rest if all(content_words(t) for t in rest) else []


def _cosine(parts: list[str], otherwise: float, embed: Embed | None) -> float:
    """The cosine of two parts (``otherwise`` when there are none or no embedder)."""
    if not parts or embed is None:
        return otherwise
    va, vb = np.asarray(embed(parts), dtype=np.float32)
    return float(va @ vb)


def _beyond(text: str, other: str) -> str:
    shared = content_words(other)
    return " ".join(w for w in WORD.findall(text) if w.lower() not in shared)


def swap_similarity(a: str, b: str, embed: Embed | None) -> float:
    """The least cosine between the parts one text swaps for others in the other (see
    :func:`~assistant.consolidation.differences.swap_spans`); 1.0 when nothing is swapped, a
    swap of two words against a thing ("hates" / "can't stand") is no swap, or there is no
    embedder to tell."""
    if embed is None:
        return 1.0
    return _least_cosine(swap_parts(a, b), embed)


def swap_parts(a: str, b: str) -> list[str]:
    """What :func:`swap_similarity` compares: each part swapped and its other, in turn."""
    spans = swap_spans(a, b)
    return [t for x, y in spans if not (polarity(x) == polarity(y) == -1) for t in (x, y)]


def _least_cosine(parts: list[str], embed: Embed) -> float:
    """The least cosine of the pairs of parts (``1.0`` when there are none)."""
    if not parts:
        return 1.0
    vectors = np.asarray(embed(parts), dtype=np.float32)
    return float(min(vectors[n] @ vectors[n + 1] for n in range(0, len(parts), 2)))


_SOFT = {
    "all-time",
    "ever",
    "absolutely",
    "huge",
    "big",
    "super",
    "hidden",
    "kept",
    "stuck",
    "tend",
    "usually",
    "generally",
    "pretty",
    "thing",
    "one",
    "user",
}
"""Words that add emphasis rather than detail ("User owns a kayak" names no one new)."""


def _two_values(a: str, b: str) -> bool:
    """Two values of one attribute ("I live in Leeds" / "I moved to York")."""
    x, y = attribute(a), attribute(b)
    return x is not None and y is not None and x[0] == y[0] and x[1] != y[1]


def adds_detail(a: str, b: str) -> bool:
    """Whether one text is the other with words put in ("allergic to peanuts" / "allergic to
    peanuts and cashews", "I read before bed" / "I read the news before bed"), emphasis
    aside ("hates" / "really hates")."""
    x, y = ([w.lower() for w in WORD.findall(t)] for t in (a, b))
    short, long_ = sorted((x, y), key=len)
    if not short or len(short) == len(long_):
        return False
    head = 0
    while head < len(short) and short[head] == long_[head]:
        head += 1
    tail = len(short) - head
    if long_[len(long_) - tail :] != short[head:]:
        return False
    added = " ".join(long_[head : len(long_) - tail])
    return bool(content_words(added) - _SOFT)


def _said_of(a: str, b: str) -> float:
    """Word overlap of what the two say about whom they name ("tom loves his garden" / "tom
    works as a gardener" share their subject, nothing of what they say of him)."""
    shared = content_words(a) & content_words(b)
    who = {w for w in shared if w in names(a, b) | names(b, a)}
    who |= {w for w in shared if w in (opening(a), opening(b), _first(a), _first(b))}
    wa, wb = content_words(a) - _SOFT - who, content_words(b) - _SOFT - who
    return len(wa & wb) / max(1, len(wa | wb))


_STANCES = {
    "like": re.compile(
        r"\b(?:love|loves|loved|adore|adores|favou?rite|fave|fan|obsessed|passion|into|enjoy|"
        r"enjoys|keen|likes)\b",
        re.I,
    ),
    "job": re.compile(
        r"\b(?:works?|job|employed|owns|runs|teaches|coaches|training to be|studied|studies)\b",
        re.I,
    ),
    "fear": re.compile(r"\b(?:scared|afraid|terrified|terrifies|fear|frighten\w*)\b", re.I),
}


def stance(text: str) -> str:
    """How a text relates its subject to the thing: ``like``, ``job``, ``fear`` or ``""``
    ("tom loves his garden" / "tom works as a gardener" are two facts)."""
    found = [name for name, words in _STANCES.items() if words.search(text)]
    return found[0] if len(found) == 1 else ""


def _shared_names(a: str, b: str) -> float:
    """Whether the two name someone or something in common, in any case ("Jo lives in
    Leeds" / "jo moved to York")."""
    shared = (names(a, b) | names(b, a)) & content_words(a) & content_words(b)
    return float(bool(shared))


def _first(text: str) -> str:
    words = WORD.findall(text.lower())
    return words[0] if words else ""


def features(
    a: str,
    b: str,
    cosine: float,
    swap: float = 1.0,
    said: float | None = None,
    rest: float | None = None,
) -> npt.NDArray[np.float32]:
    """The pair's features (symmetric in ``a`` and ``b``); ``swap`` is their
    :func:`swap_similarity`, ``said`` their :func:`said_similarity` and ``rest`` their
    :func:`rest_similarity` (``cosine`` if None)."""
    said = cosine if said is None else said
    rest = cosine if rest is None else rest
    wa, wb = content_words(a) - _SOFT, content_words(b) - _SOFT
    union = len(wa | wb) or 1
    shared = len(wa & wb)
    la, lb = len(WORD.findall(a)), len(WORD.findall(b))
    ta, tb = tense(a), tense(b)
    return np.array(
        [
            1.0,
            cosine,
            cosine * cosine,
            shared / union,
            shared / max(1, min(len(wa), len(wb))),
            float(wa < wb or wb < wa),
            min(la, lb) / max(1, la, lb),
            float(numbers(a) != numbers(b)),
            float(dates(a) != dates(b)),
            float(names_differ(a, b)),
            float(relations(a) != relations(b)),
            float(negated(a) != negated(b)),
            float(polarity(a) != polarity(b)),
            float({ta, tb} == {"past", "future"}),
            float(ta != tb),
            float(bool(CHANGE.search(a)) != bool(CHANGE.search(b))),
            float(one_swap(a, b)),
            float(opposed(a, b)),
            float(_two_values(a, b)),
            _said_of(a, b),
            float(len({stance(a), stance(b)} - {""}) == 2),
            1.0 - swap,
            said,
            cosine - said,
            float(bool(SWITCH.search(a)) != bool(SWITCH.search(b))),
            _shared_names(a, b),
            rest,
            cosine - rest,
        ],
        dtype=np.float32,
    )


@dataclass(frozen=True)
class Verdict:
    """What the judge says about a pair."""

    label: str
    probability: float
    """Of the label."""
    paraphrase: float
    """Probability that the two are one fact."""
    vetoed: str | None
    """The hard difference that forbids merging, if any."""

    @property
    def merge(self) -> bool:
        """Whether the two are one fact, stated twice."""
        return self.vetoed is None and self.label == "paraphrase"


def load_pairs(text: str | None = None) -> list[tuple[str, str, str]]:
    """``(label, a, b)`` rows of a labelled pairs file (default: the shipped set)."""
    if text is None:
        text = resources.files("assistant.data").joinpath("pairs.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] in LABELS and not line.startswith("#"):
            rows.append((parts[0], parts[1].strip(), parts[2].strip()))
    return rows


def digest(rows: list[tuple[str, str, str]], embedder_name: str) -> str:
    """Names a training set and embedder: shipped weights are valid only for theirs."""
    raw = "\n".join("\t".join(r) for r in rows) + embedder_name
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def training_rows(rows: list[tuple[str, str, str]], seed: int = 7) -> list[tuple[str, str, str]]:
    """The labelled rows plus unrelated pairs drawn across rows about different things."""
    rng = random.Random(seed)
    firsts = [a for _, a, _ in rows]
    extra = []
    for _ in range(len(rows) // 2):
        a, b = rng.sample(firsts, 2)
        if not (content_words(a) & content_words(b)):
            extra.append(("unrelated", a, b))
    return rows + extra


def train(
    embedder: Embedder, rows: list[tuple[str, str, str]], epochs: int = 3000, l2: float = 1e-3
) -> npt.NDArray[np.float32]:
    """Softmax regression over the pair features, by gradient descent."""
    texts = sorted({t for _, a, b in rows for t in (a, b)})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    x = np.stack(
        [
            features(
                a,
                b,
                float(vectors[a] @ vectors[b]),
                swap_similarity(a, b, embedder.embed),
                said_similarity(a, b, float(vectors[a] @ vectors[b]), embedder.embed),
                rest_similarity(a, b, float(vectors[a] @ vectors[b]), embedder.embed),
            )
            for _, a, b in rows
        ]
    )
    y = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for row, (label, _, _) in enumerate(rows):
        y[row, LABELS.index(label)] = 1.0
    w = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
    with one_blas_thread():
        for _ in range(epochs):
            logits = x @ w.T
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            w -= 1.0 * ((p - y).T @ x / len(x) + l2 * w)
    return w.astype(np.float32)


class PairJudge:
    """Judges pairs with trained weights (default: the shipped ones)."""

    def __init__(self, weights: npt.NDArray[np.float32] | None = None) -> None:
        self.weights = shipped_weights()[1] if weights is None else weights
        self.digest = hashlib.sha256(np.ascontiguousarray(self.weights).tobytes()).hexdigest()[:16]
        """Names the weights: a verdict kept in a memo is valid only for them."""

    def judge(self, a: str, b: str, cosine: float, embed: Embed | None = None) -> Verdict:
        """The verdict on two texts whose embeddings have cosine ``cosine``; with ``embed``
        (the embedder's), a part of one sentence swapped for another thing is told from one
        said in other words."""
        return self.judge_many([(a, b, cosine)], embed)[0]

    def _decide(
        self, a: str, b: str, cosine: float, swap: float, said: float, rest: float
    ) -> Verdict:
        a, b = settled(a, b), settled(b, a)  # "bday 03-10" / "birthday is October 3"
        logits = self.weights @ features(a, b, cosine, swap, said, rest)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        best = int(np.argmax(p))
        vetoed = hard_difference(a, b, lambda: swap)
        label = LABELS[best]
        if vetoed is not None and label == "paraphrase":
            label = "look_alike"
        paraphrase = float(p[0])
        if (
            cosine < MERGE_FLOOR
            or paraphrase < (MERGE_PROBABILITY if cosine >= SURE_COSINE else SURE_PROBABILITY)
            or (cosine < REFINEMENT_FLOOR and adds_detail(a, b))
        ):
            label = label if label != "paraphrase" else "more_detail"
        return Verdict(label, float(p[best]), paraphrase, vetoed)

    def judge_many(
        self,
        pairs: Sequence[tuple[str, str, float]],
        embed: Embed | None = None,
        memo: tuple[Memo, str] | None = None,
    ) -> list[Verdict]:
        """The verdicts on many ``(a, b, cosine)`` pairs, the same as :meth:`judge` gives one
        by one, with every part any of them embeds embedded in one batch (one model call per
        few hundred parts, not one per pair). With ``memo`` (a memo and the name of the
        embedder ``embed`` belongs to), verdicts given before are recalled, not judged again."""
        keys = [self._key(a, b, cosine, memo[1]) for a, b, cosine in pairs] if memo else []
        known = [_verdict(raw) for raw in memo[0].recall(keys)] if memo else [None] * len(pairs)
        todo = [n for n, verdict in enumerate(known) if verdict is None]
        none: tuple[list[str], list[str], list[str]] = ([], [], [])
        parts = {n: _parts(*pairs[n][:2]) if embed is not None else none for n in todo}
        wanted = list(dict.fromkeys(t for n in todo for group in parts[n] for t in group))
        vectors = dict(
            zip(wanted, np.asarray(embed(wanted)) if embed and wanted else [], strict=True)
        )

        def batch(texts: Sequence[str]) -> npt.NDArray[np.float32]:
            return np.stack([vectors[t] for t in texts]).astype(np.float32)

        fresh = {}
        for n in todo:
            a, b, cosine = pairs[n]
            swapped, said, rest = parts[n]
            fresh[n] = self._decide(
                a,
                b,
                cosine,
                _least_cosine(swapped, batch),
                _cosine(said, cosine, batch),
                _cosine(rest, cosine, batch),
            )
        if memo:
            memo[0].remember([(keys[n], _stored(verdict)) for n, verdict in fresh.items()])
        return [fresh[n] if verdict is None else verdict for n, verdict in enumerate(known)]

    def _key(self, a: str, b: str, cosine: float, embedder: str) -> str:
        said = f"{self.digest}\0{RULES}\0{embedder}\0{cosine:.4f}\0{a}\0{b}"
        return hashlib.sha256(said.encode()).hexdigest()


def _parts(a: str, b: str) -> tuple[list[str], list[str], list[str]]:
    """The parts the judge embeds: swapped, said of whom both name, said beyond the other."""
    return swap_parts(a, b), said_parts(a, b), rest_parts(a, b)


def hard_difference(a: str, b: str, swap: Callable[[], float]) -> str | None:
    """Why two texts can never be one fact (:func:`veto`), or ``thing`` when a part of one is
    swapped for another thing (``swap()``: their :func:`swap_similarity`, asked only when
    nothing else differs)."""
    return veto(a, b) or ("thing" if swap() < SWAP_FLOOR else None)


def _stored(verdict: Verdict) -> bytes:
    return "\t".join(
        [verdict.label, repr(verdict.probability), repr(verdict.paraphrase), verdict.vetoed or ""]
    ).encode()


def _verdict(raw: bytes | None) -> Verdict | None:
    """A verdict read back from a memo (None when there is none or it does not read)."""
    if raw is None:
        return None
    try:
        label, probability, paraphrase, vetoed = raw.decode().split("\t")
        return Verdict(label, float(probability), float(paraphrase), vetoed or None)
    except (UnicodeDecodeError, ValueError):
        return None


@lru_cache(maxsize=1)
def shipped_weights() -> tuple[str, npt.NDArray[np.float32]]:
    """``(digest, weights)`` from ``assistant/data/pair_judge.tsv``."""
    raw = resources.files("assistant.data").joinpath("pair_judge.tsv").read_text("utf-8")
    lines = raw.splitlines()
    name = lines[0].split("\t")[1]
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines[1:] if line}
    weights = np.array([[float(v) for v in rows[label]] for label in LABELS], dtype=np.float32)
    return name, weights


def write_weights(weights: npt.NDArray[np.float32], name: str) -> str:
    """The weights file's text."""
    lines = [f"digest\t{name}"]
    for label, row in zip(LABELS, weights, strict=True):
        lines.append("\t".join([label, *(f"{v:.6f}" for v in row)]))
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def default_judge() -> PairJudge:
    """The judge with the shipped weights."""
    return PairJudge()


def main() -> None:
    """Retrain the shipped weights with the MiniLM embedder (model cache: the first argument,
    default ``.cache/models``)."""
    import sys
    from pathlib import Path

    from assistant.models.minilm import MiniLMEmbedder

    embedder = MiniLMEmbedder(Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/models"))
    rows = load_pairs()
    weights = train(embedder, training_rows(rows))
    path = Path(str(resources.files("assistant.data").joinpath("pair_judge.tsv")))
    path.write_text(write_weights(weights, digest(rows, embedder.name)), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
