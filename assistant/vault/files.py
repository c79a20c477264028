"""Safe file names and atomic writes inside the vault."""

from __future__ import annotations

import errno
import itertools
import os
import re
import shutil
import unicodedata
from pathlib import Path

from assistant.errors import StorageFullError, StoreError

_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
MAX_TITLE = 60
_COUNTER = itertools.count()


def note_title(text: str) -> str:
    """A readable, OS-safe file title from the first words of a memory's text."""
    first = unicodedata.normalize("NFC", text.strip().splitlines()[0] if text.strip() else "")
    cleaned = _UNSAFE.sub(" ", first)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    if len(cleaned) > MAX_TITLE:
        cut = cleaned[:MAX_TITLE]
        cleaned = (cut.rsplit(" ", 1)[0] if " " in cut[20:] else cut).strip(" .")
    if not cleaned or cleaned.startswith("."):
        cleaned = "Memory " + cleaned.lstrip(".")
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned += " note"
    return cleaned.strip()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a hidden temp file and a rename, so no reader
    (Obsidian, another process) ever sees a half-written note."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise storage_error(exc, path) from exc


def write_new(directory: Path, title: str, suffix: str, text: str) -> Path:
    """Write a new note as ``<title>.md`` (or ``<title> <suffix>.md`` if taken) and return it.

    The text goes to a hidden temp file that is then hard-linked to the final name: the link
    appears complete or not at all and never replaces an existing file, so two processes
    naming a note alike never share one.
    """
    tmp = directory / f".{title[:40]}.{os.getpid()}.{next(_COUNTER)}.tmp"
    try:
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
        tmp.unlink(missing_ok=True)
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


def storage_error(exc: OSError, path: Path) -> StoreError:
    """Translate an OS error into the core's error with a one-line explanation."""
    if exc.errno == errno.ENOSPC:
        return StorageFullError(f"the disk is full: cannot write {path}", title="Disk full")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageFullError(f"{path} is not writable ({exc.strerror})", title="Read-only")
    return StoreError(f"cannot write {path}: {exc.strerror or exc}")
