"""Memories as the records of an export: this project's own (every property, read back
exactly) and mem0's (the JSON of ``get_all`` or of its export).

A mem0 memory is an object with its text in ``memory`` (``data`` in older payloads) and,
optionally, ``id``, ``created_at``, ``updated_at``, ``categories``, ``metadata``,
``user_id``…; properties another version adds are ignored, a memory without text is an
error that names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import InvalidInputError
from assistant.memory_types import Memory, MemoryType, Status
from assistant.transfer.items import Incoming, digest, parse_moment, strings

FORMAT = "assistant-export"
"""The ``format`` of this project's exports."""
VERSION = 1
_TITLE = "Cannot import"
_REQUIRED = ("id", "text", "created", "updated")


def memory_record(memory: Memory) -> dict[str, Any]:
    """A memory as its export record: every field, dates in ISO 8601."""
    return memory.to_dict()


def memory_from_record(data: Any, where: str) -> Incoming:
    """A memory of this project's export, exactly as it was."""
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{where} is not a memory record", title=_TITLE)
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing:
        raise InvalidInputError(f"{where} has no {', '.join(missing)}", title=_TITLE)
    try:
        path = data.get("path")
        memory = Memory(
            id=str(data["id"]),
            text=str(data["text"]),
            type=MemoryType(str(data.get("type", "semantic"))),
            importance=float(data.get("importance", 5.0)),
            emotion=float(data.get("emotion", 0.0)),
            tags=tuple(strings(data.get("tags"))),
            entities=tuple(strings(data.get("entities"))),
            created=_moment(data["created"]),
            updated=_moment(data["updated"]),
            source=str(data.get("source") or "import"),
            status=Status(str(data.get("status", "active"))),
            supersedes=tuple(strings(data.get("supersedes"))),
            important=bool(data.get("important", False)),
            metadata=dict(data.get("metadata") or {}),
            path=Path(path) if isinstance(path, str) and path else None,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{where}: invalid property value ({exc})", title=_TITLE) from exc
    return Incoming(memory.text, f"assistant:{memory.id}", exact=memory)


def _moment(value: Any) -> datetime:
    moment = parse_moment(value)
    if moment is None:
        raise ValueError(f"not a date: {value!r}")
    return moment


def mem0_memory(data: Any, position: int, name: str) -> Incoming:
    """One memory of a mem0 export."""
    where = f"{name}: mem0 memory #{position}"
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{where} is not an object", title=_TITLE)
    text = data.get("memory", data.get("data"))
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f'{where} has no "memory" text', title=_TITLE)
    ident = str(data.get("id") or "")
    metadata: dict[str, Any] = {"imported_from": "mem0", "import_file": name}
    for key in ("user_id", "agent_id", "app_id", "run_id"):
        if isinstance(data.get(key), str) and data[key]:
            metadata[f"mem0_{key}"] = data[key]
    extra = data.get("metadata")
    tags = list(strings(data.get("categories")))
    if isinstance(extra, Mapping):
        tags += strings(extra.get("categories") or extra.get("tags"))
    return Incoming(
        text.strip(),
        f"mem0:{ident or digest(text.strip())}",
        tags=tuple(dict.fromkeys(t.replace(" ", "_") for t in tags)),
        created=parse_moment(data.get("created_at")),
        metadata=metadata,
    )
