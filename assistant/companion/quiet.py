"""``/quiet`` and ``/why`` in chat: pause check-ins for a while (or until said otherwise),
and say why the last one was sent.

Usage::

    add_checkin_commands(commands, CheckIns(assistant.db), settings.checkins)
    # /quiet          no check-ins until /quiet off
    # /quiet 3h       for three hours (also 30m, 2d, 1w, "until tomorrow")
    # /quiet off      check-ins again
    # /why            why the last check-in was sent
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime

from assistant.actions import Origin
from assistant.conversation.commands import Commands
from assistant.errors import InvalidInputError
from assistant.settings import CheckinSettings
from assistant.store.checkins import CheckIns
from assistant.when import parse_when

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
_SPAN = re.compile(
    r"^(?:for\s+)?(\d+(?:\.\d+)?)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$",
    re.IGNORECASE,
)
_OFF = ("off", "stop", "end", "resume", "no")


def add_checkin_commands(
    commands: Commands,
    store: CheckIns,
    settings: CheckinSettings,
    *,
    clock: Callable[[], float] = time.time,
) -> None:
    """Register ``/quiet`` and ``/why`` with ``commands``."""

    def quiet(rest: str, origin: Origin) -> str:
        now = clock()
        words = rest.strip().lower()
        if words in _OFF:
            store.resume(now)
            return "Check-ins are back on. " + _limits(settings)
        if not words:
            store.pause(now, None)
            return "No check-ins until you say /quiet off. Reminders still arrive."
        until = quiet_until(words, now)
        store.pause(now, until)
        return f"No check-ins until {datetime.fromtimestamp(until):%a %d %b %H:%M}."

    def why(rest: str, origin: Origin) -> str:
        found = store.recent(1)
        if not found:
            if not settings.enabled:
                return "Check-ins are off ([checkins] enabled = false), so I never write first."
            return "I haven't written to you first yet."
        last = found[0]
        said = f"{datetime.fromtimestamp(last.created):%a %d %b %H:%M}"
        return f"I wrote “{last.text}” ({said}) because {last.reason}."

    commands.add("quiet", quiet, "/quiet [3h|off]               no check-ins (for a while)")
    commands.add("why", why, "/why                         why I wrote the last check-in")


def quiet_until(words: str, now: float) -> float:
    """The end of a pause said as ``3h``, ``30 minutes``, ``2d`` or ``until tomorrow``;
    raises InvalidInputError when the words say no time to come."""
    if m := _SPAN.match(words.strip()):
        seconds = float(m.group(1)) * _UNITS[m.group(2)[0].lower()]
        if seconds > 0:
            return now + seconds
    when, _ = parse_when(re.sub(r"^until\s+", "", words.strip()), datetime.fromtimestamp(now))
    if when is not None and when.timestamp() > now:
        return when.timestamp()
    raise InvalidInputError(
        f"I can't tell how long {words!r} is: try /quiet 3h, /quiet 2d, /quiet until "
        "tomorrow, or /quiet (until /quiet off)"
    )


def _limits(settings: CheckinSettings) -> str:
    quiet = settings.quiet()
    hours = ""
    if quiet is not None:
        start, end = quiet
        hours = f", never between {_clock(start)} and {_clock(end)}"
    if not settings.enabled or settings.per_day == 0:
        return "(They are turned off in config.toml: [checkins] enabled.)"
    return f"At most {settings.per_day} a day{hours}."


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
