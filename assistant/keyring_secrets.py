"""Secrets kept in the system keyring, for settings that must never be written in config.toml
(a bridge's token, a webhook secret): ``keyring set assistant NAME`` stores one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

log = logging.getLogger(__name__)

KEYRING_SERVICE = "assistant"
"""The keyring service every secret of the assistant is stored under."""

Lookup = Callable[[str], str]
"""Finds a secret by name; "" when there is none."""


def keyring_lookup(name: str) -> str:
    """The secret ``name`` from the system keyring, or "" when the keyring is not installed
    or holds none."""
    try:
        keyring: Any = import_module("keyring")
        return str(keyring.get_password(KEYRING_SERVICE, name) or "")
    except Exception as exc:  # no keyring package, or no backend on this machine
        log.debug("no keyring: %s", exc)
        return ""
