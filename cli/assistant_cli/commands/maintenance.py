"""Maintenance commands: reindex and doctor."""

from __future__ import annotations

import os

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from assistant import Assistant
from assistant.doctor import run_checks, settings_for_checks
from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus


def register(app: typer.Typer) -> None:
    """Add the maintenance commands to ``app``."""
    app.command()(reindex)
    app.command()(doctor)


def reindex(ctx: typer.Context) -> None:
    """Rebuild the indexes from the vault alone."""
    assistant = state(ctx).open()
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=render.err, transient=True) as progress:
        task = progress.add_task("Embedding notes", total=None)
        report = assistant.memories.reindex(
            lambda done, total: progress.update(task, completed=done, total=total)
        )
    for relative, reason in report.invalid:
        render.err.print(f"[yellow]skipped[/] {render.shown(f'{relative.as_posix()}: {reason}')}")
    render.err.print(f"Indexed {report.indexed} memories in {report.seconds:.1f} s.")
    assistant.refresh_pages(everything=True)
    if report.invalid:
        raise typer.Exit(ExitStatus.ERROR)


def doctor(ctx: typer.Context) -> None:
    """Check the home, vault, indexes and models; print what is wrong and how to fix it."""
    current = state(ctx)
    settings, config = settings_for_checks(current.flags, os.environ)
    if current.assistant is None:  # closed with the command, as one opened by state.open()
        current.assistant = Assistant(settings)
    checks = run_checks(current.assistant, os.environ, config)
    render.checks(checks)
    if not all(c.ok for c in checks):
        raise typer.Exit(ExitStatus.ERROR)
