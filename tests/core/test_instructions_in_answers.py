"""Standing instructions reach every answer: told in chat, they are noted (and said so), sent
to the model in the system prompt from the next message on, listed and forgotten with
``/instructions``, and an edit of ``Assistant/Instructions.md`` takes effect at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant
from assistant.conversation.responder import Responder
from assistant.models.anthropic_chat import AnthropicModel
from assistant.models.chat import ModelInfo
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from tests.core.chat import said_back
from tests.servers import FakeServer, anthropic_text


@pytest.fixture
def responder(assistant: Assistant, server: FakeServer) -> Iterator[Responder]:
    info = ModelInfo("sonnet", "anthropic", "claude-sonnet-4-6", "strong", 3.0, 15.0)
    claude = AnthropicModel(info, api_key="k", base_url=server.url)
    made = Responder(assistant, ModelRegistry([claude], PolicySettings(), BudgetSettings()))
    yield made
    made.close()


def say(responder: Responder, text: str) -> str:
    return said_back(responder, text, notices=True)  # a refused command's notice too


def system_prompt(server: FakeServer) -> str:
    system = server.requests[-1].body["system"]
    return system if isinstance(system, str) else "".join(part["text"] for part in system)


def test_an_instruction_told_in_chat_reaches_every_later_answer(
    responder: Responder, server: FakeServer
) -> None:
    server.queue += [anthropic_text("Noted."), anthropic_text("Here it is.")]
    say(responder, "from now on always give recipes in metric pls")
    notices = [n.text for n in responder.learned(wait=10)]
    assert "(noted for every answer: From now on always give recipes in metric pls.)" in notices
    say(responder, "how do I make a simple pancake batter for four people")
    system = system_prompt(server)
    assert "follow these in every answer" in system
    assert "- From now on always give recipes in metric pls." in system


def test_the_page_edited_by_hand_is_what_the_model_is_told(
    assistant: Assistant, responder: Responder, server: FakeServer
) -> None:
    assistant.layout.instructions.write_text("# Instructions\n\n- Answer in French.\n")
    server.queue += [anthropic_text("Bien sûr."), anthropic_text("D'accord.")]
    say(responder, "write a short poem about autumn leaves")
    assert "- Answer in French." in system_prompt(server)
    assistant.layout.instructions.write_text("# Instructions\n\nNothing for now.\n")
    say(responder, "write a short poem about the sea at night")
    assert "follow these in every answer" not in system_prompt(server)


def test_instructions_are_listed_and_forgotten_with_the_command(
    assistant: Assistant, responder: Responder
) -> None:
    assert "no standing instructions" in say(responder, "/instructions")
    assistant.instructions.add("Always give recipes in metric.")
    assistant.instructions.add("Please be direct with me.")
    listing = say(responder, "/instructions")
    assert "1. Always give recipes in metric." in listing and "2. Please be direct" in listing
    assert say(responder, "/instructions forget 2") == (
        "No longer noted for every answer: Please be direct with me."
    )
    assert "No instruction names" in say(responder, "/instructions forget bullets")
    assert "there is no instruction 5" in say(responder, "/instructions forget 5")
    assert "usage" in say(responder, "/instructions frobnicate")
    assert assistant.instructions.all() == ["Always give recipes in metric."]


def test_forgetting_what_was_said_about_it_in_chat_drops_the_instruction(
    assistant: Assistant, responder: Responder
) -> None:
    assistant.instructions.add("Always give recipes in metric.")
    assistant.instructions.add("No emojis from now on.")
    reply = say(responder, "forget what I said about metric")
    assert reply == "No longer noted for every answer: Always give recipes in metric."
    reply = say(responder, "forget the instruction about emojis")
    assert reply == "No longer noted for every answer: No emojis from now on."
    assert assistant.instructions.all() == []
