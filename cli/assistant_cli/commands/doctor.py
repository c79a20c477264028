"""``assistant doctor``: what is wrong with the home, vault, indexes and models, and the fix."""

from __future__ import annotations

import os

import typer

from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus


def register(app: typer.Typer) -> None:
    """Add the ``doctor`` command to ``app``."""
    app.command()(doctor)


def doctor(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Check the home, vault, indexes, models, bridges, watcher, consolidation and backups
    (as a running serve's /health says them); print what is wrong and how to fix it."""
    from assistant.core import Assistant
    from assistant.doctor import run_checks, settings_for_checks
    from assistant.observability.health import assess

    current = state(ctx)
    settings, config = settings_for_checks(current.flags, os.environ)
    if current.assistant is None:  # closed with the command, as one opened by state.open()
        current.assistant = Assistant(settings)
    checks = run_checks(current.assistant, os.environ, config)
    health = assess(checks)
    if as_json:
        render.emit_json(health.as_dict())
    else:
        render.checks(checks)
        render.out.print(f"health: {health.status}", markup=False, highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(ExitStatus.ERROR)
