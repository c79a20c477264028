"""Conversation notes: the transcript of each session in ``Assistant/Conversations/``.

They are the durable record of what the user said, from which the evidence index is rebuilt
(``reindex``). Messages are redacted where they enter, so no secret reaches a note. One note
per session, named by the day it started::

    ---
    session: 01JF…
    ---
    ### 2026-03-02T18:04:11.250+00:00 · you
    the plumber said the boiler needs a new valve

    ### 2026-03-02T18:04:13.900+00:00 · assistant
    Did he say when he can fit it?

A body line that would read as a heading is written with a leading backslash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.vault.files import write_atomic
from assistant.vault.layout import VaultLayout

USER, ASSISTANT = "you", "assistant"
_HEADING = re.compile(r"^### (\S+) · (you|assistant)$")
_ESCAPED = re.compile(r"^\\+###")
_SAFE_SESSION = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Said:
    """One message of a transcript: who said it, when (epoch seconds) and what."""

    role: str
    """``you`` (the user) or ``assistant``."""
    at: float
    text: str


class ConversationNotes:
    """Reads and writes the transcript notes of a vault."""

    def __init__(self, layout: VaultLayout) -> None:
        self.layout = layout

    def path_of(self, session: str, at: float) -> Path:
        """The note of ``session``: the existing one, else a new name dated by ``at``."""
        safe = _SAFE_SESSION.sub("_", session) or "session"
        folder = self.layout.conversations
        if folder.is_dir():
            for found in folder.glob(f"* {safe}.md"):
                return found
        day = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")
        return folder / f"{day} {safe}.md"

    def append(self, session: str, said: Sequence[Said]) -> list[Said]:
        """Add messages to the session's note; returns what the note held before them."""
        if not said:
            return []
        path = self.path_of(session, said[0].at)
        before = self.read(path)[1] if path.exists() else []
        write_atomic(path, render(session, [*before, *said]))
        return before

    def rewrite(self, path: Path, session: str, said: Sequence[Said]) -> None:
        """Replace a note's messages (after a turn was forgotten); an empty note is removed."""
        if said:
            write_atomic(path, render(session, said))
        else:
            path.unlink(missing_ok=True)

    def read(self, path: Path) -> tuple[str, list[Said]]:
        """The session id and the messages of one note."""
        text = path.read_text(encoding="utf-8")
        session = path.stem.split(" ", 1)[-1]
        lines = text.splitlines()
        if lines and lines[0] == "---":
            end = lines.index("---", 1) if "---" in lines[1:] else 0
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                if key.strip() == "session" and value.strip():
                    session = value.strip()
            lines = lines[end + 1 :]
        found: list[Said] = []
        role, at = "", 0.0
        body: list[str] = []
        for line in [*lines, "### end · you"]:
            match = _HEADING.match(line)
            if match:
                if role:
                    found.append(Said(role, at, "\n".join(body).strip()))
                try:
                    at = datetime.fromisoformat(match.group(1)).timestamp()
                    role = match.group(2)
                except ValueError:
                    role = ""
                body = []
            elif role:
                body.append(line[1:] if _ESCAPED.match(line) else line)
        return session, [s for s in found if s.text]

    def notes(self) -> Iterator[Path]:
        """Every transcript note, oldest first."""
        folder = self.layout.conversations
        if folder.is_dir():
            yield from sorted(p for p in folder.glob("*.md") if not p.name.startswith("."))


def render(session: str, said: Sequence[Said]) -> str:
    """The markdown of a transcript note."""
    blocks = [f"---\nsession: {session}\n---"]
    for message in said:
        when = datetime.fromtimestamp(message.at, UTC).isoformat(timespec="milliseconds")
        body = "\n".join(
            "\\" + line if _ESCAPED.match(line) or line.startswith("###") else line
            for line in message.text.splitlines()
        )
        blocks.append(f"### {when} · {message.role}\n{body}")
    return "\n\n".join(blocks) + "\n"
