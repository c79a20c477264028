"""A pet or person who died is no longer one the user has.

"mochi died yesterday", after "we have a cat called mochi", replaces that fact with the death
told about her: "Our cat mochi died yesterday.". Only the fact that says the user has them
(or what they are called) is replaced; what was said about them stays as it was.
"""

from __future__ import annotations

import re

from assistant.learning.context import NAME_WORD, PEOPLE, name_in, people
from assistant.learning.partners import Ending
from assistant.memories import Memories
from assistant.memory_types import Memory

_DIED = re.compile(
    rf"^\W*(?:(?:so|and|sadly|unfortunately|today|yesterday)\W+)*(?:(?P<owner>our|my)\s+"
    rf"(?P<rel>{PEOPLE})\s+)?(?P<name>{NAME_WORD})\s+(?:just\s+|sadly\s+|finally\s+)?"
    r"(?:died|passed(?:\s+away|\s+on)?|was\s+put\s+(?:down|to\s+sleep)|got\s+put\s+down|"
    r"crossed\s+the\s+rainbow\s+bridge)\b"
    rf"|(?:^\W*|\b(?:we|i)\s+)(?:just\s+|sadly\s+)?(?:had\s+to\s+)?put\s+(?:(?:our|my)\s+"
    rf"(?:{PEOPLE})\s+)?(?P<name_put>{NAME_WORD})\s+(?:down|to\s+sleep)\b(?!\s+for\b)"
    rf"|\b(?:we|i)\s+(?:just\s+|sadly\s+)?(?:had\s+to\s+)?(?:have|had|get|got)\s+(?:(?:our|my)\s+"
    rf"(?:{PEOPLE})\s+)?(?P<name_had>{NAME_WORD})\s+put\s+(?:down|to\s+sleep)\b"
    rf"|\b(?:we|i)\s+(?:just\s+|sadly\s+)?(?:lost|buried)\s+(?:our|my)\s+(?:{PEOPLE})\s+"
    rf"(?P<name_lost>{NAME_WORD})"
    rf"|\b(?:we|i)\s+(?:just\s+|sadly\s+)?lost\s+(?P<name_gone>{NAME_WORD})\b"
    r"(?=[^.!?]{0,80}\b(?:put\s+(?:\w+\s+)?(?:down|to\s+sleep)|died|passed|rip|"
    r"rest\s+in\s+peace|heartbroken|rainbow\s+bridge|funeral)\b)",
    re.IGNORECASE,
)
"""A death said of someone by name: "mochi died yesterday", "our dog rex passed away", "we
had to put mochi down", "had to put mochi to sleep this morning", "we had to have tigger put
down", "we lost our cat mochi", "we lost brambles last night, had to have her put to sleep"
(lost by name, said with a death: "we lost biscuit at the park" is no death)."""
_NOT_NAMES = frozenset({"he", "she", "it", "they", "who", "that", "which", "and", "we", "i"})
_HAS = re.compile(
    r"\b(?:have|has|had|got|adopted|rescued|own)\b|\bname\b|\bcalled\b|\bnamed\b"
    r"|\b(?:live|lives|living)\s+with\b"
    r"|^\W*(?:my|our)\s+(?:[\w-]+\s+){1,3}?(?:is|turned|turns)\s+(?:like\s+|about\s+|around\s+|"
    r"nearly\s+|almost\s+|over\s+)?(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\b(?:\s+(?:years?|months?|weeks?)(?:\s+old)?)?(?:\s+now)?\W*$",
    re.IGNORECASE,
)
"""Words of a fact that says the user has someone or what they are called, or how old they
are ("Our cat mochi is 3.", "Our cat pickles is like 14.", "Our dog biscuit is 3 now.")."""
_OWNED = re.compile(r"^(?:my|our)\s", re.IGNORECASE)
"""A name told with whose it is ("our cat mochi"): told so, the death is too."""
MAX_FACTS = 10


def died(text: str) -> str:
    """The name of the one a fact says died; "" where it says no death by name."""
    m = _DIED.search(text)
    if m is None:
        return ""
    name = m["name"] or m["name_put"] or m["name_had"] or m["name_lost"] or m["name_gone"] or ""
    return "" if name.lower() in _NOT_NAMES else name


def replaced_by_death(memories: Memories, text: str) -> Ending | None:
    """The stored fact that says the user has the one ``text`` says died, and the death
    told about them ("Mochi died yesterday." as "Our cat mochi died yesterday."); None when
    no stored fact says whose ``text``'s name is, or the only ones that do name others too
    ("we have a cat called mochi and a hamster named pip" stays true of Mochi: the death is
    told about Pip, and replaces nothing)."""
    name = died(text)
    if not name:
        return None
    found: list[tuple[Memory, str, bool]] = []
    whose = ""
    for hit in memories.search(name, MAX_FACTS, touch=False):
        named = [p for p, _ in people(hit.memory.text)]
        phrase = next((p for p in named if name_in(p).lower() == name.lower()), "")
        alone = all(name_in(p).lower() == name.lower() for p in named)
        if phrase and died(hit.memory.text):
            continue
        if phrase and _HAS.search(hit.memory.text):
            found.append((hit.memory, phrase, alone))
        elif _OWNED.match(phrase) and not whose:  # "our cat mochi loves tuna": mochi's kept
            whose = phrase
    if not found:
        told = _told_about(text, name, whose) if whose else ""
        return Ending(None, told, name[:1].upper() + name[1:]) if told != text and told else None
    memory, phrase, alone = max(found, key=lambda f: f[0].created)
    told = _told_about(text, name, phrase)  # "Pip died" → "Our hamster pip died"
    # "a cat called mochi and a hamster named pip" says Pip no more: "… a cat called mochi."
    rest = None if alone else _without(memory.text, name)
    return Ending(
        memory if alone else None,
        told,
        name[:1].upper() + name[1:],
        (memory, rest) if rest else None,
    )


def _without(text: str, name: str) -> str:
    """``text`` without the one of several it names who died ("We have a cat called Mochi and
    a dog named Biscuit." without Mochi: "We have a dog named Biscuit.", "I live with my bf
    tom and our cat biscuit." without Biscuit: "I live with my bf tom."); "" when it does not
    say them as one of a list."""
    who = (
        rf"(?:an?|one|our|my|the)\s+(?:[\w-]+\s+){{0,3}}?(?:(?:called|named)\s+)?"
        rf"{re.escape(name)}\b"
    )
    first = re.compile(rf"{who}\s*(?:,\s*(?:and\s+)?|\s+and\s+)", re.IGNORECASE)
    later = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+){who}", re.IGNORECASE)
    for pattern in (first, later):
        shorter, count = pattern.subn("", text, count=1)
        if count:
            return shorter
    return ""


def _told_about(text: str, name: str, phrase: str) -> str:
    """The death with whose the name is ("our cat mochi"), unless the text says it."""
    *whose, _ = phrase.split()
    said = re.search(rf"(?<!{re.escape(whose[-1])} )\b{re.escape(name)}\b", text, re.I)
    if said is None or re.search(rf"\b{re.escape(whose[-1])}\s+{re.escape(name)}\b", text, re.I):
        return text
    owner = " ".join(whose)
    owner = owner[:1].upper() + owner[1:] if said.start() == 0 else owner.lower()
    return f"{text[: said.start()]}{owner} {said.group(0)}{text[said.end() :]}"
