"""What a Discord message carries: at most 2,000 characters, so a long answer goes out in
pieces cut at sentence boundaries; and the bot's own mention taken out of what it is told."""

from __future__ import annotations

import re

from assistant.chunks import split_message, utf16_length

LIMIT = 2000
"""Longest message Discord takes from a bot. Counted in UTF-16 units, never fewer than the
characters Discord counts, so a piece is never refused for its length."""

NO_ANSWER = "Sorry, I couldn't answer that message."
REFUSAL = "Sorry, this account can't take messages."
"""The one reply a stranger ever gets: it names nothing and explains nothing."""


def discord_parts(text: str) -> list[str]:
    """An answer as the messages to send: 2,000 characters at most each, cut after the last
    sentence that fits."""
    return split_message(text, LIMIT, measure=utf16_length)


def without_mention(text: str, bot_id: int) -> str:
    """``text`` with the bot's mentions (``<@id>``, ``<@!id>``) taken out."""
    return re.sub(rf"<@!?{bot_id}>", " ", text).strip()
