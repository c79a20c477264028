"""``/project`` in chat, the project note in context, learning into the project in use, and
channels linked to a project."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from assistant.conversation.reply import InboundMessage, Notice, Reply
from assistant.conversation.responder import Responder
from assistant.core import Assistant
from assistant.models.chat import ChatMessage, ModelInfo
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.settings import Settings, read_settings


@pytest.fixture
def echo() -> EchoModel:
    return EchoModel(ModelInfo("cheap", "fake", "c", "cheap", 1.0, 5.0))


@pytest.fixture
def responder(hashed: Assistant, echo: EchoModel) -> Iterator[Responder]:
    made = Responder(hashed, ModelRegistry([echo], PolicySettings(), BudgetSettings()))
    yield made
    made.close()


def say(responder: Responder, text: str, channel: str = "cli", thread: str = "") -> Reply:
    final = list(responder.respond(InboundMessage(text, channel, "owner", thread=thread)))[-1]
    assert isinstance(final, Reply)
    return final


def system(call: list[ChatMessage]) -> str:
    return call[0].content


def test_slash_project_switches_lists_and_leaves(hashed: Assistant, responder: Responder) -> None:
    hashed.projects.new("Apollo", goal="Ship the beta")
    hashed.projects.new("Zephyr")
    assert "Working in Apollo" in say(responder, "/project apollo").text
    assert hashed.projects.current_name() == "Apollo"
    listing = say(responder, "/project").text
    assert "* Apollo: Ship the beta" in listing and "- Zephyr" in listing
    assert "No project" in say(responder, "/project none").text
    assert hashed.projects.current() is None
    events = list(responder.respond(InboundMessage("/project Nowhere", "cli", "owner")))
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("no project named 'Nowhere'" in n for n in notices), events


def test_the_project_note_is_in_context_and_learning_goes_into_it(
    hashed: Assistant, responder: Responder, echo: EchoModel
) -> None:
    hashed.projects.new("Apollo", goal="Ship the beta by May")
    say(responder, "/project Apollo")
    say(responder, "Our launch date for the beta is May 3.")
    assert "Goal: Ship the beta by May" in system(echo.calls[-1])
    say(responder, "My sister Anna lives in Lyon.")
    responder.learned(wait=10)
    memories = hashed.memories.list()
    places = {m.text: m.project for m in memories}
    assert any(p == "Apollo" and "launch date" in t for t, p in places.items()), places
    assert any(p == "" and "Anna" in t for t, p in places.items()), places


def test_a_linked_channel_works_in_its_project(settings: Settings, echo: EchoModel) -> None:
    settings.home.mkdir(parents=True, exist_ok=True)
    config = settings.home / "config.toml"
    config.write_text('[projects.links]\n"discord:42" = "Apollo"\n')
    linked = read_settings({}, os.environ)
    assert linked.project_links == {"discord:42": "Apollo"}
    with Assistant(linked, embedder=HashEmbedder()) as a:
        a.projects.new("Apollo", goal="Ship the beta")
        responder = Responder(a, ModelRegistry([echo], PolicySettings(), BudgetSettings()))
        try:
            say(responder, "Our launch date for the beta is May 3.", "discord", "42")
            assert "Goal: Ship the beta" in system(echo.calls[-1])
            say(responder, "hello there, what is new?", "cli")
            assert "Ship the beta" not in system(echo.calls[-1])
            responder.learned(wait=10)
            kept = [m for m in a.memories.list() if "launch date" in m.text]
            assert kept and kept[0].project == "Apollo"
        finally:
            responder.close()


def test_the_project_note_stays_within_its_share_of_the_budget() -> None:
    from assistant.conversation.context import build_context, estimate_tokens
    from assistant.conversation.session import SessionState
    from assistant.projects.note import Project

    notes = "\n".join(f"Decision {n}: " + "keep the scope small " * 30 for n in range(40))
    project = Project("Apollo", "id", goal="Ship the beta", body=f"## Your notes\n\n{notes}\n")
    context = build_context(
        "what next?",
        identity=[],
        session=SessionState("s", 0.0, 0.0),
        working=[],
        hits=[],
        budget=3000,
        tools=False,
        now=0.0,
        project=project.summary(),
    )
    system = context.messages[0].content
    brief = system.split("The user is working on this project now:\n", 1)[1]
    assert brief.startswith("- Project: Apollo (active)\n- Goal: Ship the beta")
    assert estimate_tokens(brief) <= 3000 // 10 + 10
