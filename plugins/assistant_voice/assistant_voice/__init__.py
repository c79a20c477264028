"""The assistant's memory behind an ElevenLabs phone agent, for ``assistant serve``.

Enabled by a ``[bridges.voice]`` table in config.toml; see this distribution's README for the
agent's setup step by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant.hookspecs import Bridge, BridgeFactory, BridgeHost, hookimpl


def make_bridge(host: BridgeHost, table: Mapping[str, Any]) -> Bridge:
    """The voice bridge for ``host`` with the settings in ``table``; raises ``ConfigError``
    when the webhook secret or the tool token is missing."""
    from assistant_voice.bridge import VoiceBridge  # aiohttp loads only when used

    return VoiceBridge(host, table)


@hookimpl
def register_bridges(register: Callable[[str, BridgeFactory], None]) -> None:
    """Provide the ``voice`` bridge."""
    register("voice", make_bridge)
