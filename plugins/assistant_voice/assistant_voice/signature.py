"""ElevenLabs' webhook signature: the ``ElevenLabs-Signature`` header, ``t=<unix seconds>,
v0=<hex>``, where the hex is HMAC-SHA256 of ``"{t}.{raw body}"`` keyed with the webhook's
secret. A signature is checked in constant time, and its timestamp must be within the
tolerance of now (an old request replayed later fails)."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "ElevenLabs-Signature"
SCHEMES = ("v0", "v1")
"""Signature schemes accepted: ``v0`` is what ElevenLabs sends; ``v1`` is the same digest."""


class BadSignature(Exception):
    """A missing, malformed, forged or expired signature; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def digest(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"{timestamp}.{body}"``."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value ElevenLabs would send for ``body`` at ``timestamp``."""
    return f"t={timestamp},v0={digest(secret, str(timestamp), body)}"


def verify(header: str, body: bytes, secret: str, *, now: float, tolerance: float) -> int:
    """The signed timestamp when ``header`` signs ``body`` with ``secret`` within
    ``tolerance`` seconds of ``now``; :class:`BadSignature` otherwise."""
    if not header:
        raise BadSignature("missing")
    timestamp = ""
    offered: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key in SCHEMES:
            offered.append(value)
    if not timestamp.isdigit() or not offered:
        raise BadSignature("malformed")
    expected = digest(secret, timestamp, body)
    matched = False
    for value in offered:  # every one compared, in constant time
        matched = hmac.compare_digest(expected.encode(), value.encode()) or matched
    if not matched:
        raise BadSignature("forged")
    if abs(now - int(timestamp)) > tolerance:
        raise BadSignature("expired")
    return int(timestamp)
