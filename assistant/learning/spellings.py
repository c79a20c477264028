"""Names the user corrected in a conversation, so the old spelling typed again means the new.

After "my brother Tomas lives in Leeds" and "actually it's thomas not tomas", a later "tomas
got a new job" is about Thomas: the user's fingers (or their phone) keep the old spelling,
their meaning does not. Only names are remembered this way, never a corrected day or number:
"typo, I meant tuesday" does not make every later "monday" a Tuesday.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.learning.corrections import as_written

MAX_CONVERSATIONS = 64
"""Conversations whose corrected names are kept; the oldest is dropped first."""


class Spellings:
    """The names corrected in each conversation: the old spelling to the new."""

    def __init__(self) -> None:
        self._fixed: dict[str, dict[str, str]] = {}

    def corrected(self, conversation: str, old: str, new: str) -> None:
        """Record that ``old`` is written ``new`` from now on in ``conversation``."""
        if not conversation or old.lower() == new.lower():
            return
        fixed = self._fixed.pop(conversation, {})
        fixed.pop(new.lower(), None)  # corrected back: the newer spelling wins
        fixed[old.lower()] = new
        self._fixed[conversation] = fixed
        while len(self._fixed) > MAX_CONVERSATIONS:
            self._fixed.pop(next(iter(self._fixed)))

    def respelled(self, text: str, conversation: str) -> str:
        """``text`` with each corrected name written as corrected, unless the message names
        the new spelling itself (a correction said again: "it's thomas not tomas")."""
        for old, new in self._fixed.get(conversation, {}).items():
            if re.search(rf"\b{re.escape(new)}\b", text, re.IGNORECASE):
                continue
            text = re.sub(rf"\b{re.escape(old)}\b", _written(new), text, flags=re.IGNORECASE)
        return text


def _written(new: str) -> Callable[[re.Match[str]], str]:
    """A replacement that writes ``new`` in the case of the spelling it replaces."""

    def write(found: re.Match[str]) -> str:
        return as_written(new, found.group(0))

    return write
