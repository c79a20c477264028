"""The user has one partner at a time: another named replaces the one named before, and a
breakup ends the one the store knows, told about them (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from assistant.learning.partners import ended_with, partner_named


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("My girlfriend is Leah.", ("girlfriend", "Leah")),
        ("my girlfriend is leah", ("girlfriend", "Leah")),
        ("my gf's name is leah", ("gf", "Leah")),
        ("My husband is called Tom now.", ("husband", "Tom")),
        ("My boyfriend is Dan.", ("boyfriend", "Dan")),
        ("My wife is Italian.", None),
        ("My partner is Christian.", None),
        ("my girlfriend is sick", None),
        ("my wife is pregnant", None),
        ("my husband is away", None),
        ("my wife is a nurse", None),
        ("My girlfriend is Sophie and she's a vet.", None),
    ],
)
def test_the_partner_a_fact_names(text: str, named: tuple[str, str] | None) -> None:
    assert partner_named(text) == named


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("We broke up last week.", ("", "")),
        ("sophie and I split up", ("sophie", "")),
        ("I just broke up with leah", ("leah", "")),
        ("I dumped my bf", ("", "bf")),
        ("my wife left me", ("", "wife")),
        ("We're getting divorced.", ("", "")),
        ("im single again lol", ("", "")),
        ("we split the bill", None),
        ("I left my job", None),
        ("I left my wallet at home", None),
        ("my sister and her husband broke up", None),
    ],
)
def test_a_relationship_that_ended(text: str, ended: tuple[str, str] | None) -> None:
    assert ended_with(text) == ended


def texts(assistant: Assistant, status: str = "active") -> list[str]:
    return sorted(plain(m.text) for m in assistant.memories.list(statuses=[status]))


def test_a_new_partner_replaces_the_one_named_before(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    for said in ("my girlfriend is sophie", "sophie is a vet"):
        learner.learn(said, conversation="p1")
    changes = learner.learn("my girlfriend is Leah", conversation="p2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert texts(assistant) == ["My girlfriend is Leah.", "Sophie is a vet."]
    assert texts(assistant, "superseded") == ["My girlfriend is sophie."]


def test_a_breakup_ends_the_partner_and_says_who(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my boyfriend is Dan", conversation="b1")
    learner.learn("I dumped my bf", conversation="b2")
    (kept,) = assistant.memories.list()
    assert kept.text == "I dumped my bf Dan."
    assert kept.metadata["people"] == ["[[Dan]]"]
    assert texts(assistant, "superseded") == ["My boyfriend is Dan."]


def test_a_breakup_that_names_someone_else_or_nobody_known_replaces_nothing(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my wife is Anna", conversation="w1")
    learner.learn("my sister and her husband broke up", conversation="w1")
    learner.learn("my friend Jo finally broke up with Sam", conversation="w1")
    assert "My wife is Anna." in texts(assistant)
    assert texts(assistant, "superseded") == []
