"""A small plugin: a tool, a CLI command, a bridge and a model provider."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import typer

from assistant.hookspecs import Bridge, BridgeFactory, BridgeHost, ToolHandler, hookimpl
from assistant.models.chat import ToolSpec

DICE = ToolSpec(
    "roll_dice",
    "Roll an n-sided die.",
    {"type": "object", "properties": {"sides": {"type": "integer"}}, "required": ["sides"]},
)


BROKEN = ToolSpec("broken_die", "A die that always falls off the table.", {"type": "object"})


def roll(arguments: Mapping[str, Any]) -> str:
    """Always the highest face: a die for tests."""
    return f"rolled {int(arguments['sides'])}"


def fall(arguments: Mapping[str, Any]) -> str:
    """A tool with a bug: it raises."""
    raise RuntimeError("the die fell off the table")


class EchoBridge:
    """A bridge that keeps what it delivered (and appends it to ``outbox``, when set), and
    answers lines written to ``inbox`` (``sender: text``) into ``outbox`` through its host."""

    name = "echo"

    def __init__(self, host: BridgeHost, settings: Mapping[str, Any]) -> None:
        self.host = host
        self.settings = settings
        self.delivered: list[str] = []

    def start(self) -> None:
        """Nothing to connect to."""

    def deliver(self, text: str) -> bool:
        """Keep the message."""
        self.delivered.append(text)
        outbox = self.settings.get("outbox")
        if outbox:
            with open(outbox, "a", encoding="utf-8") as out:
                out.write(text + "\n")
        return True

    def stop(self) -> None:
        """Nothing to disconnect."""


@hookimpl
def register_tools(register: Callable[[ToolSpec, ToolHandler], None]) -> None:
    register(DICE, roll)
    register(BROKEN, fall)


@hookimpl
def register_bridges(register: Callable[[str, BridgeFactory], None]) -> None:
    def make(host: BridgeHost, settings: Mapping[str, Any]) -> Bridge:
        return EchoBridge(host, settings)

    register("echo", make)


@hookimpl
def register_commands(app: typer.Typer) -> None:
    @app.command("sample-hello")
    def hello(name: str = typer.Argument("world")) -> None:
        """Say hello (a command added by a plugin)."""
        print(f"hello from the sample plugin, {name}")
