"""Run consolidation when the user has been idle, and stop it the moment they are back."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from assistant.consolidation.runner import Consolidator, RunReport

log = logging.getLogger(__name__)

Run = Callable[[threading.Event], RunReport]


class IdleScheduler:
    """Calls ``run(stop)`` after ``idle_seconds`` without :meth:`activity`, in a background
    thread. Activity sets ``stop`` so a run in progress ends within one batch; a run that was
    stopped, or found another process consolidating, is tried again after the next idle
    spell. After a complete run it waits for new activity before running again.

    Usage::

        scheduler = IdleScheduler(lambda stop: consolidator.run(trigger="idle", stop=stop), 600)
        scheduler.start()
        scheduler.activity()   # on every user message
        scheduler.close()
    """

    def __init__(
        self,
        run: Run,
        idle_seconds: float,
        *,
        on_report: Callable[[RunReport], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run = run
        self.idle_seconds = idle_seconds
        self._on_report = on_report
        self._clock = clock
        self._last_activity = clock()
        self._due = True
        """Whether something may have changed since the last complete run."""
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.reports: list[RunReport] = []
        self.running = False
        """Whether a run is in progress now."""

    def start(self) -> None:
        """Start watching for idleness."""
        if self._thread is None and self.idle_seconds > 0:
            self._thread = threading.Thread(target=self._loop, name="consolidation", daemon=True)
            self._thread.start()

    def activity(self) -> None:
        """The user did something: pre-empt a run in progress and restart the idle clock."""
        self._last_activity = self._clock()
        self._due = True
        self._stop.set()

    def close(self, timeout: float = 10.0) -> None:
        """Stop a run in progress and the thread."""
        self._closed = True
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._closed:
            idle = self._clock() - self._last_activity
            if not self._due or idle < self.idle_seconds:
                wait = self.idle_seconds - idle if self._due else self.idle_seconds
                self._wake.wait(max(0.05, min(wait, 30.0)))
                continue
            self._stop.clear()
            self.running = True
            try:
                report = self._run(self._stop)
            except Exception:  # never let a failed run end the scheduler
                log.exception("idle consolidation failed")
                report = RunReport("failed", "idle")
            finally:
                self.running = False
            self.reports.append(report)
            log.info(
                "idle consolidation %s",
                report.status,
                extra={
                    "event": "consolidation_run",
                    "run": report.run_id,
                    "status": report.status,
                    "counts": report.counts,
                    "dollars": round(report.dollars, 6),
                    "duration_ms": round(report.seconds * 1000, 1),
                },
            )
            if report.status in ("done", "failed"):
                self._due = False
            else:  # pre-empted or busy: try again after the next idle spell
                self._last_activity = self._clock()
            if self._on_report is not None:
                self._on_report(report)


def consolidate_when_idle(
    make: Callable[[], Consolidator],
    idle_minutes: float,
    on_report: Callable[[RunReport], None] | None = None,
) -> IdleScheduler | None:
    """Start an :class:`IdleScheduler` whose runs use a fresh ``make()`` each (so a model's
    budget is per run); None when ``idle_minutes`` is 0."""
    if idle_minutes <= 0:
        return None
    scheduler = IdleScheduler(
        lambda stop: make().run(trigger="idle", stop=stop), idle_minutes * 60, on_report=on_report
    )
    scheduler.start()
    return scheduler
