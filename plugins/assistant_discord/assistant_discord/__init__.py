"""Talk to the assistant on Discord: a bot bridge for ``assistant serve``.

Enabled by a ``[bridges.discord]`` table in config.toml; see this distribution's README for
the setup step by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant.hookspecs import Bridge, BridgeFactory, BridgeHost, hookimpl


def make_bridge(host: BridgeHost, table: Mapping[str, Any]) -> Bridge:
    """The Discord bridge for ``host`` with the settings in ``table``; raises ``ConfigError``
    when the bot token is missing or the table is malformed."""
    from assistant_discord.bridge import DiscordBridge  # discord.py loads only when used

    return DiscordBridge(host, table)


@hookimpl
def register_bridges(register: Callable[[str, BridgeFactory], None]) -> None:
    """Provide the ``discord`` bridge."""
    register("discord", make_bridge)
