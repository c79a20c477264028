"""Backup → wipe → restore gives back the same memories, reminders, conversations and costs."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.backup.archive import read_manifest, verify_archive
from assistant.backup.create import create_backup
from assistant.backup.errors import RestoreRefused
from assistant.backup.restore import restore_backup
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings, read_settings
from tests.backup.conftest import WHEN, fingerprint, restore_env

PASSPHRASE = "correct horse battery staple"


def _restored(home: Path) -> dict[str, object]:
    settings = read_settings({}, restore_env(home))
    with Assistant(settings, embedder=HashEmbedder()) as assistant:
        return fingerprint(assistant)


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_backup_wipe_restore_gives_everything_back(
    filled: Assistant, home_settings: Settings, tmp_path: Path, passphrase: str | None
) -> None:
    before = fingerprint(filled)
    target = tmp_path / "backups"
    result = create_backup(
        home_settings, filled.db, environ={}, target=target, passphrase=passphrase, now=WHEN
    )
    filled.close()
    assert result.path.parent == target
    assert result.path.name.endswith(".tar.gz.enc" if passphrase else ".tar.gz")
    counts = result.manifest.counts
    assert (counts.memories, counts.turns, counts.reminders, counts.costs) == (3, 2, 1, 1)

    home = home_settings.home
    shutil.rmtree(home)
    report = restore_backup(
        result.path, {}, restore_env(home), lambda: passphrase or "", embedder=HashEmbedder()
    )

    assert report.ok, report.problems
    assert report.counts == counts
    assert _restored(home) == before
    assert not (home / ".restore").exists()


def test_archive_holds_a_manifest_of_every_file_and_no_secret(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    home = home_settings.home
    (home / "keys.json").write_text('{"anthropic": "sk-ant-api03-keysjsonsecret"}')
    (home / "config.toml").write_text('extractor = "rules"\n')
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)

    with tarfile.open(result.path) as tar:
        names = tar.getnames()
        raw = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert names[0] == "manifest.json"
    listed = {f.path for f in result.manifest.files}
    assert set(names[1:]) == listed
    assert {"config.toml", "records/records.duckdb"} <= listed
    assert any(p.startswith("vault/Assistant/Memories/") for p in listed)
    assert not any("keys.json" in p or p.startswith(("index/", "cache/")) for p in listed)
    assert b"keysjsonsecret" not in raw
    assert verify_archive(result.path, lambda: "") == read_manifest(result.path, lambda: "")


def test_a_secret_written_in_config_toml_stays_out(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    config = home_settings.home / "config.toml"
    config.write_text('# password: hunter2hunter2\nextractor = "rules"\n')
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)

    with tarfile.open(result.path) as tar:
        copied = tar.extractfile("config.toml").read().decode()
    assert "hunter2hunter2" not in copied
    assert 'extractor = "rules"' in copied


def test_restore_refuses_a_home_that_is_not_empty(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    other = tmp_path / "other"
    (other / "vault").mkdir(parents=True)
    (other / "vault" / "mine.md").write_text("my own note")

    with pytest.raises(RestoreRefused, match="not empty"):
        restore_backup(result.path, {}, restore_env(other), lambda: "", embedder=HashEmbedder())
    assert (other / "vault" / "mine.md").read_text() == "my own note"
    assert not (other / ".restore").exists()

    report = restore_backup(
        result.path, {}, restore_env(other), lambda: "", force=True, embedder=HashEmbedder()
    )
    assert report.ok, report.problems
    aside = [p for p in other.iterdir() if p.name.startswith("replaced-by-restore-")]
    assert len(aside) == 1
    assert (aside[0] / "vault" / "mine.md").read_text() == "my own note"


def test_restore_into_another_home_leaves_logs_alone(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    fresh = tmp_path / "fresh"
    (fresh / "logs").mkdir(parents=True)  # the CLI opens its log before the command runs

    report = restore_backup(
        result.path, {"home": str(fresh)}, {}, lambda: "", embedder=HashEmbedder()
    )

    assert report.ok, report.problems
    assert report.home == fresh.resolve()
    assert report.counts.memories == 3


def test_a_home_holding_only_its_backups_counts_as_empty(
    filled: Assistant, home_settings: Settings
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, now=WHEN)  # <home>/backups
    filled.close()
    home = home_settings.home
    for part in home.iterdir():
        if part.name != "backups":
            shutil.rmtree(part) if part.is_dir() else part.unlink()

    report = restore_backup(result.path, {}, restore_env(home), lambda: "", embedder=HashEmbedder())

    assert report.ok, report.problems
    assert result.path.exists()
