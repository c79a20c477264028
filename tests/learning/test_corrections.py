"""Corrections and retractions in the ways people write them, through the real Learner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Token
from assistant.conversation.responder import Responder
from assistant.learning.dates import plain
from assistant.learning.learner import Learner
from assistant.memories import Draft
from assistant.memory_types import Memory, Status
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings


def active(assistant: Assistant) -> list[str]:
    """The active memories' texts, without the dates added to the days they name."""
    return sorted(plain(m.text) for m in assistant.memories.list())


def seed(assistant: Assistant, text: str) -> Memory:
    """A fact said earlier in conversation c1 (seeded, so extraction changes cannot hide it),
    a minute after the one seeded before."""
    at = datetime(2026, 3, 1, 9, len(assistant.memories.list()), tzinfo=UTC)
    draft = Draft(text, created_at=at, metadata={"conversation": "c1", "fact": "note"})
    return assistant.memories.add_many([draft])[0]


def test_a_name_spelled_out_after_autocorrect_corrects_the_stored_one(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my brother Tomas is coming over on sunday", conversation="c1")
    assert active(assistant) == ["My brother Tomas is coming over on sunday."]
    changes = learner.learn("ugh autocorrect, it's Thomas. T-H-O-M-A-S lol", conversation="c1")
    assert [c.action for c in changes] == ["corrected"]
    assert active(assistant) == ["My brother Thomas is coming over on sunday."]
    assert len(assistant.memories.list(statuses=["superseded"])) == 1


def test_an_update_that_someone_moved_supersedes_where_they_lived(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("gus lives in boulder", conversation="c1")
    assert active(assistant) == ["Gus lives in boulder."]
    learner.learn("update: gus moved to denver, not boulder", conversation="c1")
    assert active(assistant) == ["Gus moved to denver."]
    old = assistant.memories.list(statuses=["superseded"])
    assert [m.text for m in old] == ["Gus lives in boulder."]


def test_a_correction_that_says_less_than_the_fact_fixes_it_in_place(
    assistant: Assistant,
) -> None:
    """A restatement that would leave out what else the fact said (that Ana is the user's
    sister, a vet) fixes the word it corrects; so does a name corrected after it."""
    learner = Learner(assistant.memories)
    learner.learn("my sister Ana is a vet in Porto", conversation="c1")
    learner.learn("sorry, Ana lives in Lisbon, not Porto", conversation="c1")
    assert active(assistant) == ["My sister Ana is a vet in Lisbon."]
    learner.learn("actually my sister is called Anna not Ana", conversation="c1")
    assert active(assistant) == ["My sister Anna is a vet in Lisbon."]


@pytest.mark.parametrize(
    ("said", "correction", "now"),
    [
        (
            "my daughter is lactose intolerant",
            "sorry i meant my son, dara. my daughter's totally fine with dairy",
            "My son dara is lactose intolerant.",
        ),
        (
            "my gp is dr okafor",
            "sorry, okafor retired, i'm with dr lindqvist at the same practice now",
            "My gp is dr lindqvist.",
        ),
    ],
)
def test_a_correction_of_who_puts_the_person_meant_in_the_fact(
    assistant: Assistant, said: str, correction: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c1")
    changes = learner.learn(correction, conversation="c1")
    assert [c.action for c in changes] == ["corrected"], changes
    assert active(assistant) == [now]
    assert len(assistant.memories.list(statuses=["superseded"])) == 1


def test_scrap_that_forgets_the_dentist_and_the_reply_says_what(assistant: Assistant) -> None:
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    try:
        for text in ["I have a dentist appointment on March 3", "my sister's name is Anne"]:
            list(responder.respond(InboundMessage(text)))
            responder.learned(wait=30)
        assert len(active(assistant)) == 2
        events = list(
            responder.respond(InboundMessage("scrap that, forget what I said about the dentist"))
        )
        responder.learned(wait=30)
        reply = "".join(e.text for e in events if isinstance(e, Token))
    finally:
        responder.close()
    assert reply.startswith("Forgot:") and "dentist appointment on March 3" in reply, reply
    assert active(assistant) == ["My sister's name is Anne."]
    archived = assistant.memories.list(statuses=["archived"])
    assert [plain(m.text) for m in archived] == ["I have a dentist appointment on March 3."]
    assert [h.turn.text for h in assistant.memories.said("dentist", 5)] == []


def test_forgetting_what_was_said_of_someone_leaves_what_else_was_said_of_them(
    assistant: Assistant,
) -> None:
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    try:
        for text in ["my partner dan is a software dev at sage", "my partner dan loves vinyl"]:
            list(responder.respond(InboundMessage(text)))
            responder.learned(wait=30)
        said = "forget that dan works at sage, he left ages ago"
        events = list(responder.respond(InboundMessage(said)))
        responder.learned(wait=30)
        reply = "".join(e.text for e in events if isinstance(e, Token))
    finally:
        responder.close()
    assert "software dev at sage" in reply and "vinyl" not in reply, reply
    assert active(assistant) == ["My partner dan loves vinyl."]


def test_forget_everything_about_someone_forgets_every_note_that_names_them(
    assistant: Assistant,
) -> None:
    """Every note that names Sophie is forgotten, more than the few a retraction forgets
    for their meaning alone, and "pls" is not part of what to forget."""
    about_her = [
        "My friend Sophie lives in York.",
        "Sophie is a vet.",
        "Sophie has two greyhounds.",
        "Sophie's birthday is on June 2.",
        "Sophie is allergic to cats.",
        "Sophie runs marathons.",
        "Sophie and I met at university.",
    ]
    for text in [*about_her, "I love pizza.", "My brother Tom lives in Leeds."]:
        seed(assistant, text)
    learner = Learner(assistant.memories)
    changes = learner.learn("forget everything about sophie pls", conversation="c2")
    assert sorted(c.text for c in changes if c.action == "forgot") == sorted(about_her)
    assert active(assistant) == ["I love pizza.", "My brother Tom lives in Leeds."]


def test_a_later_correction_keeps_the_details_and_a_retraction_forgets_every_telling(
    assistant: Assistant,
) -> None:
    """ "no wait the dentist is thursday not friday", a message later, swaps the day in the
    fact and keeps its time; forgetting the dentist then takes both turns out of what was
    said, not only the one the latest version was learned from."""
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    try:
        for text in [
            "dentist appt next friday at 3, dont let me forget",
            "my sister is a teacher",
            "no wait the dentist is thursday not friday",
        ]:
            list(responder.respond(InboundMessage(text)))
            responder.learned(wait=30)
        assert "Dentist appt next thursday at 3, don't let me forget." in active(assistant)
        assert len(_said_of(assistant, "dentist")) == 2
        list(responder.respond(InboundMessage("scrap that, forget what I said about the dentist")))
        responder.learned(wait=30)
    finally:
        responder.close()
    assert active(assistant) == ["My sister is a teacher."]
    assert _said_of(assistant, "dentist") == []


def _said_of(assistant: Assistant, word: str) -> list[str]:
    """The turns found for ``word`` that say it."""
    return [h.turn.text for h in assistant.memories.said(word, 10) if word in h.turn.text]


def test_what_a_retraction_says_besides_is_learned_in_chat(assistant: Assistant) -> None:
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    try:
        list(responder.respond(InboundMessage("we got a puppy!! named him Biscuit")))
        responder.learned(wait=30)
        events = list(responder.respond(InboundMessage("scrap that, we named him Pip after all")))
        responder.learned(wait=30)
    finally:
        responder.close()
    reply = "".join(e.text for e in events if isinstance(e, Token))
    assert reply.startswith("Forgot:") and "Biscuit" in reply, reply
    assert active(assistant) == ["We named him Pip after all."]


@pytest.mark.parametrize(
    ("said", "correction", "now"),
    [
        (
            "I have a dentist appointment on tuesday.",
            "no wait, it's wednesday",
            "I have a dentist appointment on wednesday.",
        ),
        (
            "My sister Anne lives in Lille.",
            "correction: she lives in lyon, not lille",
            "My sister Anne lives in Lyon.",
        ),
        (
            "Dinner with Priya on friday at 7pm.",
            "typo, I meant 8pm",
            "Dinner with Priya on friday at 8pm.",
        ),
        (
            "My boss is called Sharon.",
            "that's wrong, it's Karen not Sharon",
            "My boss is called Karen.",
        ),
        (
            "My cousin Jakub is visiting in june.",
            "actually it's Jacob lol",
            "My cousin Jacob is visiting in june.",
        ),
        (
            "The plumber is coming on tuesday.",
            "not tuesday, thursday",
            "The plumber is coming on thursday.",
        ),
        ("My daughter Mia is 6.", "sorry, she's 7 not 6", "My daughter Mia is 7."),
        (
            "My friend Siobhan runs marathons.",
            "ugh my phone, her name is Siobhán",
            "My friend Siobhán runs marathons.",
        ),
        (
            "My brother's wedding is on may 3.",
            "oops, make that may 4",
            "My brother's wedding is on may 4.",
        ),
        (
            "My son plays football on saturdays.",
            "edit: it's rugby, not football",
            "My son plays rugby on saturdays.",
        ),
        (
            "My flatmate is called Ollie.",
            "I wrote Ollie but I meant Olly",
            "My flatmate is called Olly.",
        ),
        (
            "Our new flat is 27 Maple Row.",
            "typo, it's 72 maple row not 27",
            "Our new flat is 72 Maple Row.",
        ),
        # the word a number counts, in the form the correction gives it
        (
            "I take 1 sugar in my tea.",
            "Sorry, I meant 2 sugars in my tea, not 1",
            "I take 2 sugars in my tea.",
        ),
        ("We have 3 kids.", "sorry 1 kid not 3", "We have 1 kid."),
    ],
)
def test_corrections_in_many_phrasings_rewrite_the_fact(
    assistant: Assistant, said: str, correction: str, now: str
) -> None:
    seed(assistant, said)
    changes = Learner(assistant.memories).learn(correction, conversation="c1")
    assert [c.action for c in changes] == ["corrected"], changes
    assert active(assistant) == [now]


@pytest.mark.parametrize(
    "retraction",
    [
        "ignore what I said about the dentist",
        "never mind the thing about the dentist",
        "please forget what I told you about the dentist",
        "delete the bit about the dentist appointment",
        "forget that last thing I said",
        "scratch what I said about the dentist, it's not happening",
        "please forget what I said about dentists",  # another form of the word
    ],
)
def test_retractions_in_many_phrasings_forget_the_fact(
    assistant: Assistant, retraction: str
) -> None:
    seed(assistant, "I'm allergic to penicillin.")
    dentist = seed(assistant, "I have a dentist appointment on March 3.")
    changes = Learner(assistant.memories).learn(retraction, conversation="c1")
    assert [(c.action, c.memory_id) for c in changes] == [("forgot", dentist.id)]
    assert active(assistant) == ["I'm allergic to penicillin."]


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my keys again today",
        "forget it, let's talk about something else",
        "never mind, I found it",
        "my dentist moved to denver",
        "I'm not a fan of boulder, too cold",
        "remove bananas from the shopping list",  # a list edited, nothing taken back
        "scratch the dentist floss off my shopping list",
        "delete milk from the shopping list pls",
    ],
)
def test_ordinary_messages_that_look_like_corrections_change_nothing(
    assistant: Assistant, text: str
) -> None:
    seed(assistant, "Gus lives in boulder.")
    seed(assistant, "I have a dentist appointment on March 3.")
    seed(assistant, "Shopping list: eggs, bananas, milk.")
    changes = Learner(assistant.memories).learn(text, conversation="c1")
    assert not [c for c in changes if c.action in ("corrected", "forgot")], changes
    assert {
        "Gus lives in boulder.",
        "I have a dentist appointment on March 3.",
        "Shopping list: eggs, bananas, milk.",
    } <= set(active(assistant))


@pytest.mark.parametrize(
    ("first", "then", "gone"),
    [
        ("I work at a bakery in Leith", "my bad, I work at a bookshop in Leith now", "bakery"),
        (
            "my brother Kwesi lives in Tamale",
            "sorry he's in Kumasi now actually, moved last year",
            "Tamale",
        ),
    ],
)
def test_a_correction_that_names_no_old_word_replaces_what_the_last_message_taught(
    assistant: Assistant, first: str, then: str, gone: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(first, conversation="c9")
    [before] = active(assistant)
    changes = learner.learn(then, conversation="c9")
    assert any(c.action == "corrected" for c in changes), changes
    assert before not in active(assistant) and gone not in " ".join(active(assistant))
    everything = assistant.memories.list(statuses=list(Status))
    [old] = [m for m in everything if m.text == before]
    assert old.status.value != "active", "kept in the archive, replaced"


@pytest.mark.parametrize("reply", ["oh, brilliant", "sorry, no idea", "wait, what", "ok cool"])
def test_a_reaction_after_a_fact_is_no_value_in_its_place(assistant: Assistant, reply: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i work at tesco on the tills", conversation="c14")
    learner.learn(reply, conversation="c14")
    assert "I work at tesco on the tills." in active(assistant)


def test_a_value_after_a_slip_in_another_conversation_fixes_nothing(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my sister lives in leeds", conversation="c15")
    learner.learn("sorry, london", conversation="c16")
    assert active(assistant) == ["My sister lives in leeds."]


def test_a_new_fact_after_an_unrelated_message_replaces_nothing(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my sister Wanjiru lives in Mombasa", conversation="c10")
    learner.learn("sorry, I also started a pottery class on Thursdays", conversation="c10")
    assert any("Mombasa" in text for text in active(assistant)), "not the same fact: both stay"


@pytest.mark.parametrize(
    ("said", "fix", "now"),
    [
        ("I'm allergic to ibuprofin.", "*ibuprofen lol spelled it wrong", "ibuprofen"),
        ("Our cat is called Bisuit.", "*Biscuit", "Biscuit"),
        ("I'm allergic to penicilin.", "penicillin*", "penicillin"),  # the star after it
    ],
)
def test_a_starred_word_fixes_the_typo_it_names(
    assistant: Assistant, said: str, fix: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c11")
    changes = learner.learn(fix, conversation="c11")
    assert [c.action for c in changes] == ["corrected"], changes
    [text] = active(assistant)
    assert now in text and text != said


@pytest.mark.parametrize(
    ("said", "fix", "now"),
    [
        ("my cat is called Tofu", "no. Miso", "My cat's name is Miso."),
        ("I work at Costa", "nope, it's pret", "I work at Pret."),
        ("my cat is called Tofu", "no sorry, Miso", "My cat's name is Miso."),
        # a place in lower case, after "no wait"; a value restated after a bare "no"
        ("my brother lives in glasgow", "no wait, edinburgh", "My brother lives in edinburgh."),
        ("my mum lives in cork", "wait no, kerry", "My mum lives in kerry."),
        ("im 29", "lol no im 30, forgot my own bday", "I'm 30."),
        ("my sister is 12", "no she's 13", "My sister is 13."),
    ],
)
def test_a_name_said_alone_after_no_takes_the_place_of_the_one_the_fact_held(
    assistant: Assistant, said: str, fix: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c13")
    [before] = assistant.memories.list()
    changes = learner.learn(fix, conversation="c13")
    assert [c.action for c in changes] == ["corrected"], changes
    [memory] = assistant.memories.list()
    assert memory.text == now
    assert not {e.lower() for e in memory.entities} & {"tofu", "costa"}
    [old] = assistant.memories.list(statuses=["superseded"])
    assert old.id == before.id


@pytest.mark.parametrize(
    ("said", "fix", "now"),
    [
        ("my mum lives in galway", "sligo* — autocorrect is cursed", "My mum lives in sligo."),
        ("my brother works at google", "*amazon", "My brother works at amazon."),
        ("I have a meeting with Ben tomorrow", "Ken*", "I have a meeting with Ken tomorrow."),
        (  # of a person and a place, the name spelled alike: never a person for the city
            "my best friend Jo lives in Cardiff",
            "*Jess — autocorrect is cursed",
            "My best friend Jess lives in Cardiff.",
        ),
        (  # the word it is a typo of, not the one name the fact holds
            "my friend Sam is allergic to penicilin",
            "penicillin*",
            "My friend Sam is allergic to penicillin.",
        ),
    ],
)
def test_a_word_fixed_by_a_star_takes_the_place_of_the_one_it_means(
    assistant: Assistant, said: str, fix: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c15")
    [before] = assistant.memories.list()
    changes = learner.learn(fix, conversation="c15")
    assert [c.action for c in changes] == ["corrected"], changes
    [memory] = assistant.memories.list()
    assert plain(memory.text) == now
    [old] = assistant.memories.list(statuses=["superseded"])
    assert old.id == before.id


def test_a_renamed_pet_keeps_the_new_name_without_the_old(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("our new kitten is called biscuit", conversation="c17")
    learner.learn(
        "actually scrap that, we renamed her mochi once we got her home, biscuit didn't suit her",
        conversation="c17",
    )
    assert active(assistant) == ["Our new kitten is called mochi."]


@pytest.mark.parametrize(
    ("said", "then", "now"),
    [
        (
            "we got a rabbit called bella",
            "scrap that, we're calling her daisy",
            "rabbit called daisy",
        ),
        (
            "our new puppy is called Waffles",
            "actually scrap that, we ended up naming him Pip after all",
            "puppy is called Pip",
        ),
        (
            "we got the kids a hamster for christmas, named him nugget",
            "scrap that, we named him biscuit after all",
            "hamster for christmas, named him biscuit.",
        ),
    ],
)
def test_a_name_taken_back_for_another_keeps_whose_it_is(
    assistant: Assistant, said: str, then: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c18")
    learner.learn(then, conversation="c18")
    [text] = active(assistant)
    assert now in text


def test_a_star_fix_like_no_word_of_a_fact_with_several_names_changes_nothing(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my daughter's teacher is Mrs Catherine Doyle", conversation="c18")
    learner.learn("*Kathryn", conversation="c18")
    assert active(assistant) == ["My daughter's teacher is Mrs Catherine Doyle."]


def test_she_after_a_star_fix_is_still_the_person_named_before(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    for said in ["my mum lives in galway", "sligo* autocorrect is cursed lol", "she's 67"]:
        learner.learn(said, conversation="c19")
    assert active(assistant) == ["My mum is 67.", "My mum lives in sligo."]


@pytest.mark.parametrize("reply", ["*hugs*", "*sigh", "*hugs", "*really* happy about it"])
def test_an_action_or_emphasis_in_stars_corrects_nothing(assistant: Assistant, reply: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my mum lives in galway", conversation="c16")
    learner.learn(reply, conversation="c16")
    assert "My mum lives in galway." in active(assistant)
    assert assistant.memories.list(statuses=["superseded"]) == []


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("my cat is called Tofu", "no, thanks"),
        ("my cat is called Tofu", "nope. Never mind"),
    ],
)
def test_a_no_that_names_no_one_name_of_the_fact_changes_nothing(
    assistant: Assistant, said: str, reply: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c14")
    [before] = active(assistant)
    learner.learn(reply, conversation="c14")
    assert active(assistant) == [before]


@pytest.mark.parametrize(
    ("said", "fix", "now"),
    [
        (
            "i have a dentist appointment on monday the 9th at 2",
            "no sorry, wednesday the 11th, not monday",
            "I have a dentist appointment on wednesday the 11th at 2.",
        ),
        ("i've been climbing for 4 years", "more like 6 years actually", "6 years"),
        (
            "my train to York leaves at 7:15am on the 4th",
            "hang on, checked the ticket. it's 9:15am on the 5th",
            "9:15am on the 5th",
        ),
        ("my nephew Arlo is 12", "oops typo, 13. wish I were 12 again lol", "Arlo is 13"),
        (
            "my cousin's wedding is on the 8th of august",
            "wait no, it's the 15th, they moved it",
            "15th of august",
        ),
        ("mum's birthday party is on saturday", "sorry, sunday", "party is on sunday"),
        ("my flight to oslo leaves at 6:40am", "oops 8:40am", "leaves at 8:40am"),
        # a value of no fixed kind takes the place of the word of the fact that means the
        # same kind of thing; why it changed, said after it, is no fact of its own
        (
            "i work at tesco on the tills",
            "sorry, sainsbury's, i moved over in may, same job tho",
            "I work at sainsbury's on the tills.",
        ),
        ("i'm vegetarian", "well, pescatarian technically, i do eat fish", "I'm pescatarian."),
        (
            "i'm allergic to ibuprofen",
            "wait no, it's aspirin. ibuprofen is fine. i always mix them up",
            "I'm allergic to aspirin.",
        ),
        ("i take sertraline every morning", "sorry, citalopram", "citalopram every morning"),
        ("we have a spaniel called rex", "wait no, a labrador", "labrador called rex"),
        ("my sister Ana lives in Lisbon", "no, Porto", "Ana lives in Porto"),  # a city for one
    ],
)
def test_a_correction_that_gives_only_new_values_swaps_them_into_the_last_fact(
    assistant: Assistant, said: str, fix: str, now: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c12")
    [before] = active(assistant)
    changes = learner.learn(fix, conversation="c12")
    assert [c.action for c in changes] == ["corrected"], changes
    [text] = active(assistant)
    assert now in text and text != before
    [old] = assistant.memories.list(statuses=["superseded"])
    assert plain(old.text) == before, "the old value stays in the archive, replaced"


@pytest.mark.parametrize(
    ("said", "then", "gone", "kept"),
    [
        (
            "i drive a vw golf",
            "scratch that, sold it last month. I ride an e-bike to work now",
            "golf",
            "e-bike",
        ),
        (
            "I work at Deloitte as an auditor",
            "lol no I don't, I was testing you. I'm a product manager at Monzo",
            "Deloitte",
            "Monzo",
        ),
        ("I'm a Leo", "lol jk, I'm a Capricorn, born 2 jan", "Leo", "Capricorn"),
    ],
)
def test_taking_back_the_last_fact_learns_what_the_message_says_instead(
    assistant: Assistant, said: str, then: str, gone: str, kept: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c13")
    assert len(active(assistant)) == 1
    changes = learner.learn(then, conversation="c13")
    assert "forgot" in [c.action for c in changes], changes
    now = " ".join(active(assistant))
    assert kept in now and gone not in now


def test_a_surname_said_with_i_mean_adds_to_the_name_and_replaces_nothing(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my sister is called jo", conversation="c18")
    changes = learner.learn("jo's surname is okafor btw, my sister i mean", conversation="c18")
    assert [c.action for c in changes] == ["remembered"], changes
    assert sorted(active(assistant)) == [
        "My sister jo's surname is okafor.",
        "My sister's name is Jo.",
    ]


@pytest.mark.parametrize(
    ("plan", "off"),
    [
        ("I'm moving to Manchester in September", "actually the plan fell through"),
        ("We're going to Lisbon in May", "the trip's off, work got crazy"),
        ("I'm moving to Leeds next month", "we're not moving after all"),
    ],
)
def test_a_plan_called_off_is_forgotten(assistant: Assistant, plan: str, off: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn(plan, conversation="c16")
    changes = learner.learn(off, conversation="c16")
    assert [c.action for c in changes][:1] == ["forgot"], changes
    assert active(assistant) == []


def test_something_called_off_forgets_no_fact_that_was_no_plan(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I love sushi", conversation="c17")
    changes = learner.learn("the japan trip fell through", conversation="c17")
    assert "forgot" not in [c.action for c in changes]
    assert active(assistant) == ["I love sushi."]


def test_forgetting_one_thing_keeps_the_new_fact_said_beside_it(assistant: Assistant) -> None:
    seed(assistant, "I'm allergic to penicillin.")
    seed(assistant, "I signed up for a pottery class.")
    changes = Learner(assistant.memories).learn(
        "forget what I said about the pottery class. I joined a choir that sings on tuesdays",
        conversation="c1",
    )
    assert [c.action for c in changes][:1] == ["forgot"], changes
    now = active(assistant)
    assert not any("pottery" in t for t in now)
    assert any("choir" in t for t in now) and "I'm allergic to penicillin." in now


def test_a_thing_that_moved_is_kept_where_it_went(assistant: Assistant) -> None:
    Learner(assistant.memories).learn(
        "my yoga class moved from tuesdays to thursdays at 6", conversation="c14"
    )
    [text] = active(assistant)
    assert "thursdays" in text and "tuesday" not in text.lower()


def test_keeping_where_a_thing_went_is_not_announced_as_a_secret(assistant: Assistant) -> None:
    changes = Learner(assistant.memories).learn(
        "my yoga class moved from tuesdays to thursdays at 6", conversation="c15"
    )
    assert [c.action for c in changes] == ["remembered"], changes


def test_chat_spelling_reaches_the_rules_and_a_value_said_before_what_is_said_of_it(
    assistant: Assistant,
) -> None:
    """ "i dont drink coffee anymore" stops the habit as "I don't…" does; in "it's codeine i
    react to, not penicillin" the new value is codeine, not "to"."""
    learner = Learner(assistant.memories)
    learner.learn("I drink coffee every morning", conversation="s1")
    learner.learn("i dont drink coffee anymore", conversation="s2")
    assert active(assistant) == ["I don't drink coffee anymore."]
    learner.learn("put down that im allergic to penicillin", conversation="s3")
    learner.learn(
        "hmm no, checked my records, it's codeine i react to, not penicillin", conversation="s3"
    )
    assert "I'm allergic to codeine." in active(assistant)
    assert not any("penicillin" in t for t in active(assistant))


def test_a_liking_given_up_with_a_reason_replaces_the_liking_and_only_that_one(
    assistant: Assistant,
) -> None:
    """ "i dont eat thai food anymore, gave me a migraine" ends "I love thai food."; "i don't
    drink red wine anymore" leaves "I love red meat." alone (one word shared is no subject)."""
    learner = Learner(assistant.memories)
    learner.learn("i love thai food", conversation="t1")
    learner.learn("I love red meat", conversation="t1")
    changes = learner.learn("i dont eat thai food anymore, gave me a migraine", conversation="t2")
    assert [c.action for c in changes] == ["corrected"], changes
    learner.learn("i don't drink red wine anymore, headaches", conversation="t3")
    assert sorted(active(assistant)) == [
        "I don't drink red wine anymore, headaches.",
        "I don't eat thai food anymore, gave me a migraine.",
        "I love red meat.",
    ]


def test_a_name_meant_after_sorry_replaces_the_one_name_just_told(assistant: Assistant) -> None:
    """ "sorry, I meant Tom" puts Tom in place of Jon; "sorry, i meant wednesday" corrects a
    day as a value, never a name."""
    learner = Learner(assistant.memories)
    learner.learn("my brothers name is jon", conversation="m1")
    changes = learner.learn("sorry, I meant Tom", conversation="m1")
    assert [c.action for c in changes] == ["corrected"], changes
    learner.learn("my cat Miso has a vet check on tuesday", conversation="m2")
    learner.learn("sorry, i meant wednesday", conversation="m2")
    texts = sorted(plain(m.text) for m in assistant.memories.list())
    assert texts == ["My brother's name is Tom.", "My cat Miso has a vet check on wednesday."]


def test_a_name_corrected_in_lower_case_is_corrected_in_every_fact_about_them(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    for said in ("my brother tomas is coming over on sunday", "tomas loves chess"):
        learner.learn(said, conversation="n1")
    learner.learn("actually its thomas not tomas", conversation="n1")
    texts = sorted(plain(m.text) for m in assistant.memories.list())
    assert texts == ["My brother thomas is coming over on sunday.", "Thomas loves chess."]


def test_a_name_fixed_with_a_star_is_fixed_in_every_fact_and_when_typed_again(
    assistant: Assistant,
) -> None:
    """ "*thomas" fixes both facts about tomas, and a later "tomas got a new job" in the
    same conversation is about Thomas; another conversation keeps its own spelling."""
    learner = Learner(assistant.memories)
    for said in ("my brother tomas lives in leeds", "tomas is a teacher", "*thomas"):
        learner.learn(said, conversation="s1")
    learner.learn("tomas got a new job at the bbc", conversation="s1")
    texts = sorted(plain(m.text) for m in assistant.memories.list())
    assert texts == [
        "My brother thomas is a teacher.",
        "My brother thomas lives in leeds.",
        "Thomas got a new job at the bbc.",
    ]
    learner.learn("my coworker tomas is from madrid", conversation="s2")
    assert any("tomas is from madrid" in m.text for m in assistant.memories.list())


def test_a_corrected_day_is_not_carried_into_later_messages(assistant: Assistant) -> None:
    """Only names are remembered as corrected: after "typo, I meant tuesday", a later
    "i go to the gym every monday" keeps its monday."""
    learner = Learner(assistant.memories)
    for said in ("my dentist appointment is on monday", "typo, I meant tuesday"):
        learner.learn(said, conversation="d1")
    learner.learn("i go to the gym every monday", conversation="d1")
    texts = " ".join(plain(m.text) for m in assistant.memories.list())
    assert "appointment is on tuesday" in texts and "gym every monday" in texts.lower()


@pytest.mark.parametrize(
    ("before", "stopped"),
    [
        ("i drink way too much coffee", "I don't drink coffee anymore"),
        ("im a heavy smoker", "i dont smoke anymore"),
    ],
)
def test_a_habit_given_up_ends_the_fact_that_did_it_in_other_words(
    assistant: Assistant, before: str, stopped: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(before, conversation="h1")
    learner.learn("i drink green tea every morning", conversation="h1")
    changes = learner.learn(stopped, conversation="h2")
    assert [c.action for c in changes] == ["corrected"], changes
    kept = active(assistant)
    assert len(kept) == 2 and "I drink green tea every morning." in kept, kept


def test_an_announcement_before_a_fact_is_not_kept_with_it(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("Big news: I got engaged to Sam!", conversation="n1")
    learner.learn("life update - moved to leeds last month", conversation="n2")
    kept = " | ".join(active(assistant))
    assert "I got engaged to Sam." in kept and "news" not in kept.lower(), kept
    assert "update" not in kept.lower(), kept


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("dont let me forget that the bins go out on tuesdays", "The bins go out on tuesdays."),
        ("make a note: spare key is under the blue plant pot", "Spare key is under the blue"),
    ],
)
def test_asking_not_to_forget_or_to_note_keeps_it(
    assistant: Assistant, said: str, kept: str
) -> None:
    changes = Learner(assistant.memories).learn(said, conversation="k1")
    assert [c.action for c in changes] == ["remembered"], changes
    assert active(assistant)[0].startswith(kept)


def test_forgetting_a_thing_or_a_person_by_relation_finds_their_notes(
    assistant: Assistant,
) -> None:
    """ "the pregnancy thing" names "I'm pregnant."; "everything about my ex" is every note
    that names the ex, by name too."""
    learner = Learner(assistant.memories)
    for said in ("im pregnant!! only told my husband so far", "my ex is called marco"):
        learner.learn(said, conversation="f1")
    learner.learn("marco still has my record player", conversation="f1")
    learner.learn("i love pizza", conversation="f1")
    learner.learn("pls forget about the pregnancy thing for now, im paranoid", conversation="f2")
    assert not any("pregnant" in t for t in active(assistant))
    changes = learner.learn("delete everything about my ex", conversation="f3")
    assert len([c for c in changes if c.action == "forgot"]) == 2, changes
    assert active(assistant) == ["I love pizza."]


@pytest.mark.parametrize(
    ("before", "given_up"),
    [
        ("im on the pill (microgynon)", "came off the pill last month"),
        ("I take metformin 500mg twice a day", "stopped the metformin, diet controlled now 💪"),
        ("I take vitamin d every morning", "no more vitamin d for me"),
        ("i love true crime podcasts", "honestly not into true crime podcasts anymore, too grim"),
        ("i love coffee, like 4 cups a day", "cut out coffee completely last month"),
        ("i take 75mg aspirin daily", "i'm off the aspirin now"),
        ("i take 75mg aspirin daily", "doc took me off the aspirin"),
        ("I take vitamin d every morning", "i stopped taking vitamin d"),
    ],
)
def test_something_given_up_in_chat_words_ends_the_fact_that_had_it(
    assistant: Assistant, before: str, given_up: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(before, conversation="g1")
    learner.learn("I drive a red ford fiesta", conversation="g1")
    changes = learner.learn(given_up, conversation="g2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert len(active(assistant)) == 2
    learner.learn("i stopped the car on the hard shoulder", conversation="g3")
    learner.learn("phew, i'm off the hook now", conversation="g3")
    assert "I drive a red ford fiesta." in active(assistant)
    assert len(active(assistant)) == 2


@pytest.mark.parametrize(
    "said",
    [
        "turns out I'm not allergic to penicillin after all",
        "turns out im not allergic to penicillin, it was a misdiagnosis",
        "I'm not allergic to penicillin anymore",
        "my gp says im not allergic to penicillin after all",
        "the allergy clinic said i'm not actually allergic to penicillin",
    ],
)
def test_an_allergy_that_turned_out_wrong_replaces_the_allergy(
    assistant: Assistant, said: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("im allergic to penicillin", conversation="a1")
    learner.learn(said, conversation="a2")
    [now] = active(assistant)
    assert now.startswith("I'm not allergic to penicillin"), now


@pytest.mark.parametrize("fix", ["sligo*", "sligo* sorry"])
def test_a_star_fix_of_a_fact_about_someone_fixes_the_place_not_the_person(
    assistant: Assistant, fix: str
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my brother Jon lives in Galway", conversation="s1")
    learner.learn(fix, conversation="s1")
    assert active(assistant) == ["My brother Jon lives in Sligo."]


def test_an_allergy_withdrawn_from_a_note_of_several_keeps_the_others(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("im allergic to penicillin and shellfish", conversation="a1")
    learner.learn(
        "turns out im not actually allergic to penicillin, the allergy test came back negative!",
        conversation="a2",
    )
    assert "I'm allergic to shellfish." in active(assistant)
    assert not any("penicillin and shellfish" in t for t in active(assistant))
    assert any("not actually allergic to penicillin" in t for t in active(assistant))


@pytest.mark.parametrize(
    ("said", "fix", "now"),
    [
        (  # a slip owned first, what it is said after: of whom the message before spoke
            "my dog luna is a labrador",
            "oh wait no shes a lab-collie cross actually",
            "My dog luna is a lab-collie cross.",
        ),
        ("my brother lives in york", "no wait, he lives in hull", "My brother lives in hull."),
        (  # the new value after a full stop, a hedge after the old one
            "i'm based in leeds",
            "sorry brain fog — sheffield. not leeds lol",
            "I'm based in sheffield.",
        ),
        ("my sister works at google", "oh wait no she works at meta actually", None),
    ],
)
def test_a_slip_owned_at_the_start_fixes_what_was_just_said(
    assistant: Assistant, said: str, fix: str, now: str | None
) -> None:
    learner = Learner(assistant.memories)
    learner.learn(said, conversation="c40")
    learner.learn(fix, conversation="c40")
    texts = active(assistant)
    assert len(texts) == 1, texts
    assert not texts[0].lower().startswith(("wait", "oh", "no")), texts
    if now is not None:
        assert texts == [now]
    assert said.lower() not in texts[0].lower()


def test_a_nickname_is_what_the_user_goes_by_beside_their_name(assistant: Assistant) -> None:
    """ "call me Marti" after "my name is Marta Kowalski" keeps the name; "Marti" and "Marta"
    are names, not the month of March."""
    learner = Learner(assistant.memories)
    learner.learn("my name is Marta Kowalski", conversation="c41")
    learner.learn("call me Marti", conversation="c41")
    assert active(assistant) == ["I go by Marti.", "My name is Marta Kowalski."]
    learner.learn("actually call me Marta, not Marti", conversation="c41")
    assert active(assistant) == ["I go by Marta.", "My name is Marta Kowalski."]


def test_a_correction_about_something_else_never_changes_the_fact_just_told(
    assistant: Assistant,
) -> None:
    """ "wait no, the metformin is 1000mg …" after "bracken is 7 now" names the metformin:
    the dog's age is never read as the value it fixes."""
    learner = Learner(assistant.memories)
    learner.learn("i'm on metformin 1000mg twice a day", conversation="c42")
    learner.learn("brackens birthday today, shes 7 now!", conversation="c42")
    learner.learn(
        "wait no, the metformin is 1000mg in the morning and 500mg at night, not 1000 twice",
        conversation="c42",
    )
    texts = active(assistant)
    assert any("7 now" in t for t in texts) and not any("1000 now" in t for t in texts), texts


def test_a_short_aside_between_a_fact_and_taking_it_back_leaves_it_to_take_back(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("We're moving to Canada next year!", conversation="c30")
    learner.learn("well. were.", conversation="c30")
    changes = learner.learn("scrap that. the job offer fell through 😞", conversation="c30")
    assert "forgot" in [c.action for c in changes], changes
    assert not any("Canada" in t for t in active(assistant))


def test_a_fact_after_an_aside_is_not_taken_for_a_fix(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I take 5mg of amlodipine each morning.", conversation="c31")
    learner.learn("what a day lol", conversation="c31")
    learner.learn("i love my cat", conversation="c31")
    assert len(active(assistant)) == 2
