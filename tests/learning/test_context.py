"""A fact is stored so that it stands on its own: abbreviations do not cut a sentence, "he"
and "she" become the person named before, a clause with no subject of its own is kept with
the one it continues, a value the user denies is dropped, and what was said before, a choice
not made yet, venting and pasted text or chat logs are never stored."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.learning.classifier import ClauseClassifier
from assistant.learning.clauses import clauses, sentences, with_apostrophes
from assistant.learning.context import (
    continues,
    names,
    owned,
    people,
    resolve,
    subjected,
    verb_cased,
    without_denied,
)
from assistant.learning.dates import plain
from assistant.learning.learned import LearnedExtractor
from assistant.learning.learner import Learner
from assistant.learning.validate import problem
from assistant.memory_types import Memory
from assistant.models.minilm import MiniLMEmbedder


@pytest.fixture(scope="module")
def extractor(minilm: MiniLMEmbedder) -> LearnedExtractor:
    return LearnedExtractor(ClauseClassifier(minilm))


def facts(extractor: LearnedExtractor, text: str, context: str = "") -> list[str]:
    return [c.text for c in extractor.extract(text, context)]


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    said = "my physio is dr. okafor at st. luke's, i see him on fridays. Mrs. Bell is my GP"
    assert sentences(said) == [
        "my physio is dr. okafor at st. luke's, i see him on fridays.",
        "Mrs. Bell is my GP",
    ]


def test_what_a_joke_takes_back_is_left_and_an_example_stays_with_its_fact() -> None:
    assert clauses("i'm not allergic to anything lol jk i'm allergic to bees") == [
        "I'm allergic to bees."
    ]
    assert clauses("im allergic to penicillin, like proper hives") == [
        "Im allergic to penicillin, like proper hives."
    ]


def test_what_follows_a_face_or_anyway_or_a_condition_is_a_clause_of_its_own() -> None:
    assert clauses("so stressed today 😤 anyway i'm a freelance graphic designer") == [
        "Stressed today.",
        "I'm a freelance graphic designer.",
    ]
    assert clauses("my birthday's july 14th, if it wasn't a weekday i'd hire a boat") == [
        "My birthday's july 14th.",
        "If it wasn't a weekday i'd hire a boat.",
    ]
    assert clauses("i love my job ❤️ and my team") == ["I love my job ❤️ and my team."]


def test_more_of_an_introduction_stays_with_it() -> None:
    assert clauses("i'm a welder, been doing it 20 years") == [
        "I'm a welder, been doing it 20 years."
    ]
    assert clauses("i'm a paramedic, night shifts are brutal") == [
        "I'm a paramedic.",
        "Night shifts are brutal.",
    ]


def test_things_listed_after_what_the_user_is_stay_one_fact() -> None:
    """ "allergic to cats, dogs and penicillin" is one allergy note, not an introduction."""
    assert clauses("i'm allergic to cats, dogs and penicillin") == [
        "I'm allergic to cats, dogs and penicillin."
    ]
    assert clauses("I'm scared of spiders, heights, or clowns") == [
        "I'm scared of spiders, heights, or clowns."
    ]
    assert clauses("I'm Priya, 41, a nurse and a mum") == [
        "I'm Priya.",
        "I'm 41.",
        "I'm a nurse and a mum.",
    ]
    assert clauses("i'm allergic to nuts, i'm a nurse") == [
        "I'm allergic to nuts.",
        "I'm a nurse.",
    ]


def test_a_second_fact_that_leaves_out_its_subject_is_a_fact_of_its_own(
    extractor: LearnedExtractor,
) -> None:
    assert clauses("I live in Leeds and work as a nurse at St James's") == [
        "I live in Leeds.",
        "I work as a nurse at St James's.",
    ]
    assert clauses("we have twins and live in York") == ["We have twins.", "We live in York."]
    assert clauses("maya is allergic to shellfish, and leo hates broccoli") == [
        "Maya is allergic to shellfish.",
        "Leo hates broccoli.",
    ]
    for one in (
        "I want to learn Spanish and travel to Peru",  # "travel" is what they want
        "I used to live in Paris and work as a chef",
        "I can swim and cook",
        "I live and work in Leeds",
        "I'm a nurse and love it",
        "I like fish and chips",
        "I used to smoke but I gave up in 1998",  # what was given up is the first clause's
        "I used to eat meat, but I don't anymore",
        "I played rugby at uni but I quit after my knee injury",
    ):
        assert len(clauses(one)) == 1, one
    found = facts(extractor, "I live in Leeds and work as a nurse at St James's")
    assert "I live in Leeds." in found and "I work as a nurse at St James's." in found, found
    assert facts(extractor, "I love hiking and play the guitar") == [
        "I play the guitar.",
        "I love hiking.",
    ]
    assert facts(extractor, "i hate coriander btw") == ["I hate coriander."]
    found = facts(extractor, "I live in Paris with my partner Ben and our dog Biscuit")
    assert found == ["I live in Paris.", "I live with my partner Ben and our dog Biscuit."]
    assert facts(extractor, "Ben's birthday is on June 12") == ["Ben's birthday is June 12."]
    assert facts(extractor, "what sports am i into") == [], "a question, with no question mark"
    assert facts(extractor, "we've been together 5 yrs but") == ["We've been together 5 yrs."]
    found = facts(extractor, "I'm vegetarian and my husband Raj is vegan")
    assert sorted(found) == ["I'm vegetarian.", "My husband Raj is vegan."], "two facts"


def test_he_and_she_are_the_person_named_before() -> None:
    named = people("my aunt mags passed away in may, and my nephew ruben is 4")
    assert named == [("my aunt mags", "she"), ("my nephew ruben", "he")]
    assert resolve("she taught me to knit", named) == "my aunt mags taught me to knit"
    assert resolve("he's mad about diggers", named) == "my nephew ruben is mad about diggers"
    assert resolve("she's lovely", [("my nephew ruben", "he")]) == "she's lovely"
    assert people("my son's football team won") == [("my son", "he")]
    assert resolve("her name was Dorota", named) == "my aunt mags's name was Dorota"
    assert resolve("his birthday is in june", named) == "my nephew ruben's birthday is in june"
    assert resolve("her name was Dorota", [("my nephew ruben", "he")]) == "her name was Dorota"


def test_he_after_a_person_of_the_users_friend_is_that_person() -> None:
    named = people("my friend amy's boyfriend is called mark")
    assert named[-1] == ("my friend amy's boyfriend mark", "he")
    assert resolve("he's a paramedic", named) == "my friend amy's boyfriend mark is a paramedic"
    assert people("my sister's husband works in leeds")[-1] == ("my sister's husband", "he")
    assert people("my daughter's piano teacher is great") == [("my daughter", "she")]


def test_a_pet_or_person_the_user_has_by_name_is_theirs_when_named_alone() -> None:
    named = people("we have a dog called biscuit and a cat named pickles")
    assert named == [("our dog biscuit", "either"), ("our cat pickles", "either")]
    assert people("I just adopted a rescue cat named Pickles") == [("my cat Pickles", "either")]
    # whatever the word for what they are
    greyhound = people("we adopted a greyhound called Biscuit")
    assert greyhound == [("our greyhound Biscuit", "either")]
    assert resolve("she's terrified of stairs", greyhound) == (
        "our greyhound Biscuit is terrified of stairs"
    )
    said = resolve("oh and biscuit is 3 now, pickles is like 14", named)
    assert said == "oh and our dog biscuit is 3 now, our cat pickles is like 14"
    assert resolve("Biscuit turned 3", named) == "our dog Biscuit turned 3"
    # someone else's pet is not the user's; a name not said alone is left as it is
    assert people("my neighbour has a dog called rex") == [("my neighbour", "either")]
    assert resolve("I gave biscuit a bath", named) == "I gave biscuit a bath"
    assert resolve("my dog biscuit is 3", named) == "my dog biscuit is 3"
    assert resolve("rex is 5", people("my neighbour has a dog called rex")) == "rex is 5"
    # a clause that says who someone is keeps them as said ("… wait no, kwame is my cousin")
    wrong = people("my boyfriend's name is kwame")
    assert resolve("kwame is my cousin lol", wrong) == "kwame is my cousin lol"


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("My manager is Tom Baker.", [("my manager Tom", "either")]),
        ("Tom Baker is my manager.", [("my manager Tom", "either")]),
        ("My dentist is Dr. Patel.", [("my dentist Patel", "either")]),
        (
            "Lisa is my cousin and Mark is my brother.",
            [("my cousin Lisa", "either"), ("my brother Mark", "he")],
        ),
        ("She is my best friend.", [("my best friend", "either")]),
        ("This is my sister.", [("my sister", "she")]),
        ("My mum is Irish.", [("my mum", "she")]),
    ],
)
def test_a_person_named_in_full_or_before_their_relation_is_known_by_name(
    said: str, who: list[tuple[str, str]]
) -> None:
    assert people(said) == who


def test_a_person_said_again_with_their_surname_is_the_one_named_before() -> None:
    named = people("My manager is Tom Baker.")
    assert resolve("tom baker is leaving in may", named) == "my manager Tom Baker is leaving in may"
    assert resolve("Tom is off sick", named) == "my manager Tom is off sick"
    assert resolve("the baker is closed", named) == "the baker is closed"
    # a name of two letters, and "his"/"her" before a part of a name
    assert resolve("jo's surname is okafor", people("my sister is called jo")) == (
        "my sister jo's surname is okafor"
    )
    assert resolve("his surname is reyes", people("my brother is called Tom")) == (
        "my brother Tom's surname is reyes"
    )


def test_a_pets_age_said_by_name_after_it_was_introduced_is_kept(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("we have a dog called biscuit and a cat named pickles", conversation="p1")
    learner.learn("oh and biscuit is 3 now, pickles is like 14", conversation="p1")
    texts = [m.text for m in assistant.memories.list()]
    assert any("dog biscuit is 3" in t and "cat pickles is like 14" in t for t in texts), texts


def test_a_pronoun_fact_is_stored_with_who_it_is_about(extractor: LearnedExtractor) -> None:
    found = facts(extractor, "my brother luis lives in madrid. he's a dentist there")
    assert any("luis" in f and "dentist" in f for f in found), found
    found = facts(extractor, "she's crazy about horses", context="my niece orla turned 7 today")
    assert any("orla" in f.lower() and "horses" in f for f in found), found


def test_a_clause_without_its_own_subject_is_kept_with_the_one_before(
    extractor: LearnedExtractor,
) -> None:
    assert continues("2 bed near the canal, moving in on the 9th")
    assert continues("due in march")
    assert not continues("Swimming twice a week keeps me sane")
    found = facts(
        extractor, "we just got a flat!! 2 bed near the canal in leith, moving in on the 9th"
    )
    assert any("leith" in f and "flat" in f for f in found), found


@pytest.mark.parametrize(
    ("said", "mine"),
    [
        ("wife's name is Grete", "my wife's name is Grete"),
        ("hubby works at tesco", "my hubby works at tesco"),
        ("btw dog's called Rex", "btw my dog's called Rex"),
        ("best friend is moving to Perth", "my best friend is moving to Perth"),
        ("flight to nairobi is on the 5th", "my flight to nairobi is on the 5th"),
        ("car needs new tyres", "my car needs new tyres"),
        ("girlfriend Hana is pregnant, due in may", "my girlfriend Hana is pregnant, due in may"),
    ],
)
def test_a_clause_opening_with_a_bare_relation_is_about_the_users_own(said: str, mine: str) -> None:
    assert owned(said) == mine


@pytest.mark.parametrize(
    "said",
    [
        "a friend said hi",
        "teacher training starts monday",
        "GRANDMA'S SHORTBREAD, 2 cups flour",
        "my wife's name is Grete",
        "Mum and I went out",
        "car park is full",
        "Teacher Training starts monday",
    ],
)
def test_a_relation_that_is_someone_elses_or_no_subject_is_left(said: str) -> None:
    assert owned(said) == said


def test_a_fact_about_a_bare_relation_is_kept_as_the_users(extractor: LearnedExtractor) -> None:
    assert facts(extractor, "wife's name is Grete") == ["My wife's name is Grete."]
    assert facts(extractor, "dog's called Rex") == ["My dog's name is Rex."]


@pytest.mark.parametrize(
    ("said", "mine"),
    [
        ("moved to perth from durban in 2019", "I moved to perth from durban in 2019"),
        ("been vegetarian since uni", "I've been vegetarian since uni"),
        ("btw got a new job at tesco", "btw I got a new job at tesco"),
        ("live in leeds, near headingley", "I live in leeds, near headingley"),
        ("work at Deloitte as an auditor", "I work at Deloitte as an auditor"),
        ("staying put in Bristol for now", "I'm staying put in Bristol for now"),
        ("training for the berlin marathon", "I'm training for the berlin marathon"),
    ],
)
def test_what_was_done_with_no_one_named_was_done_by_the_user(said: str, mine: str) -> None:
    assert subjected(said) == mine


def test_a_verb_chat_capitalised_is_stored_in_lower_case_and_read_as_typed() -> None:
    """The rules read "I Quit Duolingo" as typed (no job is left); the fact reads "I quit"."""
    assert subjected("Got the job!!") == "I Got the job!!"
    assert verb_cased("I Got the job!!") == "I got the job!!"
    assert verb_cased("I Love NY and I'm Staying put") == "I Love NY and I'm staying put"


def test_apostrophes_chat_leaves_out_are_put_back_where_the_word_is_no_other() -> None:
    assert with_apostrophes("Im a nurse and ive got 2 kids") == "I'm a nurse and I've got 2 kids"
    assert with_apostrophes("DONT call before 9, thats too early") == (
        "DON'T call before 9, that's too early"
    )
    assert with_apostrophes("Imogen cant come, its late") == "Imogen cant come, its late"


def test_a_move_said_in_lower_case_replaces_where_the_user_lived(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I live in Leeds.", conversation="m1")
    changes = learner.learn("i moved to bristol last month", conversation="m2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert [m.text for m in assistant.memories.list()] == ["I live in Bristol."]
    for said in ("i was moved to tears", "i moved to part time", "i moved to a new flat"):
        assert all("live in" not in m.text for m in _learned(assistant, said)), said


def _learned(assistant: Assistant, said: str) -> list[Memory]:
    before = {m.id for m in assistant.memories.list()}
    Learner(assistant.memories).learn(said, conversation="m3")
    return [m for m in assistant.memories.list() if m.id not in before]


@pytest.mark.parametrize(
    "said",
    [
        "left it at home",
        "got you a present",
        "Tom moved to Leeds",
        "move to perth",
        "work in progress",
        "live in the moment",
        "Tom's staying in Leeds",
        "applying for this",
    ],
)
def test_a_clause_with_a_subject_or_an_order_keeps_its_words(said: str) -> None:
    assert subjected(said) == said


@pytest.mark.parametrize(
    ("said", "fact", "not_kept"),
    [
        (
            "quick one — I'm on warfarin so can I take ibuprofen for this headache?",
            "warfarin",
            "ibuprofen",
        ),
        ("my flight home lands at 6:50pm on the 2nd, can someone grab me", "6:50pm", "grab"),
        ("my wife's a doctor btw what's a good board game for 5 year olds", "doctor", "game"),
        ("my son turns 7 on march 14, any gift ideas?", "march 14", "ideas"),
        ("my son is 7 so what size bike should i get him?", "7", "bike"),
        ("my wifi is terrible cos I live in a tiny village called Aldbourne", "Aldbourne", "wifi"),
    ],
)
def test_a_fact_before_a_question_or_request_is_kept_without_it(
    extractor: LearnedExtractor, said: str, fact: str, not_kept: str
) -> None:
    found = facts(extractor, said)
    assert any(fact in f for f in found), found
    assert not any(not_kept in f for f in found), found


def test_the_value_the_user_denies_is_not_stored(extractor: LearnedExtractor) -> None:
    assert (
        without_denied("we called the puppy bramble, not hazel.") == "we called the puppy bramble."
    )
    assert without_denied("I'm not vegan.") == "I'm not vegan."
    found = facts(extractor, "we called the puppy bramble, not hazel 🐶")
    assert any("bramble" in f for f in found), found
    assert not any("hazel" in f.lower() for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "i said earlier my brother was 40",
        "I told you before that I lived in Hull",
        "wait no, that was my cousin",
        "sorry, I'm thinking of my other friend",
        "I'm torn between the vw and the skoda",
        "thinking of getting either a road bike or a gravel bike",
    ],
)
def test_talk_about_what_was_said_or_an_open_choice_is_no_fact(text: str) -> None:
    assert problem(text) is not None


@pytest.mark.parametrize(
    ("said", "fact"),
    [
        ("yo. name's Tavita, i drive a forklift", "My name is Tavita."),
        ("Reminder for myself: Jonah's birthday is 2 May", "Jonah's birthday is 2 May."),
        ("note to self: bins go out on tuesdays", "Bins go out on tuesdays."),
        (
            "My grandmother passed last week. Her name was Dorota.",
            "My grandmother's name was Dorota.",
        ),
    ],
)
def test_a_name_a_note_to_self_and_whose_name_are_read_as_chat_writes_them(
    extractor: LearnedExtractor, said: str, fact: str
) -> None:
    assert fact in facts(extractor, said)


def test_a_list_said_to_be_about_the_user_is_theirs(extractor: LearnedExtractor) -> None:
    said = (
        "stuff you should know about me:\n- allergic to shellfish (proper allergy)\n"
        "- lactose intolerant\n- can't stand olives\n- left-handed"
    )
    assert sorted(facts(extractor, said)) == [
        "I can't stand olives.",
        "I'm allergic to shellfish (proper allergy).",
        "I'm lactose intolerant.",
        "I'm left-handed.",
    ]
    notes = "notes from the meeting:\n- Raj is allergic to nuts\n- launch moved to 14 Oct"
    assert facts(extractor, notes) == []


@pytest.mark.parametrize(
    ("said", "mine"),
    [
        ("allergic to cats tbh", "I'm allergic to cats tbh"),
        ("on warfarin since march", "I'm on warfarin since march"),
        ("vegan since 2019", "I'm vegan since 2019"),
        ("can't stand olives", "I can't stand olives"),
    ],
)
def test_a_state_or_liking_with_no_one_named_is_the_users(said: str, mine: str) -> None:
    assert subjected(said) == mine


@pytest.mark.parametrize(
    "said", ["single malt is my favourite", "love you", "hate when that happens", "married life"]
)
def test_a_state_word_that_opens_something_else_is_left(said: str) -> None:
    assert subjected(said) == said


@pytest.mark.parametrize(
    "text",
    [
        "my neighbour asked me to check her bio:\n\n'Keen gardener and retired headteacher "
        "living in Harrogate, proud mother of three and grandmother of five.'",
        "summarise this chat pls\n\n@tom: running late, stuck on the M6\n@ana: no worries",
        "Tom: I'm stuck on the M6\nAna: I'll save you a seat",
        "fwd from the council\n\nDear Residents,\nBins will be collected on Tuesday this week.",
    ],
)
def test_pasted_text_and_chat_logs_are_not_the_users_facts(
    extractor: LearnedExtractor, text: str
) -> None:
    assert facts(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "payroll week is absolutely killing me",
        "my overdraft is a nightmare this month lol",
    ],
)
def test_venting_is_not_stored(extractor: LearnedExtractor, text: str) -> None:
    assert facts(extractor, text) == []


def test_the_learner_reads_he_and_she_from_the_message_before(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my nephew callum turned 9 on saturday", conversation="c1")
    learner.learn("he's obsessed with trains", conversation="c1")
    learner.learn("he's obsessed with trains", conversation="c2")
    texts = [m.text for m in assistant.memories.list()]
    assert any("callum" in t and "trains" in t for t in texts), texts
    assert not any(t.lower().startswith("he") for t in texts), texts


def test_a_fact_said_of_someone_else_is_taken_back(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i'm allergic to kiwi", conversation="c1")
    learner.learn(
        "hmm no, that was my sister, i'm totally fine with kiwi. ignore that", conversation="c1"
    )
    texts = [m.text for m in assistant.memories.list()]
    assert not any("allergic to kiwi" in t for t in texts), texts


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("hey! im dana, 34, just set this up lol", "My name is Dana."),
        ("hey there, im dave, 45, just trying this out", "My name is Dave."),
        ("my name is dana btw, you never asked lol", "My name is Dana."),
        ("hi, I'm Dana", "My name is Dana."),
        ("call me Dee", "I go by Dee."),
        ("btw my sisters name is priya", "My sister's name is Priya."),
        ("my dog's name is biscuit", "My dog's name is Biscuit."),
    ],
)
def test_a_name_is_learned_in_whatever_case_chat_types_it(
    assistant: Assistant, said: str, kept: str
) -> None:
    assert kept in [m.text for m in _learned(assistant, said)]


def test_an_introduction_as_a_list_gives_each_fact_once(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    changes = learner.learn("hey 👋 im jonas, 29, freelance dev based in leipzig", conversation="i")
    assert [c.action for c in changes] == ["remembered"] * 3, changes
    assert sorted(m.text for m in assistant.memories.list()) == [
        "I'm 29.",
        "I'm freelance dev based in leipzig.",
        "My name is Jonas.",
    ]


@pytest.mark.parametrize(
    "said",
    [
        "hey im starving",
        "im starving, 2 days no food",
        "im so done with work",
        "I'm Fine",
        "I'm Irish",
        "I'm British and proud",
        "hello, I'm Irish",
        "I'm Dana's mum",
    ],
)
def test_a_state_after_im_is_no_name(assistant: Assistant, said: str) -> None:
    assert not any("name" in m.text for m in _learned(assistant, said))


def test_whom_the_user_lives_with_stays_when_they_move(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i live in sheffield with my husband Thomas and our two kids", conversation="h1")
    learner.learn("update: moved to leeds last month, new house is lovely", conversation="h2")
    assert sorted(plain(m.text) for m in assistant.memories.list()) == [
        "I live in Leeds.",
        "I live with my husband Thomas and our two kids.",
    ]
    learner.learn("moved to perth from durban in 2019, still miss the curry", conversation="h3")
    assert sorted(plain(m.text) for m in assistant.memories.list()) == [
        "I live with my husband Thomas and our two kids.",
        "I moved to perth from durban in 2019, still miss the curry.",
    ], "a move said with more, far from the last one in words, still replaces it"


@pytest.mark.parametrize(
    "move",
    [
        "just moved to cardiff!!",
        "weve moved to cardiff",
        "we moved to cardiff last month",
        "living in cardiff now",
        "big news, we just moved into our new place in cardiff!! finally out of the flat",
        "ok we've moved into the cardiff house now, boxes everywhere lol",
    ],
)
def test_a_move_said_as_chat_says_it_replaces_the_old_home(assistant: Assistant, move: str) -> None:
    learner = Learner(assistant.memories)
    learner.learn("we live in a flat in bristol", conversation="h1")
    learner.learn(move, conversation="h2")
    assert [m.text for m in assistant.memories.list()] == ["I live in Cardiff."]


def test_a_move_to_a_place_with_accents_or_hyphens_replaces_the_old_home(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i live in leipzig-plagwitz", conversation="h1")
    assert [m.text for m in assistant.memories.list()] == ["I live in Leipzig-Plagwitz."]
    learner.learn("just moved to berlin-neukölln", conversation="h2")
    assert [m.text for m in assistant.memories.list()] == ["I live in Berlin-Neukölln."]
    learner.learn("i moved to stratford-upon-avon", conversation="h3")
    assert [m.text for m in assistant.memories.list()] == ["I live in Stratford-upon-Avon."]


def test_a_pronoun_after_a_name_means_that_one_not_whom_the_message_before_named(
    assistant: Assistant,
) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my partner dan lives in manchester", conversation="p1")
    learner.learn("kofi quit mtn, hes at vodafone now", conversation="p1")
    texts = [m.text for m in assistant.memories.list()]
    assert "My partner dan lives in manchester." in texts
    assert not any("dan is at vodafone" in t.lower() for t in texts), texts


def test_a_move_still_to_come_is_a_plan_not_the_home(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i live in stockport", conversation="h1")
    learner.learn("weve bought a house in marple, moving on the 20th", conversation="h2")
    texts = [m.text for m in assistant.memories.list()]
    assert "I live in Stockport." in texts, texts
    assert any(t.startswith("We've bought a house in marple, moving on the 20th (") for t in texts)


def test_a_job_changed_or_left_in_lower_case_replaces_the_old_one(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i work at tesco", conversation="j1")
    learner.learn("started a new job at aldi today", conversation="j2")
    assert [m.text for m in assistant.memories.list()] == ["I work at Aldi."]
    learner.learn("i quit aldi", conversation="j3")
    assert [m.text for m in assistant.memories.list()] == ["I no longer work at Aldi."]
    # leaving something that is not where the user works is no job left
    learner.learn("I work at Deloitte", conversation="j4")
    learner.learn("i quit duolingo", conversation="j5")
    assert "I work at Deloitte." in [m.text for m in assistant.memories.list()]
    # nor is it written capitalised: "I quit Duolingo", "I left London"
    for said in ("I quit Duolingo", "I left London in 2019"):
        learner.learn(said, conversation="j6")
    texts = [m.text for m in assistant.memories.list()]
    assert "I work at Deloitte." in texts
    assert not any(t.startswith("I no longer work at") and "Aldi" not in t for t in texts)
    learner.learn("I left Deloitte last week", conversation="j7")
    assert "I no longer work at Deloitte." in [m.text for m in assistant.memories.list()]


def test_a_job_left_for_another_is_the_job_now(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("i work at tesco as a manager", conversation="j1")
    learner.learn("i quit smoking, starting at the gym monday", conversation="j2")
    assert "I work at tesco as a manager." in [m.text for m in assistant.memories.list()]
    changes = learner.learn("i quit tesco, starting at aldi monday", conversation="j3")
    assert [c.action for c in changes] == ["corrected"], changes
    (work,) = [m for m in assistant.memories.list() if m.metadata.get("fact") == "work"]
    assert work.text == "I quit tesco, starting at aldi monday."
    assert [m.text for m in assistant.memories.list(statuses=["superseded"])] == [
        "I work at tesco as a manager."
    ]


def test_a_role_at_an_employer_left_for_another_is_the_job_now(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("I work as a data analyst at Aviva", conversation="j1")
    changes = learner.learn("I quit Aviva, starting at Monzo in january", conversation="j2")
    assert [c.action for c in changes] == ["corrected"], changes
    assert [m.text for m in assistant.memories.list()] == [
        "I quit Aviva, starting at Monzo in january."
    ]


def test_a_named_person_goes_on_in_the_same_sentence(extractor: LearnedExtractor) -> None:
    """ "hes" opens a clause as "he's" does, and a best mate is one of the user's people."""
    found = facts(extractor, "my partner is called tom, hes a chef")
    assert any("tom" in f.lower() and "chef" in f for f in found), found
    found = facts(extractor, "my best mate is called jamie, she lives in glasgow")
    assert any("jamie" in f and "glasgow" in f for f in found), found


def test_a_name_being_given_is_not_read_as_the_last_person_named(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("my friend jo is coming too", conversation="o1")
    learner.learn("changed our minds, calling him otis instead", conversation="o1")
    assert not any("jo otis" in m.text.lower() for m in assistant.memories.list())


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("my best friend is priyanka patel, everyone calls her pree", ()),
        ("my best friend jess lives in leeds", ("Jess",)),
        ("my mother in law is visiting", ()),
        ("my girlfriend is sophie", ("Sophie",)),
        ("we have a dog called biscuit", ("Biscuit",)),
    ],
)
def test_the_names_a_text_gives_never_a_relation_of_two_words(
    text: str, named: tuple[str, ...]
) -> None:
    assert names(text) == named


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("My sister prefers short answers.", ()),
        ("My dentist appointment is on monday.", ()),
        ("my friend Ming studies law", ("Ming",)),
        ("my son james is 4", ("James",)),
    ],
)
def test_a_verb_or_a_thing_after_a_relation_is_no_name(text: str, named: tuple[str, ...]) -> None:
    assert names(text) == named


def test_a_name_said_as_who_one_is_and_then_as_a_name_is_one_note(assistant: Assistant) -> None:
    learner = Learner(assistant.memories)
    learner.learn("hi i'm marta", conversation="n1")
    learner.learn("i'm british", conversation="n1")
    learner.learn("My name is Marta.", conversation="n2")
    texts = sorted(m.text for m in assistant.memories.list())
    assert "My name is Marta." in texts and "I'm marta." not in texts, texts
    assert "I'm british." in texts
    assert [t for t in texts if "arta" in t] == ["My name is Marta."]  # kept as a name at once
