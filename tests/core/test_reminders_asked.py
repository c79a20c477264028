"""Reminders asked for in plain words without a model, and recall questions that only sound
like one ("remind me what I'm allergic to")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant
from assistant.conversation.responder import Responder
from tests.core.chat import said_back, without_a_model


@pytest.fixture
def responder(assistant: Assistant) -> Iterator[Responder]:
    made = without_a_model(assistant)
    yield made
    made.close()


def say(responder: Responder, text: str) -> str:
    return said_back(responder, text)


def test_remind_me_what_asks_what_is_remembered_and_sets_no_reminder(
    assistant: Assistant, responder: Responder
) -> None:
    assistant.memories.add("I'm allergic to penicillin.")
    assert "I'm allergic to penicillin." in say(responder, "remind me what i'm allergic to")
    assert say(responder, "remind me to call mum tomorrow at 6pm").startswith("Reminder set")
    assert [r.text for r in responder.reminders.open()] == ["call mum"]


def test_remind_me_when_or_who_is_a_question(assistant: Assistant, responder: Responder) -> None:
    assistant.memories.add("My dentist appointment is on March 14th at 3pm.")
    assert "March 14th" in say(responder, "remind me when my dentist appointment is")
    assert responder.reminders.open() == []


@pytest.mark.parametrize(
    ("asked", "what"),
    [
        ("pls remind me to renew my passport on the 1st", "renew my passport"),
        ("can you remind me to ring the bank tomorrow morning?", "ring the bank"),
        ("don't let me forget to buy a card for jen on thursday", "buy a card for jen"),
        ("remind me to call mum at 6pm pls", "call mum"),
    ],
)
def test_a_reminder_asked_for_politely_is_set(responder: Responder, asked: str, what: str) -> None:
    assert say(responder, asked).startswith("Reminder set"), asked
    assert [r.text for r in responder.reminders.open()] == [what]


@pytest.mark.parametrize(
    ("asked", "why"),
    [
        ("remind me to pay rent on february 30th", "there is no day february 30th"),
        ("/remind something at 25pm", "25pm is no time of day"),
        ("remind me to call the bank yesterday at 5pm", "yesterday has passed"),
    ],
)
def test_a_reminder_for_a_time_that_cannot_be_is_not_set(
    responder: Responder, asked: str, why: str
) -> None:
    """A reminder set for some other time than the one said, or for none, would never come
    when the user expects it: the time is asked for again, and nothing is set."""
    said = said_back(responder, asked, notices=True)
    assert "no reminder set" in said and why in said, said
    assert responder.reminders.open() == []
