"""Backups and a new home are private to their owner: archives 0600 from the moment they
are created, the backups folder, the home, its records and its index 0700; an existing home
that others can read is tightened, never loosened."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, paths
from assistant.backup.archive import write_archive
from assistant.backup.create import create_backup
from assistant.backup.manifest import Counts, FileEntry, Manifest
from assistant.backup.restore import restore_backup
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings
from tests.backup.conftest import WHEN, restore_env


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give a user (files 0644, folders 0755 unless told)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _private_home(home: Path) -> None:
    assert _mode(home) == 0o700
    assert _mode(paths.records_dir(home)) == 0o700
    assert _mode(paths.index_dir(home)) == 0o700


@pytest.mark.parametrize("passphrase", [None, "pw"], ids=["plain", "encrypted"])
def test_archives_are_0600_in_a_0700_folder(
    filled: Assistant, home_settings: Settings, passphrase: str | None
) -> None:
    result = create_backup(
        home_settings, filled.db, environ={}, passphrase=passphrase, now=WHEN
    )  # into <home>/backups, made by the backup

    assert _mode(result.path) == 0o600
    assert _mode(result.path.parent) == 0o700
    assert result.path.parent == home_settings.home / "backups"


def test_a_new_home_is_private(home_settings: Settings) -> None:
    assert not home_settings.home.exists()

    with Assistant(home_settings, embedder=HashEmbedder()) as assistant:
        assistant.memories.add("My sister Anna lives in Lyon.")

    _private_home(home_settings.home)
    assert _mode(paths.cache_dir(home_settings.home)) == 0o700


def test_a_restored_home_is_private(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    filled.close()
    fresh = tmp_path / "fresh"

    report = restore_backup(
        result.path, {}, restore_env(fresh), lambda: "", embedder=HashEmbedder()
    )

    assert report.ok, report.problems
    _private_home(fresh)


def test_an_existing_home_is_tightened_once_and_never_loosened(
    home_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    home = home_settings.home
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)

    with caplog.at_level(logging.INFO), Assistant(home_settings, embedder=HashEmbedder()):
        pass
    tightened = [r for r in caplog.records if str(home) in r.getMessage()]
    assert _mode(home) == 0o700 and len(tightened) == 1
    assert "0755" in tightened[0].getMessage() and "0700" in tightened[0].getMessage()

    caplog.clear()
    with caplog.at_level(logging.INFO), Assistant(home_settings, embedder=HashEmbedder()):
        pass
    assert not [r for r in caplog.records if str(home) in r.getMessage()]  # once

    os.chmod(home, 0o500)  # the owner's own choice, stricter still: left as it is
    try:
        paths.private_dir(home)
        assert _mode(home) == 0o500
    finally:
        os.chmod(home, 0o700)


def test_a_file_where_the_home_should_be_is_left_as_it_is(tmp_path: Path) -> None:
    """A home pointed at a file by mistake is refused; the file keeps its mode."""
    stray = tmp_path / "notes.txt"
    stray.write_text("mine", encoding="utf-8")
    os.chmod(stray, 0o644)
    with pytest.raises(NotADirectoryError):
        paths.private_dir(stray)
    assert _mode(stray) == 0o644


def test_the_command_line_makes_a_new_home_private(env: dict[str, str]) -> None:
    from typer.testing import CliRunner

    from assistant_cli.main import build_app

    home = Path(env["ASSISTANT_HOME"])
    done = CliRunner().invoke(build_app(), ["backup", "list"], env={"ASSISTANT_EMBEDDER": "hash"})

    assert done.exit_code == 0, done.stderr
    assert _mode(home) == 0o700  # the log file is the first thing written in it


@pytest.mark.parametrize("passphrase", [None, "pw"], ids=["plain", "encrypted"])
def test_an_archive_is_0600_while_it_is_being_written(
    tmp_path: Path, passphrase: str | None
) -> None:
    staging, folder = tmp_path / "staging", tmp_path / "out"
    (staging / "records").mkdir(parents=True)
    os.mkfifo(staging / "records" / "slow")  # the write waits here until we have looked
    data = b"hello"
    entry = FileEntry("records/slow", len(data), hashlib.sha256(data).hexdigest())
    manifest = Manifest(WHEN.isoformat(), "test", Counts(), (entry,))
    seen: list[int] = []

    def look_then_feed() -> None:
        deadline = time.monotonic() + 30
        while not (partial := list(folder.glob(".*.partial"))) and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.extend(_mode(p) for p in partial)
        with open(staging / "records" / "slow", "wb") as fifo:
            fifo.write(data)

    feeder = threading.Thread(target=look_then_feed)
    feeder.start()
    folder.mkdir()
    path = write_archive(staging, manifest, folder / "a.tar.gz", passphrase)
    feeder.join()

    assert seen == [0o600]
    assert _mode(path) == 0o600
