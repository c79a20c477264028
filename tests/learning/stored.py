"""What a learning test reads back from the store."""

from __future__ import annotations

from assistant import Assistant
from assistant.learning.dates import plain


def texts(assistant: Assistant, status: str = "active") -> list[str]:
    """The texts of the memories of ``status``, sorted, without the dates learning added."""
    return sorted(plain(m.text) for m in assistant.memories.list(statuses=[status]))
