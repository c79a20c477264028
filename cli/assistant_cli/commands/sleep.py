"""``assistant consolidate`` (run, plan or list consolidation runs) and ``assistant review``
(settle possible contradictions)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from assistant.consolidation import summary_line
from assistant.consolidation.review import merged_text, settle
from assistant.consolidation.view import short
from assistant.errors import AssistantError
from assistant.store.reviews import Resolution
from assistant.store.runs import RunRecord
from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

_CHOICES = {
    "n": Resolution.KEEP_NEW,
    "o": Resolution.KEEP_OLD,
    "b": Resolution.BOTH,
    "m": Resolution.MERGE,
}


def register(app: typer.Typer) -> None:
    """Add the consolidate and review commands to ``app``."""
    app.command()(consolidate)
    app.command()(review)


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
        _history(current.open().runs.history(), as_json)
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
            render.out.print(f"[bold]{action.job:<15}[/] {action.verb:<9} {action.summary}",
                             highlight=False, markup=True)  # fmt: skip
        render.err.print(f"{len(report.actions)} planned changes; nothing was applied.")
    else:
        line = report.line() or "nothing needed changing"
        render.err.print(f"Consolidated in {report.seconds:.1f} s: {line}.")
        for problem in report.errors:
            render.err.print(f"[yellow]problem:[/] {problem}")
    if report.status in ("busy", "failed"):
        raise typer.Exit(ExitStatus.ERROR)


def _history(runs: list[RunRecord], as_json: bool) -> None:
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
                }  # fmt: skip
                for r in runs
            ]
        )
        return
    if not runs:
        render.err.print("No consolidation runs yet: assistant consolidate")
        return
    table = Table("started", "took", "status", "trigger", "changes", "cost", box=None)
    for run in runs:
        changes = summary_line(run.counts) or ("(plan only)" if run.dry_run else "nothing")
        table.add_row(
            datetime.fromtimestamp(run.started).strftime("%Y-%m-%d %H:%M"),
            f"{run.seconds:.1f} s" if run.ended else "—",
            run.status,
            run.trigger,
            changes + "".join(f"\n[yellow]{e}[/]" for e in run.errors),
            f"${run.dollars:.4f}",
        )
    render.out.print(table)


def review(
    ctx: typer.Context,
    list_only: bool = typer.Option(False, "--list", help="List the open items and stop."),
) -> None:
    """Settle possible contradictions one by one: keep new, keep old, both true, merge."""
    assistant = state(ctx).open()
    items = assistant.reviews.open()
    if not items:
        render.err.print("Nothing to review.")
        return
    for number, item in enumerate(items, 1):
        try:
            new, old = assistant.memories.get(item.new_id), assistant.memories.get(item.old_id)
        except AssistantError as exc:
            render.err.print(f"[yellow]skipped[/] {item.id[-6:]}: {exc}")
            continue
        render.out.print(f"\n[bold]{number}/{len(items)}[/] {item.reason}", highlight=False)
        render.out.print(f"  older ({old.created:%Y-%m-%d}): {short(old.text, 200)}",
                         highlight=False, markup=False)  # fmt: skip
        render.out.print(f"  newer ({new.created:%Y-%m-%d}): {short(new.text, 200)}",
                         highlight=False, markup=False)  # fmt: skip
        if list_only:
            continue
        answer = (
            typer.prompt(
                "  [n]ew is right / [o]ld is right / [b]oth true / [m]erge / [s]kip / [q]uit",
                default="s",
                err=True,
            )
            .strip()
            .lower()[:1]
        )
        if answer == "q":
            break
        if answer not in _CHOICES:
            continue
        text = None
        if _CHOICES[answer] is Resolution.MERGE:
            text = typer.prompt("  merged text", default=merged_text(old, new), err=True)
        done = settle(assistant.memories, assistant.reviews, item, _CHOICES[answer], text)
        render.err.print(f"  {done}")
    assistant.refresh_pages()
