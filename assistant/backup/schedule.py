"""The daily backup a running ``assistant serve`` makes, and what health checks say about
backups.

Usage::

    daily = DailyBackup(assistant.settings, assistant.db, os.environ, on_problem=log.warning)
    daily.start()          # looks after a minute, then every ten, whether one is due
    ...
    daily.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from assistant.backup.create import BackupResult, create_backup
from assistant.backup.crypto import find_passphrase
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.store.backup_runs import BackupLog, BackupRun
from assistant.store.database import Database

log = logging.getLogger(__name__)

DAY = 86_400.0
RETRY = 3_600.0
"""Seconds after a failed scheduled backup before the next try."""


class DailyBackup:
    """Makes a backup when the last scheduled one is a day old (an hour after a failure)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        environ: Mapping[str, str],
        *,
        on_problem: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        poll: float = 600.0,
        delay: float = 60.0,
    ) -> None:
        self.settings = settings
        self._db = db
        self._environ = environ
        self._on_problem = on_problem or (lambda problem: log.warning("%s", problem))
        self._clock = clock
        self._poll = poll
        self._delay = delay
        """Seconds after :meth:`start` before the first look: starting up comes first."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: str = ""
        """What the last scheduled backup of this process did, for the status page."""

    @property
    def enabled(self) -> bool:
        """Whether the settings ask for daily backups."""
        return self.settings.backup.schedule == "daily"

    def due(self) -> bool:
        """Whether a scheduled backup is due now."""
        last = BackupLog(self._db).last(trigger="schedule")
        if last is None:
            return True
        wait = RETRY if last.status == "failed" else DAY - 60  # a minute's slack a day
        return self._clock() - last.started >= wait

    def run_once(self) -> BackupResult | None:
        """Make the backup if one is due; a failure is logged, reported and returned as
        None (the next try comes an hour later)."""
        if not self.due():
            return None
        started = self._clock()
        try:
            passphrase = find_passphrase(self._environ) if self.settings.backup.encrypt else None
            result = create_backup(
                self.settings,
                self._db,
                environ=self._environ,
                passphrase=passphrase,
                verify=True,
                now=datetime.fromtimestamp(started, UTC),
                trigger="schedule",
            )
        except AssistantError as exc:
            self.last = f"failed: {exc}"
            if "passphrase" in exc.title.lower():
                failed = BackupRun(started, self._clock(), "failed", "schedule", error=str(exc))
                _quietly(BackupLog(self._db), failed)
            self._on_problem(f"the daily backup failed: {exc}")
            return None
        self.last = f"made {result.path.name}"
        for problem in result.problems:
            self._on_problem(f"the daily backup {result.path.name}: {problem}")
        return result

    def start(self) -> None:
        """Look after ``delay`` seconds, then every ``poll`` seconds, until :meth:`stop`."""
        if not self.enabled or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="daily-backup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking (a backup under way finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=120)
            self._thread = None

    def _loop(self) -> None:
        if self._stop.wait(self._delay):
            return
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # a bug here must never take serve down
                log.exception("daily backup failed")
                self._on_problem(f"the daily backup failed: {exc}")
            if self._stop.wait(self._poll):
                return


def _quietly(runs: BackupLog, run: BackupRun) -> None:
    try:
        runs.record(run)
    except AssistantError as exc:
        log.warning("backup not logged: %s", exc)


def describe_last(db: Database, settings: Settings, now: float) -> tuple[bool, str, str]:
    """For ``doctor``: whether backups are healthy, what the last one was, and the fix."""
    runs = BackupLog(db)
    last = runs.last()
    if last is None:
        return True, "no backup yet", "assistant backup create"
    made = runs.last(status="ok") or runs.last(status="partial")
    when = _ago(now - last.started)
    if last.status == "failed":
        return False, f"the last backup ({when}) failed: {last.error}", "assistant backup create"
    detail = f"last backup {when}: {last.archive}"
    if last.status == "partial":
        return False, f"{detail}; {last.error}", "check the [backup] s3 settings and credentials"
    stale = (
        settings.backup.schedule == "daily" and made is not None and now - made.started > 3 * DAY
    )
    if stale:
        return False, f"{detail}, over three days ago", "run `assistant serve`, or `backup create`"
    return True, detail, ""


def _ago(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(seconds, 0) / 60:.0f} min ago"
    if seconds < 2 * DAY:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / DAY:.0f} days ago"
