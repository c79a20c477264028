"""The companion: a persona with fixed Big Five traits, a PAD mood that moves with the
conversation, quirks of its replies and needs that fade with time.

Usage::

    companion = responder.companion
    companion.traits.extraversion, companion.mood().label, companion.needs().unmet()
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.companion.companion import Companion
    from assistant.companion.mood import EMOTIONS, Mood
    from assistant.companion.needs import NEEDS, Needs
    from assistant.companion.persona_note import Persona, PersonaNoteError
    from assistant.companion.traits import PRESETS, TRAITS, Traits

_HOMES = {
    "Companion": "assistant.companion.companion",
    "EMOTIONS": "assistant.companion.mood",
    "Mood": "assistant.companion.mood",
    "NEEDS": "assistant.companion.needs",
    "Needs": "assistant.companion.needs",
    "Persona": "assistant.companion.persona_note",
    "PersonaNoteError": "assistant.companion.persona_note",
    "PRESETS": "assistant.companion.traits",
    "TRAITS": "assistant.companion.traits",
    "Traits": "assistant.companion.traits",
}

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
    # the companion imports the records store, and a command line that only shows the
    # persona presets needs neither.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
