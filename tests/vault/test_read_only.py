"""A vault that cannot be written: clear errors, nothing lost, reads and the watcher go on."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import ReadOnlyError, StorageFullError, StoreError, storage_error
from assistant.vault import files
from tests.vault.test_watch import wait_for


@contextmanager
def read_only(root: Path) -> Iterator[None]:
    """Make every folder under ``root`` refuse new entries: by permissions for a normal user,
    with the immutable attribute for root (which permissions do not stop)."""
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    if os.geteuid() != 0:
        for folder in folders:
            folder.chmod(0o555)
        try:
            yield
        finally:
            for folder in folders:
                folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make the vault read-only")
    locked: list[Path] = []
    try:
        for folder in folders:
            subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
            locked.append(folder)
    except subprocess.CalledProcessError:
        for folder in locked:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        pytest.skip("this filesystem cannot mark folders immutable")
    try:
        yield
    finally:
        for folder in locked:
            subprocess.run(["chattr", "-i", str(folder)], check=False)


def test_a_read_only_vault_refuses_writes_clearly_and_keeps_working(hashed: Assistant) -> None:
    m = hashed.memories
    kept = m.add("My sister Anna lives in Lyon", tags=["family"])
    hashed.refresh_pages()
    watcher = hashed.watch_vault()
    note = hashed.settings.vault / kept.path  # type: ignore[operator]
    before = note.read_text()
    with read_only(hashed.settings.vault):
        with pytest.raises(ReadOnlyError) as raised:
            m.add("The spare key is under the blue pot")
        assert raised.value.title == "Read-only" and "not writable" in str(raised.value)
        with pytest.raises(ReadOnlyError):
            m.forget(kept.id)
        assert [x.text for x in m.list()] == ["My sister Anna lives in Lyon"]
        assert m.search("Anna", k=1, touch=False)[0].memory.id == kept.id
        assert m.pending_changes().pending == 0
        hashed.refresh_pages(everything=True)  # logged, never raised
        assert watcher.alive
    assert note.read_text() == before, "nothing half-written"
    assert not [p for p in hashed.settings.vault.rglob("*.tmp")], "no temp files left"
    added = m.add("The spare key is under the blue pot")
    wait_for(lambda: m.get(added.id).text == "The spare key is under the blue pot")
    assert watcher.alive


def test_a_failed_clean_up_never_hides_why_a_write_failed(tmp_path: Path) -> None:
    # A directory where the temp file goes: writing it fails, and so does removing it (as
    # removing anything does on a read-only disk).
    note = tmp_path / "note.md"
    blocker = tmp_path / f".note.md.{os.getpid()}.{next(files._COUNTER) + 1}.tmp"
    (blocker / "inside").mkdir(parents=True)
    with pytest.raises(StoreError, match="cannot write"):
        files.write_atomic(note, "text")
    folder = tmp_path / "notes"
    (folder / f".Title.{os.getpid()}.{next(files._COUNTER) + 1}.tmp" / "inside").mkdir(parents=True)
    with pytest.raises(StoreError, match="cannot write"):
        files.write_new(folder, "Title", "2", "text")
    assert not note.exists() and not (folder / "Title.md").exists()


@pytest.mark.parametrize(
    ("error", "kind", "title"),
    [
        (OSError(errno.EROFS, "Read-only file system"), ReadOnlyError, "Read-only"),
        (OSError(errno.EACCES, "Permission denied"), ReadOnlyError, "Read-only"),
        (OSError(errno.ENOSPC, "No space left on device"), StorageFullError, "Disk full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), StorageFullError, "Disk full"),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            ReadOnlyError,
            "Read-only",
        ),
        (sqlite3.OperationalError("database or disk is full"), StorageFullError, "Disk full"),
        (OSError(errno.EIO, "Input/output error"), StoreError, "Storage error"),
    ],
)
def test_read_only_and_a_full_disk_are_told_apart(
    tmp_path: Path, error: Exception, kind: type[StoreError], title: str
) -> None:
    translated = storage_error(error, tmp_path / "note.md")
    assert type(translated) is kind and translated.title == title
    assert str(tmp_path / "note.md") in str(translated)
