"""``assistant serve`` makes the daily backup in the background and reports how it went."""

from __future__ import annotations

import os
import threading

import pytest

from assistant import Assistant
from assistant.backup.create import local_archives
from assistant.backup.schedule import DailyBackup
from assistant.conversation.reply import Notice
from assistant.conversation.responder import Responder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.service import Service, read_status
from assistant.settings import Settings, read_settings


class Told:
    """The notices a service gave, and an event set by the first warning."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.warned = threading.Event()

    def __call__(self, notice: Notice) -> None:
        self.notices.append(notice)
        if notice.level == "warning":
            self.warned.set()


def _service(assistant: Assistant, settings: Settings, told: Told) -> Service:
    registry = ModelRegistry([], PolicySettings(), BudgetSettings())
    service = Service(Responder(assistant, registry), heartbeat=0.1, on_notice=told, environ={})
    service.backups = DailyBackup(  # the service's, without the minute's wait before looking
        settings,
        assistant.db,
        {},
        on_problem=service._backup_failed,  # noqa: SLF001 (the service's own reporting)
        delay=0,
    )
    return service


def _run_until(service: Service, done: threading.Event) -> None:
    stop = threading.Event()
    runner = threading.Thread(target=service.run, args=(stop,))
    runner.start()
    try:
        assert done.wait(60)
    finally:
        stop.set()
        runner.join(60)


def test_serve_makes_the_daily_backup(filled: Assistant) -> None:
    told = Told()
    service = _service(filled, filled.settings, told)
    folder = filled.settings.backup.folder(filled.settings.home)
    made = threading.Event()

    def watch() -> None:
        while not local_archives(folder) and not made.wait(0.05):
            pass
        made.set()

    threading.Thread(target=watch, daemon=True).start()
    _run_until(service, made)

    assert len(local_archives(folder)) == 1
    assert service.backups.last.startswith("made assistant-backup-")
    assert not told.warned.is_set()
    assert not read_status(filled.settings.home).running


def test_serve_reports_a_failed_daily_backup(
    filled: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_BACKUP_ENCRYPT", "true")  # and no passphrase anywhere
    told = Told()
    service = _service(filled, read_settings({}, dict(os.environ)), told)

    _run_until(service, told.warned)

    warnings = [n.text for n in told.notices if n.level == "warning"]
    assert warnings[0].startswith("The daily backup failed") and "passphrase" in warnings[0]
    assert service.backups.last.startswith("failed")
