"""A plan moved or called off, or someone who moved, replaces the fact that said the old.

"they moved my physio to wednesday 2pm", after "physio appointment on tuesday at 10am",
replaces it; so does "cancelled the dentist, will rebook in jan" the dentist appointment, and
"my sister moved to galway last week" (or "kofi and ama moved to london") where the sister,
or Kofi, lived before. Only a fact that names the same plan, or the same person and where they
live, is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.learning.context import NAME_WORD, PEOPLE
from assistant.memories import Memories
from assistant.memory_types import Memory

_HAS_MOVED = r"['’]?s(?=\s+(?:just\s+|finally\s+|now\s+)*moved)"
"""The "'s" of "mum's moved"."""
_WHO = (
    rf"(?:(?:my|our)\s+(?P<rel>{PEOPLE})(?:{_HAS_MOVED}|\s+(?P<relname>{NAME_WORD}))?"
    rf"|(?P<bare>{PEOPLE})(?:{_HAS_MOVED})?(?=\s)"
    rf"|(?P<name>{NAME_WORD}))"
)
"""One of the user's people, by relation ("my sister"), with a name ("my brother kofi") or by
name alone ("kofi")."""
_OWNER = r"(?:[^\W\d_][\w-]*(?:['’]s|s)\s+)?"
"""Whose the plan is, before it ("mums cardiology", "ellie's orthodontist")."""
_BOOKING = r"(?:appointment|appt|session|booking)"
_RESCHEDULED = re.compile(
    r"\b(?:moved|rescheduled|pushed(?:\s+back)?|changed|bumped|postponed|brought\s+forward|"
    rf"shifted)\s+(?:my\s+|the\s+|our\s+)?{_OWNER}(?P<what>{NAME_WORD})(?:\s+{_BOOKING})?"
    rf"(?:\s+with\s+{NAME_WORD})?\s+(?:to|till|until|back\s+to)\b",
    re.IGNORECASE,
)
"""A plan put at another time: "they moved my physio to wednesday", "they moved mums
cardiology to wednesday"."""
_WHO_MOVED = re.compile(
    rf"^\W*(?:(?:so|oh|and|also|update|ugh|fyi)\W+)*(?:my\s+|the\s+|our\s+)?{_OWNER}"
    rf"(?P<what>{NAME_WORD})\s+(?:has\s+|have\s+|just\s+)*(?:moved|rescheduled|changed|"
    rf"pushed(?:\s+back)?|postponed|bumped|shifted)\s+(?:my|our|the|her|his)\s+{_BOOKING}",
    re.IGNORECASE,
)
"""A plan moved by who it is with: "the dentist moved my appointment to jan 19th"."""
_WHEN = (
    r"(?=\s*(?:the\s+)?(?:\d|(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b|"
    r"(?:next|tomorrow|tmrw|later|this|noon|midday|morning|afternoon|evening)\b|"
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b))"
)
"""A time a plan is moved to, never a place ("moved to montreal")."""
_RESCHEDULED_PASSIVE = re.compile(
    rf"^\W*(?:(?:so|oh|and|also|update|ugh|fyi|actually|ok|okay|well)\W+)*(?:my\s+|the\s+|"
    rf"our\s+)?{_OWNER}(?P<what>{NAME_WORD})(?:\s+{_BOOKING})?\s+"
    r"(?:(?:cancell?ed|rang|called|phoned)\W+(?:and\s+|so\s+)?(?:it'?s\s+|it\s+was\s+|got\s+)?)?"
    r"(?:has\s+been\s+|was\s+|"
    r"got\s+|is\s+|'s\s+)?(?:moved|rescheduled|pushed(?:\s+back)?|changed|postponed|"
    rf"brought\s+forward|shifted)\s+(?:to|till|until)\b{_WHEN}",
    re.IGNORECASE,
)
"""A plan said moved, to a time: "dentist moved to the 16th", "physio's been pushed to
friday", "actually the vet cancelled, moved to next monday" (never "my sister moved to
galway": a person moves to a place)."""
_CANCELLED = re.compile(
    rf"\b(?:cancell?ed|called\s+off|scrapped)\s+(?:my\s+|the\s+|our\s+)?(?P<what>{NAME_WORD})"
    rf"|\b(?:my\s+|the\s+|our\s+)?(?P<what_off>{NAME_WORD})(?:\s+(?:appointment|appt))?\s+(?:is|was|"
    r"got|has\s+been)\s+(?:cancell?ed|called\s+off)\b",
    re.IGNORECASE,
)
"""A plan called off: "cancelled the dentist", "yoga is cancelled"."""
_MOVED = re.compile(
    r"^\W*(?:(?:(?:big|good|great|some)\s+news|guess\s+what|so|oh|and|also|update)\W+)*"
    rf"{_WHO}(?:\s+and\s+(?:his|her|their\s+)?(?:\w+\s+)?{NAME_WORD})?"
    r"\s+(?:(?:just|finally|have|has|now)\s+)*"
    r"(?:(?:moved|relocated)\s+(?:back\s+)?(?:to|into|in\s+to)\b"
    r"|(?:lives|is\s+living|is\s+staying)\s+(?:in|at)\b(?=.*\bnow\b))",
    re.IGNORECASE,
)
"""Someone of the user's who moved: "my sister moved to galway", "kofi and ama moved to",
"mums moved into a care home", "mum lives in a care home in bollington now"."""
_RETIRED = re.compile(
    rf"^\W*(?:(?P<me>i)\b|{_WHO})"
    r"\s+(?:(?:just|finally|officially|has|have)\s+)*(?:retired|stopped\s+working)\b",
    re.IGNORECASE,
)
"""Someone of the user's (or the user) who retired: "mum retired from the post office"."""
_LEFT_JOB = re.compile(
    rf"^\W*{_WHO}"
    r"\s+(?:(?:just|finally|has)\s+)*(?:quit|left)\s+(?:his\s+job\s+at\s+|her\s+job\s+at\s+)?"
    rf"(?P<place>{NAME_WORD})",
    re.IGNORECASE,
)
"""Someone of the user's who left where they worked: "kofi quit mtn, hes at vodafone now"."""
_WORKS = re.compile(
    r"\b(?:works?|working)\s+(?:at|for|as|in)\b|\bjob\b"
    r"|\b(?:is|'s)\s+an?\s+[\w\s-]{1,30}?\s+(?:at|for)\b",
    re.IGNORECASE,
)
"""A fact of where or as what someone works ("works at", "is a software dev at sage")."""
_NEW_JOB = re.compile(
    rf"^\W*(?:(?:so|oh|and|also|update|guess\s+what|big\s+news)\W+)*{_WHO}"
    r"(?:['’]s)?\s+(?:(?:just|finally|has)\s+)*(?:got\s+(?:a\s+)?(?:new\s+job|job)\b"
    r"|started\s+(?:a\s+new\s+job|at|working\s+at)\b"
    r"|(?:is\s+)?(?:now\s+)?(?:working\s+at|works\s+at|at)\s+[^,.;!?]{1,40}?\s+now\b)",
    re.IGNORECASE,
)
"""Someone of the user's with a new job: "dan got a new job!! hes at the bbc now", "dan's at
the bbc now"."""
_BORN = re.compile(
    rf"^\W*(?:(?:so|oh|omg|and|also|update|guess\s+what|big\s+news)\W+)*{_WHO}"
    r"(?:\s+and\s+\w+)?\s+(?:(?:just|finally|has)\s+)*(?:had\s+(?:the|her|a|their)\s+baby|"
    r"gave\s+birth)\b",
    re.IGNORECASE,
)
"""Someone of the user's who had their baby: "jess had the baby!"."""
_LIVES = re.compile(
    r"\b(?:lives?|living|based|moved)(?:\s+(?:on|by)\s+(?:her|his|their)\s+own|\s+alone)?"
    r"\s+(?:in|to|at|near)\b",
    re.IGNORECASE,
)
"""Where someone lives: "lives in", "lives on her own in", "lives alone near"."""
_NOT_PLANS = frozenset(
    re.findall(r"\w+", "it that this them him her everything something one house flat in to")
)
_NOT_PEOPLE = frozenset(re.findall(r"\w+", "i we they he she it you who that which everyone"))
_DATED = re.compile(r"\(\d{1,2} \w+ \d{4}\)")
"""The date learning gives a day a fact names ("on tuesday (8 December 2026)")."""
MAX_FACTS = 10


def rescheduled(text: str) -> bool:
    """Whether ``text`` says a plan was put at another time ("dentist moved to the 16th")."""
    return any(p.search(text) for p in (_RESCHEDULED, _RESCHEDULED_PASSIVE, _WHO_MOVED))


def called_off(text: str) -> bool:
    """Whether ``text`` says a plan was called off ("cancelled the dentist"), or that
    someone left where they worked ("kofi quit mtn"): said so, it is kept whatever the
    classifier makes of it, where it replaces a stored fact."""
    return _CANCELLED.search(text) is not None or _LEFT_JOB.match(text) is not None


def changed_before(memories: Memories, text: str) -> Memory | None:
    """The stored fact ``text`` replaces: the plan it moves or calls off, or where the one
    it says moved lived; None when it says no such change or no stored fact says the old."""
    if (
        m := _WHO_MOVED.search(text)
        or _RESCHEDULED.search(text)
        or _RESCHEDULED_PASSIVE.search(text)
        or _CANCELLED.search(text)
    ) is not None:
        what = (m.groupdict().get("what") or m.groupdict().get("what_off") or "").lower()
        plan = (
            _latest(memories, what, lambda memory: _a_plan(memory, what))
            if what and what not in _NOT_PLANS
            else None
        )
        if plan is not None:
            return plan
    if (m := _LEFT_JOB.match(text)) is not None:
        who, place = _who(m), m["place"].lower()
        if who not in _NOT_PEOPLE and who != "i" and place not in _NOT_PLANS:
            found = _latest(memories, f"{who} works at {place}", lambda memory: _works(memory, who))
            if found is not None and re.search(rf"\b{re.escape(place)}\b", found.text, re.I):
                return found
    if (m := _RETIRED.match(text)) is not None:
        who = "i" if m["me"] else _who(m)
        if who and (who == "i" or who not in _NOT_PEOPLE):
            query = "I work at" if who == "i" else f"{who} works at"
            return _latest(memories, query, lambda memory: _works(memory, who))
    if (m := _MOVED.match(text)) is not None:
        who = _who(m)
        if who and who not in _NOT_PEOPLE:
            return _latest(memories, who, lambda memory: _lives(memory, who))
    if (m := _NEW_JOB.match(text)) is not None:
        who = _who(m)
        if who and who not in _NOT_PEOPLE:
            return _latest(memories, f"{who} works at", lambda memory: _works(memory, who))
    if (m := _BORN.match(text)) is not None:
        who = _who(m)
        if who and who not in _NOT_PEOPLE:
            return _latest(memories, f"{who} is pregnant", lambda memory: _expecting(memory, who))
    return None


def _expecting(memory: Memory, who: str) -> bool:
    """Whether a stored fact says ``who`` is expecting a baby."""
    return bool(
        re.search(rf"\b{re.escape(who)}\b", memory.text, re.IGNORECASE)
        and re.search(r"\b(?:pregnant|expecting|due\s+(?:in|on|date))\b", memory.text, re.I)
    )


def _who(match: re.Match[str]) -> str:
    """Whom a change read by :data:`_WHO` is about: their name, else their relation."""
    return (match["relname"] or match["name"] or match["rel"] or match["bare"] or "").lower()


def _latest(memories: Memories, query: str, fits: Callable[[Memory], bool]) -> Memory | None:
    """The latest stored fact found by ``query`` that ``fits``."""
    found = [h.memory for h in memories.search(query, MAX_FACTS, touch=False) if fits(h.memory)]
    return max(found, key=lambda m: m.created) if found else None


def _a_plan(memory: Memory, what: str) -> bool:
    """Whether a stored fact is a plan that names ``what``."""
    dated = memory.metadata.get("fact") == "plan" or _DATED.search(memory.text) is not None
    return dated and re.search(rf"\b{re.escape(what)}", memory.text, re.IGNORECASE) is not None


def _works(memory: Memory, who: str) -> bool:
    """Whether a stored fact says where or as what ``who`` works ("i": the user)."""
    if _WORKS.search(memory.text) is None:
        return False
    if who == "i":
        return re.match(r"^\W*i\b", memory.text, re.IGNORECASE) is not None
    return re.search(rf"\b{re.escape(who)}\b", memory.text, re.IGNORECASE) is not None


def _lives(memory: Memory, who: str) -> bool:
    """Whether a stored fact says where ``who`` (a name or a relation) lives."""
    named = re.search(rf"\b{re.escape(who)}\b", memory.text, re.IGNORECASE)
    return (
        named is not None
        and _LIVES.search(memory.text) is not None
        and not re.match(r"^\W*(?:i|we)\b", memory.text, re.IGNORECASE)
    )
