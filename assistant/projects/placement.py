"""Which facts belong to a project and which stay with the user wherever they work.

The classifier that types a fact decides: identity facts (name, home, work, family) and
whatever it tags as about the user's body, family, pets or home stay global, so they are
known in every project; everything else learned while a project is active goes into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import replace

from assistant.memory_types import Memory, MemoryType
from assistant.store.ranking import Scored

PERSONAL_TYPES = frozenset({MemoryType.IDENTITY})
"""Memory types that are always about the user in general."""
PERSONAL_TAGS = frozenset({"identity", "family", "health", "pets", "home", "relationship"})
"""Tags the classifier gives to facts about the user's person and life."""


def stays_global(memory_type: MemoryType | str, tags: Iterable[str] = (), text: str = "") -> bool:
    """Whether a fact of this type with these tags (and ``text``) is about the user in general
    (kept out of any project): a fact about the user's own family or pets is, whatever the
    classifier tagged it ("my mum likes tablet and the old scottish songs")."""
    kind = MemoryType(str(memory_type).lower())
    return (
        kind in PERSONAL_TYPES
        or any(t.lower().lstrip("#") in PERSONAL_TAGS for t in tags)
        or _OWN_PEOPLE.search(text) is not None
    )


def names_project(text: str, project: str) -> bool:
    """Whether ``text`` names the project by its name, or by a word of it that names it alone
    ("the Apollo backend uses Postgres 16" for Apollo, "baumann contact is herr dietrich" for
    Baumann GmbH) and none of the user's own people or pets: a fact of that project, whatever
    its type."""
    words = [project, *(w for w in re.findall(r"[^\W_][\w'&-]*", project) if _telling(w))]
    named = any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in words)
    return named and _OWN_PEOPLE.search(text) is None


_GENERIC = frozenset(
    {"gmbh", "ltd", "limited", "inc", "llc", "plc", "corp", "company", "co", "ag", "sa"}
    | {"project", "the", "and", "app", "team", "client", "website", "site", "new", "old"}
)
"""Words of a project's name that do not name it alone ("GmbH", "project")."""


def _telling(word: str) -> bool:
    """Whether one word of a project's name names it alone ("baumann" of "Baumann GmbH")."""
    return len(word) >= 4 and word.lower() not in _GENERIC


_OWN_PEOPLE = re.compile(
    r"\b(?:my|our)\s+(?:(?:little|big|older|younger|eldest|youngest|oldest|baby|twin|step)\s+)?"
    r"(?:mum|mom|mam|mother|dad|father|parents|husband|wife|partner|spouse|son|daughter|sons|"
    r"daughters|kids?|children|sister|brother|siblings?|gran|granny|grandma|grandmother|"
    r"grandpa|grandad|grandfather|nan|nana|aunt|auntie|uncle|cousin|niece|nephew|boyfriend|"
    r"girlfriend|fianc[eé]e?|family|dog|cat|pets?|puppy|kitten)\b",
    re.IGNORECASE,
)
"""The user's own people and pets named in a fact."""


PROJECT_BOOST = 0.25
"""How much more a memory of the active project scores than a global one (a share of its
score): the project's memories come first among those about equally relevant, and a
clearly better global memory still outranks them."""


def favour(scored: Sequence[Scored], members: Set[str]) -> list[Scored]:
    """``scored`` re-ordered with the memories whose ids are in ``members`` (the active
    project's) lifted by :data:`PROJECT_BOOST`."""
    lifted = [
        Scored(s.candidate, replace(s.breakdown, total=s.breakdown.total * (1 + PROJECT_BOOST)))
        if s.candidate.id in members
        else s
        for s in scored
    ]
    lifted.sort(key=lambda s: s.breakdown.total, reverse=True)
    return lifted


def same_space(a: Memory, b: Memory) -> bool:
    """Whether two memories live in the same memory space (one project, or both global):
    consolidation merges and supersedes only within one."""
    return a.project == b.project
