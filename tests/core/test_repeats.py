"""Reminders that come back: the words that say how, the next time each comes, and a clock
that delivers one on each of its days. Every test fixes its own clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from assistant import Assistant, paths
from assistant.errors import InvalidInputError
from assistant.reminder_clock import ReminderClock
from assistant.repeats import describe, first_time, following, parse_repeat
from assistant.store.reminders import Reminder, Reminders
from assistant.when import parse_when
from tests.core.test_responder import make, say

SUNDAY = datetime(2026, 12, 6, 10, 0)


@pytest.mark.parametrize(
    ("said", "rule", "task", "first", "then", "words"),
    [
        (
            "every monday at 8am to put the bins out",
            "weekly:0",
            "put the bins out",
            "Mon 07 Dec 08:00",
            "Mon 14 Dec 08:00",
            "every Monday",
        ),
        (
            "to take my pills every day at 9pm",
            "daily",
            "take my pills",
            "Sun 06 Dec 21:00",
            "Mon 07 Dec 21:00",
            "every day",
        ),
        (
            "to water the plants every weekday at 7",
            "weekdays",
            "water the plants",
            "Mon 07 Dec 07:00",
            "Tue 08 Dec 07:00",
            "every weekday",
        ),
        (
            "every tuesday and friday at 6pm gym",
            "weekly:1,4",
            "gym",
            "Tue 08 Dec 18:00",
            "Fri 11 Dec 18:00",
            "every Tuesday and Friday",
        ),
        (
            "pay the rent on the 1st of every month",
            "monthly:1",
            "pay the rent",
            "Fri 01 Jan 09:00",
            "Mon 01 Feb 09:00",
            "every month on the 1st",
        ),
        ("bins on thursdays", "weekly:3", "bins", "Thu 10 Dec 09:00", "Thu 17 Dec 09:00", ""),
        (
            "take my vitamins every morning",
            "daily",
            "take my vitamins",
            "Mon 07 Dec 09:00",  # this morning's 9:00 is gone
            "Tue 08 Dec 09:00",
            "every day",
        ),
        ("call mum every week", "weekly", "call mum", "Sun 13 Dec 09:00", "Sun 20 Dec 09:00", ""),
    ],
)
def test_the_words_of_a_repeat_give_its_rule_task_and_times(
    said: str, rule: str, task: str, first: str, then: str, words: str
) -> None:
    found, once = parse_repeat(said)
    due, text = parse_when(once, SUNDAY)
    start = first_time(found, due, SUNDAY)
    assert (found, text) == (rule, task)
    assert f"{start:%a %d %b %H:%M}" == first
    assert f"{following(found, start):%a %d %b %H:%M}" == then
    if words:
        assert describe(found) == words


@pytest.mark.parametrize(
    "said", ["call the dentist tomorrow", "everyone says hi", "every now and then", "weekday"]
)
def test_a_reminder_said_once_has_no_rule(said: str) -> None:
    assert parse_repeat(said) == ("", said)


def test_a_monthly_reminder_on_a_day_a_month_lacks_comes_on_its_last_day() -> None:
    assert following("monthly:31", datetime(2027, 1, 31, 9, 0)) == datetime(2027, 2, 28, 9, 0)
    assert following("monthly:31", datetime(2027, 2, 28, 9, 0)) == datetime(2027, 3, 31, 9, 0)


def test_a_delivered_repeat_comes_back_and_done_ends_it(hashed: Assistant) -> None:
    reminders = Reminders(hashed.db)
    monday = datetime(2026, 12, 7, 8, 0).timestamp()
    made = reminders.add("put the bins out", due=monday, repeat="weekly:0")
    [due] = reminders.due(monday + 1)
    assert due.repeat == "weekly:0"
    reminders.again([due], monday + 1)
    [open_] = reminders.open()
    assert open_.due == (datetime(2026, 12, 7, 8, 0) + timedelta(days=7)).timestamp()
    assert reminders.due(monday + 3600) == [], "not shown again before next monday"
    week_later = datetime(2026, 12, 14, 8, 0).timestamp()
    assert [r.id for r in reminders.due(week_later)] == [made.id]
    reminders.complete(made.id)
    reminders.again([due], week_later + 1)
    assert reminders.open() == []


def test_a_repeat_missed_for_weeks_comes_next_after_now(hashed: Assistant) -> None:
    reminders = Reminders(hashed.db)
    monday = datetime(2026, 12, 7, 8, 0).timestamp()
    reminders.add("put the bins out", due=monday, repeat="weekly:0")
    late = datetime(2026, 12, 30, 12, 0).timestamp()  # a Wednesday, three weeks on
    reminders.again(reminders.due(late), late)
    [open_] = reminders.open()
    assert datetime.fromtimestamp(open_.due or 0) == datetime(2027, 1, 4, 8, 0)


def test_a_repeat_needs_a_time(hashed: Assistant) -> None:
    with pytest.raises(InvalidInputError):
        Reminders(hashed.db).add("bins", repeat="weekly:0")


def test_the_clock_delivers_a_repeat_on_each_of_its_days(hashed: Assistant) -> None:
    now = [datetime(2026, 12, 7, 7, 59).timestamp()]
    clock = ReminderClock(
        Reminders(hashed.db), paths.records_file(hashed.settings.home), clock=lambda: now[0]
    )
    got: list[Reminder] = []
    clock.attach("cli", lambda reminder: got.append(reminder) or True)
    clock.reminders.add("bins", due=datetime(2026, 12, 7, 8, 0).timestamp(), repeat="weekly:0")
    assert clock.tick() == []
    for day in (7, 14, 21):
        now[0] = datetime(2026, 12, day, 8, 1).timestamp()
        assert [r.text for r in clock.tick()] == ["bins"]
        assert clock.tick() == [], "once on each day"
    assert len(got) == 3


def test_a_repeat_no_channel_took_waits_for_one(hashed: Assistant) -> None:
    now = [datetime(2026, 12, 7, 8, 1).timestamp()]
    clock = ReminderClock(
        Reminders(hashed.db), paths.records_file(hashed.settings.home), clock=lambda: now[0]
    )
    clock.attach("cli", lambda reminder: False)
    clock.reminders.add("bins", due=datetime(2026, 12, 7, 8, 0).timestamp(), repeat="weekly:0")
    assert clock.tick() == []
    clock.attach("cli", lambda reminder: True)
    assert [r.text for r in clock.tick()] == ["bins"], "this monday's, not lost"


def test_remind_in_chat_words_sets_a_repeat_and_lists_it(assistant: Assistant) -> None:
    responder, _ = make(assistant)
    reply, _ = say(responder, "/remind every monday at 8am to put the bins out")
    assert reply.text.startswith("Reminder set for Mon ")
    assert reply.text.endswith(" 08:00, then every Monday: put the bins out")
    listed = say(responder, "/reminders")[0].text
    assert "put the bins out — Mon " in listed and ", every Monday" in listed
    [made] = responder.reminders.open()
    assert made.repeat == "weekly:0" and datetime.fromtimestamp(made.due or 0).weekday() == 0


def test_a_repeat_shown_when_a_chat_opens_comes_back_next_time(assistant: Assistant) -> None:
    responder, _ = make(assistant)
    responder.reminders.add("stretch", due=datetime.now().timestamp() - 60, repeat="daily")
    [notice] = responder.due_reminders()
    assert notice.text.startswith("Reminder: stretch") and "every day" in notice.text
    assert responder.due_reminders() == []
    [again] = responder.reminders.open()
    assert again.due is not None and again.due > datetime.now().timestamp()


@pytest.mark.parametrize(
    ("stop", "answer"),
    [
        ("stop reminding me about the bins", "Done: put the bins out"),
        ("cancel the bins reminder", "Done: put the bins out"),
        ("no more reminders about the bins please", "Done: put the bins out"),
        # the one that came back, unnamed
        ("stop reminding me", "I'll stop reminding you: put the bins out."),
        ("ok you can stop reminding me now", "I'll stop reminding you: put the bins out."),
        ("cancel that reminder", "I'll stop reminding you: put the bins out."),
    ],
)
def test_a_repeat_called_off_in_chat_ends_and_is_no_instruction(
    assistant: Assistant, stop: str, answer: str
) -> None:
    responder, _ = make(assistant)
    say(responder, "remind me every monday at 8am to put the bins out")
    say(responder, "remind me to call the plumber tomorrow")
    reply, _ = say(responder, stop)
    assert reply.text == answer
    assert [r.text for r in responder.reminders.open()] == ["call the plumber"]
    assert assistant.instructions.all() == []


def test_a_one_off_past_its_time_is_the_one_that_came(assistant: Assistant) -> None:
    responder, _ = make(assistant)
    responder.reminders.add("stretch", due=datetime.now().timestamp() - 60)
    responder.reminders.add("call the plumber", due=datetime.now().timestamp() + 86400)
    say(responder, "ugh don't remind me")  # of what it reminds of, not of the reminder
    assert len(responder.reminders.open()) == 2
    reply, _ = say(responder, "stop reminding me!")
    assert reply.text == "I'll stop reminding you: stretch."
    assert [r.text for r in responder.reminders.open()] == ["call the plumber"]


def test_which_reminder_to_stop_is_asked_when_several_came_or_none(assistant: Assistant) -> None:
    responder, _ = make(assistant)
    assert say(responder, "stop reminding me")[0].text == "You have no open reminders."
    say(responder, "remind me every monday at 8am to put the bins out")
    say(responder, "remind me every day at 9pm to take my pills")
    reply, _ = say(responder, "stop reminding me")
    assert reply.text.startswith("Which reminder should I stop?")
    assert "put the bins out" in reply.text and "take my pills" in reply.text
    assert len(responder.reminders.open()) == 2
    assert assistant.instructions.all() == []
