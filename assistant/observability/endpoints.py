"""The endpoints ``assistant serve`` answers on its loopback HTTP server: ``/metrics``
(Prometheus), ``/health`` (the checks ``doctor`` prints), ``/health/live`` and
``/health/ready``.

They are mounted with :func:`assistant.web.mount_routes`, on the address the
``[observability]`` settings name, so they share a server with the bridges' webhooks when
both use one address. What they read runs on a worker thread, never on the server's loop.

Usage::

    endpoints = Endpoints(service)
    address = endpoints.start()       # "127.0.0.1:9464", or "" when off or not bound
    ...
    endpoints.stop()
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from assistant.errors import AssistantError
from assistant.observability.health import UNHEALTHY, Health, Running, assess, health_checks
from assistant.web import Mount, Route, mount_routes

if TYPE_CHECKING:
    from assistant.observability.metrics import Metrics
    from assistant.service import Service

log = logging.getLogger(__name__)

HEALTH_TTL = 5.0
"""Seconds a computed health is answered again (probes may ask every second)."""

T = TypeVar("T")


class Endpoints:
    """Metrics wired to the service's responder, and the routes that serve them."""

    def __init__(
        self, service: Service, *, health_ttl: float = HEALTH_TTL, figures_max_age: float = 2.0
    ) -> None:
        self.service = service
        self.settings = service.responder.assistant.settings.observability
        self.metrics: Metrics | None = None
        self._mount: Mount | None = None
        self._health_ttl = health_ttl
        self.figures_max_age = figures_max_age
        """Seconds the counts read from the index and records are answered again."""
        self._health: tuple[float, Health] | None = None
        self._lock = threading.Lock()

    def start(self) -> str:
        """Count from now on and serve the endpoints; returns where (``host:port``), or ""
        when they are off or the address cannot be bound (logged: serve runs on)."""
        if not self.settings.http:
            return ""
        from assistant.observability.metrics import Metrics, Process, State

        service = self.service
        responder = service.responder
        metrics = self.metrics = Metrics()
        responder.listeners.add(metrics.on_turn)
        responder.spending.listen(metrics.on_call)
        clock = service.runtime.clock
        metrics.watch(
            State(
                responder,
                Process(
                    service.started or time.time(),
                    lambda: dict(service.bridge_state),
                    lambda: dict(clock.failures),
                ),
                max_age=self.figures_max_age,
            )
        )
        host, port = self.settings.host, self.settings.port
        if host not in ("127.0.0.1", "localhost", "::1"):
            log.warning(
                "metrics and health are served on %s, beyond this machine: they need no key",
                host,
            )
        try:
            self._mount = mount_routes(host, port, self.routes())
        except (OSError, AssistantError) as exc:
            log.warning(
                "metrics and health endpoints not served on %s:%d: %s",
                host,
                port,
                exc,
                extra={"event": "endpoints_failed"},
            )
            return ""
        address = f"{host}:{self._mount.port}"
        log.info("metrics and health on http://%s", address, extra={"event": "endpoints_started"})
        return address

    def stop(self) -> None:
        """Stop serving the endpoints."""
        if self._mount is not None:
            self._mount.close()
            self._mount = None

    def routes(self) -> list[Route]:
        """``/metrics``, ``/health``, ``/health/live`` and ``/health/ready`` (GET only)."""
        return [
            Route("GET", "/metrics", self._metrics, max_body=0),
            Route("GET", "/health", self._health_route, max_body=0),
            Route("GET", "/health/live", self._live, max_body=0),
            Route("GET", "/health/ready", self._ready, max_body=0),
        ]

    def health(self) -> Health:
        """The service's health (computed again after ``health_ttl`` seconds)."""
        with self._lock:
            if self._health is not None and time.monotonic() - self._health[0] < self._health_ttl:
                return self._health[1]
            service = self.service
            assistant = service.responder.assistant
            running = Running(
                bridges=dict(service.bridge_state),
                watching=assistant.watching,
                catching_up=not service.caught_up.is_set(),
                watcher_restarts=assistant.watcher_restarts,
                consolidation=service.runtime.state().consolidation,
            )
            health = assess(
                health_checks(assistant, service.responder.registry.models(), running=running)
            )
            self._health = (time.monotonic(), health)
            return health

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        assert self.metrics is not None
        body = await _off_loop(self.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": _CONTENT_TYPE})

    async def _health_route(self, request: web.Request) -> web.StreamResponse:
        health = await _off_loop(self.health)
        code = 503 if health.status == UNHEALTHY else 200
        return web.json_response(health.as_dict(), status=code)

    async def _live(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "alive"})

    async def _ready(self, request: web.Request) -> web.StreamResponse:
        if not self.service.ready.is_set():
            return web.json_response({"status": "starting"}, status=503)
        health = await _off_loop(self.health)
        ready = health.status != UNHEALTHY
        body: dict[str, Any] = {"status": "ready" if ready else health.status}
        return web.json_response(body, status=200 if ready else 503)


_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


async def _off_loop(work: Callable[[], T]) -> T:
    """Run ``work`` on a worker thread: the loop keeps answering the bridges' webhooks."""
    return await asyncio.get_running_loop().run_in_executor(None, work)
