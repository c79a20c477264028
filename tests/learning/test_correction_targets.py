"""A correction changes the fact it means and no other: the word of the same kind, the fact
the message is about, never a date for a name or a birthday for an age."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.learner import Learner


def told(assistant: Assistant, *conversations: list[str]) -> list[str]:
    """What is stored after each conversation's messages were learned, in order."""
    learner = Learner(assistant.memories, instructions=assistant.instructions)
    for number, messages in enumerate(conversations):
        for message in messages:
            learner.learn(message, conversation=f"c{number}")
    return sorted(m.text for m in assistant.memories.list())


@pytest.mark.parametrize(
    ("messages", "kept", "never"),
    [
        (
            ["i work as an accountant in leeds", "sorry i meant auditor"],
            "I work as an auditor in leeds.",
            "in auditor",
        ),
        (["im a nurse and i live in bath", "oops i meant teacher"], "I'm a teacher.", "Teacher."),
        (
            ["my brother jon lives in galway", "sorry i meant tom"],
            "My brother tom lives in galway.",
            "jon",
        ),
        (
            [
                "flying to lisbon on 15 jan",
                "my sisters name is jo",
                "her name is spelled J-O-A-N-N-E",
            ],
            "My sister's name is Joanne.",
            "15 Joanne",
        ),
        (
            [
                "i prefer tea over coffee, earl grey ideally",
                "the plumber is coming to fix the boiler",
            ],
            "I prefer tea over coffee, earl grey ideally.",
            "earl gary",
        ),
        (
            [
                "my mums birthday is the 16th of march",
                "i am 32 now actually, birthday was yesterday",
            ],
            "My mum's birthday is the 16th of march.",
            "32 of march",
        ),
        (
            [
                "im allergic to penicillin",
                "also its not penicillin im allergic to, its amoxicillin",
            ],
            "I'm allergic to amoxicillin.",
            "penicillin",
        ),
        (
            ["my sister ama lives in tema", "sorry shes in accra now"],
            "My sister ama is in accra.",
            "tema",
        ),
    ],
)
def test_a_correction_changes_the_word_it_means(
    assistant: Assistant, messages: list[str], kept: str, never: str
) -> None:
    stored = told(assistant, messages)
    assert kept in stored
    assert not any(never in text for text in stored), stored


@pytest.mark.parametrize(
    ("messages", "kept"),
    [
        (
            [
                "we booked flights to seville for april 10th, back on the 17th",
                "isla's birthday is 22 january, she's desperate for a phone lol not happening",
            ],
            "We booked flights to seville for april 10th",
        ),
        (["the dogs called bramble", "marguerite's surname is spelled d-o-u-g-l-a-s-s"], "bramble"),
        (
            ["marguerite is my line manager", "bramble is the dog, not marguerite lol"],
            "Marguerite is my line manager.",
        ),
        (
            ["i play 5 a side on thursdays", "football is on wednesdays now btw not thursdays"],
            "I play 5 a side on wednesdays.",
        ),
        (
            [
                "we're planning a trip to seville in april",
                "the seville trip is in may now, not april",
            ],
            "trip to seville in may",
        ),
        (
            ["finn starts cubs on tuesday nights", "sorry i meant monday nights not tuesday"],
            "Finn starts cubs on monday",
        ),
    ],
)
def test_a_message_about_something_else_leaves_the_fact_before_it(
    assistant: Assistant, messages: list[str], kept: str
) -> None:
    stored = told(assistant, messages)
    assert any(kept in text for text in stored), stored


def test_the_fact_a_correction_names_is_fixed_not_the_latest(assistant: Assistant) -> None:
    stored = told(
        assistant,
        ["my mums birthday is the 14th of march"],
        ["my new flat is in clifton, moving in on the 1st"],
        ["ugh you've got my mums bday wrong, it's the 16th of march"],
    )
    assert "My mum's birthday is the 16th of march." in stored
    assert any("moving in on the 1st" in text for text in stored), stored


def test_a_value_said_alone_still_fixes_the_latest(assistant: Assistant) -> None:
    stored = told(
        assistant,
        ["my mums birthday is the 14th of march"],
        ["my dentist is on the 3rd", "oops, the 5th"],
    )
    assert any(text.startswith("My dentist is on the 5th") for text in stored), stored
    assert "My mum's birthday is the 14th of march." in stored


def test_a_correction_is_no_standing_instruction(assistant: Assistant) -> None:
    stored = told(
        assistant, ["i have therapy every other thursday at 6", "no i meant every other wednesday"]
    )
    assert stored == ["I have therapy every other wednesday at 6."]
    assert assistant.instructions.all() == []


@pytest.mark.parametrize(
    ("before", "said", "kept", "gone"),
    [
        ("im allergic to latex", "my allergy is to nickel btw, not latex", "nickel", "latex"),
        ("my sister is called jane", "my sisters name is jen not jane", "jen", "Jane"),
    ],
)
def test_a_statement_of_what_is_so_in_place_of_a_stored_word_corrects_it(
    assistant: Assistant, before: str, said: str, kept: str, gone: str
) -> None:
    stored = told(assistant, [before], [said])
    assert len(stored) == 1
    assert kept in stored[0] and gone not in stored[0]


@pytest.mark.parametrize(
    ("before", "said"),
    [
        ("my cat is called bella", "my dog is called rex, not bella"),
        ("i hate coffee", "i like tea, not coffee"),
    ],
)
def test_an_x_not_y_about_another_thing_leaves_the_stored_fact(
    assistant: Assistant, before: str, said: str
) -> None:
    stored = told(assistant, [before], [said])
    assert len(stored) == 2
    assert any(before.split()[-1] in text.lower() for text in stored)


def test_a_fact_said_twice_in_one_message_is_reported_once(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    changes = learner.learn("my dog is called rex, not bella", conversation="c")
    assert [c.action for c in changes] == ["remembered"]


@pytest.mark.parametrize(
    ("before", "said", "now"),
    [
        (
            "we have a dog called bramble",
            "we dont have a dog called bramble, shes called brambles",
            "We have a dog called brambles.",
        ),
        ("my sister is called jane", "her name isnt jane, its jen", "My sister's name is Jen."),
    ],
)
def test_a_name_said_wrong_then_right_renames(
    assistant: Assistant, before: str, said: str, now: str
) -> None:
    assert told(assistant, ["my mum is 78 and has copd", before], [said]) == sorted(
        ["My mum is 78 and has copd.", now]
    )


@pytest.mark.parametrize(
    ("messages", "also"),
    [
        (
            [
                "my mum is 78",
                "no thats wrong, brambles is the dog, not my mum. my mums name is margaret",
            ],
            "My mum's name is Margaret.",
        ),
        (["my sister is called jane", "her name isnt jane, its jen. she lives in hull"], "hull"),
    ],
)
def test_what_a_correction_says_after_it_is_learned_too(
    assistant: Assistant, messages: list[str], also: str
) -> None:
    assert any(also in text for text in told(assistant, messages[:1], messages[1:]))


@pytest.mark.parametrize("apart", [False, True])
def test_a_day_said_not_so_is_never_the_new_one(assistant: Assistant, apart: bool) -> None:
    plan = "The plasterer Steve comes on 26 January."
    fix = "Actually the plasterer is coming on 28 January, not the 26th."
    stored = told(assistant, [plan], [fix]) if apart else told(assistant, [plan, fix])
    assert len(stored) == 1 and stored[0].startswith("The plasterer Steve comes on 28 January")


def test_a_fact_told_again_with_less_reinforces_the_fuller_one(assistant: Assistant) -> None:
    fuller = "Emily's birthday is the 14th of March, she'll be 9."
    assert told(assistant, [fuller], ["Emily's birthday is 14 March."]) == [fuller]
    assert told(assistant, ["Emily's birthday is 15 March."]) == ["Emily's birthday is 15 March."]
