"""Session state and working memory, kept in diskcache so every process sees the same session.

Working items live ``1800 s × (1 + 11 × emotion)``: half an hour for a neutral remark, up to
six hours for an emotional one. A session ends after a day without messages.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import diskcache

from assistant.memory_types import new_id

SESSION_IDLE = 86400.0
_STATE_KEY = "session"
_ITEMS_KEY = "working"
_KEPT_KEY = "kept"
MAX_ITEMS = 200
"""Working items kept at most (the oldest go first; context assembly uses far fewer)."""
_EMOTIONAL = re.compile(
    r"\b(?:love|hate|afraid|scared|terrified|anxious|worried|excited|thrilled|devastated|"
    r"heartbroken|furious|angry|upset|sad|depressed|lonely|grief|grieving|died|passed away|"
    r"cancer|divorce|pregnant|engaged|married|fired|laid off|promoted|panic|miss (?:him|her|them)"
    r"|proud|ashamed|crying|cried|overwhelmed|stressed|happy|ecstatic)\b",
    re.IGNORECASE,
)


def ttl(emotion: float) -> float:
    """Seconds a working item lives: ``1800 × (1 + 11 × emotion)``, emotion clamped to 0–1."""
    return 1800.0 * (1.0 + 11.0 * min(max(emotion, 0.0), 1.0))


def estimate_emotion(text: str) -> float:
    """A quick 0–1 estimate of emotional intensity from wording and emphasis."""
    hits = len(_EMOTIONAL.findall(text))
    emphasis = min(text.count("!"), 3) * 0.05
    return min(1.0, hits * 0.35 + emphasis)


@dataclass(frozen=True)
class SessionState:
    """The current conversation: when it started, when it was last active, its topic."""

    id: str
    started: float
    last_active: float
    topic: str = ""
    turns: int = 0


@dataclass(frozen=True)
class WorkingItem:
    """A recent turn or a short-lived fact."""

    role: str
    """``user``, ``assistant`` or ``fact``."""
    text: str
    emotion: float = 0.0
    at: float = field(default_factory=time.time)


class WorkingMemory:
    """The session and its working items, shared through a diskcache directory; one per
    conversation (:meth:`conversation`), or the one of a process with a single conversation.

    Usage::

        working = WorkingMemory(paths.cache_dir(home) / "session")
        working.add(WorkingItem("user", "I'm nervous about tomorrow's interview", emotion=0.7))
        working.items()
    """

    def __init__(self, directory: Path | diskcache.Cache, conversation: str = "") -> None:
        if isinstance(directory, diskcache.Cache):
            self._cache = directory
            self._owner = False
        else:
            self._cache = diskcache.Cache(str(directory), size_limit=64 * 2**20)
            self._owner = True
        prefix = f"{conversation}:" if conversation else ""
        self._state_key = prefix + _STATE_KEY
        self._items_key = prefix + _ITEMS_KEY
        self._kept_key = prefix + _KEPT_KEY
        self._lock = threading.Lock()

    def conversation(self, key: str) -> WorkingMemory:
        """The session and working items of conversation ``key`` (a channel and sender),
        kept apart from every other conversation's, in the same cache."""
        return WorkingMemory(self._cache, key)

    def session(self, now: float | None = None) -> SessionState:
        """The current session, or a new one when the last went idle for a day."""
        now = time.time() if now is None else now
        state = self._cache.get(self._state_key)
        if isinstance(state, SessionState) and now - state.last_active < SESSION_IDLE:
            return state
        fresh = SessionState(new_id(now), now, now)
        self._cache.set(self._state_key, fresh)
        return fresh

    def touch(self, topic: str = "", now: float | None = None) -> SessionState:
        """Record a message in the current session (and its topic, when known)."""
        now = time.time() if now is None else now
        with self._lock:
            state = self.session(now)
            state = replace(
                state, last_active=now, topic=topic or state.topic, turns=state.turns + 1
            )
            self._cache.set(self._state_key, state)
        return state

    def add(self, item: WorkingItem) -> None:
        """Keep ``item`` for ``ttl(item.emotion)`` seconds."""
        with self._lock, self._cache.transact():
            live = self._live(time.time())
            live.append((item.at + ttl(item.emotion), item))
            self._cache.set(self._items_key, live[-MAX_ITEMS:])

    def items(self, limit: int = 20) -> list[WorkingItem]:
        """The newest live items, oldest first."""
        live = self._live(time.time())
        return [item for _, item in live[-limit:]]

    def _live(self, now: float) -> list[tuple[float, WorkingItem]]:
        stored = self._cache.get(self._items_key)
        if not isinstance(stored, list):
            return []
        return sorted(
            ((expires, item) for expires, item in stored if expires > now),
            key=lambda pair: pair[1].at,
        )

    def unsaved_moments(self, threshold: float = 0.6) -> list[WorkingItem]:
        """The user's emotional items (emotion > ``threshold``) not yet kept as memories."""
        kept = self._cache.get(self._kept_key) or set()
        return [
            i
            for i in self.items(MAX_ITEMS)
            if i.emotion > threshold and i.role == "user" and (i.at, i.text) not in kept
        ]

    def mark_saved(self, items: list[WorkingItem]) -> None:
        """Remember that ``items`` became memories, so they are kept only once."""
        with self._lock, self._cache.transact():
            kept = set(self._cache.get(self._kept_key) or set())
            kept |= {(i.at, i.text) for i in items}
            self._cache.set(self._kept_key, kept, expire=ttl(1.0))

    def end(self) -> list[WorkingItem]:
        """Close the session: returns the emotional items (emotion > 0.6) worth keeping."""
        keep = [i for i in self.items(MAX_ITEMS) if i.emotion > 0.6 and i.role != "assistant"]
        with self._lock, self._cache.transact():
            for key in (self._state_key, self._items_key, self._kept_key):
                self._cache.delete(key)
        return keep

    def close(self) -> None:
        """Release the cache files (those this one opened)."""
        if self._owner:
            self._cache.close()


def scrub(directory: Path, needles: Sequence[str]) -> int:
    """Drop every working item, saved mark and session topic that holds one of ``needles``
    (lower case), in every conversation kept at ``directory``: what was purged leaves working
    memory too. Returns how many entries changed."""
    if not needles or not directory.is_dir():
        return 0

    def holds(text: str) -> bool:
        low = " ".join(text.lower().split())
        return any(n in low for n in needles)

    changed = 0
    with diskcache.Cache(str(directory), size_limit=64 * 2**20) as cache, cache.transact():
        for key in list(cache.iterkeys()):
            value = cache.get(key)
            name = str(key).rsplit(":", 1)[-1]
            if name == _ITEMS_KEY and isinstance(value, list):
                kept = [pair for pair in value if not holds(pair[1].text)]
                if len(kept) != len(value):
                    cache.set(key, kept)
                    changed += 1
            elif name == _KEPT_KEY and isinstance(value, set):
                left = {pair for pair in value if not holds(pair[1])}
                if left != value:
                    cache.set(key, left, expire=ttl(1.0))
                    changed += 1
            elif isinstance(value, SessionState) and holds(value.topic):
                cache.set(key, replace(value, topic=""))
                changed += 1
    return changed
