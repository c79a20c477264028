"""The user has one partner at a time: another named replaces the one named before, and a
breakup ends the one the store knows, told about them (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from assistant.learning.partners import ended_with, partner_named
from tests.learning.stored import texts


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
        ("I live with my partner jordan.", ("partner", "Jordan")),
        ("i moved in with my gf, leah", ("gf", "Leah")),
        ("I live with my partner now.", None),
        ("I live with my sister Anna.", None),
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


def test_a_new_partner_replaces_the_one_named_before(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    for said in ("my girlfriend is sophie", "sophie is a vet"):
        learner.learn(said, conversation="p1")
    changes = learner.learn("my girlfriend is Leah", conversation="p2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert texts(assistant) == ["My girlfriend is Leah.", "My girlfriend sophie is a vet."]
    assert texts(assistant, "superseded") == ["My girlfriend is sophie."]


def test_a_breakup_ends_the_partner_and_says_who(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my boyfriend is Dan", conversation="b1")
    learner.learn("I dumped my bf", conversation="b2")
    (kept,) = assistant.memories.list()
    assert kept.text == "I dumped my bf Dan."
    assert kept.metadata["people"] == ["[[Dan]]"]
    assert texts(assistant, "superseded") == ["My boyfriend is Dan."]


def test_a_breakup_ends_what_was_said_of_the_relationship_and_nothing_else(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my girlfriend is called ellie", conversation="e1")
    learner.learn("we've been together 2 years", conversation="e1")
    learner.learn("Sam and I have been together for 5 years", conversation="e1")
    learner.learn("ellie is a vet", conversation="e1")
    changes = learner.learn("ellie and i broke up", conversation="e2")
    assert [c.action for c in changes] == ["corrected", "corrected"], changes
    assert sorted(texts(assistant)) == [
        "Ellie and I broke up.",
        "My girlfriend Ellie is a vet.",
        "Sam and I have been together for 5 years.",
    ]
    assert sorted(texts(assistant, "superseded")) == [
        "My girlfriend's name is Ellie.",
        "We've been together 2 years.",
    ]
    stale = next(m for m in assistant.memories.list(statuses=["superseded"]) if "2 years" in m.text)
    ended = next(m for m in assistant.memories.list() if "broke up" in m.text)
    assert stale.metadata["superseded_by"] == f"[[{ended.path.stem}]]"


def test_a_breakup_ends_an_engagement_told_without_a_partner_named_before(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("omg dan proposed last night!!!! we're engaged 💍", conversation="d1")
    learner.learn("sam and i got engaged", conversation="d1")  # said of no one known
    learner.learn("well. dan and i broke up. called off the engagement", conversation="d2")
    assert "We're engaged." in texts(assistant, "superseded")
    assert "Dan and I broke up." in texts(assistant)
    ended = next(m for m in assistant.memories.list() if m.text == "Dan and I broke up.")
    assert ended.metadata["people"] == ["[[Dan]]"]
    learner.learn("my sister and her husband broke up", conversation="d3")
    assert "Sam and I got engaged." in texts(assistant)


def test_a_breakup_that_names_someone_else_or_nobody_known_replaces_nothing(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my wife is Anna", conversation="w1")
    learner.learn("my sister and her husband broke up", conversation="w1")
    learner.learn("my friend Jo finally broke up with Sam", conversation="w1")
    assert "My wife is Anna." in texts(assistant)
    assert texts(assistant, "superseded") == []


def test_someone_new_is_the_partner_and_a_partner_named_with_is_is_whom_she_means(
    assistant: Assistant,
) -> None:
    """ "my girlfriend is sophie, she's a nurse" keeps the nurse as Sophie; after the
    breakup, "seeing someone new now, her name is leah" is kept, and a later "we broke up"
    ends Leah, not Sophie."""
    learner = Learner(assistant.memories)
    learner.learn("my girlfriend is sophie, she's a nurse", conversation="s1")
    assert "My girlfriend sophie is a nurse." in texts(assistant)
    learner.learn("sophie and i broke up 😢", conversation="s2")
    learner.learn("seeing someone new now, her name is leah", conversation="s3")
    assert "I'm seeing Leah." in texts(assistant)
    learner.learn("we broke up", conversation="s4")
    assert "Leah and I broke up." in texts(assistant)
    assert "Sophie and I broke up 😢." in texts(assistant)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("im seeing someone new, his name is marco", "I'm seeing Marco."),
        ("I've been dating Sam for a month", "I'm dating Sam."),
    ],
)
def test_someone_new_is_kept_by_name(assistant: Assistant, said: str, kept: str) -> None:
    Learner(assistant.memories).learn(said, conversation="n1")
    assert kept in texts(assistant)


def test_a_state_said_with_is_is_no_name(assistant: Assistant) -> None:
    Learner(assistant.memories).learn("my sister is pregnant, she's due in may", conversation="q")
    assert not any("sister pregnant" in t.lower() for t in texts(assistant)), texts(assistant)


def test_a_breakup_ends_living_with_the_partner(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i live with my partner jordan", conversation="j1")
    learner.learn("jordan and i broke up last week 💔", conversation="j2")
    assert texts(assistant, "superseded") == ["I live with my partner jordan."]
    (kept,) = texts(assistant)
    assert kept.startswith("Jordan and I broke up last week")


def test_a_breakup_and_a_death_leave_the_others_the_user_lives_with(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i live in leeds with my bf tom and our cat biscuit", conversation="c1")
    learner.learn("tom and i broke up last week", conversation="c2")
    texts = [plain(m.text) for m in assistant.memories.list()]
    assert "I live with our cat biscuit." in texts
    assert not [t for t in texts if "my bf tom" in t], texts
    learner.learn("biscuit died on saturday", conversation="c3")
    texts = [plain(m.text) for m in assistant.memories.list()]
    assert not [t for t in texts if t.startswith("I live with")], texts
    assert "I live in Leeds." in texts
