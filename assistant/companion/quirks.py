"""Quirks: habits of the assistant's own replies, found during consolidation.

A pattern seen in enough of the recent replies (the same opening words, a sign-off, emoji,
exclamations, ending on a question, a pet phrase) becomes a quirk; each run in which it
recurs strengthens it. A quirk no reply showed for :data:`FADE_AFTER_DAYS` fades, halving
each further week, and is dropped below :data:`DROP_BELOW`. Pure functions over
``(time, reply)`` pairs; the clock is an argument.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.store.companion import Quirk

FADE_AFTER_DAYS = 14.0
FADE_HALF_LIFE_DAYS = 7.0
DROP_BELOW = 0.1
NEW_STRENGTH = 0.3
MIN_REPLIES = 5
"""Fewer recent replies than this say nothing about habits."""
SHARE = 0.3
"""A pattern must show in this share of the recent replies (and in three of them)."""
DAY = 86400.0

_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[a-z']+")
PHRASES = (
    "honestly",
    "actually",
    "basically",
    "of course",
    "no worries",
    "by the way",
    "fair enough",
    "to be fair",
    "fun fact",
    "lovely",
    "absolutely",
    "totally",
    "indeed",
    "happy to help",
    "let me know",
    "hope this helps",
    "great question",
)
"""Pet phrases worth noticing when they keep coming back."""


@dataclass(frozen=True)
class Pattern:
    """A habit seen in some replies."""

    key: str
    description: str
    share: float
    last_seen: float


def _opener(text: str) -> str:
    words = _WORDS.findall(text.lower())[:2]
    return " ".join(words)


def _closer(text: str) -> str:
    sentences = [s for s in _SENTENCES.split(text.strip()) if s]
    if not sentences:
        return ""
    return " ".join(_WORDS.findall(sentences[-1].lower())[:5])


_CHECKS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("emoji", "uses emoji", lambda t: bool(_EMOJI.search(t))),
    ("exclaims", "speaks with exclamation marks", lambda t: "!" in t),
    ("asks back", "ends with a question to the user", lambda t: t.rstrip().endswith("?")),
]


def find_patterns(replies: Sequence[tuple[float, str]]) -> list[Pattern]:
    """The habits shown by at least :data:`SHARE` of ``replies`` (``(time, text)`` pairs)."""
    if len(replies) < MIN_REPLIES:
        return []
    found: dict[str, tuple[str, list[float]]] = {}

    def seen(key: str, description: str, at: float) -> None:
        found.setdefault(key, (description, []))[1].append(at)

    for at, text in replies:
        if opener := _opener(text):
            seen(f"opener:{opener}", f"opens with “{opener.capitalize()}…”", at)
        if closer := _closer(text):
            seen(f"closer:{closer}", f"signs off with “{closer.capitalize()}”", at)
        for key, description, check in _CHECKS:
            if check(text):
                seen(key, description, at)
        lower = f" {' '.join(_WORDS.findall(text.lower()))} "
        for phrase in PHRASES:
            if f" {phrase} " in lower:
                seen(f"phrase:{phrase}", f"often says “{phrase}”", at)
    out = []
    for key, (description, times) in found.items():
        share = len(set(times)) / len(replies)
        if share >= SHARE and len(times) >= 3:
            out.append(Pattern(key, description, round(share, 3), max(times)))
    return sorted(out, key=lambda p: (-p.share, p.key))


def current_strength(quirk: Quirk, now: float) -> float:
    """A quirk's strength at ``now``: as stored until :data:`FADE_AFTER_DAYS` after a reply
    last showed it, then halving every :data:`FADE_HALF_LIFE_DAYS`."""
    idle = (now - quirk.last_seen) / DAY - FADE_AFTER_DAYS
    if idle <= 0:
        return quirk.strength
    return quirk.strength * math.pow(0.5, idle / FADE_HALF_LIFE_DAYS)


def update(known: Sequence[Quirk], patterns: Sequence[Pattern], now: float) -> list[Quirk]:
    """The quirks after one consolidation run: recurring patterns strengthen (or become new
    quirks), unused ones are dropped once faded below :data:`DROP_BELOW` (the fading itself is
    :func:`current_strength`). Returns the quirks that changed."""
    by_key = {q.key: q for q in known}
    changed: list[Quirk] = []
    for pattern in patterns:
        quirk = by_key.pop(pattern.key, None)
        if quirk is None:
            changed.append(
                Quirk(pattern.key, pattern.description, NEW_STRENGTH, now, pattern.last_seen)
            )
        elif pattern.last_seen > quirk.last_seen:  # it recurred since the last run
            base = current_strength(quirk, now)
            strength = min(1.0, base + (1.0 - base) * 0.25 * (0.5 + pattern.share))
            changed.append(replace(quirk, strength=round(strength, 4), last_seen=pattern.last_seen))
    for quirk in by_key.values():
        strength = current_strength(quirk, now)
        if strength < DROP_BELOW:  # the stored strength stays; fading is read at a time
            changed.append(replace(quirk, dropped=now))
    return changed


def habit_instruction(quirks: Sequence[Quirk], now: float) -> str:
    """The strongest habits, for the system prompt (a character keeps its ways)."""
    strong = [q for q in quirks if current_strength(q, now) >= 0.5][:2]
    if not strong:
        return ""
    habits = "; ".join(q.description for q in strong)
    return f"Habits of yours the user knows: {habits}. Keep them natural, never forced."
