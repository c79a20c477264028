"""Needs (social, intellectual, creative, rest): levels that fade with time and are met by
exchanges of their kind.

A level is 1 when the need is fully met and halves toward 0 over the need's half-life without
an exchange that meets it. What kind an exchange is comes from cheap cues (its route, its
words, the emotion heard), never a model. Pure functions; the clock is an argument.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NEEDS = ("social", "intellectual", "creative", "rest")
HALF_LIFE_HOURS = {"social": 18.0, "intellectual": 36.0, "creative": 48.0, "rest": 24.0}
"""Hours for an unmet need's level to halve."""
UNMET = 0.35
"""A need whose level is below this is unmet."""
START = 0.7
"""The level of a need never met yet."""


@dataclass(frozen=True)
class Needs:
    """The level of each need at one moment, 0 (pressing) to 1 (met)."""

    levels: dict[str, float]

    def unmet(self, threshold: float = UNMET) -> list[str]:
        """The needs below ``threshold``, most pressing first."""
        low = [n for n in NEEDS if self.levels.get(n, 1.0) < threshold]
        return sorted(low, key=lambda n: self.levels[n])

    def pressure(self) -> float:
        """How much the unmet needs push to reach out, 0..1 (the social need counts most)."""
        weights = {"social": 0.4, "intellectual": 0.25, "creative": 0.2, "rest": 0.15}
        return round(sum(w * (1.0 - self.levels.get(n, 1.0)) for n, w in weights.items()), 4)


def fade(level: float, seconds: float, need: str) -> float:
    """``level`` after ``seconds`` in which nothing met ``need``."""
    if seconds <= 0:
        return level
    return level * math.pow(0.5, seconds / 3600.0 / HALF_LIFE_HOURS[need])


def meet(level: float, amount: float) -> float:
    """``level`` after an exchange that meets the need by ``amount`` (0..1 of what is
    missing)."""
    return min(1.0, level + (1.0 - level) * max(0.0, min(1.0, amount)))


_CREATIVE = re.compile(
    r"\b(?:write|poem|poems|story|stories|lyrics|song|draw|drawing|paint|design|idea|ideas|"
    r"brainstorm|imagine|invent|name for|names for|slogan|plot|character|sketch|compose|"
    r"creative|craft|recipe|make up|come up with)\b",
    re.IGNORECASE,
)
_INTELLECTUAL = re.compile(
    r"\b(?:why|how does|how do|how come|explain|what is|what's the difference|difference "
    r"between|theory|prove|proof|history of|science|math|philosophy|learn|understand|"
    r"research|compare|analy[sz]e|calculate|meaning of)\b",
    re.IGNORECASE,
)
_REST = re.compile(
    r"\b(?:good ?night|gn|relax|relaxing|chill|chilling|rest|resting|sleep|sleepy|nap|"
    r"weekend|lazy|unwind|cozy|cosy|tea|bed|bedtime|take it easy|calm)\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(?:i|i'm|im|my|me|we|our)\b", re.IGNORECASE)


def exchange_kinds(text: str, route: str, emotion: str) -> dict[str, float]:
    """How much an exchange meets each need: every exchange meets the social need a little,
    sharing something personal or felt meets it more; questions that make one think meet the
    intellectual need, making things the creative one, winding down the rest."""
    amounts = {"social": 0.15}
    if _PERSONAL.search(text) and emotion != "neutral":
        amounts["social"] = 0.45
    elif route == "simple":
        amounts["social"] = 0.3
    if _CREATIVE.search(text):
        amounts["creative"] = 0.5
    if _INTELLECTUAL.search(text) or route == "complex":
        amounts["intellectual"] = 0.5 if route == "complex" else 0.35
    if _REST.search(text) or emotion in ("calm", "tired"):
        amounts["rest"] = 0.4
    return amounts
