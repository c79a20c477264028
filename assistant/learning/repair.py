"""Self-repair inside one message: "I'm on 40mg... no sorry, 20mg" means 20mg.

A writer who fixes a value as they type says the new one after a repair cue ("no sorry",
"sorry", "I mean", "no wait", "make that", "or rather"); the value it replaces is the last one
of the same kind before the cue: a number with the same unit or ending ("40mg" / "20mg",
"19th" / "21st", "3pm" / "4pm"), a weekday, a month or a date ("on tuesday, no wait,
wednesday at 4"). The message is read as if written right the first time, so the old value is
never learned.

A whole statement fixed in passing ("my sister lives in york, no wait she moved to hull last
year") is read from the fix on: what it replaces is kept apart as context, so "she" is still
the sister.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_CUE = re.compile(
    r"(?<!\s)(?:\s*(?:\.{2,}|…|,|;|\s-|\s—))?\s*\b(?P<cue>no,?\s+sorry|sorry|no,?\s+wait|"
    r"wait,?\s+no|i mean|i meant|make that|or rather|no no|err+)\b[,:]?\s+",
    re.IGNORECASE,
)
_VALUE = re.compile(r"\d[\w:.]*?(?=[\s.,!?;)(]|$)")
_ORDINAL = {"st", "nd", "rd", "th"}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_WORD_VALUES = (
    (
        "date",
        re.compile(
            rf"\b{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?"
            rf"\s+{_MONTH}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?\b", re.IGNORECASE
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:january|february|march|april|may|june|july|august|september|october|"
            r"november|december)\b",
            re.IGNORECASE,
        ),
    ),
)
"""Values in words, most specific first ("march 3" is a date, not the month march)."""
_APOLOGY = re.compile(r"\b(?:i'?m|am|so|really|very)\s*$", re.IGNORECASE)
"""Words before "sorry" that make it an apology ("I'm sorry, Tuesday is bad for me")."""


_LEAD_IN = re.compile(r"(?:(?:on|at|for|by)\s+)?(?:the\s+)?", re.IGNORECASE)
"""Words before a value fixed in passing that are not part of it ("no wait, the 21st")."""


def _kind(value: str) -> str:
    """What a value counts or measures: its letters after the digits ("mg", "pm"); every
    ordinal ending is one kind ("19th" / "21st")."""
    letters = re.sub(r"^[\d:.]+", "", value).lower()
    return "th" if letters in _ORDINAL else letters


def _new_value(text: str, at: int) -> tuple[str, re.Pattern[str], int] | None:
    """The value that starts at ``at`` after a cue: its kind, the pattern of its kind and
    where it ends."""
    for kind, pattern in _WORD_VALUES:
        if (m := pattern.match(text, at)) is not None:
            return kind, pattern, m.end()
    if (m := _VALUE.match(text, at)) is not None:
        return _kind(m.group()), _VALUE, m.end()
    return None


def _old_value(text: str, end: int, kind: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The last value of ``kind`` before ``end``."""
    found = [
        v
        for v in pattern.finditer(text, 0, end)
        if pattern is not _VALUE or _kind(v.group()) == kind
    ]
    return found[-1] if found else None


def repaired(text: str) -> str:
    """``text`` with each value fixed in passing put in place of the one it replaces ("on
    fluoxetine 40mg... no sorry, 20mg." reads "on fluoxetine 20mg."); unchanged when no
    earlier value of the same kind precedes the cue."""
    while True:
        for cue in _CUE.finditer(text):
            lead = _LEAD_IN.match(text, cue.end())  # "no wait, the 21st"
            at = lead.end() if lead is not None else cue.end()
            new = _new_value(text, at)
            if new is None:
                respelled = _respelled(text, cue, at)
                if respelled is not None:
                    text = respelled
                    break
                continue
            kind, pattern, end = new
            if pattern is not _VALUE and (
                cue.group("cue").lower() == "sorry" and _APOLOGY.search(text, 0, cue.start())
            ):
                continue  # "I'm sorry, Tuesday is bad for me"
            old = _old_value(text, cue.start(), kind, pattern)
            if old is not None:
                value = text[at:end]
                text = text[: old.start()] + value + text[old.end() : cue.start()] + text[end:]
                break
        else:
            return text


_WORD_ALONE = re.compile(r"([^\W\d_][\w'’-]{2,})[\s.!]*$")
"""A word said alone after a cue, at the end of the message ("… sorry mcalister")."""
SPELLING_SIMILARITY = 0.8
"""How alike two spellings of one word are ("mcallister" / "mcalister" 0.95, "bela" /
"bella" 0.89; "tea" / "coffee" 0.22)."""


def _respelled(text: str, cue: re.Match[str], at: int) -> str | None:
    """``text`` with a word spelled again after a cue put in place of the word before it
    that it respells ("my surname is mcallister... sorry mcalister" reads "my surname is
    mcalister"); None when the message ends in no such word."""
    said = _WORD_ALONE.match(text, at)
    if said is None:
        return None
    new = said.group(1)
    for old in reversed(list(re.finditer(r"[^\W\d_][\w'’-]{2,}", text[: cue.start()]))):
        word = old.group(0)
        if word.lower() == new.lower() or word[0].lower() != new[0].lower():
            continue
        if SequenceMatcher(None, word.lower(), new.lower()).ratio() >= SPELLING_SIMILARITY:
            return text[: old.start()] + new + text[old.end() : cue.start()]
    return None


_RESTART = re.compile(
    r"(?:\s*(?:\.{2,}|…|,|;|\s-|\s—))?\s*\b(?:no,?\s+wait|wait,?\s+no|actually,?\s+no|"
    r"no,?\s+sorry|scratch\s+that|correction)\b[,:!.]*\s+"
    r"(?=(?:i|i'?m|im|i'?ve|ive|we|we'?re|were|he|he'?s|hes|she|she'?s|shes|they|they'?re|my|our)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def restarted(text: str) -> tuple[str, str]:
    """``text`` read from a statement fixed in passing, and the part that statement
    replaces: ("she moved to hull last year", "my sister lives in york") for "my sister
    lives in york, no wait she moved to hull last year"; ``(text, "")`` where none is."""
    dropped: list[str] = []
    while (cue := _RESTART.search(text)) is not None:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, cue.start())]
        start = ends[-1] if ends else 0
        before = text[start : cue.start()].strip()
        if len(re.findall(r"\w+", before)) < 2:
            break  # "no wait, I…" opens the message: a correction of the one before
        dropped.append(before)
        text = f"{text[:start]} {text[cue.end() :]}".strip()
    return text, " ".join(dropped)
