"""Plugins from entry points: a small distribution (``sample_plugin/``) is installed into a
temp site folder with pip, then the real CLI and the plugin manager find it there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(
    site: Path, env: dict[str, str], *args: str, allow: str | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env, "PYTHONPATH": str(site)}
    environ.pop("ASSISTANT_LOAD_PLUGINS", None)
    if allow is not None:
        environ["ASSISTANT_LOAD_PLUGINS"] = allow
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_installed_plugins_are_listed_and_a_broken_one_is_reported(
    site: Path, env: dict[str, str]
) -> None:
    done = run(site, env, "-m", "assistant_cli", "plugins", "--json")
    assert done.returncode == 0, done.stderr
    found = {p["name"]: p for p in json.loads(done.stdout)}
    assert found["sample"]["loaded"] and found["sample"]["version"] == "1.2.0"
    assert found["sample"]["distribution"] == "assistant-sample-plugin"
    assert set(found["sample"]["hooks"]) == {
        "register_tools",
        "register_bridges",
        "register_commands",
    }
    assert found["broken"]["loaded"] is False
    assert "broken on purpose" in found["broken"]["error"]
    assert "plugin broken not loaded" in done.stderr and "Traceback" not in done.stderr
    assert found["assistant.models.providers"]["builtin"]


def test_a_plugin_adds_a_command_a_tool_and_a_bridge(site: Path, env: dict[str, str]) -> None:
    done = run(site, env, "-m", "assistant_cli", "sample-hello", "Ana", allow="sample")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "hello from the sample plugin, Ana"
    assert "broken" not in done.stderr, "left out by ASSISTANT_LOAD_PLUGINS"
    code = """
from assistant.plugins import bridge_factories, load_plugins, model_factories, plugin_tools

class Host:
    def answer(self, text, *, channel, sender):
        return "ok"
    def is_owner(self, channel, sender):
        return sender == "me"

load_plugins()
tools = {spec.name: handler for spec, handler in plugin_tools()}
print(tools["roll_dice"]({"sides": 20}))
bridge = bridge_factories()["echo"](Host(), {"token": "x"})
bridge.start()
print(bridge.name, bridge.deliver("take your pills"), bridge.delivered)
print(sorted(model_factories()))
"""
    done = run(site, env, "-c", code, allow="sample")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "rolled 20",
        "echo True ['take your pills']",
        "['anthropic', 'llama', 'openai']",
    ]


def test_a_model_calls_a_plugins_tool_through_the_responder(
    site: Path, env: dict[str, str]
) -> None:
    """The plugin's tool is offered to the model, run when called, and its answer goes back
    to the model; a plugin tool that raises is a short error for the model and a log line."""
    code = """
from assistant import Assistant
from assistant.models.chat import ModelInfo, ToolCall
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.plugins import load_plugins
from assistant.conversation.reply import InboundMessage, ToolUsed
from assistant.conversation.responder import Responder

load_plugins()
model = EchoModel(
    ModelInfo("strong", "fake", "s", "strong", 3.0, 15.0),
    script=[[ToolCall("1", "roll_dice", {"sides": 20})], "You rolled a 20.",
            [ToolCall("2", "broken_die", {})], "That die is broken."],
)
with Assistant.open(embedder=HashEmbedder()) as assistant:
    responder = Responder(assistant, ModelRegistry([model], PolicySettings(), BudgetSettings()))
    print(sorted(spec.name for spec in responder.tools.specs())[:3])
    for text in ("roll a d20 for me", "and the other die?"):
        events = list(responder.respond(InboundMessage(text)))
        print([(e.name, e.ok) for e in events if isinstance(e, ToolUsed)], events[-1].text)
    responder.close()
print([m.content for call in model.calls for m in call if m.role == "tool"])
"""
    done = run(site, env, "-c", code, allow="sample")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['broken_die', 'complete_reminder', 'forget']",
        "[('roll_dice', True)] You rolled a 20.",
        "[('broken_die', False)] That die is broken.",
        "['rolled 20', 'error: the tool failed (RuntimeError: the die fell off the table)']",
    ]
    assert "tool broken_die (plugin) failed: RuntimeError" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_plugin_is_loaded_when_none_is_allowed(site: Path, env: dict[str, str]) -> None:
    done = run(site, env, "-m", "assistant_cli", "plugins", "--json", allow="")
    assert done.returncode == 0, done.stderr
    assert [p["name"] for p in json.loads(done.stdout)] == ["assistant.models.providers"]
    done = run(site, env, "-m", "assistant_cli", "sample-hello", allow="")
    assert done.returncode != 0 and "No such command" in done.stderr


def test_a_provider_no_plugin_adds_is_a_clear_error(env: dict[str, str]) -> None:
    from assistant.errors import ConfigError
    from assistant.models.registry import build_model
    from assistant.models.settings import ModelSettings

    with pytest.raises(ConfigError, match="provider 'gemini' is not installed") as caught:
        build_model(ModelSettings(name="g", provider="gemini", model="g-1"), {})
    assert "anthropic, llama, openai" in caught.value.fix
