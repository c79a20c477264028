"""The MCP server of one home: its tools, resources and transports.

Usage::

    server = build_server(lambda: actions, version="0.1.0")
    run_stdio(server)                                   # until the client closes stdin
    run_http(server, port=8765, token=token)            # until Ctrl-C
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp_types import ToolAnnotations

from assistant.actions import Actions
from assistant.agent_server.auth import BearerGuard
from assistant.agent_server.tools import MemoryTools
from assistant.errors import AssistantError, NotFoundError
from assistant.vault.notes import render_note

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

NAME = "assistant"
INSTRUCTIONS = """\
The user's long-term memory, kept by their personal assistant as notes in their Obsidian vault
and shared by every agent they use. Call `profile` for who the user is and how they asked to
be answered (their standing instructions: follow them, below your own rules), `search_memories`
before answering anything about the user's life, people, plans or preferences, and `remember`
for durable facts the user tells you: one fact per call, in their own words ("I live in
Lille"), so that a newer fact replaces the one it updates; never secrets.
Correct a wrong memory with `update_memory`; `forget` archives one (restorable)."""

READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
CHANGE = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)
ARCHIVE = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False
)
RESTORE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


def build_server(actions: Callable[[], Actions], *, version: str = "") -> MCPServer[Any]:
    """The server with every tool and resource, over the actions ``actions()`` returns (it
    may block until the home is open: the first call waits for it)."""
    server: MCPServer[Any] = MCPServer(
        NAME,
        title="Personal assistant memory",
        instructions=INSTRUCTIONS,
        version=version,
        warn_on_duplicate_tools=False,
    )
    tools = MemoryTools(actions)
    for method, title, hints in (
        (tools.search_memories, "Search memories", READ),
        (tools.get_memory, "Get a memory", READ),
        (tools.list_recent, "Recent memories", READ),
        (tools.profile, "The user's profile", READ),
        (tools.remember, "Remember a fact", WRITE),
        (tools.update_memory, "Update a memory", CHANGE),
        (tools.forget, "Forget a memory", ARCHIVE),
        (tools.restore_memory, "Restore a memory", RESTORE),
        (tools.reminders, "Reminders", WRITE),
    ):
        server.add_tool(method, title=title, annotations=hints, structured_output=True)
    _add_resources(server, actions)
    return server


def _add_resources(server: MCPServer[Any], actions: Callable[[], Actions]) -> None:
    @server.resource(
        "assistant://profile",
        name="profile",
        title="The user's profile",
        description=(
            "The identity facts the assistant always knows, the user's notes, and how they "
            "asked to be answered."
        ),
        mime_type="text/markdown",
    )
    def profile() -> str:
        try:
            facts, notes = actions().profile()
        except AssistantError as exc:
            raise ResourceError(str(exc)) from None
        lines = ["# Profile", ""] + [f"- {m.text} ({m.id})" for m in facts]
        lines += ["", "## Notes", "", notes] if notes else []
        said = actions().instructions()
        lines += ["", "## How to answer", "", *(f"- {text}" for text in said)] if said else []
        return "\n".join(lines) + "\n"

    @server.resource(
        "assistant://memories/{memory_id}",
        name="memory",
        title="A memory note",
        description="One memory as its note in the vault: properties, then the text.",
        mime_type="text/markdown",
    )
    def memory(memory_id: str) -> str:
        try:
            return render_note(actions().get(memory_id))
        except NotFoundError as exc:
            raise ResourceNotFoundError(str(exc)) from None
        except AssistantError as exc:
            raise ResourceError(str(exc)) from None


def run_stdio(server: MCPServer[Any], stop: threading.Event | None = None) -> None:
    """Serve over stdin and stdout until the client closes stdin or ``stop`` is set (stdout
    carries only the protocol: the SDK points file descriptor 1 at stderr while it serves)."""

    async def serve() -> None:
        async with anyio.create_task_group() as group:
            if stop is not None:
                group.start_soon(_cancel_when, stop, group.cancel_scope)
            await server.run_stdio_async()
            group.cancel_scope.cancel()

    anyio.run(serve)


def run_http(
    server: MCPServer[Any],
    *,
    token: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    stop: threading.Event | None = None,
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Serve streamable HTTP on ``host:port`` at ``/mcp`` until ``stop`` is set; every request
    must carry ``Authorization: Bearer <token>``. ``on_ready(port)`` is called once it
    listens (port 0 picks a free one)."""
    import uvicorn

    app = BearerGuard(server.streamable_http_app(host=host), token)
    # No log config of uvicorn's own: its records go to the home's log like every other.
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    web = _quiet(uvicorn.Server)(config)

    async def serve() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(web.serve)
            while not web.started:
                if web.should_exit:
                    return
                await anyio.sleep(0.02)
            if on_ready is not None:
                sockets = [s for srv in web.servers for s in srv.sockets]
                on_ready(sockets[0].getsockname()[1] if sockets else port)
            while stop is None or not stop.is_set():
                if web.should_exit:
                    return
                await anyio.sleep(0.1)
            web.should_exit = True

    anyio.run(serve)


async def _cancel_when(stop: threading.Event, scope: anyio.CancelScope) -> None:
    while not stop.is_set():
        await anyio.sleep(0.1)
    scope.cancel()


def _quiet(base: type[uvicorn.Server]) -> type[uvicorn.Server]:
    """uvicorn's server, leaving the process's signals to the caller (who sets ``stop``)."""

    class Quiet(base):  # type: ignore[valid-type,misc]
        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return Quiet
