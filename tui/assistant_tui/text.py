"""Text safe to show in a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str, limit: int | None = None) -> str:
    """Text safe to show: escape sequences and control characters removed, optionally cut."""
    clean = _CONTROL.sub("", text)
    if limit is not None:
        clean = " ".join(clean.split())
        if len(clean) > limit:
            clean = clean[: limit - 1] + "…"
    return clean
