"""Tools the models may call (native tool calling): a registry of specs and handlers.

The built-in tools are thin adapters over :class:`~assistant.actions.Actions`; plugins add
theirs through the ``register_tools`` hook (:func:`assistant.plugins.plugin_tools`). Every
tool validates its arguments and answers with text for the model; failures, a plugin's
exceptions included, are reported back to the model as text and logged, never raised into
the conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.actions import Actions, Confirm, Origin
from assistant.conversation.context import one_line
from assistant.errors import AssistantError
from assistant.models.chat import ToolCall, ToolSpec
from assistant.repeats import describe

log = logging.getLogger(__name__)

__all__ = ["TOOLS", "Confirm", "ToolRegistry", "ToolResult", "ToolRunner", "builtin_tools"]

TOOLS = [
    ToolSpec(
        "search_memories",
        "Search what the user has told you before: memories, and the user's own words from "
        "earlier conversations with the day they said them. Use it for any question about the "
        "user, their people, plans, preferences or past conversations.",
        {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "what to look for"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 20},
            },
            "required": ["query"],
        },
    ),
    ToolSpec(
        "remember",
        "Store a fact the user explicitly asked you to remember, as one short sentence.",
        {
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "important": {"type": "boolean"},
            },
            "required": ["text"],
        },
    ),
    ToolSpec(
        "forget",
        "Archive a memory the user asked you to forget (the user confirms first).",
        {
            "type": "object",
            "properties": {"memory_id": {"type": "string", "description": "id from a search"}},
            "required": ["memory_id"],
        },
    ),
    ToolSpec(
        "set_reminder",
        "Create a reminder. 'when' is plain words ('tomorrow at 6pm', 'in 20 minutes', "
        "'every monday at 8am', 'every weekday at 7') or an ISO date and time; omit it for an "
        "undated reminder.",
        {
            "type": "object",
            "properties": {"text": {"type": "string"}, "when": {"type": "string"}},
            "required": ["text"],
        },
    ),
    ToolSpec(
        "list_reminders",
        "List the user's open reminders.",
        {"type": "object", "properties": {}},
    ),
    ToolSpec(
        "complete_reminder",
        "Mark a reminder done, by id or by a few words of its text.",
        {
            "type": "object",
            "properties": {"reminder": {"type": "string"}},
            "required": ["reminder"],
        },
    ),
]
"""The built-in tools' specs."""


@dataclass
class ToolResult:
    """What a tool call produced: text for the model and one line for the user."""

    content: str
    summary: str
    memories: list[str] = field(default_factory=list)
    ok: bool = True


Handler = Callable[[Mapping[str, Any]], "ToolResult | str"]
"""Runs a tool with the model's arguments: a :class:`ToolResult`, or plain text (a plugin's)."""

MAX_ERROR_CHARS = 200
"""How much of a failing tool's error message the model is shown."""


class ToolRegistry:
    """The tools offered to the models, by name, and the one place they are run.

    Usage::

        registry = ToolRegistry()
        registry.register(ToolSpec("roll_dice", "Roll a die.", schema), lambda args: "6")
        result = registry.run(ToolCall("1", "roll_dice", {"sides": 6}))
    """

    def __init__(self) -> None:
        self._tools: dict[str, tuple[ToolSpec, Handler, str]] = {}

    def register(self, spec: ToolSpec, handler: Handler, *, provider: str = "") -> None:
        """Offer ``spec`` to the models, run by ``handler``; ``provider`` names a plugin.
        A name taken already keeps its first tool (a plugin never replaces a built-in)."""
        if spec.name in self._tools:
            log.warning("tool %s from %s ignored: the name is taken", spec.name, provider or "?")
            return
        self._tools[spec.name] = (spec, handler, provider)

    def add_plugin_tools(self) -> None:
        """Register the tools the loaded plugins offer."""
        from assistant.plugins import plugin_tools

        for spec, handler in plugin_tools():
            self.register(spec, handler, provider="plugin")

    def specs(self) -> list[ToolSpec]:
        """Every tool's spec, in the order they were registered."""
        return [spec for spec, _, _ in self._tools.values()]

    def names(self) -> list[str]:
        """Every tool's name."""
        return list(self._tools)

    def run(self, call: ToolCall) -> ToolResult:
        """Run one call; unknown tools, bad arguments, core errors and a plugin's exceptions
        come back as a failed result."""
        found = self._tools.get(call.name)
        if found is None:
            return ToolResult(f"error: there is no tool {call.name!r}", "", ok=False)
        if "_invalid" in call.arguments:
            return ToolResult(
                "error: the arguments were not valid JSON; call the tool again", "", ok=False
            )
        _, handler, provider = found
        try:
            result = handler(call.arguments)
        except BadArguments as exc:
            return ToolResult(f"error: {exc}", "", ok=False)
        except AssistantError as exc:
            return ToolResult(f"error: {exc.message}", f"{call.name} failed: {exc}", ok=False)
        except Exception as exc:  # a plugin's bug must never end the conversation
            log.warning("tool %s (%s) failed: %s: %s", call.name, provider, type(exc).__name__, exc)
            message = one_line(f"{type(exc).__name__}: {exc}", MAX_ERROR_CHARS)
            return ToolResult(
                f"error: the tool failed ({message})", f"{call.name} failed", ok=False
            )
        if isinstance(result, ToolResult):
            return result
        text = str(result)
        return ToolResult(text, f"{call.name}: {one_line(text, 80)}")


class ToolRunner:
    """The built-in tools over an action layer, plus the plugins' tools.

    Usage::

        runner = ToolRunner(Actions(assistant), confirm=lambda question: True)
        result = runner.run(ToolCall("1", "search_memories", {"query": "sister"}))
    """

    def __init__(
        self, actions: Actions, *, confirm: Confirm | None = None, plugins: bool = True
    ) -> None:
        self.actions = actions
        self.registry = ToolRegistry()
        builtin_tools(self.registry, actions, confirm=confirm)
        if plugins:
            self.registry.add_plugin_tools()

    def specs(self) -> list[ToolSpec]:
        """The tools to offer a model."""
        return self.registry.specs()

    def run(self, call: ToolCall, caller: Origin | None = None) -> ToolResult:
        """Run one call (see :meth:`ToolRegistry.run`) for ``caller``: the channel and sender
        of the message that led to it, recorded with what the call stores."""
        token = _caller.set(caller)
        try:
            return self.registry.run(call)
        finally:
            _caller.reset(token)


_caller: ContextVar[Origin | None] = ContextVar("tool_caller", default=None)
"""Who the tool call being run is for (set by :meth:`ToolRunner.run`)."""


def builtin_tools(
    registry: ToolRegistry, actions: Actions, *, confirm: Confirm | None = None
) -> None:
    """Register the built-in tools: memory search, remember, forget and reminders. What
    they store records ``source: conversation`` and the action layer's channel and sender;
    forgetting needs ``confirm`` (without it, nothing is forgotten)."""

    def said() -> Origin:
        caller = _caller.get() or actions.origin
        return Origin("conversation", caller.channel, caller.sender)

    def search_memories(args: Mapping[str, Any]) -> ToolResult:
        query = _text(args, "query")
        limit = args.get("limit", 5)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 20:
            limit = 5
        found = actions.recall(query, limit, turns=3)  # they go into the model's answer
        hits, said = found.memories, found.turns
        if not hits and not said:
            return ToolResult("no memories match", f"searched memories for “{query}”: nothing")
        lines = [f"[{h.memory.id}] {h.memory.created:%Y-%m-%d}: {h.memory.text}" for h in hits]
        lines += [
            f"(the user said on {t.turn.date:%Y-%m-%d}, turn {t.turn.id}): {one_line(t.turn.text)}"
            for t in said
        ]
        return ToolResult(
            "\n".join(lines),
            f"searched memories for “{query}”: {len(hits)} found, {len(said)} things you said",
            [h.memory.id for h in hits],
        )

    def remember(args: Mapping[str, Any]) -> ToolResult:
        text = _text(args, "text")
        memory = actions.remember(text, important=args.get("important") is True, origin=said())
        return ToolResult(f"stored as {memory.id}", f"remembered: {memory.text}", [memory.id])

    def forget(args: Mapping[str, Any]) -> ToolResult:
        target = actions.get(_text(args, "memory_id"))
        forgotten = actions.forget(target.id, confirm=confirm or (lambda question: False))
        if forgotten is None:
            return ToolResult(
                "not forgotten: the user did not confirm", f"kept: {target.text}", ok=False
            )
        return ToolResult(
            f"archived {target.id}", f"forgot: {target.text} (restorable)", [target.id]
        )

    def set_reminder(args: Mapping[str, Any]) -> ToolResult:
        text = _text(args, "text")
        when = args.get("when")
        reminder = actions.set_reminder(
            text, when=when if isinstance(when, str) else None, origin=said()
        )
        at = f" for {datetime.fromtimestamp(reminder.due):%a %d %b %H:%M}" if reminder.due else ""
        at += f", then {describe(reminder.repeat)}" if reminder.repeat else ""
        return ToolResult(f"reminder {reminder.id} set{at}", f"reminder set{at}: {reminder.text}")

    def list_reminders(args: Mapping[str, Any]) -> ToolResult:
        found = actions.open_reminders()
        if not found:
            return ToolResult("no open reminders", "no open reminders")
        lines = [
            f"[{r.id[-6:]}] {r.text}"
            + (f" (due {datetime.fromtimestamp(r.due):%a %d %b %H:%M})" if r.due else "")
            + (f", {describe(r.repeat)}" if r.repeat else "")
            for r in found
        ]
        return ToolResult("\n".join(lines), f"{len(found)} open reminders")

    def complete_reminder(args: Mapping[str, Any]) -> ToolResult:
        done = actions.complete_reminder(_text(args, "reminder"))
        return ToolResult(f"completed {done.id}", f"done: {done.text}")

    handlers: dict[str, Handler] = {
        "search_memories": search_memories,
        "remember": remember,
        "forget": forget,
        "set_reminder": set_reminder,
        "list_reminders": list_reminders,
        "complete_reminder": complete_reminder,
    }
    for spec in TOOLS:
        registry.register(spec, handlers[spec.name], provider="assistant")


class BadArguments(Exception):
    """A tool's arguments cannot be used: the model is told why and may call again."""


def _text(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadArguments(f"{key!r} must be a non-empty string")
    return value
