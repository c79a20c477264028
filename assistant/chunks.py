"""Long answers cut into messages a channel accepts (1,600 characters for SMS, 2,000 for
Discord), at sentence boundaries where there is one, never inside a word when avoidable.

Usage::

    split_message(answer, 1600, measure=utf16_length)   # SMS counts UTF-16 code units
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*\s+|\n\s*")
_SPACE = re.compile(r"\s+")
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as SMS gateways count it (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int, *, measure: Callable[[str], int] = len) -> list[str]:
    """``text`` in pieces of at most ``limit`` (by ``measure``), cut after the last sentence
    that fits, else at the last space, else inside the word; empty text gives no piece."""
    if limit < 2:
        raise ValueError("a message holds at least two characters")
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if measure(rest) <= limit:
            pieces.append(rest)
            break
        fit = _longest_prefix(rest, limit, measure)
        cut = _cut(rest, fit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [piece for piece in pieces if piece]


def _longest_prefix(text: str, limit: int, measure: Callable[[str], int]) -> int:
    """The most characters of ``text`` whose measure is within ``limit`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _cut(text: str, fit: int) -> int:
    head = text[: fit + 1]  # one more: a space just past the limit is a boundary too
    ends = [min(m.end(), fit) for m in _SENTENCE_END.finditer(head) if m.end() > fit // 4]
    if ends:
        return ends[-1]
    spaces = [m.start() for m in _SPACE.finditer(head) if 0 < m.start() <= fit]
    if spaces:
        return spaces[-1]
    cut = fit
    # never leave a combining mark, a joiner or a variation selector at a piece's start
    while cut > 1 and (text[cut] in _JOINERS or unicodedata.combining(text[cut])):
        cut -= 1
    return cut
