"""``assistant pair <channel>``: a one-time code that makes whoever sends it the owner."""

from __future__ import annotations

import re
from datetime import datetime

import typer
from rich.markup import escape

from assistant.errors import InvalidInputError
from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add the pair command to ``app``."""
    app.command()(pair)


def pair(
    ctx: typer.Context,
    channel: str = typer.Argument(..., help="The bridge to pair: sms, discord, …"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Print a pairing code: the first sender who sends it on CHANNEL becomes the owner there.
    It works once and expires after 15 minutes."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", channel):
        raise InvalidInputError(f"{channel!r} is not a bridge name (sms, discord, …)")
    from assistant.owners import PAIRING_TTL, Owners

    current = state(ctx)
    assistant = current.open()
    code = Owners(assistant.db, assistant.settings.bridges).new_code(channel)
    if as_json:
        render.emit_json({"channel": channel, "code": code.code, "expires": code.expires})
        return
    print(code.code)
    until = datetime.fromtimestamp(code.expires).strftime("%H:%M")
    render.err.print(
        f"Send this code on [bold]{escape(channel)}[/] within {PAIRING_TTL / 60:.0f} minutes "
        f"(until {until}); the first sender becomes the owner. It works once."
    )
    if channel not in assistant.settings.bridges:
        render.err.print(
            f"[yellow]No {escape(f'[bridges.{channel}]')} table in config.toml yet:[/] "
            "the bridge must be set up and `assistant serve` running to receive it."
        )
