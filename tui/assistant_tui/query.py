"""What the browser's search box says: free text plus filters and a sort order.

Filters are written as ``key:value`` words, so the box always shows what is applied and
every filter is a few keystrokes away::

    hiking type:episodic #outdoors after:30d imp:>=7 is:important sort:importance

Keys: ``type``, ``tag`` (or ``#tag``), ``is`` (active, replaced, forgotten, all,
important), ``after`` / ``before`` (``2026``, ``2026-03``, ``2026-03-14``, ``today``,
``yesterday``, or ``7d``, ``2w``, ``3m``, ``1y`` ago), ``imp`` (``7``, ``>=7``, ``<3``,
``3-6``), ``sort`` (relevance, recent, importance, used), ``id`` (one memory) and
``project`` (a project's memories: ``project:Apollo``, an ``_`` for each space in the name;
``project:none`` for the global ones).
A word with an unknown key is plain text; a known key with a bad value is a problem the
browser shows, and the word is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from assistant.memory_types import MemoryFilter, MemoryType, Status


class Sort(StrEnum):
    """The browser's orders; ``relevance`` only means something for a search."""

    RELEVANCE = "relevance"
    RECENT = "recent"
    IMPORTANCE = "importance"
    USED = "used"


DEFAULT_STATUSES = (Status.ACTIVE, Status.SUPERSEDED)
"""What the list shows without an ``is:`` filter: current memories and what they replaced."""

_STATUS_WORDS = {
    "active": (Status.ACTIVE,),
    "current": (Status.ACTIVE,),
    "replaced": (Status.SUPERSEDED,),
    "superseded": (Status.SUPERSEDED,),
    "forgotten": (Status.ARCHIVED,),
    "archived": (Status.ARCHIVED,),
    "all": tuple(Status),
}
_KEYS = {
    "type",
    "tag",
    "is",
    "after",
    "since",
    "before",
    "until",
    "imp",
    "importance",
    "sort",
    "id",
    "project",
}
_NO_PROJECT = frozenset({"none", "global", "-"})
_WORD = re.compile(r"(?P<key>[a-z]+):(?P<value>\S*)|#(?P<tag>[^\s#]+)", re.IGNORECASE)
_AGO = re.compile(r"(\d{1,4})([dwmy])")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)")
_BOUND = re.compile(r"(>=|<=|>|<|=)?\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Query:
    """A parsed search box."""

    text: str = ""
    where: MemoryFilter = field(default_factory=lambda: MemoryFilter(statuses=DEFAULT_STATUSES))
    sort: Sort | None = None
    """None: relevance for a search, newest first for a listing."""
    memory_id: str = ""
    problems: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    """The filter words that took effect, for the status line."""

    @property
    def order(self) -> Sort:
        """The order in effect."""
        if self.sort is None or (self.sort is Sort.RELEVANCE and not self.text):
            return Sort.RELEVANCE if self.text else Sort.RECENT
        return self.sort


def parse(raw: str, now: datetime | None = None) -> Query:
    """Split the search box into text, filters and an order (``now`` is local time)."""
    now = now or datetime.now().astimezone()
    words: list[str] = []
    problems: list[str] = []
    applied: list[str] = []
    fields: dict[str, object] = {}
    types: list[MemoryType] = []
    tags: list[str] = []
    statuses: list[Status] = []
    sort: Sort | None = None
    memory_id = ""
    projects: list[str] = []
    for word in raw.split():
        match = _WORD.fullmatch(word)
        if match is None or (match["key"] and match["key"].lower() not in _KEYS):
            words.append(word)
            continue
        key = (match["key"] or "tag").lower()
        value = match["value"] if match["key"] else match["tag"]
        if not value:
            continue  # still being typed
        problem = None
        if key == "type":
            found = [t for t in MemoryType if t.value.startswith(value.lower())]
            if len(found) == 1:
                types.append(found[0])
            else:
                problem = f"type:{value}? one of {', '.join(t.value for t in MemoryType)}"
        elif key == "tag":
            tags.append(value.lstrip("#"))
        elif key == "is":
            if value.lower() == "important":
                fields["important"] = True
            elif value.lower() in _STATUS_WORDS:
                statuses += _STATUS_WORDS[value.lower()]
            else:
                problem = f"is:{value}? one of important, {', '.join(_STATUS_WORDS)}"
        elif key in ("after", "since", "before", "until"):
            start = _date(value, now)
            if start is None:
                problem = f"{key}:{value}? a date such as 2026-03, 2026-03-14, today or 30d"
            elif key in ("after", "since"):
                fields["since"] = start
            else:
                fields["until"] = start - timedelta(microseconds=1)
        elif key in ("imp", "importance"):
            bounds = _importance(value)
            if bounds is None:
                problem = f"{key}:{value}? a number 0–10, such as 7, >=7, <3 or 3-6"
            else:
                fields["min_importance"], fields["max_importance"] = bounds
        elif key == "sort":
            found_sorts = [s for s in Sort if s.value.startswith(value.lower())]
            if len(found_sorts) == 1:
                sort = found_sorts[0]
            else:
                problem = f"sort:{value}? one of {', '.join(s.value for s in Sort)}"
        elif key == "id":
            memory_id = value
        elif key == "project":
            projects.append("" if value.lower() in _NO_PROJECT else value.replace("_", " "))
        if problem:
            problems.append(problem)
        else:
            applied.append(word)
    where = MemoryFilter(
        types=tuple(dict.fromkeys(types)),
        tags=tuple(dict.fromkeys(tags)),
        statuses=tuple(dict.fromkeys(statuses)) or DEFAULT_STATUSES,
        projects=tuple(dict.fromkeys(projects)),
    )
    where = replace(where, **fields)  # type: ignore[arg-type]
    return Query(" ".join(words), where, sort, memory_id, tuple(problems), tuple(applied))


def with_projects(query: Query, name_of: Callable[[str], str]) -> Query:
    """``query`` with each ``project:`` name as the project is spelled (``name_of`` finds it
    whatever the case, or raises); a name no project has is a problem shown, and dropped."""
    if not query.where.projects:
        return query
    names: list[str] = []
    problems = list(query.problems)
    for typed in query.where.projects:
        try:
            names.append(name_of(typed) if typed else "")
        except Exception:  # noqa: BLE001 - any failure to find it is the same to the user
            problems.append(f"project:{typed.replace(' ', '_')}? no such project")
    if not names:  # every name was unknown: show nothing rather than everything
        names = ["\x00"]
    where = replace(query.where, projects=tuple(names))
    return replace(query, where=where, problems=tuple(problems))


def _date(value: str, now: datetime) -> datetime | None:
    """The start of the day, month or year ``value`` names, in local time."""
    value = value.lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if value == "today":
        return midnight
    if value == "yesterday":
        return midnight - timedelta(days=1)
    ago = _AGO.fullmatch(value)
    if ago:
        count, unit = int(ago[1]), ago[2]
        days = count * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
        return now - timedelta(days=days)
    for pattern in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=now.tzinfo)
    return None


def _importance(value: str) -> tuple[float | None, float | None] | None:
    """``(min, max)`` importance from ``7`` (at least 7), ``>=7``, ``<3``, ``3-6``."""
    span = _RANGE.fullmatch(value)
    if span:
        low, high = sorted((float(span[1]), float(span[2])))
        return (low, high) if high <= 10 else None
    bound = _BOUND.fullmatch(value)
    if bound is None or float(bound[2]) > 10:
        return None
    number, op = float(bound[2]), bound[1] or ">="
    return {
        ">=": (number, None),
        ">": (number + 1e-9, None),
        "<=": (None, number),
        "<": (None, number - 1e-9),
        "=": (number, number),
    }[op]


def with_word(raw: str, key: str, value: str | None) -> str:
    """The search box with its ``key:`` word set to ``value`` (removed when None): how
    the sort key edits the box the user sees."""
    kept = [w for w in raw.split() if not w.lower().startswith(f"{key}:")]
    if value:
        kept.append(f"{key}:{value}")
    return " ".join(kept) + (" " if kept else "")


def describe(query: Query) -> str:
    """The filters and order in effect, for the status line."""
    parts = [p for p in query.filters if not p.lower().startswith("sort:")]
    return " · ".join([*parts, f"sorted by {query.order.value}"])
