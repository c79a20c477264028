"""A fake Discord on 127.0.0.1 speaking the real wire protocol, for discord.py to connect to.

The gateway (a websocket at ``/gateway``): HELLO (op 10), then IDENTIFY (op 2) answered by a
READY dispatch, or RESUME (op 6) answered by RESUMED (or INVALID_SESSION, op 9); heartbeats
(op 1) acknowledged (op 11); events sent as dispatches (op 0) with a sequence number,
zlib-stream compressed when the client asks for it, as Discord does. The REST API under
``/api/v10``: ``GET /gateway/bot``, ``GET /users/@me``, ``GET /oauth2/applications/@me``,
``POST /channels/{id}/messages`` (answering with queued errors first: a 429 with
``retry_after``, a 500), ``POST /channels/{id}/typing``, ``POST /users/@me/channels`` (open
a direct message), and for slash commands ``PUT /applications/{id}/commands``, the
interaction callback and follow-up webhooks. Every bot call checks the bot token."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "test-bot-token.0123456789abcdef"
BOT = 900000000000000001
OWNER = 100000000000000001
STRANGER = 100000000000000077
GUILD = 300000000000000001
ALLOWED = 400000000000000001
"""A server channel where the bot answers mentions."""
ELSEWHERE = 400000000000000002
"""A server channel the bot is not asked to answer in."""


@dataclass
class Sent:
    """A message the fake accepted."""

    channel: int
    """0 for a slash command's follow-up."""
    content: str
    at: float
    allowed_mentions: Any = None
    token: str = ""
    """The interaction a follow-up answers."""


def user(user_id: int, *, bot: bool = False) -> dict[str, Any]:
    """A user object as Discord sends it."""
    return {
        "id": str(user_id),
        "username": f"user{user_id % 1000}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
    }


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer typed exactly ``application/json``, as Discord's (discord.py decodes
    nothing else)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


class FakeDiscord:
    """The gateway and the REST API on one port, each call recorded."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.sent: list[Sent] = []
        self.typing: list[tuple[int, float]] = []
        self.fail: list[int] = []
        """Statuses to answer message posts with first, one per post."""
        self.retry_after = 0.5
        self.failures: list[float] = []
        """When each queued failure was answered."""
        self.attempts = 0
        self.identifies = 0
        self.resumes = 0
        self.direct_channels: dict[int, int] = {}
        self.commands: list[dict[str, Any]] = []
        """The slash commands the bot registered."""
        self.interactions: set[str] = set()
        self.callbacks: list[tuple[str, int, float]] = []
        """Each interaction response: the interaction's token, its type, when."""
        self.resumable = True
        """False: a RESUME is answered "invalid session", and the bot must identify afresh."""
        self.down = 0
        """How many of the next ``GET /gateway/bot`` to answer 503 (Discord unavailable)."""
        self.refuse = 0
        """How many of the next gateway connections to refuse (503 to the upgrade)."""
        self._ids = itertools.count(700000000000000001)
        self._seq = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._senders: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, name="fake-discord", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    @property
    def url(self) -> str:
        """The REST API's base, as ``api_url`` in the bridge's settings."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    # -- driving it from a test ------------------------------------------------------------

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to every connected session and wait until it is written."""
        asyncio.run_coroutine_threadsafe(self._dispatch(event, data), self._loop).result(10)

    def message(
        self,
        content: str,
        *,
        author: int = OWNER,
        channel: int | None = None,
        guild: bool = False,
        mentions: tuple[int, ...] = (),
        message_id: int | None = None,
        bot: bool = False,
        everyone: bool = False,
    ) -> dict[str, Any]:
        """Send a MESSAGE_CREATE (a direct message unless ``guild``); returns its data, to
        send again as a replay."""
        data: dict[str, Any] = {
            "id": str(message_id or next(self._ids)),
            "channel_id": str(channel or self.direct_channel(author)),
            "author": user(author, bot=bot),
            "content": content,
            "timestamp": "2026-01-01T12:00:00.000000+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": everyone,
            "mentions": [user(m, bot=m == BOT) for m in mentions],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if guild:
            data["guild_id"] = str(GUILD)
        self.dispatch("MESSAGE_CREATE", data)
        return data

    def direct_channel(self, user_id: int) -> int:
        """The id of the direct-message channel between the bot and ``user_id``."""
        with self._lock:
            return self.direct_channels.setdefault(user_id, 500000000000000000 + user_id % 10**6)

    def drop(self, code: int = 4000) -> None:
        """Close every gateway connection, as Discord does when it restarts a node."""

        async def close() -> None:
            for socket in list(self._sockets):
                await socket.close(code=code, message=b"dropped")

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[str]:
        """The contents sent, once there are at least ``count`` (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.sent) < count:
            time.sleep(0.02)
        return self.contents()

    def wait_connected(self, sessions: int = 1, timeout: float = 20.0) -> None:
        """Wait until ``sessions`` IDENTIFY or RESUME have been answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.identifies + self.resumes < sessions:
            time.sleep(0.02)
        assert self.identifies + self.resumes >= sessions, "the bot never connected"

    def contents(self, channel: int | None = None) -> list[str]:
        """What was sent, in order (to ``channel`` only, when given)."""
        return [s.content for s in list(self.sent) if channel is None or s.channel == channel]

    def close(self) -> None:
        """Stop serving."""

        async def stop() -> None:
            for socket in list(self._sockets):
                await socket.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # -- the server ------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/api/v10/gateway/bot", self._gateway_bot)
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_post("/api/v10/users/@me/channels", self._open_direct)
        app.router.add_post("/api/v10/channels/{channel}/messages", self._post_message)
        app.router.add_post("/api/v10/channels/{channel}/typing", self._typing)
        app.router.add_put("/api/v10/applications/{application}/commands", self._commands)
        app.router.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        app.router.add_post("/api/v10/webhooks/{application}/{token}", self._follow_up)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    @staticmethod
    def _unauthorised() -> web.Response:
        return _json({"message": "401: Unauthorized", "code": 0}, status=401)

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        if self.down > 0:
            self.down -= 1
            return _json({"message": "Service Unavailable", "code": 0}, status=503)
        return _json(
            {
                "url": f"ws://127.0.0.1:{self.port}/gateway",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        return _json(user(BOT, bot=True))

    async def _application(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        return _json(
            {
                "id": str(BOT),
                "name": "assistant",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user(OWNER),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _open_direct(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        recipient = int((await request.json())["recipient_id"])
        channel = self.direct_channel(recipient)
        return _json(
            {
                "id": str(channel),
                "type": 1,
                "last_message_id": None,
                "recipients": [user(recipient)],
            }
        )

    async def _commands(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        self.commands = await request.json()
        return _json(
            [
                {**command, "id": str(next(self._ids)), "application_id": str(BOT), "version": "1"}
                for command in self.commands
            ]
        )

    async def _callback(self, request: web.Request) -> web.Response:
        body = await request.json()
        token = request.match_info["token"]
        if token not in self.interactions:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        self.callbacks.append((token, int(body["type"]), time.monotonic()))
        return web.Response(status=204)

    async def _follow_up(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if request.match_info["application"] != str(BOT) or token not in self.interactions:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        body = await request.json()
        mentions = body.get("allowed_mentions")
        self.sent.append(Sent(0, body["content"], time.monotonic(), mentions, token))
        return _json({"id": str(next(self._ids)), "content": body["content"]})

    def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        author: int = OWNER,
        channel: int | None = None,
        guild: bool = False,
        interaction_id: int | None = None,
    ) -> dict[str, Any]:
        """Send an INTERACTION_CREATE for a slash command (in the direct message unless
        ``guild``); returns its data, whose ``token`` names its follow-ups."""
        number = interaction_id or next(self._ids)
        channel_id = channel or self.direct_channel(author)
        data: dict[str, Any] = {
            "id": str(number),
            "application_id": str(BOT),
            "type": 2,
            "data": {
                "id": "800000000000000001",
                "name": name,
                "type": 1,
                "options": [
                    {"name": key, "type": 5 if isinstance(value, bool) else 3, "value": value}
                    for key, value in (options or {}).items()
                ],
            },
            "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 1, "recipients": [user(author)]},
            "token": f"interaction-token-{number}",
            "version": 1,
            "locale": "en-US",
            "attachment_size_limit": 8388608,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD)} if guild else {"1": str(author)},
            "context": 0 if guild else 1,
            "app_permissions": "0",
        }
        if guild:
            data["guild_id"] = str(GUILD)
            data["guild_locale"] = "en-US"
            data["channel"] = {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(GUILD),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "flags": 0,
                "permissions": "3072",
            }
            data["member"] = {
                "user": user(author),
                "roles": [],
                "joined_at": "2026-01-01T12:00:00.000000+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": "0",
            }
        else:
            data["user"] = user(author)
        self.interactions.add(data["token"])
        self.dispatch("INTERACTION_CREATE", data)
        return data

    async def _typing(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        self.typing.append((int(request.match_info["channel"]), time.monotonic()))
        return web.Response(status=204)

    async def _post_message(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._unauthorised()
        self.attempts += 1
        body = await request.json()
        channel = int(request.match_info["channel"])
        if self.fail:
            status = self.fail.pop(0)
            self.failures.append(time.monotonic())
            if status == 429:
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": self.retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(int(self.retry_after) + 1),
                        "X-RateLimit-Scope": "user",
                    },
                )
            return _json({"message": "Internal Server Error", "code": 0}, status=status)
        if not isinstance(body.get("content"), str) or len(body["content"]) > 2000:
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        self.sent.append(
            Sent(channel, body["content"], time.monotonic(), body.get("allowed_mentions"))
        )
        return _json(
            {
                "id": str(next(self._ids)),
                "channel_id": str(channel),
                "author": user(BOT, bot=True),
                "content": body["content"],
                "timestamp": "2026-01-01T12:00:00.000000+00:00",
                "edited_timestamp": None,
                "tts": False,
                "mention_everyone": False,
                "mentions": [],
                "mention_roles": [],
                "attachments": [],
                "embeds": [],
                "pinned": False,
                "type": 0,
            }
        )

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        for socket in list(self._sockets):
            send = self._senders.get(id(socket))
            if send is not None and not socket.closed:
                self._seq += 1
                await send({"op": 0, "t": event, "s": self._seq, "d": data})

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.refuse > 0:
            self.refuse -= 1
            return web.Response(status=503, text="Service Unavailable")
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        compressor = zlib.compressobj() if request.query.get("compress") == "zlib-stream" else None

        async def send(payload: dict[str, Any]) -> None:
            text = json.dumps(payload, ensure_ascii=False)
            if compressor is None:
                await socket.send_str(text)
            else:
                data = compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
                await socket.send_bytes(data)

        await send({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(frame.data)
                await self._gateway_op(socket, send, payload)
        finally:
            if socket in self._sockets:
                self._sockets.remove(socket)
            self._senders.pop(id(socket), None)
        return socket

    async def _gateway_op(
        self, socket: web.WebSocketResponse, send: Any, payload: dict[str, Any]
    ) -> None:
        op = payload.get("op")
        data = payload.get("d") or {}
        if op == 1:  # heartbeat
            await send({"op": 11, "d": None, "s": None, "t": None})
        elif op in (2, 6) and data.get("token") != self.token:
            await socket.close(code=4004, message=b"Authentication failed.")
        elif op == 2:  # identify
            self.identifies += 1
            self._sockets.append(socket)
            self._senders[id(socket)] = send
            self._seq += 1
            await send(
                {
                    "op": 0,
                    "t": "READY",
                    "s": self._seq,
                    "d": {
                        "v": 10,
                        "user": user(BOT, bot=True),
                        "guilds": [],
                        "session_id": f"session-{self.identifies}",
                        "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                        "application": {"id": str(BOT), "flags": 0},
                    },
                }
            )
        elif op == 6 and not self.resumable:
            await send({"op": 9, "d": False, "s": None, "t": None})
        elif op == 6:  # resume
            self.resumes += 1
            self._sockets.append(socket)
            self._senders[id(socket)] = send
            self._seq += 1
            await send({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}})
