"""Values a correction changes, read by kind: a date, a weekday, a month, a time, an ordinal
day, a number, or a person (by relation or by title).

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
from collections.abc import Collection
from dataclasses import dataclass

from assistant.learning.corrections import RELATION, as_written

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
"""A month, in full or cut short ("Marta", "market" and "junior" are none)."""
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
    ("weekday", re.compile(r"\b(?:next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.I)),
    ("month", re.compile(rf"\b{_MONTHS}(?!\w)", re.I)),
    ("ordinal", re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.I)),
    ("number", re.compile(r"(?<![\w.:])\d+(?:\.\d+)?(?![\w:])")),
    ("title", re.compile(r"\b(?:dr|doctor|mr|mrs|ms|miss|prof)\.?\s+[^\W\d_][\w'’-]+", re.I)),
)
"""The kinds of value, most specific first: a span taken by one is not read again as another
("8:50pm" is a time, not the numbers 8 and 50). A person called by title ("dr okafor") is one
too: "okafor retired, I'm with dr lindqvist now" puts another in the same place."""
_PERSON = re.compile(
    rf"\b(?:meant|mean|it'?s|it was|not|was)\s+(?P<value>(?:my|our)\s+{RELATION}"
    r"(?:,\s*[^\W\d_][\w'’-]*(?=\s*(?:[.,!;]|$))|\s+(?-i:[A-Z])[\w'’-]*)?)(?![\w'’])",
    re.I,
)
PERSON_SAID = re.compile(rf"\b(?:my|our)\s+{RELATION}\b", re.I)
"""Someone a fact speaks of by relation ("My daughter is lactose intolerant")."""

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


def values(text: str, correction: bool = False) -> list[Value]:
    """The values in ``text`` in order, each span read as its most specific kind, with the
    people it speaks of by relation; in a ``correction`` only a person it says it meant
    ("sorry, I meant my son, Dara", "it's my sister, not my brother"), never one it merely
    mentions ("my mum reminded me")."""
    taken: list[tuple[int, int]] = []
    found: list[Value] = []
    people = (
        [(m.group("value"), m.start("value")) for m in _PERSON.finditer(text)]
        if correction
        else [(m.group(0), m.start()) for m in PERSON_SAID.finditer(text)]
    )
    for said, start in people:
        taken.append((start, start + len(said)))
        found.append(Value("person", said, start, start + len(said)))
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
    new_values = [v for v in values(said, correction=True) if _norm(v.text) not in old_words]
    if not new_values:
        return None
    replaced: list[tuple[Value, str]] = []
    for kind in dict.fromkeys(v.kind for v in new_values):
        new = [_spoken(v) for v in new_values if v.kind == kind]
        mentioned = {_norm(v.text) for v in values(said, correction=True) if v.kind == kind}
        old = [v for v in old_values if v.kind == kind]
        if not old and kind in _NAMED:
            continue  # "dr patel said so": someone else, not a value the fact holds
        if not old and kind in ("ordinal", "number") and all(_a_day(n) for n in new):
            old = _days_of_dates(old_values)  # "the 26th" for "the 19th of june"
        if len(old) != len(new):
            # "not tuesday": an old value the correction names is the one it replaces.
            old = [v for v in old if _norm(v.text) in mentioned] or old
        if len(old) != len(new):
            return None
        replaced += [
            (_with_name(o, n, fact), _with_meridiem(as_written(n, o.text), o.text, kind))
            for o, n in zip(old, new, strict=True)
        ]
    if not replaced:
        return None
    out = fact
    for old_value, new_text in sorted(replaced, key=lambda r: -r[0].start):
        out = out[: old_value.start] + new_text + out[old_value.end :]
    return out


_MERIDIEM = re.compile(r"\s?([ap]\.?m\.?)$", re.IGNORECASE)


def _with_meridiem(new: str, old: str, kind: str) -> str:
    """A time said without am or pm in place of one said with it keeps it ("8:40" for
    "6:40am" is "8:40am")."""
    if kind != "time" or _MERIDIEM.search(new) or not (said := _MERIDIEM.search(old)):
        return new
    return new + said.group(0)


_PROPER = re.compile(r"(?<![\w'’])(?-i:[A-Z])[\w-]*(?:['’](?-i:[A-Z])[\w-]*)?")
_NOT_PROPER = re.compile(r"I|I'm|I've|I'd|I'll|I’m|I’ve|I’d|I’ll")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)\W*$")


def _names(fact: str) -> list[re.Match[str]]:
    """The names a fact holds: capitalised words that open no sentence and are no date."""
    return [
        m
        for m in _PROPER.finditer(fact)
        if not _SENTENCE_START.search(fact[: m.start()])
        and not _NOT_PROPER.fullmatch(m.group(0))
        and not any(p.fullmatch(m.group(0)) for _, p in KINDS)
    ]


def renamed(fact: str, name: str, people: Collection[str] = ()) -> tuple[str, str] | None:
    """``fact`` with the one name it holds (a capitalised word that opens no sentence and is
    no date) said as ``name``, and the name it held: "My cat's name is Tofu." and "Miso" give
    ("My cat's name is Miso.", "Tofu"); None when it holds no name, or several (which one is
    meant is not guessed). Of several, the one that begins as ``name`` does is meant ("My
    best friend Jo lives in Cardiff." and "Jess": Jo); else the ``people`` it names are left
    out when ``name`` is none of them ("My brother Jon lives in Galway." and "Sligo": the
    place)."""
    found = _names(fact)
    alike = [m for m in found if m.group(0)[:1].lower() == name[:1].lower()]
    if len(found) > 1 and len(alike) == 1:
        found = alike  # "My best friend Jo lives in Cardiff." and "Jess": the one spelled alike
    elif len(found) > 1 and name.lower() not in {p.lower() for p in people}:
        found = [m for m in found if m.group(0).lower() not in {p.lower() for p in people}]
    if len(found) != 1 or found[0].group(0).lower() == name.lower():
        return None
    old = found[0]
    return fact[: old.start()] + as_written(name, old.group(0)) + fact[old.end() :], old.group(0)


_GRAMMAR = frozenset(
    re.findall(
        r"\S+",
        "a an the my our your his her their its this that these those some any all no not and "
        "or but so of in on at to for from with by as into onto about near than then now "
        "still just too also very really is are was were be been am has have had do does did "
        "will would can could should i me we us you he she they them it there here today "
        "tonight tomorrow yesterday again soon later always never ever lol haha xx x pls "
        "please",
    )
)
"""Words that are grammar or time, never the thing a typo fix means."""


def retyped(fact: str, word: str) -> tuple[str, str] | None:
    """``fact`` with its last word that names a thing (no word of grammar or time, no
    relation, no number) said as ``word``, and the word it held: the word a starred fix with
    no likeness to any word means ("My mum lives in galway." and "sligo*" give ("My mum
    lives in sligo.", "galway")); None when there is none, it is ``word`` already, or the fact
    holds names (which of them is meant is not guessed: :func:`renamed`)."""
    if _names(fact):
        return None
    for m in reversed(list(re.finditer(r"(?<![\w'’])[^\W\d_][\w'’-]*", fact))):
        said = m.group(0)
        if said.lower() in _GRAMMAR or re.fullmatch(RELATION, said, re.IGNORECASE):
            continue
        if said.lower() == word.lower() or _SENTENCE_START.search(fact[: m.start()]):
            return None
        return fact[: m.start()] + as_written(word, said) + fact[m.end() :], said
    return None


_NAMED = ("person", "title")
"""Kinds of value that are someone: one the fact does not hold is someone else."""


def _spoken(value: Value) -> str:
    """A value as it goes into the fact: "my son, Dara" is "my son Dara"."""
    return re.sub(r",\s*", " ", value.text) if value.kind == "person" else value.text


def _with_name(old: Value, new: str, fact: str) -> Value:
    """``old`` with the name the fact gives after it, when ``new`` gives that name too ("my
    sister ana" becoming "my cousin Ana", not "my cousin Ana ana")."""
    name = new.split()[-1]
    if old.kind != "person" or not (m := re.match(r"\s+([\w'’-]+)", fact[old.end :])):
        return old
    if m.group(1).lower() != name.lower() or len(new.split()) < 3:
        return old
    return Value(old.kind, fact[old.start : old.end + m.end()], old.start, old.end + m.end())


def _a_day(value: str) -> bool:
    """Whether a number could be a day of a month: "26th" or "26" could, "32" (an age, a
    price) could not, so "i am 32 now" changes no birthday."""
    digits = re.match(r"\d+", value)
    return digits is not None and "." not in value and 1 <= int(digits.group(0)) <= 31


def _days_of_dates(found: list[Value]) -> list[Value]:
    """The day in each date ("19th" in "19th of june"), as a value of its own."""
    days = []
    for value in found:
        if value.kind == "date" and (m := _DAY.search(value.text)):
            days.append(
                Value("ordinal", m.group(0), value.start + m.start(), value.start + m.end())
            )
    return days


_WAS_NOW = re.compile(
    r"\b(?:(?:it|that|which|he|she|they)\s+)?(?:was|were|used to be)\s+[^,.;!?]{1,30},\s*"
    r"(?:but\s+)?(?=now\b)",
    re.IGNORECASE,
)
"""What a value was, said before what it is now ("it was the 9th, now it's the 23rd"): the
value is dropped, never a state ("it was fun, now I'm tired")."""


def without_old_value(text: str) -> str:
    """``text`` without the value a move left ("swim lessons moved from wednesdays to fridays"
    → "swim lessons moved to fridays"; "got moved, it was the 9th, now it's the 23rd" → "got
    moved, now it's the 23rd")."""
    moved = _MOVED.sub(lambda m: f"{m.group(1)} {m.group(3)} ", text)
    return _WAS_NOW.sub(lambda m: "" if values(m.group(0)) else m.group(0), moved)
