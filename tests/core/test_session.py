"""Working memory TTLs, session roll-over, context assembly and reminder times."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from assistant.conversation.context import build_context
from assistant.conversation.session import (
    MAX_ITEMS,
    SESSION_IDLE,
    WorkingItem,
    WorkingMemory,
    estimate_emotion,
    ttl,
)
from assistant.memory_types import Memory
from assistant.when import parse_when


def test_ttl_follows_the_design_rule() -> None:
    assert ttl(0.0) == 1800
    assert ttl(1.0) == 1800 * 12
    assert ttl(0.5) == pytest.approx(1800 * 6.5)
    assert ttl(7.0) == ttl(1.0) and ttl(-1) == ttl(0)


def test_emotion_estimate() -> None:
    assert estimate_emotion("pass the salt") == 0
    assert estimate_emotion("I'm devastated, my dog died!!") > 0.6


def test_items_expire_and_sessions_roll_over(tmp_path: Path) -> None:
    working = WorkingMemory(tmp_path / "wm")
    first = working.touch(now=1000.0)
    assert working.touch(now=2000.0).id == first.id
    assert working.session(now=2000.0 + SESSION_IDLE + 1).id != first.id
    now = time.time()
    working.add(WorkingItem("user", "an hour-old remark", emotion=0.0, at=now - 3600))
    working.add(WorkingItem("user", "an hour-old worry: the surgery", emotion=0.9, at=now - 3600))
    working.add(WorkingItem("user", "neutral, just now", emotion=0.0, at=now))
    assert [i.text for i in working.items()] == [
        "an hour-old worry: the surgery",
        "neutral, just now",
    ]
    assert [i.text for i in working.end()] == ["an hour-old worry: the surgery"]
    assert working.items() == []
    working.close()


def test_working_memory_is_bounded(tmp_path: Path) -> None:
    working = WorkingMemory(tmp_path / "wm")
    for n in range(MAX_ITEMS + 50):
        working.add(WorkingItem("user", f"item {n}"))
    assert len(working.items(limit=10_000)) == MAX_ITEMS
    assert working.items(limit=1)[0].text == f"item {MAX_ITEMS + 49}"
    working.close()


def test_context_stays_within_budget_and_keeps_the_message(tmp_path: Path) -> None:
    working = WorkingMemory(tmp_path / "wm")
    session = working.touch()
    turns = [
        WorkingItem("user" if i % 2 == 0 else "assistant", f"turn {i} " + "x" * 400)
        for i in range(40)
    ]
    identity = [Memory(id=f"id{i}", text=f"fact {i} " + "y" * 200) for i in range(40)]
    context = build_context(
        "the question",
        identity=identity,
        session=session,
        working=turns,
        hits=[],
        budget=1000,
        tools=False,
    )
    assert context.tokens <= 1000
    assert context.messages[-1].content == "the question"
    assert "turn 39" in context.messages[-2].content, "the newest turns are kept"
    roles = [m.role for m in context.messages[1:]]
    assert all(a != b for a, b in zip(roles, roles[1:], strict=False)), "roles alternate"
    working.close()


NOW = datetime(2026, 11, 21, 15, 30)  # a Saturday


@pytest.mark.parametrize(
    ("words", "expected", "rest"),
    [
        ("call mom in 20 minutes", datetime(2026, 11, 21, 15, 50), "call mom"),
        ("check the oven in an hour", datetime(2026, 11, 21, 16, 30), "check the oven"),
        ("call mom tomorrow at 6pm", datetime(2026, 11, 22, 18, 0), "call mom"),
        ("stand-up at 9am", datetime(2026, 11, 22, 9, 0), "stand-up"),
        ("yoga at 17:45", datetime(2026, 11, 21, 17, 45), "yoga"),
        ("pay rent on monday", datetime(2026, 11, 23, 9, 0), "pay rent"),
        ("dentist 2026-12-03 14:00", datetime(2026, 12, 3, 14, 0), "dentist"),
        ("movie tonight", datetime(2026, 11, 21, 20, 0), "movie"),
        ("tmrw to call mum", datetime(2026, 11, 22, 9, 0), "call mum"),
        ("book flights next thurs", datetime(2026, 11, 26, 9, 0), "book flights"),
        (
            "in 2 hours to take the chicken out",
            datetime(2026, 11, 21, 17, 30),
            "take the chicken out",
        ),
        ("bins out on sun at 7pm", datetime(2026, 11, 22, 19, 0), "bins out"),
        ("sit in the sun at 4pm", datetime(2026, 11, 21, 16, 0), "sit in the sun"),
        ("call mum tomorrow at 10", datetime(2026, 11, 22, 10, 0), "call mum"),
        ("pick up the kids at 3", datetime(2026, 11, 22, 15, 0), "pick up the kids"),
        ("bins out on thursday evening", datetime(2026, 11, 26, 18, 0), "bins out"),
        ("in two weeks to check the boiler", datetime(2026, 12, 5, 15, 30), "check the boiler"),
        ("weigh in at 80kg tomorrow", datetime(2026, 11, 22, 9, 0), "weigh in at 80kg"),
        # a day of the month: the next one, this month or the next that has it
        ("pay rent on the 1st", datetime(2026, 12, 1, 9, 0), "pay rent"),
        ("call mum on the 22nd", datetime(2026, 11, 22, 9, 0), "call mum"),
        ("book flights on the 31st", datetime(2026, 12, 31, 9, 0), "book flights"),
        ("dentist on march 3rd at 2pm", datetime(2027, 3, 3, 14, 0), "dentist"),
        ("party on 24 december", datetime(2026, 12, 24, 9, 0), "party"),
        ("renew the car tax on the 30th of nov", datetime(2026, 11, 30, 9, 0), "renew the car tax"),
    ],
)
def test_parse_when(words: str, expected: datetime, rest: str) -> None:
    assert parse_when(words, NOW) == (expected, rest)


@pytest.mark.parametrize(
    "words", ["buy milk", "at 25pm", "on 2026-13-45", "meet at 99", "take 2 pills", "on feb 30"]
)
def test_parse_when_without_a_usable_time(words: str) -> None:
    assert parse_when(words, NOW)[0] is None
