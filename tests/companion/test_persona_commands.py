"""The persona through the front doors: the system prompt each answer gets, the mood moved
by each exchange (from the turn's own embedding), ``/persona`` in chat and ``assistant
persona [--json]`` / ``assistant persona set``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.companion import PRESETS
from assistant.conversation.reply import InboundMessage, Reply, Token
from assistant.conversation.responder import Responder
from assistant.conversation.turns import FinishedTurn
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant_cli.main import build_app


@pytest.fixture
def model() -> EchoModel:
    return EchoModel(ModelInfo("local", "fake", "echo", "local", tools=False))


@pytest.fixture
def responder(assistant: Assistant, model: EchoModel) -> Iterator[Responder]:
    registry = ModelRegistry([model], PolicySettings(), BudgetSettings())
    made = Responder(assistant, registry)
    yield made
    made.close()


def say(responder: Responder, text: str) -> str:
    events = list(responder.respond(InboundMessage(text)))
    responder.flush()
    responder.companion.flush()
    final = events[-1]
    assert isinstance(final, Reply)
    return "".join(e.text for e in events if isinstance(e, Token))


def test_the_system_prompt_carries_style_and_mood_in_words(
    responder: Responder, model: EchoModel
) -> None:
    responder.companion.choose(preset="intellectual_mentor", name="Sage")
    say(responder, "how do tides work?")
    system = model.calls[-1][0].content
    assert "Your name is Sage." in system
    assert "precise and organised" in system
    assert "0.85" not in system and "conscientiousness" not in system


def test_each_exchange_moves_the_mood_from_the_turns_own_embedding(
    responder: Responder,
) -> None:
    heard: list[FinishedTurn] = []
    responder.listeners.add(heard.append)
    before = responder.companion.mood()
    for text in ("my dog died this morning", "I feel really lonely lately"):
        say(responder, text)
    assert heard[0].vector is not None and len(heard[0].vector) == 384
    after = responder.companion.mood()
    assert after.pleasure < before.pleasure
    assert [row.heard for row in responder.companion.mood_history()] == ["sad", "sad"]
    say(responder, "/help")  # a command says nothing about the user's feelings
    assert len(responder.companion.mood_history()) == 2


def test_persona_in_chat(responder: Responder) -> None:
    text = say(responder, "/persona")
    assert text.startswith("Assistant (curious companion): openness 0.85")
    assert "Mood:" in text and "Needs:" in text and "Quirks: none yet" in text
    assert "/persona" in say(responder, "/help")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_persona_cli_json_and_set(env: dict[str, str]) -> None:
    env_home = env["ASSISTANT_HOME"]
    assert env_home
    code, out, _ = run("persona", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["preset"] == "curious_companion"
    assert data["traits"] == PRESETS["curious_companion"].as_dict()
    assert set(data["mood"]) >= {"label", "pleasure", "arousal", "dominance", "history"}
    assert set(data["needs"]["levels"]) == {"social", "intellectual", "creative", "rest"}
    assert data["quirks"] == []
    code, out, _ = run("persona", "set", "--preset", "supportive_friend", "--name", "Robin")
    assert code == 0 and "Robin is now supportive friend" in out
    code, out, _ = run("persona", "set", "--extraversion", "0.1", "--json")
    assert code == 0
    assert json.loads(out)["preset"] == "custom"
    assert json.loads(out)["traits"]["agreeableness"] == 0.9
    code, out, err = run("persona", "set", "--preset", "pirate")
    assert code == 1 and out == ""
    assert "unknown preset 'pirate'" in err
    code, out, _ = run("persona")
    assert code == 0 and out.startswith("Robin (custom):")
