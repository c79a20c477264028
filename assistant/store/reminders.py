"""Reminders: set, list, complete; due ones are delivered on time by ``ReminderClock``
(``assistant.reminder_clock``) to every channel that is open, or when the next one opens."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

from assistant.errors import InvalidInputError, NotFoundError
from assistant.memory_types import new_id
from assistant.repeats import following
from assistant.store.database import Database


@dataclass(frozen=True)
class Reminder:
    """Something the user asked to be reminded of, optionally at a time."""

    id: str
    text: str
    due: float | None
    created: float
    done: float | None = None
    repeat: str = ""
    """How it comes back (``assistant.repeats``: "daily", "weekly:0"); "" for once."""


SNOOZE_WINDOW = 12 * 3600.0
"""How long after a reminder came "snooze that" still means it."""
SKIP_AHEAD = 24 * 3600.0
"""How soon the next time of a reminder that comes back must be for "done with it" to skip
it (done ahead of it)."""


class Reminders:
    """Reads and writes the ``reminders`` table.

    Usage::

        reminder = reminders.add("call the dentist", due=time.time() + 3600)
        reminders.complete(reminder.id)
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, text: str, due: float | None = None, repeat: str = "") -> Reminder:
        """Store a new open reminder; one with a ``repeat`` rule needs a time."""
        text = " ".join(text.split())
        if not text:
            raise InvalidInputError("a reminder needs some text")
        if len(text) > 2000:
            raise InvalidInputError("a reminder is at most 2,000 characters")
        if repeat and due is None:
            raise InvalidInputError("a reminder that comes back needs a time")
        reminder = Reminder(new_id(), text, due, time.time(), repeat=repeat)
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO reminders (id, text, due, created, repeat) VALUES (?, ?, ?, ?, ?)",
                [reminder.id, reminder.text, reminder.due, reminder.created, repeat],
            )
        return reminder

    def open(self) -> list[Reminder]:
        """Reminders not yet completed, soonest first (undated last)."""
        return self._select("done IS NULL ORDER BY due NULLS LAST, created", [])

    def due(self, now: float | None = None) -> list[Reminder]:
        """Open reminders whose time has come and that were not shown since, claimed as shown
        in the same statement: two processes asking at once never both get one."""
        now = time.time() if now is None else now
        with self._db.connect() as conn:
            rows = conn.execute(
                "UPDATE reminders SET shown = ?, came = ? "
                "WHERE done IS NULL AND due <= ? AND shown IS NULL "
                "RETURNING id, text, due, created, done, repeat",
                [now, now, now],
            ).fetchall()
        return sorted((Reminder(*row) for row in rows), key=lambda r: (r.due or 0.0, r.id))

    def unclaim(self, ids: list[str]) -> None:
        """Give reminders that no channel could deliver back, to be shown later."""
        if ids:
            with self._db.connect() as conn:
                conn.execute(
                    "UPDATE reminders SET shown = NULL WHERE id IN (SELECT unnest(?))", [ids]
                )

    def again(self, delivered: list[Reminder], now: float | None = None) -> None:
        """Set each reminder that comes back to its next time after ``now``, unshown: what
        was delivered of it is over, the rest of it is not."""
        now = time.time() if now is None else now
        moved: list[list[object]] = []
        for reminder in delivered:
            if not reminder.repeat or reminder.due is None:
                continue
            later = datetime.fromtimestamp(reminder.due)
            while later.timestamp() <= now:
                later = following(reminder.repeat, later)
            moved.append([later.timestamp(), reminder.id])
        if moved:
            with self._db.connect() as conn:
                conn.executemany(
                    "UPDATE reminders SET due = ?, shown = NULL WHERE id = ? AND done IS NULL",
                    moved,
                )

    def came_last(self, now: float | None = None) -> Reminder | None:
        """The open reminder that came last, within :data:`SNOOZE_WINDOW`: one shown, or a
        one-off whose time has come though it was not shown yet (a chat that had just
        started); None when none."""
        now = time.time() if now is None else now
        found = self._select(
            "done IS NULL AND (came >= ? OR (came IS NULL AND (repeat IS NULL OR repeat = '') "
            "AND due BETWEEN ? AND ?)) ORDER BY coalesce(came, due) DESC LIMIT 1",
            [now - SNOOZE_WINDOW, now - SNOOZE_WINDOW, now],
        )
        return found[0] if found else None

    def skip(self, reminder_id: str, now: float | None = None) -> Reminder:
        """Reminder ``reminder_id`` (one that comes back) done for this time: its next time
        is skipped when it falls within :data:`SKIP_AHEAD` and it has not just come. A
        one-off is returned as it is."""
        now = time.time() if now is None else now
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT id, text, due, created, done, repeat, came FROM reminders WHERE id = ?",
                [reminder_id],
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no reminder {reminder_id}")
        found, came = Reminder(*row[:6]), row[6]
        if not found.repeat or found.due is None or found.due > now + SKIP_AHEAD:
            return found
        if came is not None and came >= now - SNOOZE_WINDOW:
            return found  # the time that came is the one done; the next stays
        later = following(found.repeat, datetime.fromtimestamp(found.due))
        with self._db.connect() as conn:
            conn.execute(
                "UPDATE reminders SET due = ?, shown = NULL, came = NULL WHERE id = ?",
                [later.timestamp(), found.id],
            )
        return replace(found, due=later.timestamp())

    def snooze(self, due: float, now: float | None = None) -> Reminder | None:
        """The open reminder that came last (within :data:`SNOOZE_WINDOW`), again at ``due``:
        one that comes once is moved; of one that comes back, this time comes again once
        (the series keeps its times). None when none came."""
        came = self.came_last(now)
        if came is None:
            return None
        with self._db.connect() as conn:
            if came.repeat:
                conn.execute("UPDATE reminders SET came = NULL WHERE id = ?", [came.id])
            else:
                conn.execute(
                    "UPDATE reminders SET due = ?, shown = NULL, came = NULL WHERE id = ?",
                    [due, came.id],
                )
        if came.repeat:
            return self.add(came.text, due=due)
        return replace(came, due=due)

    def next_due(self) -> float | None:
        """When the soonest open, unshown reminder falls due (None when none has a time)."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT min(due) FROM reminders WHERE done IS NULL AND shown IS NULL"
            ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def complete(self, key: str) -> Reminder:
        """Mark the reminder with this id (or unique id suffix/prefix, or text) done."""
        key = key.strip()
        candidates = [
            r
            for r in self.open()
            if r.id == key
            or (len(key) >= 4 and (r.id.startswith(key.upper()) or r.id.endswith(key.upper())))
            or (len(key) >= 3 and key.lower() in r.text.lower())
        ]
        if not candidates:
            raise NotFoundError(f"no open reminder matches {key!r}")
        if len(candidates) > 1:
            raise InvalidInputError(
                f"{len(candidates)} reminders match {key!r}; use the id: "
                + ", ".join(r.id[-6:] for r in candidates[:5])
            )
        target = replace(candidates[0], done=time.time())
        with self._db.connect() as conn:
            conn.execute("UPDATE reminders SET done = ? WHERE id = ?", [target.done, target.id])
        return target

    def _select(self, clause: str, params: list[object]) -> list[Reminder]:
        with self._db.connect() as conn:
            rows = conn.execute(
                f"SELECT id, text, due, created, done, repeat FROM reminders WHERE {clause}",
                params,
            ).fetchall()
        return [Reminder(*row) for row in rows]
