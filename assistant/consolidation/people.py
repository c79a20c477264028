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
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.consolidation.differences import USER, bound_people, relation_of, users_own

SPOUSES = ("husband", "wife")
"""The relations a marriage names."""
_NAME = r"[A-Za-zÀ-ÿ][\w'’-]+"
_MARRIED = re.compile(
    rf"\b(?:i'?m|i am|i've been|i was|i got|i)\s+married\s+(?:to\s+)?(?P<a>{_NAME})"
    rf"|^\s*married\s+to\s+(?P<d>{_NAME})"
    rf"|\b(?P<b>{_NAME})\s+and\s+i\s+(?:got\s+married|married|wed)\b"
    rf"|\bthe day i married\s+(?P<c>{_NAME})",
    re.IGNORECASE,
)
_OPEN, _CLOSE = r"""['"‘“(]""", r"""['"’”)]"""
"""Quotes or brackets around a name a person goes by ("Benjamín 'Benja'")."""
_IS_MY = re.compile(
    rf"\bmy\s+(?P<r1>[\w'’-]+)(?:'s|’s)\s+name\s+is\s+(?P<n1>{_NAME})"
    rf"|\bmy\s+(?P<r2>[\w'’-]+)\s+is\s+(?:called|named)\s+(?P<n2>{_NAME})"
    rf"|(?:^|[.;!?]\s*)(?P<n3>{_NAME})(?:\s+{_OPEN}(?P<k3>{_NAME}){_CLOSE}|\s+(?-i:[A-ZÀ-Þ])[\w'’-]+)?"
    rf"(?:,[^,.;]{{1,30}},)?\s+(?:is|has\s+been|'s|’s)\s+my\s+"
    r"(?:\w+\s+)?(?P<r3>[\w'’-]+)",
    re.IGNORECASE,
)
"""A relation named in a sentence of its own: "My mother's name is Gloria", "my dog is
called Canela", "Pía has been my best friend since school", "Sofía, our youngest, is my
daughter", "Benjamín 'Benja' is my firstborn son" (named by the name in quotes, the one the
user writes), "Randi Eide has been my best friend" (by the first name)."""
_SELF = re.compile(
    rf"\bmy\s+name\s+is\s+(?P<a>{_NAME})"
    rf"|\b(?:call\s+me|to\s+be\s+called|goes\s+by|go\s+by)\s+(?P<b>{_NAME})"
    rf"|^\s*(?:hi|hey|hello)?[,!\s]*i'?m\s+(?P<c>[A-ZÀ-Þ][\w'’-]+)\s*(?:[,.;!]|$)",
    re.IGNORECASE,
)
"""The user's own name: "my name is Cata", "call me Cata", "prefers to be called Cata", "hey,
I'm Priya, 41"."""
_NOT_A_NAME = frozenset(
    {"my", "our", "the", "a", "an", "him", "her", "them", "you", "in", "on", "so", "not", "just"}
    | {"sorry", "here", "back", "home", "fine", "good", "ok", "okay", "tired", "going", "still"}
)
"""Words that follow "I'm" or "married" and are no name ("I'm fine", "married in June")."""
_WORD = re.compile(r"[\w’'-]+")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Þ][a-zà-ÿ][\w'’-]*")
"""A capitalised word that does not open a sentence."""


@dataclass(frozen=True)
class People:
    """Each of the user's relations the store names exactly one person for."""

    names: dict[str, str]
    """Relation (as :func:`~assistant.consolidation.differences.relation_of` reads it,
    "mum" and "mother" alike) → the lower-cased name of its person."""

    own: frozenset[str] = frozenset()
    """The user's own names, lower-cased: a third-person note that names the user ("Cata was
    born on May 22nd") is told as a note about the user ("User was born on May 22nd")."""

    aliases: dict[str, str] = field(default_factory=dict)
    """Another form of a person's name → the name (lower-cased): a word said of someone (it
    opens a memory before a verb, or is said with "'s"), written with a capital somewhere,
    that begins as the name of exactly one of the user's people does ("tomi" → "tomás",
    "nicolás" → "nico"; :func:`_alike`)."""

    @classmethod
    def of(cls, texts: Iterable[str]) -> People:
        """The people the texts name."""
        found: dict[str, set[str]] = defaultdict(set)
        own: set[str] = set()
        capitalised: set[str] = set()  # names written with a capital somewhere in the store
        lower: dict[str, set[str]] = defaultdict(set)  # read in texts all in lower case
        said_of: set[str] = set()  # words said of someone (_SAID_OF)
        said_cased: set[str] = set()  # those of them written with a capital somewhere
        for text in texts:
            capitalised.update(w.lower() for w in _CAPITALISED.findall(text))
            for match in _SAID_OF.finditer(text):
                word = match.group(1) or match.group(2)
                said_of.add(word.lower())
                if word[0].isupper():
                    said_cased.add(word.lower())
            into = lower if text == text.lower() else found
            for relation, name, mine in bound_people(text):
                if mine:
                    into[relation].add(name)
            for relation, name in _named_apart(text):
                into[relation].add(name)
            own.update(_own_names(text))
        # "hubby bday nov 2nd" binds no "bday": a name read in lower case only counts where
        # some memory writes it with a capital.
        for relation, named in lower.items():
            found[relation] |= named & capitalised
        names = {r: n - own for r, n in found.items()}
        bound = {r: next(iter(n)) for r, n in names.items() if len(n) == 1}
        people = set(bound.values())
        aliases = {}
        for word in said_of - people - own:
            alike = {name for name in people if _alike(word, name)}
            written = word in capitalised or word in said_cased  # a name somewhere
            if len(alike) == 1 and relation_of(word) is None and written:
                aliases[word] = alike.pop()
        return cls(bound, frozenset(own), aliases)

    def told(self, text: str) -> str:
        """The text as the pairs are judged: the name of each of the user's relations it speaks
        of put after the relation, where the text does not name that person already ("My
        husband is a chemistry teacher" → "My husband Marcus is a chemistry teacher"), and the
        user's own name read as the user ("Cata was born on May 22nd" → "User was born on May
        22nd")."""
        if not self.names and not self.own:
            return text
        if self.aliases:
            text = _ALIAS_WORD.sub(lambda m: self._named(m.group(0)), text)
        words = list(_WORD.finditer(text))
        lower = [w.group(0).lower() for w in words]
        bares = [re.sub(r"['’]s?$", "", w) for w in lower]  # "son's" → "son"
        said = set(lower) | set(bares)
        cased = text != text.lower()  # "My husband Marcus", "husband marcus"
        edits: list[tuple[int, int, str]] = []
        for n, (word, bare) in enumerate(zip(words, bares, strict=True)):
            if bare in self.own:
                edits.append((word.start(), word.start() + len(bare), USER.capitalize()))
                continue
            name = self.names.get(relation_of(bare) or "")
            if name is not None and name not in said and users_own(lower, n):
                # after the relation, taking its "'s" along: "son's bday" → "son Benja's bday"
                put = f" {name.capitalize() if cased else name}{word.group(0)[len(bare) :]}"
                edits.append((word.start() + len(bare), word.end(), put))
        for start, end, put in reversed(edits):
            text = f"{text[:start]}{put if cased else put.lower()}{text[end:]}"
        return text

    def _named(self, word: str) -> str:
        """A word, or the name it is another form of, in the word's case."""
        name = self.aliases.get(word.lower())
        if name is None:
            return word
        return name.capitalize() if word[0].isupper() else name


_ALIAS_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_SAID_OF = re.compile(
    r"^\s*([A-Za-zÀ-ÿ]{3,})\s+(?:is|was|has|had|loves|likes|hates|never|always|works|lives|"
    r"plays|would|will|can|can't|doesn't|does|did|goes|went|wants|says|said|got|gets|started|"
    r"stopped|moved|turned|just|still|really)\b|\b([A-Za-zÀ-ÿ]{3,})(?:'s|’s)\b",
    re.IGNORECASE,
)
"""A word said of someone: opening a memory before a verb ("Tomi never misses an Everton
match"), or with "'s" ("tomi's a chef")."""


def _alike(word: str, name: str) -> bool:
    """Whether a word may be another form of a name, accents aside: both of four letters or
    more, beginning with the same three or more, the shorter going on for one letter at most
    and the longer for three ("tomi" / "tomás", "benja" / "benjamín", "nico" / "nicolás"; not
    "java" / "javiera", "nicotine" / "nico", "tomato" / "tomás")."""
    a, b = _folded(word), _folded(name)
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    short, long = sorted((len(a), len(b)))
    return a != b and short >= 4 and same >= 3 and short - same <= 1 and long - same <= 3


def _folded(word: str) -> str:
    """The word in lower case without accents."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def _name(word: str, text: str) -> str | None:
    """``word`` lower-cased where it reads as a name in ``text`` (capitalised, or in a text
    written all in lower case, and no relation or common word); else None."""
    low = word.lower()
    if low in _NOT_A_NAME or relation_of(low) is not None:
        return None
    return low if word[0].isupper() or text == text.lower() else None


def _named_apart(text: str) -> Iterable[tuple[str, str]]:
    """``(relation, name)`` for a relation named in a sentence of its own."""
    for match in _MARRIED.finditer(text):
        word = next(w for w in match.group("a", "b", "c", "d") if w)
        if (name := _name(word, text)) is not None:
            yield from ((relation, name) for relation in SPOUSES)
    for match in _IS_MY.finditer(text):
        word, kin = next(
            (match.group(f"n{k}"), match.group(f"r{k}")) for k in "123" if match.group(f"n{k}")
        )
        word = match.group("k3") or word
        relation = relation_of(kin)
        if relation is not None and (name := _name(word, text)) is not None:
            yield relation, name


def _own_names(text: str) -> Iterable[str]:
    for match in _SELF.finditer(text):
        word = next(w for w in match.group("a", "b", "c") if w)
        if (name := _name(word, text)) is not None:
            yield name
