"""A folder of markdown notes: another Obsidian vault, a basic-memory project, or a
markdown export of this project.

Each note becomes one memory: its text below the frontmatter, its ``tags``, and its
``created`` (or ``date``, else the file's time; a date is local midnight, a date-time
without an offset local time, as Obsidian writes them). Frontmatter is optional; a note whose
frontmatter is broken is imported without its properties, with a warning. A note written by
this project (an ``id``, ``type``, ``source`` and ``created`` property) comes back exactly as
it was, and a transcript note (``session``) as a conversation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import NoteError
from assistant.transfer.items import Conversation, Incoming, Item, Message, ProjectNote, Source
from assistant.transfer.items import strings as names
from assistant.vault.conversations import USER, ConversationNotes
from assistant.vault.layout import VaultLayout
from assistant.vault.notes import load_properties, parse_note, parse_time, split_frontmatter

_SKIPPED = {".obsidian", ".git", ".trash", "node_modules"}
_OWN_KEYS = {"id", "type", "source", "created"}
MAX_NOTE_BYTES = 4 * 2**20


def markdown_source(folder: Path, name: str) -> Source:
    """The notes under ``folder`` (or the one note ``folder`` names)."""
    source = Source(name, "markdown", iter(()))
    source.items = _notes(folder, source)
    return source


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_file():
        yield folder
        return
    for path in sorted(folder.rglob("*.md")):
        relative = path.relative_to(folder)
        if any(p.startswith(".") or p in _SKIPPED for p in relative.parts[:-1]):
            continue
        if path.is_file() and not path.name.startswith("."):
            yield path


def _notes(folder: Path, source: Source) -> Iterator[Item]:
    base = folder.parent if folder.is_file() else folder
    for path in _files(folder):
        relative = path.relative_to(base).as_posix()
        try:
            if path.stat().st_size > MAX_NOTE_BYTES:
                source.warnings.append(f"{relative}: larger than 4 MB, skipped")
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            source.warnings.append(f"{relative}: not read ({exc})")
            continue
        modified = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
        item = _note(path, relative, text, modified, source)
        if item is not None:
            yield item


def _note(path: Path, relative: str, text: str, modified: datetime, source: Source) -> Item | None:
    properties: Mapping[str, Any] = {}
    body = text
    if text.lstrip("\ufeff").startswith("---"):
        try:
            front, body = split_frontmatter(text, f"{relative}: ")
            loaded = load_properties(front, f"{relative}: ")
            if loaded is not None and not isinstance(loaded, Mapping):
                raise NoteError(f"{relative}: frontmatter is not a set of properties")
            properties = loaded or {}
        except NoteError as exc:
            source.warnings.append(f"{exc}; imported its text without its properties")
            body = _after_frontmatter(text)
    if "session" in properties and len(properties) == 1:
        return _transcript(path, source)
    if properties.get("type") == "project" and "id" in properties:
        return ProjectNote(path.stem, text)  # a project's note of a markdown export
    if set(properties) >= _OWN_KEYS:
        try:
            own = parse_note(text, Path(relative), fallback_time=modified)
            return Incoming(own.text, f"assistant:{own.id}", exact=own)
        except NoteError as exc:
            source.warnings.append(f"{exc}; imported as a plain note")
    body = body.strip()
    if not body:
        source.warnings.append(f"{relative}: no text, skipped")
        return None
    created = _created(properties, relative, source) or modified
    metadata: dict[str, Any] = {"imported_from": source.tool, "import_file": relative}
    title = properties.get("title")
    if isinstance(title, str) and title.strip():
        metadata["title"] = title.strip()
    permalink = properties.get("permalink")
    key = f"basic-memory:{permalink}" if isinstance(permalink, str) else f"markdown:{relative}"
    return Incoming(
        body,
        key,
        tags=tuple(t.lstrip("#") for t in names(properties.get("tags"))),
        created=created,
        metadata=metadata,
    )


def _created(properties: Mapping[str, Any], relative: str, source: Source) -> datetime | None:
    """When a note says it was written (``created``, else ``date``), as this project reads
    its own notes: a date (Obsidian's Date property) is local midnight, a date-time without
    an offset local time. A value that is no date is warned about; None then, or when absent."""
    for key in ("created", "date"):
        value = properties.get(key)
        if value is None or value == "":
            continue
        try:
            return parse_time(value)
        except (ValueError, OverflowError, OSError):
            source.warnings.append(
                f"{relative}: {key} {str(value)[:80]!r} is not a date; the file's time is used"
            )
            return None
    return None


def _after_frontmatter(text: str) -> str:
    """The text after a frontmatter that could not be read: after its closing ``---`` when
    there is one, else the whole note."""
    lines = text.lstrip("\ufeff").splitlines()
    if "---" in lines[1:]:
        return "\n".join(lines[lines.index("---", 1) + 1 :])
    return text


def _transcript(path: Path, source: Source) -> Conversation | None:
    notes = ConversationNotes(VaultLayout(path.parent))
    session, said = notes.read(path)
    messages = tuple(Message("user" if s.role == USER else "assistant", s.at, s.text) for s in said)
    if not messages:
        return None
    return Conversation(f"assistant-session:{session}", session, messages, exact=True)
