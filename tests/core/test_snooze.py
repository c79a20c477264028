"""Reminders in the phrasings people use: snoozing the one that came, times said as "1 hour
and 30 minutes" or "half an hour", "set a reminder for …", and a time with nothing to be
reminded of, which sets nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from assistant import Assistant
from assistant.conversation.responder import Responder
from tests.core.chat import said_back, without_a_model


@pytest.fixture
def responder(hashed: Assistant) -> Iterator[Responder]:
    made = without_a_model(hashed)
    yield made
    made.close()


def test_the_reminder_that_came_is_snoozed_not_made_again(responder: Responder) -> None:
    assert "No reminder has come" in said_back(responder, "snooze that")
    responder.reminders.add("floss", due=time.time() - 5)
    assert responder.due_reminders()[0].text.startswith("Reminder: floss")
    before = time.time()
    reply = said_back(responder, "remind me again in 10 minutes")
    assert reply.startswith("Snoozed until") and reply.endswith(": floss")
    [floss] = responder.reminders.open()
    assert floss.due is not None and 590 <= floss.due - before <= 610
    assert responder.due_reminders() == [], "not due again yet"
    responder.reminders.add("stretch", due=time.time() - 5, repeat="daily")
    assert responder.due_reminders()[0].text.startswith("Reminder: stretch")
    assert said_back(responder, "snooze for half an hour").endswith(": stretch")
    stretches = [r for r in responder.reminders.open() if r.text == "stretch"]
    assert sorted(r.repeat for r in stretches) == ["", "daily"], "the series goes on"
    assert "no time I can read" in said_back(responder, "snooze for a bit of a while", notices=True)


def test_a_reminder_due_but_not_yet_shown_is_the_one_snoozed(responder: Responder) -> None:
    responder.reminders.add("drink water", due=time.time() - 30)  # the chat had just started
    responder.reminders.add("call mum", due=time.time() + 3600)
    reply = said_back(responder, "snooze for 10 minutes")
    assert reply.startswith("Snoozed until") and reply.endswith(": drink water")
    assert responder.due_reminders() == [], "not shown until its new time"


@pytest.mark.parametrize(
    ("said", "minutes", "text"),
    [
        ("remind me in 1 hour and 30 minutes to stretch", 90, "stretch"),
        ("remind me in half an hour to check email", 30, "check email"),
        ("remind me in an hour and a half to call back", 90, "call back"),
        ("set a reminder for 20 minutes from now: pick up kids", None, None),
    ],
)
def test_times_said_in_two_units_or_halves(
    responder: Responder, said: str, minutes: int | None, text: str | None
) -> None:
    before = datetime.now()
    reply = said_back(responder, said)
    if minutes is None:
        return
    assert reply.startswith("Reminder set for"), reply
    [reminder] = responder.reminders.open()
    assert reminder.text == text and reminder.due is not None
    due = datetime.fromtimestamp(reminder.due)
    assert abs(due - (before + timedelta(minutes=minutes))) < timedelta(minutes=1)


def test_a_reminder_asked_for_by_name(responder: Responder) -> None:
    reply = said_back(responder, "set a reminder for 5pm: pick up kids")
    assert reply.startswith("Reminder set for") and reply.endswith(": pick up kids")
    [reminder] = responder.reminders.open()
    assert reminder.due is not None and datetime.fromtimestamp(reminder.due).hour == 17


@pytest.mark.parametrize("said", ["remind me tomorrow", "remind me to", "/remind tomorrow at 5pm"])
def test_a_time_with_nothing_to_be_reminded_of_sets_nothing(
    responder: Responder, said: str
) -> None:
    reply = said_back(responder, said, notices=True)
    assert "what should I remind you of" in reply
    assert responder.reminders.open() == []


def test_done_with_a_reminder_that_comes_back_keeps_the_series(responder: Responder) -> None:
    responder.reminders.add("take vitamins", due=time.time() - 5, repeat="daily")
    responder.due_reminders()
    reply = said_back(responder, "done with the vitamins")
    assert reply.startswith("Done for this time: take vitamins.") and "stop reminding" in reply
    [vitamins] = responder.reminders.open()
    assert vitamins.repeat == "daily" and vitamins.due is not None and vitamins.due > time.time()


def test_cancel_that_reminder_ends_the_one_that_came(responder: Responder) -> None:
    for text in ("pay rent", "floss"):
        responder.reminders.add(text, due=time.time() + 86400 * 3, repeat="weekly")
    responder.reminders.add("stand up", due=time.time() - 5)
    responder.due_reminders()
    assert said_back(responder, "cancel that reminder") == "I'll stop reminding you: stand up."
    assert sorted(r.text for r in responder.reminders.open()) == ["floss", "pay rent"]


@pytest.mark.parametrize(
    "said",
    ["remind me every 2 hours to drink water", "remind me every other week to clean the fridge"],
)
def test_a_repeat_that_cannot_be_kept_sets_nothing_and_says_so(
    responder: Responder, said: str
) -> None:
    reply = said_back(responder, said, notices=True)
    assert "I can't repeat" in reply and "every day at 9am" in reply
    assert responder.reminders.open() == []
