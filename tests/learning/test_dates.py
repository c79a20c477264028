"""Days said relative to a message are dated as of when it was written."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.learning.dates import anchored, asked_span, plain
from assistant.learning.learner import Learner
from assistant.transfer.importer import Importer

SATURDAY = datetime(2026, 12, 5, 10, 0)
"""A Saturday morning, local time."""


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("my flight to nairobi is tomorrow", "my flight to nairobi is tomorrow (6 December 2026)"),
        ("Tomorrow I fly to Oslo", "Tomorrow (6 December 2026) I fly to Oslo"),
        ("tmrw is payday", "tmrw (6 December 2026) is payday"),
        ("went climbing yesterday morning", "went climbing yesterday morning (4 December 2026)"),
        (
            "the day after tomorrow is my birthday",
            "the day after tomorrow (7 December 2026) is my birthday",
        ),
        ("dentist next friday at 3", "dentist next friday (11 December 2026) at 3"),
        ("car service on monday week", "car service on monday week (14 December 2026)"),
        ("new job starting monday", "new job starting monday (7 December 2026)"),
        ("pree got engaged last night", "pree got engaged last night (4 December 2026)"),
        ("met my new boss this morning", "met my new boss this morning (5 December 2026)"),
        (
            "they moved my physio to wednesday 2pm",
            "they moved my physio to wednesday (9 December 2026) 2pm",
        ),
        ("ruby turns 7 on the 22nd", "ruby turns 7 on the 22nd (22 December 2026)"),
        ("haircut booked for the 2nd", "haircut booked for the 2nd (2 January 2027)"),
        ("it was on the 3rd", "it was on the 3rd (3 December 2026)"),
        ("I work monday to friday", "I work monday to friday"),
        ("I live on the 2nd floor", "I live on the 2nd floor"),
        ("the 2nd time i went", "the 2nd time i went"),
        ("I passed on the 3rd try", "I passed on the 3rd try"),
        ("rent is due on the 3rd of every month", "rent is due on the 3rd of every month"),
        ("party this saturday night", "party this saturday night (5 December 2026)"),
        ("last friday was fun", "last friday (4 December 2026) was fun"),
        ("the dentist is on friday", "the dentist is on friday (11 December 2026)"),
        ("we met on friday", "we met on friday (4 December 2026)"),
        (
            "the dishwasher flooded the kitchen on tuesday",
            "the dishwasher flooded the kitchen on tuesday (1 December 2026)",
        ),
        ("I need the car fixed by tuesday", "I need the car fixed by tuesday (8 December 2026)"),
        (
            "I have an interview scheduled for thursday",
            "I have an interview scheduled for thursday (10 December 2026)",
        ),
        ("the report is due by monday", "the report is due by monday (7 December 2026)"),
        ("I moved to bristol last month", "I moved to bristol last month (November 2026)"),
        ("turning 40 next year", "turning 40 next year (2027)"),
        ("next week is busy", "next week (week of 7 December 2026) is busy"),
        (
            "back from Lisbon last weekend",
            "back from Lisbon last weekend (weekend of 28–29 November 2026)",
        ),
        ("exam in 3 days", "exam in 3 days (8 December 2026)"),
        ("started 2 weeks ago", "started 2 weeks ago (around 21 November 2026)"),
        ("in a month I start at Monzo", "in a month (around January 2027) I start at Monzo"),
        ("dentist on march 14th at 3pm", "dentist on march 14th (14 March 2027) at 3pm"),
        ("the wedding is on 20 june", "the wedding is on 20 june (20 June 2027)"),
        ("flight on the 3rd of may", "flight on the 3rd of may (3 May 2027)"),
        ("party on may 3rd!", "party on may 3rd (3 May 2027)!"),
        ("xmas dinner on 25 dec", "xmas dinner on 25 dec (25 December 2026)"),
        ("meeting on dec 1st", "meeting on dec 1st (1 December 2027)"),
        ("we met on dec 10th", "we met on dec 10th (10 December 2025)"),
        ("we went to paris on 3 june", "we went to paris on 3 june (3 June 2026)"),
        ("got a flight on the 3rd of may", "got a flight on the 3rd of may (3 May 2027)"),
        ("i've got a smear test on the 9th", "i've got a smear test on the 9th (9 December 2026)"),
        ("got tickets for the 20th", "got tickets for the 20th (20 December 2026)"),
        # each clause's own tense: the house was bought, the closing is to come
        (
            "we just bought our first house, closing on the 18th",
            "we just bought our first house, closing on the 18th (18 December 2026)",
        ),
        (
            "i went to the gp on friday and have a check-up on the 20th",
            "i went to the gp on friday (4 December 2026) and have a check-up on the 20th"
            " (20 December 2026)",
        ),
        ("we had a great time on the 2nd", "we had a great time on the 2nd (2 December 2026)"),
        ("i got a new car on friday", "i got a new car on friday (4 December 2026)"),
        (
            "my mum (her name's linda btw) had a fall on tuesday",
            "my mum (her name's linda btw) had a fall on tuesday (1 December 2026)",
        ),
        (
            "mum's birthday party is on saturday 13th feb",
            "mum's birthday party is on saturday 13th feb (13 February 2027)",
        ),
        (  # a plan moved to a day is to come, whatever the tense
            "the dentist moved my appointment to jan 19th",
            "the dentist moved my appointment to jan 19th (19 January 2027)",
        ),
        (
            "ellies orthodontist got moved to the 17th, same time",
            "ellies orthodontist got moved to the 17th (17 December 2026), same time",
        ),
        ("we moved on the 3rd", "we moved on the 3rd (3 December 2026)"),
    ],
)
def test_a_relative_day_is_followed_by_its_date(said: str, kept: str) -> None:
    assert anchored(said, SATURDAY) == kept
    assert plain(kept) == said


@pytest.mark.parametrize(
    "said",
    [
        "I swim on fridays",  # a habit
        "finn has swimming lessons on saturday mornings at tollcross",  # a habit too
        "we're away next weekend",  # the coming weekend to some, the one after to others
        "my birthday is on 6 December",
        "my birthday is march 14th",
        "I was born on 14 march 1990",
        "the concert is on 6 march, 2027",
        "you may 2 times",
        "dentist 14/03",
        "on 31 february",
        "",
    ],
)
def test_what_names_no_one_day_is_left_as_written(said: str) -> None:
    assert anchored(said, SATURDAY) == said


def test_dating_twice_changes_nothing() -> None:
    once = anchored("dentist tomorrow", SATURDAY)
    assert anchored(once, SATURDAY + timedelta(days=30)) == once


def test_the_years_and_months_turn_over() -> None:
    new_years_eve = datetime(2026, 12, 31, 23, 0)
    assert anchored("see you tomorrow", new_years_eve).endswith("(1 January 2027)")
    assert anchored("moving next month", new_years_eve).endswith("(January 2027)")
    sunday = datetime(2027, 8, 1, 9, 0)
    kept = anchored("this weekend", sunday)
    assert kept == "this weekend (weekend of 31 July – 1 August 2027)"
    assert plain(kept) == "this weekend"
    kept = anchored("last weekend", datetime(2023, 1, 3, 9, 0))  # a Tuesday
    assert kept == "last weekend (weekend of 31 December 2022 – 1 January 2023)"
    assert plain(kept) == "last weekend"


def test_a_learned_fact_is_dated_from_when_the_message_was_written(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    written = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    learner.learn("My flight to Nairobi is tomorrow.", conversation="c1", at=written)
    day = (written.astimezone() + timedelta(days=1)).date()
    (memory,) = assistant.memories.list()
    assert memory.text == f"My flight to Nairobi is tomorrow ({day.day} March 2026)."


def test_a_corrected_weekday_is_dated_again(assistant: Assistant) -> None:
    """ "no wait, thursday" puts Thursday in place of Tuesday, and the date with it."""
    learner = Learner(assistant.memories)
    learner.learn("My dentist appointment is on tuesday.", conversation="c1")
    learner.learn("no wait, thursday", conversation="c1")
    (memory,) = assistant.memories.list()
    assert memory.text.startswith("My dentist appointment is on thursday (")
    when = datetime.strptime(memory.text.split("(")[1].rstrip(").").strip(), "%d %B %Y").date()
    assert when.weekday() == 3
    learned_on = memory.created.astimezone().date()
    assert timedelta(0) <= when - learned_on < timedelta(days=7)


def test_an_imported_conversation_dates_its_days_in_its_own_time(
    assistant: Assistant, tmp_path: Path
) -> None:
    """An export from 2025 that says "tomorrow" means a day in 2025, not one after today."""
    at = "2025-04-10T12:00:00.000000Z"
    said = "My driving test is tomorrow."
    export = [
        {
            "uuid": "0e5d3f2a-8b1c-4d7e-9f0a-1b2c3d4e5f61",
            "name": "Driving",
            "created_at": at,
            "updated_at": at,
            "account": {"uuid": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"},
            "chat_messages": [
                {
                    "uuid": "11111111-2222-4333-8444-555555555556",
                    "text": said,
                    "content": [{"type": "text", "text": said}],
                    "sender": "human",
                    "created_at": at,
                    "updated_at": at,
                    "attachments": [],
                    "files": [],
                }
            ],
        }
    ]
    folder = tmp_path / "claude"
    folder.mkdir()
    (folder / "conversations.json").write_text(json.dumps(export), encoding="utf-8")
    Importer(assistant).run(folder)
    day = datetime(2025, 4, 10, 12, 0, tzinfo=UTC).astimezone().date() + timedelta(days=1)
    texts = [m.text for m in assistant.memories.list()]
    assert any(f"tomorrow ({day.day} April 2025)" in t for t in texts), texts


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("what have i got on in march?", (date(2027, 3, 1), date(2027, 3, 31))),
        ("anything on in december", (date(2026, 12, 1), date(2026, 12, 31))),
        ("what plans do i have?", (date(2026, 12, 5), date(2027, 6, 3))),
        ("anything coming up?", (date(2026, 12, 5), date(2027, 6, 3))),
        ("what's on my calendar", (date(2026, 12, 5), date(2027, 6, 3))),
        ("what's on my shopping list?", None),
        ("what is on tv tonight", (date(2026, 12, 5), date(2026, 12, 5))),
        ("where does my sister live?", None),
    ],
)
def test_the_days_a_question_asks_about(question: str, span: tuple[date, date] | None) -> None:
    assert asked_span(question, SATURDAY.date()) == span
