"""Memory commands: remember, search, show, list, edit, forget, restore-memory."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.errors import InvalidInputError
from assistant_cli import render
from assistant_cli.context import state

if TYPE_CHECKING:
    from assistant.actions import Actions


def read_text(text: str) -> str:
    """The TEXT argument, or standard input when it is ``-`` (must be UTF-8)."""
    if text != "-":
        return text
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("standard input is not UTF-8 text") from exc


def actions(ctx: typer.Context, *, queries_only: bool = False) -> Actions:
    """The action layer over the opened assistant, for commands the user types here
    (``queries_only``: a search, which loads only the quicker query model and first takes
    in the vault's latest edits)."""
    from assistant.actions import Actions, Origin

    assistant = state(ctx).open(queries_only=queries_only, current=queries_only)
    return Actions(assistant, origin=Origin("user", "cli"))


def register(app: typer.Typer) -> None:
    """Add the memory commands to ``app``."""
    app.command()(remember)
    app.command()(search)
    app.command()(show)
    app.command("list")(list_memories)
    app.command()(edit)
    app.command()(forget)
    app.command("restore-memory")(restore_memory)


def remember(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="What to remember ('-' reads standard input)."),
    important: bool = typer.Option(False, "--important", help="Mark it important."),
    type_: str | None = typer.Option(None, "--type", "-t", help="Memory type (default semantic)."),
    tag: list[str] = typer.Option([], "--tag", help="Tag (repeatable)."),
    importance: float = typer.Option(None, "--importance", help="0-10 (default 5, or 8)."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored memory as JSON."),
) -> None:
    """Store a memory and print its id."""
    memory = actions(ctx).remember(
        read_text(text), type=type_, tags=tag, importance=importance, important=important
    )
    if as_json:
        render.emit_json(memory.to_dict())
    else:
        print(memory.id)


def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="What to look for."),
    k: int = typer.Option(10, "-k", help="How many results."),
    type_: list[str] = typer.Option([], "--type", "-t", help="Only this type (repeatable)."),
    tag: list[str] = typer.Option([], "--tag", help="Only memories with this tag."),
    all_: bool = typer.Option(False, "--all", help="Include superseded and archived memories."),
    as_json: bool = typer.Option(False, "--json", help="Print results as JSON."),
    explain: bool = typer.Option(False, "--explain", help="Show each score's breakdown."),
    turns: int = typer.Option(3, "--turns", help="Also show this many things you said."),
) -> None:
    """Find memories by meaning and words, best first, then the conversation turns where
    you said the most relevant things (not when filtering by type or tag)."""
    found = actions(ctx, queries_only=True).find(
        query, k, types=type_, tags=tag, everything=all_, turns=turns
    )
    hits, said = found.memories, found.turns
    if as_json:
        render.emit_json([render.hit_json(h) for h in hits] + [render.said_json(t) for t in said])
    else:
        render.hits(hits, explain=explain)
        render.said(said)


def show(ctx: typer.Context, memory_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Show one memory with all its properties (opening it counts as a use)."""
    memories = state(ctx).open(current=True).memories
    memory = memories.get(memory_id)
    usage = memories.usage(memory.id)
    memories.used([memory.id])
    render.memory(memory, access_count=usage.access_count, links=memories.index.links(memory.id))
    source = state(ctx).open().conversations.source_of(memory.metadata, memory.text)
    if source:
        render.out.print("\n[bold]learned from[/]")
        for turn in source:
            who = "you" if turn.role == "user" else "assistant"
            render.out.print(f"  [dim]{who}:[/dim] {render.shown(turn.text[:500])}")


def list_memories(
    ctx: typer.Context,
    type_: list[str] = typer.Option([], "--type", "-t", help="Only this type (repeatable)."),
    tag: list[str] = typer.Option([], "--tag", help="Only memories with this tag."),
    status: list[str] = typer.Option(
        ["active"], "--status", "-s", help="active, superseded, archived, or all (repeatable)."
    ),
    limit: int = typer.Option(None, "--limit", "-n", help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List memories, newest first."""
    if any(s.strip().lower() == "all" for s in status):
        from assistant.memory_types import Status

        status = [s.value for s in Status]
    found = (
        state(ctx)
        .open(current=True)
        .memories.list(types=type_, tags=tag, statuses=status, limit=limit)
    )
    if as_json:
        render.emit_json([m.to_dict() for m in found])
    else:
        render.memories(found)


def edit(ctx: typer.Context, memory_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Open the memory's note in $EDITOR, then re-index it."""
    assistant = state(ctx).open()
    memory = assistant.memories.get(memory_id)
    assert memory.path is not None
    note = assistant.settings.vault / memory.path
    code = subprocess.call([*shlex.split(assistant.settings.editor), str(note)])
    if code != 0:
        raise InvalidInputError(
            f"the editor exited with status {code}; the note was not re-indexed"
        )
    updated = actions(ctx).reload(memory.id)
    render.err.print(f"Re-indexed {updated.id}.")


def forget(
    ctx: typer.Context,
    memory_id: str = typer.Argument(None, metavar="[ID]"),
    query: str = typer.Option(None, "--query", "-q", help="Forget the best match for this."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    purge: bool = typer.Option(
        False, "--purge", help="Remove it for good, everywhere (ID may be words)."
    ),
) -> None:
    """Archive a memory (restorable with restore-memory), or forget a conversation turn
    (an id shown under "you said" by search) for good; --purge removes a memory everywhere."""
    act = actions(ctx)
    if (memory_id is None) == (query is None):
        raise InvalidInputError("give either an ID or --query")
    if purge:
        from assistant_cli.commands import purge_prompt

        purge_prompt.run(act, memory_id or query, yes=yes)
        return
    from assistant.evidence import is_turn_id

    if memory_id is not None and is_turn_id(memory_id):
        turn = act.turn(memory_id)
        if not yes:
            render.err.print(f"{turn.id}: {render.shown(turn.text[:200])}")
            typer.confirm("Forget this turn of the conversation?", abort=True, err=True)
        act.forget_turn(turn.id)
        render.err.print(f"Forgot {turn.id}: it is gone from the transcript and from search.")
        print(turn.id)
        return
    if query is not None:
        hits = act.search(query, 5, touch=False)
        if not hits:
            raise InvalidInputError(f"no memory matches {query!r}")
        render.hits(hits, explain=False)
        if len(hits) == 1 or yes:
            if not yes:
                typer.confirm("Forget this memory?", abort=True, err=True)
            choice = 1
        else:
            answer = typer.prompt("Forget which one? (number, 0 to cancel)", default="0", err=True)
            choice = int(answer) if answer.strip().isdigit() else 0
        if not 1 <= choice <= len(hits):
            render.err.print("Nothing forgotten.")
            return
        target = hits[choice - 1].memory
    else:
        target = act.get(memory_id)
        if not yes:
            render.err.print(f"{target.id}: {render.shown(target.text[:200])}")
            typer.confirm("Forget this memory?", abort=True, err=True)
    archived = act.forget(target.id)
    where = render.shown(Path(str(archived.path)).as_posix())
    render.err.print(f"Archived {archived.id} to {where}.")
    print(archived.id)


def restore_memory(ctx: typer.Context, memory_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Bring a forgotten memory back."""
    from assistant.memory_types import Status

    act = actions(ctx)
    current = act.get(memory_id)
    if current.status is Status.ACTIVE:
        render.err.print(f"{current.id} is not forgotten: nothing to restore.")
        print(current.id)
        return
    restored = act.restore(memory_id)
    where = render.shown(Path(str(restored.path)).as_posix())
    render.err.print(f"Restored {restored.id} to {where}.")
    print(restored.id)
