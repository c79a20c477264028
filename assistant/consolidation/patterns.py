"""Patterns → identity: a habit seen again and again across episodes becomes a fact.

Episodes that say much the same thing (close by embedding, whatever the words: "bouldering
with Jess", "climbing session at the wall") and fall on the same weekday in at least
``MIN_WEEKS`` different weeks, with at least ``CONFIDENCE`` of such episodes on that day,
become a procedural memory ("Usually goes climbing on Saturdays") linked to the episodes.
Only what the user lived counts: generated notes (weekly summaries, habits, anything written
by consolidation) are never evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.consolidation.view import Action, StoreView, link
from assistant.memories import Draft, Memories
from assistant.memory import Memory, MemoryType, Status

CONFIDENCE = 0.7
MIN_WEEKS = 3
ROUTINE_SIMILARITY = 0.4
"""MiniLM cosine from which an episode may join a routine (to one of it, or to its centre)."""
ROUTINE_CORE = 0.5
"""MiniLM cosine to the centre of a grown routine from which an episode belongs to it."""
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


def generated(memory: Memory) -> bool:
    """Whether a note was written by the assistant (a summary, a habit, a merge result)."""
    return (
        memory.source == "consolidation"
        or bool(memory.metadata.get("summarises"))
        or bool(memory.metadata.get("pattern"))
    )


def _day(memory: Memory) -> str:
    named = _DAY.search(memory.text)
    return named.group(1).lower() if named else _DAYS[memory.created.astimezone().weekday()]


def _activity(evidence: list[Memory]) -> str:
    """The activity word most of the episodes name ("climbing"), the earliest in their texts
    on a tie; else ``""``."""
    counts: dict[str, int] = defaultdict(int)
    places: dict[str, int] = defaultdict(int)
    for memory in evidence:
        seen: dict[str, int] = {}
        for match in _ACTIVITY.finditer(memory.text):
            seen.setdefault((match.group(1) or match.group(2)).lower(), match.start())
        for word, place in seen.items():
            counts[word] += 1
            places[word] += place
    if not counts:
        return ""
    best = min(counts, key=lambda w: (-counts[w], places[w] / counts[w], w))
    return best if counts[best] * 2 >= len(evidence) else ""


def find_patterns(view: StoreView, known: set[str]) -> list[Pattern]:
    """Habits among the episodic memories not yet recorded (``known`` pattern keys)."""
    rows = [
        i for i, m in enumerate(view.memories) if m.type is MemoryType.EPISODIC and not generated(m)
    ]
    if len(rows) < MIN_WEEKS:
        return []
    memories = [view.memories[i] for i in rows]
    vectors = view.vectors[rows]
    days = np.array([_day(m) for m in memories])
    found = []
    for day in _DAYS:  # one weekday at a time: memory stays linear in the episodes
        on_day = np.nonzero(days == day)[0]
        if len(on_day) < MIN_WEEKS:
            continue
        local = vectors[on_day]
        close = local @ local.T >= ROUTINE_SIMILARITY
        order = sorted(range(len(on_day)), key=lambda i: -int(close[i].sum()))
        used = np.zeros(len(on_day), dtype=bool)
        for lead in order:
            if close[lead].sum() < MIN_WEEKS:
                break  # too few alike episodes to start a routine, here or after
            if used[lead]:
                continue
            members = _routine(local, close[lead] & ~used, ~used)
            evidence = [memories[on_day[i]] for i in np.nonzero(members)[0]]
            if len({m.created.isocalendar()[:2] for m in evidence}) < MIN_WEEKS:
                continue
            used |= members
            centre = local[members].mean(axis=0)
            alike = int((vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_CORE).sum())
            confidence = len(evidence) / max(len(evidence), alike)
            activity = _activity(evidence)
            if activity and confidence >= CONFIDENCE:
                found.append(Pattern(activity, day, tuple(evidence), round(confidence, 2)))
    return [p for p in found if p.key not in known]


def _routine(vectors: np.ndarray, seed: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Grow a routine from the ``seed`` rows: add ``candidates`` rows close to the routine's
    centre, then keep only the rows close to the final centre."""
    members = seed.copy()
    for _ in range(10):
        centre = vectors[members].mean(axis=0)
        near = vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_SIMILARITY
        grown = members | (near & candidates)
        if (grown == members).all():
            break
        members = grown
    centre = vectors[members].mean(axis=0)
    core: np.ndarray = members & (vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_CORE)
    return core


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
