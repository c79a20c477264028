"""Find what changed in the vault since it was indexed: a checksum scan, moves detected.

``scan`` is read-only: unchanged notes (same path, same checksum) are not even parsed, so a
vault of thousands of notes is checked in well under a second. ``Memories.sync`` applies the
report to the indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from assistant.errors import NoteError, NotFoundError, StoreError
from assistant.memory import Memory, MemoryType, new_id
from assistant.store.notes_index import NoteRow
from assistant.vault.files import write_atomic
from assistant.vault.layout import VaultLayout
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


class ScanStopped(Exception):
    """A scan given up because ``stop()`` said so (nothing was changed)."""


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
    # Ids whose note is settled: unchanged, or known at a path outside this batch.
    seen = {row.id for path, row in by_path.items() if path not in touched}
    for number, relative in enumerate(candidates):
        if stop is not None and number % 100 == 0 and stop():
            raise ScanStopped
        loaded = _load(files, relative, report)
        if loaded is None:
            continue
        data, modified = loaded
        row = by_path.get(relative.as_posix())
        if row is not None and row.checksum == checksum(data):
            seen.add(row.id)
        else:
            changed.append((relative, data, modified))
    for relative, data, modified in changed:
        _classify(files, known, relative, data, modified, seen, report)
    report.deleted.extend(
        row.id for path, row in by_path.items() if path in touched and row.id not in seen
    )
    return report


def _classify(
    files: NoteFiles,
    known: Mapping[str, NoteRow],
    relative: Path,
    data: bytes,
    modified: datetime,
    seen: set[str],
    report: SyncReport,
) -> None:
    layout = files.layout
    try:
        memory = files.parse(relative, data, modified)
    except NoteError as exc:
        if _missing_id(data) and relative.is_relative_to(layout.relative(layout.memories)):
            report.unnumbered.append(relative)
        else:
            report.invalid.append((relative, _reason(exc, relative)))
        return
    old = known.get(memory.id)
    elsewhere = old is not None and old.path != relative.as_posix()
    if memory.id in seen and not (elsewhere and not _exists(layout, old)):
        report.invalid.append((relative, f"same id as another note ({memory.id})"))
        return
    seen.add(memory.id)
    digest = checksum(data)
    if old is None:
        report.new.append((memory, digest))
        return
    if elsewhere:
        report.moves.append((memory.id, old.path, relative.as_posix()))
    report.modified.append((memory, digest))


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


def _exists(layout: VaultLayout, row: NoteRow | None) -> bool:
    return row is not None and (layout.vault / row.path).is_file()


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
