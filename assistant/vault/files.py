"""Safe file names and atomic writes inside the vault."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import unicodedata
from pathlib import Path
from stat import S_ISREG

from assistant.errors import StoreError
from assistant.errors import storage_error as storage_error
from assistant.learning.pii import SECRET_KINDS, find_pii

_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
MAX_TITLE = 60
_COUNTER = itertools.count()
_HIDDEN = SECRET_KINDS | {"phone"}
"""What a file name never shows: a name is seen where the note's text is not (the file list,
a git commit's message, a backup's listing, any tool that prints paths)."""


_CLOCK = re.compile(r"\b(\d{1,2}):(\d\d)\b")
"""A time of day ("9:30"), titled "9.30": a colon is no character of a file name."""
_DANGLING = re.compile(
    r"(?:\s+(?:at|on|in|by|to|for|of|with|from|and|or|but|the|a|an|my|our|is|was|are))+$",
    re.IGNORECASE,
)
"""Words a title cut short would end on ("… (9 December 2026) at")."""


def note_title(text: str) -> str:
    """A readable, OS-safe file title from the first words of a memory's text, any secret or
    phone number in them left out (``My PIN is …``)."""
    first = unicodedata.normalize("NFC", text.strip().splitlines()[0] if text.strip() else "")
    first = first[: MAX_TITLE * 3]  # what the title can show, and a secret across its end
    for finding in sorted(find_pii(first), key=lambda f: f.start, reverse=True):
        if finding.kind in _HIDDEN:
            first = first[: finding.start] + "…" + first[finding.end :]
    cleaned = _UNSAFE.sub(" ", _CLOCK.sub(r"\1.\2", first))
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    if len(cleaned) > MAX_TITLE:
        cut = cleaned[:MAX_TITLE]
        cleaned = (cut.rsplit(" ", 1)[0] if " " in cut[20:] else cut).strip(" .")
        cleaned = _DANGLING.sub("", cleaned).strip(" .,;-") or cleaned
    if not cleaned or cleaned.startswith("."):
        cleaned = "Memory " + cleaned.lstrip(".")
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned += " note"
    return cleaned.strip()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a hidden temp file and a rename, so no reader
    (Obsidian, another process) ever sees a half-written note; each call has its own temp
    file, so two threads writing one note leave one of the two texts whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_COUNTER)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        _discard(tmp)
        raise storage_error(exc, path) from exc
    except UnicodeError:  # text that cannot be UTF-8 (a lone surrogate): nothing is left
        _discard(tmp)
        raise


def write_new(directory: Path, title: str, suffix: str, text: str) -> Path:
    """Write a new note as ``<title>.md`` (or ``<title> <suffix>.md`` if taken) and return it.

    The text goes to a hidden temp file that is then hard-linked to the final name: the link
    appears complete or not at all and never replaces an existing file, so two processes
    naming a note alike never share one.
    """
    tmp = directory / f".{title[:40]}.{os.getpid()}.{next(_COUNTER)}.tmp"
    try:
        try:
            tmp.write_text(text, encoding="utf-8")
        except FileNotFoundError:  # the folder's first note (its folder is made only then)
            directory.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
        for name in (title, f"{title} {suffix}"):
            target = directory / f"{name}.md"
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                continue
            except OSError:  # no hard links on this filesystem: exclusive create, then replace
                try:
                    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                except FileExistsError:
                    continue
                tmp.replace(target)
                return target
    except OSError as exc:
        raise storage_error(exc, directory / f"{title}.md") from exc
    finally:
        _discard(tmp)
    raise StoreError(f"cannot find a free file name for {title!r} in {directory}")


def move(source: Path, target_dir: Path) -> Path:
    """Move a note into ``target_dir`` without overwriting anything there."""
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / source.name
        if target.exists():
            target = target_dir / f"{source.stem} {os.getpid()}{source.suffix}"
        shutil.move(source, target)
        return target
    except OSError as exc:
        raise storage_error(exc, source) from exc


def _discard(tmp: Path) -> None:
    """Remove a temp file if it is there. On a read-only or full disk removing it fails too
    (``EROFS`` even for a file that was never created); that must never hide the error that
    made the write fail, so it is ignored here."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


# The temp files of write_atomic (``.<name>.<pid>.<n>.tmp``, ``.<name>.<pid>.tmp`` before) and
# write_new (``.<title>.<pid>.<n>.tmp``): a process killed mid-write leaves one behind.
_TEMP_FILE = re.compile(r"\..+\.\d+(?:\.\d+)?\.tmp")
STALE_AFTER = 3600.0
"""Seconds after which a temp file of ours is a crash leftover (a write takes milliseconds)."""


def stale_temp_files(root: Path, now: float, stale_after: float = STALE_AFTER) -> list[Path]:
    """The assistant's own temp files under ``root`` last written more than ``stale_after``
    seconds before ``now``. Hidden folders (``.obsidian``, ``.git``, ``.trash``) are skipped
    and nothing else is ever matched."""
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if not _TEMP_FILE.fullmatch(name):
                continue
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue  # gone meanwhile
            if S_ISREG(info.st_mode) and now - info.st_mtime > stale_after:
                found.append(path)
    return found


def remove_stale_temp_files(root: Path, now: float) -> list[tuple[Path, str]]:
    """Delete the assistant's stale temp files under ``root`` (see :func:`stale_temp_files`);
    return those that could not be deleted, with the reason."""
    failed = []
    for path in stale_temp_files(root, now):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            failed.append((path, exc.strerror or str(exc)))
    return failed
