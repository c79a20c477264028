"""When two memory texts state the same fact, and when they state different values of it.

Meaning alone is not enough: "dentist on March 3" and "dentist on May 3" are close in meaning
but differ in a detail, and "allergic to peanuts" is close to "allergic to peanuts and cashews"
but the second says more. These checks sit on top of an embedding similarity.
"""

from __future__ import annotations

import re
from functools import lru_cache

DUPLICATE_SIMILARITY = 0.88
"""MiniLM cosine above which two facts with the same details are the same fact."""
REFINEMENT_SIMILARITY = 0.95
"""When one statement adds words to the other ("peanuts" / "peanuts and cashews"), it is the
same fact only from this cosine ("is a nurse" / "works as a nurse")."""
_SELF = {"i", "i'm", "i've", "i'd", "i'll"}
_NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|dozen|half|first|second|third|once|twice)\b",
    re.IGNORECASE,
)

_WORD = re.compile(r"[\w'-]+")
_NEGATION = re.compile(
    r"\b(?:not|no longer|don't|doesn't|didn't|won't|can't|never|anymore|any more|stopped|quit|"
    r"isn't|aren't|wasn't)\b",
    re.IGNORECASE,
)
_STATE_CHANGE = re.compile(
    r"\b(?:anymore|any more|no longer|stopped|quit|gave up|now|these days|moved|switched|"
    r"changed|since)\b",
    re.IGNORECASE,
)
_DETAIL = re.compile(
    r"^(?:\d[\d:.,/-]*(?:am|pm|st|nd|rd|th)?|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|am|pm)$",
    re.IGNORECASE,
)
_FILLER = {
    "really",
    "very",
    "so",
    "much",
    "quite",
    "totally",
    "absolutely",
    "just",
    "truly",
    "definitely",
    "actually",
    "still",
    "always",
    "also",
    "too",
    "the",
    "a",
    "an",
    "and",
    "of",
    "to",
    "in",
    "on",
    "at",
    "my",
    "i",
    "i'm",
    "im",
    "is",
    "am",
    "are",
    "it",
    "that",
    "for",
    "with",
    "be",
    "been",
    "was",
    "do",
    "does",
    "have",
    "has",
    "me",
    "our",
    "we",
    "by",
    "as",
    "honestly",
    "frankly",
    "seriously",
    "literally",
    "basically",
    "got",
    "lot",
    "lots",
}


@lru_cache(maxsize=65536)
def details(text: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """The details two statements of one fact must share: capitalised names (after the
    first word), numbers, and whether it is negated."""
    words = _WORD.findall(text)
    names = frozenset(
        w.lower() for i, w in enumerate(words[1:]) if w[0].isupper() and w.lower() not in _SELF
    )
    numbers = frozenset(re.findall(r"\d+", text)) | frozenset(
        w.lower() for w in _NUMBER_WORDS.findall(text)
    )
    return names, numbers, bool(_NEGATION.search(text))


def same_details(a: str, b: str) -> bool:
    """Whether two statements share their details: the same numbers and negation, and each
    name one writes capitalised is a word of the other ("My girlfriend is sophie." and "My
    girlfriend is Sophie." name one person)."""
    names_a, numbers_a, negated_a = details(a)
    names_b, numbers_b, negated_b = details(b)
    if numbers_a != numbers_b or negated_a != negated_b:
        return False
    words_a = {w.lower() for w in _WORD.findall(a)}
    words_b = {w.lower() for w in _WORD.findall(b)}
    return names_a <= words_b and names_b <= words_a


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words that carry meaning (fillers dropped, a plural ``s`` trimmed)."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in _FILLER or len(word) < 2:
            continue
        out.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return frozenset(out)


def refines(longer: str, shorter: str) -> bool:
    """Whether ``longer`` says everything ``shorter`` says and more ("allergic to peanuts and
    cashews" refines "allergic to peanuts"): then they are two facts, not one."""
    a, b = content_words(longer), content_words(shorter)
    return b < a


def same_fact(a: str, b: str, similarity: float, threshold: float = DUPLICATE_SIMILARITY) -> bool:
    """Same fact: very similar meaning, the same details, and, when one adds words to the
    other, nearly identical meaning."""
    if similarity < threshold or not same_details(a, b):
        return False
    return similarity >= REFINEMENT_SIMILARITY or not (refines(a, b) or refines(b, a))


SAID_WITHIN_SIMILARITY = 0.5
"""MiniLM cosine from which a fact told again with more after it is one fact (with its words
first, "We live in york." / "We live in york with our two cats." are 0.69 apart)."""
_GOES_ON = frozenset(
    re.findall(
        r"\w+",
        "with called named on at in for from since and but who which that when where because "
        "while after before near by as",
    )
)
"""Words that go on from a whole statement with more about it ("… with our two cats", "…
called Rex", "… on weekends"), not inside one ("I have a dog" / "I have a dog allergy")."""


def said_within(short: str, long: str, similarity: float) -> bool:
    """Whether ``long`` is ``short`` told with more after it: the shorter's words (three or
    more) open the longer, which goes on after them with a comma, a bracket or a word such as
    "with", "called" or "on" ("We live in york." / "We live in york with our two cats.", "I
    have a dog." / "I have a dog called Rex, he's 3"). Never a negated statement: "I don't
    drink coffee" says more than "I don't drink coffee after 6pm"."""
    if similarity < SAID_WITHIN_SIMILARITY or negated(short) or negated(long):
        return False
    first = _WORD.findall(short.lower())
    words = list(_WORD.finditer(long))
    n = len(first)
    if n < 3 or len(words) <= n or [w.group(0).lower() for w in words[:n]] != first:
        return False
    between = long[words[n - 1].end() : words[n].start()].strip()
    return words[n].group(0).lower() in _GOES_ON or bool(between) and between[0] in ",;:(—–-"


def negated(text: str) -> bool:
    """Whether the statement is negated ("I don't drink coffee anymore")."""
    return bool(_NEGATION.search(text))


def changes_state(text: str) -> bool:
    """Whether the statement reports a change ("no longer", "stopped", "moved", "now")."""
    return bool(_STATE_CHANGE.search(text))


def value_slots(a: str, b: str) -> list[tuple[str, str]] | None:
    """The differing words of two statements that are the same sentence except for details
    (names, numbers, days, months): ``[("March", "May")]`` for "dentist on March 3" and
    "dentist on May 3". None when they differ in anything else, or not at all."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    if len(wa) != len(wb) or len(wa) < 3:
        return None
    slots = []
    for x, y in zip(wa, wb, strict=True):
        if x.lower() == y.lower():
            continue
        if not (_is_detail(x) and _is_detail(y)):
            return None
        slots.append((x, y))
    return slots or None


def _is_detail(word: str) -> bool:
    return bool(_DETAIL.match(word)) or word[0].isupper()
