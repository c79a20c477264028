"""``/forget`` in the terminal: show the candidates and ask before archiving anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from assistant.errors import AssistantError
from assistant_cli import render

if TYPE_CHECKING:
    from assistant.conversation.responder import Responder


def run(responder: Responder, query: str) -> bool:
    """Ask which memory to forget and archive it; False leaves the line to respond()."""
    actions = responder.actions
    if not query:
        return False
    try:
        candidates = actions.candidates(query)
        if not candidates:
            render.err.print(f"Nothing I remember matches {render.shown(repr(query))}.")
            return True
        for number, memory in enumerate(candidates, 1):
            text = render.shown(memory.text)
            render.out.print(f"  {number}. {text}  [dim]({memory.id[-6:]})[/dim]")
        answer = typer.prompt(
            "Forget which one? (number, Enter to cancel)",
            default="",
            show_default=False,
            err=True,
        )
        if not answer.strip():
            render.err.print("Kept everything.")
            return True
        if not answer.strip().isdigit() or not 1 <= int(answer) <= len(candidates):
            render.err.print("No such number; kept everything.")
            return True
        target = actions.forget(candidates[int(answer) - 1].id)
        text = render.shown(target.text)
        render.out.print(f"Forgot: {text} (/restore {target.id[-6:]} brings it back)")
    except AssistantError as exc:
        render.error(exc)
    except typer.Abort:
        render.err.print("Kept everything.")
    return True
