"""A whole consolidation run on memories written the way people write: paraphrases merge,
look-alikes in lower case never do, contradictions are found however far apart their words,
and a routine in varied words becomes a habit (real MiniLM, real store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant
from assistant.consolidation import Consolidator
from assistant.memories import Draft
from assistant.memory_types import MemoryType, Status

NOW = datetime(2026, 3, 7, 10, 30, tzinfo=UTC)
"""A fixed Saturday (never the wall clock)."""


def consolidate(assistant: Assistant) -> None:
    report = Consolidator(assistant, clock=NOW.timestamp).run()
    assert report.status == "done", report.errors


def active(assistant: Assistant, *ids: str) -> list[bool]:
    return [assistant.memories.get(i).status is Status.ACTIVE for i in ids]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I'm doing a half marathon in the autumn.", "I'm running a half-marathon this autumn."),
        ("Ottilie can't stand the smell of fish.", "The smell of fish is unbearable to Ottilie."),
        ("my favourite album is blue lines", "blue lines is my all-time favourite album"),
    ],
)
def test_a_run_merges_paraphrases(assistant: Assistant, a: str, b: str) -> None:
    first, second = assistant.memories.add_many(
        [Draft(a, created_at=NOW - timedelta(days=9)), Draft(b, created_at=NOW - timedelta(days=2))]
    )
    consolidate(assistant)
    assert sorted(active(assistant, first.id, second.id)) == [False, True]
    assert assistant.reviews.pairs() == set()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("my sister ana is a vet in porto", "my sister anna is a vet in porto"),
        ("dentist appointment on march 3", "dentist appointment on may 3"),
        ("we live on elm road", "we live on oak road"),
        ("my cousin ben plays bass in a band", "my cousin benji plays bass in a band"),
        ("my brother tom plays rugby", "my brother tomas plays rugby"),
        ("gus is allergic to wasps", "kit is allergic to wasps"),
    ],
)
def test_a_run_never_merges_look_alikes_in_lower_case(assistant: Assistant, a: str, b: str) -> None:
    first, second = assistant.memories.add_many(
        [Draft(a, created_at=NOW - timedelta(days=9)), Draft(b, created_at=NOW - timedelta(days=2))]
    )
    consolidate(assistant)
    for memory in (assistant.memories.get(first.id), assistant.memories.get(second.id)):
        assert not memory.metadata.get("merged_into")


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("I live in Norwich.", "we moved to exeter in january"),
        ("I'm vegan.", "I have a chicken burger most fridays"),
        ("my nephew is 11", "my nephew is 13"),
        ("works at Pendle Logistics", "I just started at Harrow Foods"),
        ("I don't drink.", "a couple of glasses of wine every evening for me"),
    ],
)
def test_a_run_finds_contradictions_in_other_words(
    assistant: Assistant, older: str, newer: str
) -> None:
    old, new = assistant.memories.add_many(
        [
            Draft(older, created_at=NOW - timedelta(days=60)),
            Draft(newer, created_at=NOW - timedelta(days=1)),
        ]
    )
    consolidate(assistant)
    superseded = assistant.memories.get(old.id).status is Status.SUPERSEDED
    assert superseded or frozenset((old.id, new.id)) in assistant.reviews.pairs()
    assert assistant.memories.get(new.id).status is Status.ACTIVE


def test_a_routine_with_no_shared_activity_word_becomes_a_habit(assistant: Assistant) -> None:
    tuesday = NOW - timedelta(days=4)
    texts = [
        "swim at the lido before work, water was freezing",
        "did my laps in the pool, 40 lengths",
        "swimming lengths at the leisure centre pool",
        "pool session, 40 lengths of front crawl",
    ]
    ids = [
        m.id
        for m in assistant.memories.add_many(
            [
                Draft(text, type="episodic", created_at=tuesday - timedelta(weeks=n))
                for n, text in enumerate(texts)
            ]
        )
    ]
    consolidate(assistant)
    habits = [m for m in assistant.memories.list() if m.type is MemoryType.PROCEDURAL]
    # named by meaning ("swimming") for its key; said in the words of the typical episode
    assert [h.metadata.get("pattern") for h in habits] == ["swimming:tuesday"]
    assert habits[0].text.startswith("Most Tuesdays: ") and "pool" in habits[0].text
    assert all(active(assistant, *ids))


def test_the_same_routine_said_on_different_days_is_not_merged(assistant: Assistant) -> None:
    """A moment stored as a plain fact is still a moment: each week's is evidence."""
    ids = [
        m.id
        for m in assistant.memories.add_many(
            [
                Draft("went climbing at the wall saturday", created_at=NOW - timedelta(weeks=n))
                for n in range(3)
            ]
        )
    ]
    consolidate(assistant)
    assert all(active(assistant, *ids))


def test_facts_about_the_same_thing_do_not_hide_a_routine(assistant: Assistant) -> None:
    """Only episodes on other days weigh against a routine; "I love swimming" is no episode."""
    tuesday = NOW - timedelta(days=4)
    texts = [
        "swim at the lido before work, water was freezing",
        "swimming lengths at the leisure centre pool",
        "pool session at the lido, 40 lengths of front crawl",
    ]
    facts = [
        "I love swimming in the lido.",
        "Swimming lengths is my favourite exercise.",
        "I've got a season pass for the leisure centre pool.",
        "My goggles always fog up at the pool.",
    ]
    assistant.memories.add_many(
        [
            *(
                Draft(text, type="episodic", created_at=tuesday - timedelta(weeks=n))
                for n, text in enumerate(texts)
            ),
            *(Draft(text, created_at=NOW - timedelta(days=40 + n)) for n, text in enumerate(facts)),
        ]
    )
    consolidate(assistant)
    habits = [m for m in assistant.memories.list() if m.type is MemoryType.PROCEDURAL]
    assert [h.metadata.get("pattern") for h in habits] == ["swimming:tuesday"]
