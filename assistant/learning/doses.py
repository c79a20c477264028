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
    rf"\b{_DRUG}\s+(?:(?:dose|dosage)\s+)?(?:(?:is|was|to|at|of|now|up\s+to|down\s+to|"
    rf"increased\s+to|reduced\s+to|from\s+\S+\s+to)\s+)*{_AMOUNT}",
    re.IGNORECASE,
)
"""The medicine named before its amount: "omeprazole 20mg", "my omeprazole to 40mg"."""
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


def dose_of(text: str) -> Dose | None:
    """The one dose ``text`` gives and of what; None when it gives none, or several (a fact
    of two medicines is not one dose)."""
    found = {
        Dose(m["drug"].lower(), f"{m['amount']}{m['unit']}".lower())
        for pattern in (_BEFORE, _AFTER)
        for m in pattern.finditer(text)
        if m["drug"].lower() not in _NOT_DRUGS
    }
    return next(iter(found)) if len(found) == 1 else None


def dose_before(memories: Memories, text: str) -> Memory | None:
    """The stored fact of the same medicine at another dose, the latest; None where ``text``
    gives no dose or the store has none other for that medicine."""
    now = dose_of(text)
    if now is None:
        return None
    found = [
        h.memory
        for h in memories.search(now.drug, MAX_FACTS, touch=False)
        if (before := dose_of(h.memory.text)) is not None
        and before.drug == now.drug
        and before.amount != now.amount
    ]
    return max(found, key=lambda m: m.created) if found else None


_TAKES = re.compile(r"\b(?:i|i'?m|im)\s+(?:take|taking|on|use|using)\b", re.IGNORECASE)
"""A fact that says the user takes the medicine ("I take 100mg sumatriptan")."""


def redosed(old: str, new: str) -> str:
    """The stored fact ``old`` with the dose that ``new`` reports ("gp upped my sumatriptan to
    100mg" makes "I take sumatriptan 50mg for my migraines." "I take sumatriptan 100mg for my
    migraines.", so what it is for stays); ``new`` itself where it says the user takes it, or
    where the two name no one medicine at two doses."""
    before, now = dose_of(old), dose_of(new)
    if before is None or now is None or before.drug != now.drug or before.amount == now.amount:
        return new
    if _TAKES.search(new):
        return new
    amount = re.compile(
        rf"\b{re.escape(before.amount.rstrip('abcdefghijklmnopqrstuvwxyzµ'))}\s?"
        rf"{re.escape(before.amount.lstrip('0123456789.'))}\b",
        re.IGNORECASE,
    )
    changed, count = amount.subn(now.amount, old, count=1)
    return changed if count else new
