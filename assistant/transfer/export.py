"""Export every memory, with all its properties, status and history links, and optionally
the conversations' transcripts.

Three formats, each read back by ``assistant import`` exactly as it was written:

- ``json``: one document, ``{"format": "assistant-export", "version": 1, "projects": [...],
  "memories": [...], "conversations": [...]}``, one memory a line;
- ``jsonl``: the header line, then one ``{"project": ...}``, ``{"memory": ...}`` or
  ``{"conversation": ...}`` a line;
- ``markdown``: a folder of notes laid out as in the vault (``Assistant/Memories/…``,
  ``Assistant/Projects/…`` with each project's note,
  ``Assistant/Archive/…``, ``Assistant/Conversations/…``), readable in Obsidian.

Memories are written oldest first, read from their notes one batch at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from assistant.errors import InvalidInputError
from assistant.memories import Memories
from assistant.memory_types import Memory, Status
from assistant.transfer.records import FORMAT, VERSION, memory_record
from assistant.vault.conversations import USER, ConversationNotes, render
from assistant.vault.files import write_atomic
from assistant.vault.layout import VaultLayout
from assistant.vault.notes import render_note

EXPORT_FORMATS = ("json", "jsonl", "markdown")
_BATCH = 500


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    memories: int
    conversations: int


def memories_of(memories: Memories) -> Iterator[Memory]:
    """Every memory, whatever its status, as its note says, oldest first."""
    listed = memories.list(statuses=list(Status))
    ids = [m.id for m in sorted(listed, key=lambda m: (m.created, m.id))]
    for start in range(0, len(ids), _BATCH):
        yield from memories.get_many(ids[start : start + _BATCH])


def project_records(layout: VaultLayout) -> Iterator[dict[str, Any]]:
    """Every project: its name and its note's text as it is (the memories carry their
    project in their paths)."""
    root = layout.projects
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        note = layout.project_note(folder.name)
        if folder.is_dir() and not folder.name.startswith(".") and note.is_file():
            yield {"name": folder.name, "note": note.read_text(encoding="utf-8")}


def conversation_records(notes: ConversationNotes) -> Iterator[dict[str, Any]]:
    """Every transcript: its session and messages (role ``user`` or ``assistant``)."""
    for path in notes.notes():
        session, said = notes.read(path)
        yield {
            "session": session,
            "messages": [
                {"role": "user" if s.role == USER else "assistant", "at": s.at, "text": s.text}
                for s in said
            ],
        }


def write_json(
    memories: Memories, out: TextIO, *, conversations: ConversationNotes | None = None
) -> ExportReport:
    """The ``json`` export, written to ``out`` as it is read."""
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n "projects": [')
    _lines(out, project_records(memories.notes.layout))
    out.write('\n ],\n "memories": [')
    count = _lines(out, (memory_record(m) for m in memories_of(memories)))
    out.write("\n ]")
    talks = 0
    if conversations is not None:
        out.write(',\n "conversations": [')
        talks = _lines(out, conversation_records(conversations))
        out.write("\n ]")
    out.write("}\n")
    return ExportReport(count, talks)


def _lines(out: TextIO, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    for record in records:
        out.write(("\n  " if not count else ",\n  ") + _dump(record))
        count += 1
    return count


def write_jsonl(
    memories: Memories, out: TextIO, *, conversations: ConversationNotes | None = None
) -> ExportReport:
    """The ``jsonl`` export, written to ``out`` as it is read."""
    out.write(_dump({"format": FORMAT, "version": VERSION}) + "\n")
    for project in project_records(memories.notes.layout):
        out.write(_dump({"project": project}) + "\n")
    count = talks = 0
    for memory in memories_of(memories):
        out.write(_dump({"memory": memory_record(memory)}) + "\n")
        count += 1
    for record in conversation_records(conversations) if conversations else iter(()):
        out.write(_dump({"conversation": record}) + "\n")
        talks += 1
    return ExportReport(count, talks)


def write_markdown(
    memories: Memories, folder: Path, *, conversations: ConversationNotes | None = None
) -> ExportReport:
    """The ``markdown`` export: one note per memory under ``folder`` (which must be empty or
    new), at the path it has in the vault."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInputError(
            f"{folder} is not an empty folder; a markdown export needs one", title="Not exported"
        )
    count = talks = 0
    for project in project_records(memories.notes.layout):
        note = memories.notes.layout.project_note(project["name"])
        write_atomic(folder / memories.notes.layout.relative(note), project["note"])
    for memory in memories_of(memories):
        relative = memory.path or Path("Assistant", "Memories", f"{memory.id}.md")
        write_atomic(folder / relative, render_note(memory))
        count += 1
    if conversations is not None:
        base = conversations.layout.vault
        for path in conversations.notes():
            session, said = conversations.read(path)
            write_atomic(folder / path.relative_to(base), render(session, said))
            talks += 1
    return ExportReport(count, talks)


def _dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)
