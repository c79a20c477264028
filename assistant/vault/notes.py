"""Parse and render memory notes: markdown with YAML frontmatter. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import NoteError
from assistant.memory_types import Memory, MemoryType, Status

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
TIME_KEYS = frozenset({"created", "updated", "turn", "decayed_at"})
"""The assistant's date-time properties: written in one style, read back as date-times."""
RENAMED = {"fact": "learned_as"}
"""Metadata keys written under a property name that says what they mean (the old name is
still read): ``fact`` is how the learner filed a fact, e.g. ``relation:sister`` or ``home``."""
# Strings YAML reads back as the same string when written bare (checked by round-trip tests).
_PLAIN = re.compile(
    r"(?!(?:true|false|yes|no|on|off|null|y|n)$)[A-Za-z_][A-Za-z0-9_-]*"
    r"|(?-i:(?=[0-9A-Z]*[A-Z])[0-9A-Z]{26})",  # ULIDs: no YAML number, date or bool looks like one
    re.I,
)
MAX_NESTING = 64
"""How deep lists and mappings may nest in a note's properties."""
# Frontmatter this short, free of ``&`` and ``*`` and with few brackets, cannot nest deeper
# than MAX_NESTING: block nesting needs a longer indent on each line.
_SHALLOW_CHARS = 2048
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
    """The markdown text of ``memory``: frontmatter (core keys, then metadata), then the body.

    A property left at its default (no emotion, not marked important, active, no entities,
    superseding nothing) is not written: :func:`parse_note` reads its absence as that default.
    """
    values: dict[str, Any] = {
        "id": memory.id,
        "type": memory.type.value,
        "importance": round(float(memory.importance), 2),
        "emotion": round(float(memory.emotion), 2) or None,
        "important": memory.important or None,
        "tags": list(memory.tags),
        "entities": list(memory.entities),
        "created": memory.created,
        "updated": memory.updated,
        "source": memory.source,
        "status": None if memory.status is Status.ACTIVE else memory.status.value,
        "supersedes": list(memory.supersedes),
    }
    values = {key: value for key, value in values.items() if value is not None and value != []}
    for key, value in memory.metadata.items():
        name = RENAMED.get(key, key)
        if name != key and name in memory.metadata:
            name = key
        values.setdefault(name, value)
    lines = [_DELIMITER]
    for key, value in values.items():
        moment = _moment(key, value)
        # Date-times stay unquoted so Obsidian shows them as date-time properties.
        if moment is not None:
            lines.append(f"{_dump_key(key)}: {format_time(moment)}")
        else:
            lines.append(_dump_pair(key, value))
    lines.append(_DELIMITER)
    return "\n".join(lines) + "\n" + memory.text.strip() + "\n"


def parse_note(
    text: str, path: Path | None = None, *, fallback_time: datetime | None = None
) -> Memory:
    """Parse a note's text into a :class:`Memory`; raise :class:`NoteError` if it is malformed.

    ``fallback_time`` (the file's modification time) stands in for a missing ``created``.
    """
    where = f"{path}: " if path else ""
    if not text.strip():
        raise NoteError(f"{where}note is empty")
    frontmatter, body = split_frontmatter(text, where)
    data = load_properties(frontmatter, where)
    if not isinstance(data, dict):
        raise NoteError(f"{where}frontmatter is not a set of properties")
    body = body.strip()
    if not body:  # checked before the id: a note with nothing to remember has no use for one
        raise NoteError(f"{where}note has no text below its properties")
    if not data.get("id") or not isinstance(data["id"], str | int):
        raise NoteError(f"{where}frontmatter has no id")
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
            metadata=_metadata(data),
            path=path,
        )
    except (TypeError, ValueError) as exc:
        raise NoteError(f"{where}invalid property value ({exc})") from exc


def load_properties(frontmatter: str, where: str = "") -> Any:
    """The YAML of a note's frontmatter, read in bounded time and memory.

    Anchors and aliases are refused: nine levels of them (a "billion laughs") expand to
    hundreds of millions of values wherever the properties are copied or serialised. Nesting
    deeper than :data:`MAX_NESTING` is refused too, before the parser recurses into it.
    Raises :class:`NoteError` (prefixed with ``where``) for anything unreadable.
    """
    try:
        if (
            "&" in frontmatter
            or "*" in frontmatter
            or frontmatter.count("[") + frontmatter.count("{") > MAX_NESTING
            or len(frontmatter) > _SHALLOW_CHARS
        ):
            _check_structure(frontmatter, where)
        return yaml.load(frontmatter, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise NoteError(f"{where}invalid YAML frontmatter ({_first_line(exc)})") from exc
    except RecursionError as exc:
        raise NoteError(f"{where}frontmatter is nested too deeply") from exc


def _check_structure(frontmatter: str, where: str) -> None:
    # Streams the parser's events: nothing is built, and a refusal stops at the first offence.
    depth = 0
    for event in yaml.parse(frontmatter, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise NoteError(
                f"{where}frontmatter uses YAML anchors or aliases (& and *), which notes do "
                "not support; write the values out"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise NoteError(f"{where}frontmatter is nested more than {MAX_NESTING} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


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
    """A date-time property: ISO 8601 local time to the second, without an offset
    (``2026-11-21T09:42:15``), the form Obsidian's Date & time properties read and write."""
    return value.astimezone().strftime("%Y-%m-%dT%H:%M:%S")


def parse_time(value: Any) -> datetime:
    """Read a frontmatter date or date-time (YAML may already have parsed it). One without an
    offset is local time, as :func:`format_time` writes it and Obsidian shows it; a bare date
    is local midnight; ``Z`` and offsets (notes written before) are read as they say."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).astimezone()
    if isinstance(value, str) and value.strip():
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.astimezone()
    raise ValueError(f"not a date: {value!r}")


def _moment(key: str, value: Any) -> datetime | None:
    """The date-time a property holds: any date-time value, or the text of one of the
    assistant's own time properties; None for anything else."""
    if isinstance(value, datetime):
        return value
    if key in TIME_KEYS and isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError:
            return None
    return None


def _metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    """The extra properties of a note: renamed ones under their internal key, date-times
    (and the text of the assistant's own time properties) read as local-aware date-times."""
    internal = {new: old for old, new in RENAMED.items()}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in CORE_KEYS:
            continue
        name = internal.get(key, key)
        if name != key and name in data:
            name = key
        moment = _moment(key, value)
        out[name] = value if moment is None else parse_time(moment)
    return out


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
