"""A bridge's durable inbox and outbox, in the records database: nothing lost, nothing twice.

An accepted message is written to the inbox before the transport is told it arrived, keyed
by the transport's own message id (a Twilio ``MessageSid``, a Discord message id), so a
retried or replayed delivery is recognised and dropped. It stays ``pending`` until answered.
Its answer is on record once its parts are queued in the outbox, in one statement, under ids
derived from the message's (a second answer to it is refused as a duplicate); the message is
marked ``done`` afterwards, as bookkeeping that may follow the reply out: a pending message
whose answer is queued is not answered again. So a process killed mid-answer answers it after
restart, and once. The outbox retries a failed send with backoff and gives up after a few
tries (``failed``, reported).

Usage::

    inbox = Inbox(assistant.db, "sms")
    if inbox.accept(sid, sender, text):       # False: seen before
        ...                                   # acknowledge; a worker answers it
    for message in inbox.pending():
        inbox.answer(message, ["Hello!"], outbox)  # the reply queued, and done
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from assistant.errors import AssistantError
from assistant.memory_types import new_id
from assistant.store.database import Database

LANE = "bridges"
"""The inbox and outbox have lanes of their own in the database: a message is acknowledged
and its answer sent without waiting for the conversation log or learning."""

FOLLOW_UP = "bridges-follow-up"
"""What follows a reply has a lane of its own too (reading what is due, marking a message sent
or answered): taking the next message never waits for the last reply's bookkeeping. An
answer itself is queued in the inbox's lane."""

INSERT_OUTGOING = (
    "INSERT INTO outbox (id, channel, recipient, text, created, next_try, state) VALUES "
)
OUTGOING_ROW = "(?, ?, ?, ?, ?, ?, 'queued')"

BACKOFF = 2.0
"""Seconds before the first retry of a failed send; doubled each time."""

MAX_BACKOFF = 300.0
ATTEMPTS = 6
"""Tries before an outgoing message is given up."""


class SendFailed(AssistantError):
    """A transport could not send a message; ``permanent`` when retrying cannot help (an
    unknown or unsubscribed recipient), ``retry_after`` when the service said when."""

    title = "Message not sent"

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Inbound:
    """An accepted message waiting for its answer."""

    channel: str
    message_id: str
    sender: str
    text: str
    received: float


@dataclass(frozen=True)
class Outgoing:
    """A message to send, with how often it was tried."""

    id: str
    channel: str
    recipient: str
    text: str
    attempts: int = 0
    error: str = ""


class Inbox:
    """The inbox of one channel."""

    def __init__(
        self, db: Database, channel: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._db = db
        self.channel = channel
        self._clock = clock

    def accept(self, message_id: str, sender: str, text: str) -> bool:
        """Keep a message to answer; False when this id was seen before (a replay)."""
        return self.keep(message_id, sender, text) is not None

    def keep(self, message_id: str, sender: str, text: str) -> Inbound | None:
        """:meth:`accept`, returning the message kept (to hand to a :class:`Courier` without
        reading it back), or None when this id was seen before."""
        message = Inbound(self.channel, message_id, sender, text, self._clock())
        with self._db.connect(LANE) as conn:
            try:  # a plain insert: a few times cheaper in DuckDB than ON CONFLICT DO NOTHING
                conn.execute(
                    "INSERT INTO inbox VALUES (?, ?, ?, ?, ?, 'pending', NULL)",
                    [self.channel, message_id, sender, text, message.received],
                )
            except duckdb.ConstraintException:
                return None
        return message

    def seen(self, message_id: str) -> bool:
        """Whether a message with this id was taken before (accepted or noted)."""
        with self._db.connect(LANE) as conn:
            row = conn.execute(
                "SELECT 1 FROM inbox WHERE channel = ? AND message_id = ?",
                [self.channel, message_id],
            ).fetchone()
        return row is not None

    def note(self, message_id: str) -> bool:
        """Remember only that a message id was seen (a stranger's, a keyword), keeping neither
        sender nor text; False when it was seen before."""
        with self._db.connect(LANE) as conn:
            rows = conn.execute(
                "INSERT INTO inbox VALUES (?, ?, '', '', ?, 'noted', ?) "
                "ON CONFLICT DO NOTHING RETURNING message_id",
                [self.channel, message_id, self._clock(), self._clock()],
            ).fetchall()
        return bool(rows)

    def pending(self) -> list[Inbound]:
        """Accepted messages not answered yet, oldest first. One whose answer was queued but
        not marked done (the process stopped in between) is marked done now."""
        with self._db.connect(LANE) as conn:
            rows = conn.execute(
                "SELECT channel, message_id, sender, text, received, EXISTS (SELECT 1 FROM "
                "outbox o WHERE o.id = i.channel || '/' || i.message_id || '/0') FROM inbox i "
                "WHERE channel = ? AND state = 'pending' ORDER BY received, message_id",
                [self.channel],
            ).fetchall()
        waiting = [Inbound(*row[:5]) for row in rows]
        for message, answered in zip(waiting, (row[5] for row in rows), strict=True):
            if answered:
                self.done(message)
        return [m for m, row in zip(waiting, rows, strict=True) if not row[5]]

    def answer(self, message: Inbound, parts: Sequence[str], outbox: Outbox) -> list[Outgoing]:
        """Queue ``parts`` to the sender of ``message`` as its answer (:meth:`reply`) and mark
        it done (:meth:`done`); the messages queued (none when it was answered before)."""
        queued = self.reply(message, parts, outbox)
        self.done(message)
        return queued

    def reply(self, message: Inbound, parts: Sequence[str], outbox: Outbox) -> list[Outgoing]:
        """Queue ``parts`` to the sender of ``message`` as its answer, in one statement: from
        then on it is answered (not :meth:`pending`), even before :meth:`done`. The messages
        queued: none when there is nothing to send or it was answered before."""
        key = f"{self.channel}/{message.message_id}"
        with self._db.connect(LANE) as conn:
            try:
                return outbox.queue_in(conn, message.sender, parts, key=key)
            except duckdb.ConstraintException:
                return []  # its answer is queued already

    def done(self, message: Inbound) -> None:
        """Mark ``message`` answered (once its answer is queued: :meth:`reply`)."""
        with self._db.connect(FOLLOW_UP) as conn:
            conn.execute(
                "UPDATE inbox SET state = 'done', done = ? "
                "WHERE channel = ? AND message_id = ? AND state = 'pending'",
                [self._clock(), self.channel, message.message_id],
            )

    def drop(self, message: Inbound, why: str) -> None:
        """Give up on a message that cannot be answered (it raised); it is not retried."""
        with self._db.connect(LANE) as conn:
            conn.execute(
                "UPDATE inbox SET state = ?, done = ? WHERE channel = ? AND message_id = ?",
                ["failed: " + why[:200], self._clock(), self.channel, message.message_id],
            )


class Outbox:
    """The outbox of one channel: queued, sent, retried with backoff, or given up."""

    def __init__(
        self,
        db: Database,
        channel: str,
        *,
        clock: Callable[[], float] = time.time,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
    ) -> None:
        self._db = db
        self.channel = channel
        self._clock = clock
        self._attempts = attempts
        self._backoff = backoff

    def queue(self, recipient: str, parts: Sequence[str]) -> list[Outgoing]:
        """Queue ``parts`` to ``recipient``, to be sent in order; the messages queued."""
        with self._db.transaction(FOLLOW_UP) as conn:
            return self.queue_in(conn, recipient, parts)

    def queue_in(
        self,
        conn: duckdb.DuckDBPyConnection,
        recipient: str,
        parts: Sequence[str],
        *,
        key: str = "",
    ) -> list[Outgoing]:
        """:meth:`queue` on the caller's connection (``conn``), in one statement; with a
        ``key`` the ids are ``<key>/0``, ``<key>/1``, … (queued twice: a constraint error)."""
        now = self._clock()
        texts = [part for part in parts if part]
        ids = [f"{key}/{index}" if key else new_id() for index in range(len(texts))]
        if not texts:
            return []
        conn.execute(
            INSERT_OUTGOING + ", ".join([OUTGOING_ROW] * len(texts)),
            [
                value
                for index, (id_, text) in enumerate(zip(ids, texts, strict=True))
                for value in (id_, self.channel, recipient, text, now + index * 1e-6, now)
            ],
        )
        return [
            Outgoing(id_, self.channel, recipient, text)
            for id_, text in zip(ids, texts, strict=True)
        ]

    def due(self) -> list[Outgoing]:
        """Queued messages whose time has come, oldest first; none that would overtake an
        earlier one to the same recipient still waiting for its retry."""
        return self.schedule()[0]

    def schedule(self) -> tuple[list[Outgoing], float | None]:
        """:meth:`due`, and when the soonest of the other queued messages is due (None when
        there are none), from one read of the queue."""
        now = self._clock()
        with self._db.connect(FOLLOW_UP) as conn:
            rows = conn.execute(
                "SELECT id, channel, recipient, text, attempts, coalesce(error, ''), next_try "
                "FROM outbox WHERE channel = ? AND state = 'queued' ORDER BY created",
                [self.channel],
            ).fetchall()
        due: list[Outgoing] = []
        later: list[float] = []
        waiting: set[str] = set()  # recipients with an earlier piece not due yet
        for *fields, next_try in rows:
            message = Outgoing(*fields)
            if next_try > now:
                waiting.add(message.recipient)
                later.append(float(next_try))
            elif message.recipient in waiting:
                continue  # sent once the earlier piece is: at its time, in ``later``
            else:
                due.append(message)
        return due, min(later, default=None)

    def next_try(self) -> float | None:
        """When the soonest queued message is due, or None when none is queued."""
        with self._db.connect(FOLLOW_UP) as conn:
            row = conn.execute(
                "SELECT min(next_try) FROM outbox WHERE channel = ? AND state = 'queued'",
                [self.channel],
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def sent(self, message: Outgoing) -> None:
        """Mark ``message`` sent."""
        self._finish(message, "sent", "")

    def failed(self, message: Outgoing, error: SendFailed) -> bool:
        """Count a failed try: queue the next after a backoff, or give up (True) when the
        error is permanent or the tries are spent."""
        tries = message.attempts + 1
        if error.permanent or tries >= self._attempts:
            self._finish(message, "failed", str(error), attempts=tries)
            return True
        wait = min(self._backoff * 2 ** (tries - 1), MAX_BACKOFF)
        if error.retry_after is not None:
            wait = max(wait, min(error.retry_after, MAX_BACKOFF))
        with self._db.connect(FOLLOW_UP) as conn:
            conn.execute(
                "UPDATE outbox SET attempts = ?, next_try = ?, error = ? WHERE id = ?",
                [tries, self._clock() + wait, str(error)[:500], message.id],
            )
        return False

    def given_up(self) -> list[Outgoing]:
        """Messages that were never sent, oldest first."""
        with self._db.connect(FOLLOW_UP) as conn:
            rows = conn.execute(
                "SELECT id, channel, recipient, text, attempts, coalesce(error, '') FROM outbox "
                "WHERE channel = ? AND state = 'failed' ORDER BY created",
                [self.channel],
            ).fetchall()
        return [Outgoing(*row) for row in rows]

    def _finish(self, message: Outgoing, state: str, error: str, *, attempts: int = 0) -> None:
        with self._db.connect(FOLLOW_UP) as conn:
            conn.execute(
                "UPDATE outbox SET state = ?, done = ?, error = ?, "
                "attempts = greatest(attempts, ?) WHERE id = ?",
                [state, self._clock(), error[:500] or None, attempts, message.id],
            )
