"""Reminders that come back, said in plain words: "every monday", "every day at 9pm", "every
weekday", "on the 1st of every month".

A rule is kept as a short string: ``daily``, ``weekdays``, ``weekly:0,3`` (Monday and
Thursday) or ``monthly:1`` (the 1st). The reminder's first time is read from the words left
once the repeat is taken out ("every monday at 8am" leaves "monday at 8am"), and each later
one keeps its time of day.

Usage::

    rule, rest = parse_repeat("every monday at 8am to put the bins out")
    # ("weekly:0", "monday at 8am to put the bins out")
    following(rule, datetime(2026, 12, 7, 8, 0))  # Monday 14 December, 08:00
    describe(rule)  # "every Monday"
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

from assistant.when import WEEKDAYS, parse_when

DEFAULT_HOUR = 9
"""The hour a repeating reminder comes at when no time is said."""
_DAYS = "|".join(WEEKDAYS)
_EVERY_DAYS = re.compile(
    rf"\b(?:every|each)\s+(?P<days>(?:{_DAYS})s?(?:(?:\s*,\s*|\s+(?:and|&)\s+)(?:{_DAYS})s?)*)\b"
    rf"|\bon\s+(?P<plural>(?:{_DAYS})s)\b",
    re.IGNORECASE,
)
"""Days of the week a reminder comes back on: "every monday", "every tuesday and friday",
"on thursdays"."""
_DAILY = re.compile(
    r"\b(?:every\s*day|everyday|each\s+day|daily|every\s+(?:morning|evening|night)|"
    r"each\s+(?:morning|evening|night)|every\s+(?:single\s+)?day)\b",
    re.IGNORECASE,
)
_PART = re.compile(r"\b(?:every|each)\s+(morning|evening|night)\b", re.IGNORECASE)
_WEEKDAYS = re.compile(r"\b(?:every|each)\s+(?:week\s*day|weekday)\b|\bon\s+weekdays\b", re.I)
_WEEKLY = re.compile(r"\b(?:every|each)\s+week\b|\bweekly\b", re.IGNORECASE)
_MONTHLY = re.compile(
    r"\b(?:(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\s+of\s+)?(?:every|each)\s+month"
    r"(?:\s+on\s+the\s+(?P<day2>\d{1,2})(?:st|nd|rd|th))?\b|\bmonthly\b",
    re.IGNORECASE,
)


def parse_repeat(text: str) -> tuple[str, str]:
    """The rule a reminder comes back by, and the text with the repeat words taken out (a
    weekday or a day of the month left in, for its first time); ``("", text)`` for a reminder
    that comes once."""
    if found := _WEEKDAYS.search(text):
        return "weekdays", _cut(text, found)
    if found := _EVERY_DAYS.search(text):
        said = (found["days"] or found["plural"]).lower()
        days = sorted({WEEKDAYS.index(d.rstrip("s")) for d in re.findall(_DAYS, said)})
        first = WEEKDAYS[days[0]]
        return "weekly:" + ",".join(map(str, days)), _cut(text, found, f"on {first}")
    if found := _MONTHLY.search(text):
        day = found["day"] or found["day2"]
        return f"monthly:{int(day)}" if day else "monthly", _cut(
            text, found, f"on the {int(day)}{_suffix(int(day))}" if day else ""
        )
    if found := _DAILY.search(text):
        part = _PART.search(found.group(0))
        return "daily", _cut(text, found, f"today in the {part.group(1).lower()}" if part else "")
    if found := _WEEKLY.search(text):
        return "weekly", _cut(text, found)
    return "", text


def repeat_and_time(text: str, now: datetime) -> tuple[str, datetime | None, str]:
    """A reminder's rule (``""`` for once), the time its words name (``assistant.when``; None
    for none) and the words left: "every monday at 8am to put the bins out" is ``("weekly:0",
    next Monday 08:00, "put the bins out")``."""
    rule, once = parse_repeat(text)
    due, rest = parse_when(once, now)
    return rule, due, rest


def following(rule: str, last: datetime) -> datetime:
    """The time after ``last`` that a reminder of ``rule`` comes back, at the same time of
    day."""
    kind, _, arg = rule.partition(":")
    if kind == "daily":
        return last + timedelta(days=1)
    if kind == "weekdays":
        ahead = last + timedelta(days=1)
        while ahead.weekday() >= 5:
            ahead += timedelta(days=1)
        return ahead
    if kind == "weekly":
        days = _days_of(arg) if arg else {last.weekday()}
        ahead = last + timedelta(days=1)
        while ahead.weekday() not in days:
            ahead += timedelta(days=1)
        return ahead
    if kind == "monthly":
        day = int(arg) if arg else last.day
        year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
        return last.replace(year=year, month=month, day=min(day, _days_in(year, month)))
    raise ValueError(f"not a repeat rule: {rule!r}")


def first_time(rule: str, due: datetime | None, now: datetime) -> datetime:
    """The first time a reminder of ``rule`` falls due: ``due`` (else 09:00 today), moved on
    past ``now`` and to a day the rule allows ("every weekday at 7" said on a Saturday starts
    on Monday)."""
    first = due or now.replace(hour=DEFAULT_HOUR, minute=0, second=0, microsecond=0)
    while first <= now or not _allowed(rule, first):
        first = following(rule, first)
    return first


def _allowed(rule: str, when: datetime) -> bool:
    kind, _, arg = rule.partition(":")
    if kind == "weekdays":
        return when.weekday() < 5
    if kind == "weekly" and arg:
        return when.weekday() in _days_of(arg)
    return True


def _days_of(arg: str) -> set[int]:
    """The weekdays of a weekly rule's argument ("0,3": Monday and Thursday)."""
    return {int(d) for d in arg.split(",")}


def describe(rule: str) -> str:
    """A rule in words: "every day", "every weekday", "every Monday and Thursday", "every
    month on the 1st"."""
    kind, _, arg = rule.partition(":")
    if kind == "daily":
        return "every day"
    if kind == "weekdays":
        return "every weekday"
    if kind == "weekly":
        if not arg:
            return "every week"
        names = [calendar.day_name[int(d)] for d in arg.split(",")]
        return "every " + (
            names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        )
    if kind == "monthly":
        return f"every month on the {int(arg)}{_suffix(int(arg))}" if arg else "every month"
    return rule


def _cut(text: str, match: re.Match[str], keep: str = "") -> str:
    return " ".join(f"{text[: match.start()]} {keep} {text[match.end() :]}".split())


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
