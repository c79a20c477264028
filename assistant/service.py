"""``assistant serve``: one long-running process for a home, running the runtime and every
enabled bridge until SIGTERM or SIGINT.

One service per home: a lock file says whether one runs (the lock dies with its process, so
a crash leaves nothing to clean up), and a status file beside it says what it is doing,
rewritten on a slow heartbeat. Once caught up with the vault, it answers the command line's
``search`` and ``remember`` on a socket in the home (:mod:`assistant.local_server`). Idle, it
sleeps: the vault watcher waits on the OS, the reminder clock looks at one file's size once a
second, the heartbeat writes every 30 s.

Usage::

    stop = threading.Event()
    Service(responder).run(stop)      # returns once stop is set and everything is closed
    read_status(home)                 # ServeStatus(running=True, pid=..., ...)
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.backup.schedule import DailyBackup
from assistant.conversation.reply import InboundMessage, Notice, Reply
from assistant.conversation.responder import Responder
from assistant.errors import AssistantError
from assistant.hookspecs import Bridge, BridgeFactory
from assistant.local_server import LocalServer
from assistant.observability.endpoints import Endpoints
from assistant.runtime import Runtime
from assistant.store.filelock import try_file_lock
from assistant.vault.files import write_atomic

log = logging.getLogger(__name__)

HEARTBEAT = 30.0


class AlreadyServing(AssistantError):
    """Another ``assistant serve`` runs on this home."""

    title = "Already running"


def already_serving(home: Path) -> AlreadyServing:
    """The error for a second service on ``home``, naming the one that runs."""
    other = read_status(home)
    pid = f" (process {other.pid})" if other.pid else ""
    return AlreadyServing(
        f"assistant serve already runs on {home}{pid}; "
        "`assistant serve --check` says what it is doing"
    )


def lock_file(home: Path) -> Path:
    """Held by the running service for as long as it runs."""
    return home / "serve.lock"


def status_file(home: Path) -> Path:
    """What the running service is doing (JSON), rewritten on each heartbeat."""
    return home / "serve.json"


@dataclass(frozen=True)
class ServeStatus:
    """Whether a service runs on a home, and what it last said it was doing."""

    running: bool
    pid: int = 0
    started: float = 0.0
    updated: float = 0.0
    channels: list[str] = field(default_factory=list)
    bridges: dict[str, str] = field(default_factory=dict)
    """Each bridge's state: ``running`` or why not."""
    reminders_delivered: int = 0
    consolidation: str = "off"
    watching: bool = False
    http: str = ""
    """Where ``/metrics`` and ``/health`` answer (``host:port``); empty when they are off."""
    backup: str = ""
    """What the daily backup last did (empty before the first one of this run)."""

    def as_dict(self) -> dict[str, Any]:
        """The fields, for ``--json``."""
        return asdict(self)


def read_status(home: Path) -> ServeStatus:
    """Whether a service runs on ``home`` (its lock is held) and its last status."""
    with try_file_lock(lock_file(home)) as free:
        if free:
            return ServeStatus(running=False)
    try:
        data = json.loads(status_file(home).read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in ServeStatus.__dataclass_fields__}
        return ServeStatus(**{**known, "running": True})
    except (OSError, ValueError, TypeError):
        return ServeStatus(running=True)  # starting: the status is not written yet


class ServeHost:
    """What bridges answer through: the responder, owner only. Each conversation (channel
    and sender) is answered one message at a time, different conversations at once."""

    def __init__(self, responder: Responder, owners: Mapping[str, str]) -> None:
        self.responder = responder
        self._owners = owners

    def is_owner(self, channel: str, sender: str) -> bool:
        """Whether ``sender`` owns ``channel``: listed in its ``[bridges.<name>]`` table
        (``owner``/``owners``) or paired (``assistant.owners``); nobody else does."""
        from assistant.owners import Owners

        assistant = self.responder.assistant
        return Owners(assistant.db, assistant.settings.bridges).is_owner(channel, sender)

    def answer(self, text: str, *, channel: str, sender: str, thread: str = "") -> str:
        """The reply to a message from the owner (in ``thread`` of the channel: a conversation
        of its own); anyone else gets no answer at all."""
        if not self.is_owner(channel, sender):
            log.warning("ignored a message on %s from someone who is not the owner", channel)
            return ""
        reply = ""
        message = InboundMessage(text, channel, sender, thread=thread)
        for event in self.responder.respond(message):
            if isinstance(event, Reply):
                reply = event.text
        return reply


class Service:
    """The runtime plus the enabled bridges, run until ``stop`` is set."""

    def __init__(
        self,
        responder: Responder,
        *,
        bridges: Mapping[str, BridgeFactory] | None = None,
        heartbeat: float = HEARTBEAT,
        on_notice: Callable[[Notice], object] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.responder = responder
        self.home = responder.assistant.settings.home
        self.runtime = Runtime(responder, on_problem=lambda problem: log.warning("%s", problem))
        self._factories = dict(bridges or {})
        self._heartbeat = heartbeat
        self._on_notice = on_notice or (lambda notice: log.info("%s", notice.text))
        self.bridges: dict[str, Bridge] = {}
        self.bridge_state: dict[str, str] = {}
        self.started = 0.0
        self._warming: threading.Thread | None = None
        self.ready = threading.Event()
        """Set once the bridges answer; catching up with the vault follows."""
        self.caught_up = threading.Event()
        """Set once the runtime caught up with the vault and watches it."""
        self.endpoints = Endpoints(self)
        """``/metrics`` and ``/health`` on the loopback server (``[observability]``)."""
        self.http = ""
        assistant = responder.assistant
        self.local = LocalServer(assistant, os.environ if environ is None else environ)
        """``search`` and ``remember`` from the command line, on ``<home>/run/cli.sock``."""
        self.backups = DailyBackup(
            assistant.settings,
            assistant.db,
            os.environ if environ is None else environ,  # the passphrase, S3 credentials
            on_problem=self._backup_failed,
        )
        """The daily backup (``[backup] schedule``), made in the background."""

    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set, then stop the bridges and the runtime; raises
        :class:`AlreadyServing` when another service holds the home."""
        with try_file_lock(lock_file(self.home)) as mine:
            if not mine:
                raise already_serving(self.home)
            self.started = time.time()
            try:
                self.http = self.endpoints.start()
                self._start_bridges()
                self.ready.set()
                log.info(
                    "serving %s",
                    self.home,
                    extra={"event": "serve_started", "bridges": dict(self.bridge_state)},
                )
                self._catch_up()
                self.local.start()  # once caught up: answers as a command's own process would
                while not stop.wait(self._heartbeat):
                    self._write_status()
            finally:
                self._stop()

    def _catch_up(self) -> None:
        """After the bridges answer: warm the indexes and models in the background, catch up
        with the vault and start the background work (messages meanwhile are answered from
        the index as it stands)."""
        self._warming = threading.Thread(target=self._warm_up, name="warm-up", daemon=True)
        self._warming.start()
        for notice in self.runtime.start():
            self._on_notice(notice)
        self.caught_up.set()
        self.backups.start()
        self._write_status()

    def _backup_failed(self, problem: str) -> None:
        log.warning("%s", problem)
        self._on_notice(Notice(problem[:1].upper() + problem[1:], "warning"))

    def _warm_up(self) -> None:
        try:
            self.responder.warm_up()
        except Exception as exc:  # a slow first message, never a dead service
            log.warning("warm-up failed: %s", exc)

    def _start_bridges(self) -> None:
        self._write_status()
        settings = self.responder.assistant.settings.bridges
        host = ServeHost(self.responder, {n: str(t.get("owner", "")) for n, t in settings.items()})
        for name, table in settings.items():
            if not table.get("enabled", True):
                continue
            factory = self._factories.get(name)
            if factory is None:
                self.bridge_state[name] = "not installed (no plugin provides it)"
                log.warning("bridge %s is configured but no plugin provides it", name)
                continue
            try:
                bridge = factory(host, table)
                bridge.start()
            except Exception as exc:  # one bridge failing never stops the others
                self.bridge_state[name] = f"failed: {exc}"
                log.warning("bridge %s did not start: %s", name, exc)
                continue
            self.bridges[name] = bridge
            self.bridge_state[name] = "running"
            if getattr(bridge, "delivers", True):  # a phone agent cannot call the owner
                self.runtime.attach(name, _deliverer(bridge))
        self._write_status()

    def _stop(self) -> None:
        self.local.stop()
        self.backups.stop()
        for name, bridge in self.bridges.items():
            self.runtime.detach(name)  # (never attached: nothing happens)
            try:
                bridge.stop()
            except Exception as exc:
                log.warning("bridge %s did not stop cleanly: %s", name, exc)
        for notice in self.runtime.stop():
            self._on_notice(notice)
        if self._warming is not None:
            self._warming.join(timeout=5)  # not in the middle of an import at exit
        self.endpoints.stop()
        status_file(self.home).unlink(missing_ok=True)
        log.info("stopped", extra={"event": "serve_stopped"})

    def _write_status(self) -> None:
        state = self.runtime.state()
        status = ServeStatus(
            running=True,
            pid=os.getpid(),
            started=self.started,
            updated=time.time(),
            channels=state.channels,
            bridges=dict(self.bridge_state),
            reminders_delivered=state.reminders_delivered,
            consolidation=state.consolidation,
            watching=state.watching,
            http=self.http,
            backup=self.backups.last,
        )
        try:
            write_atomic(status_file(self.home), json.dumps(status.as_dict(), indent=2) + "\n")
        except OSError as exc:
            log.warning("status not written: %s", exc)


def _deliverer(bridge: Bridge) -> Callable[[Notice], None]:
    """Shows a notice through ``bridge``; raises when it could not (the clock retries)."""

    def deliver(notice: Notice) -> None:
        if not bridge.deliver(notice.text):
            raise ConnectionError(f"{bridge.name} could not deliver")

    return deliver
