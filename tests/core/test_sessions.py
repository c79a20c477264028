"""Per-conversation sessions: each channel and sender has its own working memory, session and
confirmations, and two conversations answer at the same time."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.conversation.session import WorkingItem
from assistant.conversation.sessions import Sessions
from assistant.models.chat import (
    ChatMessage,
    Finished,
    ModelEvent,
    ModelInfo,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
)
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.service import ServeHost
from assistant.settings import Settings


@pytest.fixture
def made() -> Iterator[list[Responder]]:
    responders: list[Responder] = []
    yield responders
    for responder in responders:
        responder.close()


def responder_with(assistant: Assistant, made: list[Responder], *models: object) -> Responder:
    registry = ModelRegistry(list(models), PolicySettings(), BudgetSettings())  # type: ignore[arg-type]
    responder = Responder(assistant, registry)
    made.append(responder)
    return responder


def say(responder: Responder, text: str, channel: str, sender: str = "me") -> Reply:
    final = list(responder.respond(InboundMessage(text, channel, sender)))[-1]
    assert isinstance(final, Reply)
    return final


def seen(call: list[ChatMessage]) -> str:
    return "\n".join(m.content for m in call)


def test_each_channel_has_its_own_working_memory_and_session(
    hashed: Assistant, made: list[Responder]
) -> None:
    model = EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0))
    responder = responder_with(hashed, made, model)
    say(responder, "what could I cook with the leftover saffron tonight?", "discord")
    say(responder, "hello!", "cli", "owner")
    assert "saffron" not in seen(model.calls[-1]), "the terminal does not see Discord's turns"
    say(responder, "hello!", "discord")
    assert "saffron" in seen(model.calls[-1]), "Discord's own conversation goes on"
    responder.flush()
    sessions: dict[str, set[str]] = {}
    for turn in responder.log.recent(10):
        sessions.setdefault(turn.channel, set()).add(turn.session)
    assert set(sessions) == {"discord", "cli"}
    assert len(sessions["discord"]) == 1 and len(sessions["cli"]) == 1
    assert sessions["discord"] != sessions["cli"], "each conversation has its own session id"


def test_a_confirmation_is_settled_only_by_the_conversation_that_asked(
    hashed: Assistant, made: list[Responder]
) -> None:
    memory = hashed.memories.add("My locker code is 4521.")
    forget = [ToolCall("1", "forget", {"memory_id": memory.id})]
    model = EchoModel(
        ModelInfo("strong", "fake", "s", "strong", 3.0, 15.0),
        script=[forget, "I will forget it once you say so."],
    )
    responder = responder_with(hashed, made, model)  # no way to ask at once: as under serve
    asked = say(responder, "could you drop the locker code from your notes?", "discord")
    assert "Forget “My locker code is 4521.”?" in asked.text, "the question goes back"
    assert hashed.memories.get(memory.id).status.value == "active"
    say(responder, "yes", "cli", "owner")
    assert hashed.memories.get(memory.id).status.value == "active", "another channel's yes"
    say(responder, "yes", "discord", "someone else")
    assert hashed.memories.get(memory.id).status.value == "active", "another sender's yes"
    done = say(responder, "yes", "discord")
    assert hashed.memories.get(memory.id).status.value == "archived"
    assert "Forgot" in done.text and "4521" in done.text
    again = say(responder, "yes", "discord")
    assert "Forgot" not in again.text, "settled once"


def test_a_no_keeps_the_memory(hashed: Assistant, made: list[Responder]) -> None:
    memory = hashed.memories.add("My gym is on Elm Street.")
    forget = [ToolCall("1", "forget", {"memory_id": memory.id})]
    model = EchoModel(ModelInfo("strong", "fake", "s", "strong", 3.0, 15.0), script=[forget, "?"])
    responder = responder_with(hashed, made, model)
    say(responder, "could you drop the gym from your notes?", "sms")
    kept = say(responder, "no", "sms")
    assert "Kept" in kept.text
    assert hashed.memories.get(memory.id).status.value == "active"


class MeetingModel:
    """Answers only once a second answer is under way at the same time (a barrier of two)."""

    info = ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0)

    def __init__(self) -> None:
        self.meeting = threading.Barrier(2, timeout=30)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Waits for the other answer, then answers."""
        self.meeting.wait()  # raises BrokenBarrierError when the answers never overlap
        yield TextDelta("Both of us at once.")
        yield Finished(Usage(1, 5))

    def close(self) -> None:
        """Nothing to release."""

    def check(self) -> str:
        """Always ready."""
        return ""


def test_two_channels_answer_at_the_same_time(settings: Settings, made: list[Responder]) -> None:
    bridges = {"discord": {"owner": "me"}, "sms": {"owner": "+15550100"}}
    with Assistant(replace(settings, bridges=bridges), embedder=HashEmbedder()) as assistant:
        responder = responder_with(assistant, made, MeetingModel())
        host = ServeHost(responder, {"discord": "me", "sms": "+15550100"})
        replies = answer_at_once(host)
    assert replies == {"discord": "Both of us at once.", "sms": "Both of us at once."}


def answer_at_once(host: ServeHost) -> dict[str, str]:
    """Each owner's "hello!" answered on its own thread, at the same time."""
    replies: dict[str, str] = {}
    failures: list[BaseException] = []

    def answer(channel: str, sender: str) -> None:
        try:
            replies[channel] = host.answer("hello!", channel=channel, sender=sender)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [
        threading.Thread(target=answer, args=("discord", "me")),
        threading.Thread(target=answer, args=("sms", "+15550100")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    return replies


def test_working_memories_of_two_conversations_are_apart(tmp_path: Path) -> None:
    sessions = Sessions(tmp_path / "session")
    terminal, discord = sessions.of("cli", "owner"), sessions.of("discord", "me")
    assert sessions.of("cli", "owner") is terminal, "one conversation per channel and sender"
    terminal.working.add(WorkingItem("user", "the terminal's remark"))
    discord.working.add(WorkingItem("user", "Discord's remark", emotion=0.9))
    assert terminal.working.session().id != discord.working.session().id
    assert [i.text for i in discord.working.items()] == ["Discord's remark"]
    assert [i.text for i in discord.working.end()] == ["Discord's remark"]
    assert [i.text for i in terminal.working.items()] == ["the terminal's remark"], (
        "ending one conversation leaves the others"
    )
    sessions.close()
