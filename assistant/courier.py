"""The worker behind a bridge: answers its inbox and sends its outbox, each on its own thread,
so a slow answer never holds up a reply already queued (and the webhook or gateway that took
the message never waits for either).

Usage::

    courier = Courier(inbox, outbox, answer=lambda m: [host.answer(m.text, ...)], send=post)
    courier.start()          # answers what a previous run left pending, too
    inbox.accept(...); courier.wake()
    courier.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from assistant.inbox import Inbound, Inbox, Outbox, Outgoing, SendFailed
from assistant.owners import redact

log = logging.getLogger(__name__)

IDLE = 60.0
"""Seconds a loop sleeps when nothing is due (a wake cuts it short)."""


class _Loop:
    """A thread that runs ``work`` until stopped; ``work`` returns the seconds until it has
    more to do (None: nothing until woken)."""

    def __init__(self, name: str, work: Callable[[], float | None]) -> None:
        self._work = work
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                wait = self._work()
            except Exception as exc:  # a store hiccup: log, and try again shortly
                log.warning("%s: %s", self._thread.name, exc)
                wait = 5.0
            if self._stop.is_set():
                return
            self._wake.wait(IDLE if wait is None else max(0.0, min(wait, IDLE)))


class Courier:
    """Answers ``inbox`` with ``answer`` and sends ``outbox`` with ``send``."""

    def __init__(
        self,
        inbox: Inbox,
        outbox: Outbox,
        *,
        answer: Callable[[Inbound], Sequence[str]],
        send: Callable[[Outgoing], None],
        on_given_up: Callable[[Outgoing], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inbox = inbox
        self.outbox = outbox
        self._answer = answer
        self._send = send
        self._on_given_up = on_given_up
        self._clock = clock
        self._answering = _Loop(f"{inbox.channel}-answer", self.answer_pending)
        self._sending = _Loop(f"{inbox.channel}-send", self.send_due)
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start both threads; whatever a previous run left pending is answered first."""
        self._answering.start()
        self._sending.start()

    def wake(self) -> None:
        """Look at the inbox and the outbox now (a message arrived or was queued)."""
        self._answering.wake()
        self._sending.wake()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both threads; an answer in progress stays pending and is answered after the
        next start."""
        self._stopping.set()
        self._answering.stop(timeout)
        self._sending.stop(timeout)

    def answer_pending(self) -> None:
        """Answer every pending message, queueing each answer as it is ready."""
        for message in self.inbox.pending():
            if self._stopping.is_set():
                return None
            try:
                parts = self._answer(message)
            except Exception as exc:  # answering raised: give it up rather than loop on it
                if self._stopping.is_set():
                    return None  # shutting down under it: answered after the next start
                log.warning(
                    "could not answer a message on %s from %s: %s",
                    message.channel,
                    redact(message.sender),
                    exc,
                )
                self.inbox.drop(message, type(exc).__name__)
                continue
            if self._stopping.is_set():
                return None  # the assistant may be closing: answer again after the next start
            self.inbox.answer(message, parts, self.outbox)
            self._sending.wake()
        return None

    def send_due(self) -> float | None:
        """Send every queued message whose time has come; the seconds until the next one."""
        held: set[str] = set()  # recipients whose earlier piece failed: keep the order
        due, following = self.outbox.schedule()
        for message in due:
            if message.recipient in held:
                continue
            try:
                self._send(message)
            except SendFailed as exc:
                held.add(message.recipient)
                self._failed(message, exc)
            except Exception as exc:  # a transport bug or a dropped connection: retry it
                held.add(message.recipient)
                self._failed(message, SendFailed(f"{type(exc).__name__}: {exc}"))
            else:
                self.outbox.sent(message)
        if held:
            following = self.outbox.next_try()  # a failed piece was given its retry time
        return None if following is None else following - self._clock()

    def _failed(self, message: Outgoing, error: SendFailed) -> None:
        if not self.outbox.failed(message, error):
            log.info("sending to %s failed, will retry: %s", redact(message.recipient), error)
            return
        log.error(
            "gave up sending a message on %s to %s: %s",
            message.channel,
            redact(message.recipient),
            error,
        )
        if self._on_given_up is not None:
            self._on_given_up(message)
