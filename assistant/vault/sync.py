"""Find what changed in the vault since it was indexed: a checksum scan, moves detected.

``scan`` is read-only: unchanged notes (same path, same checksum) are not even parsed, so a
vault of thousands of notes is checked in well under a second. ``Memories.sync`` applies the
report to the indexes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from assistant.errors import NoteError, NotFoundError, StoreError
from assistant.memory import Memory, MemoryType, new_id
from assistant.store.notes_index import NoteRow
from assistant.vault.files import write_atomic
from assistant.vault.notes import checksum, format_time, split_frontmatter
from assistant.vault.store import NoteFiles


@dataclass(frozen=True)
class SyncReport:
    """Differences between the vault and the note index."""

    new: list[tuple[Memory, str]] = field(default_factory=list)
    """Notes the index does not know, with their checksums."""
    modified: list[tuple[Memory, str]] = field(default_factory=list)
    """Known notes whose content changed (moved ones included)."""
    moves: list[tuple[str, str, str]] = field(default_factory=list)
    """``(id, old path, new path)`` for notes renamed or moved."""
    deleted: list[str] = field(default_factory=list)
    """Ids whose note is gone from the vault."""
    unnumbered: list[Path] = field(default_factory=list)
    """Notes under ``Memories/`` the user wrote without an id (one is assigned on sync)."""
    invalid: list[tuple[Path, str]] = field(default_factory=list)
    """Files that cannot be used, with the reason; they are left untouched."""

    @property
    def pending(self) -> int:
        """How many changes applying this report would make."""
        return len(self.new) + len(self.modified) + len(self.deleted) + len(self.unnumbered)


def scan(files: NoteFiles, known: Mapping[str, NoteRow]) -> SyncReport:
    """Compare every note under ``Assistant/`` with the index rows in ``known``."""
    layout = files.layout
    by_path = {row.path: row for row in known.values()}
    vault_root = layout.vault.resolve()
    report = SyncReport()
    unchanged: set[str] = set()
    changed: list[tuple[Path, bytes, datetime]] = []
    for full in layout.note_files():
        relative = layout.relative(full)
        if full.is_symlink() and not full.resolve().is_relative_to(vault_root):
            report.invalid.append((relative, "symlink pointing outside the vault"))
            continue
        try:
            data, modified = files.read_bytes(relative)
        except (NoteError, NotFoundError, StoreError) as exc:
            report.invalid.append((relative, _reason(exc, relative)))
            continue
        row = by_path.get(relative.as_posix())
        if row is not None and row.checksum == checksum(data):
            unchanged.add(row.id)
        else:
            changed.append((relative, data, modified))
    seen = set(unchanged)
    for relative, data, modified in changed:
        try:
            memory = files.parse(relative, data, modified)
        except NoteError as exc:
            if _missing_id(data) and relative.is_relative_to(layout.relative(layout.memories)):
                report.unnumbered.append(relative)
            else:
                report.invalid.append((relative, _reason(exc, relative)))
            continue
        if memory.id in seen:
            report.invalid.append((relative, f"same id as another note ({memory.id})"))
            continue
        seen.add(memory.id)
        digest = checksum(data)
        old = known.get(memory.id)
        if old is None:
            report.new.append((memory, digest))
            continue
        if old.path != relative.as_posix():
            report.moves.append((memory.id, old.path, relative.as_posix()))
        report.modified.append((memory, digest))
    report.deleted.extend(i for i in known if i not in seen)
    return report


def number_note(files: NoteFiles, relative: Path) -> None:
    """Give a note the user wrote under ``Memories/`` an id, touching only its frontmatter."""
    data, modified = files.read_bytes(relative)
    text = data.decode("utf-8")
    folder = relative.parent.name.lower()
    kind = folder if folder in {t.value for t in MemoryType} else MemoryType.SEMANTIC.value
    header = f"id: {new_id()}\n"
    try:
        split_frontmatter(text)
    except NoteError:
        stamp = format_time(modified)
        header += f"type: {kind}\ncreated: {stamp}\nupdated: {stamp}\nsource: vault\n"
        new_text = f"---\n{header}---\n{text}"
    else:
        after_delimiter = text.index("\n") + 1
        new_text = text[:after_delimiter] + header + text[after_delimiter:]
    write_atomic(files.layout.absolute(relative), new_text)


def _missing_id(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not text.strip():
        return False
    try:
        frontmatter, body = split_frontmatter(text)
    except NoteError:
        return True  # plain markdown: becomes a memory with an id
    try:
        data = yaml.safe_load(frontmatter)
    except yaml.YAMLError:
        return False  # broken YAML is reported, never patched
    return (
        (data is None or isinstance(data, dict))
        and not (data or {}).get("id")
        and bool(body.strip())
    )


def _reason(exc: Exception, relative: Path) -> str:
    message = str(exc)
    prefix = f"{relative}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
