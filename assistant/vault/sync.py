"""Find what changed in the vault since it was indexed: a checksum scan, moves detected.

``scan`` is read-only: unchanged notes (same path, same checksum) are not even parsed, so a
vault of thousands of notes is checked in well under a second. ``Memories.sync`` applies the
report to the indexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from assistant.errors import NoteError, NotFoundError, StoreError
from assistant.memory_types import Memory, MemoryType, Status, new_id, project_of
from assistant.vault.files import write_atomic
from assistant.vault.layout import VaultLayout
from assistant.vault.note_files import DELETED_FROM as DELETED_FROM
from assistant.vault.note_files import NoteFiles
from assistant.vault.notes import checksum, format_time, load_properties, split_frontmatter

_EMPTY_ID = re.compile(r"^id[ \t]*:[ \t]*(?:~|null|''|\"\")?[ \t]*(?=\r?$)", re.M)


class NoteRow(Protocol):
    """What the scan needs to know about an indexed note (the index's rows have it)."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def checksum(self) -> str: ...


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
    former_ids: dict[Path, str] = field(default_factory=dict)
    """For unnumbered notes at the path of an indexed memory: that memory's id, given back."""
    invalid: list[tuple[Path, str]] = field(default_factory=list)
    """Files that cannot be used, with the reason; they are left untouched."""
    tombstones: list[Path] = field(default_factory=list)
    """Archive copies written for notes deleted by hand, whose note has come back: sync
    removes them."""
    notices: list[str] = field(default_factory=list)
    """What the user should know about the projects found (the one in use is gone)."""

    @property
    def pending(self) -> int:
        """How many changes applying this report would make."""
        return (
            len(self.new)
            + len(self.modified)
            + len(self.deleted)
            + len(self.unnumbered)
            + len(self.tombstones)
        )


class ScanStopped(Exception):
    """A scan given up because ``stop()`` said so (nothing was changed)."""


@dataclass(frozen=True)
class _Found:
    """A changed note that parsed, with what is needed to pick one among notes sharing an
    id."""

    memory: Memory
    digest: str
    modified: datetime

    @property
    def path(self) -> Path:
        assert self.memory.path is not None
        return self.memory.path


def scan(
    files: NoteFiles,
    known: Mapping[str, NoteRow],
    paths: Iterable[Path] | None = None,
    stop: Callable[[], bool] | None = None,
) -> SyncReport:
    """Compare notes under ``Assistant/`` with the index rows in ``known``.

    With ``paths`` (vault-relative, e.g. from the file watcher) only those files are looked
    at; without, the whole folder is. Unchanged notes (same path and checksum, such as the
    assistant's own writes) are skipped without parsing.

    A memory is only reported deleted when its note is gone: a note that cannot be read
    (broken YAML, say) is reported and its memory keeps its indexed state. When several notes
    carry one id, the note at the indexed path keeps it (else the oldest) and the others are
    reported as copies; an archive copy written for a deleted note gives way to the note
    itself when it comes back.
    """
    layout = files.layout
    by_path = {row.path: row for row in known.values()}
    if paths is None:
        candidates = [layout.relative(full) for full in layout.note_files()]
        touched = set(by_path)
    else:
        touched = {p.as_posix() for p in paths}
        folders = {t for t in touched if not t.endswith(".md")}  # moved or deleted folders
        for folder in folders:
            touched |= {p for p in by_path if p.startswith(folder + "/")}
            if (layout.vault / folder).is_dir():
                touched |= {
                    layout.relative(f).as_posix()
                    for f in layout.note_files()
                    if layout.relative(f).as_posix().startswith(folder + "/")
                }
        candidates = [Path(p) for p in sorted(touched) if _is_note(layout, Path(p))]
    report = SyncReport()
    changed: list[tuple[Path, bytes, datetime]] = []
    # Where each settled id is held: unchanged notes, and notes known at a path outside
    # this batch (verified only if another note claims the id).
    held = {row.id: Path(path) for path, row in by_path.items() if path not in touched}
    kept: set[str] = set()  # ids whose note is there but unreadable: not deleted
    for number, relative in enumerate(candidates):
        if stop is not None and number % 100 == 0 and stop():
            raise ScanStopped
        row = by_path.get(relative.as_posix())
        loaded = _load(files, relative, report)
        if loaded is None:
            if row is not None and _present(layout, relative):
                kept.add(row.id)
            continue
        data, modified = loaded
        if row is not None and row.checksum == checksum(data):
            held[row.id] = relative
        else:
            changed.append((relative, data, modified))
    found, former = _parse_changed(files, by_path, changed, kept, report)
    for memory_id, notes in found.items():
        _settle(files, known.get(memory_id), notes, held, report)
    # An id given back to a note that lost its ``id:`` line, unless another note holds it now.
    report.former_ids.update({p: i for p, i in former.items() if i not in held})
    report.deleted.extend(
        row.id
        for path, row in by_path.items()
        if path in touched and row.id not in held and row.id not in kept
    )
    return report


def _parse_changed(
    files: NoteFiles,
    by_path: Mapping[str, NoteRow],
    changed: list[tuple[Path, bytes, datetime]],
    kept: set[str],
    report: SyncReport,
) -> tuple[dict[str, list[_Found]], dict[Path, str]]:
    """Parse the changed notes, grouped by id. Notes without an id and unreadable ones go to
    ``report``; the memory indexed at such a note's path is ``kept`` (not deleted), and for
    a note without an id its former id is returned."""
    layout = files.layout
    former: dict[Path, str] = {}
    found: dict[str, list[_Found]] = {}
    for relative, data, modified in changed:
        row = by_path.get(relative.as_posix())
        try:
            memory = files.parse(relative, data, modified)
        except NoteError as exc:
            if _missing_id(data) and (
                relative.is_relative_to(layout.relative(layout.memories)) or project_of(relative)
            ):
                report.unnumbered.append(relative)
                if row is not None:
                    former[relative] = row.id
            else:
                report.invalid.append((relative, _reason(exc, relative)))
            if row is not None:
                kept.add(row.id)
            continue
        found.setdefault(memory.id, []).append(_Found(memory, checksum(data), modified))
    return found, former


def _settle(
    files: NoteFiles,
    old: NoteRow | None,
    notes: list[_Found],
    held: dict[str, Path],
    report: SyncReport,
) -> None:
    """Decide which of the changed ``notes`` sharing one id holds it, given the note that may
    already hold it (``held``) and the index row ``old``."""
    layout = files.layout
    memory_id = notes[0].memory.id
    holder = held.get(memory_id)
    if holder is not None and not (layout.vault / holder).is_file():
        holder = None  # known at a path outside the batch, but gone from there
    live = [n for n in notes if not is_tombstone(layout, n.memory)]
    holder_live = holder is not None and not _tombstone_at(files, holder)
    if live or holder_live:
        report.tombstones.extend(n.path for n in notes if is_tombstone(layout, n.memory))
        if holder is not None and not holder_live:
            report.tombstones.append(holder)
            holder = None
        notes = live
    if not notes:
        return
    if holder is None:
        at_old = [n for n in notes if old is not None and n.path.as_posix() == old.path]
        owner = (at_old or sorted(notes, key=_age))[0]
        holder = owner.path
        held[memory_id] = holder
        if old is None:
            report.new.append((owner.memory, owner.digest))
        else:
            if old.path != holder.as_posix():
                report.moves.append((memory_id, old.path, holder.as_posix()))
            report.modified.append((owner.memory, owner.digest))
        notes = [n for n in notes if n is not owner]
    for copy in notes:
        report.invalid.append(
            (
                copy.path,
                f"a copy of {holder.as_posix()} (same id {memory_id}); delete its id line "
                "to make it a memory of its own",
            )
        )


def _age(found: _Found) -> tuple[datetime, int, str]:
    # The oldest file is the original; a copy's name is usually the original's plus a suffix.
    return found.modified, len(found.path.as_posix()), found.path.as_posix()


def is_tombstone(layout: VaultLayout, memory: Memory) -> bool:
    """Whether ``memory`` is the archive copy the sync wrote when its note was deleted by
    hand (it gives way to the note if that comes back)."""
    return (
        memory.status is Status.ARCHIVED
        and DELETED_FROM in memory.metadata
        and memory.path is not None
        and memory.path.is_relative_to(layout.relative(layout.archive))
    )


def _tombstone_at(files: NoteFiles, relative: Path) -> bool:
    try:
        memory, _ = files.read(relative)
    except (NoteError, NotFoundError, StoreError):
        return False
    return is_tombstone(files.layout, memory)


def _present(layout: VaultLayout, relative: Path) -> bool:
    full = layout.vault / relative
    return full.exists() or full.is_symlink()


def _load(files: NoteFiles, relative: Path, report: SyncReport) -> tuple[bytes, datetime] | None:
    full = files.layout.vault / relative
    if full.is_symlink() and not full.resolve().is_relative_to(files.layout.vault.resolve()):
        report.invalid.append((relative, "symlink pointing outside the vault"))
        return None
    try:
        return files.read_bytes(relative)
    except NotFoundError:
        return None  # gone since it was listed: a deletion, handled by the caller
    except (NoteError, StoreError) as exc:
        report.invalid.append((relative, _reason(exc, relative)))
        return None


def _is_note(layout: VaultLayout, relative: Path) -> bool:
    """A markdown file under ``Memories/`` or ``Archive/`` that is not hidden (and still
    exists)."""
    parts = relative.parts
    return (
        layout.holds_notes(relative)
        and relative.suffix == ".md"
        and not any(part.startswith(".") for part in parts)
        and (layout.vault / relative).is_file()
    )


def number_note(files: NoteFiles, relative: Path, memory_id: str | None = None) -> None:
    """Give a note the user wrote under ``Memories/`` an id (``memory_id``, or a new one),
    touching only its frontmatter."""
    data, modified = files.read_bytes(relative)
    text = data.decode("utf-8")
    folder = relative.parent.name.lower()
    kind = folder if folder in {t.value for t in MemoryType} else MemoryType.SEMANTIC.value
    line = f"id: {memory_id or new_id()}"
    try:
        split_frontmatter(text)
    except NoteError:
        stamp = format_time(modified)
        header = f"{line}\ntype: {kind}\ncreated: {stamp}\nupdated: {stamp}\nsource: vault\n"
        new_text = f"---\n{header}---\n{text}"
    else:
        start = text.index("\n") + 1  # just past the opening ---
        end = text.find("\n---", start - 1) + 1  # the closing ---, as split_frontmatter finds it
        # An ``id:`` left without a value is filled in rather than followed by a second one.
        properties, filled = _EMPTY_ID.subn(lambda _: line, text[start:end], count=1)
        if not filled:
            properties = line + "\n" + properties
        new_text = text[:start] + properties + text[end:]
    write_atomic(files.layout.absolute(relative), new_text)


def note_body(files: NoteFiles, relative: Path) -> str:
    """The text of a note without its frontmatter, as a memory holds it ("" if unreadable)."""
    try:
        text = files.read_bytes(relative)[0].decode("utf-8")
    except (NoteError, NotFoundError, StoreError, UnicodeDecodeError):
        return ""
    try:
        return split_frontmatter(text)[1].strip()
    except NoteError:
        return text.strip()


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
        properties = load_properties(frontmatter)
    except NoteError:
        return False  # broken or hostile YAML is reported, never patched
    return (
        (properties is None or isinstance(properties, dict))
        and not (properties or {}).get("id")
        and bool(body.strip())
    )


def _reason(exc: Exception, relative: Path) -> str:
    message = str(exc)
    prefix = f"{relative}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
