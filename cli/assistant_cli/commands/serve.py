"""``assistant serve``: the long-running process (runtime and bridges) for a home."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

if TYPE_CHECKING:
    from assistant.service import Service

UNIT = """[Unit]
Description=Personal assistant (assistant serve)

[Service]
ExecStart={command} serve
Environment=ASSISTANT_HOME={home}
Restart=on-failure
TimeoutStopSec=10

[Install]
WantedBy=default.target
"""


def register(app: typer.Typer) -> None:
    """Add the serve command to ``app``."""
    app.command()(serve)


def serve(
    ctx: typer.Context,
    check: bool = typer.Option(False, "--check", help="Say whether it runs and what it does."),
    as_json: bool = typer.Option(False, "--json", help="With --check: machine-readable."),
    unit: bool = typer.Option(False, "--unit", help="Print a systemd user unit for it."),
) -> None:
    """Run the assistant in the background: vault watching, idle consolidation, reminders
    and every enabled bridge, until stopped (Ctrl-C or SIGTERM)."""
    current = state(ctx)
    home = current.settings().home
    if unit:
        command = Path(sys.argv[0]).resolve() if sys.argv[0].endswith("assistant") else None
        print(UNIT.format(command=command or "assistant", home=home), end="")
        return
    if check:
        _check(home, as_json)
        return
    from assistant.plugins import bridge_factories
    from assistant.service import Service, already_serving, read_status

    if read_status(home).running:  # said before the assistant and the bridges are opened
        raise already_serving(home)

    stop = threading.Event()

    def stopping(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    service = Service(current.respond_with(), bridges=bridge_factories(), on_notice=render.notice)
    watcher = threading.Thread(target=_say_ready, args=(service,), daemon=True)
    watcher.start()
    service.run(stop)
    render.err.print("[dim]Stopped.[/]")


def _say_ready(service: Service) -> None:
    service.ready.wait()
    running = ", ".join(service.bridges) or "no bridges"
    render.err.print(f"[bold]assistant serve[/] running ({escape(running)}); Ctrl-C stops it.")
    for name, why in service.bridge_state.items():
        if why != "running":
            render.err.print(f"[yellow]bridge {escape(name)}:[/] {escape(why)}")


def _check(home: Path, as_json: bool) -> None:
    from assistant.service import read_status

    status = read_status(home)
    if as_json:
        render.emit_json(status.as_dict())
    elif not status.running:
        render.out.print("assistant serve is not running on this home.")
    else:
        since = (
            datetime.fromtimestamp(status.started).strftime("%Y-%m-%d %H:%M")
            if status.started
            else "?"
        )
        render.out.print(
            f"assistant serve is running (process {status.pid}, since {since}); "
            f"watching the vault: {'yes' if status.watching else 'no'}; "
            f"consolidation: {status.consolidation}; "
            f"reminders delivered: {status.reminders_delivered}",
            markup=False,
        )
        for name, why in status.bridges.items():
            render.out.print(f"  bridge {name}: {why}", markup=False)
        if status.http:
            render.out.print(
                f"  metrics: http://{status.http}/metrics, health: http://{status.http}/health",
                markup=False,
            )
    if not status.running:
        raise typer.Exit(ExitStatus.NOT_RUNNING)
