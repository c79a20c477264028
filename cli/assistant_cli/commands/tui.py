"""``assistant tui``: the memory browser."""

from __future__ import annotations

import typer

from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the ``tui`` command to ``app``."""
    app.command()(tui)


def tui(ctx: typer.Context) -> None:
    """Browse, search and fix your memories in a full-screen browser."""
    from assistant_tui.app import MemoryBrowser

    current = state(ctx)
    MemoryBrowser(current.open(), watch=True, open_responder=current.respond_with).run()
