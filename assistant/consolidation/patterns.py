"""Patterns → identity: a habit seen again and again across episodes becomes a fact.

An activity ("climbing") that falls on the same weekday in at least ``MIN_WEEKS`` different
weeks, with at least ``CONFIDENCE`` of its episodes on that day, becomes a procedural memory
("Usually goes climbing on Saturdays") linked to the episodes it was seen in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from assistant.consolidation.view import Action, StoreView, link
from assistant.memories import Draft, Memories
from assistant.memory import Memory, MemoryType, Status

CONFIDENCE = 0.8
MIN_WEEKS = 3
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_VERBS = {
    "gym": "goes to the", "class": "goes to", "choir": "goes to", "swim": "goes for a",
    **dict.fromkeys(("tennis", "football", "soccer", "basketball", "chess", "piano", "guitar"),
                    "plays"),
}  # fmt: skip
_DAY = re.compile(r"\b(" + "|".join(_DAYS) + r")s?\b", re.I)
_ACTIVITY = re.compile(
    r"\b(?!(?:morning|evening|nothing|something|anything|everything|thing|during|being|king|"
    r"ring|spring|bring|sing|wing|string|ceiling|feeling|building|wedding|meeting|"
    r"interesting|amazing|boring|exciting|going|getting|doing|having|making|saying|thinking|"
    r"coming|looking|taking|trying|telling|feeling|evening|lightning)\b)([a-z]{3,}ing)\b"
    r"|\b(yoga|tennis|football|soccer|basketball|chess|piano|guitar|choir|pilates|gym|"
    r"swim|karate|judo|boxing|dance|class)\b",
    re.I,
)


@dataclass(frozen=True)
class Pattern:
    """A habit found across episodes."""

    activity: str
    day: str
    evidence: tuple[Memory, ...]
    confidence: float

    @property
    def key(self) -> str:
        """Identifies the pattern in the note's ``pattern`` property."""
        return f"{self.activity}:{self.day}"

    @property
    def text(self) -> str:
        """The fact, as the memory states it."""
        verb = "goes" if self.activity.endswith("ing") else _VERBS.get(self.activity, "does")
        return f"Usually {verb} {self.activity} on {self.day.capitalize()}s."


def find_patterns(view: StoreView, known: set[str]) -> list[Pattern]:
    """Habits among the episodic memories not yet recorded (``known`` pattern keys)."""
    seen: dict[str, list[tuple[str, Memory]]] = defaultdict(list)
    for memory in view.memories:
        if memory.type is not MemoryType.EPISODIC:
            continue
        named = _DAY.search(memory.text)
        day = named.group(1).lower() if named else _DAYS[memory.created.astimezone().weekday()]
        activities = {(m.group(1) or m.group(2)).lower() for m in _ACTIVITY.finditer(memory.text)}
        for activity in activities:
            seen[activity].append((day, memory))
    found = []
    for activity, sightings in seen.items():
        days: dict[str, list[Memory]] = defaultdict(list)
        for day, memory in sightings:
            days[day].append(memory)
        day, evidence = max(days.items(), key=lambda item: len(item[1]))
        weeks = {m.created.isocalendar()[:2] for m in evidence}
        confidence = len(evidence) / len(sightings)
        pattern = Pattern(activity, day, tuple(evidence), round(confidence, 2))
        if len(weeks) >= MIN_WEEKS and confidence >= CONFIDENCE:
            found.append(pattern)
    # Two activities seen in the same episodes ("climbing at the gym") are one habit.
    found.sort(key=lambda p: (not p.activity.endswith("ing"), -len(p.evidence), p.activity))
    kept: list[Pattern] = []
    for pattern in found:
        ids = {m.id for m in pattern.evidence}
        if not any(
            k.day == pattern.day and len(ids & {m.id for m in k.evidence}) >= 0.8 * len(ids)
            for k in kept
        ):
            kept.append(pattern)
    return [p for p in kept if p.key not in known]


def known_patterns(memories: Memories) -> set[str]:
    """Pattern keys already recorded (active, replaced or archived: never learned twice)."""
    statuses = [Status.ACTIVE, Status.SUPERSEDED, Status.ARCHIVED]
    return {
        str(m.metadata["pattern"])
        for m in memories.list(types=[MemoryType.PROCEDURAL], statuses=statuses)
        if m.metadata.get("pattern")
    }


def plan(patterns: list[Pattern]) -> list[Action]:
    """What learning the patterns would do."""
    return [
        Action(
            "patterns",
            "learn",
            tuple(m.id for m in p.evidence),
            f"“{p.text}” from {len(p.evidence)} episodes ({p.confidence:.0%})",
        )  # fmt: skip
        for p in patterns
    ]


def run(memories: Memories, view: StoreView, stop: Callable[[], bool]) -> dict[str, int]:
    """Record each new habit as a procedural memory linked to its episodes."""
    patterns = find_patterns(view, known_patterns(memories))
    if stop() or not patterns:
        return {"learned": 0}
    drafts = [
        Draft(
            p.text,
            type=MemoryType.PROCEDURAL,
            importance=6.0,
            tags=("routine",),
            source="consolidation",
            metadata={
                "fact": f"habit:{p.activity}",
                "pattern": p.key,
                "confidence": p.confidence,
                "related": [link(m) for m in p.evidence][:20],
            },
        )
        for p in patterns
    ]
    memories.add_many(drafts)
    return {"learned": len(drafts)}
