"""A local-first personal assistant that remembers, with its memory in an Obsidian vault.

The public names load on first use (PEP 562): ``from assistant import paths`` or a command
line that only prints its help does not pay for the store, the models and their libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.actions import Actions, Origin
    from assistant.core import Assistant
    from assistant.errors import AssistantError
    from assistant.learning.pii import redact_secrets
    from assistant.memories import Draft, Memories
    from assistant.memory_types import (
        EvidenceTurn,
        Hit,
        Memory,
        MemoryType,
        ScoreBreakdown,
        Status,
        TurnHit,
    )
    from assistant.settings import Settings, load_settings
    from assistant.store.conversations import Turn
    from assistant.store.reminders import Reminder
    from assistant.store.reviews import ARCHIVED, Resolution, ReviewItem
    from assistant.store.runs import RunRecord
    from assistant.store.usage import Usage

_HOMES = {
    "ARCHIVED": "assistant.store.reviews",
    "Actions": "assistant.actions",
    "Assistant": "assistant.core",
    "AssistantError": "assistant.errors",
    "Draft": "assistant.memories",
    "EvidenceTurn": "assistant.memory_types",
    "Hit": "assistant.memory_types",
    "Memories": "assistant.memories",
    "Memory": "assistant.memory_types",
    "MemoryType": "assistant.memory_types",
    "Origin": "assistant.actions",
    "Reminder": "assistant.store.reminders",
    "Resolution": "assistant.store.reviews",
    "ReviewItem": "assistant.store.reviews",
    "RunRecord": "assistant.store.runs",
    "ScoreBreakdown": "assistant.memory_types",
    "Settings": "assistant.settings",
    "Status": "assistant.memory_types",
    "Turn": "assistant.store.conversations",
    "TurnHit": "assistant.memory_types",
    "Usage": "assistant.store.usage",
    "load_settings": "assistant.settings",
    "redact_secrets": "assistant.learning.pii",
}

__all__ = [
    "ARCHIVED",
    "Actions",
    "Assistant",
    "AssistantError",
    "Draft",
    "EvidenceTurn",
    "Hit",
    "Memories",
    "Memory",
    "MemoryType",
    "Origin",
    "Reminder",
    "Resolution",
    "ReviewItem",
    "RunRecord",
    "ScoreBreakdown",
    "Settings",
    "Status",
    "Turn",
    "TurnHit",
    "Usage",
    "load_settings",
    "redact_secrets",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
