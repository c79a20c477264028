"""Decay and archive: importance fades with a per-type half-life unless the memory is used;
faded memories that nobody used for a long time move to the archive (restorable).

Identity facts and memories the user marked important never fade. Health and safety facts,
facts about the user's people, anything given an importance of 7 or more and whatever the
user brought back from the archive may fade but are never archived (see
:mod:`assistant.consolidation.keep`). One run archives at most ``archive_share`` of the store,
the most faded first; each archived memory waits in the review queue, where restoring it is
one answer. A note is rewritten only when its importance drops by at least a point, so decay
does not churn the vault's history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from assistant.consolidation.keep import GIVEN, Keeper
from assistant.consolidation.view import Action, StoreView, short
from assistant.memories import Change, Memories
from assistant.memory_types import Memory, MemoryType
from assistant.models.base import Embedder
from assistant.store.reviews import ReviewQueue
from assistant.vault.notes import format_time, parse_time

DAY = 86_400.0
STEP = 1.0
"""Smallest drop in importance worth rewriting a note for."""
ARCHIVE_SHARE = 0.05
"""The default most of the active store one run archives."""


@dataclass(frozen=True)
class Faded:
    """A memory whose importance has decayed."""

    memory: Memory
    importance: float
    """Its importance now."""
    archive: bool
    """Whether it also goes to the archive."""
    unused_days: float = 0.0
    """Days since it was last used (or created)."""
    kept: str = ""
    """Why it stays out of the archive although it faded away (``health``, ``importance 8``,
    ``held back``: over this run's share, …)."""


def find_faded(
    view: StoreView,
    half_lives: Mapping[MemoryType, float],
    archive_below: float,
    unused_days: float,
    *,
    archive_share: float = ARCHIVE_SHARE,
    embedder: Embedder | None = None,
    weights_dir: Path | None = None,
) -> list[Faded]:
    """Memories whose importance dropped by a point or more since it was last set, and those
    faded below ``archive_below`` and unused for ``unused_days``: of these, the ones that
    matter are kept (``embedder`` lets their meaning count, read by weights cached in
    ``weights_dir``), and at most ``archive_share`` of
    the view's memories (at least one) are archived, the most faded and least used first."""
    found = []
    keeper = Keeper(view, embedder, weights_dir)
    for index, memory in enumerate(view.memories):
        half_life = half_lives.get(memory.type, 0.0)
        if memory.important or memory.type is MemoryType.IDENTITY or half_life <= 0:
            continue
        anchor = max(view.last_used(memory), _decayed_at(memory))
        idle_days = max(0.0, view.now - anchor) / DAY
        now = round(memory.importance * 0.5 ** (idle_days / half_life), 2)
        unused = (view.now - view.last_used(memory)) / DAY
        archive = now < archive_below and unused >= unused_days
        kept = (keeper.reason(index) or "") if archive else ""
        if archive or memory.importance - now >= STEP:
            found.append(Faded(memory, now, archive and not kept, unused, kept))
    return _capped(found, _cap(len(view.memories), archive_share))


def _cap(size: int, share: float) -> int:
    return max(1, int(size * share)) if share > 0 and size else 0


def _capped(found: list[Faded], cap: int) -> list[Faded]:
    """Only the ``cap`` most faded, least used go to the archive; the rest only fade."""
    going = sorted((f for f in found if f.archive), key=lambda f: (f.importance, -f.unused_days))
    held = {id(f) for f in going[cap:]}
    out = []
    for f in found:
        if id(f) in held:
            f = replace(f, archive=False, kept="held back")
        if f.archive or f.kept or f.memory.importance - f.importance >= STEP:
            out.append(f)
    return out


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
    """What decaying and archiving would do (a memory kept from the archive says why)."""
    return [
        Action(
            "decay",
            "archive" if f.archive else "decay",
            (f.memory.id,),
            f"“{short(f.memory.text)}” {f.memory.importance:g} → {f.importance:g}"
            + (" and archived (unused)" if f.archive else "")
            + (f", kept: {f.kept}" if f.kept else ""),
        )
        for f in faded
        if f.archive or f.memory.importance - f.importance >= STEP or f.kept
    ]


def why_archived(f: Faded) -> str:
    """The review queue's line for a memory decay archived."""
    return (
        f"Archived by decay: “{short(f.memory.text)}” faded from {f.memory.importance:g} "
        f"to {f.importance:g}, unused for {f.unused_days:.0f} days"
    )


def run(
    memories: Memories,
    view: StoreView,
    stop: Callable[[], bool],
    *,
    half_lives: Mapping[MemoryType, float],
    archive_below: float,
    unused_days: float,
    archive_share: float = ARCHIVE_SHARE,
    reviews: ReviewQueue | None = None,
    run_id: str = "",
    batch: int = 32,
) -> dict[str, int]:
    """Write the decayed importances and archive what faded away, in small batches; each
    archived memory is queued in ``reviews`` (to restore or dismiss) under ``run_id``."""
    faded = find_faded(
        view,
        half_lives,
        archive_below,
        unused_days,
        archive_share=archive_share,
        embedder=memories.embedder,
        weights_dir=memories.settings.model_cache,
    )
    stamp = importance_set(view.now)
    decayed = archived = 0
    changing = [f for f in faded if f.archive or f.memory.importance - f.importance >= STEP]
    for start in range(0, len(changing), batch):
        if stop():
            break
        chunk = changing[start : start + batch]
        memories.update_many({f.memory.id: _change(f, stamp) for f in chunk}, verb="decayed")
        decayed += len(chunk)
        going = {f.memory.id: f for f in chunk if f.archive}
        gone = memories.forget_many(
            going,
            metadata={
                "archived_by": "consolidation",
                "archived_because": "faded and unused",
                "archived_in_run": run_id,
            },
        )
        archived += len(gone)
        if reviews is not None:
            for memory in gone:
                reviews.add_archived(memory.id, run_id, why_archived(going[memory.id]))
    kept = sum(1 for f in faded if f.kept and f.kept != "held back")
    held = sum(1 for f in faded if f.kept == "held back")
    counts = {"decayed": decayed - archived, "archived": archived}
    return counts | {k: v for k, v in (("kept", kept), ("held back", held)) if v}


def _change(f: Faded, stamp: dict[str, str]) -> Change:
    """The new importance, when it was set, and (the first time) the importance given."""
    given = {} if GIVEN in f.memory.metadata else {GIVEN: f.memory.importance}
    return Change(importance=f.importance, metadata={**stamp, **given})
