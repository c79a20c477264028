"""``assistant costs``: spending by day, model and route, and what routing saved."""

from __future__ import annotations

import typer
from rich.table import Table

from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the ``costs`` command to ``app``."""
    app.command()(costs)


def costs(
    ctx: typer.Context,
    days: int = typer.Option(30, "--days", min=1, help="How many days back."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Spending by day, model and route, and what routing saved."""
    summary = state(ctx).records().ledger.summary(days)
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
    for title, rows in (
        ("day", summary.by_day),
        ("model", summary.by_model),
        ("route", summary.by_route),
    ):
        table = Table(title, "calls", "tokens in", "tokens out", "dollars", box=None)
        for r in rows:
            table.add_row(
                r.key,
                str(r.calls),
                f"{r.input_tokens:,}",
                f"{r.output_tokens:,}",
                f"{r.dollars:.4f}",
            )
        render.out.print(table)
    render.out.print(
        f"Total ${summary.total:.4f} over {days} days; all on the strong model: "
        f"${summary.strong_total:.4f} (routing saved {summary.saving:.0%})."
    )
