"""A purge removes the turn that stated the memory, with its reply, and no other: turns said
close together in one conversation stay, and so does what other memories were learned from."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.conversation.reply import InboundMessage
from assistant.conversation.responder import Responder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.transfer.purge import purge
from assistant.vault.conversations import USER, ConversationNotes

AT = 1_760_000_000.0
LINES = [
    "hello!",
    "My brother Tom lives in Berlin.",
    "my bank password is Sup3rS3cret",
    "I love playing chess on Sundays.",
]


def chat(assistant: Assistant, gap: float) -> None:
    """The lines said one after the other, ``gap`` seconds apart, as ``assistant chat`` does."""
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    try:
        for number, line in enumerate(LINES):
            list(responder.respond(InboundMessage(line, at=AT + 0.1 + number * gap)))
            responder.learned(wait=30)
    finally:
        responder.close()


def transcript(assistant: Assistant) -> list[tuple[str, str]]:
    notes = ConversationNotes(assistant.memories.notes.layout)
    return [(m.role, m.text) for path in notes.notes() for m in notes.read(path)[1]]


@pytest.mark.parametrize("gap", [0.2, 0.9, 2.0])
def test_purge_removes_only_the_turn_that_stated_it(hashed: Assistant, gap: float) -> None:
    chat(hashed, gap)
    learned = {m.text: m for m in hashed.memories.list()}
    tom, chess = learned[LINES[1]], learned[LINES[3]]
    assert tom.metadata["conversation"] == chess.metadata["conversation"]
    said = [t.text for t in hashed.conversations.recent() if t.role == "user"]
    report = purge(hashed, [tom.id])
    assert (report.turns, report.logged) == (1, 2)
    kept = [t.text for t in hashed.conversations.recent() if t.role == "user"]
    assert kept == [s for s in said if "Tom" not in s]
    assert [r for r, _ in transcript(hashed)] == [USER, "assistant"] * 3
    assert [t for r, t in transcript(hashed) if r == USER] == kept
    assert [h.turn.text for h in hashed.memories.said("chess on Sundays", 3)][:1] == [LINES[3]]
