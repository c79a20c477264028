"""Which memory notes changed since a moment, told by the file system's times alone.

A command that reads memories while no watcher runs (``assistant search`` with no serve)
first takes in what the user edited in Obsidian since the vault was last caught up with.
Scanning the vault reads every note; this reads none: a note written after the moment is
changed, and when a folder changed after it (a note deleted, or moved: a move keeps a file's
time) every note there is now is given, for the caller to compare with the index. About
45 ms for 10,000 notes (the walk; bench/catch_up.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from assistant.vault.layout import VaultLayout

SLACK = 2.0
"""Seconds a file's time may lag behind the clock that stamped the moment (coarse file
system times, a write in the same second as the scan): a note written that close to the
moment is looked at again."""


@dataclass(frozen=True)
class Changes:
    """What changed in the note folders since a moment (paths relative to the vault)."""

    notes: set[Path] = field(default_factory=set)
    """Notes written after the moment."""
    folders: set[Path] = field(default_factory=set)
    """Folders changed after it: a note in them deleted, or moved in or out (a move keeps a
    file's time; renaming or deleting a folder changes the folder above it)."""


def changed_since(layout: VaultLayout, since: float) -> Changes:
    """The notes under ``Memories/``, ``Archive/`` and the project folders written after
    ``since`` (a POSIX time, less :data:`SLACK`), and the folders changed after it; hidden
    files and folders are skipped. No note is opened."""
    changes = Changes()
    moment = since - SLACK
    start = _start(layout)
    for root in _roots(layout):
        _walk(root, start, moment, changes)
    return changes


def pages_changed_since(layout: VaultLayout, since: float) -> set[Path]:
    """The generated pages (the profile, people, topics and days) written after ``since``
    (less :data:`SLACK`), vault-relative: edits the user made on them, or the assistant's
    own, for the caller to read. No page is opened."""
    moment = since - SLACK
    found: set[Path] = set()
    candidates = [layout.identity]
    for folder in (layout.people, layout.topics, layout.daily):
        try:
            candidates += [Path(e.path) for e in os.scandir(folder) if e.name.endswith(".md")]
        except OSError:
            continue  # not made yet
    for page in candidates:
        try:
            if page.stat().st_mtime > moment:
                found.add(layout.relative(page))
        except OSError:
            continue
    return found


def moved(layout: VaultLayout, known: set[str]) -> set[Path]:
    """The notes the index holds where there is none now (``known``: its paths, as it writes
    them, ``Assistant/Memories/x.md``), and those there are where it holds none: after a
    folder changed, what was deleted or moved."""
    present: set[str] = set()
    start = _start(layout)
    for root in _roots(layout):
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = [f for f in subfolders if not f.startswith(".")]
            at = folder[start:].replace(os.sep, "/")
            present.update(f"{at}/{f}" for f in files if f.endswith(".md") and f[0] != ".")
    return {Path(p) for p in (known - present) | (present - known)}


def _start(layout: VaultLayout) -> int:
    """Where a path under the vault begins to be relative to it."""
    return len(os.path.join(str(layout.vault), ""))


def _roots(layout: VaultLayout) -> list[str]:
    return [str(f) for f in (layout.memories, layout.archive, layout.projects) if f.is_dir()]


def _walk(folder: str, start: int, moment: float, changes: Changes) -> None:
    """Walk one folder (paths cut to the vault's at ``start``: a string's work, where
    10,000 ``Path`` objects would cost more than the walk)."""
    try:
        if os.stat(folder).st_mtime > moment:
            changes.folders.add(Path(folder[start:]))
        entries = list(os.scandir(folder))
    except OSError:
        return  # gone or unreadable since it was listed: a full scan reports it
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, start, moment, changes)
            elif entry.name.endswith(".md") and entry.stat().st_mtime > moment:
                changes.notes.add(Path(entry.path[start:]))
        except OSError:
            continue
