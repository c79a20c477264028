"""Reminder times in plain words: "in 20 minutes", "tomorrow at 6pm", "on Friday", ISO dates."""

from __future__ import annotations

import calendar
import contextlib
import re
from datetime import datetime, timedelta

_UNITS = {
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "h": 3600,
    "day": 86400,
    "week": 604800,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
}
"""Counts said in words ("in two weeks", "a couple of days ago")."""
_COUNT = "|".join(sorted(COUNTS, key=len, reverse=True))
_IN = re.compile(
    rf"\bin ({_COUNT}|\d+(?:\.\d+)?) ?(minute|min|hour|hr|h|day|week)s?"
    rf"(?: (?:and )?(?:(?P<half>a half)|(?P<more>{_COUNT}|\d+) ?(?P<unit>minute|min|m)s?))?\b"
    r"|\bin (?P<halfhour>half an hour|half hour|a half hour)\b"
    r"|\bin (?:an|1) hour and a half\b",
    re.IGNORECASE,
)
"""A time from now: "in 20 minutes", "in two weeks", "in 1 hour and 30 minutes", "in 1h 30m",
"in half an hour", "in an hour and a half"."""
_AT = re.compile(
    r"\b(?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)\b|\bat (\d{1,2}):(\d{2})\b"
    r"|\bat (\d{1,2})\b(?![:.]?\d|\s*(?:%|kg|km|mins?\b|minutes|hours?|days?|weeks?|years?|"
    r"o'?clock\s+(?:am|pm)))",
    re.I,
)
"""A time of day: "6pm", "at 18:30", or "at 10" (from 7 to 11 the morning, from 1 to 6 the
afternoon or evening, as people mean it)."""
_PART = re.compile(r"\b(?:in the )?(morning|afternoon|evening|night|lunchtime|noon|midday)\b", re.I)
_PART_HOURS = {
    "morning": 9,
    "afternoon": 14,
    "evening": 18,
    "night": 20,
    "lunchtime": 12,
    "noon": 12,
    "midday": 12,
}
"""The hour a part of the day stands for, where no time is said ("thursday evening")."""
_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?\b")
_DAY = re.compile(
    r"\b(today|tonight|tomorrow|next week|(?:on |next )?(?:" + "|".join(WEEKDAYS) + r"))\b",
    re.IGNORECASE,
)
SHORT_DAYS = {
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "tmrow": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "tues": "tuesday",
    "tue": "tuesday",
    "weds": "wednesday",
    "thurs": "thursday",
    "thur": "thursday",
    "thu": "thursday",
    "fri": "friday",
}
"""Days as people type them; "mon", "wed", "sat" and "sun" count only after "on", "next" or
"this" ("sit in the sun" names no day)."""
_SHORT_DAY = re.compile(
    r"\b(" + "|".join(sorted(SHORT_DAYS, key=len, reverse=True)) + r")\b"
    r"|(?:(?<=\bon )|(?<=\bnext )|(?<=\bthis ))(mon|wed|sat|sun)\b",
    re.IGNORECASE,
)
AMBIGUOUS_DAYS = {"mon": "monday", "wed": "wednesday", "sat": "saturday", "sun": "sunday"}
_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_MONTH = (
    r"(?P<{}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)(?:\s+(?:of\s+)?"
    + _MONTH.format("month")
    + r")?\b"
    r"|\b(?:on\s+)?(?P<day2>\d{1,2})\s+" + _MONTH.format("month2") + r"\b"
    r"|\b(?:on\s+)?"
    + _MONTH.format("month3")
    + r"\s+(?:the\s+)?(?P<day3>\d{1,2})(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
"""A day of the month, with or without its month: "on the 1st", "the 22nd of march", "3 may",
"march 3rd"; the next such day (this month or year, else the next)."""
_LEAD = re.compile(r"^(?:to|about|that)\s+", re.IGNORECASE)
"""What is left before the task once a leading time is cut ("in 2 hours to take the chicken
out")."""


def parse_when(text: str, now: datetime) -> tuple[datetime | None, str]:
    """The time a reminder is for, and the text with the time words removed.

    Returns ``(None, text)`` when no time is mentioned. Times without a day are today, or
    tomorrow when already past; days without a time are at 09:00.
    """
    when, rest = _parse(_SHORT_DAY.sub(_spelt, text), now)
    if when is None:
        return None, text
    return when, _LEAD.sub("", rest)


def unreadable_time(text: str, now: datetime) -> str:
    """Why the time ``text`` gives a reminder cannot be: a day that does not exist ("february
    30th", "2027-02-30"), an hour that does not ("25pm", "at 26:00"), or a day gone
    ("yesterday"); "" when it names none of those. A reminder is never set for a time other
    than the one said."""
    text = _SHORT_DAY.sub(_spelt, text)
    if gone := _GONE.search(text):
        return f"{gone.group(0).lower()} has passed"
    for iso in _ISO.finditer(text):
        try:
            datetime.strptime(iso.group(1), "%Y-%m-%d")
        except ValueError:
            return f"there is no day {iso.group(1)}"
    dated = _DATE.search(text)
    if dated is not None and not _ISO.search(text) and _date(dated, now) is None:
        said = _ON.sub("", dated.group(0).strip())
        return f"there is no day {said}"
    hour = _AT.search(text)
    if hour is not None and _clock(hour)[0] is None:
        return f"{hour.group(0).strip()} is no time of day"
    return ""


_ON = re.compile(r"^on\s+", re.IGNORECASE)
_GONE = re.compile(r"\b(?:yesterday|last night|the day before yesterday)\b", re.IGNORECASE)
"""A day a reminder cannot be set for."""


def _spelt(match: re.Match[str]) -> str:
    """A day as typed ("tmrw", "thurs", "on sat") written out."""
    short = match.group(1) or match.group(2)
    return SHORT_DAYS.get(short.lower()) or AMBIGUOUS_DAYS[short.lower()]


def _parse(text: str, now: datetime) -> tuple[datetime | None, str]:
    rest = text
    match = _IN.search(rest)
    if match:
        rest = _cut(rest, match)
        return now + timedelta(seconds=_from_now(match)), rest
    when: datetime | None = None
    match = _ISO.search(rest)
    if match:
        try:
            when = datetime.strptime(match.group(1), "%Y-%m-%d")
        except ValueError:
            return None, text
        if match.group(2):
            when = when.replace(hour=int(match.group(2)), minute=int(match.group(3)))
        else:
            when = when.replace(hour=9)
        return when, _cut(rest, match)
    day: re.Match[str] | None = _DAY.search(rest)
    if day:
        when = _day(day.group(1).lower(), now)
        rest = _cut(rest, day)
    elif (dated := _DATE.search(rest)) and (on := _date(dated, now)) is not None:
        day, when = dated, on
        rest = _cut(rest, dated)
    hour = _AT.search(rest)
    if hour:
        h, m = _clock(hour)
        if h is not None:
            base = when or now
            when = base.replace(hour=h, minute=m, second=0, microsecond=0)
            if day is None and when <= now:
                when += timedelta(days=1)
            rest = _cut(rest, hour)
    elif when is not None:
        part = _PART.search(rest)
        if part is not None:  # "thursday evening"
            when = when.replace(hour=_PART_HOURS[part.group(1).lower()], minute=0)
            rest = _cut(rest, part)
        else:
            tonight = day is not None and day.re is _DAY and "tonight" in day.group(1).lower()
            when = when.replace(hour=20 if tonight else 9, minute=0)
    return when, rest


def _from_now(match: re.Match[str]) -> float:
    """The seconds an "in …" phrase (:data:`_IN`) says."""
    if match["halfhour"]:
        return 1800.0
    if match.group(1) is None:  # "in an hour and a half"
        return 5400.0
    unit = _UNITS[match.group(2).lower()]
    seconds = _amount(match.group(1)) * unit
    if match["half"]:
        seconds += unit / 2
    elif match["more"]:
        seconds += _amount(match["more"]) * 60
    return seconds


def _amount(said: str) -> float:
    """A count in digits or in words ("2", "two", "a couple of")."""
    said = " ".join(said.lower().split())
    return float(COUNTS[said]) if said in COUNTS else float(said)


def _day(word: str, now: datetime) -> datetime:
    start = now.replace(second=0, microsecond=0)
    if word in ("today", "tonight"):
        return start
    if word == "tomorrow":
        return start + timedelta(days=1)
    if word == "next week":
        return start + timedelta(days=7 - now.weekday())
    name = word.split()[-1]
    ahead = (WEEKDAYS.index(name) - now.weekday()) % 7 or 7
    return start + timedelta(days=ahead)


def _date(match: re.Match[str], now: datetime) -> datetime | None:
    """The next day a :data:`_DATE` match names, from today on; None for no such day."""
    day = int(match.group("day") or match.group("day2") or match.group("day3"))
    month_word = match.group("month") or match.group("month2") or match.group("month3")
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if month_word:
        month = next(n for n, m in enumerate(_MONTHS, 1) if m.startswith(month_word.lower()[:3]))
        for year in (now.year, now.year + 1):
            with contextlib.suppress(ValueError):
                found = start.replace(year=year, month=month, day=day)
                if found.date() >= now.date():
                    return found
        return None
    for ahead in range(13):  # the next month that has this day
        month, year = (now.month - 1 + ahead) % 12 + 1, now.year + (now.month - 1 + ahead) // 12
        with contextlib.suppress(ValueError):
            found = start.replace(year=year, month=month, day=day)
            if found.date() >= now.date():
                return found
    return None


def _clock(match: re.Match[str]) -> tuple[int | None, int]:
    if match.group(6):  # "at 10": the morning; "at 3": the afternoon
        hour = int(match.group(6))
        return (hour + 12 if 1 <= hour <= 6 else hour if hour <= 23 else None), 0
    if match.group(4):
        hour, minute = int(match.group(4)), int(match.group(5))
    else:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = match.group(3).lower()
        if hour > 12:
            return None, 0
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None, 0
    return hour, minute


def _cut(text: str, match: re.Match[str]) -> str:
    return " ".join((text[: match.start()] + text[match.end() :]).split())


_RECENT = re.compile(
    r"\b(?:latest|lately|recent(?:ly)?|newest|just now|so far|these days|nowadays|now|"
    r"currently|anymore|ago|yesterday|earlier|the other day|"
    r"last (?:week(?:end)?|month|year|night|time|" + "|".join(WEEKDAYS) + r")|"
    r"this (?:morning|afternoon|evening|week(?:end)?|month|year)|"
    r"when did (?:i|we) (?:last|first)|(?:most|more) recent)\b",
    re.IGNORECASE,
)


def about_time(text: str) -> bool:
    """Whether a question is about time or recent things ("what did I do last week?", "the
    latest", "yesterday", "when did I last…", a day or a date): then newer memories and turns
    should come first, where otherwise relevance alone decides."""
    return any(pattern.search(text) for pattern in (_RECENT, _DAY, _ISO))
