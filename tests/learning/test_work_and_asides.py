"""A job told as a role at a place ("work wise I'm a junior UX designer at brightpath") is the
user's work, which a new job replaces; an aside said with a fact ("31, just trying this thing
out") is no part of it."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.extract import extract
from assistant.learning.learner import Learner


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        (
            "work wise im a junior ux designer at brightpath",
            "I work at Brightpath as a junior ux designer.",
        ),
        ("I'm a nurse at St James's", "I work at St James's as a nurse."),
        ("i'm a student at leeds uni", None),
        ("im a regular at the crown", None),
    ],
)
def test_a_role_at_a_place_is_where_the_user_works(said: str, kept: str | None) -> None:
    found = [c.text for c in extract(said) if c.kind == "work"]
    assert found == ([kept] if kept else [])


def test_a_new_job_replaces_a_role_told_at_a_place(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("work wise im a junior ux designer at brightpath", conversation="c1")
    learner.learn("started a new job at monzo last week, loving it so far", conversation="c2")
    assert [m.text for m in assistant.memories.list()] == ["I work at Monzo."]


def test_an_aside_said_with_an_age_is_not_kept_with_it(assistant: Assistant) -> None:
    Learner(assistant.memories).learn(
        "hey! im maya, 31, just trying this thing out lol", conversation="c1"
    )
    assert sorted(m.text for m in assistant.memories.list()) == ["I'm 31.", "My name is Maya."]
