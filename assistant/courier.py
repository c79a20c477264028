"""The worker behind a bridge: answers its inbox and sends its outbox, each on its own thread,
so a slow answer never holds up a reply already queued (and the webhook or gateway that took
the message never waits for either).

The store is the record and the threads hand work to each other in memory: a message just
kept is handed to the answering thread, and the answer just queued to the sending thread,
without either reading it back. The store is read at start (what a previous run left), when
woken (something else queued there), when a retry is due, and after a failure.

Usage::

    courier = Courier(inbox, outbox, answer=lambda m: [host.answer(m.text, ...)], send=post)
    courier.start()          # answers what a previous run left pending, too
    courier.hand(inbox.keep(...))     # a message just kept: answered without a read
    outbox.queue(...); courier.wake() # anything else queued in the store
    courier.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from assistant.inbox import Inbound, Inbox, Outbox, Outgoing, SendFailed
from assistant.owners import redact

log = logging.getLogger(__name__)

IDLE = 60.0
"""Seconds a loop sleeps when nothing is due (a wake cuts it short)."""

REMEMBERED = 1024
"""How many answered (and sent) ids the courier remembers, so that a message both handed to
it and read from the store (at start, or after a wake) is answered (and sent) once."""


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
        self._answering = _Loop(f"{inbox.channel}-answer", self._answer_round)
        self._sending = _Loop(f"{inbox.channel}-send", self._send_round)
        self._stopping = threading.Event()
        self._guard = threading.Lock()
        """Guards what the threads hand each other: the fields below."""
        self._kept: deque[Inbound] = deque()
        self._queued: deque[Outgoing] = deque()
        self._read_inbox = True  # at start: what a previous run left pending
        self._read_outbox = True
        self._retry_at: float | None = None
        """When the soonest piece waiting for a retry is due; None when none waits, so a
        handed answer overtakes nothing and is sent without reading the outbox."""
        self._answered: dict[str, None] = {}
        """The latest inbox ids answered (or given up), oldest first."""
        self._tried: dict[str, None] = {}
        """The latest outbox ids sent (or failed), oldest first: a piece handed and read from
        the store too is sent once."""

    def start(self) -> None:
        """Start both threads; whatever a previous run left pending is answered first."""
        self._answering.start()
        self._sending.start()

    def hand(self, message: Inbound) -> None:
        """Answer ``message``, just kept in the inbox (:meth:`Inbox.keep`), without reading it
        back from the store."""
        with self._guard:
            self._kept.append(message)
        self._answering.wake()

    def wake(self) -> None:
        """Read the inbox and the outbox now: something was stored or queued there."""
        with self._guard:
            self._read_inbox = self._read_outbox = True
        self._answering.wake()
        self._sending.wake()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both threads; an answer in progress stays pending and is answered after the
        next start."""
        self._stopping.set()
        self._answering.stop(timeout)
        self._sending.stop(timeout)

    def answer_pending(self) -> None:
        """Answer every pending message in the store, queueing each answer as it is ready."""
        for message in self.inbox.pending():
            if self._stopping.is_set():
                return
            self._answer_one(message)

    def send_due(self) -> float | None:
        """Send every queued message in the store whose time has come; the seconds until the
        next one."""
        held: set[str] = set()  # recipients whose earlier piece failed: keep the order
        with self._guard:
            self._queued.clear()  # handed before this read, so in the store: read below
        due, following = self.outbox.schedule()
        for message in due:
            if message.recipient not in held:
                self._send_one(message, held)
        if held:
            following = self.outbox.next_try()  # a failed piece was given its retry time
        self._retry_at = following
        return None if following is None else following - self._clock()

    def _answer_round(self) -> None:
        with self._guard:
            read, self._read_inbox = self._read_inbox, False
        try:
            if read:
                self.answer_pending()
            while not self._stopping.is_set():
                with self._guard:
                    if not self._kept:
                        break
                    message = self._kept.popleft()
                self._answer_one(message)
        except BaseException:  # a store hiccup: what was handed is pending in the store
            with self._guard:
                self._kept.clear()
                self._read_inbox = True
            raise

    def _answer_one(self, message: Inbound) -> None:
        if message.message_id in self._answered:
            return  # handed, and read from the store too: answered already
        try:
            parts = self._answer(message)
        except Exception as exc:  # answering raised: give it up rather than loop on it
            if self._stopping.is_set():
                return  # shutting down under it: answered after the next start
            log.warning(
                "could not answer a message on %s from %s: %s",
                message.channel,
                redact(message.sender),
                exc,
            )
            self.inbox.drop(message, type(exc).__name__)
            _remember(self._answered, message.message_id)
            return
        if self._stopping.is_set():
            return  # the assistant may be closing: answer again after the next start
        queued = self.inbox.reply(message, parts, self.outbox)  # answered, on record
        _remember(self._answered, message.message_id)
        if queued:
            with self._guard:
                self._queued.extend(queued)
            self._sending.wake()
        self.inbox.done(message)  # bookkeeping, while the reply goes out

    def _send_round(self) -> float | None:
        with self._guard:
            read, self._read_outbox = self._read_outbox, False
            queued = list(self._queued)
            self._queued.clear()
        try:
            if read or self._retry_at is not None:
                return self.send_due()  # the handed pieces are in the store too
            held: set[str] = set()
            for message in queued:
                if message.recipient not in held and message.id not in self._tried:
                    self._send_one(message, held)
            if held:
                self._retry_at = self.outbox.next_try()
        except BaseException:  # a store hiccup: what was handed is queued in the store
            with self._guard:
                self._read_outbox = True
            raise
        return None if self._retry_at is None else self._retry_at - self._clock()

    def _send_one(self, message: Outgoing, held: set[str]) -> None:
        """Send ``message``; on failure its recipient joins ``held`` (later pieces wait)."""
        _remember(self._tried, message.id)
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


def _remember(latest: dict[str, None], key: str) -> None:
    """Add ``key`` to ``latest``, forgetting the oldest beyond :data:`REMEMBERED`."""
    latest[key] = None
    if len(latest) > REMEMBERED:
        del latest[next(iter(latest))]
