"""Paraphrases the pair judge used to refuse on a hard difference that was none: a person
named on one side and called by a relation on the other, a phone number grouped otherwise; a
cluster gathered around the text all its members say; and decay keeping what is said about
the people the user names next to a relation (real MiniLM and store, a fixed clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant
from assistant.consolidation import merge
from assistant.consolidation.differences import bound_names, polarity, veto
from assistant.consolidation.keep import ABOUT_PEOPLE, Keeper
from assistant.consolidation.view import StoreView
from assistant.memories import Draft

NOW = datetime(2026, 8, 14, 9, 0, tzinfo=UTC)
"""A fixed Friday (never the wall clock)."""


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def view(assistant: Assistant) -> StoreView:
    return StoreView.of(assistant.memories, NOW.timestamp())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("My cousin Ilse restores old clocks.", "Ilse restores antique clocks."),
        ("Odalys (my aunt) keeps bees in Kent.", "Odalys keeps bees down in Kent."),
        ("partner ines is a paramedic", "ines works as a paramedic"),
        ("My closest friend is Tamsin; we met at uni.", "Tamsin and I go back to uni."),
    ],
)
def test_a_relation_the_other_side_names_is_the_same_person(a: str, b: str) -> None:
    assert veto(a, b) != "person"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Noor's brother is moving to Denver.", "Noor is moving to Denver."),
        ("my son can swim a length", "Ruth can swim a length"),
        ("My aunt Bea lives in Hull.", "My uncle Bea lives in Hull."),
    ],
)
def test_a_relation_the_other_side_does_not_name_is_another_person(a: str, b: str) -> None:
    assert veto(a, b) == "person"


def test_the_name_next_to_a_relation_is_read_in_any_case_but_not_a_verb() -> None:
    assert bound_names("brother tobiah lives in perth") == {"tobiah"}
    assert bound_names("Wren, my sister, teaches year 4.") == {"wren"}
    assert bound_names("my kids go to school nearby") == frozenset()
    assert bound_names("Kasia's husband works nights") == frozenset()


def test_a_long_number_grouped_otherwise_is_one_number() -> None:
    assert veto("Ring Odile on 0131 555 0199.", "Odile's number: 01315550199") != "number"
    assert veto("Ring Odile on 0131 555 0199.", "Ring Odile on 0131 555 0198.") == "number"
    assert veto("We have 3 cats.", "We have 33 cats.") == "number"


def test_a_cluster_gathers_around_the_text_all_its_members_say(assistant: Assistant) -> None:
    """The first text and the last are not judged one fact, the middle one is judged the same
    as each: the middle leads, though the first is the oldest and would be kept first."""
    texts = [
        "Our rabbit is called Clover.",
        "Clover is our rabbit, a lop-eared doe.",
        "the lop-eared doe in the garden hutch answers to clover",
    ]
    added = assistant.memories.add_many(
        [Draft(t, created_at=ago(30 - 10 * n)) for n, t in enumerate(texts)]
    )
    clusters = merge.find_clusters(view(assistant), embedder=assistant.memories.embedder)
    assert len(clusters) == 1
    assert clusters[0].canonical.id == added[1].id
    assert {m.id for m in clusters[0].others} == {added[0].id, added[2].id}


def test_decay_keeps_what_is_said_of_someone_named_next_to_a_relation(
    assistant: Assistant,
) -> None:
    """No tag, link or learner label says who Tobiah is; the user's other memory does."""
    added = assistant.memories.add_many(
        [
            Draft("brother tobiah lives in perth", importance=4, created_at=ago(500)),
            Draft("tobiah collects vinyl records", importance=3, created_at=ago(500)),
            Draft("collects vinyl records from the market", importance=3, created_at=ago(500)),
        ]
    )
    current = view(assistant)
    keeper = Keeper(current, assistant.memories.embedder)
    at = {m.id: n for n, m in enumerate(current.memories)}
    assert keeper.reason(at[added[1].id]) == ABOUT_PEOPLE
    assert keeper.reason(at[added[2].id]) is None


def test_an_aside_does_not_negate_the_statement() -> None:
    """A remark in brackets or a reminder's "don't forget" is no negation of the fact."""
    assert polarity("Pickles is the name of my kombucha scoby (long story, don't ask).") == 1
    assert polarity("don't forget dad's bday, aug 9th!") == 1
    assert polarity("I don't eat meat (not since 2019).") == -1
    assert (
        veto("I keep a kombucha scoby called Pickles.", "My kombucha scoby is Pickles (don't ask).")
        != "polarity"
    )
    assert veto("I'm an early riser.", "I'm not an early riser (sadly).") == "polarity"
