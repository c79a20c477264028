"""Whether to write first, and what: the check-in decision, as pure functions of one
:class:`Moment` (everything the decision looks at, read once per look).

Restraint comes first and is never outweighed: check-ins off, paused (``/quiet``), quiet
hours, a conversation going on, the day's cap, and a back-off that grows with each check-in
left unanswered. Only then is anything scored: an occasion today ("good luck") or just past
("how did it go?"), unmet needs, a silence much longer than the user's usual; scaled by the
time of day, extraversion and how the user took earlier check-ins. Above the threshold, a
short message is drafted from templates filled from memory (a model may rewrite it).

Usage::

    decision = decide(settings.checkins, moment)
    if decision.chosen is not None:
        text = draft(decision.chosen, now=now, name="Anna")
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from assistant.companion.occasions import Occasion
from assistant.settings import CheckinSettings
from assistant.store.checkins import CheckIn, CheckIns

if TYPE_CHECKING:
    from assistant.core import Assistant

HOUR = 3600.0
BACKOFF_HOURS = (3.0, 12.0, 48.0, 96.0)
"""Hours to wait after the last check-in, by how many in a row went unanswered; after
:data:`GIVE_UP` unanswered ones, none until the user writes again."""
GIVE_UP = len(BACKOFF_HOURS)
ANSWERED_WITHIN = 12 * HOUR
"""A check-in is answered by a message from the user within this many seconds."""
USUAL_FLOOR = 12 * HOUR
"""The shortest "usual" silence: sleeping through a night is never unusual."""
EVENT_SCORE = 0.9
FOLLOW_UP_SCORE = 0.75
OUTGOING = ("social", "intellectual", "creative")
"""The needs that reaching out meets (rest is met by quiet, never by writing)."""
TOLD_BEFORE = 3 * HOUR
"""A "good luck" needs the occasion told at least this long before (just told, it is in
the conversation already)."""


class NeedsView(Protocol):
    """The companion's needs at one moment (``assistant.companion.needs.Needs``)."""

    @property
    def levels(self) -> dict[str, float]:
        """Each need's level, 0 (pressing) to 1 (met)."""
        ...

    def unmet(self, threshold: float = ...) -> list[str]:
        """The needs below ``threshold``, most pressing first."""
        ...

    def pressure(self) -> float:
        """How much the unmet needs push to reach out, 0..1."""
        ...


@dataclass(frozen=True)
class Moment:
    """What one look at whether to write first sees."""

    now: datetime
    """Local time, timezone-aware."""
    extraversion: float = 0.5
    needs: NeedsView | None = None
    occasions: Sequence[Occasion] = ()
    done: frozenset[str] = frozenset()
    """Keys of the check-ins already written (each is written once)."""
    last_activity: float | None = None
    """When the user last wrote or used a front-end (epoch seconds)."""
    messages: Sequence[float] = ()
    """When the user wrote over the last weeks, oldest first (epoch seconds)."""
    recent: Sequence[CheckIn] = ()
    """The check-ins of the last weeks, oldest first."""
    paused_until: float | None = None

    @property
    def at(self) -> float:
        """``now`` in epoch seconds."""
        return self.now.timestamp()


@dataclass(frozen=True)
class Candidate:
    """A reason to write, scored."""

    kind: str
    key: str
    score: float
    reasons: tuple[str, ...]
    parts: dict[str, float] = field(default_factory=dict)
    occasion: Occasion | None = None
    expires: float = 0.0
    need: str = ""
    """The most pressing need it answers (``social``, ``intellectual``, ``creative``)."""


@dataclass(frozen=True)
class Decision:
    """The outcome of one look: what to write, or why not."""

    chosen: Candidate | None
    held: str = ""
    """The restraint that applied (empty when none did)."""
    threshold: float = 0.0
    gap: float = 0.0
    """Seconds that must separate two check-ins now (the back-off)."""
    candidates: tuple[Candidate, ...] = ()


def journal(assistant: Assistant) -> CheckIns:
    """The home's record of check-ins (each with why it was sent) and of ``/quiet`` pauses."""
    return CheckIns(assistant.db)


def decide(settings: CheckinSettings, moment: Moment) -> Decision:
    """Whether to write now, and about what: restraint first, then the best candidate
    above the threshold (raised a little by each check-in left unanswered)."""
    unanswered = unanswered_streak(moment)
    gap = BACKOFF_HOURS[min(unanswered, GIVE_UP - 1)] * HOUR
    held = held_back(settings, moment, unanswered, gap)
    if held:
        return Decision(None, held, gap=gap)
    threshold = min(1.0, settings.threshold + 0.05 * unanswered)
    found = tuple(sorted(candidates(moment), key=lambda c: -c.score))
    chosen = next((c for c in found if c.score >= threshold), None)
    held = "" if chosen else "nothing worth writing about"
    return Decision(chosen, held, threshold, gap, found)


def held_back(settings: CheckinSettings, moment: Moment, unanswered: int, gap: float) -> str:
    """The restraint that keeps the assistant quiet now; empty when none does."""
    now = moment.at
    if not settings.enabled or settings.per_day == 0:
        return "check-ins are off"
    if moment.paused_until is not None and moment.paused_until > now:
        return "paused (/quiet)"
    if in_quiet_hours(settings, moment.now):
        return "quiet hours"
    conversation = settings.conversation_minutes * 60
    if moment.last_activity is not None and now - moment.last_activity < conversation:
        return "a conversation is going on"
    start = day_start(moment.now).timestamp()
    today = [c for c in moment.recent if c.created >= start]
    if len(today) >= settings.per_day:
        return f"{len(today)} check-ins today already"
    if unanswered >= GIVE_UP:
        return f"the last {unanswered} check-ins went unanswered: waiting for the user"
    last = moment.recent[-1].created if moment.recent else None
    if last is not None and now - last < gap:
        if unanswered:
            return f"backing off: {unanswered} unanswered, waiting {gap / HOUR:.0f} h"
        return "a check-in was sent lately"
    return ""


def in_quiet_hours(settings: CheckinSettings, now: datetime) -> bool:
    """Whether local time ``now`` falls in the quiet hours."""
    quiet = settings.quiet()
    if quiet is None:
        return False
    start, end = quiet
    minute = now.hour * 60 + now.minute
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end


def day_start(now: datetime) -> datetime:
    """Local midnight starting the day of ``now``."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def unanswered_streak(moment: Moment) -> int:
    """How many check-ins in a row, the latest last, the user has not answered (no message
    from them within :data:`ANSWERED_WITHIN` of it, before the next one)."""
    streak = 0
    for checkin in reversed(moment.recent):
        if answered(checkin, moment):
            break
        if moment.at - checkin.created < ANSWERED_WITHIN and checkin is moment.recent[-1]:
            continue  # still time to answer: it neither counts nor breaks the streak
        streak += 1
    return streak


def answered(checkin: CheckIn, moment: Moment) -> bool:
    """Whether the user wrote within :data:`ANSWERED_WITHIN` after ``checkin``."""
    until = checkin.created + ANSWERED_WITHIN
    return any(checkin.created < at <= until for at in moment.messages)


def answered_share(moment: Moment) -> float:
    """The share of the last six check-ins (old enough to judge) the user answered; 1.0
    when there are none yet."""
    judged = [c for c in moment.recent if moment.at - c.created >= ANSWERED_WITHIN][-6:]
    if not judged:
        return 1.0
    return sum(answered(c, moment) for c in judged) / len(judged)


def usual_silence(messages: Sequence[float]) -> float | None:
    """How long the user usually goes without writing between conversations (the median
    gap of over two hours, at least :data:`USUAL_FLOOR`); None with too little history."""
    gaps = [b - a for a, b in zip(messages, messages[1:], strict=False) if b - a > 2 * HOUR]
    if len(gaps) < 3:
        return None
    return max(statistics.median(gaps), USUAL_FLOOR)


def time_of_day(now: datetime) -> float:
    """How welcome a message is at this hour: mornings and early evenings most."""
    hour = now.hour
    if 9 <= hour < 12 or 17 <= hour < 20:
        return 1.0
    if 12 <= hour < 14:
        return 0.8
    if 14 <= hour < 17:
        return 0.7
    return 0.6


def candidates(moment: Moment) -> list[Candidate]:
    """Every reason to write now, scored 0..1."""
    share = answered_share(moment)
    warmth = 0.9 + 0.2 * moment.extraversion
    found = [
        c
        for o in moment.occasions
        for c in (_before(o, moment, share, warmth), _after(o, moment, share, warmth))
        if c is not None and c.key not in moment.done
    ]
    general = _general(moment, share)
    if general is not None and general.key not in moment.done:
        found.append(general)
    return found


def _before(o: Occasion, moment: Moment, share: float, warmth: float) -> Candidate | None:
    """Good luck today: on the occasion's day, in the morning, before it starts (one a day,
    however many occasions it has)."""
    now = moment.now
    ends = o.at - timedelta(minutes=30) if o.timed else o.day.replace(hour=12)
    if not o.day <= now < ends or moment.at - o.said.timestamp() < TOLD_BEFORE:
        return None
    score = EVENT_SCORE * warmth * (0.7 + 0.3 * share) + _named(o)
    when = f" at {o.at:%H:%M}" if o.timed else ""
    reason = f"{_what(o)} is today{when} (told on {o.said:%a %d %b})"
    parts = {"occasion": EVENT_SCORE, "warmth": warmth, "answered": share}
    key = f"before:{o.day:%Y-%m-%d}"
    return Candidate("event", key, score, (reason,), parts, o, ends.timestamp())


def _after(o: Occasion, moment: Moment, share: float, warmth: float) -> Candidate | None:
    """How did it go: from a couple of hours after it until the next evening (one for each
    day that had occasions)."""
    now = moment.now
    starts = o.at + timedelta(hours=2) if o.timed else o.day.replace(hour=17)
    ends = o.day + timedelta(days=1, hours=21)
    if not starts <= now < ends:
        return None
    score = FOLLOW_UP_SCORE * warmth * (0.7 + 0.3 * share) + _named(o)
    day = "today" if now.date() == o.day.date() else f"on {o.at:%A}"
    reason = f"{_what(o)} was {day}: asking how it went"
    parts = {"occasion": FOLLOW_UP_SCORE, "warmth": warmth, "answered": share}
    key = f"after:{o.day:%Y-%m-%d}"
    return Candidate("follow_up", key, score, (reason,), parts, o, ends.timestamp())


def _general(moment: Moment, share: float) -> Candidate | None:
    """Reaching out for no occasion (one a day at most): unmet needs, or a silence much
    longer than usual; less when the user wrote lately, and never to someone who has not
    written at all in the weeks looked at."""
    if not moment.messages:
        return None
    reasons = []
    needs, need = 0.0, ""
    if moment.needs is not None:
        needs = max(0.0, min(1.0, (moment.needs.pressure() - 0.35) / 0.5)) * 0.8
        unmet = [n for n in moment.needs.unmet() if n in OUTGOING]
        need = unmet[0] if unmet else ""
        if needs > 0 and unmet:
            reasons.append("unmet needs: " + ", ".join(unmet))
        elif needs > 0:
            reasons.append("needs low overall")
    silence = 0.0
    usual = usual_silence(moment.messages)
    last = moment.messages[-1]
    if usual is not None:
        ratio = (moment.at - last) / usual
        silence = 0.6 * max(0.0, min(1.0, (ratio - 2.0) / 4.0))
        if silence > 0:
            days = (moment.at - last) / 86400
            reasons.append(f"quiet for {days:.1f} days, usually {usual / 86400:.1f}")
    if needs <= 0 and silence <= 0:
        return None
    base = 1.0 - (1.0 - needs) * (1.0 - silence)
    hour = time_of_day(moment.now)
    extraversion = 0.75 + 0.5 * moment.extraversion
    engagement = 0.7 + 0.3 * share
    lately = min(1.0, 0.5 + (moment.at - last) / (48 * HOUR))
    score = base * hour * extraversion * engagement * lately
    if hour >= 1.0:
        reasons.append(f"a good hour ({moment.now:%H:%M})")
    kind = "silence" if silence >= needs else "needs"
    parts = {
        "needs": round(needs, 3),
        "silence": round(silence, 3),
        "hour": hour,
        "extraversion": round(extraversion, 3),
        "answered": round(share, 3),
        "lately": round(lately, 3),
    }
    key = f"general:{moment.now:%Y-%m-%d}"
    expires = moment.at + 2 * HOUR
    return Candidate(kind, key, score, tuple(reasons), parts, None, expires, need)


def _named(o: Occasion) -> float:
    """A little more for an occasion whose words make a phrase and that has a time: of two
    told about one day, the clearer one is written about."""
    return 0.02 * bool(o.thing) + 0.01 * o.timed


def _what(o: Occasion) -> str:
    return o.thing or f"what you told me about (“{o.text}”)"


def draft(candidate: Candidate, *, now: datetime, name: str = "", avoid: Sequence[str] = ()) -> str:
    """The check-in, from templates filled from memory: the occasion's words, or someone in
    the user's life (``name``); not a line said in the latest check-ins (``avoid``)."""
    o = candidate.occasion
    if candidate.kind == "event" and o is not None:
        if o.thing.startswith("your "):
            return f"Good luck with {o.thing} today! I'll be thinking of you."
        if o.thing:
            return f"Today's the day: {o.thing}. Have a good one!"
        return f"Today's the day you told me about (“{o.text}”). Good luck!"
    if candidate.kind == "follow_up" and o is not None:
        if o.thing.startswith("your "):
            return f"How did {o.thing} go?"
        if o.thing:
            return f"How was it, {o.thing}?"
        return f"How did it go? You'd told me: “{o.text}”."
    hello = "Good morning!" if now.hour < 12 else "Hi!"
    if candidate.kind == "silence":
        lines = list(_SILENCE)
    else:
        lines = list(_ASKING.get(candidate.need, ()))
        if name:
            lines.append(f"How are you doing? And how's {name}?")
        lines += _ASKING["social"]
    fresh = [line for line in lines if not any(line in said for said in avoid)]
    return f"{hello} {(fresh or lines)[0]}"


_SILENCE = (
    "It's been a few days. How are things with you?",
    "I haven't heard from you in a while. All good?",
)
_ASKING = {
    "intellectual": (
        "Read or thought about anything interesting lately?",
        "Learned anything new this week? I'm curious.",
    ),
    "creative": (
        "Have you been making anything lately? I'd love to hear about it.",
        "Working on anything fun these days?",
    ),
    "social": (
        "How's your day going?",
        "Just checking in: how are things?",
        "How are you doing today?",
    ),
}


def reason_line(decision: Decision) -> str:
    """Why the chosen check-in was sent, in one line."""
    chosen = decision.chosen
    assert chosen is not None
    why = "; ".join(chosen.reasons) or chosen.kind
    return f"{why} (score {chosen.score:.2f} over a threshold of {decision.threshold:.2f})"
