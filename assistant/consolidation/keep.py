"""What decay never archives: health and safety facts, identity, facts about the user's
people, anything of importance 7 or more, and what the user brought back from the archive.

Such memories may still fade in ranking; they only never leave for the archive by decay. The
signals are the ones a memory already carries (its type, tags, the learner's label for the
fact, its people links and entities, the names the user's other memories give their people,
labelled or next to a relation: "my brother Emeka") and, for what was said without any of
them, the meaning of its text: its embedding is
compared with a few prototype sentences of health facts and of facts about family and friends,
and with everyday ones, and it counts only when it is closer to the first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.consolidation.differences import bound_names
from assistant.consolidation.view import StoreView
from assistant.memory_types import Memory, MemoryType
from assistant.models.base import Embedder
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

HEALTH_PROTOTYPES = (
    "I'm allergic to peanuts.",
    "I have a severe allergy and carry an EpiPen.",
    "Eating nuts makes my mouth itch and my face puffy.",
    "Some foods give me a bad reaction.",
    "I take medication every day.",
    "I was diagnosed with a chronic condition.",
    "I have asthma.",
    "I'm diabetic and need insulin.",
    "My blood type is O negative.",
    "I can't eat gluten, I have coeliac disease.",
    "I had surgery on my knee.",
    "I get migraines.",
    "I'm pregnant.",
    "I have epilepsy.",
)
PEOPLE_PROTOTYPES = (
    "My wife is a teacher.",
    "My sister's name is Anna.",
    "My mother lives by the sea.",
    "Our kids start school in September.",
    "My brother is coming to visit.",
    "My best friend plays the cello.",
    "My dog is called Rex.",
    "Grandma turns 90 this year.",
    "My dad had a heart attack.",
    "My son loves football.",
    "Her daughter is learning to ride horses.",
    "My husband works nights.",
)
ESSENTIAL_PROTOTYPES = (
    "The spare key is with our neighbour.",
    "The alarm code is written in the drawer.",
    "My emergency contact is my brother.",
    "The insurance documents are in the filing cabinet.",
    "Our will names my sister as the children's guardian.",
    "If the boiler stops, press the reset button for ten seconds.",
    "The water shut-off valve is under the kitchen sink.",
    "My passport is in the safe.",
    "The stopcock and the electricity meter are in the cellar.",
    "The password hint for the bank is written in my notebook.",
    "Our home address is 12 Park Road.",
    "My father died two years ago and it still hurts.",
    "I don't like to talk about my divorce.",
    "I use they/them pronouns.",
    "We never post photos of the children online.",
    "I keep kosher.",
    "Please don't mention my weight.",
)
"""Facts one needs in a bad moment or must never get wrong: keys, codes, documents,
emergency steps, grief, pronouns, family rules."""
EVERYDAY_PROTOTYPES = (
    "I went to the gym today.",
    "Had pasta for dinner.",
    "The meeting moved to Thursday.",
    "I bought new shoes.",
    "The train was late this morning.",
    "I like green tea.",
    "I work at a software company.",
    "I finished reading a novel.",
    "The printer is broken again.",
    "Booked a table at a restaurant.",
    "I'm learning Spanish.",
    "Need to renew the car insurance.",
)
ABOUT_PEOPLE = "about your people"
"""The reason given for a memory about the user's people (kept from decay, not from
compaction: a week's moments with friends are what a weekly summary is made of)."""
HEALTH_SIMILARITY = 0.40
"""Cosine to the nearest health prototype (MiniLM) from which a text reads as a health fact."""
PEOPLE_SIMILARITY = 0.55
"""Cosine to the nearest prototype about the user's people from which a text reads as one."""
ESSENTIAL_SIMILARITY = 0.4
"""Cosine to the nearest essential prototype from which a text reads as one."""
OFTEN_USED = 5
"""Uses (put into an answer, opened, confirmed) from which a memory is kept from decay."""


class Keeper:
    """Says, for each memory of a view, why decay must not archive it (or None).

    Usage::

        keeper = Keeper(view, embedder)
        reason = keeper.reason(i)   # "health", "about your people", "importance 8", …
    """

    def __init__(self, view: StoreView, embedder: Embedder | None = None) -> None:
        self.view = view
        self.embedder = embedder
        self._people: frozenset[str] | None = None
        self._meaning: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

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
        health, kin, essential = self._by_meaning()
        if health[index]:
            return "health"
        if kin[index]:
            return ABOUT_PEOPLE
        if essential[index]:
            return "essential"
        return None

    def _names_someone(self, memory: Memory) -> bool:
        if self._people is None:
            self._people = _people_names(self.view.memories)
        if not self._people:
            return False
        if any(e.lower() in self._people for e in memory.entities):
            return True
        words = {w.lower() for w in re.findall(r"[^\W\d_][\w-]*", memory.text)}
        return bool(words & self._people)

    def _by_meaning(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which memories read as a health fact, which as one about the user's people, and
        which as an essential one (worked out once, on the first memory that needs it)."""
        if self._meaning is None:
            vectors = self.view.vectors
            nothing = np.zeros(len(self.view.memories), dtype=bool)
            usable = self.embedder is not None and vectors.ndim == 2 and len(vectors)
            self._meaning = (
                _by_meaning(vectors, self.embedder)
                if usable and self.embedder is not None
                else (nothing, nothing, nothing)
            )
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


def _by_meaning(
    vectors: np.ndarray, embedder: Embedder
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which rows read as a health fact, which as one about the user's people, and which as
    an essential one: close to one of those prototypes, and closer to it than to any
    everyday sentence."""
    prototypes = embedder.embed(
        [*HEALTH_PROTOTYPES, *PEOPLE_PROTOTYPES, *ESSENTIAL_PROTOTYPES, *EVERYDAY_PROTOTYPES]
    )
    if prototypes.shape[1] != vectors.shape[1]:
        empty = np.zeros(len(vectors), dtype=bool)
        return empty, empty, empty
    sims = vectors @ prototypes.T
    h, p, e = len(HEALTH_PROTOTYPES), len(PEOPLE_PROTOTYPES), len(ESSENTIAL_PROTOTYPES)
    health = sims[:, :h].max(axis=1)
    kin = sims[:, h : h + p].max(axis=1)
    essential = sims[:, h + p : h + p + e].max(axis=1)
    everyday = sims[:, h + p + e :].max(axis=1)
    return (
        (health >= HEALTH_SIMILARITY) & (health > everyday),
        (kin >= PEOPLE_SIMILARITY) & (kin > everyday),
        (essential >= ESSENTIAL_SIMILARITY) & (essential > everyday),
    )
