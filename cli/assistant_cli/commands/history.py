"""``assistant history``: the latest conversation turns."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.markup import escape

from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the ``history`` command to ``app``."""
    app.command()(history)


def history(
    ctx: typer.Context,
    limit: int = typer.Option(40, "--limit", "-n", min=1, help="How many turns."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The latest conversation turns."""
    turns = state(ctx).records().conversations.recent(limit)
    if as_json:
        render.emit_json([{**vars(t), "memories": list(t.memories)} for t in turns])
        return
    session = ""
    for turn in turns:
        if turn.session != session:
            session = turn.session
            render.out.print(f"[bold]— session {session[-6:]} —[/]")
        when = datetime.fromtimestamp(turn.at).strftime("%Y-%m-%d %H:%M")
        who = "you" if turn.role == "user" else (turn.model or "assistant")
        cut = " [dim](stopped)[/dim]" if turn.interrupted else ""
        render.out.print(f"[dim]{when}[/dim] [bold]{who}[/]: {escape(turn.text)}{cut}")
