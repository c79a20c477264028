"""One-valued facts about the user read from a memory's own words, and states that exclude
each other.

"I live in Leeds" and "I moved to York" give two values of where the user lives; "I'm
vegetarian" and "I eat steak every week" cannot both hold. These read a text as written
(lower case too), so they work without a model and whatever the extraction recorded.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SELF = r"(?:^\s*|\b(?:i|we)\s+|\bi['’]m\s+|\bwe['’]re\s+|\bi['’]ve\s+|\bwe['’]ve\s+)"
_NOW = r"(?:(?:now|just|recently|finally|also|still|currently|actually|officially)\s+)*"
_VALUE = r"(?:the\s+|a\s+)?([a-z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)?)"
_HOME = (
    r"(?:lives|live|lived|living|moved|moving|relocated|based|settled|have moved|been living)"
    r"\s+(?:in|to|over to|down to|up to|out to)\s+"
)
_FRAMES = {
    "home": re.compile(_SELF + _NOW + _HOME + _VALUE, re.I),
    "work": re.compile(
        _SELF + _NOW + r"(?:works|work|worked|working|started|starting|employed|have started|"
        r"got a (?:new )?job|took a job|joined|been working)\s+(?:at|for|with|by)?\s*" + _VALUE,
        re.I,
    ),
}
_NOT_VALUES = {
    "home",
    "here",
    "there",
    "the",
    "a",
    "my",
    "our",
    "hard",
    "late",
    "early",
    "out",
    "from",
    "on",
    "in",
    "as",
    "part",
    "full",
    "remotely",
    "running",
    "again",
    "today",
    "yesterday",
    "together",
    "with",
    "it",
    "this",
    "that",
    "last",
    "next",
    "week",
    "month",
    "year",
}
_OPPOSED = [
    (
        r"\b(?:vegetarian|vegan|veggie|don['’]?t eat meat|no meat|plant[- ]based)\b",
        r"\b(?:steak|beef|bacon|chicken|pork|burgers?|meat|lamb|ham|sausages?|salami|"
        r"pepperoni|ribs|brisket|mince)\b",
    ),
    (
        r"\b(?:don['’]?t drink|sober|teetotal|never drink|stopped drinking|quit drinking|"
        r"alcohol[- ]free|no alcohol)\b",
        r"\b(?:beers?|wine|pints?|drunk|cocktails?|whisk(?:e)?y|vodka|gin|hungover|"
        r"prosecco|booze)\b",
    ),
    (
        r"\b(?:don['’]?t smoke|non-?smoker|never smoked|quit smoking|stopped smoking)\b",
        r"\b(?:cigarettes?|smoked|smoking|smokes|vape|vaping|cigars?)\b",
    ),
    (
        r"\b(?:can['’]?t drive|don['’]?t drive|no driving licen[cs]e|don['’]?t have a car)\b",
        r"\b(?:drove|my car|driving to|i drive|drive to)\b",
    ),
]
_RELATIONAL = [
    (
        r"\b(?:i['’]?m single|i am single|not dating|not seeing anyone)\b",
        r"\b(?:married|my wife|my husband|my girlfriend|my boyfriend|my partner|engaged|"
        r"my fianc[eé]e?)\b",
    ),
    (r"\b(?:only child|no siblings)\b", r"\b(?:my (?:brother|sister|siblings?)|twin)\b"),
    (r"\b(?:no kids|no children|childless)\b", r"\b(?:my (?:son|daughter|kids?|children))\b"),
]
"""States broken by someone the other text names (checked whoever the sentence is about)."""
_OTHERS = re.compile(
    r"(?i:\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:mum|mom|mother|dad|father|wife|husband|"
    r"partner|boyfriend|girlfriend|son|daughter|kids?|children|brother|sister|friend|"
    r"flatmate|roommate|boss|colleague|neighbou?r)\b)"
    r"|^\s*(?!I\b|I['’]|We\b|My\b|Our\b|The\b)[A-Z]\w+\s",
)
"""A sentence about someone else ("my husband loves steak", "Jo eats meat")."""


def _subject(text: str) -> str:
    """Whom a sentence is about: ``""`` for the user, else the person it names first."""
    found = _OTHERS.search(text)
    return found.group(0).strip().lower() if found else ""


_COMPILED = [(re.compile(a, re.I), re.compile(b, re.I), False) for a, b in _OPPOSED] + [
    (re.compile(a, re.I), re.compile(b, re.I), True) for a, b in _RELATIONAL
]


_ROLE = re.compile(
    r"\bmy\s+(boss|manager|line manager|gp|doctor|dentist|hairdresser|barber|landlord|landlady|"
    r"therapist|physio|physiotherapist|accountant|lawyer|solicitor|vet|personal trainer|tutor)"
    r"(?:\s+(?:at|in|from|for)\s+[\w'’ -]+?)?\s+is\s+(?:now\s+)?"
    r"(?:(?:dr|dra|don|doña|mr|mrs|ms|miss)\.?\s+)?([A-Z][\w'’-]+)",
    re.I,
)
"""Someone who fills a role the user has one of, named ("my boss at the vineyard is Don
Patricio Reyes": ``role:boss``, ``patricio``)."""


_FAVOURITE = r"(?:all[- ]time\s+|absolute\s+|current\s+)?(?:favou?rite|fave|fav)\s+"
_FAVOURITES = (
    re.compile(
        r"\bmy\s+" + _FAVOURITE + r"([a-z]+(?:\s+(?:band|book|film|movie|show|food|colou?r|"
        r"song|team|sport|game|author|singer|artist|drink|dish|place|city|season|flower|animal))?)"
        r"\s+(?:is|are|=|:)\s+(?:now\s+|still\s+|probably\s+)?(?:the\s+|a\s+|an\s+)?"
        r"([\w'’&-]+)",
        re.I,
    ),
    re.compile(
        r"^\s*(?:the\s+)?([\w'’&-]+)\s+(?:is|are)\s+(?:still\s+)?my\s+"
        + _FAVOURITE
        + r"([a-z]+)\b",
        re.I,
    ),
)
"""A favourite of one kind, and what it is ("my favourite colour is blue", "Radiohead is my
all-time favourite band")."""


@lru_cache(maxsize=65536)
def attribute(text: str) -> tuple[str, str] | None:
    """``(kind, value)`` of a one-valued fact about the user: where they live (``home``) or
    work (``work``), e.g. ``("home", "york")`` for "I moved to York", who fills a role
    they have one of (``role:boss``, ``role:dentist``…, the first name), or their favourite
    of a kind (``favourite:colour``, ``blue``); else None. A message that opens with the user
    is read on in its later clauses, the last first ("I quit Costa, started at Pret":
    ``("work", "pret")``)."""
    role = _ROLE.search(text)
    if role is not None and role.group(2)[0].isupper():
        return "role:" + " ".join(role.group(1).lower().split()), role.group(2).lower()
    favourite = _FAVOURITES[0].search(text)
    if favourite is not None:
        return _favourite(favourite.group(1), favourite.group(2))
    favourite = _FAVOURITES[1].search(text)
    if favourite is not None:
        return _favourite(favourite.group(2), favourite.group(1))
    clauses = [text]
    if _USER_OPENS.match(text):  # "i quit costa, started at pret": the user's, told after
        clauses += reversed(_CLAUSE.split(text)[1:])
    for clause in clauses:
        for kind, frame in _FRAMES.items():
            found = frame.search(clause)
            if found is None:
                continue
            value = found.group(1).lower().strip("'’")
            first = value.split()[0]
            if first not in _NOT_VALUES and not first.endswith("ing"):
                return kind, first
    return None


_USER_OPENS = re.compile(r"^\W*(?:i|we|i['’]m|we['’]re|i['’]ve|we['’]ve)\b", re.I)
_CLAUSE = re.compile(r"\s*[,;]\s*|\s+(?:and|then|now)\s+", re.I)
"""Where a clause that goes on with the same subject may start ("…, started at Pret")."""


def _favourite(kind: str, value: str) -> tuple[str, str]:
    """``("favourite:colour", "blue")``: one spelling of each kind ("color", "movie")."""
    kind = " ".join(kind.lower().split()).replace("color", "colour").replace("movie", "film")
    return "favourite:" + kind, value.lower().strip("'’")


_THEIR_HOME = re.compile(
    r"^\s*(?:(?:my|our|her|his|their)\s+)?(?:[\w'’-]+,?\s+)?([\w'’-]+),?"
    r"(?:\s+and\s+(?:her|his|their)\s+\w+)?\s+" + _NOW + r"(?:has\s+|have\s+)?" + _HOME + _VALUE,
    re.I,
)
_NOT_WHO = {"i", "we", "i'm", "we're", "i've", "we've", "it", "they", "he", "she", "you", "the"}


@lru_cache(maxsize=65536)
def their_home(text: str) -> tuple[str, str] | None:
    """``(who, place)`` for where someone the text opens with lives: ``("mum", "lagos")`` for
    "Mum moved to Lagos", ``("kirsty", "stonehaven")`` for "Kirsty and her family moved down
    to Stonehaven"; None for the user (see :func:`attribute`) or no such statement."""
    found = _THEIR_HOME.search(text)
    if found is None or found.group(1).lower() in _NOT_WHO or attribute(text) is not None:
        return None
    value = found.group(2).lower().strip("'’")
    first = value.split()[0]
    if first in _NOT_VALUES or first.endswith("ing"):
        return None
    return found.group(1).lower(), first


@lru_cache(maxsize=65536)
def opposed(a: str, b: str) -> bool:
    """Whether one text states a way of living the other breaks ("vegetarian" / "steak every
    week", "I don't drink" / "three pints last night")."""
    for state, breach, relational in _COMPILED:
        for x, y in ((a, b), (b, a)):
            broken = state.search(x) and breach.search(y) and not state.search(y)
            if broken and (relational or _subject(x) == _subject(y)):
                return True
    return False


def states_a_way_of_living(text: str) -> bool:
    """Whether a text states a way of living that another memory could break."""
    return any(state.search(text) for state, _, _ in _COMPILED)
