"""A medicine's dose: a newer dose of the same medicine replaces the older one ("I take 20mg
omeprazole daily." → "gp increased my omeprazole to 40mg").

Usage::

    dose_of("I'm on sertraline 50mg every morning.")  # Dose("sertraline", "50mg")
    dose_of("doc upped my sertraline to 100mg today")  # Dose("sertraline", "100mg")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.learning.context import PEOPLE
from assistant.memories import Memories
from assistant.memory_types import Memory

_UNIT = r"(?:mg|mcg|µg|ug|g|ml|iu|units?|puffs?|tablets?|pills?|drops?)"
_AMOUNT = rf"(?P<amount>\d+(?:\.\d+)?)\s?(?P<unit>{_UNIT})\b"
_DRUG = r"(?P<drug>[^\W\d_][\w-]{3,})"
_BEFORE = re.compile(
    rf"\b{_DRUG}\s+(?:(?:dose|dosage)\s+)?(?:(?:is|was|has|been|went|gone|got|to|at|of|now|"
    rf"up|down|increased|reduced|upped|raised|lowered|cut|dropped|bumped|from\s+\S+\s+to)\s+)*"
    rf"{_AMOUNT}",
    re.IGNORECASE,
)
"""The medicine named before its amount: "omeprazole 20mg", "my omeprazole to 40mg", "my
levothyroxine went down to 50mcg"."""
_AFTER = re.compile(rf"\b{_AMOUNT}\s+(?:of\s+)?{_DRUG}", re.IGNORECASE)
"""The medicine named after its amount: "20mg omeprazole", "50mg of sertraline"."""
_NOT_DRUGS = frozenset(
    re.findall(
        r"\w+",
        "take takes taking took dose dosage daily every each morning night evening twice once "
        "from with then just only about around like that this these those tablets pills "
        "increased reduced upped lowered doubled halved prescribed changed switched down "
        "today tonight tomorrow yesterday week weeks day days month months year per since for "
        "until before after when with",
    )
)
"""Words next to an amount that name no medicine ("take 20mg", "increased to 40mg")."""
MAX_FACTS = 10


@dataclass(frozen=True)
class Dose:
    """How much of a medicine a fact says, as written."""

    drug: str
    """The medicine, in lower case."""
    amount: str
    """The amount with its unit, in lower case, without spaces: ``"40mg"``."""


def doses(text: str) -> dict[str, str]:
    """Each medicine ``text`` gives one dose of, with that dose: ``{"sertraline": "50mg",
    "levothyroxine": "75mcg"}`` for a fact of two medicines (a medicine given at two doses
    is left out: which one holds is not said)."""
    found: dict[str, set[str]] = {}
    for match in _dose_matches(text):
        found.setdefault(match["drug"].lower(), set()).add(_amount(match))
    return {drug: next(iter(amounts)) for drug, amounts in found.items() if len(amounts) == 1}


def _dose_matches(text: str) -> list[re.Match[str]]:
    return [
        m
        for pattern in (_BEFORE, _AFTER)
        for m in pattern.finditer(text)
        if m["drug"].lower() not in _NOT_DRUGS
    ]


def _amount(match: re.Match[str]) -> str:
    return f"{match['amount']}{match['unit']}".lower()


def dose_of(text: str) -> Dose | None:
    """The one dose ``text`` gives and of what; None when it gives none, or several (a fact
    of two medicines is not one dose)."""
    found = {Dose(m["drug"].lower(), _amount(m)) for m in _dose_matches(text)}
    return next(iter(found)) if len(found) == 1 else None


_CARERS = r"(?:doc|doctor|gp|nurse|consultant|specialist|dentist|pharmacist|physio|therapist)\b"
"""Whom a medicine is given by, not taken by ("my doctor increased my sertraline")."""
_ANOTHERS = re.compile(
    rf"\b(?:her|his|their|(?!{_CARERS})(?:(?:my|our)\s+(?!{_CARERS})(?:{PEOPLE})|"
    rf"(?:{PEOPLE})(?:['’]?s)(?=\s)))\b",
    re.IGNORECASE,
)
"""Words that make a fact of a medicine another's ("her furosemide", "my mum takes…", "mums
on bumetanide")."""


def anothers(text: str) -> bool:
    """Whether ``text`` speaks of someone else's medicine, not the user's."""
    return _ANOTHERS.search(text) is not None


def dose_before(memories: Memories, text: str) -> Memory | None:
    """The stored fact of the same medicine at another dose (alone, or beside other medicines:
    "I take sertraline 50mg and levothyroxine 75mcg"), the latest; None where ``text`` gives no
    dose or the store has none other for that medicine."""
    found = doses_before(memories, text)
    return max(found, key=lambda m: m.created) if found else None


def doses_before(memories: Memories, text: str) -> list[Memory]:
    """Every stored fact of the same medicine, of the same person's, at another dose than
    ``text`` gives ("I take ramipril 5mg every morning." and "Every morning I take 5mg of
    ramipril." for "my ramipril went up to 10mg")."""
    now = dose_of(text)
    if now is None:
        return []
    return [
        h.memory
        for h in memories.search(now.drug, MAX_FACTS, touch=False)
        if (before := doses(h.memory.text).get(now.drug)) is not None
        and before != now.amount
        and anothers(h.memory.text) == anothers(text)  # "my mum takes ramipril 2.5mg"
    ]


def same_dose(memories: Memories, text: str) -> Memory | None:
    """The stored fact that already gives the dose a change reports ("they upped my ramipril
    to 10mg" where "I take ramipril 10mg" is stored): told again, not a fact of its own; None
    for any other message."""
    now = dose_of(text)
    if now is None or not changes_dose(text):
        return None
    found = [
        h.memory
        for h in memories.search(now.drug, MAX_FACTS, touch=False)
        if doses(h.memory.text).get(now.drug) == now.amount
        and anothers(h.memory.text) == anothers(text)
    ]
    return max(found, key=lambda m: m.created) if found else None


_CHANGED = re.compile(
    r"\b(?:raised|increased|upped|bumped|doubled|lowered|reduced|dropped|cut|halved|changed|"
    r"put\s+(?:\w+\s+){0,3}(?:up|down))\b",
    re.IGNORECASE,
)
"""A dose said changed ("upped my ramipril", "put my lantus up")."""


def changes_dose(text: str) -> bool:
    """Whether ``text`` says a medicine's dose changed and gives the dose ("gp put my ramipril
    up to 10mg")."""
    return dose_of(text) is not None and _CHANGED.search(text) is not None


_SWITCHED = re.compile(
    r"\b(?:switched|swapped|changed|moved|put)\s+(?:me|us|him|her|them)?\s*(?:over\s+)?from\s+"
    r"(?:my\s+|the\s+)?(?P<old>[^\W\d_][\w-]{3,})\s+(?:\d+(?:\.\d+)?\s?\w+\s+)?(?:on)?to\s+"
    r"(?P<new>[^\W\d_][\w-]{3,})"
    r"|\b(?:came|come|coming|got|taken|took\s+(?:me|her|him|them))\s+off\s+"
    r"(?:my\s+|the\s+|her\s+|his\s+)?"
    r"(?P<off>[^\W\d_][\w-]{3,})\b.{0,40}?\b(?:start(?:ed|ing)?|on(?:to)?|now\s+on|"
    r"put\s+(?:me\s+|her\s+|him\s+|them\s+)?on)\s+"
    r"(?P<on>[^\W\d_][\w-]{3,})"
    r"|\b(?:stopped|dropped)\s+(?:my\s+|the\s+|her\s+|his\s+|their\s+)"
    r"(?P<stopped>[^\W\d_][\w-]{3,})\s+and\s+(?:put|started)\s+(?:me|her|him|them)\s+on\s+"
    r"(?P<put>[^\W\d_][\w-]{3,})"
    r"|\b(?:on|taking)\s+(?P<now>[^\W\d_][\w-]{3,})\s+(?:now\b)?[^.;]{0,30}?\b(?:took|taken)\s+"
    r"(?:me|her|him|them)\s+off\s+(?:my\s+|the\s+|her\s+|his\s+)?(?P<was>[^\W\d_][\w-]{3,})",
    re.IGNORECASE,
)
"""A medicine changed for another: "the gp switched me from sertraline to citalopram 20mg",
"came off the pill and started the coil"."""


def switched_before(memories: Memories, text: str) -> Memory | None:
    """The stored fact of taking the medicine ``text`` says was changed for another, the
    latest ("I take sertraline 50mg every morning." after "the gp switched me from sertraline
    to citalopram"); None where it names no such change or no fact of taking the old one."""
    m = _SWITCHED.search(text)
    if m is None:
        return None
    old, new = _switch(m)
    if old.lower() in _NOT_DRUGS or old.lower() == new.lower():
        return None
    pattern = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
    found = [
        h.memory
        for h in memories.search(old, MAX_FACTS, touch=False)
        if pattern.search(h.memory.text) and _TAKEN.search(h.memory.text)
    ]
    return max(found, key=lambda m: m.created) if found else None


def _switch(m: re.Match[str]) -> tuple[str, str]:
    """The medicine given up and the one taken instead, of a match of ``_SWITCHED``."""
    for old, new in (("old", "new"), ("off", "on"), ("stopped", "put"), ("was", "now")):
        if m[old]:
            return m[old], m[new]
    return "", ""


def switch_of(text: str) -> tuple[str, str] | None:
    """The medicine ``text`` says was given up and the one taken instead, in lower case;
    None where it says no such change."""
    m = _SWITCHED.search(text)
    if m is None:
        return None
    was, now = _switch(m)
    return was.lower(), now.lower()


def switched(old: str, text: str) -> str | None:
    """The stored fact ``old`` of taking a medicine, with the one ``text`` says replaced it
    and its dose where it gives one ("My mum takes furosemide 80mg." and "they stopped her
    furosemide and put her on bumetanide 1mg" make "My mum takes bumetanide 1mg."); None
    where ``text`` names no such change of that medicine."""
    m = _SWITCHED.search(text)
    if m is None:
        return None
    was, now = _switch(m)
    said = re.search(rf"\b{re.escape(was)}\b", old, re.IGNORECASE)
    if said is None or now.lower() in _NOT_DRUGS:
        return None
    dose = re.search(rf"\b{re.escape(now)}\s+(?:\w+\s+){{0,2}}?({_BARE})|({_BARE})", text, re.I)
    amount = next((g for g in dose.groups() if g), "") if dose else ""
    rest = old[said.end() :]
    given = _AMOUNT_IN.match(rest.lstrip())
    if given is not None:  # the old dose goes with the old medicine
        rest = rest.lstrip()[given.end() :]
    fixed = f"{old[: said.start()]}{now}{' ' + amount if amount else ''}{rest}"
    return " ".join(fixed.split())


_BARE = rf"\d+(?:\.\d+)?\s?{_UNIT}\b"
"""An amount with its unit, as nothing is taken from it."""
_AMOUNT_IN = re.compile(_BARE, re.IGNORECASE)
_CHANGED_IT = re.compile(
    r"\b(?:raised|increased|upped|bumped|doubled|lowered|reduced|dropped|cut|halved|changed|"
    r"put|moved|took)\s+(?:it|them|that|the\s+dose|my\s+dose|the\s+dosage)\s+"
    rf"(?:up\s+|down\s+|back\s+)?to\s+{_BARE}"
    rf"|\b(?:it'?s|it\s+is|its)\s+{_BARE}\s+now\b",
    re.IGNORECASE,
)
"""A dose changed without naming the medicine ("the doctor raised it to 10mg", "so it is
10mg now"): said of the one the message before told."""


def its_new_dose(text: str) -> str:
    """The new dose ``text`` gives of what was just said, by pronoun (see above), as
    :class:`Dose` writes amounts (``"10mg"``); "" when it gives none."""
    m = _CHANGED_IT.search(text)
    amount = _AMOUNT_IN.search(m.group(0)) if m else None
    return re.sub(r"\s+", "", amount.group(0)).lower() if amount else ""


def redosed_by(old: str, amount: str) -> str | None:
    """``old`` (a fact of one medicine) at ``amount`` in the same unit; None where it names
    no one medicine, another unit, or that amount already."""
    given = doses(old)
    if len(given) != 1:
        return None
    drug, was = next(iter(given.items()))
    unit = re.sub(r"[\d.]", "", was)
    if was == amount or re.sub(r"[\d.]", "", amount) != unit:
        return None
    return redosed(old, f"my {drug} to {amount}")


_TAKES = re.compile(r"\b(?:i|i'?m|im)\s+(?:take|taking|on|use|using)\b", re.IGNORECASE)
"""A fact that says the user takes the medicine ("I take 100mg sumatriptan")."""
_TAKEN = re.compile(r"\b(?:takes?|taking|on|uses?|using|prescribed)\b", re.IGNORECASE)
"""A fact that says someone takes a medicine ("My mum takes furosemide 80mg")."""


def redosed(old: str, new: str) -> str:
    """The stored fact ``old`` with the dose that ``new`` reports ("gp upped my sumatriptan to
    100mg" makes "I take sumatriptan 50mg for my migraines." "I take sumatriptan 100mg for my
    migraines.", so what it is for stays; in a fact of two medicines only that medicine's dose
    changes); ``new`` itself where it says the user takes it and ``old`` names no other
    medicine, or where the two name no one medicine at two doses."""
    now = dose_of(new)
    given = doses(old)
    if now is None or given.get(now.drug, now.amount) == now.amount:
        return new
    if _TAKES.search(new) and len(given) == 1:
        return new
    for match in _dose_matches(old):
        if match["drug"].lower() == now.drug:  # written as the old one was ("16 units")
            number = re.match(r"[\d.]+", now.amount)
            count = number.group(0) if number else ""
            spaced = old[match.end("amount") : match.start("unit")]
            amount = f"{count}{spaced}{now.amount[len(count) :]}"
            return old[: match.start("amount")] + amount + old[match.end("unit") :]
    return new
