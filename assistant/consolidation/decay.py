"""Decay and archive: importance fades with a per-type half-life unless the memory is used;
faded memories that nobody used for a long time move to the archive (restorable).

Identity facts and memories the user marked important never fade. A note is rewritten only
when its importance drops by at least a point, so decay does not churn the vault's history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from assistant.consolidation.view import Action, StoreView, short
from assistant.memories import Change, Memories
from assistant.memory import Memory, MemoryType
from assistant.vault.notes import format_time, parse_time

DAY = 86_400.0
STEP = 1.0
"""Smallest drop in importance worth rewriting a note for."""


@dataclass(frozen=True)
class Faded:
    """A memory whose importance has decayed."""

    memory: Memory
    importance: float
    """Its importance now."""
    archive: bool
    """Whether it also goes to the archive."""


def find_faded(
    view: StoreView,
    half_lives: Mapping[MemoryType, float],
    archive_below: float,
    unused_days: float,
) -> list[Faded]:
    """Memories whose importance dropped by a point or more since it was last set, and those
    faded below ``archive_below`` and unused for ``unused_days``."""
    found = []
    for memory in view.memories:
        half_life = half_lives.get(memory.type, 0.0)
        if memory.important or memory.type is MemoryType.IDENTITY or half_life <= 0:
            continue
        anchor = max(view.last_used(memory), _decayed_at(memory))
        idle_days = max(0.0, view.now - anchor) / DAY
        now = round(memory.importance * 0.5 ** (idle_days / half_life), 2)
        unused = (view.now - view.last_used(memory)) / DAY
        archive = now < archive_below and unused >= unused_days
        if archive or memory.importance - now >= STEP:
            found.append(Faded(memory, now, archive))
    return found


def importance_set(now: float) -> dict[str, str]:
    """The metadata saying a memory's importance was set at ``now``: decay counts from then."""
    return {"decayed_at": format_time(datetime.fromtimestamp(now, UTC))}


def _decayed_at(memory: Memory) -> float:
    value = memory.metadata.get("decayed_at")
    if not value:
        return 0.0
    try:
        return parse_time(value).timestamp()
    except (ValueError, TypeError):
        return 0.0


def plan(faded: list[Faded]) -> list[Action]:
    """What decaying and archiving would do."""
    return [
        Action(
            "decay",
            "archive" if f.archive else "decay",
            (f.memory.id,),
            f"“{short(f.memory.text)}” {f.memory.importance:g} → {f.importance:g}"
            + (" and archived (unused)" if f.archive else ""),
        )
        for f in faded
    ]


def run(
    memories: Memories,
    view: StoreView,
    stop: Callable[[], bool],
    *,
    half_lives: Mapping[MemoryType, float],
    archive_below: float,
    unused_days: float,
    batch: int = 32,
) -> dict[str, int]:
    """Write the decayed importances and archive what faded away, in small batches."""
    faded = find_faded(view, half_lives, archive_below, unused_days)
    stamp = importance_set(view.now)
    decayed = archived = 0
    for start in range(0, len(faded), batch):
        if stop():
            break
        chunk = faded[start : start + batch]
        memories.update_many(
            {f.memory.id: Change(importance=f.importance, metadata=stamp) for f in chunk},
            verb="decayed",
        )
        decayed += len(chunk)
        gone = [f.memory.id for f in chunk if f.archive]
        archived += len(
            memories.forget_many(gone, metadata={"archived_by": "consolidation",
                                                 "archived_because": "faded and unused"})
        )  # fmt: skip
    return {"decayed": decayed - archived, "archived": archived}
