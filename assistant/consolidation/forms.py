"""Forms people write a fact's parts in, read for the hard differences of
:mod:`assistant.consolidation.differences`: a date in digits ("21/06/2014", "2014-06-21") is
a day, a month and a year, and an initialism in capitals ("MK", "UX") stands for the words it
abbreviates ("Milton Keynes", "user experience")."""

from __future__ import annotations

import re
from functools import lru_cache

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})([/-])(\d{1,2})(?![\d/.-]|\s*(?:am|pm)\b)")
"""A day and a month with no year ("bday: 22/05", "05/22"): read only where one of them is
past 12 (and not "24/7"), since "03/10" may be either."""
_JOINERS = {"of", "and", "the", "for", "de"}
"""Words an initialism skips ("UI" for "University of Ibadan")."""


@lru_cache(maxsize=65536)
def digit_dates(text: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """The text without its dates in digits, and those dates as ``(day, month name, year)``
    (the year ``""`` when none is written: "22/05"). A date whose day and month cannot be
    told apart ("04/05/2027", "03/10") is left in the text, to be read as numbers."""
    return _dates(text, worded=False)


@lru_cache(maxsize=65536)
def worded(text: str) -> str:
    """The text with each of its dates in digits written as a day and a month name ("bday:
    22/05/1986" → "bday: 22 may 1986"), so that it reads as the same date written in words."""
    return _dates(text, worded=True)[0]


def _dates(text: str, worded: bool) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """:func:`digit_dates`, each date put back in words where ``worded``."""
    found: list[tuple[str, str, str]] = []

    def take(day: int, month: int, year: str) -> str | None:
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        found.append((str(day), MONTHS[month - 1], (year.lstrip("0") or "0") if year else ""))
        return " ".join(["", *filter(None, found[-1]), ""]) if worded else " "

    def iso(match: re.Match[str]) -> str:
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        return take(day, month, year) or match.group(0)

    def either_way(match: re.Match[str], year: str) -> str:
        """A day and a month in either order, read where only one order is a date."""
        x, y = int(match.group(1)), int(match.group(3))
        if x > 12 >= y:
            return take(x, y, year) or match.group(0)
        if y > 12 >= x:
            return take(y, x, year) or match.group(0)
        return match.group(0)

    def day_first(match: re.Match[str]) -> str:
        year = match.group(4)
        return either_way(match, "20" + year if len(year) == 2 else year)

    def day_month(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0) == "24/7" else either_way(match, "")

    rest = _DAY_FIRST.sub(day_first, _ISO.sub(iso, text))
    rest = _DAY_MONTH.sub(day_month, rest)
    return rest, tuple(found)


_DAY_NUMBER = re.compile(r"(?<![\d/.:-])0*(\d{1,2})(?:st|nd|rd|th)?(?![\d/:-]|\.\d)", re.IGNORECASE)
_MONTH_WORD = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?", re.IGNORECASE)


def settled(text: str, other: str) -> str:
    """``text`` with each date in digits whose day and month cannot be told apart ("bday
    03-10") written as the one reading ``other`` names, its month by name and its day among
    its numbers ("October 3": "3 October"); ``text`` as it is where both readings or neither
    fit ("03/10" beside "3 March" still differs)."""
    if not _DAY_MONTH.search(text):
        return text
    months = {
        n + 1
        for found in _MONTH_WORD.finditer(other)
        for n, name in enumerate(MONTHS)
        if found.group(0).lower().rstrip(".") in (name, name[:3], name[:4])
    }
    days = {int(found.group(1)) for found in _DAY_NUMBER.finditer(other)}

    def read(match: re.Match[str]) -> str:
        x, y = int(match.group(1)), int(match.group(3))
        if match.group(0) == "24/7" or not (1 <= x <= 12 and 1 <= y <= 12):
            return match.group(0)
        fits = {(d, m) for d, m in ((x, y), (y, x)) if m in months and d in days}
        if len(fits) != 1:
            return match.group(0)
        day, month = fits.pop()
        return f"{day} {MONTHS[month - 1].capitalize()}"

    return _DAY_MONTH.sub(read, text)


def _capitals(text: str) -> set[str]:
    """The initialisms a text writes in capitals ("UX", "MK"), lower-cased."""
    return {w.lower() for w in re.findall(r"\b[A-Z]{2,5}\b", text)}


def spelt_out(short: str, text: str) -> frozenset[str]:
    """The words of ``text`` that the initialism ``short`` stands for ("mk" in "lives in
    Milton Keynes": ``{"milton", "keynes"}``); empty when it stands for none."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    for start in range(len(words)):
        got, n = "", start
        used: list[str] = []
        while n < len(words) and len(got) < len(short):
            word = words[n]
            n += 1
            if used and word in _JOINERS:
                continue
            if word[0] != short[len(got)]:
                break
            got += word[0]
            used.append(word)
        if got == short and len(used) >= 2:
            return frozenset(used)
    return frozenset()


@lru_cache(maxsize=65536)
def initialised(text: str, other: str) -> frozenset[str]:
    """The words of either text an initialism of the other accounts for: the initialisms
    ``text`` writes that ``other`` spells out, and the words of ``text`` that an initialism
    of ``other`` stands for (all lower-cased)."""
    out: set[str] = set()
    for short in _capitals(text):
        if spelt_out(short, other):
            out.add(short)
    for short in _capitals(other):
        out |= spelt_out(short, text)
    return frozenset(out)
