"""Hooks of the command line, added to the core's plugin manager: a plugin can add commands
(``assistant discord run``) without the core knowing Typer."""

from __future__ import annotations

import typer

from assistant.hookspecs import hookspec


@hookspec
def register_commands(app: typer.Typer) -> None:
    """Add commands or command groups to ``app`` (``app.command()(fn)``,
    ``app.add_typer(group, name=...)``)."""
