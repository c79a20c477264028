"""The persona note, ``Assistant/Persona.md``: the assistant's name and traits, where the
user can read and edit them.

Its frontmatter holds ``name``, ``preset`` and the five traits; its body explains them and
is the user's to keep. Reading checks every value: a malformed edit raises
:class:`PersonaNoteError` naming the problem, and the caller keeps the last good persona.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.companion.traits import (
    CUSTOM,
    PRESETS,
    TRAITS,
    Traits,
    check_traits,
    preset_of,
    style_instructions,
)
from assistant.errors import AssistantError, NoteError
from assistant.vault.notes import load_properties, split_frontmatter

DEFAULT_NAME = "Assistant"


class PersonaNoteError(AssistantError):
    """The persona note cannot be read; the last good persona stays in use."""

    title = "Persona note not read"


@dataclass(frozen=True)
class Persona:
    """Who the assistant is: a name and fixed traits (a preset's, or custom)."""

    name: str
    preset: str
    """One of :data:`PRESETS`, or ``custom``."""
    traits: Traits


def default_persona() -> Persona:
    """The persona of a new home."""
    preset = "curious_companion"
    return Persona(DEFAULT_NAME, preset, PRESETS[preset])


BODY = """# Persona

This note is the assistant's character. Edit the properties above and it takes effect on
the next message:

- `name`: what the assistant calls itself.
- `preset`: one of {presets}, or `custom`. Changing only the preset takes that preset's
  traits.
- `openness`, `conscientiousness`, `extraversion`, `agreeableness`, `neuroticism`: numbers
  from 0 to 1. Changing one makes the persona `custom`.

The traits shape how it talks, never what it knows. Its mood, quirks and needs change with
your conversations and are shown by `assistant persona`; the traits never change by themselves.
"""


def render(persona: Persona, body: str | None = None) -> str:
    """The note's text: frontmatter from ``persona``, then ``body`` (the explanation when
    None)."""
    lines = ["---", f"name: {_quoted(persona.name)}", f"preset: {persona.preset}"]
    lines += [f"{t}: {getattr(persona.traits, t):g}" for t in TRAITS]
    lines.append("---")
    if body is None:
        body = BODY.format(presets=", ".join(f"`{p}`" for p in PRESETS))
    return "\n".join(lines) + "\n" + body


def parse(text: str, last: Persona) -> tuple[Persona, str, bool]:
    """The persona a note's ``text`` describes, its body, and whether the note should be
    written again to show the traits in use. ``last`` is the persona in use: when only the
    preset changed, the new preset's traits are taken (and the note is to be rewritten).

    Raises :class:`PersonaNoteError` for anything malformed."""
    try:
        front, body = split_frontmatter(text, "Persona.md: ")
        data: Any = load_properties(front, "Persona.md: ")
    except NoteError as exc:
        raise PersonaNoteError(exc.message) from exc
    if not isinstance(data, dict):
        raise PersonaNoteError("Persona.md: the frontmatter must hold name, preset and traits")
    name = data.get("name", last.name)
    if not isinstance(name, str | int | float) or not str(name).strip():
        raise PersonaNoteError("Persona.md: name must be a short text")
    name = " ".join(str(name).split())[:60]
    preset = str(data.get("preset", CUSTOM)).strip().lower()
    if preset not in PRESETS and preset != CUSTOM:
        choices = ", ".join([*PRESETS, CUSTOM])
        raise PersonaNoteError(f"Persona.md: unknown preset {preset!r} (one of: {choices})")
    given = {t: data[t] for t in TRAITS if t in data}
    if preset in PRESETS:
        written = _values(given, PRESETS[preset])
        unchanged = preset != last.preset and written == last.traits.as_dict()
        values = PRESETS[preset].as_dict() if unchanged else written
    else:
        values = _values(given, last.traits)
    try:
        traits = check_traits(values)
    except ValueError as exc:
        raise PersonaNoteError(f"Persona.md: {exc}") from exc
    shown = {t: given.get(t) for t in TRAITS} != traits.as_dict()
    return Persona(name, preset_of(traits), traits), body, shown


def _values(given: dict[str, Any], fallback: Traits) -> dict[str, Any]:
    """The traits written, and ``fallback``'s for any left out."""
    return {t: given.get(t, getattr(fallback, t)) for t in TRAITS}


def describe(persona: Persona) -> list[str]:
    """The style instructions of a persona's traits (what the model is told)."""
    return style_instructions(persona.traits)


def _quoted(name: str) -> str:
    """``name`` as a YAML scalar that reads back as the same text (a JSON string is one)."""
    return json.dumps(name, ensure_ascii=False)
