"""A store of a few memories and the clusters the merge job finds in it, with the real pair
reader, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant import Assistant
from assistant.consolidation import merge
from assistant.consolidation.view import StoreView
from assistant.memories import Draft

NOW = datetime(2026, 8, 14, 9, 0, tzinfo=UTC)
"""A fixed Friday (never the wall clock)."""


def clusters_read(assistant: Assistant, texts: list[str]) -> tuple[list[str], list[merge.Cluster]]:
    """The ids of ``texts`` added a day apart (the first the oldest), and the clusters the
    merge job finds among them with the pair reader."""
    added = assistant.memories.add_many(
        [Draft(t, created_at=NOW - timedelta(days=len(texts) - n)) for n, t in enumerate(texts)]
    )
    found = merge.find_clusters(
        StoreView.of(assistant.memories, NOW.timestamp()),
        embedder=assistant.memories.embedder,
        reader=merge.reader_for(assistant.memories),
    )
    return [m.id for m in added], found


def members(cluster: merge.Cluster) -> frozenset[str]:
    """The ids of a cluster's memories, its canonical one's with the others'."""
    return frozenset({cluster.canonical.id, *(o.id for o in cluster.others)})
