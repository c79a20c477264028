"""Talk to the assistant by SMS: a Twilio bridge for ``assistant serve``.

Enabled by a ``[bridges.sms]`` table in config.toml; see this distribution's README for the
setup step by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant.hookspecs import Bridge, BridgeFactory, BridgeHost, hookimpl


def make_bridge(host: BridgeHost, table: Mapping[str, Any]) -> Bridge:
    """The SMS bridge for ``host`` with the settings in ``table``; raises ``ConfigError``
    when the public URL, the number or the Twilio secrets are missing."""
    from assistant_twilio.bridge import SmsBridge  # twilio and aiohttp load only when used

    return SmsBridge(host, table)


@hookimpl
def register_bridges(register: Callable[[str, BridgeFactory], None]) -> None:
    """Provide the ``sms`` bridge."""
    register("sms", make_bridge)
