"""``assistant review``: settle possible contradictions, restore memories archived by decay."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from assistant.errors import AssistantError
from assistant_cli import render
from assistant_cli.context import state

if TYPE_CHECKING:
    from assistant import Assistant, ReviewItem


def register(app: typer.Typer) -> None:
    """Add the ``review`` command to ``app``."""
    app.command()(review)


_CHOICES = {"n": "KEEP_NEW", "o": "KEEP_OLD", "b": "BOTH", "m": "MERGE"}
"""Answers → :class:`~assistant.store.reviews.Resolution` names (it loads with the store)."""

_UNDO_CHOICES = {"r": "RESTORE", "d": "DISMISS"}


def review(
    ctx: typer.Context,
    list_only: bool = typer.Option(False, "--list", help="List the open items and stop."),
) -> None:
    """Settle possible contradictions one by one (keep new, keep old, both true, merge), and
    restore or dismiss memories that consolidation archived by decay."""
    from assistant import ARCHIVED
    from assistant.consolidation.review import open_items

    assistant = state(ctx).open()
    items = open_items(assistant.memories, assistant.reviews)
    if not items:
        render.err.print("Nothing to review.")
        return
    for number, item in enumerate(items, 1):
        render.out.print(f"\n[bold]{number}/{len(items)}[/] {escape(item.reason)}", highlight=False)
        try:
            if item.kind == ARCHIVED:
                answered = _archived(assistant, item, list_only)
            else:
                answered = _contradiction(assistant, item, list_only)
        except AssistantError as exc:
            render.err.print(f"[yellow]skipped[/] {item.id[-6:]}: {escape(str(exc))}")
            continue
        if answered is False:
            break


def _ask(question: str, choices: str) -> str:
    """The first letter of the answer, asked again until it is one of ``choices``."""
    while True:
        answer: str = typer.prompt(question, default="s", err=True)
        letter = answer.strip().lower()[:1]
        if letter and letter in choices:
            return letter
        render.err.print(f"  Answer with one of: {', '.join(choices)}.")


def _archived(assistant: Assistant, item: ReviewItem, list_only: bool) -> bool:
    """Show a memory decay archived and restore or dismiss it; False when the user quits."""
    from assistant import Actions, Resolution
    from assistant.consolidation.view import short

    memory = assistant.memories.get(item.new_id)
    render.out.print(
        f"  archived ({memory.created:%Y-%m-%d}, id {memory.id}): {short(memory.text, 200)}",
        highlight=False,
        markup=False,
    )
    if list_only:
        return True
    answer = _ask("  [r]estore it / [d]ismiss (it stays archived) / [s]kip / [q]uit", "rdsq")
    if answer in _UNDO_CHOICES:
        done = Actions(assistant).settle_review(item, Resolution[_UNDO_CHOICES[answer]])
        render.err.print(f"  {escape(done)}")
    return answer != "q"


def _contradiction(assistant: Assistant, item: ReviewItem, list_only: bool) -> bool:
    """Show two memories that may contradict each other and settle them; False to quit."""
    from assistant import Actions, Resolution
    from assistant.consolidation.review import merged_text
    from assistant.consolidation.view import short

    new, old = assistant.memories.get(item.new_id), assistant.memories.get(item.old_id)
    render.out.print(
        f"  older ({old.created:%Y-%m-%d}): {short(old.text, 200)}", highlight=False, markup=False
    )
    render.out.print(
        f"  newer ({new.created:%Y-%m-%d}): {short(new.text, 200)}", highlight=False, markup=False
    )
    if list_only:
        return True
    answer = _ask(
        "  [n]ew is right / [o]ld is right / [b]oth true / [m]erge / [s]kip / [q]uit", "nobmsq"
    )
    if answer in _CHOICES:
        text = None
        choice = Resolution[_CHOICES[answer]]
        if choice is Resolution.MERGE:
            text = typer.prompt("  merged text", default=merged_text(old, new), err=True)
        done = Actions(assistant).settle_review(item, choice, text)
        render.err.print(f"  {escape(done)}")
    return answer != "q"
