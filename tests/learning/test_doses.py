"""A newer dose of the same medicine replaces the older one, told as news or as a correction;
another medicine's dose is left alone, and in a fact of two medicines only the one named
changes (through the real Learner on MiniLM)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.dates import plain
from assistant.learning.doses import Dose, dose_of, doses, redosed
from assistant.learning.learner import Learner


@pytest.mark.parametrize(
    ("text", "dose"),
    [
        ("I take 20mg omeprazole daily.", Dose("omeprazole", "20mg")),
        ("Gp increased my omeprazole to 40mg.", Dose("omeprazole", "40mg")),
        ("I'm on sertraline 50mg every morning.", Dose("sertraline", "50mg")),
        ("Doc upped my sertraline to 100mg today.", Dose("sertraline", "100mg")),
        ("levothyroxine 75mcg before breakfast", Dose("levothyroxine", "75mcg")),
        ("my sertraline dose is 150mg", Dose("sertraline", "150mg")),
        ("I take 500mg metformin and 20mg omeprazole", None),
        ("I weigh 70kg", None),
        ("I ran 10km today", None),
    ],
)
def test_the_dose_a_fact_gives(text: str, dose: Dose | None) -> None:
    assert dose_of(text) == dose


@pytest.mark.parametrize(
    "change",
    ["gp increased my omeprazole to 40mg", "actually its 40mg omeprazole now, not 20"],
)
def test_a_new_dose_replaces_the_old_one(assistant: Assistant, change: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i take 20mg omeprazole daily", conversation="m1")
    learner.learn("im on sertraline 50mg every morning", conversation="m1")
    changes = learner.learn(change, conversation="m1")
    assert [c.action for c in changes] == ["corrected"], changes
    texts = [plain(m.text) for m in assistant.memories.list()]
    assert len(texts) == 2 and any("40mg" in t for t in texts), texts
    assert "I'm on sertraline 50mg every morning." in texts


@pytest.mark.parametrize(
    "change", ["gp upped my sumatriptan to 100mg", "doc increased the sumatriptan to 100mg"]
)
def test_a_reported_dose_change_keeps_what_the_medicine_is_for(
    assistant: Assistant, change: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I take sumatriptan 50mg for my migraines", conversation="m1")
    learner.learn(change, conversation="m2")
    assert [plain(m.text) for m in assistant.memories.list()] == [
        "I take sumatriptan 100mg for my migraines."
    ]


def test_each_dose_of_a_fact_of_two_medicines() -> None:
    fact = "I take sertraline 50mg every morning and 75 mcg levothyroxine for my thyroid."
    assert doses(fact) == {"sertraline": "50mg", "levothyroxine": "75mcg"}
    assert doses("sertraline 50mg, or sertraline 100mg on bad days") == {}
    assert redosed(fact, "gp upped my sertraline to 100mg") == (
        "I take sertraline 100mg every morning and 75 mcg levothyroxine for my thyroid."
    )
    assert redosed(fact, "now I take sertraline 100mg") == (
        "I take sertraline 100mg every morning and 75 mcg levothyroxine for my thyroid."
    )
    assert redosed(fact, "my levothyroxine went down to 50mcg") == (
        "I take sertraline 50mg every morning and 50 mcg levothyroxine for my thyroid."
    )
    assert redosed(fact, "gp upped my omeprazole to 40mg") == "gp upped my omeprazole to 40mg"


@pytest.mark.parametrize(
    "change", ["gp upped my sertraline to 100mg", "my doctor increased my sertraline to 100mg"]
)
def test_a_dose_change_in_a_fact_of_two_medicines_keeps_the_other(
    assistant: Assistant, change: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(
        "i take sertraline 50mg every morning and levothyroxine 75mcg for my thyroid",
        conversation="m1",
    )
    changes = learner.learn(change, conversation="m2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert [plain(m.text) for m in assistant.memories.list()] == [
        "I take sertraline 100mg every morning and levothyroxine 75mcg for my thyroid."
    ]


@pytest.mark.parametrize(
    "change",
    [
        "Correction -- the doctor raised it to 10mg at my last review, so it is 10mg now .",
        "gp upped it to 10mg today",
    ],
)
def test_a_dose_changed_by_pronoun_is_the_one_just_told(assistant: Assistant, change: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I take 5mg of amlodipine each morning for the blood pressure.", conversation="a")
    changes = learner.learn(change, conversation="a")
    assert [c.action for c in changes] == ["corrected"], changes
    assert [plain(m.text) for m in assistant.memories.list()] == [
        "I take 10mg of amlodipine each morning for the blood pressure."
    ]


def test_a_dose_in_another_unit_is_not_the_one_just_told(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I take 5mg of amlodipine each morning.", conversation="a")
    learner.learn("they raised it to 2 puffs", conversation="a")
    assert "I take 5mg of amlodipine each morning." in [
        plain(m.text) for m in assistant.memories.list()
    ]


def test_a_medicine_switched_for_another_ends_the_old_one(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i take sertraline 50mg every morning", conversation="c1")
    learner.learn("the gp switched me from sertraline to citalopram 20mg", conversation="c2")
    active = [plain(m.text) for m in assistant.memories.list()]
    assert active == ["I take citalopram 20mg every morning."], "what is taken now"
    learner.learn("we switched from sky to virgin", conversation="c3")
    assert len(assistant.memories.list()) == 2, "no medicine taken was named: nothing ended"


@pytest.mark.parametrize(
    "change",
    [
        "theyve stopped her furosemide and put her on bumetanide 1mg instead",
        "mums on bumetanide now, 1mg, they took her off the furosemide",
    ],
)
def test_another_persons_medicine_switched_is_that_fact_with_the_new_one(
    assistant: Assistant, change: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my mum takes furosemide 80mg", conversation="c1")
    learner.learn("i take ramipril 5mg", conversation="c1")
    learner.learn(change, conversation="c2")
    active = sorted(plain(m.text) for m in assistant.memories.list())
    assert active == ["I take ramipril 5mg.", "My mum takes bumetanide 1mg."]


def test_a_medicine_stopped_ends_every_fact_of_taking_it(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i take ramipril 5mg for blood pressure", conversation="c1")
    learner.learn("gp increased my ramipril to 10mg", conversation="c2")
    again = learner.learn("they upped my ramipril to 10mg", conversation="c3")
    assert [c.action for c in again] == ["reinforced"], "the dose it holds, told again"
    learner.learn("my mum takes ramipril 2.5mg", conversation="c3")
    learner.learn("i stopped the ramipril", conversation="c4")
    active = sorted(plain(m.text) for m in assistant.memories.list())
    assert active == ["I stopped the ramipril.", "My mum takes ramipril 2.5mg."]


def test_another_persons_medicine_stopped_ends_theirs(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my mum takes furosemide 40mg", conversation="c1")
    learner.learn("mums doctor stopped her furosemide", conversation="c2")
    active = [plain(m.text) for m in assistant.memories.list()]
    assert active == ["Mums doctor stopped her furosemide."]


@pytest.mark.parametrize(
    ("before", "change", "now"),
    [
        ("i take ramipril 5mg", "gp put my ramipril up to 10mg", "I take ramipril 10mg."),
        (
            "i take lantus 16 units at night",
            "put my lantus up to 20 units",
            "I take lantus 20 units at night.",
        ),
    ],
)
def test_a_dose_change_said_alone_changes_the_dose_held(
    assistant: Assistant, before: str, change: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(before, conversation="c1")
    learner.learn(change, conversation="c2")
    assert [plain(m.text) for m in assistant.memories.list()] == [now]


def test_a_new_dose_ends_every_note_of_the_old_one(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I take ramipril 5mg every morning for my blood pressure.", conversation="c1")
    learner.learn("Every morning I take 5mg of ramipril.", conversation="c2")
    learner.learn("my mum takes ramipril 5mg", conversation="c2")
    learner.learn("My ramipril went up to 10mg.", conversation="c3")
    active = sorted(plain(m.text) for m in assistant.memories.list())
    assert active == ["Every morning I take 10mg of ramipril.", "My mum takes ramipril 5mg."]
