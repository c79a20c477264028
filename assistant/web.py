"""One HTTP server per ``host:port``, shared by every bridge that serves webhooks (SMS, voice).

A bridge mounts its routes on the address its settings name; the first mount starts an aiohttp
server on its own thread and event loop, later mounts on the same address add their routes to
it, and the server stops when the last mount is closed. So the SMS webhook and the voice
endpoints answer on one port when both bridges are enabled, and on loopback unless configured.

Each route caps its request body: a larger ``Content-Length`` gets 413 before the handler
runs, and :func:`read_body` enforces the cap on a body sent without one.

Usage::

    async def hello(request: web.Request) -> web.StreamResponse:
        return web.json_response({"hello": "world"})

    mount = mount_routes("127.0.0.1", 8787, [Route("GET", "/hello", hello)])
    mount.port                                   # the bound port (port 0: a free one)
    mount.close()
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web

from assistant.errors import ConfigError

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_MAX_BODY = 1024 * 1024
CEILING = 16 * 1024 * 1024
"""No route reads more than this, whatever it asks."""


@dataclass(frozen=True)
class Route:
    """A handler for one method and exact path, reading at most ``max_body`` bytes."""

    method: str
    path: str
    handler: Handler
    max_body: int = DEFAULT_MAX_BODY


class TooLarge(Exception):
    """A request body over its route's cap."""


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, at most ``limit`` bytes; :class:`TooLarge` beyond it."""
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge
    data = await request.content.read(limit + 1)
    if len(data) > limit:
        raise TooLarge
    return data


class _Server:
    """The routes of one address and the server answering them."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.routes: dict[tuple[str, str], Route] = {}
        self.mounts = 0
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name=f"web-{host}:{port}", daemon=True)

    def start(self, timeout: float) -> None:
        self._thread.start()
        self._ready.wait(timeout)
        if self._error is not None:
            raise self._error

    def stop(self, timeout: float) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._error = exc
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=CEILING)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            self.port = int(runner.addresses[0][1])
            self._stopping = asyncio.Event()
            self._ready.set()
            await self._stopping.wait()
        finally:
            await runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        route = self.routes.get((request.method, request.path))
        if route is None:
            known = any(path == request.path for _, path in self.routes)
            return web.Response(status=405 if known else 404)
        if request.content_length is not None and request.content_length > route.max_body:
            return web.Response(status=413, text="Request too large")
        try:
            return await route.handler(request)
        except (TooLarge, web.HTTPRequestEntityTooLarge):
            return web.Response(status=413, text="Request too large")


class Mount:
    """Routes mounted on a shared server; :meth:`close` takes them off again."""

    def __init__(self, server: _Server, routes: Sequence[Route], key: tuple[str, int]) -> None:
        self._server = server
        self._routes = list(routes)
        self._key = key
        self._closed = False

    @property
    def host(self) -> str:
        """The address listened on."""
        return self._server.host

    @property
    def port(self) -> int:
        """The port listened on (the one bound when 0 was asked for)."""
        return self._server.port

    def close(self, timeout: float = 3.0) -> None:
        """Take the routes off; the server stops with its last mount."""
        with _lock:
            if self._closed:
                return
            self._closed = True
            for route in self._routes:
                self._server.routes.pop((route.method, route.path), None)
            self._server.mounts -= 1
            last = self._server.mounts == 0
            if last:
                _servers.pop(self._key, None)
        if last:
            self._server.stop(timeout)


_servers: dict[tuple[str, int], _Server] = {}
_lock = threading.Lock()


def mount_routes(host: str, port: int, routes: Sequence[Route], *, timeout: float = 10.0) -> Mount:
    """Serve ``routes`` on ``host:port``, sharing the server already there (port 0: a new
    server on a free port). Raises :class:`ConfigError` when another bridge serves one of the
    paths already, ``OSError`` when the address cannot be bound."""
    for route in routes:
        if route.max_body > CEILING:
            raise ValueError(f"{route.path}: a body cap over {CEILING} bytes")
    with _lock:
        key = (host, port)
        server = _servers.get(key) if port else None
        taken = [r.path for r in routes if server and (r.method, r.path) in server.routes]
        if taken:
            raise ConfigError(
                f"{', '.join(taken)} on {host}:{port} is served by another bridge already",
                title="Address in use",
            )
        fresh = server is None
        if server is None:
            server = _Server(host, port)
            server.start(timeout)
            key = (host, server.port)
            _servers[key] = server
        for route in routes:
            server.routes[(route.method, route.path)] = route
        server.mounts += 1
    if fresh:
        log.debug("HTTP server listening on %s:%d", host, server.port)
    return Mount(server, routes, key)
