"""Retention keeps the newest backup of each recent day, week and month (injected dates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant import Assistant
from assistant.backup.create import create_backup, local_archives
from assistant.backup.manifest import archive_name, archive_order
from assistant.backup.retention import expired, kept
from assistant.backup.settings import BackupSettings
from assistant.settings import Settings

NOW = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)  # a Sunday


def _names(*moments: datetime) -> list[str]:
    return [archive_name(m, encrypted=False, scheduled=True) for m in moments]


def test_the_newest_of_each_of_the_last_days_is_kept() -> None:
    daily = [NOW - timedelta(days=d) for d in range(10)]
    twice = NOW - timedelta(days=1, hours=2)  # an earlier backup on a kept day
    names = _names(*daily, twice)

    keep = kept(names, NOW, BackupSettings(keep_daily=3, keep_weekly=0, keep_monthly=0))

    assert keep == set(_names(*daily[:3]))
    assert archive_name(twice, encrypted=False, scheduled=True) in expired(
        names, NOW, BackupSettings(keep_daily=3, keep_weekly=0, keep_monthly=0)
    )


def test_weeks_and_months_keep_the_newest_of_each() -> None:
    every_day = [NOW - timedelta(days=d) for d in range(400)]
    names = _names(*every_day)
    policy = BackupSettings(keep_daily=7, keep_weekly=4, keep_monthly=12)

    keep = kept(names, NOW, policy)

    days = {NOW - timedelta(days=d) for d in range(7)}
    # Sundays end ISO weeks: the newest of each of the last four weeks is a Sunday (or today)
    weeks = {NOW - timedelta(days=7 * w) for w in range(4)}
    months = set()
    for m in range(12):
        year, month = (
            (NOW.year, NOW.month - m) if NOW.month - m > 0 else (NOW.year - 1, NOW.month - m + 12)
        )
        newest = max(d for d in every_day if (d.year, d.month) == (year, month))
        months.add(newest)
    assert keep == set(_names(*(days | weeks | months)))
    assert len(keep) == len(days | weeks | months) < 7 + 4 + 12


def test_other_files_and_archives_from_a_clock_ahead_are_never_removed() -> None:
    ahead = NOW + timedelta(days=2)
    names = [*_names(NOW - timedelta(days=40), ahead), "notes.txt", "assistant-backup-x.tar.gz"]

    gone = expired(names, NOW, BackupSettings(keep_daily=1, keep_weekly=0, keep_monthly=0))

    assert gone == _names(NOW - timedelta(days=40))


def test_a_scheduled_backup_prunes_the_folder(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    firsts = [datetime(2026 - (m > 2), (2 - m) % 12 + 1, 1, tzinfo=UTC) for m in range(15)]
    old = _names(*firsts)  # the first of each month, from March 2026 back to January 2025
    for name in old:
        (folder / name).write_bytes(b"an older archive")
    (folder / "README.txt").write_text("mine")

    result = create_backup(
        home_settings, filled.db, environ={}, target=folder, now=NOW, trigger="schedule"
    )

    policy = home_settings.backup
    assert (policy.keep_daily, policy.keep_weekly, policy.keep_monthly) == (7, 4, 12)
    # twelve months (this one by today's backup), so the three oldest firsts go
    assert sorted(result.removed) == sorted(old[-3:])
    remaining = {p.name for p in local_archives(folder)}
    assert remaining == {result.path.name, *old[:-3]}
    assert (folder / "README.txt").read_text() == "mine"


def test_manual_archives_are_neither_counted_nor_removed_by_retention() -> None:
    manual = [archive_name(NOW - timedelta(days=d), encrypted=False) for d in range(5)]
    scheduled = [
        archive_name(NOW - timedelta(days=d, hours=1), encrypted=False, scheduled=True)
        for d in range(5)
    ]
    policy = BackupSettings(keep_daily=2, keep_weekly=0, keep_monthly=0)

    gone = expired(manual + scheduled, NOW, policy)

    assert gone == sorted(scheduled[2:], key=archive_order)  # two scheduled days kept
    assert not set(gone) & set(manual)


def _keeping_one_day(settings: Settings) -> Settings:
    return replace(settings, backup=BackupSettings(keep_daily=1, keep_weekly=0, keep_monthly=0))


def test_a_manual_backup_removes_no_other_backup(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    folder, settings = tmp_path / "backups", _keeping_one_day(home_settings)
    earlier = create_backup(settings, filled.db, environ={}, target=folder, now=NOW)
    old = archive_name(NOW - timedelta(days=400), encrypted=False, scheduled=True)
    (folder / old).write_bytes(b"a scheduled archive retention would remove")

    later = create_backup(
        settings, filled.db, environ={}, target=folder, now=NOW + timedelta(hours=2)
    )

    assert later.removed == ()
    assert {p.name for p in local_archives(folder)} == {earlier.path.name, later.path.name, old}


def test_the_scheduled_backup_applies_retention_to_scheduled_archives_only(
    filled: Assistant, home_settings: Settings, tmp_path: Path
) -> None:
    folder, settings = tmp_path / "backups", _keeping_one_day(home_settings)
    manual = create_backup(settings, filled.db, environ={}, target=folder, now=NOW)
    old = archive_name(NOW - timedelta(days=400), encrypted=False, scheduled=True)
    (folder / old).write_bytes(b"a scheduled archive retention removes")

    daily = create_backup(
        settings, filled.db, environ={}, target=folder, now=NOW, trigger="schedule"
    )

    assert "-scheduled" in daily.path.name and "-scheduled" not in manual.path.name
    assert daily.removed == (old,)
    assert {p.name for p in local_archives(folder)} == {manual.path.name, daily.path.name}
