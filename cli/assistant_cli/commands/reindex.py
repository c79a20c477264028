"""``assistant reindex``: rebuild the indexes from the vault alone."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus


def register(app: typer.Typer) -> None:
    """Add the ``reindex`` command to ``app``."""
    app.command()(reindex)


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
