"""Parse and render memory notes: markdown with YAML frontmatter. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import NoteError
from assistant.memory import Memory, MemoryType, Status

# Frontmatter keys the assistant owns, in the order they are written.
CORE_KEYS = (
    "id",
    "type",
    "importance",
    "emotion",
    "important",
    "tags",
    "entities",
    "created",
    "updated",
    "source",
    "status",
    "supersedes",
)
_DELIMITER = "---"
_TIMES = ("created", "updated")
# Strings YAML reads back as the same string when written bare (checked by round-trip tests).
_PLAIN = re.compile(
    r"(?!(?:true|false|yes|no|on|off|null|y|n)$)[A-Za-z_][A-Za-z0-9_-]*"
    r"|(?-i:(?=[0-9A-Z]*[A-Z])[0-9A-Z]{26})",  # ULIDs: no YAML number, date or bool looks like one
    re.I,
)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_WIKILINK = re.compile(r"^\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]$")


def wikilink(target: str) -> str:
    """An Obsidian link to the note or page named ``target`` (a file name without ``.md``)."""
    return f"[[{target}]]"


def link_targets(value: object) -> list[str]:
    """The note names a property's ``[[wikilinks]]`` point to (plain names count too)."""
    items = value if isinstance(value, list | tuple) else [value] if value else []
    out = []
    for item in items:
        text = str(item).strip()
        m = _WIKILINK.match(text)
        target = (m.group(1) if m else text).strip()
        if target:
            out.append(target)
    return out


def checksum(data: bytes) -> str:
    """SHA-256 of a note's bytes: how sync tells an edited note from an unchanged one."""
    return hashlib.sha256(data).hexdigest()


def render_note(memory: Memory) -> str:
    """The markdown text of ``memory``: frontmatter (core keys, then metadata), then the body."""
    values: dict[str, Any] = {
        "id": memory.id,
        "type": memory.type.value,
        "importance": round(float(memory.importance), 2),
        "emotion": round(float(memory.emotion), 2),
        "important": memory.important,
        "tags": list(memory.tags),
        "entities": list(memory.entities),
        "created": format_time(memory.created),
        "updated": format_time(memory.updated),
        "source": memory.source,
        "status": memory.status.value,
        "supersedes": list(memory.supersedes),
    }
    for key, value in memory.metadata.items():
        if key not in values:
            values[key] = value
    lines = [_DELIMITER]
    for key, value in values.items():
        # Date-times stay unquoted so Obsidian shows them as date-time properties.
        lines.append(f"{key}: {value}" if key in _TIMES else _dump_pair(key, value))
    lines.append(_DELIMITER)
    return "\n".join(lines) + "\n" + memory.text.strip() + "\n"


def parse_note(
    text: str, path: Path | None = None, *, fallback_time: datetime | None = None
) -> Memory:
    """Parse a note's text into a :class:`Memory`; raise :class:`NoteError` if it is malformed.

    ``fallback_time`` (the file's modification time) stands in for a missing ``created``.
    """
    where = f"{path}: " if path else ""
    frontmatter, body = split_frontmatter(text, where)
    try:
        data = yaml.load(frontmatter, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise NoteError(f"{where}invalid YAML frontmatter ({_first_line(exc)})") from exc
    if not isinstance(data, dict):
        raise NoteError(f"{where}frontmatter is not a set of properties")
    if not data.get("id") or not isinstance(data["id"], str | int):
        raise NoteError(f"{where}frontmatter has no id")
    body = body.strip()
    if not body:
        raise NoteError(f"{where}note has no text")
    try:
        return Memory(
            id=str(data["id"]),
            text=body,
            type=MemoryType(str(data.get("type", "semantic")).lower()),
            importance=_clamp(float(data.get("importance", 5.0)), 0.0, 10.0),
            emotion=_clamp(float(data.get("emotion", 0.0)), 0.0, 1.0),
            tags=_strings(data.get("tags"), strip="#"),
            entities=_strings(data.get("entities")),
            created=parse_time(data.get("created") or fallback_time),
            updated=parse_time(data.get("updated") or data.get("created") or fallback_time),
            source=str(data.get("source") or "vault"),
            status=Status(str(data.get("status", "active")).lower()),
            supersedes=_strings(data.get("supersedes")),
            important=bool(data.get("important", False)),
            metadata={k: v for k, v in data.items() if k not in CORE_KEYS},
            path=path,
        )
    except (TypeError, ValueError) as exc:
        raise NoteError(f"{where}invalid property value ({exc})") from exc


def split_frontmatter(text: str, where: str = "") -> tuple[str, str]:
    """Split a note into its frontmatter text and its body."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith(_DELIMITER + "\n"):
        raise NoteError(f"{where}note has no frontmatter")
    end = text.find("\n" + _DELIMITER, len(_DELIMITER))
    if end < 0:
        raise NoteError(f"{where}frontmatter is not closed with ---")
    after = text.find("\n", end + 1)
    body = "" if after < 0 else text[after + 1 :]
    return text[len(_DELIMITER) + 1 : end + 1], body


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as Obsidian shows a date-time property."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any) -> datetime:
    """Read a frontmatter date or date-time (YAML may already have parsed it)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str) and value.strip():
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a date: {value!r}")


def _dump_pair(key: str, value: Any) -> str:
    # Lists of scalars are written inline (``tags: [family, work]``), as Obsidian does.
    if isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        if all(isinstance(v, str) and _PLAIN.fullmatch(v) for v in value):
            return f"{_dump_key(key)}: [{', '.join(value)}]"
        return f"{_dump_key(key)}: {_dump(value, flow=True).strip()}"
    if isinstance(value, bool):
        return f"{_dump_key(key)}: {'true' if value else 'false'}"
    if isinstance(value, int | float) and value == value:
        return f"{_dump_key(key)}: {value!r}"
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return f"{_dump_key(key)}: {value}"
    return _dump({key: value}, flow=False).rstrip("\n")


def _dump_key(key: str) -> str:
    return key if _PLAIN.fullmatch(key) else _dump(key, flow=False).split("\n")[0]


def _dump(value: Any, *, flow: bool) -> str:
    return yaml.dump(
        value,
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=flow,
        width=10**9,
    )


def _strings(value: Any, strip: str = "") -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if isinstance(item, Mapping | list):
            raise ValueError(f"expected a list of names, got {item!r}")
        name = str(item).strip().lstrip(strip)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _clamp(value: float, low: float, high: float) -> float:
    if value != value:  # NaN
        raise ValueError("number is NaN")
    return min(max(value, low), high)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
