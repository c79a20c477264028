"""The companion: a persona with fixed Big Five traits, a PAD mood that moves with the
conversation, quirks of its replies and needs that fade with time.

Usage::

    companion = responder.companion
    companion.traits.extraversion, companion.mood().label, companion.needs().unmet()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.companion.mood import EMOTIONS, Mood
from assistant.companion.needs import NEEDS, Needs
from assistant.companion.persona_note import Persona, PersonaNoteError
from assistant.companion.traits import PRESETS, TRAITS, Traits

if TYPE_CHECKING:
    from assistant.companion.companion import Companion

__all__ = [
    "EMOTIONS",
    "NEEDS",
    "PRESETS",
    "TRAITS",
    "Companion",
    "Mood",
    "Needs",
    "Persona",
    "PersonaNoteError",
    "Traits",
]


def __getattr__(name: str) -> Any:
    # Imported when first asked for: the records store imports this package's pure modules,
    # and the companion imports the records store.
    if name == "Companion":
        from assistant.companion.companion import Companion

        return Companion
    raise AttributeError(name)
