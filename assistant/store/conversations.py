"""The conversation log: every turn, user and assistant, with route, model and memories used."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.learning.sameness import content_words
from assistant.store.database import Database


@dataclass(frozen=True)
class Turn:
    """One message in a conversation."""

    session: str
    role: str
    """``user`` or ``assistant``."""
    text: str
    channel: str = "cli"
    sender: str = "owner"
    route: str = ""
    model: str = ""
    memories: tuple[str, ...] = ()
    """Ids of the memories that were in the context."""
    interrupted: bool = False
    """The user stopped the answer; ``text`` is what was shown until then."""
    at: float = field(default_factory=time.time)


class ConversationLog:
    """Reads and writes the ``turns`` table.

    Usage::

        log.append([Turn(session, "user", "hi"), Turn(session, "assistant", "Hello!")])
        log.recent(limit=20)
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, turns: Sequence[Turn]) -> None:
        """Store turns in order."""
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        t.session,
                        t.at,
                        t.channel,
                        t.sender,
                        t.role,
                        t.text,
                        t.route or None,
                        t.model or None,
                        list(t.memories),
                        t.interrupted,
                    ]
                    for t in turns
                ],
            )

    def recent(self, limit: int = 50, session: str | None = None) -> list[Turn]:
        """The last ``limit`` turns (of one session if given), oldest first."""
        where, params = ("WHERE session = ?", [session]) if session else ("", [])
        found = self._select(f"{where} ORDER BY occurred DESC, role DESC LIMIT ?", [*params, limit])
        return found[::-1]

    def user_turns(self) -> list[Turn]:
        """Every turn the user said, each session's in order (for a purge to look through)."""
        return self._select("WHERE role = 'user' ORDER BY session, occurred", [])

    def exchange(self, session: str, at: float, slack: float = 2.0, said: str = "") -> list[Turn]:
        """The user turn at ``at`` (± ``slack`` seconds) in ``session`` and the reply to it:
        where a memory learned from a conversation came from. A memory records its turn to
        the second, so of the user turns near it the one in that second is taken, not one
        said a second or two before ("hi there" just before "im allergic to penicillin").
        Messages piped in arrive several a second: of the turns in that second, the one that
        shares most words with ``said`` (what the memory says) is taken."""
        user = self._select(
            "WHERE session = ? AND role = 'user' AND occurred BETWEEN ? AND ? "
            "ORDER BY abs(occurred - ?)",
            [session, at - slack, at + 60.0, at + 0.5],
        )
        if not user:
            return []
        same_second = [t for t in user if at <= t.at < at + 1.0]
        if said and len(same_second) > 1:
            words = _words(said)
            best = max(same_second, key=lambda t: len(words & _words(t.text)))
        else:
            best = user[0]
        if said and (told := content_words(said)) and not told & content_words(best.text):
            return []  # its turn was purged: a turn said near it is not where it came from
        reply = self._select(
            "WHERE session = ? AND role = 'assistant' AND occurred >= ? ORDER BY occurred LIMIT 1",
            [session, best.at],
        )
        return [best, *reply]

    def forget(self, session: str, at: float, slack: float = 0.01) -> None:
        """Delete the user turn at ``at`` (± ``slack`` seconds) in ``session`` and the reply
        to it (every user turn is logged with one: the first assistant turn after it)."""
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM turns WHERE session = ? AND ((role = 'user' AND occurred BETWEEN ? "
                "AND ?) OR (role = 'assistant' AND occurred = (SELECT min(occurred) FROM turns "
                "WHERE session = ? AND role = 'assistant' AND occurred >= ?)))",
                [session, at - slack, at + slack, session, at - slack],
            )

    def source_of(self, metadata: Mapping[str, Any], said: str = "") -> list[Turn]:
        """The exchange a memory saying ``said`` was learned from, when its note records its
        provenance (``conversation`` and ``turn``); empty otherwise."""
        conversation, turn = metadata.get("conversation"), metadata.get("turn")
        if not isinstance(conversation, str) or not isinstance(turn, str | datetime):
            return []
        try:
            at = turn if isinstance(turn, datetime) else datetime.fromisoformat(turn)
        except ValueError:
            return []
        return self.exchange(conversation, at.timestamp(), said=said)

    def _select(self, clause: str, params: list[object]) -> list[Turn]:
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT session, role, text, channel, sender, route, model, memories, "
                f"interrupted, occurred FROM turns {clause}",
                params,
            ).fetchall()
        return [
            Turn(s, r, t, c, snd, ro or "", m or "", tuple(mem or ()), bool(i), float(at))
            for s, r, t, c, snd, ro, m, mem, i, at in rows
        ]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))
