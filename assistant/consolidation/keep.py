"""What decay never archives: health and safety facts, identity, facts about the user's
people, anything of importance 7 or more, and what the user brought back from the archive.

Such memories may still fade in ranking; they only never leave for the archive by decay. The
signals are the ones a memory already carries (its type, tags, the learner's label for the
fact, its people links and entities, the names the user's other memories give their people,
labelled or next to a relation: "my brother Emeka") and, for what was said without any of
them, the meaning of its text, read by a classifier over its embedding
(:mod:`assistant.consolidation.protect`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.consolidation.differences import bound_names
from assistant.consolidation.protect import Protection
from assistant.consolidation.view import StoreView
from assistant.memory_types import Memory, MemoryType
from assistant.models.base import Embedder
from assistant.models.minilm import is_minilm
from assistant.vault.notes import link_targets

KEEP_IMPORTANCE = 7.0
"""A memory given at least this importance is never archived by decay."""
GIVEN = "given_importance"
"""Metadata: the importance a memory had before decay first lowered it."""

HEALTH_TAGS = frozenset(
    {
        "health",
        "medical",
        "medication",
        "medicine",
        "allergy",
        "allergies",
        "safety",
        "condition",
        "diagnosis",
        "emergency",
    }
)
PEOPLE_TAGS = frozenset(
    {"family", "people", "person", "friends", "friend", "pets", "relationships"}
)
IDENTITY_TAGS = frozenset({"identity"})
HEALTH_FACTS = frozenset({"allergy", "medication", "condition", "health", "diagnosis"})
PEOPLE_FACTS = frozenset({"relation", "about", "person", "people", "family", "pet"})
IDENTITY_FACTS = frozenset({"name", "identity", "birthday", "home", "work", "job"})

ABOUT_PEOPLE = "about your people"
"""The reason given for a memory about the user's people (kept from decay, not from
compaction: a week's moments with friends are what a weekly summary is made of)."""
OFTEN_USED = 5
"""Uses (put into an answer, opened, confirmed) from which a memory is kept from decay."""


class Keeper:
    """Says, for each memory of a view, why decay must not archive it (or None).

    Usage::

        keeper = Keeper(view, embedder)
        reason = keeper.reason(i)   # "health", "about your people", "importance 8", …
    """

    def __init__(
        self, view: StoreView, embedder: Embedder | None = None, weights_dir: Path | None = None
    ) -> None:
        self.view = view
        self.embedder = embedder
        self.weights_dir = weights_dir
        self._people: frozenset[str] | None = None
        self._meaning: list[str | None] | None = None

    def reason(self, index: int) -> str | None:
        """Why ``view.memories[index]`` is never archived by decay, in a word or two."""
        memory = self.view.memories[index]
        given = given_importance(memory)
        fact = _fact_head(memory)
        tags = {t.lower() for t in memory.tags}
        if memory.important:
            return "marked important"
        if memory.metadata.get("archived_by"):
            return "brought back from the archive"
        if tags & HEALTH_TAGS or fact in HEALTH_FACTS:
            return "health"
        if memory.type is MemoryType.IDENTITY or tags & IDENTITY_TAGS or fact in IDENTITY_FACTS:
            return "identity"
        if given >= KEEP_IMPORTANCE:
            return f"importance {given:g}"
        if (
            tags & PEOPLE_TAGS
            or fact in PEOPLE_FACTS
            or link_targets(memory.metadata.get("people"))
        ):
            return ABOUT_PEOPLE
        if self._names_someone(memory):
            return ABOUT_PEOPLE
        if self.view.access_count(memory) >= OFTEN_USED:
            return "often used"
        return self._by_meaning()[index]

    def _names_someone(self, memory: Memory) -> bool:
        if self._people is None:
            self._people = _people_names(self.view.memories)
        if not self._people:
            return False
        if any(e.lower() in self._people for e in memory.entities):
            return True
        words = {w.lower() for w in re.findall(r"[^\W\d_][\w-]*", memory.text)}
        return bool(words & self._people)

    def _by_meaning(self) -> list[str | None]:
        """Why each memory is kept by what it means (:mod:`.protect`), worked out once, on
        the first memory that needs it; nothing without MiniLM (a hashing fallback reads
        words, not meaning)."""
        if self._meaning is None:
            vectors = np.asarray(self.view.vectors, dtype=np.float32)
            texts = [m.text for m in self.view.memories]
            embedder = self.embedder
            if embedder is not None and is_minilm(embedder) and vectors.ndim == 2 and texts:
                self._meaning = Protection(embedder, self.weights_dir).reasons(texts, vectors)
            else:
                self._meaning = [None] * len(texts)
        return self._meaning


def given_importance(memory: Memory) -> float:
    """The importance a memory was given, before decay lowered it (or its importance now)."""
    value: Any = memory.metadata.get(GIVEN)
    try:
        return max(memory.importance, float(value)) if value is not None else memory.importance
    except (TypeError, ValueError):
        return memory.importance


def _fact(memory: Memory) -> tuple[str, str]:
    """The learner's label for a fact, split: ``("relation", "sister")``, ``("home", "")``."""
    label = str(memory.metadata.get("fact") or memory.metadata.get("learned_as") or "")
    head, _, subject = label.partition(":")
    return head.strip().lower(), subject.strip()


def _fact_head(memory: Memory) -> str:
    return _fact(memory)[0]


def _people_names(memories: Sequence[Memory]) -> frozenset[str]:
    """Lower-cased names of the user's people: the learner's people links, the names in
    memories filed as a relation or tagged as family, and the names any memory gives next to
    a relation ("my brother Emeka", "daughter ada", "Ngozi (my mum)"), in any case."""
    names: set[str] = set()
    for memory in memories:
        names.update(bound_names(memory.text))
        for target in link_targets(memory.metadata.get("people")):
            names.add(target.lower())
        head, subject = _fact(memory)
        if head == "about" and subject:
            names.add(subject.lower())
        if head == "relation" or {t.lower() for t in memory.tags} & PEOPLE_TAGS:
            names.update(e.lower() for e in memory.entities)
            if head == "relation" and subject:
                names.update(_named(memory.text, subject))
    return frozenset(n for n in names if len(n) > 1)


def _named(text: str, relation: str) -> set[str]:
    """ "Mira" from "My daughter's name is Mira." (the learner's text for a relation)."""
    found = re.search(
        rf"\b{re.escape(relation)}(?:'s name is| is called| is named)\s+([\w'-]+)",
        text,
        re.IGNORECASE,
    )
    return {found.group(1).lower()} if found else set()
