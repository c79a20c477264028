"""A duplicate cluster collapses as a whole: three memories of one fact in different words and
styles (a terse note with "fav", two sentences) become one memory; a look-alike that differs
in a number stays two (real MiniLM, real store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant import Assistant
from assistant.consolidation import Consolidator
from assistant.memories import Draft
from assistant.memory_types import Status

NOW = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
"""A fixed Tuesday (never the wall clock)."""


def consolidate(assistant: Assistant) -> None:
    report = Consolidator(assistant, clock=NOW.timestamp).run()
    assert report.status == "done", report.errors


def test_three_paraphrases_in_other_words_collapse_into_one(assistant: Assistant) -> None:
    texts = [
        "fav biscuit: custard creams",
        "My favourite biscuit is the custard cream.",
        "Custard creams are my favourite biscuits.",
    ]
    added = assistant.memories.add_many(
        [Draft(t, created_at=NOW - timedelta(days=3 + 7 * n)) for n, t in enumerate(texts)]
    )
    consolidate(assistant)
    after = [assistant.memories.get(m.id) for m in added]
    survivors = [m for m in after if m.status is Status.ACTIVE]
    assert len(survivors) == 1, [m.text for m in survivors]
    for memory in after:
        if memory.status is not Status.ACTIVE:
            assert memory.metadata.get("merged_into"), memory.text
    assert survivors[0].metadata.get("merged_count") == 3


def test_a_look_alike_with_another_number_stays_two(assistant: Assistant) -> None:
    first, second = assistant.memories.add_many(
        [
            Draft("I swim 20 lengths before work.", created_at=NOW - timedelta(days=20)),
            Draft("I swim 40 lengths before work.", created_at=NOW - timedelta(days=2)),
        ]
    )
    consolidate(assistant)
    for memory in (assistant.memories.get(first.id), assistant.memories.get(second.id)):
        assert not memory.metadata.get("merged_into"), memory.text
