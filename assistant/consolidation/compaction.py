"""Compaction: episodes older than a month, grouped by week into one summary note.

The summary is extractive (the first sentence of each episode, in order, each linked to its
note); the episodes are archived, never deleted, and the summary links to every one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from assistant.consolidation.view import Action, StoreView, link
from assistant.memories import Draft, Memories
from assistant.memory import Memory, MemoryType

AGE_DAYS = 30
MAX_LINES = 12
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Week:
    """The old episodes of one ISO week."""

    year: int
    week: int
    episodes: tuple[Memory, ...]

    @property
    def key(self) -> str:
        """``2026-W41``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> datetime:
        """The first day of the week."""
        return datetime.fromisocalendar(self.year, self.week, 1).replace(tzinfo=UTC)


def find_weeks(view: StoreView, age_days: int = AGE_DAYS) -> list[Week]:
    """Weeks, wholly older than ``age_days``, with two or more episodes to compact."""
    cutoff = datetime.fromtimestamp(view.now, UTC) - timedelta(days=age_days)
    weeks: dict[tuple[int, int], list[Memory]] = defaultdict(list)
    for memory in view.memories:
        if (
            memory.type is not MemoryType.EPISODIC
            or memory.important
            or memory.metadata.get("summarises")
        ):
            continue
        year, week, _ = memory.created.astimezone(UTC).isocalendar()
        weeks[(year, week)].append(memory)
    found = []
    for (year, week), episodes in sorted(weeks.items()):
        item = Week(year, week, tuple(sorted(episodes, key=lambda m: m.created)))
        if len(episodes) >= 2 and item.monday + timedelta(days=7) <= cutoff:
            found.append(item)
    return found


def summary_text(week: Week) -> str:
    """The extractive summary of a week: one line per episode, linked to its note."""
    lines = [f"The week of {week.monday:%d %B %Y}, in {len(week.episodes)} moments:", ""]
    for memory in week.episodes[:MAX_LINES]:
        first = _SENTENCE.split(" ".join(memory.text.split()), maxsplit=1)[0]
        if len(first) > 200:
            first = first[:199].rstrip() + "…"
        lines.append(f"- {memory.created:%a}: {first} {link(memory)}")
    if len(week.episodes) > MAX_LINES:
        lines.append(f"- and {len(week.episodes) - MAX_LINES} more, linked below")
    return "\n".join(lines)


def plan(weeks: list[Week]) -> list[Action]:
    """What compacting the weeks would do."""
    return [
        Action(
            "compaction",
            "compact",
            tuple(m.id for m in w.episodes),
            f"{len(w.episodes)} episodes of {w.key} into one summary",
        )  # fmt: skip
        for w in weeks
    ]


def run(memories: Memories, view: StoreView, stop: Callable[[], bool]) -> dict[str, int]:
    """Write one summary per old week, then archive its episodes (one week at a time)."""
    summaries = archived = 0
    # A run stopped between writing a summary and archiving its week resumes with that summary.
    written = {
        str(m.metadata.get("week")): m for m in view.memories if m.metadata.get("summarises")
    }
    for week in find_weeks(view):
        if stop():
            break
        summary = (
            written.get(week.key)
            or memories.add_many(
                [
                    Draft(
                        summary_text(week),
                        type=MemoryType.EPISODIC,
                        importance=max(m.importance for m in week.episodes),
                        emotion=max(m.emotion for m in week.episodes),
                        tags=sorted({t for m in week.episodes for t in m.tags}),
                        created_at=week.monday,
                        source="consolidation",
                        metadata={
                            "week": week.key,
                            "summarises": [link(m) for m in week.episodes],
                        },  # fmt: skip
                    )
                ]
            )[0]
        )
        summaries += week.key not in written
        archived += len(
            memories.forget_many(
                [m.id for m in week.episodes],
                metadata={"archived_by": "consolidation", "summarised_in": link(summary)},
            )
        )
    return {"summaries": summaries, "archived": archived}
