"""The check-in decision as pure functions of one moment: restraint (quiet hours, the daily
cap, back-off, a conversation going on, /quiet, off), scoring and occasions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from assistant.companion.checkins import (
    Moment,
    decide,
    in_quiet_hours,
    unanswered_streak,
    usual_silence,
)
from assistant.companion.needs import Needs
from assistant.companion.occasions import occasions, phrase, read_occasion
from assistant.learning.dates import anchored
from assistant.memory_types import Memory
from assistant.settings import CheckinSettings
from assistant.store.checkins import CheckIn

ZONE = timezone(timedelta(hours=1))
MONDAY = datetime(2031, 3, 3, tzinfo=ZONE)
DAY = 86400.0
HOUR = 3600.0
ON = CheckinSettings()
LONELY = Needs({"social": 0.05, "intellectual": 0.2, "creative": 0.3, "rest": 0.6})
WROTE = [MONDAY.replace(hour=9).timestamp()]
"""The user last wrote on Monday morning."""
CONTENT = Needs({"social": 0.9, "intellectual": 0.9, "creative": 0.9, "rest": 0.9})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Local time on the ``day``-th day after Monday 3 March 2031."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def sent(when: datetime, kind: str = "needs") -> CheckIn:
    stamp = when.timestamp()
    return CheckIn(f"c{stamp:.0f}", stamp, kind, f"{kind}:{stamp:.0f}", "Hi!", "why", 0.6)


def daily_messages(until: datetime, days: int = 14) -> list[float]:
    """The user writes every morning and evening for ``days`` days before ``until``."""
    start = until - timedelta(days=days)
    found = []
    for d in range(days):
        for hour in (8, 20):
            found.append((start + timedelta(days=d)).replace(hour=hour).timestamp())
    return sorted(t for t in found if t < until.timestamp())


def memory(text: str, said: datetime) -> Memory:
    return Memory("M" + str(abs(hash(text)))[:8], text, created=said.astimezone(UTC))


class TestQuietHours:
    def test_the_default_wraps_past_midnight(self) -> None:
        assert in_quiet_hours(ON, at(0, 22, 0))
        assert in_quiet_hours(ON, at(0, 3, 0))
        assert in_quiet_hours(ON, at(0, 7, 59))
        assert not in_quiet_hours(ON, at(0, 8, 0))
        assert not in_quiet_hours(ON, at(0, 21, 59))

    def test_other_hours_and_none(self) -> None:
        lunch = CheckinSettings(quiet_hours="12:30-14:00")
        assert in_quiet_hours(lunch, at(0, 13, 0))
        assert not in_quiet_hours(lunch, at(0, 23, 0))
        assert not in_quiet_hours(CheckinSettings(quiet_hours=""), at(0, 3, 0))

    def test_nothing_is_sent_in_quiet_hours_however_strong_the_reason(self) -> None:
        told = memory("I have a job interview on Thursday at 7:30am.", at(0, 12))
        moment = Moment(
            now=at(3, 6, 30),
            extraversion=1.0,
            needs=LONELY,
            occasions=occasions([told], now=at(3, 6, 30)),
        )
        decision = decide(ON, moment)
        assert decision.chosen is None and decision.held == "quiet hours"


class TestRestraint:
    def test_a_lonely_morning_writes(self) -> None:
        decision = decide(ON, Moment(now=at(2, 10), needs=LONELY, extraversion=0.7, messages=WROTE))
        assert decision.chosen is not None and decision.chosen.kind == "needs"
        assert "social" in decision.chosen.reasons[0]

    def test_no_reaching_out_to_someone_who_never_wrote(self) -> None:
        decision = decide(ON, Moment(now=at(2, 10), needs=LONELY, extraversion=1.0))
        assert decision.chosen is None and decision.candidates == ()

    def test_the_user_writing_lately_weighs_against_it(self) -> None:
        def score(hours_ago: float) -> float:
            now = at(2, 10)
            wrote = [(now - timedelta(hours=hours_ago)).timestamp()]
            found = decide(ON, Moment(now=now, needs=LONELY, messages=wrote))
            return max(c.score for c in found.candidates)

        assert score(2) < score(12) < score(30)

    def test_content_needs_and_no_occasion_write_nothing(self) -> None:
        decision = decide(ON, Moment(now=at(2, 10), needs=CONTENT, extraversion=1.0))
        assert decision.chosen is None and decision.held == "nothing worth writing about"

    def test_never_during_a_conversation(self) -> None:
        now = at(2, 10)
        talking = Moment(
            now=now, needs=LONELY, last_activity=(now - timedelta(minutes=10)).timestamp()
        )
        assert decide(ON, talking).held == "a conversation is going on"
        earlier = Moment(
            now=now,
            needs=LONELY,
            last_activity=(now - timedelta(minutes=45)).timestamp(),
            messages=WROTE,
        )
        assert decide(ON, earlier).chosen is not None

    def test_at_most_per_day_a_local_day(self) -> None:
        now = at(2, 19)
        today = [sent(at(2, 9)), sent(at(2, 13))]
        capped = Moment(now=now, needs=LONELY, recent=today, messages=[at(2, 9, 5).timestamp()])
        assert decide(ON, capped).held == "2 check-ins today already"
        one_a_day = CheckinSettings(per_day=1)
        assert decide(one_a_day, Moment(now=now, needs=LONELY, recent=today[1:])).held
        yesterday = [sent(at(1, 9)), sent(at(1, 13))]
        answered = [at(1, 9, 5).timestamp(), at(1, 13, 5).timestamp()]
        fresh = Moment(now=now, needs=LONELY, recent=yesterday, messages=answered)
        assert decide(ON, fresh).chosen is not None

    def test_unanswered_check_ins_back_off_and_then_stop(self) -> None:
        now = at(6, 10)
        one = [sent(now - timedelta(hours=20))]
        assert unanswered_streak(Moment(now=now, recent=one)) == 1
        held = decide(ON, Moment(now=now - timedelta(hours=10), needs=LONELY, recent=one))
        assert held.chosen is None
        keen = Moment(now=now, needs=LONELY, recent=one, extraversion=1.0, messages=WROTE)
        after = decide(ON, keen)
        assert after.chosen is not None and after.threshold > ON.threshold
        two = [sent(now - timedelta(hours=70)), sent(now - timedelta(hours=40))]
        assert decide(ON, Moment(now=now, needs=LONELY, recent=two)).held.startswith("backing off")
        four = [sent(now - timedelta(days=d)) for d in (30, 20, 15, 10)]
        assert "unanswered" in decide(ON, Moment(now=now, needs=LONELY, recent=four)).held

    def test_an_answer_ends_the_back_off(self) -> None:
        now = at(6, 10)
        two = [sent(now - timedelta(hours=70)), sent(now - timedelta(hours=40))]
        replied = [(now - timedelta(hours=39)).timestamp()]
        moment = Moment(now=now, needs=LONELY, recent=two, messages=replied)
        assert unanswered_streak(moment) == 0
        assert decide(ON, moment).chosen is not None

    def test_a_fresh_check_in_is_not_yet_unanswered(self) -> None:
        now = at(2, 15)
        assert unanswered_streak(Moment(now=now, recent=[sent(at(2, 10))])) == 0

    def test_paused_and_off(self) -> None:
        now = at(2, 10)
        paused = Moment(now=now, needs=LONELY, paused_until=now.timestamp() + HOUR)
        assert decide(ON, paused).held == "paused (/quiet)"
        forever = Moment(now=now, needs=LONELY, paused_until=float("inf"))
        assert decide(ON, forever).held == "paused (/quiet)"
        assert decide(CheckinSettings(enabled=False), Moment(now=now, needs=LONELY)).held == (
            "check-ins are off"
        )
        assert decide(CheckinSettings(per_day=0), Moment(now=now, needs=LONELY)).held


class TestScoring:
    def test_extraversion_and_the_hour_move_the_score(self) -> None:
        def score(hour: int, extraversion: float) -> float:
            found = decide(
                ON, Moment(now=at(2, hour), needs=LONELY, extraversion=extraversion, messages=WROTE)
            )
            return max(c.score for c in found.candidates)

        assert score(10, 0.9) > score(10, 0.1)
        assert score(10, 0.5) > score(15, 0.5) > score(21, 0.5)

    def test_unanswered_check_ins_weigh_on_the_score(self) -> None:
        now = at(6, 10)
        old = [sent(now - timedelta(days=d)) for d in (12, 10, 8)]
        answered = [c.created + HOUR for c in old]
        keen = decide(ON, Moment(now=now, needs=LONELY, recent=old, messages=answered))
        ignored = decide(ON, Moment(now=now, needs=LONELY, recent=old, messages=WROTE))
        assert max(c.score for c in keen.candidates) > max(c.score for c in ignored.candidates)

    def test_a_silence_much_longer_than_usual(self) -> None:
        last = at(5, 20)
        messages = daily_messages(last + timedelta(minutes=1))
        assert usual_silence(messages) == 12 * HOUR
        soon = decide(ON, Moment(now=at(6, 10), messages=messages))
        assert soon.chosen is None
        long_after = decide(ON, Moment(now=at(9, 10), messages=messages))
        assert long_after.chosen is not None and long_after.chosen.kind == "silence"
        assert "quiet for" in long_after.chosen.reasons[0]

    def test_too_little_history_has_no_usual_silence(self) -> None:
        assert usual_silence([at(0, 9).timestamp(), at(1, 9).timestamp()]) is None


class TestOccasions:
    def test_a_day_and_time_said_on_monday(self) -> None:
        found = read_occasion(
            memory("I have a job interview on Thursday at 10am.", at(0, 12)), at(0, 12)
        )
        assert found is not None
        assert found.at == at(3, 10) and found.timed
        assert found.thing == "your job interview"

    def test_a_day_alone_is_that_morning(self) -> None:
        found = read_occasion(memory("My dentist appointment is tomorrow.", at(0, 18)), at(0, 18))
        assert found is not None and found.day == at(1, 0) and not found.timed
        assert found.thing == "your dentist appointment"

    def test_a_day_dated_when_it_was_learned_is_read_as_said(self) -> None:
        """The date learning adds after "tomorrow" is not part of what happens."""
        text = anchored("My dentist appointment is tomorrow.", at(0, 18))
        assert text != "My dentist appointment is tomorrow."
        found = read_occasion(memory(text, at(0, 18)), at(0, 18))
        assert found is not None and found.day == at(1, 0) and not found.timed
        assert found.thing == "your dentist appointment"

    def test_habits_and_things_past_are_no_occasions(self) -> None:
        for text in (
            "I go swimming every Thursday.",
            "I had an interview last Thursday.",
            "I play chess on Thursdays.",
            "I usually wake up at 7am.",
            "My sister lives in Lyon.",
        ):
            assert read_occasion(memory(text, at(0, 12)), at(0, 12)) is None, text

    def test_the_day_counts_from_when_it_was_said(self) -> None:
        told = memory("I'm flying to Lisbon on Friday!", at(0, 12))
        assert [o.at.date() for o in occasions([told], now=at(2, 12))] == [at(4, 0).date()]
        assert occasions([told], now=at(6, 12)) == []  # two days past: nothing to ask

    def test_phrases(self) -> None:
        assert phrase("I have a job interview") == "your job interview"
        assert phrase("I've got an exam") == "your exam"
        assert phrase("My sister's wedding is") == "your sister's wedding"
        assert phrase("I'm flying to Lisbon") == "flying to Lisbon"
        assert phrase("Big exam , I'm nervous") == ""
