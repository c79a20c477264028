"""A plan moved or called off, or someone who moved, replaces the fact that said the old one;
a fact about another plan or person stays (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from tests.learning.stored import texts


@pytest.mark.parametrize(
    ("before", "change", "now"),
    [
        (
            "physio appointment on tuesday at 10am",
            "ugh they moved my physio to wednesday 2pm",
            "Physio appointment on wednesday",
        ),
        (
            "dentist appointment on the 14th at 3pm",
            "dentist moved to the 16th",
            "Dentist appointment on the 16th",
        ),
        (
            "i have a dentist appointment on monday at 9am",
            "cancelled the dentist, will rebook in jan",
            "Cancelled the dentist, will rebook in jan.",
        ),
        (
            "dentist appt on jan 12th at 9am",
            "the dentist moved my appointment to jan 19th",
            "Dentist appt on jan 19th",
        ),
        (
            "ellies orthodontist appt is on the 14th at 4pm",
            "ellies orthodontist got moved to the 17th, same time",
            "Ellies orthodontist appt is on the 17th",
        ),
        (
            "mums got a cardiology appt next tuesday at 10:30",
            "they moved mums cardiology to wednesday, same time",
            "My mum's got a cardiology appt wednesday",
        ),
        (
            "pepper has the vet on thursday at 4 for her jabs",
            "actually the vet cancelled, moved to next monday",
            "Pepper has the vet on next monday",
        ),
        (
            "dinner with jess on thursday",
            "moved dinner with jess to next monday",
            "Dinner with jess on next monday",
        ),
        (
            "my partner dan is a software dev at sage",
            "dan got a new job!! hes at the bbc now",
            "Dan got a new job",
        ),
        (
            "my sister jess is pregnant, due in march",
            "jess had the baby! a girl, they named her poppy",
            "Jess had the baby",
        ),
        ("my sister lives in cork", "my sister moved to galway last week", "My sister moved to"),
        (
            "my mum lives on her own in macclesfield",
            "so mums moved into a care home, oakwood house in bollington",
            "My mum's moved into a care home",
        ),
        (
            "my mum lives on her own in macclesfield",
            "mum lives in a care home in bollington now",
            "My mum lives in a care home in bollington now.",
        ),
        (
            "my mum works at the post office",
            "mum retired from the post office!! 🎉",
            "My mum retired from the post office.",
        ),
        ("i work at tesco", "i retired last month", "I retired last month."),
        (
            "my brother kofi works at mtn as an engineer",
            "kofi quit mtn, hes at vodafone now",
            "Kofi quit mtn, he's at vodafone now.",
        ),
        (
            "my brother kofi lives in accra with his wife ama",
            "big news kofi and ama moved to london last month!",
            "Big news kofi and ama moved to london last month.",
        ),
    ],
)
def test_a_change_replaces_what_said_the_old(
    assistant: Assistant, before: str, change: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(before, conversation="c1")
    learner.learn("i have a haircut on friday at 2", conversation="c1")
    learner.learn("my friend jo lives in leeds", conversation="c1")
    changes = learner.learn(change, conversation="c2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert any(t.startswith(now) for t in texts(assistant)), texts(assistant)
    assert len(texts(assistant)) == 3, texts(assistant)


def test_calling_off_what_was_never_planned_keeps_nothing(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my friend jo lives in leeds", conversation="c1")
    learner.learn("cancelled my netflix", conversation="c1")
    assert texts(assistant) == ["My friend jo lives in leeds."]


def test_a_plan_called_off_only_if_it_may_be_keeps_the_plan(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i have a dentist appointment on monday at 9am", conversation="c1")
    learner.learn("if the dentist is cancelled ill go shopping", conversation="c1")
    assert texts(assistant) == ["I have a dentist appointment on monday at 9am."]


def test_a_move_to_a_place_that_begins_like_a_day_replaces_where_they_lived(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my gf is mira, she lives in toronto", conversation="m1")
    changes = learner.learn("mira moved to montreal last month", conversation="m2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert not any("toronto" in t for t in texts(assistant)), texts(assistant)


def test_a_day_said_again_with_next_keeps_next(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("dentist on thursday at 4", conversation="d1")
    learner.learn("no wait, next monday", conversation="d1")
    assert [plain(t) for t in texts(assistant)] == ["Dentist on next monday at 4."]
