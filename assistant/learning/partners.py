"""The user's partner: one at a time, and a breakup ends the one they had.

"My girlfriend is Leah.", after "My girlfriend is sophie.", replaces that fact. "we broke up
last week", said while the store names one partner, replaces the fact that named them, told
about them: "Sophie and I broke up last week.". Only the fact that names who the partner is is
replaced; what was said about them ("sophie is a vet") stays true of her.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.learning.context import NAME_WORD, named_after_is
from assistant.learning.dates import plain
from assistant.memories import Memories
from assistant.memory_types import Memory

PARTNER = r"girlfriend|boyfriend|gf|bf|partner|wife|husband|hubby|fianc[ée]e?|spouse"
"""The words for the one person the user is with."""
_OPENING = r"^\W*(?:(?:oh|so|and|btw|fyi|also|update|ok|well)\W+)*"
_END = r"(?:\s+(?:now|btw|lol|haha|fyi|then))*\W*$"
_NAMED = re.compile(
    rf"{_OPENING}(?:my|our)\s+(?:new\s+)?(?P<rel>{PARTNER})(?:(?:'s|’s|s)\s+name\s+is|"
    rf"\s+is\s+(?:called|named)|,?\s+(?:called|named))\s+(?P<name>{NAME_WORD}){_END}",
    re.IGNORECASE,
)
"""A fact that says who the partner is, a name in lower case too: "my gf's name is leah"."""
_IS_NAME = re.compile(
    rf"{_OPENING}(?:my|our)\s+(?:new\s+)?(?P<rel>{PARTNER})\s+is\s+(?P<name>{NAME_WORD}){_END}",
    re.IGNORECASE,
)
"""The same said with "is": "My girlfriend is Leah.", "my girlfriend is leah" (a name only
where the word is no state, origin or faith: "my girlfriend is sick", "My wife is Italian")."""
_LIVES_WITH = re.compile(
    rf"{_OPENING}i(?:'m|’m|m|\s+am)?\s+(?:live|living|moved\s+in|share\s+a\s+(?:flat|house))\s+"
    rf"with\s+my\s+(?P<rel>{PARTNER})\s*,?\s+(?!(?:now|too|again|still|here|there)\b)"
    rf"(?P<name>{NAME_WORD})(?P<others>\s+and\s+(?:our|my|the|a|an|two|three)\s+[^.!?]+)?{_END}",
    re.IGNORECASE,
)
"""The partner named where the user lives: "I live with my partner jordan.", "i moved in
with my gf, leah", "I live with my bf tom and our cat biscuit" (``others``: who else)."""
_SEEING = re.compile(r"^I'm (?:seeing|dating) (?P<name>[A-Z][\w'’-]*)\.$")
"""Someone new the user is with, as learning keeps it ("I'm seeing Leah.")."""
_BROKE_UP = re.compile(
    rf"\bi\s+(?:just\s+|finally\s+)?(?:broke\s+up\s+with|dumped|divorced|split\s+up\s+with)\s+"
    rf"(?:my\s+(?:ex-?)?(?P<rel>{PARTNER})|(?P<name_dumped>{NAME_WORD}))"
    rf"|\b(?:(?P<name>{NAME_WORD})\s+and\s+i|me\s+and\s+(?P<name_after>{NAME_WORD})|we|i)(?:'ve|’ve|ve|\s+have|"
    r"\s+just|\s+finally|\s+officially|\s+recently)*\s+(?:broke\s+up|broken\s+up|split\s+up|"
    r"separated|got\s+divorced|divorced|called\s+it\s+quits|ended\s+things)\b"
    rf"|\b(?:my\s+(?P<rel_left>{PARTNER})|(?P<name_left>{NAME_WORD}))\s+(?:just\s+)?(?:dumped|left)\s+me"
    r"\b|\bwe(?:'re|’re|\s+are)\s+(?:getting\s+divorced|separating|splitting\s+up)\b"
    r"|\bi(?:'m|’m|m|\s+am)\s+single\s+(?:now|again)\b",
    re.IGNORECASE,
)
"""A relationship that ended: "we broke up", "sophie and I split up", "I dumped my bf", "my
wife left me", "we're getting divorced", "I'm single again"."""
_TOGETHER = re.compile(
    r"\b(?:we|i)(?:'ve|’ve|ve|\s+have)?\s+been\s+(?:together|dating|going\s+out|seeing\s+each\s+other)"
    r"|\b(?:together|dating|going\s+out)\s+(?:for\s+|since\s+)?(?:\d+|a|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)\s+(?:years?|months?)\b|\bour\s+(?:\w+\s+)?anniversary\b"
    r"|\b(?:got|are|'re|’re)\s+engaged\b|\bproposed\b|\bour\s+wedding\b",
    re.IGNORECASE,
)
"""A fact about the relationship itself, untrue once it ended: "We've been together 2 years.",
"our anniversary is 3 june", "Priya and I got engaged on saturday.", "We're engaged."."""
_TOGETHER_QUERY = "we've been together dating for years, our anniversary, we got engaged"
_NOT_PARTNER_NAMES = frozenset(
    {"we", "i", "me", "he", "she", "they", "it", "my", "and", "our", "we've", "i've", "we’ve"}
    | {"we're", "we’re", "i'm", "i’m", "omg", "so", "well"}
)
_SHORT = {"gf": "girlfriend", "bf": "boyfriend", "hubby": "husband"}
MAX_PARTNER_FACTS = 20
_PARTNER_QUERIES = ("my partner girlfriend boyfriend wife husband is called", "I'm seeing dating")
"""What finds the stored facts that name the partner, said either way."""
"""Stored facts searched for the one that names the partner."""


@dataclass(frozen=True)
class Ending:
    """What a fact about the user's partner replaces, and the fact as kept."""

    replaced: Memory | None
    """The note the fact replaces; None where it only tells the fact about whom."""
    text: str
    partner: str
    """The partner the fact is about, by name."""
    remaining: tuple[Memory, str] | None = None
    """A note that names them beside others, and what it says without them ("we have a cat
    called mochi and a dog named biscuit" after mochi died: "We have a dog named biscuit.")."""
    stale: tuple[Memory, ...] = ()
    """Notes the fact makes untrue besides ``replaced`` ("We've been together 2 years." after a
    breakup)."""


def partner_named(text: str) -> tuple[str, str] | None:
    """The partner a fact names and the word for them: ``("girlfriend", "Leah")``,
    ``("partner", "Leah")`` for "I'm seeing Leah."."""
    if (seeing := _SEEING.match(text)) is not None:
        return "partner", seeing.group("name")
    m = _NAMED.match(text)
    if m is None:
        m = _IS_NAME.match(text) or _LIVES_WITH.match(text)
        if m is None or not named_after_is(m.group("name")):
            return None
    name = m.group("name")
    return m.group("rel").lower(), name[:1].upper() + name[1:]


def ended_with(text: str) -> tuple[str, str] | None:
    """Whether ``text`` says a relationship ended: the name or relation it gives ("sophie",
    "girlfriend"), ``("", "")`` when it gives neither ("we broke up"); None when it says no
    such thing."""
    m = _BROKE_UP.search(text)
    if m is None:
        return None
    name = next((g for k in ("name", "name_after", "name_dumped", "name_left") if (g := m[k])), "")
    if name.lower() in _NOT_PARTNER_NAMES:
        name = ""
    relation = m["rel"] or m["rel_left"] or ""
    return name, relation.lower()


def _partner_facts(memories: Memories) -> list[tuple[Memory, str, str]]:
    """The active stored facts that name who the partner is, with the word for them and
    the name each gives."""
    hits = {
        h.memory.id: h.memory
        for query in _PARTNER_QUERIES
        for h in memories.search(query, MAX_PARTNER_FACTS, touch=False)
    }
    found = [(m, said) for m in hits.values() if (said := partner_named(m.text))]
    return [(m, _word(relation), name) for m, (relation, name) in found]


def _word(relation: str) -> str:
    """The word for a partner written out: "gf" is "girlfriend"."""
    relation = relation.lower()
    return _SHORT.get(relation, relation)


def replaced_partner(memories: Memories, text: str) -> Ending | None:
    """The stored fact a new fact about the partner replaces: another partner named ("My
    girlfriend is Leah." replaces "My girlfriend is Sophie."), or a breakup ("we broke up"
    replaces the fact that named the one partner the store knows, and is kept told about
    them); None when the fact is neither, or the store names no partner it could mean."""
    new = partner_named(text)
    if new is not None:
        others = [m for m, _, name in _partner_facts(memories) if name.lower() != new[1].lower()]
        latest = max(others, key=lambda m: m.created) if others else None
        return Ending(latest, text, new[1]) if latest is not None else None
    ended = ended_with(text)
    if ended is None:
        return None
    name, relation = ended
    facts = _partner_facts(memories)
    if name:
        facts = [f for f in facts if f[2].lower() == name.lower()]
    elif relation:
        facts = [f for f in facts if f[1] == _word(relation)]
    if len({n.lower() for _, _, n in facts}) != 1:  # no partner named, or more than one
        stale = _together(memories, name) if not facts else ()
        who = name[:1].upper() + name[1:]  # "priya and i split up": "We're engaged." ends
        return Ending(None, text, who, stale=stale) if stale else None
    memory, _, partner = max(facts, key=lambda f: f[0].created)
    told = text if name else _told_about(text, relation, partner)
    stale = _together(memories, partner)
    if (rest := _without_partner(memory.text)) is not None:  # the cat still lives there
        return Ending(None, told, partner, remaining=(memory, rest), stale=stale)
    return Ending(memory, told, partner, stale=stale)


def _without_partner(text: str) -> str | None:
    """A fact naming the partner where the user lives beside others, without them ("I live
    with my bf tom and our cat biscuit." is "I live with our cat biscuit."); None when it
    names the partner alone."""
    said = plain(text)
    m = _LIVES_WITH.match(said)
    if m is None or not m["others"]:
        return None
    others = re.sub(r"^\s+and\s+", "", said[m.start("others") :])
    return said[: m.start("rel")].removesuffix("my ") + others


def _together(memories: Memories, partner: str) -> tuple[Memory, ...]:
    """The active facts about the relationship with ``partner`` (or with no one named) that
    its end makes untrue."""
    found = []
    for hit in memories.search(_TOGETHER_QUERY, MAX_PARTNER_FACTS, touch=False):
        text = plain(hit.memory.text)
        named = {w.lower() for w in re.findall(r"\b[A-Z][\w'’-]*", text)} - _NOT_PARTNER_NAMES
        if _TOGETHER.search(text) and (not named or partner.lower() in named):
            found.append(hit.memory)
    return tuple(found)


def _told_about(text: str, relation: str, partner: str) -> str:
    """A breakup that names no one told about the partner: "We broke up." is "Sophie and I
    broke up.", "my bf dumped me" is "my bf Dan dumped me", and "I'm single again." says
    no longer with whom."""
    if re.match(r"^We\b", text):
        return re.sub(r"^We\b", f"{partner} and I", text)
    if relation:
        said = re.sub(
            rf"\b(my\s+(?:ex-?)?{re.escape(relation)})\b", rf"\1 {partner}", text, count=1
        )
        if said != text:
            return said
    return f"{text.rstrip(' .!')} (no longer with {partner})."
