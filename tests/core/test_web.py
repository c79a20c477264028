"""The HTTP server bridges share: one per address, routes added and taken off by each bridge,
bodies capped per route, the port released with the last mount."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest
from aiohttp import web

from assistant.errors import ConfigError
from assistant.web import Route, mount_routes, read_body


def call(url: str, body: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def answering(text: str) -> Route:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(text=text)

    return Route("GET", "/" + text, handler)


async def echo(request: web.Request) -> web.StreamResponse:
    return web.Response(body=await read_body(request, 10))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_bridges_share_one_port_until_the_last_one_leaves() -> None:
    port = free_port()
    sms = mount_routes("127.0.0.1", port, [answering("sms")])
    voice = mount_routes("127.0.0.1", port, [answering("voice"), Route("POST", "/echo", echo, 10)])
    base = f"http://127.0.0.1:{port}"
    assert voice.port == sms.port == port
    assert call(base + "/sms") == (200, "sms") and call(base + "/voice") == (200, "voice")
    assert call(base + "/echo", b"0123456789") == (200, "0123456789")
    assert call(base + "/echo", b"0123456789!")[0] == 413, "over the route's cap"
    assert call(base + "/nothing")[0] == 404 and call(base + "/echo")[0] == 405
    with pytest.raises(ConfigError, match="/sms"):
        mount_routes("127.0.0.1", port, [answering("sms")])
    sms.close()
    assert call(base + "/sms")[0] == 404 and call(base + "/voice") == (200, "voice")
    voice.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/voice", timeout=5)
    again = mount_routes("127.0.0.1", port, [answering("sms")])
    try:
        assert call(base + "/sms") == (200, "sms"), "the port was released"
    finally:
        again.close()
