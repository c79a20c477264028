"""Answers draw on memories and on what the user said, labelled apart with the day it was
said: the answer without a model, the model's search tool and the model's context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.models.chat import ModelInfo, ToolCall
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings

DAY = 1_790_000_000.0  # Mon 21 Sep 2026, a fixed moment: no test reads the clock
PLUMBER = "ugh the plumber turned up two hours late and left muddy boot prints everywhere"


def _responder(assistant: Assistant, *models: EchoModel) -> Responder:
    return Responder(assistant, ModelRegistry(list(models), PolicySettings(), BudgetSettings()))


def _ask(responder: Responder, text: str) -> Reply:
    events = list(responder.respond(InboundMessage(text, at=DAY + 86_400)))
    responder.flush()
    reply = events[-1]
    assert isinstance(reply, Reply)
    return reply


@pytest.fixture
def told(assistant: Assistant) -> Iterator[Assistant]:
    """A home where the user told things that no memory holds, and asked a question."""
    evidence = assistant.memories.evidence
    evidence.keep("s1", DAY, PLUMBER, "Oh no, what a mess.")
    evidence.keep("s1", DAY + 60, "what did the plumber charge last time?", "I don't know.")
    evidence.keep("s1", DAY + 120, "my sister Anna is moving to Lyon in spring")
    assistant.memories.add("The plumber is called Dave Kowalski.")
    yield assistant


def test_the_answer_without_a_model_quotes_what_the_user_said_with_its_date(
    told: Assistant,
) -> None:
    responder = _responder(told)
    try:
        reply = _ask(responder, "what did I tell you about the plumber?")
    finally:
        responder.close()
    assert "Here is what I remember:" in reply.text and "Dave Kowalski" in reply.text
    assert "What you told me:" in reply.text
    assert f"on Mon 21 Sep 2026 you said: “{PLUMBER}”" in reply.text
    assert "what did the plumber charge" not in reply.text, "a question is not evidence"
    assert "Anna" not in reply.text, "only what is about the question"


def test_what_the_user_said_answers_even_when_no_memory_does(assistant: Assistant) -> None:
    assistant.memories.evidence.keep("s1", DAY, PLUMBER)
    responder = _responder(assistant)
    try:
        reply = _ask(responder, "what happened with the plumber?")
    finally:
        responder.close()
    assert reply.memories == [] and "I don't remember" not in reply.text
    assert PLUMBER in reply.text and "you said" in reply.text


def test_the_search_tool_gives_the_model_what_the_user_said_with_its_date(
    told: Assistant,
) -> None:
    responder = _responder(told)
    try:
        result = responder.tools.run(ToolCall("1", "search_memories", {"query": "the plumber"}))
    finally:
        responder.close()
    assert result.ok
    lines = result.content.splitlines()
    assert any("Dave Kowalski" in line for line in lines)
    quoted = [line for line in lines if PLUMBER in line]
    assert quoted and quoted[0].startswith("(the user said on 2026-09-21, turn t")
    assert "1 found, " in result.summary


def test_the_model_context_holds_memories_and_what_the_user_said(told: Assistant) -> None:
    model = EchoModel(ModelInfo("local", "fake", "echo", "local", tools=False))
    responder = _responder(told, model)
    try:
        _ask(responder, "what did I tell you about the plumber?")
    finally:
        responder.close()
    answers = [c[0].content for c in model.calls if c[0].content.startswith("You are a")]
    system = answers[-1]  # the answer's context, not learning's extraction call
    assert "Dave Kowalski" in system
    assert "The user said earlier (date, their words):" in system
    assert f"2026-09-21: {PLUMBER}" in system
