"""The Discord bridge's settings: its ``[bridges.discord]`` table, plus the bot token from the
environment or the keyring (never from config.toml or the vault, which may be synced or
committed)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.bridge_config import number
from assistant.errors import ConfigError
from assistant.keyring_secrets import KEYRING_SERVICE, Lookup, keyring_lookup

log = logging.getLogger(__name__)

TOKEN_ENV = "DISCORD_BOT_TOKEN"
"""The keyring service the token is stored under, by its variable's name."""

API = "https://discord.com/api/v10"


@dataclass(frozen=True)
class DiscordSettings:
    """Everything the Discord bridge needs to run."""

    token: str = field(repr=False)
    channels: frozenset[str] = frozenset()
    """Server channels (ids) where the bot answers when mentioned; direct messages always."""
    api_url: str = API
    """Discord's REST API (another origin only for a proxy or a test server); the gateway's
    address is asked of it (``GET /gateway/bot``)."""
    per_minute: float = 10.0
    """Messages a sender may send per minute before the rest are dropped."""
    retry_backoff: float = 2.0
    """Seconds before a failed reply is sent again, doubled at each try (six in all)."""
    max_ratelimit_wait: float = 30.0
    """Longest wait a 429 may ask for before it is left to the outbox's retries instead."""
    reconnect_backoff: float = 1.0
    """Seconds before the first new connection after the bot lost its session, doubled each
    time up to a minute (a dropped gateway alone is resumed at once by discord.py)."""
    connect_timeout: float = 10.0
    """Seconds ``start`` waits for the first connection before going on in the background."""


def read_settings(
    table: Mapping[str, Any], environ: Mapping[str, str], keyring: Lookup = keyring_lookup
) -> DiscordSettings:
    """The bridge's settings; a :class:`ConfigError` naming what is wrong otherwise."""
    if "token" in table:
        raise ConfigError(
            "the bot token must not be written in config.toml",
            title="Discord bridge not set up",
            key=("bridges", "discord", "token"),
            fix=f"remove it; export {TOKEN_ENV}=…, or `keyring set {KEYRING_SERVICE} {TOKEN_ENV}`",
        )
    token = (environ.get(TOKEN_ENV) or keyring(TOKEN_ENV)).strip()
    if not token:
        raise ConfigError(
            f"the Discord bridge needs the bot token in {TOKEN_ENV}, in the environment or "
            "the keyring",
            title="Discord bridge not set up",
            fix=f"export {TOKEN_ENV}=…, or `keyring set {KEYRING_SERVICE} {TOKEN_ENV}`",
        )
    return DiscordSettings(
        token=token,
        channels=_ids(table.get("channels", [])),
        api_url=str(table.get("api_url", API)).rstrip("/"),
        per_minute=number(table, "discord", "per_minute", 10.0),
        retry_backoff=number(table, "discord", "retry_backoff", 2.0),
        max_ratelimit_wait=number(table, "discord", "max_ratelimit_wait", 30.0),
        reconnect_backoff=number(table, "discord", "reconnect_backoff", 1.0),
        connect_timeout=number(table, "discord", "connect_timeout", 10.0),
    )


def _ids(value: Any) -> frozenset[str]:
    items = value if isinstance(value, list) else [value]
    ids = [str(item).strip() for item in items]
    if any(isinstance(i, bool) or not s.isdigit() for i, s in zip(items, ids, strict=True)):
        raise ConfigError(
            "channels in [bridges.discord] must be a list of channel ids",
            key=("bridges", "discord", "channels"),
            fix='channels = ["123456789012345678"] (Developer Mode: right-click, Copy ID)',
        )
    return frozenset(ids)
