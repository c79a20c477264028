"""A local-first personal assistant that remembers, with its memory in an Obsidian vault."""

from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.memories import Draft, Memories
from assistant.memory import Hit, Memory, MemoryType, ScoreBreakdown, Status
from assistant.settings import Settings, load_settings

__all__ = [
    "Assistant",
    "AssistantError",
    "Draft",
    "Hit",
    "Memories",
    "Memory",
    "MemoryType",
    "ScoreBreakdown",
    "Settings",
    "Status",
    "load_settings",
]
