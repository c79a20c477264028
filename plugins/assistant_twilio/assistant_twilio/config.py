"""The SMS bridge's settings: its ``[bridges.sms]`` table, plus the Twilio account SID and
auth token from the environment or the keyring (never from config.toml or the vault, which
may be synced or committed)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from assistant import bridge_config
from assistant.errors import ConfigError
from assistant.keyring_secrets import KEYRING_SERVICE, Lookup, keyring_lookup

log = logging.getLogger(__name__)

SID_ENV = "TWILIO_ACCOUNT_SID"
TOKEN_ENV = "TWILIO_AUTH_TOKEN"
"""The keyring service the secrets are stored under, by their variable names."""

API = "https://api.twilio.com"
DEFAULT_PORT = 8787


@dataclass(frozen=True)
class SmsSettings:
    """Everything the SMS bridge needs to run."""

    public_url: str
    """The webhook's address as Twilio calls it (through the user's tunnel); every request's
    signature is checked against it."""
    number: str
    """The Twilio number replies come from (E.164, ``+15550001111``)."""
    account_sid: str = field(repr=False)
    auth_token: str = field(repr=False)
    host: str = "127.0.0.1"
    """Where the webhook listens: loopback unless the table says otherwise."""
    port: int = DEFAULT_PORT
    path: str = "/sms"
    """The webhook's path, taken from ``public_url`` (a tunnel forwards it as is)."""
    api_url: str = API
    """Twilio's REST API (another origin only for a proxy or a test server)."""
    per_minute: float = 10.0
    """Messages a sender may send per minute before the rest are dropped."""
    retry_backoff: float = 2.0
    """Seconds before a failed reply is sent again, doubled at each try (six in all)."""


def read_settings(
    table: Mapping[str, Any], environ: Mapping[str, str], keyring: Lookup = keyring_lookup
) -> SmsSettings:
    """The bridge's settings; a :class:`ConfigError` naming what is missing otherwise."""
    public_url = str(table.get("public_url", "")).strip()
    parts = urlsplit(public_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigError(
            "the SMS bridge needs the public URL Twilio calls (public_url in [bridges.sms])",
            title="SMS bridge not set up",
            key=("bridges", "sms", "public_url"),
            fix='public_url = "https://<your tunnel>/sms", the same URL as in the Twilio console',
        )
    number = str(table.get("number", "")).strip()
    if not number:
        raise ConfigError(
            "the SMS bridge needs the Twilio number it sends from (number in [bridges.sms])",
            title="SMS bridge not set up",
            key=("bridges", "sms", "number"),
            fix='number = "+15550001111"',
        )
    sid = environ.get(SID_ENV) or keyring(SID_ENV)
    token = environ.get(TOKEN_ENV) or keyring(TOKEN_ENV)
    if not sid or not token:
        raise ConfigError(
            f"the SMS bridge needs {SID_ENV} and {TOKEN_ENV}, in the environment or the keyring",
            title="SMS bridge not set up",
            fix=f"export {TOKEN_ENV}=…, or `keyring set {KEYRING_SERVICE} {TOKEN_ENV}`",
        )
    return SmsSettings(
        public_url=public_url,
        number=number,
        account_sid=sid,
        auth_token=token,
        host=str(table.get("host", "127.0.0.1")),
        port=bridge_config.number(table, "sms", "port", DEFAULT_PORT, int),
        path=parts.path or "/",
        api_url=str(table.get("api_url", API)).rstrip("/"),
        per_minute=bridge_config.number(table, "sms", "per_minute", 10.0, float),
        retry_backoff=bridge_config.number(table, "sms", "retry_backoff", 2.0, float),
    )
