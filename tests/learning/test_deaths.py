"""A pet or person who died is no longer one the user has: the fact that said so is replaced
by the death, told about them (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.deaths import died
from assistant.learning.learner import Learner
from tests.learning.stored import texts


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mochi died yesterday.", "Mochi"),
        ("our dog rex passed away last night", "rex"),
        ("We had to put mochi down this morning.", "mochi"),
        ("we lost our cat mochi", "mochi"),
        ("had to put mochi to sleep this morning. i'm gutted", "mochi"),
        ("we had to have tigger put down yesterday, heartbroken", "tigger"),
        ("we lost brambles last night, had to have her put to sleep 😢", "brambles"),
        ("we lost biscuit at the park for an hour", ""),
        ("put the kettle on", ""),
        ("She died last year.", ""),
        ("My phone died", ""),
        ("The plant died.", ""),
        ("I lost my keys", ""),
        ("we put mochi in the car", ""),
        ("I put Rex down for a nap", ""),
    ],
)
def test_who_a_fact_says_died(text: str, name: str) -> None:
    assert died(text) == name


@pytest.mark.parametrize(
    ("had", "death", "now"),
    [
        (
            "we have a cat called mochi",
            "mochi died yesterday, im heartbroken",
            "Our cat Mochi died yesterday.",
        ),
        (
            "my cat's name is Mochi",
            "we had to put mochi down this morning",
            "We had to put my cat mochi down this morning.",
        ),
        (
            "we have a dog called mochi",
            "we lost mochi last night, had to have her put to sleep",
            "We lost our dog mochi last night",
        ),
    ],
)
def test_a_death_replaces_the_fact_that_the_user_has_them(
    assistant: Assistant, had: str, death: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(had, conversation="d1")
    learner.learn("mochi loves tuna", conversation="d1")
    changes = learner.learn(death, conversation="d2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert any(t.startswith(now.rstrip(".")) for t in texts(assistant)), texts(assistant)
    assert len(texts(assistant)) == 2  # what was said of her stays
    assert len(texts(assistant, "superseded")) == 1


def test_a_death_of_someone_the_store_does_not_know_replaces_nothing(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I have a dog named Rex", conversation="r1")
    learner.learn("Bella died last week, my neighbour is devastated", conversation="r1")
    learner.learn("I put Rex down for a nap", conversation="r1")
    assert "I have a dog named Rex." in texts(assistant)
    assert texts(assistant, "superseded") == []


def test_a_death_leaves_the_other_pet_of_a_shared_fact_and_says_whose_pet_died(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("we have a cat called mochi and a hamster named pip", conversation="t1")
    learner.learn("pip died last night 😢 we buried him in the garden", conversation="t2")
    assert "We have a cat called mochi." in texts(assistant)
    assert texts(assistant, "superseded") == ["We have a cat called mochi and a hamster named pip."]
    told = [t for t in texts(assistant) if "died" in t]
    assert told == ["Our hamster Pip died last night 😢."], told  # what follows the face is its own
    kept = next(m for m in assistant.memories.list() if m.text == "We have a cat called mochi.")
    assert kept.metadata["people"] == ["[[Mochi]]"]


def test_a_death_ends_their_age_and_tells_whose_they_were(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("our cat mochi is 3", conversation="m1")
    learner.learn("my dog rex loves the beach", conversation="m1")
    learner.learn("mochi died yesterday, so sad", conversation="m2")
    learner.learn("rex was put down today", conversation="m2")
    told = sorted(t for t in texts(assistant) if "died" in t or "put down" in t)
    assert len(told) == 2, told
    assert told[0].startswith("My dog Rex was put down today"), told
    assert told[1].startswith("Our cat Mochi died yesterday"), told
    assert texts(assistant, "superseded") == ["Our cat mochi is 3."]
    assert "My dog rex loves the beach." in texts(assistant)  # what was said of him stays


def test_a_pet_put_to_sleep_is_no_longer_one_the_user_has(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("we have a cat called mochi", conversation="m1")
    learner.learn("had to put mochi to sleep this morning. i'm gutted 💔", conversation="m2")
    assert texts(assistant, "superseded") == ["We have a cat called mochi."]
    assert any(t.startswith("Had to put our cat mochi to sleep") for t in texts(assistant))


def test_a_death_ends_an_age_told_loosely(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("our dog biscuit is 3 now, our cat pickles is like 14", conversation="p1")
    learner.learn("pickles died yesterday 😢 rip", conversation="p2")
    assert texts(assistant, "superseded") == ["Our cat pickles is like 14."]
    assert "Our dog biscuit is 3 now." in texts(assistant)
