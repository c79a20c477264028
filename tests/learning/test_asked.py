"""Asking to remember something tells it: the request is read as the statement it carries,
and a question to recall or a reminder is left as asked."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.conversation.commands import asks
from assistant.learning.asked import as_told
from assistant.learning.learner import Learner
from assistant.learning.validate import problem


@pytest.mark.parametrize(
    ("said", "told"),
    [
        ("can you remember that im allergic to latex?", "im allergic to latex."),
        ("can u remember that my sisters bday is 3rd may", "my sisters bday is 3rd may."),
        ("pls remember i take my coffee black", "i take my coffee black."),
        ("note to self: bins go out on thursdays", "bins go out on thursdays."),
        ("Remember: Tom is vegan.", "Tom is vegan."),
        ("dont forget my mum is visiting on friday", "my mum is visiting on friday."),
        (
            "just chatting. can you remember that I work nights? ta",
            "just chatting. I work nights. ta",
        ),
    ],
)
def test_a_request_to_remember_is_read_as_what_it_asks_to_keep(said: str, told: str) -> None:
    assert as_told(said) == told
    assert not asks(said) or "?" in told


@pytest.mark.parametrize(
    "said",
    [
        "can you remember my sisters bday?",
        "remember when we went to Paris?",
        "remember my sister is coming?",
        "remember to buy milk",
        "remember that time we went to paris",
        "i remember my first car",
    ],
)
def test_a_question_to_recall_or_a_reminder_is_left_as_asked(said: str) -> None:
    assert as_told(said) == said


def test_what_the_user_asks_to_remember_is_kept(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("can you remember that im allergic to latex?", conversation="r1")
    learner.learn("pls remember i take my coffee black", conversation="r1")
    learner.learn("can you remember my sisters bday?", conversation="r1")
    assert sorted(m.text for m in assistant.memories.list()) == [
        "I take my coffee black.",
        "I'm allergic to latex.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "How old is mochi.",
        "Is mochi ok.",
        "Where is the vet.",
        "How much is the rent.",
        "What am i allergic to.",
        "Who am i married to.",
        "Whens my exam.",
        "What dose of sertraline am i on.",
        "What am I training for.",
        "Who fixes my car.",
        "What helps my migraines.",
        "Wat do I tak for migrane.",
        "Wat pets do I hav.",
        "Who's dave.",
        "Who has lactose intolerance.",
        "Which of my kids hates broccoli.",
        "Which one is allergic to cats.",
    ],
)
def test_a_question_typed_without_its_mark_is_no_fact(text: str) -> None:
    assert problem(text) == "question"


@pytest.mark.parametrize("text", ["who's dave", "where's my passport", "when's physio"])
def test_questions_with_an_apostrophe_and_no_mark_are_asked(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize("text", ["What matters most to me is family.", "Who I love most is mum."])
def test_a_statement_that_opens_like_a_question_is_still_a_fact(text: str) -> None:
    assert problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "What I need is sleep.",
        "When I was 10 I broke my arm.",
        "What my mum does is amazing.",
        "When we moved here it rained for a month.",
    ],
)
def test_a_statement_opening_like_a_question_is_a_fact(text: str) -> None:
    assert problem(text) is None


@pytest.mark.parametrize(
    "text",
    ["I'm sat in the car park at tesco.", "Sat in a&e with my eldest rn.", "stuck in traffic"],
)
def test_where_the_user_is_just_now_is_a_passing_moment(text: str) -> None:
    assert problem(text) == "a passing moment"


@pytest.mark.parametrize("text", ["I sit on the parish council.", "I stand by my decision."])
def test_a_lasting_sitting_or_standing_is_no_passing_moment(text: str) -> None:
    assert problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "were in marple now, moved in last weekend, boxes everywhere lol",
        "were going to lisbon in two weeks",
        "were not sure yet",
    ],
)
def test_were_for_we_are_tells(text: str) -> None:
    assert not asks(text)
    assert asks("were the kids ok")
