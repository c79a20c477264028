"""``assistant tui``: the memory browser."""

from __future__ import annotations

import sys

import typer

from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus


def register(app: typer.Typer) -> None:
    """Add the ``tui`` command to ``app``."""
    app.command()(tui)


def tui(ctx: typer.Context) -> None:
    """Browse, search and fix your memories in a full-screen browser."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # a pipe: nothing to draw on or read
        render.err.print(
            "The browser needs a terminal; for a script use `assistant list`, `search` or `show`."
        )
        raise typer.Exit(ExitStatus.USAGE)
    from assistant_tui.app import MemoryBrowser

    current = state(ctx)
    MemoryBrowser(current.open(), watch=True, open_responder=current.respond_with).run()
