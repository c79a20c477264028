"""The user's people by name, as the store tells them: a memory that names the person of a
relation ("my husband Marcus", "brother tobiah lives in perth", "I'm married to Marcus",
"Mairi and I got married in 2014") gives that relation its name, so that "My husband is a
chemistry teacher" and "Marcus teaches chemistry" are read as one person's fact.

Only a relation the store gives one name is read so (two daughters named in two memories give
"my daughter" no name), and only the user's own relation ("my wife", not "Owen's wife").

Usage::

    people = People.of(texts)
    people.told("My husband hates coriander")  # "My husband Marcus hates coriander"
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.consolidation.differences import bound_people, relation_of, users_own

SPOUSES = ("husband", "wife")
"""The relations a marriage names."""
_MARRIED = re.compile(
    r"\b(?:i'?m|i am|i've been|i was|i got|i)\s+married\s+(?:to\s+)?(?P<a>[A-Za-z][\w'-]+)"
    r"|\b(?P<b>[A-Za-z][\w'-]+)\s+and\s+i\s+(?:got\s+married|married|wed)\b"
    r"|\bthe day i married\s+(?P<c>[A-Za-z][\w'-]+)",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset({"my", "our", "the", "a", "an", "him", "her", "them", "you", "in", "on"})
_WORD = re.compile(r"[\w’'-]+")


@dataclass(frozen=True)
class People:
    """Each of the user's relations the store names exactly one person for."""

    names: dict[str, str]
    """Relation (as :func:`~assistant.consolidation.differences.relation_of` reads it,
    "mum" and "mother" alike) → the lower-cased name of its person."""

    @classmethod
    def of(cls, texts: Iterable[str]) -> People:
        """The people the texts name."""
        found: dict[str, set[str]] = defaultdict(set)
        for text in texts:
            for relation, name, mine in bound_people(text):
                if mine:
                    found[relation].add(name)
            for match in _MARRIED.finditer(text):
                word = match.group("a") or match.group("b") or match.group("c")
                name = word.lower()
                named = word[0].isupper() or text == text.lower()
                if named and name not in _NOT_A_NAME and relation_of(name) is None:
                    for relation in SPOUSES:
                        found[relation].add(name)
        return cls({r: next(iter(n)) for r, n in found.items() if len(n) == 1})

    def told(self, text: str) -> str:
        """The text with the name of each of the user's relations it speaks of after the
        relation, where the text does not name that person already ("My husband is a chemistry
        teacher" → "My husband Marcus is a chemistry teacher"); the text itself otherwise."""
        if not self.names:
            return text
        words = list(_WORD.finditer(text))
        lower = [w.group(0).lower() for w in words]
        said = set(lower) | {re.sub(r"['’]s?$", "", w) for w in lower}
        inserts: list[tuple[int, str]] = []
        for n, word in enumerate(words):
            name = self.names.get(relation_of(lower[n]) or "")
            if name is not None and name not in said and users_own(lower, n):
                inserts.append((word.end(), name))
        cased = text != text.lower()  # "My husband Marcus", "husband marcus"
        for end, name in reversed(inserts):
            text = f"{text[:end]} {name.capitalize() if cased else name}{text[end:]}"
        return text
