"""``assistant models``: list the configured chat models, add one."""

from __future__ import annotations

import typer
from rich.table import Table

from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the ``models`` group to ``app``."""
    group = typer.Typer(help="List and add chat models.", invoke_without_command=True)
    group.callback(invoke_without_command=True)(models)
    group.command("add")(add)
    app.add_typer(group, name="models")


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
            str(row["name"]),
            str(row["provider"]),
            str(row["tier"]),
            str(row["model"]),
            f"{row['price_in']:g} / {row['price_out']:g}",
            status,
        )
    render.out.print(table)


def add(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="A GGUF file, or an http(s) URL to download one."),
    name: str = typer.Option("", "--name", help="Name for /model and the policy."),
    sha256: str = typer.Option("", "--sha256", help="Expected sha256 of the file."),
) -> None:
    """Register a local GGUF model (downloading it first when given a URL)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from assistant.models.files import add_model

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
