"""The command line's way to a running ``assistant serve``: a Unix socket in the home.

While ``serve`` runs, it answers some commands (``search``, ``remember``) on
``<home>/run/cli.sock``, warm, so the command line need not open the indexes and load the
model itself. The folder is its owner's only (0700) and the socket too (0600); a client
uses neither when they are someone else's or others may use them.

One request and one answer per connection, each a line of JSON::

    {"v": 1, "command": "search", "args": {...}, "vault": null, "env": "<digest>"}
    {"v": 1, "ok": true, "result": {...}, "pid": 1234}
    {"v": 1, "ok": false, "error": {"title": "...", "message": "..."}, "pid": 1234}
    {"v": 1, "refused": "why"}

``serve`` refuses a request it cannot answer exactly as the command would in its own process
(other settings: another vault, other ``ASSISTANT_*`` variables, a changed config.toml); the
command then does the work itself. This module is the client's side and imports only the
standard library: a command decides here, in a few milliseconds, whether serve answers.

Usage::

    answer = ask(home, "search", {"query": "sister", ...}, vault=None, environ=os.environ)
    # None: no serve answers here (do the work in-process); else the answer's dict
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import socket

VERSION = 1
"""The protocol's version; a request of another version is refused."""
MAX_LINE = 8 * 1024 * 1024
"""The longest request or answer line, in bytes."""
CONNECT_TIMEOUT = 2.0
"""Seconds to wait for serve to accept a connection."""
ANSWER_TIMEOUT = 120.0
"""Seconds to wait for the answer (the first one after serve starts loads the model)."""


def socket_path(home: Path) -> Path:
    """Where ``serve`` listens for the command line: ``<home>/run/cli.sock``."""
    return home / "run" / "cli.sock"


def environment_digest(environ: Mapping[str, str]) -> str:
    """A digest of the ``ASSISTANT_*`` variables that shape the settings (the home aside:
    the socket's place names it), so serve can tell whether it runs with the same ones."""
    import hashlib

    kept = sorted((k, v) for k, v in environ.items() if k.startswith("ASSISTANT_"))
    text = json.dumps([kv for kv in kept if kv[0] != "ASSISTANT_HOME"])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NotPrivate(Exception):
    """The socket or its folder is not its owner's only, or not the user's: not used."""


class NoAnswer(Exception):
    """The request was sent and serve closed the connection or went quiet without an answer
    (what it did meanwhile is not known)."""


def private(path: Path) -> bool:
    """Whether ``path`` is there; raises :class:`NotPrivate` when it, or its folder, belongs
    to someone else, is a link, or others may use it."""
    try:
        folder = os.lstat(path.parent)
    except OSError:
        return False
    _owned(path.parent, folder, stat.S_ISDIR)
    try:
        found = os.lstat(path)
    except OSError:
        return False
    _owned(path, found, stat.S_ISSOCK)
    return True


def _owned(path: Path, found: os.stat_result, kind: Any) -> None:
    if not kind(found.st_mode):
        raise NotPrivate(f"{path} is not what serve makes (a link or another kind of file)")
    if found.st_uid != os.getuid():
        raise NotPrivate(f"{path} belongs to another user (uid {found.st_uid})")
    mode = stat.S_IMODE(found.st_mode)
    if mode & 0o077:
        raise NotPrivate(f"{path} is open to others (mode {mode:04o})")


def ask(
    home: Path,
    command: str,
    args: Mapping[str, Any],
    *,
    vault: str | None,
    environ: Mapping[str, str],
) -> dict[str, Any] | None:
    """Serve's answer to ``command`` with ``args``, or None when no serve answers here (no
    socket, a stale one, a refusal): then the command does the work itself. Raises
    :class:`NotPrivate` for a socket it must not use, :class:`NoAnswer` when the request went
    out and no answer came back."""
    path = socket_path(home)
    if not private(path):
        return None  # (a command with no serve to ask loads no more than this module)
    import socket

    request = {
        "v": VERSION,
        "command": command,
        "args": dict(args),
        "vault": vault,
        "env": environment_digest(environ),
    }
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(CONNECT_TIMEOUT)
        try:
            client.connect(str(path))
        except OSError:
            return None  # stale (serve is gone) or not accepting: do it here
        client.settimeout(ANSWER_TIMEOUT)
        try:
            client.sendall(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
        except OSError:
            return None  # nothing reached serve
        line = _read_line(client)
    try:
        answer = json.loads(line)
    except ValueError as exc:
        raise NoAnswer("serve's answer could not be read") from exc
    if not isinstance(answer, dict) or answer.get("v") != VERSION or "refused" in answer:
        return None
    return answer


def _read_line(client: socket.socket) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = client.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if chunk.endswith(b"\n") or size > MAX_LINE:
                break
    except OSError as exc:  # a timeout too
        raise NoAnswer(f"serve did not answer: {exc}") from exc
    line = b"".join(chunks)
    if not line.endswith(b"\n"):
        raise NoAnswer("serve closed the connection without an answer")
    return line
