"""Who a bridge answers: the owner, and nobody else.

Deny by default. A sender is the owner of a channel when ``config.toml`` lists them
(``[bridges.sms] owners = ["+15551234567"]`` or ``owner = "…"``) or when they sent a pairing
code printed by ``assistant pair <channel>``: a short code, single-use, that expires after 15
minutes and binds the first sender who sends it. Pairings live in the records database.

Anyone else gets one fixed refusal that says nothing about the assistant, at most once a
day, and is logged with the sender redacted; what they wrote is never stored, logged or
answered. Every sender is rate limited.

Usage::

    owners = Owners(assistant.db, settings.bridges)
    code = owners.new_code("sms")               # printed by `assistant pair sms`
    gate = Gate(owners)
    match gate.admit("sms", "+15551234567", text):
        case Admission.OWNER: ...               # answer it
        case Admission.REFUSED: ...             # send REFUSAL, once
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from assistant.store.database import Database

log = logging.getLogger(__name__)

PAIRING_TTL = 15 * 60.0
"""Seconds a pairing code stays valid."""

REFUSAL_EVERY = 24 * 3600.0
"""A stranger is refused at most once in this many seconds."""

REFUSAL = "Sorry, this number can't take messages."
"""The one reply a stranger ever gets: it names nothing and explains nothing."""

PAIRED = "Paired: you are now the owner here. Send a message to talk to your assistant."

SLOW_DOWN = (
    "That's more messages than I take in a minute, so I skipped the last one. "
    "Send it again in a moment."
)
"""Told to the owner, once a minute at most, when a message is over the rate limit."""

SLOW_DOWN_EVERY = 60.0

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Code letters, without the look-alikes (0/O, 1/I)."""

_CODE_LENGTH = 6
_SEPARATORS = re.compile(r"[\s().\-]")


def canonical(sender: str) -> str:
    """A sender as compared: spaces, dots, dashes and brackets dropped (``+1 (555) 123-4567``
    is ``+15551234567``)."""
    return _SEPARATORS.sub("", sender)


def redact(sender: str) -> str:
    """A sender as logged: all but the last two characters masked (``+15551234567`` is
    ``…67``), enough to tell two apart in a log and not enough to reach them."""
    kept = canonical(sender)[-2:]
    return "…" + kept if kept else "…"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _normalise_code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@dataclass(frozen=True)
class PairingCode:
    """A code printed for the owner to send from the account to pair."""

    channel: str
    code: str
    expires: float


class Owners:
    """The owners of each channel: allow-listed in the bridge's settings, or paired."""

    def __init__(
        self,
        db: Database,
        bridges: Mapping[str, Mapping[str, Any]],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._bridges = bridges
        self._clock = clock
        self._optouts: dict[str, set[str]] = {}
        """Who said STOP, by channel, read once (only the bridge itself changes it)."""
        self._guard = threading.Lock()

    def allowed(self, channel: str) -> list[str]:
        """The senders ``config.toml`` names as owners of ``channel`` (``owners`` or
        ``owner``), canonical, in the order written."""
        table = self._bridges.get(channel) or {}
        named: list[str] = []
        raw = table.get("owners", [])
        if isinstance(raw, str):
            raw = [raw]
        if isinstance(raw, list):
            named.extend(str(item) for item in raw)
        if table.get("owner"):
            named.append(str(table["owner"]))
        return list(dict.fromkeys(canonical(n) for n in named if canonical(n)))

    def paired(self, channel: str) -> list[str]:
        """Senders paired as owners of ``channel``, latest first."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT sender FROM bridge_owners WHERE channel = ? ORDER BY paired DESC",
                [channel],
            ).fetchall()
        return [row[0] for row in rows]

    def is_owner(self, channel: str, sender: str) -> bool:
        """Whether ``sender`` owns ``channel``; nobody does unless listed or paired."""
        who = canonical(sender)
        if not who:
            return False
        return who in self.allowed(channel) or who in self.paired(channel)

    def address(self, channel: str) -> str | None:
        """Where to reach the owner unprompted (a reminder): the first listed owner, else the
        latest paired one; None when ``channel`` has no owner."""
        found = self.allowed(channel) or self.paired(channel)
        return found[0] if found else None

    def new_code(self, channel: str) -> PairingCode:
        """A fresh single-use pairing code for ``channel``, valid for 15 minutes. Only its
        hash is stored."""
        code = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
        now = self._clock()
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO pairing_codes VALUES (?, ?, ?, ?, NULL)",
                [_digest(channel, code), channel, now, now + PAIRING_TTL],
            )
        return PairingCode(channel, code, now + PAIRING_TTL)

    def claim(self, channel: str, sender: str, text: str) -> bool:
        """Pair ``sender`` when ``text`` is a live, unused code for ``channel``; the code is
        spent in the same statement, so two senders never both win it."""
        code = _normalise_code(text)
        who = canonical(sender)
        if len(code) != _CODE_LENGTH or not who:
            return False
        now = self._clock()
        with self._db.transaction() as conn:
            won = conn.execute(
                "UPDATE pairing_codes SET used = ? "
                "WHERE digest = ? AND channel = ? AND used IS NULL AND expires > ? "
                "RETURNING digest",
                [now, _digest(channel, code), channel, now],
            ).fetchall()
            if won:
                conn.execute(
                    "INSERT INTO bridge_owners VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [channel, who, now],
                )
        if won:
            log.warning("%s paired as the owner on %s", redact(who), channel)
        return bool(won)

    def refusal_due(self, channel: str, sender: str) -> bool:
        """Whether a stranger is due the refusal (none in the last day), claiming it when so;
        only a hash of the sender is kept."""
        now = self._clock()
        key = _digest(channel, canonical(sender))
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT refused FROM bridge_refusals WHERE channel = ? AND sender_digest = ?",
                [channel, key],
            ).fetchone()
            if row is not None and now - float(row[0]) < REFUSAL_EVERY:
                return False
            conn.execute(
                "INSERT INTO bridge_refusals VALUES (?, ?, ?) "
                "ON CONFLICT DO UPDATE SET refused = excluded.refused",
                [channel, key, now],
            )
        return True

    def opt_out(self, channel: str, sender: str) -> None:
        """Send ``sender`` nothing more on ``channel`` until they opt in (SMS ``STOP``)."""
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO bridge_optouts VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [channel, canonical(sender), self._clock()],
            )
        with self._guard:
            self._optouts.pop(channel, None)

    def opt_in(self, channel: str, sender: str) -> None:
        """Undo :meth:`opt_out` (SMS ``START``)."""
        with self._db.connect() as conn:
            conn.execute(
                "DELETE FROM bridge_optouts WHERE channel = ? AND sender = ?",
                [channel, canonical(sender)],
            )
        with self._guard:
            self._optouts.pop(channel, None)

    def opted_out(self, channel: str, sender: str) -> bool:
        """Whether ``sender`` asked for no more messages on ``channel``."""
        with self._guard:
            known = self._optouts.get(channel)
            if known is None:
                with self._db.connect() as conn:
                    rows = conn.execute(
                        "SELECT sender FROM bridge_optouts WHERE channel = ?", [channel]
                    ).fetchall()
                known = self._optouts[channel] = {row[0] for row in rows}
        return canonical(sender) in known


class RateLimit:
    """A token bucket per key: ``burst`` messages at once, then one every ``60 / per_minute``
    seconds."""

    def __init__(
        self,
        per_minute: float = 10.0,
        burst: int = 10,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take a token for ``key``; False when its bucket is empty."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - then) * self._rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True


class Admission(Enum):
    """What to do with an inbound message."""

    OWNER = "owner"
    """From the owner: answer it."""
    PAIRED = "paired"
    """A pairing code that made the sender the owner: confirm with :data:`PAIRED`."""
    REFUSED = "refused"
    """A stranger due the refusal: send :data:`REFUSAL` and nothing else."""
    SLOW_DOWN = "slow down"
    """The owner, over the rate limit: the message is not taken; send :data:`SLOW_DOWN`."""
    IGNORED = "ignored"
    """A stranger over the rate limit or refused already today, or the owner told to slow
    down already this minute: send nothing."""


class Gate:
    """Decides each inbound message before anything else sees it: the owner's go on; a
    stranger's words go no further than this call (never stored, logged or answered)."""

    def __init__(
        self,
        owners: Owners,
        limit: RateLimit | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.owners = owners
        self._limit = limit or RateLimit()
        self._clock = clock
        self._told: dict[str, float] = {}
        """When each owner was last told to slow down."""

    def admit(self, channel: str, sender: str, text: str) -> Admission:
        """The :class:`Admission` of ``text`` from ``sender`` on ``channel``."""
        key = f"{channel}\x1f{canonical(sender)}"
        if not self._limit.allow(key):
            log.warning("over the rate limit on %s: %s", channel, redact(sender))
            if not self.owners.is_owner(channel, sender):
                return Admission.IGNORED
            now = self._clock()
            if now - self._told.get(key, -SLOW_DOWN_EVERY) < SLOW_DOWN_EVERY:
                return Admission.IGNORED
            self._told[key] = now
            return Admission.SLOW_DOWN
        if self.owners.is_owner(channel, sender):
            return Admission.OWNER
        if self.owners.claim(channel, sender, text):
            return Admission.PAIRED
        if self.owners.refusal_due(channel, sender):
            log.warning("refused a message on %s from %s", channel, redact(sender))
            return Admission.REFUSED
        log.info("ignored another message on %s from %s", channel, redact(sender))
        return Admission.IGNORED
