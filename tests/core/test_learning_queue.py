"""Background learning after a turn: what fails there is logged, never lost in silence."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import pytest

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.models.chat import ChatMessage, ModelEvent, ModelInfo, ToolSpec
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from tests.core.chat import said_back, without_a_model


class BrokenExtractor:
    """A local chat model with a bug: every call raises something no one expected."""

    info = ModelInfo("broken", "fake", "broken", "local", 0.0, 0.0, tools=True)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Fails the way a bug does: not a ModelError."""
        raise RuntimeError("the extractor fell over")

    def close(self) -> None:
        """Nothing to release."""

    def check(self) -> str:
        """Ready, as far as anyone can tell."""
        return ""


def test_a_failure_in_background_learning_is_logged(
    hashed: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    answering = EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0), script=["Noted."])
    registry = ModelRegistry([answering, BrokenExtractor()], PolicySettings(), BudgetSettings())
    registry.forced = "cheap"  # the broken model only extracts ("auto": the ready local one)
    responder = Responder(hashed, registry)
    try:
        assert responder.learner.extractor is not None
        with caplog.at_level(logging.WARNING):
            events = list(
                responder.respond(
                    InboundMessage("My brother Tom works as a carpenter in Leeds since 2019.")
                )
            )
            responder.learned(wait=30)
        assert isinstance(events[-1], Reply) and events[-1].text == "Noted."
        failures = [r for r in caplog.records if "the extractor fell over" in r.getMessage()]
        assert failures, "the exception from background learning reaches the log"
        assert failures[0].levelno >= logging.ERROR and failures[0].exc_info is not None
    finally:
        responder.close()


def test_a_message_is_answered_knowing_what_the_ones_before_taught(
    assistant: Assistant,
) -> None:
    responder = without_a_model(assistant)
    try:
        for fact in (  # piped one after another: none waits for the learning of the last
            "my brother josh is 10",
            "my sister amy lives in york",
            "our dog rex loves tennis balls",
            "my dentist is dr patel",
        ):
            list(responder.respond(InboundMessage(fact)))
        assert "patel" in said_back(responder, "who is my dentist?").lower()
    finally:
        responder.close()
