"""The voice bridge: the endpoints an ElevenLabs phone agent calls, on the HTTP server the
bridges share (``assistant.web``; the SMS webhook's when both are enabled).

- ``POST /webhook/conversation-init``: who is calling; the owner is greeted by name with what
  the assistant knows, anyone else neutrally with nothing personal.
- ``POST /tools/memory-query``: the agent's memory tool, the same search as chat.
- ``POST /webhook/post-call``: the signed transcript of a finished call, stored in the
  durable inbox and acknowledged at once, then learned from in the background, once.
- ``GET /health``, ``/health/live``, ``/health/ready``.

The init webhook and the tool need the bearer token; the post-call webhook needs a valid
``ElevenLabs-Signature``, fresh, and is taken once per call. A stranger's call is never
stored or learned from. Phone numbers appear in logs redacted.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from assistant.courier import Courier
from assistant.hookspecs import BridgeHost
from assistant.inbox import Inbound, Inbox, Outbox, Outgoing
from assistant.owners import redact
from assistant.store.conversations import ConversationLog
from assistant.web import Mount, Route, TooLarge, mount_routes, read_body
from assistant_voice import calls, query
from assistant_voice.config import VoiceSettings, read_settings
from assistant_voice.greeting import Greeter, stranger
from assistant_voice.signature import HEADER, BadSignature, verify

log = logging.getLogger(__name__)

CHANNEL = "voice"
OWNER_CHANNELS = (CHANNEL, "sms")
"""A caller is the owner when their number owns the voice channel or the SMS one."""
SMALL_BODY = 64 * 1024
"""Largest init or tool request read."""

INIT = "/webhook/conversation-init"
TOOL = "/tools/memory-query"
POST_CALL = "/webhook/post-call"


class VoiceBridge:
    """Serves an ElevenLabs agent the owner's memory and learns from their calls."""

    name = CHANNEL
    delivers = False
    """A phone agent cannot call the owner with a reminder: none is offered to it."""

    def __init__(
        self,
        host: BridgeHost,
        table: Mapping[str, Any],
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.host = host
        self.settings: VoiceSettings = read_settings(
            table, os.environ if environ is None else environ
        )
        self.clock = clock
        responder = host.responder
        self.actions = responder.actions
        self.learner = responder.learner
        db = responder.assistant.db
        self.inbox = Inbox(db, CHANNEL, clock=clock)
        self.greeter = Greeter(
            self.actions, ConversationLog(db), name=self.settings.name, clock=clock
        )
        self.courier = Courier(
            self.inbox, Outbox(db, CHANNEL, clock=clock), answer=self._process, send=_nothing
        )
        self.port = self.settings.port
        self._mount: Mount | None = None

    # -- the Bridge protocol ------------------------------------------------------------------

    def start(self) -> None:
        """Learn from what a previous run left pending, then listen."""
        self.courier.start()
        small, large = SMALL_BODY, self.settings.max_body
        routes = [
            Route("POST", INIT, self._init, small),
            Route("POST", TOOL, self._tool, small),
            Route("POST", POST_CALL, self._post_call, large),
            Route("GET", "/health", self._health, 0),
            Route("GET", "/health/live", self._live, 0),
            Route("GET", "/health/ready", self._ready, 0),
        ]
        try:
            self._mount = mount_routes(self.settings.host, self.settings.port, routes)
        except BaseException:
            self.courier.stop()
            raise
        self.port = self._mount.port
        log.info("voice endpoints listening on %s:%d", self.settings.host, self.port)

    def stop(self) -> None:
        """Stop listening and learning; an unprocessed call is processed after the next start."""
        if self._mount is not None:
            self._mount.close()
            self._mount = None
        self.courier.stop()

    def deliver(self, text: str) -> bool:
        """Never delivered here (see :attr:`delivers`)."""
        return False

    # -- who is asking ------------------------------------------------------------------------

    def is_owner(self, caller: str) -> bool:
        """Whether ``caller`` (a phone number) is the owner's."""
        return bool(caller) and any(self.host.is_owner(c, caller) for c in OWNER_CHANNELS)

    def _authorised(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        expected = self.settings.token.encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)

    def _other_agent(self, agent_id: object) -> bool:
        return bool(self.settings.agent_id) and agent_id != self.settings.agent_id

    # -- the endpoints ------------------------------------------------------------------------

    async def _init(self, request: web.Request) -> web.StreamResponse:
        if not self._authorised(request):
            log.warning("refused a conversation-init request without the voice token")
            return _error(401, "unauthorised")
        body = await _json(request, SMALL_BODY)
        if body is None:
            return _error(400, "the body must be a JSON object")
        if self._other_agent(body.get("agent_id")):
            return _error(403, "another agent")
        caller = str(body.get("caller_id") or "")
        loop = asyncio.get_running_loop()
        owner = await loop.run_in_executor(None, self.is_owner, caller)
        if not owner:
            log.info("a call from %s, who is not the owner: greeted neutrally", redact(caller))
            return web.json_response(stranger().as_response())
        greeting = await loop.run_in_executor(None, self.greeter.owner)
        return web.json_response(greeting.as_response())

    async def _tool(self, request: web.Request) -> web.StreamResponse:
        if not self._authorised(request):
            log.warning("refused a memory-query request without the voice token")
            return _error(401, "unauthorised")
        body = await _json(request, SMALL_BODY)
        if body is None:
            return _error(400, "the body must be a JSON object")
        try:
            text, limit, sectors = query.parse(body)
        except query.BadQuery as exc:
            return _error(400, str(exc))
        loop = asyncio.get_running_loop()
        if self.settings.tool_requires_owner:
            caller = str(body.get("caller_id") or "")
            if not await loop.run_in_executor(None, self.is_owner, caller):
                log.warning("refused a memory query on a call from %s", redact(caller))
                return _error(403, "this caller's memories are not available")
        try:
            found = await loop.run_in_executor(
                None, query.answer, self.actions, text, limit, sectors
            )
        except Exception as exc:  # the index is busy or broken: the agent says it cannot look
            log.warning("memory query failed: %s", exc)
            return _error(503, "memory search is unavailable right now")
        return web.json_response(found)

    async def _post_call(self, request: web.Request) -> web.StreamResponse:
        try:
            raw = await read_body(request, self.settings.max_body)
        except TooLarge:
            log.warning("refused a post-call request over %d bytes", self.settings.max_body)
            return _error(413, "too large")
        try:
            verify(
                request.headers.get(HEADER, ""),
                raw,
                self.settings.webhook_secret,
                now=self.clock(),
                tolerance=self.settings.tolerance,
            )
        except BadSignature as exc:
            log.warning("refused a post-call request: signature %s", exc.reason)
            return _error(401, f"signature {exc.reason}")
        try:
            event = json.loads(raw)
        except ValueError:
            return _error(400, "the body must be JSON")
        if not isinstance(event, dict) or event.get("type") != calls.KIND:
            return web.json_response({"status": "ignored"})  # audio, initiation failures
        data = event.get("data")
        if self._other_agent(data.get("agent_id") if isinstance(data, dict) else None):
            return web.json_response({"status": "ignored"})
        try:
            key = calls.event_key(event)
        except calls.BadEvent as exc:
            return _error(400, str(exc))
        caller = calls.caller_of(event)
        loop = asyncio.get_running_loop()
        try:
            taken = await loop.run_in_executor(None, self._take, key, caller, raw)
        except Exception as exc:  # not stored: a 5xx lets ElevenLabs try again
            log.error("could not store a post-call event: %s", exc)
            return _error(503, "try again")
        return web.json_response({"status": "received" if taken else "duplicate"})

    def _take(self, key: str, caller: str, raw: bytes) -> bool:
        """Store the event (the owner's) or only its id (a stranger's); False for a replay."""
        if not self.is_owner(caller):
            log.info("a finished call from %s, who is not the owner: not kept", redact(caller))
            return self.inbox.note(key)
        if not self.inbox.accept(key, caller, raw.decode("utf-8", errors="replace")):
            log.info("ignored a repeated post-call event")
            return False
        self.courier.wake()
        return True

    async def _health(self, request: web.Request) -> web.StreamResponse:
        problem = await asyncio.get_running_loop().run_in_executor(None, self._problem)
        return web.json_response(
            {"status": "ok" if not problem else "degraded", "live": True, "ready": not problem}
        )

    async def _live(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "alive"})

    async def _ready(self, request: web.Request) -> web.StreamResponse:
        problem = await asyncio.get_running_loop().run_in_executor(None, self._problem)
        if problem:
            return web.json_response({"status": "not ready", "problem": problem}, status=503)
        return web.json_response({"status": "ready"})

    def _problem(self) -> str:
        """Why the index or the queue cannot be used now; "" when both can."""
        try:
            self.actions.memories.list(limit=1)
        except Exception as exc:
            return f"memory index: {type(exc).__name__}"
        try:
            self.inbox.seen("")
        except Exception as exc:
            return f"queue: {type(exc).__name__}"
        return ""

    # -- after the call -----------------------------------------------------------------------

    def _process(self, message: Inbound) -> list[str]:
        """Learn from one stored call; nothing is sent back."""
        call = calls.read_call(json.loads(message.text), self.settings.action_items)
        calls.learn_from_call(call, self.actions, self.learner)
        log.info("learned from a call with %s", redact(call.caller))
        return []


async def _json(request: web.Request, limit: int) -> dict[str, Any] | None:
    try:
        body = json.loads(await read_body(request, limit))
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _nothing(message: Outgoing) -> None:
    """The voice channel sends nothing (nothing is ever queued)."""
