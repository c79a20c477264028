"""A newer age of the same person or pet replaces the older one; a height, a weight, a time,
weeks of pregnancy or another person's age does not."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.ages import Age, age_of
from assistant.learning.learner import Learner


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 34.", Age("i", "34")),
        ("I just turned 35.", Age("i", "35")),
        ("Our dog biscuit is 5 now.", Age("biscuit", "5")),
        ("My son leo turned 8 today (5 December 2026).", Age("leo", "8")),
        ("Leo is 8 years old.", Age("leo", "8")),
        ("My nan is 90.", Age("nan", "90")),
        ("I'm 5'10.", None),
        ("I'm 34 weeks pregnant.", None),
        ("It's 5 o'clock.", None),
        ("The flat is 80 square metres.", None),
        ("I work 40 hours a week.", None),
        ("Biscuit turns 4 on friday.", None),
        ("Biscuit is a 4 year old beagle.", Age("biscuit", "4")),
        ("The hotel is a 4 star place.", None),
    ],
)
def test_the_age_a_fact_gives_and_whose_it_is(text: str, age: Age | None) -> None:
    assert age_of(text) == age


def test_a_newer_age_replaces_the_older_one(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    for said in ("im 34", "we have a dog called biscuit", "biscuit is 3"):
        learner.learn(said, conversation="a1")
    learner.learn("just turned 35 🎉", conversation="a2")
    changes = learner.learn("biscuit is 5 now", conversation="a2")
    assert [c.action for c in changes] == ["corrected"], changes
    texts = sorted(m.text for m in assistant.memories.list())
    assert texts == [
        "I just turned 35.",
        "Our dog biscuit is 5 now.",
        "We have a dog called biscuit.",
    ]


def test_an_age_said_beside_anothers_is_left_with_it(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("My son Leo is 7, my daughter Mia is 5 and they love lego", conversation="b1")
    before = {m.text for m in assistant.memories.list()}
    learner.learn("Leo turned 8", conversation="b2")
    after = {m.text for m in assistant.memories.list()}
    assert any("Mia" in t and "5" in t for t in after), after
    assert before - after <= {t for t in before if "Mia" not in t}


def test_a_new_age_of_someone_the_store_knows_goes_into_what_it_says_of_them(
    assistant: Assistant,
) -> None:
    """ "biscuit is 5 now", said alone, names no one the message knows; the store holds
    Biscuit's age, in a fact that says more of him, and the new age goes into that fact."""
    assistant.memories.add("Biscuit is a 4 year old beagle.", tags=["pets"])
    learner = Learner(assistant.memories)
    changes = learner.learn("biscuit is 5 now", conversation="c1")
    assert [c.action for c in changes] == ["corrected"], changes
    assert [m.text for m in assistant.memories.list()] == ["Biscuit is a 5 year old beagle."]
    assert learner.learn("pepper is 5 now", conversation="c2") == [], "no age of pepper's stored"
