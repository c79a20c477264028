"""The PAD mood's pure rules: a step toward what was heard, decay toward the baseline, the
nightly drift, the label and the tone, and the traits' style instructions."""

from __future__ import annotations

import itertools
import math

from assistant.companion.mood import (
    DRIFT_PER_NIGHT,
    EMOTIONS,
    PAD,
    Mood,
    decay,
    drift,
    label_of,
    step,
    tone_instruction,
)
from assistant.companion.needs import Needs, exchange_kinds, fade, meet
from assistant.companion.traits import PRESETS, Traits, check_traits, style_instructions

TRAITS = PRESETS["curious_companion"]
HOUR = 3600.0


def distance(a: Mood, b: Mood) -> float:
    return math.dist(a.point, b.point)


def test_a_step_moves_toward_the_emotion_heard_and_never_past_it() -> None:
    start = Mood(0.1, 0.0, 0.05)
    for emotion in EMOTIONS:
        target = Mood.of(PAD[emotion])
        moved = step(start, {emotion: 1.0}, TRAITS)
        assert distance(moved, target) < distance(start, target) or distance(start, target) == 0
        assert distance(moved, target) > 0.5 * distance(start, target)  # one message, a nudge


def test_an_unsure_classifier_barely_moves_the_mood() -> None:
    start = Mood(0.2, 0.1, 0.0)
    flat = dict.fromkeys(EMOTIONS, 1 / len(EMOTIONS))
    assert step(start, flat, TRAITS) == start


def test_the_mood_stays_inside_the_pad_cube_whatever_it_hears() -> None:
    mood = Mood(0.0, 0.0, 0.0)
    for emotion in itertools.islice(itertools.cycle(["angry", "excited", "sad"]), 500):
        mood = step(mood, {emotion: 1.0}, PRESETS["creative_collaborator"])
        assert all(-1.0 <= v <= 1.0 for v in mood.point)
    assert Mood.of((3.0, -2.0, 0.5)).point == (1.0, -1.0, 0.5)


def test_decay_pulls_back_toward_the_baseline_over_hours() -> None:
    baseline = Mood(0.1, -0.1, 0.05)
    upset = Mood(-0.6, 0.6, -0.5)
    one = decay(upset, baseline, HOUR, TRAITS)
    later = decay(upset, baseline, 12 * HOUR, TRAITS)
    assert distance(later, baseline) < distance(one, baseline) < distance(upset, baseline)
    assert distance(decay(upset, baseline, 72 * HOUR, TRAITS), baseline) < 0.01
    assert decay(upset, baseline, 0, TRAITS) == upset
    assert decay(upset, baseline, -HOUR, TRAITS) == upset  # a clock stepped back changes nothing


def test_a_sensitive_personality_holds_a_mood_longer() -> None:
    baseline, upset = Mood(0, 0, 0), Mood(-0.6, 0.6, -0.5)
    steady = decay(upset, baseline, 3 * HOUR, Traits(0.5, 0.5, 0.5, 0.5, 0.0))
    sensitive = decay(upset, baseline, 3 * HOUR, Traits(0.5, 0.5, 0.5, 0.5, 1.0))
    assert distance(sensitive, baseline) > distance(steady, baseline)


def test_the_baseline_drifts_at_most_a_hundredth_per_night() -> None:
    baseline = Mood(0.0, 0.0, 0.0)
    gloomy_week = [Mood(-0.7, -0.4, -0.4)] * 30
    moved = drift(baseline, gloomy_week)
    assert math.isclose(distance(moved, baseline), DRIFT_PER_NIGHT, rel_tol=1e-6)
    assert moved.pleasure < 0
    near = Mood(0.004, 0.0, 0.0)
    assert drift(baseline, [near]) == near  # closer than a night's drift: reached
    assert drift(baseline, []) == baseline


def test_labels_come_from_the_nearest_emotion() -> None:
    for emotion, point in PAD.items():
        assert label_of(point) == emotion
    assert Mood(0.02, -0.01, 0.0).label == "neutral"
    assert Mood(-0.02, 0.14, 0.09).label == "neutral"  # a little stirred, not angry


def test_tone_changes_with_the_mood_and_never_for_a_neutral_one() -> None:
    assert tone_instruction(Mood(0.0, 0.0, 0.0)) == ""
    sad = tone_instruction(Mood.of(PAD["sad"]))
    assert "gentle" in sad and "never changes facts" in sad
    assert tone_instruction(Mood.of(PAD["excited"])) != sad


def test_style_comes_from_the_values_as_words_not_numbers() -> None:
    quiet = style_instructions(Traits(0.2, 0.9, 0.1, 0.2, 0.1))
    lively = style_instructions(Traits(0.9, 0.2, 0.9, 0.9, 0.9))
    assert len(quiet) == len(lively) == 5
    assert not set(quiet) & set(lively)
    assert not any(ch.isdigit() for line in quiet + lively for ch in line)
    assert any("economical with words" in line for line in quiet)
    assert any("follow-up question" in line for line in lively)


def test_custom_traits_are_checked() -> None:
    good = check_traits(dict.fromkeys(TRAITS.as_dict(), 0.5))
    assert good == Traits(0.5, 0.5, 0.5, 0.5, 0.5)
    for bad in ({"openness": 1.5}, {"openness": "high"}, {"openness": True}):
        values = {**TRAITS.as_dict(), **bad}
        try:
            check_traits(values)
        except ValueError as exc:
            assert "openness" in str(exc)
        else:
            raise AssertionError(f"{bad} was accepted")


def test_needs_fade_with_time_and_are_met_by_their_kind() -> None:
    assert fade(1.0, 18 * HOUR, "social") == 0.5
    assert fade(1.0, 18 * HOUR, "creative") > 0.7  # creative fades slower
    assert math.isclose(meet(0.2, 0.5), 0.6) and meet(0.9, 1.0) == 1.0
    poem = exchange_kinds("can you write me a poem about the sea?", "complex", "neutral")
    assert poem["creative"] > 0 and poem["social"] > 0
    why = exchange_kinds("why is the sky blue", "complex", "neutral")
    assert why["intellectual"] > 0 and "creative" not in why
    night = exchange_kinds("good night, off to bed", "simple", "tired")
    assert night["rest"] > 0
    needs = Needs({"social": 0.1, "intellectual": 0.5, "creative": 0.3, "rest": 0.9})
    assert needs.unmet() == ["social", "creative"]
    assert 0 < needs.pressure() < 1
