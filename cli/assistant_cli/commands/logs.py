"""``assistant logs``: read the structured logs, pretty by default, or follow them."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import typer
from rich.markup import escape

from assistant import paths
from assistant.observability.logs import (
    LEVELS,
    LogEntry,
    LogFilter,
    follow,
    parse_since,
    read_entries,
)
from assistant_cli import render
from assistant_cli.context import state

_STYLE = {"debug": "dim", "info": "green", "warning": "yellow", "error": "red", "critical": "red"}


def register(app: typer.Typer) -> None:
    """Add the ``logs`` command to ``app``."""
    app.command()(logs)


def logs(
    ctx: typer.Context,
    follow_: bool = typer.Option(False, "--follow", "-f", help="Keep showing new lines."),
    level: str = typer.Option("info", "--level", help="Lowest level: debug, info, warning…"),
    component: str = typer.Option("", "--component", help="Only this part (service, vault…)."),
    since: str = typer.Option("", "--since", help="Only after: 10m, 2h, 1d or a date."),
    lines: int = typer.Option(100, "--lines", "-n", min=0, help="The last N lines (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="The JSON lines as written."),
) -> None:
    """Show the log: what the assistant and serve did (ids, timings, errors; never what was
    said), newest last."""
    if level.lower() not in LEVELS:
        raise typer.BadParameter(f"use one of {', '.join(LEVELS)}", param_hint="--level")
    wanted = LogFilter(level.lower(), component, parse_since(since, time.time()) if since else 0.0)
    folder = paths.log_dir(state(ctx).settings().home)
    recent: Iterable[LogEntry] = read_entries(folder, wanted)
    if lines:
        recent = deque(recent, maxlen=lines)
    if not _show(recent, as_json) and not as_json:
        render.err.print(_nothing(folder, wanted), highlight=False)
    if follow_:
        try:
            _show(follow(folder, wanted), as_json)
        except KeyboardInterrupt:
            return


def _show(entries: Iterable[LogEntry], as_json: bool) -> int:
    """Print ``entries``; how many there were."""
    shown = 0
    for entry in entries:
        shown += 1
        if as_json:
            print(json.dumps(entry.as_dict(), ensure_ascii=False), flush=True)
        else:
            render.out.print(_pretty(entry), highlight=False, soft_wrap=True)
    return shown


def _nothing(folder: Path, wanted: LogFilter) -> str:
    """What to say when no line matches: with ``--component``, the components there are."""
    if not wanted.component:
        return "No log lines match."
    others = LogFilter(wanted.level, "", wanted.since)
    there = sorted({entry.component for entry in read_entries(folder, others)})
    listed = ", ".join(there) if there else "none"
    return f"No log lines of {wanted.component!r} match; the components logged: {listed}."


def _pretty(entry: LogEntry) -> str:
    when = datetime.fromtimestamp(entry.time).strftime("%Y-%m-%d %H:%M:%S")
    style = _STYLE.get(entry.level, "")
    event = "" if entry.event == "log" else f" [bold]{escape(entry.event)}[/]"
    extra = " ".join(
        f"{escape(key)}={escape(_value(value))}"
        for key, value in entry.fields.items()
        if key != "error" and value not in (None, "", [])
    )
    line = (
        f"[dim]{when}[/] [{style}]{entry.level:<7}[/] [cyan]{escape(entry.component)}[/]"
        f"{event} {escape(entry.message)}" + (f" [dim]{extra}[/]" if extra else "")
    )
    error = entry.fields.get("error")
    return line + (f"\n[red]{escape(str(error))}[/]" if error else "")


def _value(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)
