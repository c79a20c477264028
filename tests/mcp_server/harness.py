"""``assistant mcp`` as a real process, driven by the SDK's own client: over stdio (the client
starts the process) or over HTTP (started here, on a free port, until the test stops it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp_types import CallToolResult, Implementation

CLIENT = "Test Agent"


def environ(env: dict[str, str], **more: str) -> dict[str, str]:
    """The environment of an ``assistant`` process on the test's home, with the hash
    embedder (no model weights) and no plugins."""
    return {**os.environ, **env, "ASSISTANT_EMBEDDER": "hash", **more}


@asynccontextmanager
async def stdio(values: dict[str, str], log: Path, name: str = CLIENT) -> AsyncIterator[Client]:
    """A client connected to ``assistant mcp`` started over stdio; the process's stderr
    goes to ``log``."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant_cli", "mcp"], env=values
    )
    with log.open("a", encoding="utf-8") as errors:
        transport = stdio_client(params, errlog=errors)
        info = Implementation(name=name, version="1.0")
        async with Client(transport, client_info=info) as client:
            yield client


@contextmanager
def http_server(values: dict[str, str], *args: str) -> Iterator[tuple[str, list[str]]]:
    """``assistant mcp --http --port 0`` running; yields its URL and the lines it wrote to
    stderr up to the bearer token's line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant_cli", "mcp", "--http", "--port", "0", *args],
        env=values,
        text=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    lines: list[str] = []
    try:
        line = process.stderr.readline()
        while line and "listening on" not in line:
            lines.append(line)
            line = process.stderr.readline()
        assert "listening on" in line, "".join(lines)
        lines.append(line)
        url = line.split("listening on ", 1)[1].split(";", 1)[0].strip()
        lines.append(process.stderr.readline())
        if "shown once" in lines[-1]:
            lines.append(process.stderr.readline())
        yield url, lines
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
        assert out == "", "nothing but the protocol on stdout (and over HTTP, nothing)"
        assert "Traceback" not in err, err


@asynccontextmanager
async def http(url: str, token: str | None, name: str = CLIENT) -> AsyncIterator[Client]:
    """A client of the HTTP server at ``url``, sending ``token`` as its bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else None
    async with create_mcp_http_client(headers=headers) as web:
        transport = streamable_http_client(url, http_client=web)
        info = Implementation(name=name, version="1.0")
        async with Client(transport, client_info=info) as client:
            yield client


def post(url: str, headers: dict[str, str]) -> httpx2.Response:
    """One raw JSON-RPC request (``tools/list``) to the HTTP server."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    accept = {"Accept": "application/json, text/event-stream"}
    return httpx2.post(url, json=body, headers={**accept, **headers}, timeout=30)


def data(result: CallToolResult) -> dict[str, Any]:
    """A successful call's JSON result."""
    assert not result.is_error, result.content
    found: dict[str, Any] | None = result.structured_content
    assert found is not None
    return found


def error(result: CallToolResult) -> str:
    """A failed call's message."""
    assert result.is_error, result.structured_content
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert "Traceback" not in text
    return text
