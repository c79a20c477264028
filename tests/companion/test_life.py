"""The companion over simulated time (an injected clock): mood after each exchange and its
decay, the baseline's nightly drift, needs fading and met, quirks emerging and fading, and
traits that never change in a year of conversations."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from assistant import Assistant
from assistant.companion import PRESETS, Companion, nightly
from assistant.companion.mood import DRIFT_PER_NIGHT
from assistant.store.companion import CompanionRecords
from assistant.store.conversations import ConversationLog, Turn

DAY, HOUR = 86400.0, 3600.0
T0 = 1_800_000_000.0 - (1_800_000_000.0 % DAY) + 8 * HOUR  # a morning, UTC


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def companion(hashed: Assistant, clock: Clock) -> Iterator[Companion]:
    made = Companion(hashed, clock=clock)
    made.persona()
    yield made
    made.close()


GLOOMY = [
    "I feel really lonely lately",
    "my dog died this morning",
    "i'm so sad about how things ended with him",
    "nobody remembered my birthday",
]
CHEERFUL = ["I had such a lovely day today", "we won the pub quiz lol", "what a fun evening"]


def test_mood_follows_the_conversation_then_returns_to_the_baseline(
    assistant: Assistant, clock: Clock
) -> None:
    companion = Companion(assistant, clock=clock)  # the real MiniLM hears the emotions
    baseline = companion.baseline()
    for text in GLOOMY:
        companion.hear(text)
        clock.now += 60
    low = companion.mood()
    assert low.pleasure < baseline.pleasure - 0.1
    assert all(-1 <= v <= 1 for v in low.point)
    clock.now += 3 * HOUR
    easing = companion.mood()
    assert math.dist(easing.point, baseline.point) < math.dist(low.point, baseline.point)
    clock.now += 3 * DAY
    assert math.dist(companion.mood().point, baseline.point) < 0.01
    history = companion.mood_history()
    assert len(history) == len(GLOOMY)
    assert {row.heard for row in history} == {"sad"}
    companion.close()


@pytest.mark.slow
def test_traits_never_change_in_a_year_and_the_baseline_drifts_slowly(
    hashed: Assistant, companion: Companion, clock: Clock
) -> None:
    traits, note = companion.traits, companion.path.read_text(encoding="utf-8")
    records = CompanionRecords(hashed.db)
    baselines = [companion.baseline()]
    for day in range(365):
        clock.now = T0 + day * DAY
        texts = GLOOMY if (day // 30) % 2 else CHEERFUL  # gloomy months and cheerful ones
        companion.hear(texts[day % len(texts)])
        assert all(-1 <= v <= 1 for v in companion.mood().point)
        nightly.run(records, clock.now + 12 * HOUR)
        if day % 30 == 0:
            nightly.run(records, clock.now + 13 * HOUR)  # a second run that day drifts nothing
        latest = records.latest("baseline")
        assert latest is not None
        baselines.append(latest.mood)
    steps = [math.dist(a.point, b.point) for a, b in zip(baselines, baselines[1:], strict=False)]
    assert max(steps) <= DRIFT_PER_NIGHT + 1e-9
    assert sum(steps) > 0.05  # it did drift
    assert companion.traits == traits == PRESETS["curious_companion"]
    assert companion.path.read_text(encoding="utf-8") == note


def test_needs_fade_with_time_and_an_exchange_of_their_kind_meets_them(
    companion: Companion, clock: Clock
) -> None:
    start = companion.needs()
    clock.now += 2 * DAY
    faded = companion.needs()
    assert all(faded.levels[n] < start.levels[n] for n in start.levels)
    assert faded.unmet()[0] == "social"  # the fastest to fade
    companion.hear("can you write me a poem about the sea?", route="complex")
    met = companion.needs()
    assert met.levels["creative"] > faded.levels["creative"] + 0.2
    assert met.levels["social"] > faded.levels["social"]
    assert met.levels["rest"] == faded.levels["rest"]
    assert met.pressure() < faded.pressure()


def reply(log: ConversationLog, at: float, text: str) -> None:
    log.append([Turn("s1", "assistant", text, model="local", at=at)])


def test_quirks_emerge_strengthen_fade_and_are_dropped(hashed: Assistant) -> None:
    log, records = ConversationLog(hashed.db), CompanionRecords(hashed.db)
    replies = [
        "Great question! Paris is the capital of France.",
        "Great question! It boils at 100 degrees.",
        "Sure, the meeting is at noon.",
        "Great question! Try a pinch of salt.",
        "The train leaves at eight.",
        "Great question! Anna lives in Lyon.",
    ]
    for n, text in enumerate(replies):
        reply(log, T0 + n * HOUR, text)
    nightly.run(records, T0 + DAY)
    found = {q.key: q for q in records.quirks()}
    assert "opener:great question" in found
    assert "opener:sure the" not in found  # once is no habit
    first = found["opener:great question"].strength
    for n in range(4):  # it recurs the next day
        reply(log, T0 + DAY + (n + 1) * HOUR, "Great question! Here is why.")
    for n in range(2):
        reply(log, T0 + DAY + (n + 6) * HOUR, "Okay, done.")
    nightly.run(records, T0 + 2 * DAY)
    quirk = {q.key: q for q in records.quirks()}["opener:great question"]
    assert quirk.strength > first
    last_seen = quirk.last_seen
    nightly.run(records, last_seen + 13 * DAY)  # unused, but not for 14 days yet
    assert {q.key: q for q in records.quirks()}["opener:great question"].strength == quirk.strength
    companion = Companion(hashed, clock=lambda: last_seen + 20 * DAY)
    try:
        shown = {q.key: q.strength for q in companion.quirks()}
        assert 0.1 < shown["opener:great question"] < quirk.strength  # fading
    finally:
        companion.close()
    nightly.run(records, last_seen + 40 * DAY)
    assert "opener:great question" not in {q.key for q in records.quirks()}
    dropped = {q.key: q for q in records.quirks(dropped=True)}["opener:great question"]
    assert dropped.dropped == last_seen + 40 * DAY  # kept in the history, marked dropped


def test_strong_quirks_reach_the_prompt_as_habits(hashed: Assistant, clock: Clock) -> None:
    log, records = ConversationLog(hashed.db), CompanionRecords(hashed.db)
    for day in range(5):
        for n in range(5):
            reply(log, T0 + day * DAY + n * HOUR, "Honestly, that sounds fine to me.")
        nightly.run(records, T0 + day * DAY + 20 * HOUR)
    clock.now = T0 + 5 * DAY
    companion = Companion(hashed, clock=clock)
    try:
        assert "Habits of yours" in companion.instructions()
        assert "honestly" in companion.instructions().lower()
    finally:
        companion.close()


def test_runs_either_side_of_midnight_are_one_night(
    hashed: Assistant, companion: Companion, clock: Clock
) -> None:
    records = CompanionRecords(hashed.db)
    companion.hear("I feel really lonely lately")
    midnight = T0 - 8 * HOUR + DAY
    assert nightly.run(records, midnight + DAY - 30 * 60)["baseline"] == 1  # 23:30
    assert nightly.run(records, midnight + DAY - 10 * 60)["baseline"] == 0  # the same day
    assert nightly.run(records, midnight + DAY + 30 * 60)["baseline"] == 0  # an hour later
    assert nightly.run(records, midnight + DAY + 13 * HOUR)["baseline"] == 1


def test_a_week_of_scripted_days_gives_a_plausible_mood_trace(
    assistant: Assistant, clock: Clock
) -> None:
    week = [
        ["morning! slept great and the sun is out", "lunch with my sister was so lovely"],
        ["can you explain how vaccines work", "what's the boiling point of ethanol"],
        ["my cat is really ill and the vet doesn't know why", "I keep crying, I feel so alone"],
        ["honestly just numb today", "I miss her so much"],
        ["the bank charged me twice and won't fix it, I'm livid", "still on hold, this is a joke"],
        ["thanks for being there this week, it really helped", "the cat is eating again!!"],
        ["quiet sunday, tea and a book", "feeling peaceful"],
    ]
    companion = Companion(assistant, clock=clock)
    evenings = []
    for day, messages in enumerate(week):
        for n, text in enumerate(messages):
            clock.now = T0 + day * DAY + (2 + n) * HOUR
            companion.hear(text)
        clock.now = T0 + day * DAY + 4 * HOUR
        evenings.append(companion.mood().label)
    companion.close()
    positive = {"happy", "excited", "grateful", "calm", "neutral"}
    assert evenings[0] in positive
    assert evenings[2] in {"sad", "tired", "anxious"}
    assert evenings[3] in {"sad", "tired"}
    assert evenings[4] in {"angry", "anxious", "sad"}
    assert evenings[5] in positive and evenings[6] in positive
    assert len(set(evenings)) >= 3  # it moves with the week
