"""Spotting an answer that has started repeating itself, so its stream can be stopped.

Small local models can fall into a loop ("I'm glad you're having fun too!" until the token
cap). A repeat penalty makes that rarer; this check ends it when it happens anyway.
"""

from __future__ import annotations

import re
from collections import Counter

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[\w']+")
MIN_SENTENCE_WORDS = 3
"""Shorter sentences ("Yes.", "Thank you.") may fairly come back; they are not counted."""
LOOP_WORDS = 12
"""A run of words repeated back to back counts as a loop once it spans this many words."""
MAX_BLOCK = 50
"""The longest block looked for back to back (longer loops repeat whole sentences)."""
_TAIL_CHARS = 2000
"""Enough of the end of an answer to hold the longest back-to-back loop looked for."""


def repeating(text: str, times: int = 3) -> bool:
    """Whether ``text`` repeats itself: one sentence of ``MIN_SENTENCE_WORDS`` words or more
    said ``times`` times (case and punctuation aside), or its last words a block of words
    said ``times`` times back to back (and at least ``LOOP_WORDS`` words in all)."""
    said = Counter(key for part in _SENTENCE_END.split(text) if (key := _sentence(part)))
    return max(said.values(), default=0) >= times or _loops(_WORD.findall(text.lower()), times)


def _sentence(part: str) -> str:
    """A sentence as compared: its words, lower case; "" when it is too short to count."""
    words = _WORD.findall(part.lower())
    return " ".join(words) if len(words) >= MIN_SENTENCE_WORDS else ""


def _loops(words: list[str], times: int) -> bool:
    """Whether ``words`` end with a block said ``times`` times back to back."""
    for size in range(1, min(MAX_BLOCK, len(words) // times) + 1):
        count = max(times, -(-LOOP_WORDS // size))  # ceil: short blocks need more repeats
        if size * count > len(words):
            continue
        block = words[-size:]
        if all(words[-size * (n + 1) : len(words) - size * n] == block for n in range(count)):
            return True
    return False


class RepeatGuard:
    """Watches an answer as it streams; :meth:`feed` says when it has started repeating
    (the same verdict as :func:`repeating` on the whole text, in constant time per piece).

    Usage::

        guard = RepeatGuard()
        for piece in stream:
            if guard.feed(piece):
                break  # stop generating
    """

    def __init__(self, times: int = 3) -> None:
        self._times = times
        self._said: Counter[str] = Counter()
        self._open = ""  # the sentence still being written
        self._tail = ""  # the end of the answer, for back-to-back loops

    def feed(self, piece: str) -> bool:
        """Add ``piece`` of the answer; True once the answer repeats itself."""
        self._open += piece
        self._tail = (self._tail + piece)[-_TAIL_CHARS:]
        *finished, self._open = _SENTENCE_END.split(self._open)
        for part in finished:
            if key := _sentence(part):
                self._said[key] += 1
                if self._said[key] >= self._times:
                    return True
        if not re.search(r"[\s.!?…,;:]", piece):
            return False  # a word is still being written
        return _loops(_WORD.findall(self._tail.lower()), self._times)
