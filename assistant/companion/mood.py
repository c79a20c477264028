"""PAD mood (pleasure, arousal, dominance in -1..1): how it moves, fades and is named.

After each exchange the mood steps toward the PAD point of the emotion the user expressed;
between exchanges it decays toward a baseline with a half-life of hours; the baseline itself
drifts at most :data:`DRIFT_PER_NIGHT` per night toward the last week's average. Every
function here is pure: the clock is an argument.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.companion.traits import Traits

EMOTIONS = ("happy", "excited", "grateful", "calm", "neutral", "sad", "tired", "anxious", "angry")
"""The emotions the classifier hears and the mood is named by."""

PAD: dict[str, tuple[float, float, float]] = {
    "happy": (0.75, 0.35, 0.35),
    "excited": (0.65, 0.80, 0.40),
    "grateful": (0.65, 0.15, -0.10),
    "calm": (0.45, -0.60, 0.25),
    "neutral": (0.0, 0.0, 0.0),
    "sad": (-0.65, -0.35, -0.40),
    "tired": (-0.25, -0.75, -0.30),
    "anxious": (-0.55, 0.60, -0.55),
    "angry": (-0.60, 0.65, 0.35),
}
"""Each emotion's point in PAD space (after Mehrabian's tables)."""
DRIFT_PER_NIGHT = 0.01
"""The most the baseline moves in one night (Euclidean distance in PAD space)."""
WEEK = 7 * 86400.0


@dataclass(frozen=True)
class Mood:
    """A point in PAD space and the emotion nearest to it."""

    pleasure: float
    arousal: float
    dominance: float

    @property
    def label(self) -> str:
        """The emotion the mood leans toward (``neutral`` near the origin)."""
        return label_of(self.point)

    @property
    def point(self) -> tuple[float, float, float]:
        """The three values as a tuple."""
        return (self.pleasure, self.arousal, self.dominance)

    @classmethod
    def of(cls, point: Iterable[float]) -> Mood:
        """A mood at ``point``, clipped into the PAD cube."""
        p, a, d = (max(-1.0, min(1.0, float(v))) for v in point)
        return cls(p, a, d)


NEUTRAL = Mood(0.0, 0.0, 0.0)


NEUTRAL_RADIUS = 0.2
"""A mood this close to the origin is neutral; further out it is named by its direction, so
a mild sadness is sad, not neutral."""
NAMED_COSINE = 0.7
"""A mood further out is named only when it points clearly toward one emotion (cosine of at
least this much); a mood between emotions reads as neutral rather than as the nearest."""


def label_of(point: Sequence[float]) -> str:
    """The emotion whose PAD point lies in the direction of ``point`` (``neutral`` within
    :data:`NEUTRAL_RADIUS` of the origin or between emotions): a mood is usually a weaker
    version of one."""
    size = _distance(point, PAD["neutral"])
    if size < NEUTRAL_RADIUS:
        return "neutral"

    def cosine(emotion: str) -> float:
        proto = PAD[emotion]
        dot = sum(a * b for a, b in zip(point, proto, strict=True))
        return dot / (size * _distance(proto, PAD["neutral"]))

    best = max((e for e in EMOTIONS if e != "neutral"), key=cosine)
    return best if cosine(best) >= NAMED_COSINE else "neutral"


def reactivity(traits: Traits) -> float:
    """How far one exchange moves the mood toward what was heard: 0.25 to 0.55 of the way,
    more for a sensitive or warm personality."""
    return 0.25 + 0.15 * traits.neuroticism + 0.15 * traits.agreeableness


def half_life_hours(traits: Traits) -> float:
    """Hours for the mood's distance from the baseline to halve: 2 h for a very steady
    personality, up to 6 h for a very sensitive one."""
    return 2.0 + 4.0 * traits.neuroticism


def decay(mood: Mood, baseline: Mood, seconds: float, traits: Traits) -> Mood:
    """``mood`` after ``seconds`` without an exchange, pulled back toward ``baseline``."""
    if seconds <= 0:
        return mood
    keep = math.pow(0.5, seconds / 3600.0 / half_life_hours(traits))
    return Mood.of(b + (m - b) * keep for m, b in zip(mood.point, baseline.point, strict=True))


def step(mood: Mood, heard: dict[str, float], traits: Traits) -> Mood:
    """``mood`` after an exchange in which the user's emotion had probabilities ``heard``:
    it moves toward the most likely emotion's PAD point, as far as the classifier is sure
    of it (an unsure one barely moves it)."""
    if not heard:
        return mood
    emotion = max(heard, key=lambda e: heard[e])
    target = PAD.get(emotion, PAD["neutral"])
    sure = heard[emotion]
    weight = reactivity(traits) * min(1.0, max(0.0, (sure - 0.15) / 0.5))
    return Mood.of(m + (t - m) * weight for m, t in zip(mood.point, target, strict=True))


def drift(baseline: Mood, week: Sequence[Mood]) -> Mood:
    """The baseline after one night: toward the average of the week's moods, by at most
    :data:`DRIFT_PER_NIGHT`."""
    if not week:
        return baseline
    average = [sum(m.point[i] for m in week) / len(week) for i in range(3)]
    gap = _distance(average, baseline.point)
    if gap <= DRIFT_PER_NIGHT:
        return Mood.of(average)
    share = DRIFT_PER_NIGHT / gap
    return Mood.of(b + (a - b) * share for b, a in zip(baseline.point, average, strict=True))


_TONE = {
    "happy": "You are in a good mood: let a little cheer show.",
    "excited": "You feel energised: a touch of enthusiasm suits, but stay focused.",
    "grateful": "You feel appreciative of the user: let some warmth show.",
    "calm": "You feel calm: keep a relaxed, unhurried tone.",
    "neutral": "",
    "sad": "You feel a little low after what the user shared: be gentle and soft-spoken.",
    "tired": "You feel low on energy: keep answers short and easy-going.",
    "anxious": "You feel some concern for the user: be reassuring and careful.",
    "angry": "Things have been tense: stay patient and de-escalate, never snap back.",
}


def tone_instruction(mood: Mood) -> str:
    """How the mood colours the tone (empty for a neutral mood). Mood never changes facts."""
    line = _TONE[mood.label]
    if not line:
        return ""
    return line + " (Tone only: your mood never changes facts, advice or what you remember.)"


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))
