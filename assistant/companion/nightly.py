"""The companion's part of consolidation: the baseline's nightly drift and the quirks found
in the assistant's own recent replies."""

from __future__ import annotations

from datetime import date

from assistant.companion import quirks
from assistant.companion.mood import WEEK, drift
from assistant.store.companion import CompanionRecords, MoodRow

QUIRK_WINDOW = WEEK
"""How far back replies are read for habits."""
MIN_GAP = 12 * 3600.0
"""A run just before and one just after midnight are one night, not two."""


def _new_night(last: float, now: float) -> bool:
    """Whether ``now`` is on a later day than ``last`` and at least half a day after it."""
    return date.fromtimestamp(now) > date.fromtimestamp(last) and now - last >= MIN_GAP


def run(records: CompanionRecords, now: float) -> dict[str, int]:
    """Drift the baseline (once a night) and update the quirks; returns what changed."""
    counts = {"baseline": 0, "quirks": 0}
    baseline = records.latest("baseline")
    if baseline is not None and _new_night(baseline.at, now):
        week = [row.mood for row in records.history("mood", since=now - WEEK, limit=10_000)]
        moved = drift(baseline.mood, week)
        records.add_mood(MoodRow(now, "baseline", moved))
        counts["baseline"] = 1
    patterns = quirks.find_patterns(records.replies(now - QUIRK_WINDOW))
    changed = quirks.update(records.quirks(), patterns, now)
    records.save_quirks(changed)
    counts["quirks"] = len(changed)
    return counts
