"""Merge: duplicate clusters across the whole store become one canonical memory.

Precision first. Memories are only compared within a group that shares every detail (names,
numbers, negation), and a cluster is a star: every member is itself a near-duplicate of the
canonical memory and neither says more than the other, so a chain of small drifts never
merges two different facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.consolidation.view import Action, Stopped, StoreView, link, never, short
from assistant.learning.sameness import details, same_fact
from assistant.memories import Change, Memories
from assistant.memory import Memory, MemoryType, Status

MERGE_SIMILARITY = 0.86
"""MiniLM cosine from which two memories with the same details may be the same fact."""
BOOST = 0.5
"""Importance added to the canonical memory for each duplicate merged into it."""
BATCH = 12
"""Clusters merged per batch: small enough that a new message waits at most one batch."""


@dataclass(frozen=True)
class Cluster:
    """A canonical memory and the duplicates that merge into it."""

    canonical: Memory
    others: tuple[Memory, ...]


def find_clusters(
    view: StoreView, threshold: float = MERGE_SIMILARITY, stop: Callable[[], bool] = never
) -> list[Cluster]:
    """Every duplicate cluster among the active memories (raises :class:`Stopped` when
    ``stop()`` turns true)."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for position, memory in enumerate(view.memories):
        if memory.source == "consolidation" and memory.metadata.get("summarises"):
            continue  # weekly summaries are never merged into each other
        groups[details(memory.text)].append(position)
    clusters = []
    for positions in groups.values():
        if len(positions) > 1:
            if stop():
                raise Stopped
            clusters += _cluster(view, positions, threshold)
    return clusters


def _cluster(view: StoreView, positions: list[int], threshold: float) -> list[Cluster]:
    order = sorted(positions, key=lambda p: _preference(view, view.memories[p]))
    vectors = view.vectors[order]
    free = np.ones(len(order), dtype=bool)
    found = []
    for lead in range(len(order)):
        if not free[lead]:
            continue
        free[lead] = False
        close = np.nonzero(free & (vectors @ vectors[lead] >= threshold))[0]
        canonical = view.memories[order[lead]]
        others = []
        for i in close:
            other = view.memories[order[i]]
            similarity = float(vectors[i] @ vectors[lead])
            if same_fact(canonical.text, other.text, similarity, threshold):
                others.append(other)
                free[i] = False
        if others:
            found.append(Cluster(canonical, tuple(others)))
    return found


def _preference(view: StoreView, memory: Memory) -> tuple[object, ...]:
    """Sort key: the memory to keep comes first (marked important, identity, most often
    stated, most used, oldest)."""
    return (
        not memory.important,
        memory.type is not MemoryType.IDENTITY,
        -int(memory.metadata.get("merged_count", 1) or 1),
        -view.access_count(memory),
        memory.created,
        memory.id,
    )


def plan(clusters: list[Cluster]) -> list[Action]:
    """What merging the clusters would do."""
    return [
        Action(
            "merge",
            "merge",
            (c.canonical.id, *(o.id for o in c.others)),
            f"{len(c.others)} duplicate(s) into “{short(c.canonical.text)}”",
        )
        for c in clusters
    ]


def apply(memories: Memories, clusters: list[Cluster]) -> int:
    """Merge clusters; returns the number of duplicates superseded.

    The canonical memories are written first (reinforced, with links to what they absorbed),
    then the duplicates are marked superseded with a link to theirs. A run stopped in between
    leaves duplicates that the next run supersedes without reinforcing twice.
    """
    keep: dict[str, Change] = {}
    retire: dict[str, Change] = {}
    wanted = [m.id for c in clusters for m in (c.canonical, *c.others)]
    now = {m.id: m for m in memories.get_many(wanted)}  # as the notes say now
    for cluster in clusters:
        canonical = now.get(cluster.canonical.id)
        # A note the user edited since the clusters were found is left for the next run.
        others = [now[o.id] for o in cluster.others if _unchanged(o, now.get(o.id))]
        if not _unchanged(cluster.canonical, canonical) or not others:
            continue
        assert canonical is not None
        fresh = [o for o in others if o.id not in set(canonical.supersedes)]
        if fresh:
            keep[canonical.id] = _reinforced(canonical, fresh)
        target = link(canonical)
        for other in others:
            retire[other.id] = Change(
                status=Status.SUPERSEDED, metadata={"superseded_by": target, "merged_into": target}
            )
    # One batch: the canonical notes are written before their duplicates' (dict order).
    memories.update_many({**keep, **retire}, verb="merged")
    return len(retire)


def _unchanged(seen: Memory, current: Memory | None) -> bool:
    return current is not None and current.status is Status.ACTIVE and current.text == seen.text


def _reinforced(canonical: Memory, fresh: list[Memory]) -> Change:
    count = int(canonical.metadata.get("merged_count", 1) or 1)
    count += sum(int(o.metadata.get("merged_count", 1) or 1) for o in fresh)
    sources = [str(s) for s in canonical.metadata.get("sources", []) or []]
    for other in fresh:
        for source in [other.metadata.get("conversation"), *other.metadata.get("sources", [])]:
            if source and str(source) not in sources:
                sources.append(str(source))
    merged_from = list(canonical.metadata.get("merged_from", []) or [])
    importance = max([canonical.importance] + [o.importance for o in fresh])
    return Change(
        importance=min(10.0, importance + BOOST * len(fresh)),
        important=canonical.important or any(o.important for o in fresh),
        tags=_union(canonical.tags, *(o.tags for o in fresh)),
        supersedes=[*canonical.supersedes, *(o.id for o in fresh)],
        metadata={
            "merged_count": count,
            "merged_from": merged_from + [link(o) for o in fresh],
            **({"sources": sources[-20:]} if sources else {}),
        },
    )


def _union(*groups: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for group in groups:
        out += [t for t in group if t not in out]
    return out


def run(memories: Memories, view: StoreView, stop: Callable[[], bool]) -> dict[str, int]:
    """Find and merge every cluster, a few at a time, stopping between batches when asked."""
    clusters = find_clusters(view, stop=stop)
    merged = done = 0
    for start in range(0, len(clusters), BATCH):
        if stop():
            break
        batch = clusters[start : start + BATCH]
        merged += apply(memories, batch)
        done += len(batch)
    return {"clusters": done, "merged": merged}
