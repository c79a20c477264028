"""Reminders delivered on time to every open channel (the terminal chat, the browser, a bridge).

One thread sleeps until the soonest reminder falls due, waking once a second only to look at
the records file's size and time: a reminder set by another process (``assistant remember``
in another terminal, a bridge) is seen within a second, and an idle clock costs nothing. A
due reminder is claimed in one statement (no two processes deliver it) and handed to every
attached channel; when none takes it, it is given back and shown when a channel opens.

Usage::

    clock = ReminderClock(Reminders(db), records_file)
    clock.attach("cli", lambda reminder: print(reminder.text) or True)
    clock.start()
    ...
    clock.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError
from assistant.store.reminders import Reminder, Reminders

log = logging.getLogger(__name__)

Deliver = Callable[[Reminder], bool]
"""Shows or sends one reminder; True when the owner was reached."""


class ReminderClock:
    """Delivers due reminders to the attached channels, on time, once."""

    def __init__(
        self,
        reminders: Reminders,
        watched: Path,
        *,
        clock: Callable[[], float] = time.time,
        poll: float = 1.0,
    ) -> None:
        self.reminders = reminders
        self._watched = [watched, watched.with_name(watched.name + ".wal")]
        self._clock = clock
        self._poll = poll
        self._channels: dict[str, Deliver] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: tuple[tuple[float, int], ...] = ()
        self._failed: set[tuple[str, str]] = set()
        """(reminder, channel) pairs whose failure was logged."""
        self.delivered = 0
        """Reminders delivered since start (for status)."""
        self.failures: dict[str, int] = {}
        """Failed tries to deliver a reminder since start, by channel (for metrics)."""

    def attach(self, name: str, deliver: Deliver) -> None:
        """Deliver to ``deliver`` too, under ``name`` (replacing a channel of that name);
        reminders that waited for a channel are delivered now."""
        with self._lock:
            self._channels[name] = deliver
        self.changed()

    def detach(self, name: str) -> None:
        """Stop delivering to the channel ``name``."""
        with self._lock:
            self._channels.pop(name, None)

    def channels(self) -> list[str]:
        """The names of the attached channels."""
        with self._lock:
            return sorted(self._channels)

    def changed(self) -> None:
        """Look again now (a reminder was set or a channel attached in this process)."""
        self._wake.set()

    def start(self) -> None:
        """Start the clock's thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="reminders", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread; returns within ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def tick(self) -> list[Reminder]:
        """Deliver what is due now; returns what reached at least one channel."""
        with self._lock:
            channels = list(self._channels.items())
        if not channels:
            return []
        delivered: list[Reminder] = []
        missed: list[str] = []
        for reminder in self.reminders.due(self._clock()):
            reached = False
            for name, deliver in channels:
                try:
                    reached = bool(deliver(reminder)) or reached
                except Exception as exc:  # one broken channel never stops the others
                    self.failures[name] = self.failures.get(name, 0) + 1
                    if (reminder.id, name) in self._failed:
                        log.debug("reminder still not delivered to %s: %s", name, exc)
                    else:  # said once per reminder and channel, not on every retry
                        self._failed.add((reminder.id, name))
                        log.warning("reminder not delivered to %s: %s", name, exc)
            if reached:
                delivered.append(reminder)
                self._failed = {f for f in self._failed if f[0] != reminder.id}
            else:
                missed.append(reminder.id)
        self.reminders.unclaim(missed)
        self.reminders.again(delivered, self._clock())  # "every monday": next monday's
        self.delivered += len(delivered)
        return delivered

    def _run(self) -> None:
        next_due: float | None = None
        stale = True
        retry_at = 0.0  # after a round no channel took: try again a little later
        while not self._stop.is_set():
            now = self._clock()
            try:
                if stale or self._records_changed():
                    next_due = self.reminders.next_due()
                    stale = False
                ready = next_due is not None and self._channels and now >= retry_at
                if ready and next_due is not None and next_due <= now:
                    stale = True
                    if self.tick():
                        continue
                    retry_at = now + 5 * self._poll
            except AssistantError as exc:  # a busy or broken store: try again shortly
                log.warning("reminders not checked: %s", exc)
                stale = True
            wait = self._poll
            if next_due is not None and self._channels and now >= retry_at:
                wait = min(wait, next_due - self._clock())
            if self._wake.wait(max(wait, 0.0)):
                self._wake.clear()
                stale = True

    def _records_changed(self) -> bool:
        """Whether another process may have written the records since the last look."""
        seen = []
        for path in self._watched:
            try:
                info = path.stat()
                seen.append((info.st_mtime, info.st_size))
            except OSError:
                seen.append((0.0, -1))
        found = tuple(seen)
        changed, self._seen = found != self._seen, found
        return changed
