"""``assistant checkins``: the latest check-ins (messages the assistant wrote first), each
with why it was sent, and whether check-ins are on, paused or in quiet hours."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from assistant_cli import render
from assistant_cli.context import state

if TYPE_CHECKING:
    from assistant.settings import CheckinSettings


def register(app: typer.Typer) -> None:
    """Add the ``checkins`` command to ``app``."""
    app.command()(checkins)


def checkins(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many check-ins."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The latest check-ins, newest first, with why each was sent."""
    from assistant.companion.checkins import journal

    assistant = state(ctx).open()
    store = journal(assistant)
    found = store.recent(limit)
    settings = assistant.settings.checkins
    paused = store.paused_until(time.time())
    if as_json:
        render.emit_json(
            {
                "enabled": settings.enabled and settings.per_day > 0,
                "quiet_hours": settings.quiet_hours,
                "per_day": settings.per_day,
                "paused_until": None if paused is None or paused == float("inf") else paused,
                "paused": paused is not None,
                "checkins": [
                    {
                        "id": c.id,
                        "at": c.created,
                        "kind": c.kind,
                        "text": c.text,
                        "reason": c.reason,
                        "score": c.score,
                        "model": c.model or None,
                        "delivered": c.delivered,
                        "channels": list(c.channels),
                        "details": c.details,
                    }
                    for c in found
                ],
            }
        )
        return
    render.out.print(_status(settings.enabled and settings.per_day > 0, paused, settings))
    if not found:
        render.out.print("No check-ins yet.")
        return
    for c in found:
        when = datetime.fromtimestamp(c.created).strftime("%Y-%m-%d %H:%M")
        where = ", ".join(c.channels) if c.delivered else "waiting for the next chat"
        if c.delivered is None and c.expires <= time.time():
            where = "not delivered (no channel was open in time)"
        render.out.print(f"[dim]{when}[/dim] [bold]{escape(c.text)}[/]")
        render.out.print(f"  [dim]why:[/dim] {escape(c.reason)}  [dim]({escape(where)})[/dim]")


def _status(on: bool, paused: float | None, settings: CheckinSettings) -> str:
    if not on:
        return "Check-ins are off ([checkins] enabled = false in config.toml)."
    if paused == float("inf"):
        return "Check-ins are paused until /quiet off."
    if paused is not None:
        return f"Check-ins are paused until {datetime.fromtimestamp(paused):%a %d %b %H:%M}."
    hours = f", none {settings.quiet_hours}" if settings.quiet_hours else ""
    return f"Check-ins are on: at most {settings.per_day} a day{hours}."
