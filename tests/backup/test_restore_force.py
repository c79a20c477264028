"""``restore --force`` never deletes: each restore sets what it replaces aside in a folder
of its own, named after the restore's time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant import Assistant
from assistant.backup.create import create_backup
from assistant.backup.restore import restore_backup
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings, read_settings
from tests.backup.conftest import WHEN, restore_env

RESTORED_AT = datetime(2026, 12, 3, 11, 24, 4, tzinfo=UTC)
"""The injected time of both restores (the same second: the second one needs a suffix)."""


def _holding(folder: Path, text: str) -> list[Path]:
    return [p for p in folder.rglob("*.md") if text in p.read_text(encoding="utf-8")]


def test_a_second_forced_restore_of_the_same_archive_keeps_what_was_added_since(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    with_original = filled.memories.add("Only in the home before the first restore.")
    filled.close()
    home, env = home_settings.home, restore_env(home_settings.home)

    first = restore_backup(
        result.path, {}, env, lambda: "", force=True, embedder=HashEmbedder(), now=RESTORED_AT
    )
    with Assistant(read_settings({}, env), embedder=HashEmbedder()) as assistant:
        assistant.memories.add("Added between the two restores.")
    second = restore_backup(
        result.path, {}, env, lambda: "", force=True, embedder=HashEmbedder(), now=RESTORED_AT
    )

    assert first.ok and second.ok, (first.problems, second.problems)
    asides = sorted(p for p in home.iterdir() if p.name.startswith("replaced-by-restore-"))
    assert [p.name for p in asides] == [
        "replaced-by-restore-2026-12-03T112404",
        "replaced-by-restore-2026-12-03T112404-2",
    ]
    assert (first.set_aside, second.set_aside) == tuple(asides)
    assert _holding(asides[0], with_original.text)  # the first aside is left as it was
    assert not _holding(asides[0], "Added between the two restores.")
    assert _holding(asides[1], "Added between the two restores.")
    assert (asides[1] / "records").is_dir()


def test_a_restore_into_an_empty_home_sets_nothing_aside(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    result = create_backup(home_settings, filled.db, environ={}, target=tmp_path, now=WHEN)
    filled.close()
    fresh = tmp_path / "fresh"

    report = restore_backup(
        result.path, {}, restore_env(fresh), lambda: "", embedder=HashEmbedder(), now=RESTORED_AT
    )

    assert report.ok and report.set_aside is None
    assert not [p for p in fresh.iterdir() if p.name.startswith("replaced-by-restore-")]
