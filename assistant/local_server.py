"""``serve``'s side of :mod:`assistant.local_socket`: it answers the command line's
``search`` and ``remember`` on ``<home>/run/cli.sock``, through the action layer, as the
commands would in their own process.

A request is answered only when serve's settings are the ones the command would have
(the same vault, ``ASSISTANT_*`` variables and config.toml); otherwise it is refused and the
command does the work itself. The socket is its owner's only, and a connection from another
user is closed unanswered.

Usage::

    local = LocalServer(assistant, os.environ)
    local.start()        # the socket's path, or "" when it could not be made (logged)
    ...
    local.stop()         # waits for the requests in flight, removes the socket
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import socketserver
import stat
import struct
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import paths
from assistant.errors import AssistantError, storage_error
from assistant.local_socket import MAX_LINE, VERSION, environment_digest, socket_path
from assistant.wire import hit_to_wire, turn_hit_to_wire

if TYPE_CHECKING:
    from assistant.actions import Actions
    from assistant.core import Assistant

log = logging.getLogger(__name__)

READ_TIMEOUT = 10.0
"""Seconds a connection may take to send its request."""


class _Refused(Exception):
    """The request cannot be answered here as the command would answer it."""


class LocalServer:
    """The command line's socket while serve runs."""

    def __init__(self, assistant: Assistant, environ: Mapping[str, str]) -> None:
        from assistant.actions import Actions, Origin

        self.assistant = assistant
        self.path = socket_path(assistant.settings.home)
        self._environ = dict(environ)
        self._digest = environment_digest(environ)
        self.actions: Actions = Actions(assistant, origin=Origin("user", "cli"))
        """The same actions, and origin, as the commands' own."""
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._bound: tuple[int, int] | None = None
        self._commands: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "search": self._search,
            "remember": self._remember,
        }

    def start(self) -> str:
        """Listen; returns the socket's path, or "" when it cannot be made (logged: serve
        runs on, and commands do their work themselves)."""
        try:
            paths.private_dir(self.path.parent)
            self._clear()
            server = _Server(str(self.path), self)
            os.chmod(self.path, 0o600)
            found = os.lstat(self.path)
        except (OSError, _Refused) as exc:
            log.warning(
                "commands are not answered on %s: %s",
                self.path,
                exc,
                extra={"event": "cli_socket_failed"},
            )
            return ""
        self._server, self._bound = server, (found.st_dev, found.st_ino)
        self._thread = threading.Thread(target=server.serve_forever, name="cli-socket")
        self._thread.start()
        log.info("commands answered on %s", self.path, extra={"event": "cli_socket_started"})
        return str(self.path)

    def stop(self) -> None:
        """Stop listening, wait for the requests in flight, remove the socket (if it is
        still the one this server made)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()  # joins the requests' threads
        if self._thread is not None:
            self._thread.join()
        try:
            found = os.lstat(self.path)
            if (found.st_dev, found.st_ino) == self._bound:
                self.path.unlink()
        except OSError:
            pass

    def _clear(self) -> None:
        """Remove a socket a serve of this home left behind (this one holds the home now);
        anything else in its place is left alone."""
        try:
            found = os.lstat(self.path)
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(found.st_mode) or found.st_uid != os.getuid():
            raise _Refused("something else is in its place; move it away")
        self.path.unlink()

    def answer(self, line: bytes) -> dict[str, Any]:
        """The answer to one request line."""
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or request.get("v") != VERSION:
                raise _Refused("another version of the protocol")
            self._same_settings(request)
            command = self._commands.get(request.get("command", ""))
            args = request.get("args")
            if command is None or not isinstance(args, dict):
                raise _Refused("not a command answered here")
        except (_Refused, ValueError) as exc:  # ValueError: not JSON
            log.info("a command was left to do its own work: %s", exc)
            return {"v": VERSION, "refused": str(exc)}
        name = request["command"]
        answer: dict[str, Any]
        failed = ""
        try:
            answer = {"v": VERSION, "ok": True, "result": command(args), "pid": os.getpid()}
        except _Refused as exc:  # the arguments were checked before any work
            log.info("a command was left to do its own work: %s", exc)
            return {"v": VERSION, "refused": str(exc)}
        except Exception as exc:
            error = _described(exc, self.assistant.settings.home)
            answer = {"v": VERSION, "ok": False, "error": error, "pid": os.getpid()}
            failed = f" ({error['title']})"
        log.info(
            "answered %s from the command line%s",
            name,
            failed,
            extra={"event": "cli_answered", "command": name, "ok": answer["ok"]},
        )
        return answer

    def _same_settings(self, request: Mapping[str, Any]) -> None:
        if request.get("env") != self._digest:
            raise _Refused("other ASSISTANT_* variables")
        vault = request.get("vault")
        if vault is not None and not isinstance(vault, str):
            raise _Refused("a vault that is not a path")
        from assistant.settings import read_settings

        flags = {"home": str(self.assistant.settings.home), "vault": vault}
        try:
            theirs = read_settings(flags, self._environ)
        except AssistantError as exc:
            raise _Refused(f"the settings do not load: {exc}") from exc
        if theirs != self.assistant.settings:
            raise _Refused("other settings (config.toml or --vault)")

    def _search(self, args: Mapping[str, Any]) -> dict[str, Any]:
        query, k, turns = _of(args, "query", str), _of(args, "k", int), _of(args, "turns", int)
        types, tags = _strings(args, "types"), _strings(args, "tags")
        found = self.actions.find(
            query, k, types=types, tags=tags, everything=_of(args, "all", bool), turns=turns
        )
        return {
            "hits": [hit_to_wire(h) for h in found.memories],
            "said": [turn_hit_to_wire(t) for t in found.turns],
        }

    def _remember(self, args: Mapping[str, Any]) -> dict[str, Any]:
        kind = args.get("type")
        importance = args.get("importance")
        if kind is not None and not isinstance(kind, str):
            raise _Refused("type is not text")
        if importance is not None and not isinstance(importance, int | float):
            raise _Refused("importance is not a number")
        memory = self.actions.remember(
            _of(args, "text", str),
            type=kind,
            tags=_strings(args, "tags"),
            importance=None if importance is None else float(importance),
            important=_of(args, "important", bool),
        )
        return {"memory": memory.to_dict()}


def _of(args: Mapping[str, Any], key: str, kind: type[Any]) -> Any:
    value = args.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Refused(f"{key} is not {kind.__name__}")
    return value


def _strings(args: Mapping[str, Any], key: str) -> list[str]:
    value = args.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Refused(f"{key} is not a list of text")
    return value


def _described(exc: Exception, home: Path) -> dict[str, str]:
    """The error as the command's own handler shows it: its title and message."""
    if isinstance(exc, AssistantError):
        shown = exc
    elif isinstance(exc, OSError):
        shown = storage_error(exc, str(exc.filename if exc.filename is not None else "a file"))
    else:
        log.error("unexpected error answering the command line", exc_info=exc)
        from assistant.observability.logs import LOG_NAME

        shown = AssistantError(
            f"{type(exc).__name__}: {exc}\n"
            f"This is a bug; the details are in {paths.log_dir(home) / LOG_NAME}.",
            title="Unexpected error",
        )
    return {"title": shown.title, "message": shown.message}


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """One thread per connection; closing waits for them."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, path: str, owner: LocalServer) -> None:
        self.owner = owner
        super().__init__(path, _Handler)


class _Handler(socketserver.StreamRequestHandler):
    timeout = READ_TIMEOUT
    server: _Server

    def handle(self) -> None:
        if not _same_user(self.request):
            log.warning("closed a connection to the command socket from another user")
            return
        try:
            line = self.rfile.readline(MAX_LINE + 1)
        except OSError:
            return
        if not line.endswith(b"\n"):
            return
        answer = self.server.owner.answer(line)
        data = json.dumps(answer, ensure_ascii=False, default=str).encode("utf-8") + b"\n"
        with contextlib.suppress(OSError):  # the command went away (Ctrl-C)
            self.wfile.write(data)


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer runs as this process's user (where the OS says; the socket's
    permissions hold elsewhere)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    raw = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", raw)
    return bool(uid == os.getuid())
