"""The daily backup ``serve`` makes, and what ``doctor`` says about backups (injected clock)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.backup.create import local_archives
from assistant.backup.schedule import DAY, DailyBackup, describe_last
from assistant.doctor import run_checks
from assistant.settings import Settings, read_settings
from tests.backup.conftest import WHEN


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_a_backup_is_made_once_a_day(filled: Assistant, home_settings: Settings) -> None:
    clock = Clock(WHEN.timestamp())
    problems: list[str] = []
    daily = DailyBackup(home_settings, filled.db, {}, on_problem=problems.append, clock=clock)

    first = daily.run_once()
    clock.now += 3600
    assert daily.run_once() is None  # an hour later: not due
    clock.now += DAY
    second = daily.run_once()

    assert first is not None and second is not None and not problems
    assert first.verified and second.path != first.path
    folder = home_settings.backup.folder(home_settings.home)
    assert [p.name for p in local_archives(folder)] == [first.path.name, second.path.name]
    ok, detail, _ = describe_last(filled.db, home_settings, clock.now)
    assert ok and second.path.name in detail


def test_a_failed_daily_backup_is_reported_and_retried_an_hour_later(
    filled: Assistant, home_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_BACKUP_ENCRYPT", "true")  # but no passphrase anywhere
    settings = read_settings({}, dict(os.environ))
    clock = Clock(WHEN.timestamp())
    problems: list[str] = []
    daily = DailyBackup(settings, filled.db, {}, on_problem=problems.append, clock=clock)

    assert daily.run_once() is None
    assert problems and "passphrase" in problems[0]
    assert daily.last.startswith("failed")
    ok, detail, fix = describe_last(filled.db, settings, clock.now)
    assert not ok and "failed" in detail and fix == "assistant backup create"
    checks = {c.name: c for c in run_checks(filled, {})}
    assert not checks["backup"].ok

    clock.now += 600
    assert not daily.due()
    clock.now += 3600
    assert daily.due()


def test_doctor_says_when_there_is_no_backup_yet(filled: Assistant) -> None:
    checks = {c.name: c for c in run_checks(filled, {})}
    assert checks["backup"].ok
    assert checks["backup"].detail == "no backup yet"


def test_backups_are_off_when_the_schedule_says_so(
    filled: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_BACKUP_SCHEDULE", "off")
    settings = read_settings({}, dict(os.environ))
    daily = DailyBackup(settings, filled.db, {})
    daily.start()
    assert not daily.enabled
    daily.stop()
