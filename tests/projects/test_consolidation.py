"""Consolidation works inside one memory space: never across two projects."""

from __future__ import annotations

from assistant.consolidation import merge
from assistant.consolidation.contradictions import find_conflicts
from assistant.consolidation.view import StoreView
from assistant.core import Assistant
from assistant.memories import Draft


def test_duplicates_merge_within_a_project_but_never_across_projects(
    assistant: Assistant,
) -> None:
    p = assistant.projects
    p.new("Apollo")
    p.new("Zephyr")
    assistant.memories.add_many(
        [
            Draft("The weekly sync is on Tuesday mornings", project="Apollo"),
            Draft("The weekly sync is on Tuesday mornings.", project="Apollo"),
            Draft("The weekly sync is on Tuesday mornings", project="Zephyr"),
            Draft("The weekly sync is on Tuesday mornings", project=""),
        ]
    )
    clusters = merge.find_clusters(StoreView.of(assistant.memories))
    assert len(clusters) == 1
    members = [clusters[0].canonical, *clusters[0].others]
    assert {m.project for m in members} == {"Apollo"} and len(members) == 2


def test_a_fact_of_one_project_never_supersedes_another_s(assistant: Assistant) -> None:
    p = assistant.projects
    p.new("Apollo")
    p.new("Zephyr")
    assistant.memories.add_many(
        [
            Draft("The deadline is in May", project="Apollo", metadata={"fact": "deadline"}),
            Draft("The deadline is in June", project="Zephyr", metadata={"fact": "deadline"}),
            Draft("I live in Lyon", type="identity", project="", metadata={"fact": "home"}),
            Draft("I live in Paris", type="identity", project="", metadata={"fact": "home"}),
        ]
    )
    found = find_conflicts(StoreView.of(assistant.memories))
    pairs = [{c.newer.text, c.older.text} for c in found]
    assert {"The deadline is in May", "The deadline is in June"} not in pairs
    assert {"I live in Lyon", "I live in Paris"} in pairs  # within global memory it works
