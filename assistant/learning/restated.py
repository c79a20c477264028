"""A fact the user says they told wrongly, restated: "wait i said my flight was at 6:40 but
it's actually 8:40" means "my flight was at 8:40", whether or not the first telling was kept,
and "pls stop calling me Sandra, it's Saundra" means "My name is Saundra".

The fact is what follows "I said" (or "I told you", "I mentioned", "I wrote"); what follows
"but" gives the new values, put in place of the fact's values of the same kinds
(:func:`~assistant.learning.slots.substitute`). Nothing is guessed: without a value of a kind
the fact holds, there is no restatement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.learning.slots import substitute

_SAID_THEN = re.compile(
    r"^\W*(?:(?:wait|no|nope|sorry|oops|hmm|ugh|actually|ok|okay|so)\W+)*"
    r"(?:i|i've|ive|i have)\s+(?:said|told you|mentioned|wrote)"
    r"(?:\s+(?:earlier|before|yesterday|last time))?(?:\s+that)?\s+"
    r"(?P<fact>[^.!?]+?),?\s+but\s+(?P<now>.+)$",
    re.IGNORECASE,
)

_CALLED = re.compile(
    r"\b(?:stop|quit|don'?t|do not|never) call(?:ing)? me (?P<old>[^\W\d_][\w'’-]*)\W+"
    r"(?:it'?s|it is|i'?m|i am|my name'?s|my name is|the name'?s)\s+"
    r"(?P<new>[^\W\d_][\w'’-]*)",
    re.IGNORECASE,
)
"""The user's own name set right: "pls stop calling me Sandra, it's Saundra"."""

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NOW_WORD = re.compile(
    r"(?:(?:it'?s|its|it is|that'?s|thats)\s+(?:actually\s+|really\s+)?|actually\s+)"
    r"(?!(?:not|no|yes|a|an|the|my|fine|ok|okay|wrong|right|true|false)\b)"
    r"(?P<new>[^\W\d_][\w'’-]*)(?=\W|$)",
    re.IGNORECASE,
)
"""The one word a restatement of one word gives ("it's actually Miso lol")."""


@dataclass(frozen=True)
class Restatement:
    """A fact as it should have been told, and the words it changes."""

    fact: str
    old: str
    new: str


def restatement(text: str) -> Restatement | None:
    """The fact ``text`` says was told wrongly, with its new values; None when it says no
    such thing or names no new value of a kind the fact holds."""
    text = " ".join(text.split())
    called = _CALLED.search(text)
    if called and called["old"].lower() != called["new"].lower() and _named(called):
        return Restatement(f"My name is {called['new']}", called["old"], called["new"])
    match = _SAID_THEN.match(text)
    if match is None:
        return None
    told = match.group("fact")
    if (word := _WORD.fullmatch(told)) and (now := _NOW_WORD.match(match.group("now"))):
        old, new = word.group(0), now.group("new")  # "i said Mochi but it's actually Miso"
        return Restatement(new, old, new) if old.lower() != new.lower() else None
    fixed = substitute(told, match.group("now"))
    if fixed is None or fixed == told:
        return None
    before, after = told.split(), fixed.split()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after).get_opcodes():
        if tag != "equal":
            old = " ".join(before[i1:i2]).strip(" ,.")
            new = " ".join(after[j1:j2]).strip(" ,.")
            return Restatement(fixed, old, new) if old and new else None
    return None


def _named(called: re.Match[str]) -> bool:
    """Whether what the user is called and would be are names, not words ("stop calling me
    lazy, I'm tired"): one of them is written with a capital."""
    return called["old"][:1].isupper() or called["new"][:1].isupper()
