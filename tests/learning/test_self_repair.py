"""A value fixed in passing inside one message ("40mg... no sorry, 20mg") is learned as fixed;
the value it replaces is never stored (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.learner import Learner
from assistant.learning.repair import repaired, restarted


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("I take sertraline 100mg... no sorry, 50mg.", "I take sertraline 50mg."),
        ("the quiz night is on the 12th, sorry, 14th", "the quiz night is on the 14th"),
        ("pickup is at 5pm - make that 6pm", "pickup is at 6pm"),
        ("I'm 52... no wait, 53!", "I'm 53!"),
        (
            "my dentist appointment is on tuesday, no wait, wednesday at 4",
            "my dentist appointment is on wednesday at 4",
        ),
        ("flight home is march 3, sorry, march 5", "flight home is march 5"),
        ("we're moving in june, i mean july", "we're moving in july"),
        ("yoga on thurs, no sorry, fri", "yoga on fri"),
        ("dentist on the 14th january, no wait, the 21st", "dentist on the 21st january"),
        ("meeting at 3pm, no wait, at 4pm", "meeting at 4pm"),
        ("my surname is mcallister... sorry mcalister", "my surname is mcalister"),
        ("our cat is called bela, sorry bella", "our cat is called bella"),
    ],
)
def test_a_value_fixed_in_passing_takes_the_place_of_the_old_one(said: str, meant: str) -> None:
    assert repaired(said) == meant


@pytest.mark.parametrize(
    "said",
    [
        "we have 3 kids, sorry about the noise",
        "sorry, 20mg is what the doctor said",
        "the gym opens at 6am, sorry 7pm for the pool",
        "can we do monday? I'm sorry, tuesday is bad for me",
        "sorry, tuesday is fine",
        "i love tea, sorry coffee",
        "I live in leeds. sorry",
    ],
)
def test_without_an_earlier_value_of_the_same_kind_nothing_changes(said: str) -> None:
    assert repaired(said) == said


def test_the_learner_never_stores_the_value_fixed_in_passing(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("fyi I'm on sertraline 100mg... no sorry, 50mg. long day", conversation="c1")
    stored = " ".join(m.text for m in assistant.memories.list())
    assert "50mg" in stored
    assert "100mg" not in stored


@pytest.mark.parametrize(
    ("said", "read", "replaced"),
    [
        (
            "my sister lives in york, no wait she moved to hull last year",
            "she moved to hull last year",
            "my sister lives in york",
        ),
        (
            "i work at tesco... no wait i work at aldi now. i love it",
            "i work at aldi now. i love it",
            "i work at tesco",
        ),
        ("no wait, I meant hull", "no wait, I meant hull", ""),
        ("I'm allergic to penicillin, no wait, it's amoxicillin", None, ""),
    ],
)
def test_a_statement_fixed_in_passing_is_read_from_the_fix_on(
    said: str, read: str | None, replaced: str
) -> None:
    assert restarted(said) == (read or said, replaced)


def test_the_learner_keeps_only_the_fixed_statement_and_whom_it_is_about(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my sister lives in york, no wait she moved to hull last year", conversation="c1")
    stored = [m.text for m in assistant.memories.list()]
    assert len(stored) == 1 and stored[0].startswith("My sister moved to hull last year"), stored
