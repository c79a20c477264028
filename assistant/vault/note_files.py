"""Memory notes on disk: write, read, archive, restore and scan. The vault is the truth."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import NoteChangedError, NoteError, NotFoundError, StoreError
from assistant.memory_types import Memory, Status, project_of
from assistant.vault.files import move, note_title, storage_error, write_atomic, write_new
from assistant.vault.layout import VaultLayout
from assistant.vault.notes import (
    checksum,
    load_properties,
    parse_note,
    render_note,
    split_frontmatter,
)

log = logging.getLogger(__name__)

MAX_NOTE_BYTES = 4 * 2**20
FROM_PROJECT = "from_project"
"""The property of an archived note that records the name of the project it was archived
from (for the reader; restoring goes by :data:`FROM_PROJECT_ID`)."""
FROM_PROJECT_ID = "from_project_id"
"""The property of an archived note that records the id of the project it was archived from,
which survives renaming the project's folder."""
PROJECT_TYPE = "project"
"""The ``type`` property of a project note."""
DELETED_FROM = "deleted_from"
"""The property of an archive copy written for a note deleted by hand: where the note was."""


class NoteFiles:
    """Reads and writes memory notes inside the vault's ``Assistant/`` folder."""

    def __init__(self, layout: VaultLayout) -> None:
        self.layout = layout

    def write(
        self, memory: Memory, folder: Path | None = None, *, expected: str | None = None
    ) -> tuple[Memory, str]:
        """Write ``memory``'s note and return it with its checksum. A memory without a path
        gets a new file in ``folder`` (default: its type's folder).

        With ``expected`` (the checksum of the note as last read) an existing note is only
        replaced if it still has that checksum, so the user's words are never overwritten
        unread; otherwise :class:`NoteChangedError` is raised.
        """
        text = render_note(memory)
        if memory.path is None:
            directory = folder or self.layout.type_dir(memory.type)
            title = note_title(memory.text)
            full = write_new(directory, title, memory.id[-6:].lower(), text)
            memory = replace(memory, path=self.layout.relative(full))
        else:
            full = self.layout.absolute(memory.path)
            if expected is not None and self._checksum_of(full) != expected:
                raise NoteChangedError(f"{memory.path} changed on disk while being updated")
            write_atomic(full, text)
        return memory, checksum(text.encode("utf-8"))

    @staticmethod
    def _checksum_of(full: Path) -> str | None:
        try:
            return checksum(full.read_bytes())
        except OSError:
            return None

    def read(self, relative: Path) -> tuple[Memory, str]:
        """Parse the note at a vault-relative path; raise NoteError or NotFoundError."""
        data, modified = self.read_bytes(relative)
        return self.parse(relative, data, modified), checksum(data)

    def read_bytes(self, relative: Path) -> tuple[bytes, datetime]:
        """A note's raw bytes and modification time (size-checked)."""
        full = self.layout.absolute(relative)
        try:
            stat = full.stat()
            if stat.st_size > MAX_NOTE_BYTES:
                raise NoteError(f"{relative}: note is larger than {MAX_NOTE_BYTES // 2**20} MB")
            data = full.read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError(f"the note {relative} no longer exists") from exc
        except OSError as exc:
            raise StoreError(f"cannot read {relative}: {exc.strerror}") from exc
        return data, datetime.fromtimestamp(int(stat.st_mtime), UTC)

    @staticmethod
    def parse(relative: Path, data: bytes, modified: datetime) -> Memory:
        """Parse a note's bytes; raise NoteError if they are not a valid memory note."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(f"{relative}: not UTF-8 text") from exc
        return parse_note(text, relative, fallback_time=modified)

    def remove(self, relative: Path) -> None:
        """Delete a note the assistant wrote itself (an archive copy that is no longer
        needed); one already gone is fine."""
        full = self.layout.absolute(relative)
        try:
            full.unlink(missing_ok=True)
        except OSError as exc:
            raise storage_error(exc, full) from exc

    def archive(self, memory: Memory) -> tuple[Memory, str]:
        """Move the note to ``Assistant/Archive/`` with ``status: archived``; a project's
        memory records its project's id and name (``from_project_id``, ``from_project``) so
        that restoring puts it back, even into the project's folder renamed meanwhile."""
        if memory.project:
            found = self._project_id(self.layout.project_dir(memory.project))
            origin = {FROM_PROJECT: memory.project, **({FROM_PROJECT_ID: found} if found else {})}
            memory = replace(memory, metadata={**memory.metadata, **origin})
        return self._move(memory, self.layout.archive, Status.ARCHIVED)

    def restore(self, memory: Memory) -> tuple[Memory, str]:
        """Move an archived note back with ``status: active``: to the project it came from
        while that project's folder is there (found by the project's id, whatever its folder
        is called now), else to its type folder."""
        project_id = str(memory.metadata.get(FROM_PROJECT_ID) or "")
        folder = self._project_folder(project_id) if project_id else None
        if folder is None and not project_id:
            project = str(memory.metadata.get(FROM_PROJECT) or "") or project_of(
                str(memory.metadata.get(DELETED_FROM) or "")
            )
            named = self.layout.project_dir(project) if project else None
            folder = named if named is not None and named.is_dir() else None
        target = folder or self.layout.type_dir(memory.type)
        # An archive copy kept for a note deleted by hand becomes an ordinary note again.
        gone = (FROM_PROJECT, FROM_PROJECT_ID, DELETED_FROM)
        metadata = {k: v for k, v in memory.metadata.items() if k not in gone}
        return self._move(replace(memory, metadata=metadata), target, Status.ACTIVE)

    def _project_folder(self, project_id: str) -> Path | None:
        """The folder of the project whose note has this id (None when none has)."""
        root = self.layout.projects
        if not root.is_dir():
            return None
        folders = [f for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith(".")]
        for quick in (True, False):  # the notes named like their folders first
            for folder in folders:
                if self._project_id(folder, quick=quick) == project_id:
                    return folder
        return None

    def _project_id(self, folder: Path, *, quick: bool = False) -> str:
        """The id in ``folder``'s project note: the note named like the folder, else (unless
        ``quick``) a note directly in it whose ``type`` is ``project``; ``""`` if none."""
        named = folder / f"{folder.name}.md"
        notes = [named] if named.is_file() else []
        if not quick:
            notes += [p for p in sorted(folder.glob("*.md")) if p != named]
        for note in notes:
            try:
                frontmatter, _ = split_frontmatter(note.read_text(encoding="utf-8"))
                data = load_properties(frontmatter)
            except (OSError, UnicodeDecodeError, NoteError):
                continue
            if isinstance(data, dict) and str(data.get("type", "")).lower() == PROJECT_TYPE:
                return str(data.get("id") or "")
        return ""

    def _move(self, memory: Memory, target_dir: Path, status: Status) -> tuple[Memory, str]:
        assert memory.path is not None
        source = self.layout.absolute(memory.path)
        if not source.is_file():
            raise NotFoundError(f"the note {memory.path} no longer exists")
        target = move(source, target_dir) if source.parent != target_dir else source
        moved = replace(memory, status=status, path=self.layout.relative(target))
        return self.write(moved)
