"""Facts about the user's household and the people they deal with, said in passing: where
something is kept, a number, a visit booked, a hobby; and the complaints and passing
moments said in the same words, which are not kept."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.learner import Learner


@pytest.mark.parametrize(
    "said",
    [
        "I keep my spare key under the blue flamingo statue",
        "we keep the christmas stuff in the loft",
        "my landlords number is 07700 900123",
        "the plumber is coming thursday morning to fix the boiler",
        "my secret hobby is collecting zorblax figurines",
    ],
)
def test_a_household_fact_said_in_passing_is_kept(assistant: Assistant, said: str) -> None:
    changes = Learner(assistant.memories).learn(said, conversation="c1")
    assert [c.action for c in changes] == ["remembered"], changes


@pytest.mark.parametrize(
    "said",
    [
        "i keep forgetting to water the plants",
        "i keep my feelings to myself",
        "the plumber is late again, of course",
        "where did i put the spare key",
    ],
)
def test_a_complaint_or_a_question_in_the_same_words_is_not(
    assistant: Assistant, said: str
) -> None:
    assert Learner(assistant.memories).learn(said, conversation="c1") == []
