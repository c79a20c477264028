"""Saying one message to a responder in a test, and reading what came back."""

from __future__ import annotations

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Notice, Reply
from assistant.conversation.responder import Responder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings


def without_a_model(assistant: Assistant) -> Responder:
    """A responder with no chat model: every reply comes from the local path."""
    return Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))


def said_back(responder: Responder, text: str, *, notices: bool = False) -> str:
    """The reply's text to ``text`` once the turn is written (with the notices before it,
    such as a refused command's, when ``notices``)."""
    events = list(responder.respond(InboundMessage(text)))
    responder.flush()
    final = events[-1]
    assert isinstance(final, Reply)
    shown = [e.text for e in events if isinstance(e, Notice)] if notices else []
    return "\n".join([*shown, final.text]).strip()
