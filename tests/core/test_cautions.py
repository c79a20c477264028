"""Which questions ask whether the user may eat, drink or take something."""

from __future__ import annotations

import pytest

from assistant.conversation.cautions import consuming


@pytest.mark.parametrize(
    "question",
    [
        "can i eat satay?",
        "Can I have a latte",
        "is it ok for me to drink wine tonight",
        "should i take ibuprofen for this",
        "ok so could i try the prawn curry?",
        "is the pad thai safe for me",
        "do you think i can still eat cheese",
    ],
)
def test_questions_about_eating_drinking_or_taking_something(question: str) -> None:
    assert consuming(question)


@pytest.mark.parametrize(
    "question",
    [
        "can i borrow your umbrella",
        "what did i have for dinner on monday",
        "i can eat anything",
        "can you take a note",
        "where can i get a haircut",
    ],
)
def test_other_questions_are_not(question: str) -> None:
    assert not consuming(question)
