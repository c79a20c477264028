"""The Discord bridge: the gateway in, the REST API out, the owner only.

The bot answers direct messages, and mentions in the server channels the settings allow. An
inbound message is judged before anything else sees it (``assistant.owners.Gate``): the
owner's is stored in the inbox (keyed by its message id, so a replayed event is answered
once), then answered by the courier through the host (the same ``respond()`` as chat), with
the typing indicator on meanwhile, and sent back to the channel it came from in pieces of
2,000 characters. A stranger's words go nowhere; a stranger gets one fixed refusal a day.

In the inbox and outbox a message's address is ``<user id>@<channel id>``: who wrote it
(whose conversation it is) and where the answer goes; ``<user id>@dm`` is the user's direct
messages (a reminder), opened when first needed;
``<user id>@hook:<application id>:<token>:<channel id>`` answers a slash command (the token
lasts 15 minutes). Each Discord channel is a conversation of its own: what was said in a DM is
not the context of an answer in a server channel.

Slash commands (``/remember``, ``/remind``, …) are the assistant's own commands, taken and
answered like messages: the owner only, once, through the same ``respond()``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

import aiohttp
import discord
from discord.http import Route

from assistant import AssistantError
from assistant.courier import Courier
from assistant.hookspecs import BridgeHost
from assistant.inbox import Inbound, Inbox, Outbox, Outgoing, SendFailed
from assistant.owners import PAIRED, SLOW_DOWN, Admission, Gate, Owners, RateLimit, redact
from assistant_discord.config import DiscordSettings, read_settings
from assistant_discord.connection import Connection, Incoming
from assistant_discord.text import NO_ANSWER, REFUSAL, discord_parts

log = logging.getLogger(__name__)

CHANNEL = "discord"
DM = "dm"
HOOK = "hook:"
"""An address's place for a slash command's answer:
``hook:<application id>:<token>:<channel id>``."""
T = TypeVar("T")
TYPING_EVERY = 8.0
"""Seconds between typing indicators while answering (Discord shows one for ten)."""


def address(user_id: str, where: str) -> str:
    """Where an answer to ``user_id`` goes: a channel id, or :data:`DM`."""
    return f"{user_id}@{where}"


def parse_address(value: str) -> tuple[str, str]:
    """The user id and the channel (or :data:`DM`) of an :func:`address`."""
    user, _, where = value.partition("@")
    return user, where or DM


def thread_of(where: str) -> str:
    """The Discord channel an address's answer belongs to: each channel (a DM, a server
    channel) is a conversation of its own, and a slash command is part of its channel's."""
    if where.startswith(HOOK):
        parts = where.removeprefix(HOOK).split(":")
        return parts[2] if len(parts) > 2 else ""
    return where


class DiscordBridge:
    """Talks to the owner through a Discord bot."""

    name = CHANNEL

    def __init__(
        self,
        host: BridgeHost,
        table: Mapping[str, Any],
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.host = host
        self.settings: DiscordSettings = read_settings(
            table, os.environ if environ is None else environ
        )
        db = host.responder.assistant.db
        self.owners = Owners(db, {CHANNEL: table})
        self.gate = Gate(self.owners, RateLimit(self.settings.per_minute))
        self.inbox = Inbox(db, CHANNEL)
        self.outbox = Outbox(db, CHANNEL, backoff=self.settings.retry_backoff)
        self.courier = Courier(self.inbox, self.outbox, answer=self._answer, send=self._send)
        self.connection = Connection(self.settings, self.take)
        self._taking = threading.Lock()
        self._direct: dict[str, str] = {}
        """Each user's direct-message channel, once opened."""

    def start(self) -> None:
        """Answer what a previous run left pending, then connect to Discord."""
        self.courier.start()
        try:
            self.connection.start()
        except BaseException:
            self.courier.stop()
            raise

    def stop(self) -> None:
        """Disconnect and stop sending; anything unanswered is answered after the next start."""
        self.connection.stop()
        self.courier.stop()

    def deliver(self, text: str) -> bool:
        """Queue ``text`` (a reminder) to the owner's direct messages; False when there is no
        owner."""
        owner = self.owners.address(CHANNEL)
        if owner is None:
            return False
        self.outbox.queue(address(owner, DM), discord_parts(text))
        self.courier.wake()
        return True

    def take(self, message: Incoming) -> bool:
        """Store one message to the bot (or answer it at once: a pairing, a stranger), unless
        its id was seen before; messages the bot is not asked are left alone. True when
        something will be sent back."""
        if not message.direct and not (
            message.mentioned and message.channel_id in self.settings.channels
        ):
            return False
        with self._taking:  # one at a time: a replay racing its original is still a replay
            taken = self._take(message)
        if isinstance(taken, Inbound):
            self.courier.hand(taken)  # answered without reading it back
            return True
        if taken:
            self.courier.wake()
        return taken

    def _take(self, message: Incoming) -> Inbound | bool:
        """The owner's message kept to answer, or whether a reply was queued."""
        # The owner's words are stored (or found to be a replay) in one statement below.
        owner = bool(message.text.strip()) and self.owners.is_owner(CHANNEL, message.author_id)
        if not owner and self.inbox.seen(message.message_id):
            log.info("ignored a repeated Discord message already taken")
            return False
        reply_to = address(
            message.author_id,
            f"{HOOK}{message.hook}:{message.channel_id}" if message.hook else message.channel_id,
        )
        verdict = self.gate.admit(CHANNEL, message.author_id, message.text)
        if verdict is Admission.OWNER and message.text.strip():
            kept = self.inbox.keep(message.message_id, reply_to, message.text)
            if kept is not None:
                return kept
            log.info("ignored a repeated Discord message already taken")
            return False
        if not self.inbox.note(message.message_id):
            return False
        reply = {
            Admission.PAIRED: PAIRED,
            Admission.REFUSED: REFUSAL,
            Admission.SLOW_DOWN: SLOW_DOWN,
        }.get(verdict, "")
        if reply:
            self.outbox.queue(reply_to, [reply])
        return bool(reply)

    def _answer(self, message: Inbound) -> list[str]:
        user, where = parse_address(message.sender)
        if not self.host.is_owner(CHANNEL, user):  # no longer the owner: say nothing
            return []
        stop_typing = self.connection.spawn(lambda client: _typing(client, where))
        try:
            reply = self.host.answer(
                message.text, channel=CHANNEL, sender=user, thread=thread_of(where)
            )
        except AssistantError as exc:
            log.warning("no answer for %s: %s", redact(user), exc.title)
            reply = f"Sorry, I couldn't answer that: {exc.title.lower()}."
        finally:
            stop_typing()
        return discord_parts(reply) or [NO_ANSWER]

    def _send(self, message: Outgoing) -> None:
        user, where = parse_address(message.recipient)
        if where.startswith(HOOK):
            application, token, _ = (where.removeprefix(HOOK).split(":") + ["", ""])[:3]
            self._call(lambda client: _follow_up(client, application, token, message.text))
            return
        channel_id = self._open_direct(user) if where == DM else where
        self._call(lambda client: _post(client, channel_id, message.text))

    def _open_direct(self, user: str) -> str:
        if user not in self._direct:
            self._direct[user] = self._call(lambda client: _open_direct(client, user))
        return self._direct[user]

    def _call(self, make: Callable[[discord.Client], Coroutine[Any, Any, T]]) -> T:
        """Run a REST call on the bot's loop; its failure as :class:`SendFailed`."""
        try:
            return self.connection.call(make, timeout=self.settings.max_ratelimit_wait + 60.0)
        except discord.RateLimited as exc:
            raise SendFailed(
                f"Discord asked to wait {exc.retry_after:.0f} s", retry_after=exc.retry_after
            ) from None
        except discord.HTTPException as exc:
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise SendFailed(
                f"Discord answered {exc.status} (error {exc.code})", permanent=permanent
            ) from None
        except (ConnectionError, OSError, aiohttp.ClientError, TimeoutError) as exc:
            raise SendFailed(f"Discord could not be reached ({type(exc).__name__})") from None


async def _post(client: discord.Client, channel_id: str, text: str) -> None:
    """Send ``text`` to a channel; it mentions nobody, whatever it says."""
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=int(channel_id))
    await client.http.request(route, json={"content": text, "allowed_mentions": {"parse": []}})


async def _follow_up(client: discord.Client, application: str, token: str, text: str) -> None:
    """Answer a slash command (the first follow-up replaces its "thinking…")."""
    route = Route(
        "POST",
        "/webhooks/{webhook_id}/{webhook_token}",
        webhook_id=application,
        webhook_token=token,
    )
    await client.http.request(route, json={"content": text, "allowed_mentions": {"parse": []}})


async def _open_direct(client: discord.Client, user: str) -> str:
    """The id of the direct-message channel with ``user``."""
    data = await client.http.start_private_message(int(user))
    return str(data["id"])


async def _typing(client: discord.Client, channel_id: str) -> None:
    """Show the typing indicator in a channel until cancelled."""
    if not channel_id.isdigit():
        return
    while True:
        try:
            await client.http.send_typing(int(channel_id))
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            log.debug("no typing indicator: %s", exc)
        await asyncio.sleep(TYPING_EVERY)
