"""The pair judge: whether two memory texts are one fact said twice, the same fact with more
detail, a look-alike, a contradiction, or unrelated.

A small softmax classifier over features of the pair (embedding cosine, word overlap, and
whether numbers, dates, names, people, negation or tense differ), trained on the labelled
pairs in ``assistant/data/pairs.tsv``. Its weights ship in ``assistant/data/pair_judge.tsv``;
``python -m assistant.consolidation.judge_pairs`` retrains them with the MiniLM embedder.

Precision first: a pair whose numbers, dates, names, people or tense differ is a look-alike
whatever the classifier says, and never merges.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from assistant.learning.sameness import content_words, negated
from assistant.models.base import Embedder

LABELS = ("paraphrase", "more_detail", "look_alike", "contradiction", "unrelated")
MERGE_PROBABILITY = 0.6
"""Probability of ``paraphrase`` from which a pair merges."""
MERGE_FLOOR = 0.75
"""Cosine under which a pair never merges, whatever the classifier says."""

_WORD = re.compile(r"[\w'’-]+")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_SEASONS = ("spring", "summer", "autumn", "winter")
_COLOURS = {"red", "orange", "yellow", "green", "blue", "purple", "pink", "black", "white",
            "grey", "gray", "brown", "silver", "gold", "beige", "navy"}  # fmt: skip
_CAPITAL_ONLY = {"may", "march"}
"""Months that are also common words: a month only when capitalised."""
_NUMBERS = {
    "zero": "0", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "dozen": "12", "half": "0.5", "once": "1x", "twice": "2x",
    "third": "3",
}  # fmt: skip
_RELATIONS = {
    "mum": "mother", "mom": "mother", "mother": "mother", "mam": "mother", "mummy": "mother",
    "dad": "father", "father": "father", "papa": "father", "daddy": "father",
    "wife": "wife", "husband": "husband", "partner": "partner", "boyfriend": "partner",
    "girlfriend": "partner", "fiance": "partner", "fiancé": "partner", "fiancee": "partner",
    "son": "son", "daughter": "daughter", "kid": "child", "kids": "child", "child": "child",
    "children": "child", "baby": "child", "brother": "brother", "sister": "sister",
    "sibling": "sibling", "aunt": "aunt", "auntie": "aunt", "uncle": "uncle",
    "cousin": "cousin", "niece": "niece", "nephew": "nephew", "grandma": "grandmother",
    "grandmother": "grandmother", "nan": "grandmother", "granny": "grandmother",
    "grandpa": "grandfather", "grandfather": "grandfather", "grandad": "grandfather",
    "friend": "friend", "boss": "boss", "manager": "boss", "colleague": "colleague",
    "coworker": "colleague", "neighbour": "neighbour", "neighbor": "neighbour",
    "roommate": "flatmate", "flatmate": "flatmate", "housemate": "flatmate",
    "twins": "child", "stepson": "son", "stepdaughter": "daughter",
}  # fmt: skip
_STARTERS = {
    "i", "i'm", "i've", "i'd", "i'll", "my", "me", "we", "we're", "we've", "our", "the", "a",
    "an", "he", "she", "they", "it", "it's", "this", "that", "these", "there", "his", "her",
    "their", "your", "you", "usually", "today", "yesterday", "tomorrow", "last", "next", "on",
    "in", "at", "every", "honestly", "also", "then", "after", "before", "when", "if", "so",
    "and", "but", "or", "no", "not", "yes", "just", "still", "now", "always", "never", "ugh",
    "oh", "well", "update", "btw", "actually", "some", "most", "all", "one", "what", "who",
    "spiders", "dr", "mr", "mrs", "ms", "went", "had", "got", "visiting", "going",
}  # fmt: skip
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going to|gonna|next|tomorrow|soon|upcoming|planning|plan to|"
    r"this (?:week|weekend|month|year|summer|winter|spring|autumn|fall|evening|"
    + "|".join(_DAYS + _MONTHS)
    + r"))\b|\w'll\b|\b(?:am|is|are|'re|'m|'s|’re|’m|’s)\s+(?:\w+ing)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|bought|met|ran|made|took|saw|left|grew|wrote|flew|gave|"
    r"last|ago|yesterday|used to)\b",
    re.IGNORECASE,
)
_ED = re.compile(r"\b(\w+)\s+(\w+ed)\b", re.IGNORECASE)
_NOT_PAST_BEFORE = {"am", "is", "are", "'m", "'s", "'re", "be", "been", "get", "got", "feel",
                    "i'm", "i’m", "he's", "she's", "we're", "they're", "it's", "so",
                    "very"}  # fmt: skip
_ADJECTIVE_ED = {"married", "tired", "interested", "obsessed", "based", "called", "retired",
                 "scared", "bored", "excited", "located", "named", "used", "allergic",
                 "terrified", "worried", "related", "qualified", "need", "seed"}  # fmt: skip
_DISLIKE = re.compile(
    r"\b(?:hate|hates|dislike|dislikes|can't stand|cannot stand|loathe|loathes|awful|"
    r"terrible|disgusting|gross|detest)\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(?:anymore|any more|no longer|stopped|quit|gave up|now|again|these days|switched)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """Words with whether each opens a sentence (possessive ``'s`` trimmed)."""
    out = []
    start = True
    for match in re.finditer(r"[\w'’-]+|[.!?]", text):
        word = match.group(0)
        if word in ".!?":
            start = True
            continue
        out.append((re.sub(r"['’]s?$", "", word), start))
        start = False
    return tuple(out)


@lru_cache(maxsize=65536)
def numbers(text: str) -> frozenset[str]:
    """Numbers in digits or words ("two", "2", "2nd" all read ``2``)."""
    found = {n.lstrip("0") or "0" for n in re.findall(r"\d+(?:\.\d+)?", text)}
    for word in _WORD.findall(text.lower()):
        if word in _NUMBERS:
            found.add(_NUMBERS[word])
    return frozenset(found)


@lru_cache(maxsize=65536)
def dates(text: str) -> frozenset[str]:
    """Weekdays and months named ("Saturdays" reads ``saturday``)."""
    found = set()
    for word, _ in _tokens(text):
        low = word.lower().rstrip("s") if word.lower() not in _DAYS else word.lower()
        if low in _DAYS:
            found.add(low)
        elif word.lower() in _SEASONS or (
            word.lower() in _MONTHS and (word.lower() not in _CAPITAL_ONLY or word[0].isupper())
        ):
            found.add(word.lower())
    return frozenset(found)


@lru_cache(maxsize=65536)
def relations(text: str) -> frozenset[str]:
    """The people relations a text speaks of ("my mum" and "my mother" read ``mother``)."""
    return frozenset(_RELATIONS[w.lower()] for w, _ in _tokens(text) if w.lower() in _RELATIONS)


def names(text: str, other: str = "") -> frozenset[str]:
    """Proper names: capitalised words after a sentence's first word, and a first word that
    ``other`` capitalises after its first ("Radiohead is…" / "…band is Radiohead")."""
    elsewhere = {w.lower() for w, opens in _tokens(other) if not opens and w[:1].isupper()}
    out = set()
    for word, opens in _tokens(text):
        low = word.lower()
        if not word[0].isupper() or low in _RELATIONS or low in _NUMBERS:
            continue
        if low.rstrip("s") in _DAYS or low in _MONTHS or low in _SEASONS:
            continue
        if low in {"i", "i'm", "i've", "i'd", "i'll", "dr", "mr", "mrs", "ms"}:
            continue
        if not opens or low in elsewhere:
            out.add(low)
    return frozenset(out)


def _subjects_differ(a: str, b: str) -> bool:
    """Both open with a name-like word, different and absent from the other ("Tom plays…" /
    "Ben plays…")."""
    first_a, first_b = _opening(a), _opening(b)
    if not first_a or not first_b or first_a == first_b:
        return False
    words_a = {w.lower() for w, _ in _tokens(a)}
    words_b = {w.lower() for w, _ in _tokens(b)}
    return first_a not in words_b and first_b not in words_a


def _opening(text: str) -> str:
    tokens = _tokens(text)
    if not tokens or not tokens[0][0][:1].isupper():
        return ""
    low = tokens[0][0].lower()
    if low in _STARTERS or low in _RELATIONS or low in _NUMBERS or low.rstrip("s") in _DAYS:
        return ""
    return low


@lru_cache(maxsize=65536)
def _colours(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w in _COLOURS)


def _one_swap(a: str, b: str) -> bool:
    """The same words but one, swapped for another ("colour is blue" / "colour is yellow")."""
    wa = {_RELATIONS.get(w, w) for w in content_words(a)}
    wb = {_RELATIONS.get(w, w) for w in content_words(b)}
    return len(wa) == len(wb) >= 2 and len(wa ^ wb) == 2


def _names_differ(a: str, b: str) -> bool:
    return names(a, b) != names(b, a) or _subjects_differ(a, b)


@lru_cache(maxsize=65536)
def tense(text: str) -> str:
    """``future`` (plans, "is moving", "next July"), ``past`` ("rented", "last July") or
    ``none``."""
    if _FUTURE.search(text):
        return "future"
    if _PAST.search(text):
        return "past"
    for before, word in _ED.findall(text):
        if before.lower() not in _NOT_PAST_BEFORE and word.lower() not in _ADJECTIVE_ED:
            return "past"
    if re.match(r"^\s*(\w+ed)\b", text) and text.split()[0].lower() not in _ADJECTIVE_ED:
        return "past"
    return "none"


@lru_cache(maxsize=65536)
def polarity(text: str) -> int:
    """-1 for a negated or disliking statement, else 1."""
    return -1 if negated(text) or _DISLIKE.search(text) else 1


def veto(a: str, b: str) -> str | None:
    """Why two texts can never be one fact: a differing number, date, name, person, tense or
    polarity; None when nothing hard differs."""
    if numbers(a) != numbers(b):
        return "number"
    if dates(a) != dates(b):
        return "date"
    if _colours(a) != _colours(b):
        return "colour"
    if _names_differ(a, b):
        return "name"
    if relations(a) != relations(b):
        return "person"
    ta, tb = tense(a), tense(b)
    if {ta, tb} == {"past", "future"}:
        return "tense"
    if polarity(a) != polarity(b):
        return "polarity"
    return None


_SOFT = {"all-time", "ever", "absolutely", "huge", "big", "super", "hidden", "kept", "stuck",
         "tend", "usually", "generally", "pretty", "thing", "one"}  # fmt: skip
"""Words that add emphasis rather than detail."""


def features(a: str, b: str, cosine: float) -> npt.NDArray[np.float32]:
    """The pair's features (symmetric in ``a`` and ``b``)."""
    wa, wb = content_words(a) - _SOFT, content_words(b) - _SOFT
    union = len(wa | wb) or 1
    shared = len(wa & wb)
    la, lb = len(_WORD.findall(a)), len(_WORD.findall(b))
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
            float(_names_differ(a, b)),
            float(relations(a) != relations(b)),
            float(negated(a) != negated(b)),
            float(polarity(a) != polarity(b)),
            float({ta, tb} == {"past", "future"}),
            float(ta != tb),
            float(bool(_CHANGE.search(a)) != bool(_CHANGE.search(b))),
            float(_one_swap(a, b)),
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
    x = np.stack([features(a, b, float(vectors[a] @ vectors[b])) for _, a, b in rows])
    y = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for row, (label, _, _) in enumerate(rows):
        y[row, LABELS.index(label)] = 1.0
    w = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
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

    def judge(self, a: str, b: str, cosine: float) -> Verdict:
        """The verdict on two texts whose embeddings have cosine ``cosine``."""
        logits = self.weights @ features(a, b, cosine)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        best = int(np.argmax(p))
        vetoed = veto(a, b)
        label = LABELS[best]
        if vetoed is not None and label == "paraphrase":
            label = "look_alike"
        paraphrase = float(p[0])
        if cosine < MERGE_FLOOR or paraphrase < MERGE_PROBABILITY:
            label = label if label != "paraphrase" else "more_detail"
        return Verdict(label, float(p[best]), paraphrase, vetoed)


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
