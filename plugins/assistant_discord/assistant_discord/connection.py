"""The bot's connection to Discord: discord.py's client on its own thread and event loop.

The REST API's address comes from the settings (``discord.http.Route.BASE``, the one place
discord.py reads it) and the gateway's is asked of the API (``GET /gateway/bot``), so the bot
reaches Discord, a proxy or a test server alike. A dropped gateway is resumed by discord.py
itself, with its own backoff; a lost session (the client gave up) is started afresh here after
a backoff doubling up to a minute. A refused token ends it: nothing a retry can mend.

Every message the bot can see reaches ``receive`` (on one worker thread, in the order they
came) as an :class:`Incoming`, unless a bot wrote it; so does every slash command (the
bot's are registered at each start), acknowledged once taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from assistant.errors import ConfigError
from assistant_discord.config import DiscordSettings
from assistant_discord.slash import COMMANDS, command_line
from assistant_discord.text import without_mention

log = logging.getLogger(__name__)


class _NoTraceback(logging.Filter):
    """Keeps discord.py's records to one line: the error's name instead of its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Fold the exception into the message."""
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__})"
            record.exc_info = None
            record.exc_text = None
        return True


logging.getLogger("discord").setLevel(logging.INFO)  # its DEBUG logs whole events: their words
for _name in ("discord.client", "discord.gateway", "discord.state"):
    logging.getLogger(_name).addFilter(_NoTraceback())

MAX_BACKOFF = 60.0
DEFERRED = 5
"""The interaction response that says an answer will follow."""
FATAL_CLOSE = {4004, 4010, 4011, 4012, 4013, 4014}
"""Gateway close codes a retry cannot mend: a refused token, bad sharding, an unknown API
version, intents refused or not enabled in the developer portal."""
T = TypeVar("T")


@dataclass(frozen=True)
class Incoming:
    """A message someone (not a bot) wrote where the bot can see it."""

    message_id: str
    author_id: str
    channel_id: str
    direct: bool
    """A direct message to the bot."""
    mentioned: bool
    """The bot is mentioned by name (``@everyone`` is not a mention of the bot)."""
    text: str
    """What was written, the bot's mentions taken out (a slash command: its ``/command``)."""
    hook: str = ""
    """A slash command's ``<application id>:<token>``: its answer goes there, as follow-ups."""


Receive = Callable[[Incoming], bool]
"""Takes a message; True when an answer (or a refusal) will follow."""


class _Client(discord.Client):
    """discord.py's client, reporting to its :class:`Connection`."""

    def __init__(self, owner: Connection, settings: DiscordSettings) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.dm_messages = True  # direct messages and mentions carry their text without
        intents.guild_messages = True  # the privileged message-content intent
        super().__init__(intents=intents, max_ratelimit_timeout=settings.max_ratelimit_wait)
        self._owner = owner

    async def setup_hook(self) -> None:
        """Ask the API where its gateway is (and wait when no new session may start yet)."""
        _, url, limit = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        if int(limit.get("remaining", 1)) <= 0:
            wait = float(limit.get("reset_after", 0)) / 1000.0
            log.warning("Discord allows no new session for %.0f s; waiting", wait)
            await asyncio.sleep(wait)
        if self.application_id is not None:
            try:
                await self.http.bulk_upsert_global_commands(self.application_id, COMMANDS)
            except discord.HTTPException as exc:
                log.warning("slash commands not registered: Discord answered %s", exc.status)

    async def on_connect(self) -> None:
        """The gateway said READY: connected."""
        self._owner._connected()

    async def on_message(self, message: discord.Message) -> None:
        """Hand a message on to the bridge, off the event loop."""
        me = self.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        incoming = Incoming(
            message_id=str(message.id),
            author_id=str(message.author.id),
            channel_id=str(message.channel.id),
            direct=isinstance(message.channel, discord.DMChannel),
            mentioned=any(user.id == me.id for user in message.mentions),
            text=without_mention(message.content, me.id),
        )
        await self._owner._hand_on(incoming)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Take a slash command like a message, then tell Discord an answer is coming (the
        bot shows as thinking until it is sent)."""
        if interaction.type is not discord.InteractionType.application_command:
            return
        line = command_line(interaction.data or {})
        if line is None or interaction.channel_id is None:
            return
        incoming = Incoming(
            message_id=f"interaction-{interaction.id}",
            author_id=str(interaction.user.id),
            channel_id=str(interaction.channel_id),
            direct=interaction.guild_id is None,
            mentioned=True,
            text=line,
            hook=f"{interaction.application_id}:{interaction.token}",
        )
        if not await self._owner._hand_on(incoming):
            return
        route = Route(
            "POST",
            "/interactions/{webhook_id}/{webhook_token}/callback",
            webhook_id=interaction.id,
            webhook_token=interaction.token,
        )
        try:
            await self.http.request(route, json={"type": DEFERRED})
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            log.warning("slash command not acknowledged: %s", type(exc).__name__)


class Connection:
    """The bot, connected (and reconnected) until stopped."""

    def __init__(self, settings: DiscordSettings, receive: Receive) -> None:
        self.settings = settings
        self._receive = receive
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: _Client | None = None
        self._stopping: asyncio.Event | None = None
        self._first = threading.Event()
        self._fatal: ConfigError | None = None
        self._backoff = settings.reconnect_backoff
        self.connections = 0
        """How many times the gateway said READY (a resumed session is not counted)."""
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="discord-take")
        self._thread = threading.Thread(target=self._run, name="discord", daemon=True)

    def start(self) -> None:
        """Connect; returns once connected, or after ``connect_timeout`` still trying in the
        background. Raises :class:`ConfigError` when Discord refuses the token."""
        if self.settings.api_url != Route.BASE:
            Route.BASE = self.settings.api_url
        self._thread.start()
        self._first.wait(self.settings.connect_timeout)
        if self._fatal is not None:
            self._thread.join(5.0)
            raise self._fatal
        if self.connections == 0:
            log.warning("not connected to Discord yet; still trying")

    def stop(self, timeout: float = 5.0) -> None:
        """Disconnect and stop the thread."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stopping.set)
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._worker.shutdown(wait=False, cancel_futures=True)

    def call(self, make: Callable[[discord.Client], Coroutine[Any, Any, T]], timeout: float) -> T:
        """Run ``make(client)`` on the bot's event loop from another thread and return what it
        returns; raises ``ConnectionError`` when the bot is not running."""
        loop, client = self._loop, self._client
        if loop is None or client is None or loop.is_closed() or client.is_closed():
            raise ConnectionError("not connected to Discord")
        return asyncio.run_coroutine_threadsafe(make(client), loop).result(timeout)

    def spawn(
        self, make: Callable[[discord.Client], Coroutine[Any, Any, None]]
    ) -> Callable[[], None]:
        """Run ``make(client)`` on the bot's loop in the background; returns what cancels it."""
        loop, client = self._loop, self._client
        if loop is None or client is None or loop.is_closed():
            return lambda: None
        future = asyncio.run_coroutine_threadsafe(make(client), loop)

        def cancel() -> None:
            if not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(future.cancel)

        return cancel

    def _connected(self) -> None:
        self.connections += 1
        self._backoff = self.settings.reconnect_backoff
        log.info("connected to Discord")
        self._first.set()

    async def _hand_on(self, incoming: Incoming) -> bool:
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._worker, self._receive, incoming)
        except Exception as exc:  # the store failed: the message is not taken, say so
            log.error("could not take a Discord message: %s", exc)
            return False

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._keep_connected())
        finally:
            self._first.set()
            loop.run_until_complete(_cancel_the_rest())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _keep_connected(self) -> None:
        self._stopping = stopping = asyncio.Event()
        while not stopping.is_set():
            client = _Client(self, self.settings)
            self._client = client
            session = asyncio.create_task(client.start(self.settings.token, reconnect=True))
            stop = asyncio.create_task(stopping.wait())
            await asyncio.wait({session, stop}, return_when=asyncio.FIRST_COMPLETED)
            await client.close()
            stop.cancel()
            if stopping.is_set():
                session.cancel()
                return
            failure = session.exception() if session.done() else None
            if _fatal(failure):
                self._fatal = ConfigError(
                    f"Discord refused the bot: {failure}",
                    title="Discord bridge not set up",
                    fix="check DISCORD_BOT_TOKEN (the Bot page of the developer portal)",
                )
                log.error("%s", self._fatal)
                return
            why = type(failure).__name__ if failure is not None else "closed"
            log.warning("Discord session ended (%s); reconnecting in %.1f s", why, self._backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self._backoff)
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)


def _fatal(failure: BaseException | None) -> bool:
    """Whether ``failure`` ends the bot for good (retrying cannot help)."""
    if isinstance(failure, discord.LoginFailure | discord.PrivilegedIntentsRequired):
        return True
    return isinstance(failure, discord.ConnectionClosed) and failure.code in FATAL_CLOSE


async def _cancel_the_rest() -> None:
    """Cancel the tasks still running on this loop (discord.py's own, waiting for servers to
    stream in, say) and let them finish."""
    me = asyncio.current_task()
    left = [task for task in asyncio.all_tasks() if task is not me]
    for task in left:
        task.cancel()
    await asyncio.gather(*left, return_exceptions=True)
