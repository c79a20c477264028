"""Occasions: dated events the user told the assistant about ("I have a job interview on
Thursday at 10am"), read from recent memories with the same time words reminders use
(``assistant.when``), each dated from when it was said.

A day word is resolved against the moment the memory was said (its ``turn``, else its
creation), so "Thursday" said on a Monday is that week's Thursday. Habits ("every Thursday"),
things past ("last Thursday", "I had…") and times of day alone ("at 6pm") are no occasions.

Usage::

    for occasion in occasions(memories.list(limit=400), now=datetime.now().astimezone()):
        print(occasion.thing, occasion.at)
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from assistant.learning.dates import plain
from assistant.memory_types import Memory, MemoryType, Status
from assistant.when import parse_when

LOOK_BACK_DAYS = 30
"""Memories said longer ago than this name no occasion still to come."""
_DAY_WORDS = ("day", "tonight", "tomorrow", "week", "-")
"""Cheap test before the patterns: every day word, "week" and ISO date has one of these."""
_DAYS = re.compile(
    r"\b(?:today|tonight|tomorrow|next week|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b|\b\d{4}-\d{2}-\d{2}\b|\bin (?:an?|\d+) (?:days?|weeks?)\b",
    re.IGNORECASE,
)
_TIMED = re.compile(
    r"\b\d{1,2}(?::\d{2})? ?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\btonight\b", re.IGNORECASE
)
_NOT_AN_OCCASION = re.compile(
    r"\b(?:every|each|usually|always|often|weekly|daily|last|ago|yesterday|had|was|were|went|"
    r"did|used to)\b|(?:mon|tues|wednes|thurs|fri|satur|sun)days\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:(?:i|we)(?:'ve got| have got|'ve| have| has| got)|(?:i'm|i am|we're|we are) having"
    r"|there(?:'s| is))\s+(?:(?:a|an|the|my|our)\s+)?(?P<thing>.+)$",
    re.IGNORECASE,
)
_MY = re.compile(r"^(?:my|our)\s+(?P<thing>.+?)(?:\s+(?:is|are|will be))?$", re.IGNORECASE)
_DOING = re.compile(r"^(?:i'm|i am|we're|we are)\s+(?P<thing>\w+ing\b.*)$", re.IGNORECASE)
_TAIL = re.compile(r"[\s,;:.!?-]+$")


@dataclass(frozen=True)
class Occasion:
    """Something happening on a day the user named."""

    memory_id: str
    text: str
    """The memory as written."""
    thing: str
    """What happens, said to the user ("your job interview", "flying to Lisbon"); empty when
    the words do not make a short phrase."""
    at: datetime
    """When it happens (local time); 09:00 on its day when no time was said."""
    timed: bool
    """Whether a time of day was said."""
    said: datetime
    """When the user said it (local time)."""

    @property
    def day(self) -> datetime:
        """Midnight starting its day."""
        return self.at.replace(hour=0, minute=0, second=0, microsecond=0)


def occasions(memories: Iterable[Memory], *, now: datetime) -> list[Occasion]:
    """The occasions in ``memories`` (active, not habits) said in the last
    :data:`LOOK_BACK_DAYS` days and happening no earlier than yesterday, soonest first.
    ``now`` is aware; times come back in its zone."""
    zone = now.tzinfo
    assert zone is not None, "now must be timezone-aware"
    found = []
    earliest = now - timedelta(days=LOOK_BACK_DAYS)
    yesterday = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    for memory in memories:
        if memory.status is not Status.ACTIVE or memory.type is MemoryType.PROCEDURAL:
            continue
        said = said_at(memory, zone)
        if said < earliest or said > now:
            continue
        occasion = read_occasion(memory, said)
        if occasion is not None and occasion.at >= yesterday:
            found.append(occasion)
    return sorted(found, key=lambda o: (o.at, o.memory_id))


def said_at(memory: Memory, zone: tzinfo) -> datetime:
    """When the user said what ``memory`` holds: the turn it was learned from, else its
    creation; in ``zone``."""
    turn = memory.metadata.get("turn")
    when = memory.created
    if isinstance(turn, datetime):
        when = turn
    elif isinstance(turn, str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(turn)
    if when.tzinfo is None:
        when = when.replace(tzinfo=memory.created.tzinfo)
    return when.astimezone(zone)


def read_occasion(memory: Memory, said: datetime) -> Occasion | None:
    """The occasion ``memory`` names, dated from ``said``; None when it names no day, or
    tells of a habit or of something past. Read once per memory, text and moment: a look
    every few minutes reads only what changed."""
    return _read(memory.id, plain(memory.text), said)  # "tomorrow", not the date after it


@functools.lru_cache(maxsize=8192)
def _read(memory_id: str, text: str, said: datetime) -> Occasion | None:
    low = text.lower()
    if not any(word in low for word in _DAY_WORDS):
        return None
    if not _DAYS.search(text) or _NOT_AN_OCCASION.search(text):
        return None
    naive = said.replace(tzinfo=None)
    when, rest = parse_when(text, naive)
    if when is None or when.date() < naive.date():
        return None
    at = when.replace(tzinfo=said.tzinfo)
    return Occasion(memory_id, text, phrase(rest), at, bool(_TIMED.search(text)), said)


def phrase(rest: str) -> str:
    """What happens, in the second person: "I have a job interview" → "your job interview",
    "My dentist appointment is" → "your dentist appointment", "I'm flying to Lisbon" →
    "flying to Lisbon"; empty when the words make no short phrase."""
    rest = _TAIL.sub("", " ".join(rest.split()))
    rest = re.sub(r"\s+(?:on|at|by)$", "", rest, flags=re.IGNORECASE)
    thing = ""
    if m := _LEAD.match(rest):
        thing = "your " + _strip_article(m.group("thing"))
    elif m := _MY.match(rest):
        thing = "your " + m.group("thing")
    elif m := _DOING.match(rest):
        thing = m.group("thing")
    thing = _TAIL.sub("", thing)
    thing = re.sub(r"\b(?:my|our)\b", "your", thing, flags=re.IGNORECASE)
    thing = re.sub(r"\b(?:i|we)\b", "you", thing, flags=re.IGNORECASE)
    if not thing or len(thing) > 60 or "," in thing:
        return ""
    return thing


def _strip_article(words: str) -> str:
    return re.sub(r"^(?:a|an|the|my|our)\s+", "", words, flags=re.IGNORECASE)
