"""A medicine's dose: a newer dose of the same medicine replaces the older one ("I take 20mg
omeprazole daily." → "gp increased my omeprazole to 40mg").

Usage::

    dose_of("I'm on sertraline 50mg every morning.")  # Dose("sertraline", "50mg")
    dose_of("doc upped my sertraline to 100mg today")  # Dose("sertraline", "100mg")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def dose_before(memories: Memories, text: str) -> Memory | None:
    """The stored fact of the same medicine at another dose (alone, or beside other medicines:
    "I take sertraline 50mg and levothyroxine 75mcg"), the latest; None where ``text`` gives no
    dose or the store has none other for that medicine."""
    now = dose_of(text)
    if now is None:
        return None
    found = [
        h.memory
        for h in memories.search(now.drug, MAX_FACTS, touch=False)
        if (before := doses(h.memory.text).get(now.drug)) is not None and before != now.amount
    ]
    return max(found, key=lambda m: m.created) if found else None


_SWITCHED = re.compile(
    r"\b(?:switched|swapped|changed|moved|put)\s+(?:me|us|him|her|them)?\s*(?:over\s+)?from\s+"
    r"(?:my\s+|the\s+)?(?P<old>[^\W\d_][\w-]{3,})\s+(?:\d+(?:\.\d+)?\s?\w+\s+)?(?:on)?to\s+"
    r"(?P<new>[^\W\d_][\w-]{3,})"
    r"|\b(?:came|come|coming|got|taken|took\s+me)\s+off\s+(?:my\s+|the\s+)?"
    r"(?P<off>[^\W\d_][\w-]{3,})\b.{0,40}?\b(?:start(?:ed|ing)?|on(?:to)?|now\s+on|put\s+on)\s+"
    r"(?P<on>[^\W\d_][\w-]{3,})",
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
    old, new = (m["old"], m["new"]) if m["old"] else (m["off"], m["on"])
    if old.lower() in _NOT_DRUGS or old.lower() == new.lower():
        return None
    pattern = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
    found = [
        h.memory
        for h in memories.search(old, MAX_FACTS, touch=False)
        if pattern.search(h.memory.text) and _TAKES.search(h.memory.text)
    ]
    return max(found, key=lambda m: m.created) if found else None


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
        if match["drug"].lower() == now.drug:
            return old[: match.start("amount")] + now.amount + old[match.end("unit") :]
    return new
