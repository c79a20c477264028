"""What the agent knows when a call starts: ElevenLabs' conversation initiation data.

For the owner: their name, who they are (identity facts), what they talked about lately, the
reminders due, when they last spoke with the assistant, and a first message that greets them
by name. For anyone else: the same variables, empty, and a neutral greeting, so an agent
prompt that names ``{{user_name}}`` still works and nothing personal leaves the machine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant import Actions, AssistantError, Memory, MemoryType
from assistant.store.conversations import ConversationLog

KIND = "conversation_initiation_client_data"
NEUTRAL_GREETING = "Hello! You've reached a personal assistant. How can I help?"
STRANGER_NAME = "there"
CONTEXT_CHARS = 1200
"""The most the memory context says (the agent's prompt pays for every word)."""
SOON = 24 * 3600.0
"""Reminders due within this many seconds are mentioned."""

_NAME = re.compile(r"\bmy name is ([A-Z][\w'-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Greeting:
    """The variables and first message for one call."""

    variables: dict[str, str]
    first_message: str

    def as_response(self) -> dict[str, Any]:
        """The webhook's answer, as ElevenLabs reads it."""
        return {
            "type": KIND,
            "dynamic_variables": self.variables,
            "conversation_config_override": {"agent": {"first_message": self.first_message}},
        }


def stranger() -> Greeting:
    """The greeting for a caller who is not the owner: nothing personal."""
    return Greeting(_variables(STRANGER_NAME, owner=False), NEUTRAL_GREETING)


class Greeter:
    """Builds the owner's greeting from their memories, reminders and conversations."""

    def __init__(
        self, actions: Actions, log: ConversationLog, *, name: str, clock: Callable[[], float]
    ) -> None:
        self.actions = actions
        self.log = log
        self.name = name
        self.clock = clock

    def owner(self) -> Greeting:
        """The owner's greeting (what cannot be read is left out, never an error)."""
        now = self.clock()
        identity = self._memories([MemoryType.IDENTITY], 8)
        name = self.name or _learned_name(identity) or ""
        recent = [m for m in self._memories([], 12) if m.type is not MemoryType.IDENTITY][:5]
        due = self._due(now)
        last = self._last(now)
        variables = _variables(name or STRANGER_NAME, owner=True)
        variables.update(
            identity_facts=_join(m.text for m in identity),
            recent_topics=_join(_short(m.text) for m in recent),
            due_reminders=_join(due),
            last_interaction=last,
        )
        lines = [
            f"{label}: {variables[key]}"
            for label, key in (
                ("About the caller", "identity_facts"),
                ("Lately", "recent_topics"),
                ("Due", "due_reminders"),
                ("Last spoke", "last_interaction"),
            )
            if variables[key]
        ]
        variables["memory_context"] = "\n".join(lines)[:CONTEXT_CHARS]
        hello = f"Hi {name}!" if name else "Hi, good to hear from you!"
        first = f"{hello} Before I forget: {due[0]}." if due else hello
        return Greeting(variables, f"{first} What can I do for you?")

    def _memories(self, types: list[MemoryType], limit: int) -> list[Memory]:
        try:
            return self.actions.memories.list(types=types, limit=limit)
        except AssistantError:
            return []

    def _due(self, now: float) -> list[str]:
        try:
            reminders = self.actions.open_reminders()
        except AssistantError:
            return []
        return [r.text for r in reminders if r.due is not None and r.due <= now + SOON][:3]

    def _last(self, now: float) -> str:
        try:
            turns = [t for t in self.log.recent(limit=4) if t.role == "user"]
        except AssistantError:
            return ""
        if not turns:
            return ""
        turn = turns[-1]
        return f"{_ago(now - turn.at)} by {turn.channel or 'chat'}"


def _variables(name: str, *, owner: bool) -> dict[str, str]:
    return {
        "user_name": name,
        "caller_is_owner": "true" if owner else "false",
        "memory_context": "",
        "identity_facts": "",
        "recent_topics": "",
        "due_reminders": "",
        "last_interaction": "",
    }


def _learned_name(identity: list[Memory]) -> str:
    for memory in identity:
        if memory.metadata.get("fact") == "name" and memory.entities:
            return memory.entities[0]
    for memory in identity:
        match = _NAME.search(memory.text)
        if match:
            return match.group(1)
    return ""


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _join(parts: Any) -> str:
    return "; ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def _ago(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    if minutes < 2:
        return "just now"
    if minutes < 120:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{round(hours / 24)} days ago"
