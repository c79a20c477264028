"""The hooks a plugin can implement, each in the "register callback" shape: the core passes
``register`` in and the plugin calls it once for each thing it provides, so a plugin never
imports a core registry.

A plugin is a distribution with an entry point in the ``assistant`` group::

    [project.entry-points.assistant]
    weather = "assistant_weather"

and a module with ``@hookimpl`` functions::

    from assistant.hookspecs import hookimpl

    @hookimpl
    def register_tools(register):
        register(ToolSpec("weather", "Today's forecast", {...}), lambda args: "sunny")

Front-ends add hooks of their own types (``assistant_cli.hookspecs``: ``register_commands``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

from assistant.models.chat import ChatModel, ModelInfo, ToolSpec
from assistant.models.settings import ModelSettings

if TYPE_CHECKING:
    from assistant.conversation.responder import Responder

hookspec = pluggy.HookspecMarker("assistant")
hookimpl = pluggy.HookimplMarker("assistant")

ModelFactory = Callable[[ModelInfo, ModelSettings, str], ChatModel]
"""Builds a chat model from its description, its settings and its API key ("" when none);
no network and no weights loaded yet."""

ToolHandler = Callable[[Mapping[str, Any]], str]
"""Runs a tool with the model's (validated) arguments; answers with text for the model."""


class BridgeHost(Protocol):
    """What a bridge is given: the one call that answers a message, as ``assistant chat``
    makes it, and the owner's identity on each channel."""

    def answer(self, text: str, *, channel: str, sender: str, thread: str = "") -> str:
        """The assistant's reply to ``text`` from ``sender`` on ``channel``; ``thread`` names
        the place on the channel (a Discord DM or server channel), each a conversation of its
        own."""
        ...

    def is_owner(self, channel: str, sender: str) -> bool:
        """Whether ``sender`` is the owner on ``channel``: a bridge answers no one else."""
        ...

    @property
    def responder(self) -> Responder:
        """The pipeline ``answer`` runs; a bridge reads only ``responder.assistant.db`` from
        it, for its records (owners, pairing codes, inbox and outbox: ``assistant.owners``,
        ``assistant.inbox``)."""
        ...


class Bridge(Protocol):
    """A channel to the owner (Discord, SMS, voice) run by ``assistant serve``."""

    name: str

    def start(self) -> None:
        """Connect and start taking messages (returns once running, in its own threads)."""
        ...

    def deliver(self, text: str) -> bool:
        """Send the owner an unprompted message (a reminder); False when it cannot now. A
        bridge that never can (a phone agent that only answers) sets ``delivers = False``
        and is not offered reminders at all."""
        ...

    def stop(self) -> None:
        """Disconnect; returns within a few seconds."""
        ...


BridgeFactory = Callable[[BridgeHost, Mapping[str, Any]], Bridge]
"""Builds a bridge from its host and its ``[bridges.<name>]`` settings."""


@hookspec
def register_models(register: Callable[[str, ModelFactory], None]) -> None:
    """Call ``register(provider, factory)`` for each model provider this plugin adds (the
    ``provider`` of a ``[models.<name>]`` table)."""


@hookspec
def register_tools(register: Callable[[ToolSpec, ToolHandler], None]) -> None:
    """Call ``register(spec, handler)`` for each tool this plugin offers the models. A tool
    whose name is taken (a built-in's) is left out; a handler that raises answers the model
    with a short error and is logged, never ending the conversation."""


@hookspec
def register_bridges(register: Callable[[str, BridgeFactory], None]) -> None:
    """Call ``register(name, factory)`` once for each bridge this plugin provides."""
