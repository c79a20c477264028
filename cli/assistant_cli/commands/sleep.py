"""``assistant consolidate`` (run, plan or list consolidation runs) and ``assistant review``
(settle possible contradictions, restore memories archived by decay)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from assistant.consolidation import summary_line
from assistant.consolidation.review import merged_text, open_items, settle
from assistant.consolidation.view import short
from assistant.errors import AssistantError
from assistant.store.reviews import ARCHIVED, Resolution, ReviewItem
from assistant.store.runs import RunRecord
from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

if TYPE_CHECKING:
    from assistant import Assistant

_CHOICES = {
    "n": Resolution.KEEP_NEW,
    "o": Resolution.KEEP_OLD,
    "b": Resolution.BOTH,
    "m": Resolution.MERGE,
}
_UNDO_CHOICES = {"r": Resolution.RESTORE, "d": Resolution.DISMISS}
_SHOWN_ARCHIVED = 5
"""How many archived memories a run's row of ``--history`` names (``--json`` lists all)."""


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
            changes
            + "".join(f"\n[yellow]{escape(e)}[/]" for e in run.errors)
            + _archived_lines(assistant, archived.get(run.id, [])),
            f"${run.dollars:.4f}",
        )
    render.out.print(table)


def _archived_lines(assistant: Assistant, ids: list[str]) -> str:
    """The memories a run archived by decay, one per line: id and text (to restore with
    ``assistant review`` or ``assistant restore ID``)."""
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


def review(
    ctx: typer.Context,
    list_only: bool = typer.Option(False, "--list", help="List the open items and stop."),
) -> None:
    """Settle possible contradictions one by one (keep new, keep old, both true, merge), and
    restore or dismiss memories that consolidation archived by decay."""
    assistant = state(ctx).open()
    items = open_items(assistant.memories, assistant.reviews)
    if not items:
        render.err.print("Nothing to review.")
        return
    for number, item in enumerate(items, 1):
        render.out.print(f"\n[bold]{number}/{len(items)}[/] {escape(item.reason)}",
                         highlight=False)  # fmt: skip
        try:
            if item.kind == ARCHIVED:
                answered = _archived(assistant, item, list_only)
            else:
                answered = _contradiction(assistant, item, list_only)
        except AssistantError as exc:
            render.err.print(f"[yellow]skipped[/] {item.id[-6:]}: {escape(str(exc))}")
            continue
        if answered is False:
            break
    assistant.refresh_pages()


def _ask(question: str) -> str:
    answer: str = typer.prompt(question, default="s", err=True)
    return answer.strip().lower()[:1]


def _archived(assistant: Assistant, item: ReviewItem, list_only: bool) -> bool:
    """Show a memory decay archived and restore or dismiss it; False when the user quits."""
    memory = assistant.memories.get(item.new_id)
    render.out.print(f"  archived ({memory.created:%Y-%m-%d}, id {memory.id}): "
                     f"{short(memory.text, 200)}", highlight=False, markup=False)  # fmt: skip
    if list_only:
        return True
    answer = _ask("  [r]estore it / [d]ismiss (it stays archived) / [s]kip / [q]uit")
    if answer in _UNDO_CHOICES:
        done = settle(assistant.memories, assistant.reviews, item, _UNDO_CHOICES[answer])
        render.err.print(f"  {escape(done)}")
    return answer != "q"


def _contradiction(assistant: Assistant, item: ReviewItem, list_only: bool) -> bool:
    """Show two memories that may contradict each other and settle them; False to quit."""
    new, old = assistant.memories.get(item.new_id), assistant.memories.get(item.old_id)
    render.out.print(f"  older ({old.created:%Y-%m-%d}): {short(old.text, 200)}",
                     highlight=False, markup=False)  # fmt: skip
    render.out.print(f"  newer ({new.created:%Y-%m-%d}): {short(new.text, 200)}",
                     highlight=False, markup=False)  # fmt: skip
    if list_only:
        return True
    answer = _ask("  [n]ew is right / [o]ld is right / [b]oth true / [m]erge / [s]kip / [q]uit")
    if answer in _CHOICES:
        text = None
        if _CHOICES[answer] is Resolution.MERGE:
            text = typer.prompt("  merged text", default=merged_text(old, new), err=True)
        done = settle(assistant.memories, assistant.reviews, item, _CHOICES[answer], text)
        render.err.print(f"  {escape(done)}")
    return answer != "q"
