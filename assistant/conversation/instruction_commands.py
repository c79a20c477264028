"""``/instructions``: the user's standing instructions (``Assistant/Instructions.md``), listed
and forgotten from the chat.

Usage::

    add_instruction_commands(commands, assistant.instructions)
"""

from __future__ import annotations

from assistant.actions import Origin
from assistant.conversation.commands import UNNOTED, Commands
from assistant.errors import InvalidInputError
from assistant.vault.instructions import InstructionsPage

HELP = "/instructions [forget N|WORDS] how you asked me to answer, every time"
_FORGET = ("forget", "remove", "delete", "drop")


def add_instruction_commands(commands: Commands, page: InstructionsPage) -> None:
    """Register ``/instructions`` with ``commands``."""

    def instructions(rest: str, origin: Origin) -> str:
        verb, _, what = rest.strip().partition(" ")
        if not verb:
            return _listing(page)
        if verb.lower() not in _FORGET or not what.strip():
            raise InvalidInputError(
                "usage: /instructions, or /instructions forget N (its number) or WORDS"
            )
        return _forget(page, what.strip())

    commands.add("instructions", instructions, HELP)


def _listing(page: InstructionsPage) -> str:
    said = page.all()
    if not said:
        return (
            "You have given me no standing instructions. Tell me one in your own words "
            '("always give recipes in metric"), or write it in Assistant/Instructions.md.'
        )
    lines = [f"{n}. {text}" for n, text in enumerate(said, 1)]
    return "\n".join(
        ["What you asked of every answer (Assistant/Instructions.md):", *lines]
        + ["/instructions forget N drops one."]
    )


def _forget(page: InstructionsPage, what: str) -> str:
    said = page.all()
    if what.isdigit():
        number = int(what)
        if not 1 <= number <= len(said):
            raise InvalidInputError(f"there is no instruction {number} (see /instructions)")
        dropped = [said[number - 1]] if page.remove(said[number - 1]) else []
    else:
        dropped = page.forget_about(what)
    if not dropped:
        return f"No instruction names “{what}” (see /instructions)."
    return "\n".join(UNNOTED.format(text) for text in dropped)
