"""A fact the user says they told wrongly ("i said X but it's actually Y") is kept as it
should have been told, in place of the first telling where that was kept."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from assistant.learning.restated import Restatement, restatement


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            "wait i said my flight was at 6:40 but it's actually 8:40, just checked the app",
            Restatement("my flight was at 8:40", "6:40", "8:40"),
        ),
        (
            "I told you my dentist is on tuesday but it's wednesday",
            Restatement("my dentist is on wednesday", "tuesday", "wednesday"),
        ),
        (
            "pls stop calling me Sandra, it's Saundra. with a u.",
            Restatement("My name is Saundra", "Sandra", "Saundra"),
        ),
    ],
)
def test_what_was_said_and_its_new_value_give_the_fact(said: str, expected: Restatement) -> None:
    assert restatement(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "I said I liked it but I was lying",
        "i said no but she insisted",
        "my flight is at 8:40",
        "stop calling me lazy, I'm tired",
        "I said Tom but he's gone",
        "i said leeds but it's not leeds",
        "",
    ],
)
def test_anything_else_is_no_restatement(said: str) -> None:
    assert restatement(said) is None


def test_a_restatement_replaces_the_first_telling(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my dentist appointment is on tuesday", conversation="r1")
    learner.learn(
        "I told you my dentist appointment is on tuesday but it's wednesday", conversation="r1"
    )
    assert [plain(m.text) for m in assistant.memories.list()] == [
        "My dentist appointment is on wednesday."
    ]
    assert len(assistant.memories.list(statuses=["superseded"])) == 1


def test_a_restatement_is_kept_when_the_first_telling_was_not(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("wait i said my flight was at 6:40 but it's actually 8:40", conversation="r2")
    assert [m.text for m in assistant.memories.list()] == ["My flight was at 8:40."]


def test_a_restatement_puts_the_new_value_into_the_fact_that_holds_the_old(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my flight to lisbon is on the 14th at 7:15am", conversation="r3")
    learner.learn("wait, i said my flight was at 7:15 but it's actually 9:15", conversation="r3")
    assert [plain(m.text) for m in assistant.memories.list()] == [
        "My flight to lisbon is on the 14th at 9:15am."
    ]


def test_a_name_said_wrongly_is_set_right_in_the_fact(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my cat's called Mochi", conversation="r4")
    learner.learn("i said Mochi but it's actually Miso lol", conversation="r4")
    assert [m.text for m in assistant.memories.list()] == ["My cat's name is Miso."]
