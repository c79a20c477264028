"""A local-first personal assistant that remembers, with its memory in an Obsidian vault."""

from assistant.actions import Actions, Origin
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.learning.pii import redact_secrets
from assistant.memories import Draft, Memories
from assistant.memory_types import Hit, Memory, MemoryType, ScoreBreakdown, Status
from assistant.settings import Settings, load_settings
from assistant.store.conversations import Turn
from assistant.store.evidence import EvidenceTurn, TurnHit
from assistant.store.reminders import Reminder
from assistant.store.reviews import ARCHIVED, Resolution, ReviewItem
from assistant.store.runs import RunRecord
from assistant.store.usage import Usage

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
