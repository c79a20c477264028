"""What an import reads, whatever the tool that wrote it: memories and conversations."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistant.memory_types import Memory


@dataclass(frozen=True)
class Incoming:
    """A memory read from an import."""

    text: str
    key: str
    """Where it came from, unique within the export (``mem0:<id>``, a note's path)."""
    type: str = "semantic"
    tags: tuple[str, ...] = ()
    created: datetime | None = None
    importance: float = 5.0
    metadata: Mapping[str, Any] = field(default_factory=dict)
    """More of where it came from, kept in the note's properties."""
    exact: Memory | None = None
    """This project's own export: the memory exactly as it was (id, dates, status…)."""


@dataclass(frozen=True)
class Message:
    """One message of an imported conversation."""

    role: str
    """``user`` or ``assistant``."""
    at: float
    """Epoch seconds."""
    text: str


@dataclass(frozen=True)
class Conversation:
    """An imported conversation: its user turns go through learning."""

    key: str
    """Unique within the tool (``chatgpt:<id>``): a second import skips it."""
    session: str
    """The name its transcript note gets."""
    messages: tuple[Message, ...]
    exact: bool = False
    """This project's own export: the transcript is kept as it was, and nothing is learned
    again from it (its memories came with it)."""


@dataclass(frozen=True)
class ProjectNote:
    """A project of this project's own export: its name and its note as it was."""

    name: str
    text: str


Item = Incoming | Conversation | ProjectNote


@dataclass
class Source:
    """An export opened for reading: what tool wrote it, and its items one at a time."""

    name: str
    """The file or folder, as the user named it."""
    tool: str
    """``assistant``, ``mem0``, ``chatgpt``, ``claude`` or ``markdown``."""
    items: Iterator[Item]
    warnings: list[str] = field(default_factory=list)
    """Problems met while reading that did not stop it (a note's broken frontmatter)."""


def parse_moment(value: Any) -> datetime | None:
    """A date-time from epoch seconds or ISO 8601 text (``Z`` and offsets read as they
    say, none as UTC); None when absent or unreadable."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, str) and value.strip():
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def strings(value: Any) -> tuple[str, ...]:
    """Names from a list, or from one comma-separated string."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(v).strip() for v in value if isinstance(v, str | int) and str(v).strip())


def digest(text: str) -> str:
    """A short stable name for an item that has no id of its own (never its words)."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]
