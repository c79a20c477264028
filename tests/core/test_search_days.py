"""A question about days ("what have I got on next week?") finds the facts dated in them,
soonest first, beside what it finds by meaning (real LanceDB and MiniLM)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Token
from assistant.conversation.responder import Responder
from assistant.learning.learner import Learner
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings

SATURDAY = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def planned(assistant: Assistant) -> Assistant:
    learner = Learner(assistant.memories)
    for said in (
        "i have a dentist appointment on monday at 9am",
        "yoga class on thursday at 6pm",
        "my job interview is on the 16th",
        "dinner with jess on friday night",
        "dentist on march 14th at 3pm",
        "my sister lives in leeds",
        "kwame's wedding is on 12 june 2027",
    ):
        learner.learn(said, conversation="d1", at=SATURDAY)
    return assistant


@pytest.mark.parametrize(
    ("question", "first"),
    [
        (
            "what have i got on next week?",
            ["I have a dentist appointment", "Yoga class", "Dinner with jess"],
        ),
        ("anything on the 16th?", ["My job interview"]),
        ("what am i doing on monday", ["I have a dentist appointment"]),
        ("what have i got on in march?", ["Dentist on march 14th"]),
        ("anything on 14 march?", ["Dentist on march 14th"]),
        ("what have i got on in june?", ["Kwame's wedding"]),
        ("anything on 12 june 2027?", ["Kwame's wedding"]),
        (
            "what plans do i have?",
            [
                "I have a dentist appointment",
                "Yoga class",
                "Dinner with jess",
                "My job interview",
                "Dentist on march 14th",
            ],
        ),
    ],
)
def test_a_question_about_days_finds_what_is_dated_in_them(
    planned: Assistant, question: str, first: list[str]
) -> None:
    hits = planned.memories.search(question, 5, now=SATURDAY.timestamp())
    dated = [h.memory.text for h in hits if h.dated]
    assert len(dated) == len(first)
    assert all(t.startswith(f) for t, f in zip(dated, first, strict=True)), dated
    assert [h.dated for h in hits[: len(first)]] == [True] * len(first)


def test_a_question_about_no_day_is_searched_as_before(planned: Assistant) -> None:
    hits = planned.memories.search("where does my sister live?", 3, now=SATURDAY.timestamp())
    assert hits[0].memory.text == "My sister lives in leeds." and not any(h.dated for h in hits)


def test_the_answer_without_a_model_lists_what_is_on_those_days(planned: Assistant) -> None:
    with time_machine.travel(SATURDAY, tick=False):
        responder = Responder(planned, ModelRegistry([], PolicySettings(), BudgetSettings()))
        try:
            events = list(responder.respond(InboundMessage("what have i got on next week?")))
        finally:
            responder.close()
    reply = "".join(e.text for e in events if isinstance(e, Token))
    for plan in ("dentist appointment", "Yoga class", "Dinner with jess"):
        assert plan in reply, reply
    assert "sister" not in reply
