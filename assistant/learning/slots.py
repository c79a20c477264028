"""Values a correction changes, read by kind: a date, a weekday, a month, a time, an ordinal
day or a number.

A correction often says only the new value ("wait no, thursday the 16th, not tuesday", "ugh
typo, 39", "actually it's more like 5 years", "it's 8:50pm on the 3rd"). The fact it corrects
holds an old value of the same kind in the same place, so the new fact is the old one with
each value swapped for the new one of its kind: "my dentist appointment is on tuesday the 14th
at 3" becomes "… on thursday the 16th at 3". A kind is swapped only when the count of new
values and of old ones agree, so nothing is guessed.

A fact that says a thing moved ("swim lessons moved from wednesdays to fridays") keeps only
where it went: the old value is no longer true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.learning.corrections import as_written

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            rf"\b{_MONTHS}\s\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?"
            rf"(?:\s+of)?\s+{_MONTHS}(?!\w)",
            re.I,
        ),
    ),
    ("time", re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.I)),
    ("weekday", re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.I)),
    ("month", re.compile(rf"\b{_MONTHS}(?!\w)", re.I)),
    ("ordinal", re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.I)),
    ("number", re.compile(r"(?<![\w.:])\d+(?:\.\d+)?(?![\w:])")),
)
"""The kinds of value, most specific first: a span taken by one is not read again as another
("8:50pm" is a time, not the numbers 8 and 50)."""

_MOVED = re.compile(
    r"\b(moved|moving|changed|changing|switched|switching|shifted|pushed(?: back)?|bumped|"
    r"rescheduled|brought forward|went|going)\s+from\s+([\w:' ]{1,40}?)\s+(to)\s+",
    re.IGNORECASE,
)
_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE)
_UNSURE = re.compile(r"\b(?:wish|if|maybe|hope|would)\b", re.IGNORECASE)
"""A sentence with these wonders or wishes ("I wish I was 29"): it states no new value."""


@dataclass(frozen=True)
class Value:
    """A value in a text: its kind, its words and where they stand."""

    kind: str
    text: str
    start: int
    end: int


def values(text: str) -> list[Value]:
    """The values in ``text`` in order, each span read as its most specific kind."""
    taken: list[tuple[int, int]] = []
    found: list[Value] = []
    for kind, pattern in KINDS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Value(kind, m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda v: v.start)


def _norm(value: str) -> str:
    return " ".join(value.lower().replace(".", "").split())


def substitute(fact: str, correction: str) -> str | None:
    """``fact`` with the values ``correction`` puts in place of its own, one kind at a time;
    None when the correction names no new value or the counts of a kind do not agree."""
    said = " ".join(s for s in re.split(r"(?<=[.!?])\s+", correction) if not _UNSURE.search(s))
    old_values = values(fact)
    old_words = {_norm(v.text) for v in old_values}
    new_values = [v for v in values(said) if _norm(v.text) not in old_words]
    if not new_values:
        return None
    replaced: list[tuple[Value, str]] = []
    for kind in dict.fromkeys(v.kind for v in new_values):
        new = [v.text for v in new_values if v.kind == kind]
        mentioned = {_norm(v.text) for v in values(said) if v.kind == kind}
        old = [v for v in old_values if v.kind == kind]
        if not old and kind in ("ordinal", "number"):
            old = _days_of_dates(old_values)  # "the 26th" for "the 19th of june"
        if len(old) != len(new):
            # "not tuesday": an old value the correction names is the one it replaces.
            old = [v for v in old if _norm(v.text) in mentioned] or old
        if len(old) != len(new):
            return None
        replaced += [(o, as_written(n, o.text)) for o, n in zip(old, new, strict=True)]
    out = fact
    for old_value, new_text in sorted(replaced, key=lambda r: -r[0].start):
        out = out[: old_value.start] + new_text + out[old_value.end :]
    return out


def _days_of_dates(found: list[Value]) -> list[Value]:
    """The day in each date ("19th" in "19th of june"), as a value of its own."""
    days = []
    for value in found:
        if value.kind == "date" and (m := _DAY.search(value.text)):
            days.append(
                Value("ordinal", m.group(0), value.start + m.start(), value.start + m.end())
            )
    return days


def without_old_value(text: str) -> str:
    """``text`` without the value a move left ("swim lessons moved from wednesdays to fridays"
    → "swim lessons moved to fridays")."""
    return _MOVED.sub(lambda m: f"{m.group(1)} {m.group(3)} ", text)
