"""A name given right after someone new is told of is theirs: "we got a puppy! her name is
luna" is kept as "We got a puppy called luna." (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.introduced import introduced
from assistant.learning.learner import Learner


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("we got a puppy! her name is luna", "we got a puppy called luna"),
        (
            "we just adopted a rescue greyhound, he's called bolt",
            "we just adopted a rescue greyhound called bolt",
        ),
        (
            "we had a baby girl last night!! her name is ada",
            "we had a baby girl called ada last night",
        ),
        ("we got a new kitten 😍 his name is pickle", "we got a new kitten called pickle"),
        ("we got engaged!! his name is sam 💍", "I got engaged to sam 💍"),
        ("we got a puppy! her name is so cute", "we got a puppy! her name is so cute"),
        ("i had a bad day, her name is karen lol", "i had a bad day, her name is karen lol"),
        ("we got a lot of snow. her name is bob", "we got a lot of snow. her name is bob"),
        ("my sister's name is jo", "my sister's name is jo"),
    ],
)
def test_a_name_said_after_someone_new_is_joined_to_them(text: str, read: str) -> None:
    assert introduced(text) == read


def test_the_name_is_kept_with_whose_it_is(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("we got a puppy! her name is luna", conversation="p1")
    learner.learn("we got engaged!! his name is sam 💍", conversation="p1")
    texts = sorted(plain(m.text) for m in assistant.memories.list())
    assert texts == ["I got engaged to sam 💍.", "We got a puppy called luna."], texts
    puppy = next(m for m in assistant.memories.list() if "puppy" in m.text)
    assert puppy.metadata["people"] == ["[[Luna]]"]
