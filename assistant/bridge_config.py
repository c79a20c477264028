"""Reading a bridge's ``[bridges.<name>]`` table in ``config.toml``: the checks every bridge
plugin shares, each failure a :class:`~assistant.errors.ConfigError` naming the key.

Usage::

    per_minute = number(table, "sms", "per_minute", 10.0)
    port = number(table, "sms", "port", 8765, int)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from assistant.errors import ConfigError

N = TypeVar("N", int, float)


def number(
    table: Mapping[str, Any],
    bridge: str,
    key: str,
    default: N,
    kind: Callable[[float], N] = float,  # type: ignore[assignment]
) -> N:
    """``table[key]`` (``default`` when absent) as ``kind``: a number, zero or more."""
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(
            f"{key} in [bridges.{bridge}] must be a number, zero or more",
            key=("bridges", bridge, key),
        )
    return kind(value)
