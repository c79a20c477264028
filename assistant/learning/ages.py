"""How old a fact says someone is, and whom it is about: a newer age of the same person or pet
replaces the older one ("I'm 34." → "I just turned 35.", "Our dog biscuit is 3." → "biscuit
is 5 now").

Usage::

    age_of("My son leo turned 8 today (5 December 2026).")  # Age("leo", "8")
    age_of("I'm 35 now.")                                     # Age("i", "35")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = (
    r"(?P<me>i(?:'m|’m| am)?)"
    r"|(?:(?:my|our)\s+(?:\w+\s+){0,2}?)?(?P<name>[^\W\d_][\w'-]*)"
)
_AGE = re.compile(
    rf"^\s*(?:{_WHO})\s+(?:(?:has\s+)?(?:just|finally|now|officially)\s+)?"
    r"(?:is|'s|’s|am|turned|turns|is\s+turning|will\s+be|is\s+now)?\s*"
    r"(?:like\s+|nearly\s+|almost\s+|about\s+)?"
    r"(?:an?\s+(?=\d{1,3}[\s-]*(?:years?|yrs?|y/?o)\b))?(?P<age>\d{1,3}(?:\.\d)?)"
    r"(?!\s*(?:'|’|\"|ft|feet|foot|cm|kg|lbs?|st|stone|weeks?\s+pregnant|%|:|\.\d|am\b|pm\b))"
    r"(?:\s*(?:years?|yrs?|y/?o|months?|weeks?)(?:\s+old)?)?\b",
    re.IGNORECASE,
)
"""A clause that opens with someone and how old they are: "I'm 34", "I just turned 35", "our
dog biscuit is 3 now", "leo turned 8 today", "my nan is 90", "Biscuit is a 4 year old
beagle"; never a height, a weight, a time
or weeks of pregnancy ("I'm 5'10", "I'm 34 weeks pregnant")."""
_NOT_SOMEONE = frozenset(
    re.findall(
        r"\w+",
        "it this that there here what which who the a an they he she we you everything "
        "nothing rent flat house car bill train flight shift class meeting appointment",
    )
)
"""Words that open such a clause and are no person ("it's 5", "the flat is 80")."""


@dataclass(frozen=True)
class Age:
    """Someone's age as a fact says it."""

    who: str
    """``i`` for the user, else the name or word that opens the fact, in lower case."""
    age: str


def age_of(text: str) -> Age | None:
    """The age ``text`` gives and whose it is; None when it gives none."""
    match = _AGE.match(text)
    if match is None:
        return None
    if match.group("me"):
        who = "i"
    else:
        who = match.group("name").lower().removesuffix("'s").removesuffix("’s")
        if who in _NOT_SOMEONE:
            return None
    if not re.search(r"\b(?:is|'s|’s|am|'m|’m|turned)\b|^\s*i'?m\b", match.group(0), re.I):
        return None  # "biscuit 3", "biscuit turns 4 on friday": no age it is now
    return Age(who, match.group("age"))


def reaged(before: str, now: str) -> str:
    """The fact ``now`` gives a newer age in: ``now`` itself, or, where ``before`` says more
    of them than their age, ``before`` with the new age ("Biscuit is a 4 year old beagle."
    and "biscuit is 5 now" give "Biscuit is a 5 year old beagle.")."""
    old, new = age_of(before), age_of(now)
    if old is None or new is None or old.who != new.who:
        return now
    said = set(re.findall(r"[a-z]+", now.lower()))
    more = set(re.findall(r"[a-z]{3,}", before.lower())) - said - _AGE_WORDS
    if not more:
        return now
    return re.sub(rf"\b{re.escape(old.age)}\b", new.age, before, count=1)


_AGE_WORDS = frozenset({"year", "years", "old", "now", "just", "turned", "months", "the", "and"})
"""Words that say an age, not more of whom it is about."""
