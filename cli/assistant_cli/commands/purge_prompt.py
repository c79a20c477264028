"""``assistant forget --purge``: pick the memory, ask, remove it everywhere, say what went."""

from __future__ import annotations

import typer

from assistant import Actions
from assistant.actions import says_each_word
from assistant.errors import InvalidInputError, NotFoundError
from assistant.memory_types import Memory
from assistant.transfer.purge import GIT_NOTE
from assistant_cli import render


def run(actions: Actions, key: str, *, yes: bool) -> None:
    """Purge the memory ``key`` names (an id, or words: the best matches are offered, the
    archived and replaced ones too). With ``yes``, every memory that says each of the words
    is purged ("Fizzbuzzco": the job and the one it replaced), else the best match."""
    candidates = actions.candidates(key, every=True)
    if not candidates:
        raise InvalidInputError(f"no memory matches {key!r}")
    saying = [m for m in candidates if says_each_word(m.text, key)]
    if yes and len(saying) > 1:
        for memory in saying:
            try:
                _purge(actions, memory)
            except NotFoundError:
                continue  # a copy of one purged before it, gone with it
        return
    if len(candidates) == 1 or yes:
        target = candidates[0]
    else:
        for number, memory in enumerate(candidates, 1):
            text = render.shown(memory.text[:200])
            render.err.print(f"  {number}. {text}  [dim]({memory.id[-6:]})[/dim]")
        choice = typer.prompt("Purge which one? (number, 0 to cancel)", type=int, err=True)
        if not 1 <= choice <= len(candidates):
            render.err.print("Nothing purged.")
            return
        target = candidates[choice - 1]
    render.err.print(f"{target.id}: {render.shown(target.text[:200])}")
    if not yes:
        typer.confirm(
            "Purge this memory everywhere (note, archive, indexes, caches, the turns that "
            "said it, pages)? It cannot be restored.",
            abort=True,
            err=True,
        )
    _purge(actions, target)


def _purge(actions: Actions, target: Memory) -> None:
    """Purge ``target`` and say what went."""
    report = actions.purge(target.id)
    assert report is not None
    said = render.counted(report.turns, "thing you said", "things you said")
    logged = render.counted(report.logged, "logged message")
    render.err.print(
        f"Purged {target.id}: {render.counted(report.notes, 'note')}, {said}, {logged}; "
        f"{render.counted(report.pages, 'page')} written again or removed."
    )
    if report.mentions:
        others = ", ".join(m[-6:] for m in report.mentions)
        render.err.print(f"[yellow]Other memories still say it:[/] {others} (purge them too?)")
    if report.in_history:
        render.err.print(GIT_NOTE)
    print(target.id)
