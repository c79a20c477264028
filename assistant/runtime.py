"""The runtime: one running home, started the same way by ``assistant chat``, the browser and
``assistant serve``.

Starting it catches up with vault edits made while nothing ran, then keeps watching the vault,
keeps its git history, consolidates when the user is idle (with the configured model, billed),
delivers reminders on time to every attached channel, and now and then writes first (a
check-in, rare by design: ``assistant.companion.proactive``). Stopping it keeps the session's
emotional moments and stops the background work; the assistant and responder are closed by
whoever opened them.

Usage::

    runtime = Runtime(responder, on_problem=print)
    for notice in runtime.start():
        print(notice.text)
    runtime.attach("cli", lambda notice: print(notice.text))
    ...
    runtime.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo

from assistant import paths
from assistant.companion.proactive import ProactiveManager
from assistant.conversation.commands import format_reminder
from assistant.conversation.reply import Notice
from assistant.conversation.responder import Responder
from assistant.reminder_clock import ReminderClock
from assistant.store.reminders import Reminder
from assistant.vault.sync import SyncReport

log = logging.getLogger(__name__)

Show = Callable[[Notice], object]
"""How a channel shows a notice to the owner (returns anything; raising means not shown)."""


@dataclass
class RuntimeState:
    """What a running home is doing, for ``assistant serve --check`` and the status page."""

    started: bool = False
    watching: bool = False
    channels: list[str] = field(default_factory=list)
    reminders_delivered: int = 0
    checkins_sent: int = 0
    consolidation: str = "off"
    """``off``, ``waiting`` (for the user to be idle) or ``running``."""


def reminder_notice(reminder: Reminder) -> Notice:
    """The notice that shows a due reminder."""
    line = format_reminder(reminder.id, reminder.text, reminder.due, reminder.repeat).lstrip("• ")
    return Notice("Reminder: " + line, "warning")


class Runtime:
    """A running home: background work and the channels it reaches the owner on."""

    def __init__(
        self,
        responder: Responder,
        *,
        on_problem: Callable[[str], None] | None = None,
        poll: float = 1.0,
        clock: Callable[[], float] = time.time,
        zone: tzinfo | None = None,
    ) -> None:
        self.responder = responder
        self.assistant = responder.assistant
        self._on_problem = on_problem or (lambda problem: log.warning("%s", problem))
        self.clock = ReminderClock(
            responder.reminders, paths.records_file(self.assistant.settings.home), poll=poll
        )
        self.checkins = ProactiveManager.of(responder, clock=clock, zone=zone)
        """Writes first when it should (check-ins), on ``clock`` in local time (or ``zone``)."""
        self._lock = threading.Lock()
        self._started = False
        self._stopped = False
        self.caught_up: SyncReport | None = None
        """What the start-up sync with the vault found."""

    def start(self, *, consolidate: bool = True) -> list[Notice]:
        """Catch up and start the background work (once); returns what the owner should hear
        first: vault changes picked up, what idle consolidation did, what waits for review.
        Slow on a large vault: front-ends call it off their first paint."""
        with self._lock:
            if self._started:
                return []
            self._started = True
        self.clock.start()
        self.checkins.start()
        report = self.caught_up = self.assistant.sync_vault()
        self.assistant.watch_vault(self._on_problem)
        self.assistant.keep_history(self._on_problem)
        found = self.responder.while_away()
        if consolidate:
            self.responder.consolidate_when_idle()
        if report.pending:
            changes = "a vault change" if report.pending == 1 else f"{report.pending} vault changes"
            found.append(Notice(f"Picked up {changes} made while I was away."))
        if report.invalid:
            found.append(
                Notice(f"{len(report.invalid)} notes could not be read: assistant vault status")
            )
        return found

    def attach(self, channel: str, show: Show) -> None:
        """Deliver reminders and check-ins to ``show`` too; a reminder already due, or a
        check-in written while no channel was open, is delivered at once."""

        def deliver(reminder: Reminder) -> bool:
            show(reminder_notice(reminder))
            return True

        self.clock.attach(channel, deliver)
        self.checkins.attach(channel, show)

    def detach(self, channel: str) -> None:
        """Stop delivering to ``channel`` (it closed)."""
        self.clock.detach(channel)
        self.checkins.detach(channel)

    def activity(self) -> None:
        """The owner did something: idle work yields to them, check-ins wait."""
        self.checkins.activity()
        if self.responder.scheduler is not None:
            self.responder.scheduler.activity()

    def state(self) -> RuntimeState:
        """What it is doing now."""
        scheduler = self.responder.scheduler
        consolidation = "off"
        if scheduler is not None:
            consolidation = "running" if scheduler.running else "waiting"
        return RuntimeState(
            started=self._started,
            watching=self.assistant.watching,
            channels=self.clock.channels(),
            reminders_delivered=self.clock.delivered,
            checkins_sent=self.checkins.state.sent,
            consolidation=consolidation,
        )

    def stop(self) -> list[Notice]:
        """End the session (once): stop delivering and consolidating, keep the session's
        emotional moments. Returns what was kept."""
        with self._lock:
            if self._stopped:
                return []
            self._stopped = True
        self.clock.stop()
        self.checkins.stop()
        if self.responder.scheduler is not None:
            self.responder.scheduler.close()
        return self.responder.keep_moments() if self._started else []
