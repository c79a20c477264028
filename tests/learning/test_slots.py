"""Values a correction changes, read by kind."""

from __future__ import annotations

import pytest

from assistant.learning.slots import substitute, values, without_old_value


def test_each_span_is_read_as_its_most_specific_kind() -> None:
    found = [(v.kind, v.text) for v in values("lands at 8:50pm on the 3rd, gate 12, on May 4")]
    assert found == [("time", "8:50pm"), ("ordinal", "3rd"), ("number", "12"), ("date", "May 4")]


@pytest.mark.parametrize(
    ("fact", "correction", "now"),
    [
        ("Dinner is on friday the 2nd.", "no, saturday the 3rd", "Dinner is on saturday the 3rd."),
        ("I've run 3 marathons.", "make that 4", "I've run 4 marathons."),
        ("The call is at 10am.", "sorry 11am, not 10am", "The call is at 11am."),
        ("My flight is at 6:40am.", "wait no, 8:40", "My flight is at 8:40am."),
        ("Gig on the 21st of may.", "it's the 22nd", "Gig on the 22nd of may."),
        ("My gran is 90.", "typo, 91. I wish I'd be 90 like her", "My gran is 91."),
        (
            "My daughter is lactose intolerant.",
            "sorry i meant my son, dara. my daughter's fine with dairy",
            "My son dara is lactose intolerant.",
        ),
        (
            "My sister lives in Leeds.",
            "oops, it's my cousin, not my sister",
            "My cousin lives in Leeds.",
        ),
        ("my sister ana is a nurse", "i meant my cousin Ana", "my cousin Ana is a nurse"),
        (
            "My GP is Dr Okafor.",
            "sorry, okafor retired, I'm with dr Lindqvist now",
            "My GP is Dr Lindqvist.",
        ),
    ],
)
def test_new_values_take_the_place_of_the_old_ones_of_their_kind(
    fact: str, correction: str, now: str
) -> None:
    assert substitute(fact, correction) == now


@pytest.mark.parametrize(
    ("fact", "correction"),
    [
        ("I have two cats.", "sorry, he's in Accra now"),  # no value at all
        ("Dinner at 7pm with Jo.", "no wait, 8pm and 9pm"),  # two new times for one old
        ("I live in Leeds.", "actually it's 5"),  # nothing of that kind to replace
        ("My gran is 90.", "I wish I was 25"),  # a wish says no new value
        ("Dinner with my sister on friday.", "my mum says hi"),  # someone merely mentioned
        ("I live in Leeds.", "sorry, dr patel said so"),  # someone the fact does not hold
    ],
)
def test_nothing_is_guessed_when_the_values_do_not_line_up(fact: str, correction: str) -> None:
    assert substitute(fact, correction) is None


def test_someone_merely_mentioned_in_a_correction_is_not_put_in_the_fact() -> None:
    assert (
        substitute("My brother's birthday is May 4.", "no wait, may 5th, my mum reminded me")
        == "My brother's birthday is May 5th."
    )


def test_a_move_keeps_only_where_it_went() -> None:
    assert (
        without_old_value("Swim lessons moved from wednesdays to fridays at 4:30.")
        == "Swim lessons moved to fridays at 4:30."
    )
    assert without_old_value("I went from Leeds to York by train.") == "I went to York by train."
    assert without_old_value("Got a bike from Jo.") == "Got a bike from Jo."
    assert (
        without_old_value("Mum's surgery got moved, it was the 9th, now it's the 23rd.")
        == "Mum's surgery got moved, now it's the 23rd."
    )
    assert without_old_value("It was fun, now I'm tired.") == "It was fun, now I'm tired."
