"""The voice bridge's settings: its ``[bridges.voice]`` table, plus the post-call webhook's
secret and the server tool's token from the environment or the keyring (never from
config.toml or the vault, which may be synced or committed)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.bridge_config import number
from assistant.errors import ConfigError
from assistant.keyring_secrets import KEYRING_SERVICE, Lookup, keyring_lookup

log = logging.getLogger(__name__)

SECRET_ENV = "ELEVENLABS_WEBHOOK_SECRET"
"""The post-call webhook's HMAC secret, as ElevenLabs shows it when the webhook is made."""
TOKEN_ENV = "ASSISTANT_VOICE_TOKEN"
"""The bearer token ElevenLabs sends to the init webhook and the memory tool."""
"""The keyring service the secrets are stored under, by their variable names."""

DEFAULT_PORT = 8787
"""The SMS bridge's default port too: both bridges answer on one server."""
ACTION_ITEMS = ("action_items",)


@dataclass(frozen=True)
class VoiceSettings:
    """Everything the voice bridge needs to run."""

    webhook_secret: str = field(repr=False)
    token: str = field(repr=False)
    host: str = "127.0.0.1"
    """Where the endpoints listen: loopback unless the table says otherwise."""
    port: int = DEFAULT_PORT
    agent_id: str = ""
    """When set, requests about any other ElevenLabs agent are refused."""
    name: str = ""
    """The owner's name for the greeting; by default the name the assistant learned."""
    tolerance: float = 30 * 60.0
    """Seconds a post-call signature's timestamp may be away from now."""
    max_body: int = 4 * 1024 * 1024
    """Largest post-call request read, in bytes."""
    tool_requires_owner: bool = True
    """The memory tool answers only calls from the owner's number (its ``caller_id``)."""
    action_items: tuple[str, ...] = ACTION_ITEMS
    """Data collection items of the agent's analysis whose values become reminders."""


def read_settings(
    table: Mapping[str, Any], environ: Mapping[str, str], keyring: Lookup = keyring_lookup
) -> VoiceSettings:
    """The bridge's settings; a :class:`ConfigError` naming what is missing otherwise."""
    secret = environ.get(SECRET_ENV) or keyring(SECRET_ENV)
    token = environ.get(TOKEN_ENV) or keyring(TOKEN_ENV)
    if not secret or not token:
        raise ConfigError(
            f"the voice bridge needs {SECRET_ENV} and {TOKEN_ENV}, in the environment or the "
            "keyring",
            title="Voice bridge not set up",
            fix=f"export {SECRET_ENV}=…, or `keyring set {KEYRING_SERVICE} {SECRET_ENV}`",
        )
    items = table.get("action_items", list(ACTION_ITEMS))
    if isinstance(items, str):
        items = [items]
    return VoiceSettings(
        webhook_secret=secret,
        token=token,
        host=str(table.get("host", "127.0.0.1")),
        port=number(table, "voice", "port", DEFAULT_PORT, int),
        agent_id=str(table.get("agent_id", "")).strip(),
        name=str(table.get("name", "")).strip(),
        tolerance=number(table, "voice", "tolerance", 1800.0, float),
        max_body=int(number(table, "voice", "max_body_mb", 4.0, float) * 1024 * 1024),
        tool_requires_owner=bool(table.get("tool_requires_owner", True)),
        action_items=tuple(str(item) for item in items),
    )
