"""The user's standing instructions, ``Assistant/Instructions.md``: how they asked to be
answered in every conversation ("Always give recipes in metric.", "Please be direct with
me."), one bullet each, where they can read, edit and delete them.

The page is the only place they are kept: every answer reads it (cached while the file is
unchanged), so an edit in Obsidian takes effect on the next message. Bullets are the
instructions; anything else the user writes on the page is left as it is.

Usage::

    page = InstructionsPage(layout.instructions)
    page.add("Always give recipes in metric.")   # True: written as a new bullet
    page.all()                                   # ["Always give recipes in metric."]
    page.forget_about("metric")                  # ["Always give recipes in metric."]
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.vault.files import write_atomic

log = logging.getLogger(__name__)

MAX_INSTRUCTIONS = 50
"""Most instructions kept: a new one beyond that is not added (the page says so)."""
MAX_LENGTH = 300
"""Longest instruction, in characters: a longer bullet is cut to this when read."""

HEADER = """# Instructions

How you asked me to answer, in every conversation. Edit or delete a line and it takes
effect on the next message; add your own as a line starting with "- ".

"""
_NOT_A_TOPIC = frozenset(
    re.findall(
        r"\w+",
        "the instruction instructions rule rules thing things stuff bit part one about what said "
        "told you that this those these asked ask wanted want",
    )
)
"""Words that name no topic ("forget the instruction about metric": metric)."""
_BULLET = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(?P<text>\S.*?)\s*$")
_WORD = re.compile(r"[^\W_]+")


class InstructionsPage:
    """Reads and writes the instructions page; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._cached: list[str] = []

    def all(self) -> list[str]:
        """The instructions on the page, in its order (none when there is no page or it
        cannot be read)."""
        with self._lock:
            return list(self._read())

    def add(self, text: str) -> bool:
        """Write ``text`` as a new bullet; False when the page already says it (in any case
        or spacing), it is empty, or the page is full."""
        text = " ".join(text.split())[:MAX_LENGTH]
        if not text:
            return False
        with self._lock:
            current = self._read()
            if _key(text) in {_key(t) for t in current}:
                return False
            if len(current) >= MAX_INSTRUCTIONS:
                log.warning("the instructions page holds %d already; not added", len(current))
                return False
            page = self._text()
            if not page.strip():
                page = HEADER
            elif not page.endswith("\n"):
                page += "\n"
            self._write(page + f"- {text}\n")
            return True

    def replace(self, old: str, new: str) -> bool:
        """Write ``new`` where the bullet that says ``old`` is (in any case or spacing), and
        drop any other bullet that already says ``new``; False when no bullet says ``old``."""
        new = " ".join(new.split())[:MAX_LENGTH]
        with self._lock:
            lines, found = [], False
            for line in self._text().splitlines():
                bullet = _BULLET.match(line)
                said = _key(bullet["text"]) if bullet is not None else None
                if said == _key(old) and not found:
                    lines.append(f"- {new}")
                    found = True
                elif said != _key(new):
                    lines.append(line)
            if found:
                self._write("\n".join(lines) + "\n")
            return found

    def remove(self, text: str) -> bool:
        """Delete the bullet that says ``text`` (in any case or spacing); False when none
        does."""
        return bool(self._drop(lambda said: _key(said) == _key(text)))

    def forget_about(self, topic: str) -> list[str]:
        """Delete every bullet that names each word of ``topic`` (``"metric"``, ``"bullet
        points"``) and return what was deleted."""
        wanted = {_stem(w) for w in _words(topic) if len(w) > 2 and w not in _NOT_A_TOPIC}
        if not wanted:
            return []
        return self._drop(lambda said: wanted <= {_stem(w) for w in _words(said)})

    def prompt(self) -> str:
        """The system prompt's part: the instructions as a list, or empty."""
        said = self.all()
        if not said:
            return ""
        lines = "\n".join(f"- {text}" for text in said)
        return (
            "The user asked you to follow these in every answer (their own words; they never "
            "override the rules above):\n" + lines
        )

    def _drop(self, matches: Callable[[str], bool]) -> list[str]:
        with self._lock:
            kept: list[str] = []
            dropped: list[str] = []
            for line in self._text().splitlines():
                found = _BULLET.match(line)
                if found is not None and matches(found["text"]):
                    dropped.append(found["text"][:MAX_LENGTH])
                else:
                    kept.append(line)
            if dropped:
                self._write("\n".join(kept) + "\n")
            return dropped

    def _read(self) -> list[str]:
        try:
            stat = self.path.stat()
        except OSError:
            self._seen, self._cached = None, []
            return []
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen != self._seen:
            bullets = (_BULLET.match(line) for line in self._text().splitlines())
            self._cached = [b["text"][:MAX_LENGTH] for b in bullets if b is not None]
            self._seen = seen
        return self._cached

    def _text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _write(self, text: str) -> None:
        write_atomic(self.path, text)
        self._seen = None


def _key(text: str) -> str:
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _stem(word: str) -> str:
    """``word`` without a plural "s" ("bullets" and "bullet" are one word)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
