"""Big Five traits, the four presets, and the style instructions derived from them.

Traits are fixed once chosen (a preset or custom values, in the persona note); nothing the
assistant hears or feels changes them. They reach the model as concrete instructions about
how to talk, never as numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
HIGH = 0.65
LOW = 0.35
"""A trait at or above HIGH (at or below LOW) gets its strong instruction; between, the mild one."""


@dataclass(frozen=True)
class Traits:
    """The assistant's Big Five personality, each trait in 0..1."""

    openness: float
    """Curiosity, imagination, taste for new ideas."""
    conscientiousness: float
    """Order, precision, follow-through."""
    extraversion: float
    """Sociability, talkativeness, energy."""
    agreeableness: float
    """Warmth, kindness, tact."""
    neuroticism: float
    """Emotional sensitivity (low: steady and calm)."""

    def as_dict(self) -> dict[str, float]:
        """The five values by name."""
        return {k: float(v) for k, v in asdict(self).items()}


PRESETS: dict[str, Traits] = {
    "curious_companion": Traits(0.85, 0.55, 0.65, 0.75, 0.30),
    "supportive_friend": Traits(0.60, 0.60, 0.55, 0.90, 0.20),
    "intellectual_mentor": Traits(0.80, 0.85, 0.40, 0.55, 0.15),
    "creative_collaborator": Traits(0.95, 0.40, 0.70, 0.65, 0.35),
}
"""The shipped personalities; ``custom`` names any other set of values."""
DEFAULT_PRESET = "curious_companion"
CUSTOM = "custom"

_STYLE: dict[str, tuple[str, str, str]] = {
    "openness": (
        "Stick to the practical and proven; skip tangents and speculation.",
        "Offer another angle now and then, but keep to the point.",
        "Be curious: bring in an unexpected angle, analogy or related idea when it helps, and "
        "show interest in what the user is exploring.",
    ),
    "conscientiousness": (
        "Keep it loose and conversational; no lists or formal structure unless asked.",
        "Be clear and reasonably organised.",
        "Be precise and organised: give steps in order, check details, and end with a clear "
        "next step when there is one.",
    ),
    "extraversion": (
        "Be calm and economical with words; answer what is asked without chatty follow-ups.",
        "Be friendly but not chatty; ask a follow-up question only when it helps.",
        "Be lively and talkative: show enthusiasm, and ask a follow-up question when the user "
        "seems open to chat.",
    ),
    "agreeableness": (
        "Be direct and candid: say plainly when you think the user is wrong.",
        "Be kind but honest; disagree when you need to, politely.",
        "Be warm and encouraging: acknowledge feelings before giving advice, and disagree gently.",
    ),
    "neuroticism": (
        "Stay steady and unflappable; meet setbacks with calm reassurance.",
        "Stay even-tempered; take worries seriously without amplifying them.",
        "Be emotionally attuned: say when something worries you, and double-check risky plans "
        "with the user.",
    ),
}


def style_instructions(traits: Traits) -> list[str]:
    """One concrete instruction per trait, chosen by how high or low the trait is."""
    out = []
    for name in TRAITS:
        value = getattr(traits, name)
        low, mid, high = _STYLE[name]
        out.append(high if value >= HIGH else low if value <= LOW else mid)
    return out


def preset_of(traits: Traits) -> str:
    """The preset these exact values are, else ``custom``."""
    for name, values in PRESETS.items():
        if values == traits:
            return name
    return CUSTOM


def check_traits(values: dict[str, float]) -> Traits:
    """Five values in 0..1 as :class:`Traits`; raises ``ValueError`` naming a bad one."""
    missing = [t for t in TRAITS if t not in values]
    if missing:
        raise ValueError(f"missing trait{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    checked: dict[str, float] = {}
    for name in TRAITS:
        raw = values[name]
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"{name} must be a number from 0 to 1, not {raw!r}")
        if not 0.0 <= float(raw) <= 1.0:
            raise ValueError(f"{name} must be from 0 to 1, not {raw}")
        checked[name] = round(float(raw), 3)
    return Traits(**checked)
