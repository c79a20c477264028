"""Text made safe to show: what a terminal would act on becomes a visible symbol.

A memory's text comes from notes written by hand, imports, bridges and models; an escape
sequence in it would otherwise set the window title, clear the screen or plant a hyperlink
when a front-end prints it. Every human-readable output passes its text through
:func:`display_safe`; machine-readable output (``--json``) keeps the text as stored.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls except tab and newline, DEL, the C1 controls (``\\x9b`` is a CSI too), and
the bidirectional overrides and isolates, which make a line read in an order other than the
one it is stored in."""

_PICTURE = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
"""Unicode's control pictures: ESC shows as ␛, BEL as ␇, carriage return as ␍, DEL as ␡."""

_C1 = "\ufffd"
"""C1 controls and bidirectional overrides have no picture: they show as �."""


def _picture(match: re.Match[str]) -> str:
    return _PICTURE.get(ord(match.group()), _C1)


def display_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on replaced by a visible
    symbol (ESC becomes ``␛``, so ``\\x1b[2J`` shows as ``␛[2J`` and clears nothing).

    Tabs and newlines are kept for the layout (a Windows line ending counts as a newline).
    Each character is judged on its own, so the pieces of a streamed answer can be made safe
    one at a time.
    """
    if text.isprintable():
        return text
    return _CONTROL.sub(_picture, text.replace("\r\n", "\n"))
