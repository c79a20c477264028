"""Paraphrases merge, look-alikes never do, routines become habits (real MiniLM and store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant
from assistant.consolidation import contradictions, judge_pairs, merge, patterns
from assistant.consolidation.view import StoreView
from assistant.memories import Draft
from assistant.memory_types import MemoryType, Status
from assistant.models.minilm import MiniLMEmbedder

SATURDAY = datetime(2026, 3, 7, 10, 30, tzinfo=UTC)
"""A fixed Saturday (never the wall clock)."""


def never() -> bool:
    return False


def view(assistant: Assistant) -> StoreView:
    return StoreView.of(assistant.memories, SATURDAY.timestamp())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Noor hates olives.", "Olives taste awful to Noor, she can't stand them."),
        ("My favourite band is Wilco.", "Wilco is my all-time favourite band."),
        ("Theo can't stand cucumber.", "Cucumber is disgusting according to Theo, he hates it."),
        ("Our wifi password is on the fridge.", "The wifi password is stuck on the fridge."),
    ],
)
def test_paraphrases_merge(assistant: Assistant, a: str, b: str) -> None:
    first, second = assistant.memories.add_many([a, b])
    clusters = merge.find_clusters(view(assistant))
    assert [{c.canonical.id, *(o.id for o in c.others)} for c in clusters] == [
        {first.id, second.id}
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # another date
        ("I have a haircut on Tuesday.", "I have a haircut on Wednesday."),
        ("The boiler service is on 4 June.", "The boiler service is on 4 July."),
        # another number
        ("Our landlord wants 850 a month.", "Our landlord wants 950 a month."),
        ("I walk two miles a day.", "I walk four miles a day."),
        # another value
        ("My new kettle is red.", "My new kettle is blue."),
        # another person
        ("Noor is flying to Lisbon on Friday.", "Idris is flying to Lisbon on Friday."),
        # another relation
        ("Noor's brother is moving to Denver.", "Noor is moving to Denver."),
        ("My aunt keeps bees.", "My uncle keeps bees."),
        # another tense
        ("We rented a boat at Lake Garda in May.", "We're renting a boat at Lake Garda in May."),
        ("I sold my old piano last year.", "I'm selling my old piano next year."),
        # the opposite
        ("I'm an early riser.", "I'm not an early riser."),
    ],
)
def test_look_alikes_never_merge(assistant: Assistant, a: str, b: str) -> None:
    assistant.memories.add_many([a, b])
    assert merge.find_clusters(view(assistant)) == []


def test_the_shipped_judge_weights_belong_to_the_shipped_pairs(minilm: MiniLMEmbedder) -> None:
    """Editing ``pairs.tsv`` without retraining (``python -m
    assistant.consolidation.judge_pairs``) leaves stale weights."""
    name, weights = judge_pairs.shipped_weights()
    assert name == judge_pairs.digest(judge_pairs.load_pairs(), minilm.name)
    assert weights.shape == (len(judge_pairs.LABELS), len(judge_pairs.features("a", "b", 1.0)))


_CLIMBS = [
    "Bouldering at Rockface with Jess, my forearms are toast.",
    "Climbing session at the wall, finally sent the overhang.",
    "Spent the morning climbing at Rockface, arms are dead.",
    "Top-rope climbing with Jess, tried the new orange routes.",
    "Climbing again at the wall, worked on footwork drills.",
]


def _climbing_saturdays(assistant: Assistant) -> list[str]:
    drafts = [
        Draft(text, type="episodic", created_at=SATURDAY - timedelta(weeks=n))
        for n, text in enumerate(_CLIMBS)
    ]
    return [m.id for m in assistant.memories.add_many(drafts)]


def test_saturday_climbs_in_varied_words_become_a_habit_and_stay(assistant: Assistant) -> None:
    ids = _climbing_saturdays(assistant)
    assistant.memories.add_many(
        [
            Draft(
                "Dinner at Marco's, the risotto was great.",
                type="episodic",
                created_at=SATURDAY - timedelta(days=3),
            ),
            Draft(
                "Dentist check-up, no fillings needed.",
                type="episodic",
                created_at=SATURDAY - timedelta(days=9),
            ),
            Draft(
                "Farmers market with Jess, bought sourdough and plums.",
                type="episodic",
                created_at=SATURDAY - timedelta(weeks=1, hours=2),
            ),
        ]
    )
    assert merge.run(assistant.memories, view(assistant), never)["merged"] == 0
    found = patterns.find_patterns(view(assistant), set())
    assert [(p.activity, p.day, {m.id for m in p.evidence}) for p in found] == [
        ("climbing", "saturday", set(ids))
    ]
    assert patterns.run(assistant.memories, view(assistant), never) == {"learned": 1}
    assert all(assistant.memories.get(i).status is Status.ACTIVE for i in ids)


def test_identical_episodes_of_different_days_are_not_merged(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            Draft(
                "Climbing at the wall.", type="episodic", created_at=SATURDAY - timedelta(weeks=n)
            )
            for n in range(4)
        ]
    )
    assert merge.find_clusters(view(assistant)) == []
    assert [p.key for p in patterns.find_patterns(view(assistant), set())] == ["climbing:saturday"]


def test_weekly_summaries_never_feed_a_habit(assistant: Assistant) -> None:
    summaries = [
        Draft(
            f"Week {n}: played chess with Ravi on Monday evening and went to the market.",
            type="episodic",
            source="consolidation",
            metadata={"summarises": [f"[[episode-{n}]]"], "week": f"2026-W{n:02d}"},
            created_at=SATURDAY - timedelta(weeks=n, days=5),
        )
        for n in range(1, 6)
    ]
    assistant.memories.add_many(summaries)
    assert patterns.find_patterns(view(assistant), set()) == []
    assert patterns.run(assistant.memories, view(assistant), never) == {"learned": 0}
    assert not [m for m in assistant.memories.list() if m.type is MemoryType.PROCEDURAL]


def test_a_paraphrase_in_negative_words_is_not_a_contradiction(assistant: Assistant) -> None:
    assistant.memories.add_many(
        ["Noor hates olives.", "Olives taste awful to Noor, she can't stand them."]
    )
    assert contradictions.find_conflicts(view(assistant)) == []
