"""Memories, hits and reminders as the JSON objects the MCP tools return."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assistant.actions import Actions
from assistant.errors import AssistantError
from assistant.memory_types import Hit, Memory
from assistant.repeats import describe
from assistant.store.reminders import Reminder


def memory_view(memory: Memory) -> dict[str, Any]:
    """The fields an agent needs of a memory (its note's path, not the whole frontmatter)."""
    return {
        "id": memory.id,
        "text": memory.text,
        "type": memory.type.value,
        "date": memory.created.isoformat(),
        "updated": memory.updated.isoformat(),
        "tags": list(memory.tags),
        "importance": round(memory.importance, 2),
        "important": memory.important,
        "status": memory.status.value,
        "source": memory.source,
        "note": memory.path.as_posix() if memory.path else None,
    }


def hit_view(hit: Hit, actions: Actions) -> dict[str, Any]:
    """A search result: the memory, its score, and what the user said that taught it."""
    view = memory_view(hit.memory)
    view["score"] = round(hit.score, 4)
    said = evidence_view(actions, hit.memory)
    if said is not None:
        view["evidence"] = said
    return view


def evidence_view(actions: Actions, memory: Memory) -> dict[str, Any] | None:
    """The conversation turn a memory was learned from, when its note records one."""
    if "conversation" not in memory.metadata:
        return None
    try:
        turns = actions.learned_from(memory)
    except AssistantError:  # the records are busy or gone: the memory still answers
        return None
    said = next((t for t in turns if t.role == "user"), None)
    if said is None:
        return None
    return {
        "said": said.text,
        "date": datetime.fromtimestamp(said.at, UTC).isoformat(),
        "channel": said.channel,
        "conversation": said.session,
    }


def reminder_view(reminder: Reminder) -> dict[str, Any]:
    """A reminder, with its due time in ISO 8601 (UTC) when it has one, and how it comes
    back ("every Monday"; "" for once)."""
    return {
        "id": reminder.id,
        "text": reminder.text,
        "due": _iso(reminder.due),
        "created": _iso(reminder.created),
        "done": _iso(reminder.done),
        "repeats": describe(reminder.repeat) if reminder.repeat else "",
    }


def _iso(moment: float | None) -> str | None:
    return None if moment is None else datetime.fromtimestamp(moment, UTC).isoformat()
