"""Text safe to show in the browser."""

from __future__ import annotations

from assistant.text import display_safe


def plain(text: str, limit: int | None = None) -> str:
    """Text safe to show: control characters as visible symbols (the core's
    :func:`~assistant.text.display_safe`); with ``limit``, one line cut to that length."""
    clean = display_safe(text)
    if limit is not None:
        clean = " ".join(clean.split())
        if len(clean) > limit:
            clean = clean[: limit - 1] + "…"
    return clean
