"""The bearer token that guards ``assistant mcp --http``.

The token comes from ``ASSISTANT_MCP_TOKEN``, else the system keyring (``keyring set assistant
mcp_token``), else the file ``mcp-token`` in the home (mode 0600), written with a new random
token the first time (which the command prints once). It never goes in config.toml or the vault.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.errors import storage_error
from assistant.keyring_secrets import Lookup, keyring_lookup

ENV = "ASSISTANT_MCP_TOKEN"
KEYRING_NAME = "mcp_token"


@dataclass(frozen=True)
class Token:
    """The token and where it came from."""

    value: str
    source: str
    """``environment``, ``keyring``, the token file's path, or ``new`` (just written)."""

    @property
    def new(self) -> bool:
        """Whether it was made just now (show it to the user, once)."""
        return self.source == "new"


def token_file(home: Path) -> Path:
    """Where a generated token is kept (readable by the user only)."""
    return home / "mcp-token"


def load_token(home: Path, environ: Mapping[str, str], lookup: Lookup = keyring_lookup) -> Token:
    """The HTTP server's token: the environment, the keyring, the token file, or a new one
    saved to the token file."""
    if environ.get(ENV, "").strip():
        return Token(environ[ENV].strip(), "environment")
    if found := lookup(KEYRING_NAME).strip():
        return Token(found, "keyring")
    file = token_file(home)
    try:
        saved = file.read_text(encoding="utf-8").strip()
        if saved:
            return Token(saved, str(file))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise storage_error(exc, file) from exc
    value = secrets.token_urlsafe(32)
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
    except OSError as exc:
        raise storage_error(exc, file, doing="create") from exc
    return Token(value, "new")


class BearerGuard:
    """An ASGI middleware that answers 401 to an HTTP request without the bearer token; the
    server's lifespan passes through, and a WebSocket is refused by the app behind."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        body = b'{"error": "unauthorized", "detail": "a valid bearer token is required"}'
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="assistant"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _allowed(self, scope: Scope) -> bool:
        given = b""
        for key, value in scope.get("headers", []):
            if key.lower() == b"authorization":
                given = value
        scheme, _, credentials = given.partition(b" ")
        # Compared in constant time, whatever the length or the content of what was sent.
        matches = hmac.compare_digest(credentials.strip(), self._expected)
        return scheme.lower() == b"bearer" and matches
