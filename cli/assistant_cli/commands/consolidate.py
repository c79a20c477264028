"""``assistant consolidate``: run, plan or list consolidation runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from assistant.errors import AssistantError
from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

if TYPE_CHECKING:
    from assistant import Assistant, RunRecord

_SHOWN_ARCHIVED = 5
"""How many archived memories a run's row of ``--history`` names (``--json`` lists all)."""


def register(app: typer.Typer) -> None:
    """Add the ``consolidate`` command to ``app``."""
    app.command()(consolidate)


def consolidate(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the changes; apply none."),
    history: bool = typer.Option(False, "--history", help="List the latest runs instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Merge duplicates, settle contradictions, archive stale memories, learn habits and
    compact old episodes now (it also runs by itself when chat has been idle)."""
    current = state(ctx)
    if history:
        opened = current.open()
        runs = opened.runs.history()
        _history(opened, runs, opened.reviews.archived_in(r.id for r in runs), as_json)
        return
    responder = current.respond_with()
    with render.err.status("Consolidating…" if not dry_run else "Planning…"):
        report = responder.consolidator(with_model=not dry_run).run(dry_run=dry_run)
    if as_json:
        render.emit_json(
            {
                "status": report.status,
                "dry_run": report.dry_run,
                "counts": report.counts,
                "errors": report.errors,
                "dollars": report.dollars,
                "seconds": round(report.seconds, 2),
                "actions": [
                    {"job": a.job, "verb": a.verb, "ids": list(a.ids), "summary": a.summary}
                    for a in report.actions
                ],
            }
        )
    elif report.status == "busy":
        render.err.print("Another assistant process is consolidating right now; try later.")
    elif dry_run:
        for action in report.actions:
            render.out.print(
                f"[bold]{action.job:<15}[/] {action.verb:<9} {action.summary}",
                highlight=False,
                markup=True,
            )
        render.out.file.flush()  # the plan whole before the line after it, on one terminal
        render.err.print(f"{len(report.actions)} planned changes; nothing was applied.")
    else:
        line = report.line() or "nothing needed changing"
        render.err.print(f"Consolidated in {report.seconds:.1f} s: {line}.")
        for problem in report.errors:
            render.err.print(f"[yellow]problem:[/] {problem}")
    if report.status in ("busy", "failed"):
        raise typer.Exit(ExitStatus.ERROR)


def _history(
    assistant: Assistant, runs: list[RunRecord], archived: dict[str, list[str]], as_json: bool
) -> None:
    if as_json:
        render.emit_json(
            [
                {
                    "id": r.id,
                    "started": r.started,
                    "ended": r.ended,
                    "status": r.status,
                    "trigger": r.trigger,
                    "dry_run": r.dry_run,
                    "counts": r.counts,
                    "errors": r.errors,
                    "dollars": r.dollars,
                    "archived": archived.get(r.id, []),
                }
                for r in runs
            ]
        )
        return
    if not runs:
        render.err.print("No consolidation runs yet: assistant consolidate")
        return
    from assistant.consolidation import summary_line

    table = Table("started", "took", "status", "trigger", "changes", "cost", box=None)
    for run in runs:
        changes = summary_line(run.counts) or ("(plan only)" if run.dry_run else "nothing")
        table.add_row(
            datetime.fromtimestamp(run.started).strftime("%Y-%m-%d %H:%M"),
            f"{run.seconds:.1f} s" if run.ended else "—",
            run.status,
            run.trigger,
            changes
            + "".join(f"\n[yellow]{escape(e)}[/]" for e in run.errors)
            + _archived_lines(assistant, archived.get(run.id, [])),
            f"${run.dollars:.4f}",
        )
    render.out.print(table)


def _archived_lines(assistant: Assistant, ids: list[str]) -> str:
    """The memories a run archived by decay, one per line: id and text (to restore with
    ``assistant review`` or ``assistant restore ID``)."""
    from assistant.consolidation.view import short

    lines = []
    for memory_id in ids[:_SHOWN_ARCHIVED]:
        try:
            text = short(assistant.memories.get(memory_id).text, 50)
        except AssistantError:
            text = "(gone)"
        lines.append(f"\n  archived {memory_id} {escape(text)}")
    if len(ids) > _SHOWN_ARCHIVED:
        lines.append(f"\n  … and {len(ids) - _SHOWN_ARCHIVED} more: assistant review --list")
    return "".join(lines)
