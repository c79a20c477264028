"""What an SMS can carry: plain text in pieces of 1,600 characters, and the carrier keywords
(STOP, START, HELP) every number must honour."""

from __future__ import annotations

import re
from enum import Enum

from assistant.chunks import split_message, utf16_length

LIMIT = 1600
"""Longest SMS body Twilio sends (it splits it into segments itself), in UTF-16 units."""

HELP = (
    "This number reaches a personal assistant for its owner only. "
    "Reply STOP to receive no more messages, START to receive them again."
)
MEDIA_ONLY = (
    "I can only read text for now: I got your picture or file but cannot look at it. "
    "Could you say it in words?"
)
NO_ANSWER = "Sorry, I couldn't answer that message."


class Keyword(Enum):
    """A carrier keyword: the whole message, in any case."""

    STOP = "stop"
    START = "start"
    HELP = "help"


_KEYWORDS = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"),
        Keyword.STOP,
    ),
    **dict.fromkeys(("START", "YES", "UNSTOP"), Keyword.START),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}


def keyword(body: str) -> Keyword | None:
    """The keyword ``body`` is (``" Stop. "`` is STOP), or None for an ordinary message."""
    return _KEYWORDS.get(" ".join(re.sub(r"[^\w\s]", "", body).upper().split()))


_FENCE = re.compile(r"^\s*```[^\n]*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[*+-]\s+", re.MULTILINE)
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"`([^`\n]+)`")
_BLANKS = re.compile(r"\n{3,}")


def plain(text: str) -> str:
    """``text`` with its markdown taken out: emphasis, headings, code fences and quotes go,
    links keep their text and address, list items become bullets."""
    text = _FENCE.sub("", text)
    text = _RULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _QUOTE.sub("", text)
    text = _BULLET.sub(r"\1• ", text)
    text = _IMAGE.sub(lambda m: m.group(1) or m.group(2), text)
    text = _LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})",
        text,
    )
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _STRIKE.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _BLANKS.sub("\n\n", text).strip()


def sms_parts(text: str) -> list[str]:
    """An answer as the SMS bodies to send: plain text, 1,600 UTF-16 units at most each, cut
    at sentence boundaries."""
    return split_message(plain(text), LIMIT, measure=utf16_length)
