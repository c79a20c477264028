"""``assistant mcp``: the user's memory as an MCP server, for Claude Desktop, Claude Code,
Cursor and any other MCP client."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from assistant_cli import render
from assistant_cli.context import State, state

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.actions import Actions
    from assistant.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    """Add the mcp command to ``app``."""
    app.command()(mcp)


def mcp(
    ctx: typer.Context,
    http: bool = typer.Option(False, "--http", help="Serve streamable HTTP instead of stdio."),
    port: int = typer.Option(8765, "--port", help="With --http: the port (0: any free one)."),
) -> None:
    """Serve your memory to MCP clients (Claude Desktop, Claude Code, Cursor…): over stdio,
    or with --http on 127.0.0.1 behind a bearer token. Runs beside chat, the browser and
    serve on the same home."""
    from importlib.metadata import version

    from assistant.agent_server import build_server, run_stdio

    current = state(ctx)
    server = build_server(lambda: opening.result()[0], version=version("assistant"))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="mcp-open")
    # The home opens while the client starts talking: listing tools never waits for it, and
    # tool calls wait only for the opening, not for the catch-up with the vault after it.
    opening = pool.submit(_open, current)
    starting = pool.submit(lambda: opening.result()[1].start(consolidate=False))
    starting.add_done_callback(_report_start)
    stop = threading.Event()

    def stopping(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    try:
        if http:
            _serve_http(current, server, port, stop)
        else:
            run_stdio(server, stop)
    finally:
        pool.shutdown(cancel_futures=True)
        if starting.done() and not starting.cancelled() and starting.exception() is None:
            opening.result()[1].stop()


def _report_start(starting: concurrent.futures.Future[Any]) -> None:
    """The home could not be opened or kept in step: the log says why (each tool call too)."""
    if not starting.cancelled() and (problem := starting.exception()) is not None:
        log.warning("assistant mcp: %s", problem)


def _open(current: State) -> tuple[Actions, Runtime]:
    """Open the home and the runtime that keeps it in step (vault watching, history)."""
    from assistant.actions import Actions, Origin
    from assistant.runtime import Runtime

    responder = current.respond_with()
    return Actions(responder.assistant, origin=Origin("agent", "mcp")), Runtime(responder)


def _serve_http(current: State, server: MCPServer[Any], port: int, stop: threading.Event) -> None:
    from assistant.agent_server import run_http
    from assistant.agent_server.auth import load_token, token_file

    token = load_token(current.settings().home, os.environ)

    def ready(bound: int) -> None:
        url = f"http://127.0.0.1:{bound}/mcp"
        render.err.print(
            f"[bold]assistant mcp[/] listening on {url}; Ctrl-C stops it.", soft_wrap=True
        )
        if token.new:
            kept = token_file(current.settings().home)
            render.err.print(
                f"Bearer token (shown once; kept in {escape(str(kept))}):", soft_wrap=True
            )
            render.err.print(token.value, markup=False, highlight=False, soft_wrap=True)
        else:
            render.err.print(f"Bearer token from {escape(token.source)}.", soft_wrap=True)

    run_http(server, port=port, token=token.value, stop=stop, on_ready=ready)
