"""The days a fact names relative to when it was said, given their dates.

"my flight to nairobi is tomorrow", said on 5 December 2026, is kept as "my flight to nairobi
is tomorrow (6 December 2026)": read a week later, "tomorrow" alone would be wrong. The
user's words stay; the date follows them in brackets, as of the local day the message was
written (an imported conversation from 2023 dates its "tomorrow" in 2023).

Dated: today, tonight, tomorrow and yesterday (with a part of the day: "tomorrow night"), the
day after tomorrow and the day before yesterday; a weekday after this, next, coming or last
("next friday" is the first Friday after today, as reminders read it); a weekday after on,
for, by, until or alone ("the dentist is on friday", "we met on friday"): the coming one, or
the last one where the sentence tells of the past; this, next or last week, month or year;
this or last weekend; "in 3 days", "2 weeks ago", "in a month"; last night and this morning,
afternoon or evening; "monday week" (a week after the coming Monday, as British English
says it); a weekday a plan was moved to ("they moved my physio to wednesday"); and "the 22nd"
after on, by, for, is and their like (the next 22nd, or the last one in a sentence that tells
of the past). Weekdays in the plural
("on fridays") are habits and stay as they are, as does "next weekend", which people read
two ways.

Usage::

    anchored("my flight to nairobi is tomorrow", datetime(2026, 12, 5, 9, 0))
    # "my flight to nairobi is tomorrow (6 December 2026)"
    plain("my flight to nairobi is tomorrow (6 December 2026)")
    # "my flight to nairobi is tomorrow": what a correction reads; date it again after
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from assistant.when import AMBIGUOUS_DAYS, COUNTS, SHORT_DAYS
from assistant.when import WEEKDAYS as _WEEKDAYS

_SHORT = {short: day for short, day in SHORT_DAYS.items() if day in ("tomorrow", "tonight")}
_SHORT |= {"2day": "today", "yday": "yesterday", "yest": "yesterday"}
"""Days as chat types them ("tmrw", "2nite")."""
_SHORT_WEEKDAYS = {short: day for short, day in SHORT_DAYS.items() if day in _WEEKDAYS}
_SHORT_WEEKDAYS |= AMBIGUOUS_DAYS
"""Weekdays as chat types them after "on", "next" or "this" ("next thurs", "on sat")."""
_WEEKDAY = "|".join([*_WEEKDAYS, *sorted(_SHORT_WEEKDAYS, key=len, reverse=True)])
_NUMBERS = COUNTS
_PART = r"(?:\s+(?:morning|afternoon|evening|night|nite|lunchtime))?"
_PARTS = r"\s+(?:mornings|afternoons|evenings|nights|nites|lunchtimes)\b"
"""A part of a weekday in the plural ("on saturday mornings"): a habit, no one day."""
_DAY_WORD = r"(?:the\s+day\s+after\s+tomorrow|the\s+day\s+before\s+yesterday|today|tonight|"
_DAY_WORD += r"tomorrow|yesterday|" + "|".join(_SHORT) + ")"
_COUNT = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_RELATIVE = re.compile(
    rf"\b(?:(?P<day>{_DAY_WORD}){_PART}"
    r"|(?P<part_which>last|this)\s+(?P<part>night|morning|afternoon|evening)"
    rf"|(?:moved|rescheduled|pushed(?:\s+back)?|postponed|changed|bumped|shifted)(?:\s+[\w']+)"
    rf"{{0,3}}?\s+to\s+(?:next\s+)?(?P<moved_to>{_WEEKDAY})(?!s)"
    rf"|(?P<bare_week>{_WEEKDAY})\s+week\b"
    r"|(?P<nth_lead>on|by|until|till|for|before|after|from|is|'s|was|to)\s+the\s+(?P<nth>\d{1,2})"
    r"(?:st|nd|rd|th)\b(?=\s*(?:$|[.,;:!?)]|(?:at|and|so|but|then|in|for|from|to|till|until|or|"
    r"when|which|with|because|cos|if|lol|haha|btw|ngl|now|instead|please|pls)\b|\d))"
    rf"|(?P<which>this|next|coming|last|this\s+coming)\s+(?P<wd>{_WEEKDAY})(?!s){_PART}"
    rf"|(?P<lead>on|for|by|until|till|before|after|starting)\s+(?P<bare>{_WEEKDAY})(?!s|{_PARTS})"
    rf"(?P<week>\s+week\b)?{_PART}"
    r"|(?P<span>this|next|last)\s+(?P<unit>week|month|year|weekend)"
    rf"|in\s+(?P<ahead_n>{_COUNT})\s+(?P<ahead>day|week|month|year)s?"
    rf"|(?P<back_n>{_COUNT})\s+(?P<back>day|week|month|year)s?\s+ago)\b"
    r"(?!\s*(?:\(|,?\s*(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b|,?\s*(?:of\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b))",
    re.IGNORECASE,
)
"""A day said relative to now, unless a date follows it ("wednesday the 11th", "friday 6
march") or this module dated it already."""
_PAST = re.compile(
    r"\b(?:was|were|went|did|had|came|saw|met|ate|told|said|ran|won|lost|got|took|gave|"
    r"left|bought|made|spent|visited|finished|watched|played|called|phoned|rang|happened|"
    r"passed|died|broke|fell|flew|drove|arrived|started|ended|tried|missed|forgot)\b"
    r"|\b(?!(?:scheduled|planned|booked|supposed|expected|excited|interested|worried|tired|"
    r"bored|stressed|scared|nervous|married|engaged|used|needed|invited|required|pleased|"
    r"confirmed|reserved|organised|organized|arranged|fixed|sorted)\b)[a-z]{3,}ed\b",
    re.IGNORECASE,
)
"""Words that tell of the past: "we met on friday", "the dishwasher flooded on tuesday" (any
verb in -ed but those that say what is planned or how one feels) are the day gone."""
_TO_COME = re.compile(
    r"\b(?:will|'ll|going to|gonna|is|are|am|'s|'re|booked|due|need|needs|must|should|"
    r"have to|has to|want to|wants to)\b",
    re.I,
)
_MONTH_NAMES = "|".join(calendar.month_name[1:])
_NOTE = re.compile(
    r"\s\((?:week of |weekend of |around )?(?:\d{1,2}(?:–\d{1,2})? )?(?:(?:"
    + _MONTH_NAMES
    + r") )?(?:(?:\d{4} )?– \d{1,2} (?:"
    + _MONTH_NAMES
    + r") )?\d{4}\)"
)
"""A date this module put after the words it dates."""


_MONTH_WORD = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_ORDINAL = r"(?:st|nd|rd|th)"
_CALENDAR = re.compile(
    rf"(?<![\d/.-])\b(?:(?:the\s+)?(?P<day>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<month>{_MONTH_WORD})"
    rf"|(?P<month_first>{_MONTH_WORD})\.?\s+(?:the\s+)?(?P<day_after>\d{{1,2}})"
    rf"(?P<ordinal>{_ORDINAL})?)\b(?![/.:]\d)(?!,?\s*(?:'|’)?\d{{2,4}}\b)(?!\s*\()",
    re.IGNORECASE,
)
"""A day of a month without its year: "march 14th", "14 march", "the 3rd of may" (not one
with a year, "14 march 1990", or one dated already)."""
_MONTH_ALONE = re.compile(
    rf"\b(?:in|during|for|by|over)\s+(?P<month>{_MONTH_WORD})\b(?!\s*(?:'|’)?\d)(?!\s*\()",
    re.IGNORECASE,
)
"""A month named alone in a question: "what have I got on in march?"."""
_UPCOMING = re.compile(
    r"\b(?:coming\s+up|upcoming|(?:what|any)\s+plans|plans\s+(?:do|have)\s+(?:i|we)|"
    r"what(?:'s|’s|s|\s+is)\s+(?:on|ahead)(?=\s*(?:\?|$|for\s+(?:me|us)\b))|"
    r"what\s+(?:have|do)\s+(?:i|we)\s+(?:have\s+|got\s+)?(?:on|planned|booked)|"
    r"on\s+my\s+(?:calendar|diary|schedule|agenda))\b",
    re.IGNORECASE,
)
"""A question about what is planned, with no day named ("what plans do i have?", "anything
coming up?"): it asks about the next :data:`UPCOMING_DAYS` days."""
UPCOMING_DAYS = 180
_RECURRING = re.compile(
    r"\b(?:(?:birthday|bday|b-day|anniversary)(?:'s|’s|\s+is|\s+was|\s+falls|\s*:|\s+on)|born|"
    r"every|each|annual|annually|yearly|usually)\b",
    re.IGNORECASE,
)
"""Words of a date that comes round every year ("my birthday is march 14th"): no year is
put to it ("mum's 60th birthday party is on 13th feb" is one day)."""
_ASIDE = re.compile(r"\([^()]{0,80}\)")
"""An aside in brackets ("my mum (her name's linda btw) had a fall on tuesday"): what tense
the sentence tells is read without it."""
_PLANNED = re.compile(
    r"\b(?:i'?ve\s+|we'?ve\s+|i\s+have\s+|we\s+have\s+)?got\s+(?:tickets?\b|(?:a|an|my|our|the)\b"
    r"(?=[^.!?]{0,40}?\b(?:appointment|appt|flight|test|exam|interview|tickets?|meeting|booking|"
    r"reservation|scan|check-?up|gig|concert|match|trip|holiday|dentist|doctor|gp|vet|physio|"
    r"haircut|smear|surgery|operation|op|session|class|course|shift)s?\b))",
    re.IGNORECASE,
)
"""A plan had, not an act done: "got a flight to lisbon on the 3rd of may", "i've got a smear
test on the 9th of jan" tell of days to come."""
_MONTH_PREFIXES = {name[:3].lower(): n for n, name in enumerate(calendar.month_name) if name}
_NOTED_APART = re.compile(f"({_NOTE.pattern})")
"""The dates this module put, kept apart when a text is dated again."""


def _month_number(word: str) -> int:
    """1–12 for a month written out or shortened ("march", "mar", "sept")."""
    return _MONTH_PREFIXES[word.lower().rstrip(".")[:3]]


def anchored(text: str, said: datetime) -> str:
    """``text`` with each day it names relative to ``said`` (the local time it was written),
    and each day of a month it names without a year, followed by its date in brackets;
    unchanged where it names none."""
    today = said.date()
    told = _PLANNED.sub(" ", _ASIDE.sub(" ", text))  # "(her name's linda btw)", "got a flight"
    past = bool(_PAST.search(told)) and not _TO_COME.search(told)

    def dated(match: re.Match[str]) -> str:
        note = _date_of(match, today, _told_past(match, past))
        return f"{match.group(0)} ({note})" if note else match.group(0)

    text = _RELATIVE.sub(dated, text)
    if _RECURRING.search(text):
        return text

    def of_the_month(match: re.Match[str]) -> str:
        month = match["month"] or match["month_first"]
        if month.lower() == "may" and match["month_first"] and not match["ordinal"]:
            return match.group(0)  # "you may 2 …": only "may 3rd" is a day
        day = int(match["day"] or match["day_after"])
        note = _day_of_month(day, month, today, _told_past(match, past))
        return f"{match.group(0)} ({note})" if note else match.group(0)

    pieces = _NOTED_APART.split(text)  # the dates put already are left as they are
    return "".join(p if n % 2 else _CALENDAR.sub(of_the_month, p) for n, p in enumerate(pieces))


CLAUSE_SPAN = 160
"""How far either side of a date its clause is read (a long text is never read whole for
each date it names)."""
_CLAUSE_EDGE = re.compile(r"[,;]|\s[-–—]\s|\b(?:and|but|then|so)\b", re.IGNORECASE)
_GOING_ON = re.compile(
    r"^\s*(?:(?:we're|we are|i'm|im|i am|they're|she's|he's)\s+)?[^\W\d_]{3,}ing\s"
    r"|^\s*(?:(?:i|we|they|she|he)\s+)?(?:have|has|need|needs)\s",
    re.IGNORECASE,
)
"""A clause that opens with what is under way or to come ("closing on the 18th", "we're
flying out on the 9th", "… and have a check-up on the 20th")."""


_MOVED = (
    r"\b(?:moved|pushed|postponed|rescheduled|shifted|bumped|changed|put\s+(?:off|back)|"
    r"brought\s+forward)\b[^.;!?]*"
)
_MOVED_TO = re.compile(_MOVED + r"\b(?:to|till|until)\s+(?:the\s+|next\s+)?$", re.IGNORECASE)
_MOVED_TO_THE = re.compile(_MOVED + r"$", re.IGNORECASE)
_TO = re.compile(r"(?:to|till|until)\s", re.IGNORECASE)
"""A plan moved to a day: the day is to come, whatever the tense ("got moved to the 17th")."""


def _told_past(match: re.Match[str], past: bool) -> bool:
    """Whether the clause around a date tells of the past: its own verbs where it has any
    ("we just bought our first house, closing on the 18th": the 18th to come), else the
    whole text's (``past``)."""
    text = match.string
    before = max(0, match.start() - CLAUSE_SPAN)
    starts = [m.end() for m in _CLAUSE_EDGE.finditer(text, before, match.start())]
    start = starts[-1] if starts else before
    edge = _CLAUSE_EDGE.search(text, match.end(), match.end() + CLAUSE_SPAN)
    end = edge.start() if edge else min(len(text), match.end() + CLAUSE_SPAN)
    clause = _PLANNED.sub(" ", _ASIDE.sub(" ", text[start:end]))
    if _GOING_ON.match(clause) or _TO_COME.search(clause):
        return False
    if _MOVED_TO.search(text, start, match.start()) or (
        _TO.match(match.group(0)) and _MOVED_TO_THE.search(text, start, match.start())
    ):
        return False  # "the dentist moved my appointment to jan 19th": a day to come
    if _PAST.search(clause):
        return True
    return past


def _day_of_month(day: int, month: str, today: date, past: bool) -> str:
    """The date a day of a month names: the next one from today (the last one, where the
    sentence tells of the past); ``""`` for no such day."""
    number = _month_number(month)
    years = (today.year, today.year - 1) if past else (today.year, today.year + 1)
    for year in years:
        try:
            candidate = date(year, number, day)
        except ValueError:
            return ""
        if (candidate <= today) if past else (candidate >= today):
            return _day(candidate)
    return ""


def plain(text: str) -> str:
    """``text`` without the dates :func:`anchored` added."""
    return _NOTE.sub("", text)


def _weekday(word: str) -> int:
    """Monday 0 … Sunday 6, for a weekday written out or as chat types it ("thurs")."""
    word = word.lower()
    return _WEEKDAYS.index(_SHORT_WEEKDAYS.get(word, word))


def _date_of(match: re.Match[str], today: date, past: bool) -> str:
    """The date a relative expression names, in words; ``""`` where it names none."""
    if word := match.group("day"):
        word = " ".join(word.lower().split())
        word = _SHORT.get(word, word)
        shift = {
            "the day after tomorrow": 2,
            "the day before yesterday": -2,
            "tomorrow": 1,
            "yesterday": -1,
        }.get(word, 0)
        return _day(today + timedelta(days=shift))
    if match.group("part"):  # "last night", "this morning"
        back = match.group("part_which").lower() == "last"
        return _day(today - timedelta(days=1 if back else 0))
    if weekday := match.group("moved_to"):  # "moved my physio to wednesday": the coming one
        return _day(today + timedelta(days=(_weekday(weekday) - today.weekday()) % 7 or 7))
    if weekday := match.group("bare_week"):  # "monday week": a week after the coming one
        return _day(today + timedelta(days=(_weekday(weekday) - today.weekday()) % 7 + 7))
    if nth := match.group("nth"):
        return _nth(int(nth), today, past)
    if weekday := match.group("wd"):
        which = " ".join(match.group("which").lower().split())
        wanted = _weekday(weekday)
        if which == "last":
            return _day(today - timedelta(days=(today.weekday() - wanted) % 7 or 7))
        ahead = (wanted - today.weekday()) % 7
        return _day(today + timedelta(days=ahead or (7 if which == "next" else 0)))
    if weekday := match.group("bare"):
        wanted = _weekday(weekday)
        if past and match.group("lead").lower() in ("on", "before", "after"):
            return _day(today - timedelta(days=(today.weekday() - wanted) % 7))
        week = 7 if match.group("week") else 0  # "on monday week"
        return _day(today + timedelta(days=(wanted - today.weekday()) % 7 + week))
    if unit := match.group("unit"):
        return _span(match.group("span").lower(), unit.lower(), today)
    if unit := match.group("ahead"):
        return _moved(_count(match.group("ahead_n")), unit.lower(), today)
    if unit := match.group("back"):
        return _moved(-_count(match.group("back_n")), unit.lower(), today)
    return ""


def _nth(day: int, today: date, past: bool) -> str:
    """The date "the 22nd" names: the next one from today (or the last one, where the
    sentence tells of the past); ``""`` for no day of a month."""
    if not 1 <= day <= 31:
        return ""
    year, month = today.year, today.month
    for _ in range(12):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if (candidate <= today) if past else (candidate >= today):
                return _day(candidate)
        month += -1 if past else 1
        if month in (0, 13):
            year, month = year + (1 if month == 13 else -1), 12 if month == 0 else 1
    return ""


def _span(which: str, unit: str, today: date) -> str:
    step = {"this": 0, "next": 1, "last": -1}[which]
    if unit == "year":
        return str(today.year + step)
    if unit == "month":
        month = today.month - 1 + step
        return f"{calendar.month_name[month % 12 + 1]} {today.year + month // 12}"
    monday = today - timedelta(days=today.weekday())
    if unit == "week":
        return "week of " + _day(monday + timedelta(weeks=step))
    if step == 1:
        return ""  # "next weekend": the coming one to some, the one after to others
    saturday = monday + timedelta(days=5, weeks=step)
    sunday = saturday + timedelta(days=1)
    if saturday.month == sunday.month:
        return f"weekend of {saturday.day}–{_day(sunday)}"
    if saturday.year == sunday.year:
        return f"weekend of {saturday.day} {calendar.month_name[saturday.month]} – {_day(sunday)}"
    return f"weekend of {_day(saturday)} – {_day(sunday)}"


def _moved(count: int, unit: str, today: date) -> str:
    if unit == "day":
        return _day(today + timedelta(days=count))
    if unit == "week":
        return "around " + _day(today + timedelta(weeks=count))
    if unit == "month":
        month = today.month - 1 + count
        return f"around {calendar.month_name[month % 12 + 1]} {today.year + month // 12}"
    return f"around {today.year + count}"


def _count(said: str) -> int:
    said = " ".join(said.lower().split())
    return int(said) if said.isdigit() else _NUMBERS[said]


def _day(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


_NOTED = re.compile(
    r"\((?P<kind>week of |weekend of |around )?(?P<day>\d{1,2})?(?:–\d{1,2})?\s?"
    r"(?P<month>" + _MONTH_NAMES + r")?\s?(?:(?:\d{4} )?– \d{1,2} (?:" + _MONTH_NAMES + r") )?"
    r"(?P<year>\d{4})\)"
)
"""A date :func:`anchored` wrote, read back: its kind, day, month and year."""
_WRITTEN = re.compile(
    rf"(?<![\d/.(-])\b(?P<day>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<month>{_MONTH_WORD}),?\s+"
    r"(?P<year>(?:19|20)\d{2})\b(?!\))",
    re.IGNORECASE,
)
"""A day written with its year, which :func:`anchored` leaves as it is: "12 june 2027"."""
Span = tuple[date, date]


def noted_spans(text: str) -> list[Span]:
    """The days each date :func:`anchored` wrote into ``text`` covers, first to last: "(8
    December 2026)" one day, "(week of 7 December 2026)" seven, "(December 2026)" a month;
    a year alone or an "around" says too little and is left out. A day written with its year
    ("on 12 june 2027"), which is not anchored, is one day too."""
    spans: list[Span] = []
    for m in _NOTED.finditer(text):
        if m["kind"] == "around " or not m["month"]:
            continue
        year, month = int(m["year"]), _month_number(m["month"])
        if not m["day"]:
            spans.append(
                (date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
            )
            continue
        try:
            first = date(year, month, int(m["day"]))
        except ValueError:
            continue
        length = {"week of ": 6, "weekend of ": 1}.get(m["kind"] or "", 0)
        spans.append((first, first + timedelta(days=length)))
    for m in _WRITTEN.finditer(text):
        try:
            day = date(int(m["year"]), _month_number(m["month"]), int(m["day"]))
        except ValueError:
            continue
        spans.append((day, day))
    return spans


def asked_span(question: str, today: date) -> Span | None:
    """The days a question asks about ("what have I got on next week?", "anything on the
    16th?", "what am I doing tomorrow?"), first to last; None when it names none."""
    question = anchored(question, datetime.combine(today, datetime.min.time()))

    def whole(match: re.Match[str]) -> str:
        number = _month_number(match["month"])
        year = today.year + (number < today.month)  # the coming one
        return f"{match.group(0)} ({calendar.month_name[number]} {year})"

    spans = noted_spans(_MONTH_ALONE.sub(whole, question))
    if not spans and _UPCOMING.search(question):  # "what plans do i have?"
        return today, today + timedelta(days=UPCOMING_DAYS)
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def month_words(span: Span) -> list[str]:
    """The months and years a span touches, as :func:`anchored` writes them ("December
    2026"), for finding the facts dated in it."""
    found: list[str] = []
    day = span[0].replace(day=1)
    while day <= span[1]:
        found.append(f"{calendar.month_name[day.month]} {day.year}")
        day = (day + timedelta(days=32)).replace(day=1)
    return found
