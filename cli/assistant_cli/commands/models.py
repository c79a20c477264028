"""``assistant models``, ``assistant costs`` and ``assistant history``."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from assistant.models.files import add_model
from assistant.store.conversations import ConversationLog
from assistant.store.ledger import CostLedger
from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the models group and the costs and history commands to ``app``."""
    group = typer.Typer(help="List and add chat models.", invoke_without_command=True)
    group.callback(invoke_without_command=True)(models)
    group.command("add")(add)
    app.add_typer(group, name="models")
    app.command()(costs)
    app.command()(history)


def models(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the configured models and whether each is usable now."""
    if ctx.invoked_subcommand is not None:
        return
    registry = state(ctx).registry()
    rows = [
        {
            "name": m.info.name,
            "provider": m.info.provider,
            "model": m.info.model,
            "tier": m.info.tier,
            "price_in": m.info.input_price,
            "price_out": m.info.output_price,
            "status": m.check() or "ready",
        }
        for m in registry.models()
    ]
    if as_json:
        render.emit_json(rows)
        return
    table = Table("name", "provider", "tier", "model", "$/Mtok in/out", "status", box=None)
    for row in rows:
        status = "[green]ready[/]" if row["status"] == "ready" else f"[dim]{row['status']}[/]"
        table.add_row(
            str(row["name"]), str(row["provider"]), str(row["tier"]), str(row["model"]),
            f"{row['price_in']:g} / {row['price_out']:g}", status,
        )  # fmt: skip
    render.out.print(table)


def add(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="A GGUF file, or an http(s) URL to download one."),
    name: str = typer.Option("", "--name", help="Name for /model and the policy."),
    sha256: str = typer.Option("", "--sha256", help="Expected sha256 of the file."),
) -> None:
    """Register a local GGUF model (downloading it first when given a URL)."""
    settings = state(ctx).settings()
    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=render.err, transient=True) as bar:
        task = bar.add_task("download", total=None)
        added, path = add_model(
            settings,
            source,
            name=name,
            sha256=sha256,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total or None),
        )
    render.out.print(
        f"Added {added} ({path}). It answers simple messages first; /model {added}",
        markup=False,
    )


def costs(
    ctx: typer.Context,
    days: int = typer.Option(30, "--days", min=1, help="How many days back."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Spending by day, model and route, and what routing saved."""
    summary = CostLedger(state(ctx).open().db).summary(days)
    if as_json:
        render.emit_json(
            {
                "days": days,
                "total": summary.total,
                "all_strong": summary.strong_total,
                "saving": summary.saving,
                "failures": summary.failures,
                **{
                    name: [vars(r) for r in rows]
                    for name, rows in (
                        ("by_day", summary.by_day),
                        ("by_model", summary.by_model),
                        ("by_route", summary.by_route),
                    )
                },
            }
        )
        return
    if not summary.by_model:
        render.out.print(f"No model calls in the last {days} days.")
        return
    for title, rows in (("day", summary.by_day), ("model", summary.by_model),
                        ("route", summary.by_route)):  # fmt: skip
        table = Table(title, "calls", "tokens in", "tokens out", "dollars", box=None)
        for r in rows:
            table.add_row(r.key, str(r.calls), f"{r.input_tokens:,}", f"{r.output_tokens:,}",
                          f"{r.dollars:.4f}")  # fmt: skip
        render.out.print(table)
    render.out.print(
        f"Total ${summary.total:.4f} over {days} days; all on the strong model: "
        f"${summary.strong_total:.4f} (routing saved {summary.saving:.0%})."
    )


def history(
    ctx: typer.Context,
    limit: int = typer.Option(40, "--limit", "-n", min=1, help="How many turns."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The latest conversation turns."""
    turns = ConversationLog(state(ctx).open().db).recent(limit)
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
