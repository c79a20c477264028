"""Domain objects: a memory, a search hit and its score breakdown, a turn found as evidence,
search filters."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PROJECTS_FOLDER = ("Assistant", "Projects")
"""Where projects live in the vault: ``Assistant/Projects/<Name>/`` holds a project's note
and its memories."""
_PROJECTS_PREFIX = "/".join(PROJECTS_FOLDER) + "/"


def project_of(path: Path | str | None) -> str:
    """The project a note belongs to by where it lies: the ``<Name>`` of
    ``Assistant/Projects/<Name>/…``, or ``""`` for a global note (or none)."""
    if not path:
        return ""
    text = path if isinstance(path, str) else path.as_posix()
    if not text.startswith(_PROJECTS_PREFIX):
        return ""
    name, slash, rest = text[len(_PROJECTS_PREFIX) :].partition("/")
    return name if slash and rest else ""


class MemoryType(StrEnum):
    """What kind of memory a note holds."""

    IDENTITY = "identity"
    SEMANTIC = "semantic"
    EPISODIC = "episodic"
    PROCEDURAL = "procedural"
    EMOTIONAL = "emotional"
    REFLECTIVE = "reflective"


class Status(StrEnum):
    """Lifecycle of a memory: nothing is destroyed, only superseded or archived."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"


def new_id(now: float | None = None) -> str:
    """A ULID: 26 characters, sortable by creation time, unique across processes."""
    millis = int((time.time() if now is None else now) * 1000)
    value = (millis << 80) | int.from_bytes(secrets.token_bytes(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Memory:
    """One memory: the body of one vault note plus its frontmatter.

    ``metadata`` holds any extra frontmatter keys and round-trips unchanged. ``path`` is the
    note's location relative to the vault root, set once the memory has been written.
    """

    id: str
    text: str
    type: MemoryType = MemoryType.SEMANTIC
    importance: float = 5.0
    emotion: float = 0.0
    tags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)
    source: str = "user"
    status: Status = Status.ACTIVE
    supersedes: tuple[str, ...] = ()
    important: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def project(self) -> str:
        """The project the memory belongs to (the folder its note lies in), ``""`` if global."""
        return project_of(self.path)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (dates as ISO 8601, path as a vault-relative string)."""
        return {
            "id": self.id,
            "text": self.text,
            "type": self.type.value,
            "importance": self.importance,
            "emotion": self.emotion,
            "tags": list(self.tags),
            "entities": list(self.entities),
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
            "source": self.source,
            "status": self.status.value,
            "supersedes": list(self.supersedes),
            "important": self.important,
            "metadata": {
                k: v.isoformat() if isinstance(v, datetime) else v for k, v in self.metadata.items()
            },
            "path": self.path.as_posix() if self.path else None,
        }


@dataclass(frozen=True)
class ScoreBreakdown:
    """Why a memory ranked where it did: each component in [0, 1] and its weighted total."""

    semantic: float
    """Cosine similarity between the query and the memory embeddings."""
    lexical: float
    """Full-text (BM25) score, normalised against the best full-text match."""
    relevance: float
    """Fused relevance: semantic and lexical mixed by ``semantic_share``."""
    relative: float
    """Relevance divided by the best candidate's: the form that enters the total."""
    recency: float
    """Exponential decay of the memory's age."""
    importance: float
    """importance / 10, decayed by time since the last access (or creation)."""
    reinforcement: float
    """Grows with the number of times the memory was used (see ``Memories.used``)."""
    flag: float
    """1.0 when the user marked the memory important."""
    total: float
    """Weighted sum of the components; MMR may then reorder near-duplicates."""

    def explain(self) -> str:
        """A one-line human explanation of the score."""
        return (
            f"score {self.total:.3f} = relevance {self.relevance:.2f} "
            f"({self.relative:.0%} of best; semantic {self.semantic:.2f}, "
            f"text {self.lexical:.2f}), "
            f"recency {self.recency:.2f}, importance {self.importance:.2f}, "
            f"reinforcement {self.reinforcement:.2f}, important {self.flag:.0f}"
        )


@dataclass(frozen=True)
class Hit:
    """A search result: the memory, its score and how it was computed."""

    memory: Memory
    score: float
    breakdown: ScoreBreakdown
    access_count: int = 0
    via: str = ""
    """For a memory reached through a link: the id of the result it is linked to."""
    dated: bool = False
    """Dated within the days the question asks about ("what have I got on next week?")."""


@dataclass(frozen=True)
class EvidenceTurn:
    """One thing the user said, as evidence: the words, where and when."""

    id: str
    session: str
    at: float
    """Epoch seconds."""
    text: str
    """The user's own words."""
    before: str = ""
    """The end of the message before it (the assistant's reply or the user's own)."""

    @property
    def date(self) -> datetime:
        """When it was said (UTC)."""
        return datetime.fromtimestamp(self.at, UTC)


@dataclass(frozen=True)
class TurnHit:
    """An evidence turn found by a search, with its relevance (0-1)."""

    turn: EvidenceTurn
    score: float


@dataclass(frozen=True)
class MemoryFilter:
    """Which memories a search or listing may return. Empty fields mean "any"."""

    types: tuple[MemoryType, ...] = ()
    tags: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    statuses: tuple[Status, ...] = (Status.ACTIVE,)
    min_importance: float | None = None
    max_importance: float | None = None
    important: bool | None = None
    """True: only memories the user marked important; False: only the others."""
    projects: tuple[str, ...] = ()
    """Only memories of these projects (``""`` stands for the global ones)."""

    def matches(self, memory: Memory) -> bool:
        """Whether ``memory`` passes this filter."""
        return (
            memory.status in self.statuses
            and (not self.types or memory.type in self.types)
            and (not self.tags or bool(_lower(self.tags) & _lower(memory.tags)))
            and (self.since is None or memory.created >= self.since)
            and (self.until is None or memory.created <= self.until)
            and (self.min_importance is None or memory.importance >= self.min_importance)
            and (self.max_importance is None or memory.importance <= self.max_importance)
            and (self.important is None or memory.important == self.important)
            and (not self.projects or memory.project in self.projects)
        )


def _lower(tags: tuple[str, ...]) -> set[str]:
    return {t.lower() for t in tags}


class ListOrder(StrEnum):
    """How a listing is sorted (a search is ranked by relevance)."""

    RECENT = "recent"
    IMPORTANCE = "importance"
    USED = "used"
