"""What goes into :meth:`Responder.respond` and what comes out of it, for every channel."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.memory_types import Hit

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
"""Control characters, and the invisible ones that reorder or hide text (a right-to-left
override, a zero-width space): never part of what the user meant, and in a note's file name
they disguise it. The joiners that emoji and some scripts need (U+200C, U+200D) are kept."""


@dataclass(frozen=True)
class InboundMessage:
    """A message from the user on some channel (``cli``, ``tui``, ``discord``, ``sms``)."""

    text: str
    channel: str = "cli"
    sender: str = "owner"
    at: float = field(default_factory=time.time)
    thread: str = ""
    """Where on the channel, when it has several places (a Discord DM or server channel):
    each is a conversation of its own, so what was said in one is not the context of
    another."""


@dataclass(frozen=True)
class Notice:
    """A one-line status for the user (a fallback, a budget warning), not part of the answer."""

    text: str
    level: str = "info"
    """``info``, ``warning``, or ``checkin``: the assistant writing first, shown as its words."""


@dataclass(frozen=True)
class Token:
    """A piece of the answer, streamed as it arrives."""

    text: str


@dataclass(frozen=True)
class ToolUsed:
    """A tool the model ran, summarised in one line."""

    name: str
    summary: str
    ok: bool = True


@dataclass
class Reply:
    """The whole answer, last event of every response."""

    text: str
    route: str = ""
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    memories: list[Hit] = field(default_factory=list)
    interrupted: bool = False
    command: bool = False
    """Answered by a slash command or intent, without a model."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (``assistant ask --json``)."""
        return {
            "answer": self.text,
            "route": self.route,
            "model": self.model or None,
            "tokens": {"input": self.input_tokens, "output": self.output_tokens},
            "cost": round(self.cost, 6),
            "memories": [
                {"id": h.memory.id, "text": h.memory.text, "score": round(h.score, 4)}
                for h in self.memories
            ],
            "interrupted": self.interrupted,
        }


ReplyEvent = Notice | Token | ToolUsed | Reply


def clean_message(text: str) -> str:
    """Input as the assistant stores and reasons about it: bytes that were not UTF-8 (read
    as lone surrogates) shown as U+FFFD, ANSI escapes and control characters removed, full-width
    Latin written as plain Latin, line endings normalised, surrounding blank space trimmed."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).translate(_FULL_WIDTH).strip()


_FULL_WIDTH = {0xFF01 + n: 0x21 + n for n in range(0x5E)} | {0x3000: 0x20}
"""Full-width Latin letters, digits and marks ("Ｍｙ ｆａｖｏｕｒｉｔｅ"), as the ones they are."""


def looks_binary(text: str) -> bool:
    """Whether cleaned input is binary data rather than text: bytes that were not UTF-8 (shown
    as U+FFFD by :func:`clean_message`) make :data:`BINARY_SHARE` of it or more. A few stray
    bytes in text ("caf\ufffd", a Latin-1 paste) leave it text."""
    bad = text.count("\ufffd")
    return bad > 3 and bad >= BINARY_SHARE * len(text)


BINARY_SHARE = 0.25
"""Random bytes read as UTF-8 are U+FFFD for about half their length."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: how a byte that is not UTF-8 arrives from a terminal or a pipe."""
