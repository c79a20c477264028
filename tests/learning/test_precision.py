"""Extraction without a model stores facts only: never a question, a request or instruction
to the assistant, a hypothetical, a joke, a placeholder, small talk or pasted text; and still
learns third-person facts, lowercase names, typos, slang, emoji and compound sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.learning.classifier import KEEP_THRESHOLD, ClauseClassifier, load_examples
from assistant.learning.clauses import clauses
from assistant.learning.learned import LearnedExtractor
from assistant.learning.model_extract import parse_facts
from assistant.learning.quality import learned, score
from assistant.learning.validate import is_fact, problem
from assistant.models.minilm import MiniLMEmbedder

DATA = Path(__file__).parent / "data"

NEVER = [
    "sam's in a meeting rn",
    "does kofi still work at mtn?",
    "always give recipes in metric",
    "remember to answer in French",
    "remember to answer in French from now on",
    "do you know where I put my keys?",
    "do you know where I put my keys",
    "if I ever move to Spain I'd get a dog",
    "oh sure, I LOVE mondays 🙃",
    "i love how my train is late every single day 🙃",
    "i just LOVE working weekends 🙄",
    "oh yeah i LOVE mondays. nothing better than 47 unread emails and a broken kettle 🙃",
    "i own like 3 yachts 🙄",
    "lives in [city]",
    "my name is [name] and I live in {town}",
    "ok thanks",
    "lol",
    "can you book a table for 4 at 7?",
    "please stop using bullet points",
    "from now on always call me captain",
    "use british spelling in everything you write for me",
    "don't ever recommend horror films to me",
    "could you remind me to call the bank",
    "can we talk about something else",
    "Dear team, please submit your timesheets by Friday. Regards, HR",
    "The quarterly report shows revenue up 12%.",
    "maybe I'll take up pottery one day",
    "thinking maybe i'll take the topik exam at some point but honestly not sure",
    "we could move to bristol next year but idk",
    "yeah obviously I adore doing taxes 😂",
    "thx 👍",
    "GRANDMA'S SHORTBREAD",  # a pasted heading
    "Senior Backend Engineer Nairobi (hybrid)",  # a pasted ad's title
    "what sports am i into",
    "ur the best",
    "what time is it in tokyo rn",
    "should i dye my hair pink",
    "pretend you're a pirate and tell me I'm brave",
    "my brother is called ..",
]


@pytest.fixture(scope="module")
def extractor(minilm: MiniLMEmbedder) -> LearnedExtractor:
    return LearnedExtractor(ClauseClassifier(minilm))


@pytest.mark.parametrize("text", NEVER)
def test_what_is_not_a_fact_is_never_stored(extractor: LearnedExtractor, text: str) -> None:
    assert [c.text for c in extractor.extract(text)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my cat luna hates the vacuum lol", "luna"),
        ("i go climbing at the depot every tuesday and thursday", "climbing"),
        ("im alergic to penicilin btw", "penicilin"),
        ("my sister meg just got a job at the bbc", "meg"),
        ("ngl I've been vegan for like 3 years now 🌱", "vegan"),
        ("my partner sam is coeliac so no gluten when they're over", "coeliac"),
        ("we've got a rescue greyhound named pickle, she's terrified of bikes", "pickle"),
        ("I don't eat pork, I'm muslim", "muslim"),
        ("my hamster nibbles died last night 😢", "nibbles"),
        ("kofi works at mtn", "mtn"),
        ("im allergic to cats 🙄 typical", "allergic to cats"),  # annoyed, not sarcastic
        ("i'm on 20mg of fluoxetine now 🙄", "fluoxetine"),
        ("just got diagnosed with asthma 🙃", "asthma"),  # borne with a shrug
        ("priyanka is moving to bristol in the spring", "bristol"),
        ("I love my new job at the bakery. The 4am starts though 🙃", "bakery"),
        ("I'm a nurse. Night shifts again this week, what a treat 🙃", "nurse"),
    ],
)
def test_facts_in_everyday_writing_are_learned(
    extractor: LearnedExtractor, text: str, expected: str
) -> None:
    found = [c.text for c in extractor.extract(text)]
    assert any(expected in f.lower() for f in found), found


def test_a_compound_introduction_gives_several_readable_facts(
    extractor: LearnedExtractor,
) -> None:
    found = [
        c.text
        for c in extractor.extract(
            "hey, I'm Priya, 41, a nurse, living in Leeds with my wife Jo and our twins"
        )
    ]
    assert len(found) >= 3, found
    assert all(is_fact(f) for f in found), found


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("im allergic to shellfish tho", "I'm allergic to shellfish."),
        ("i love my job though", "I love my job."),
    ],
)
def test_a_trailing_tho_is_no_word_of_the_fact(
    extractor: LearnedExtractor, text: str, kept: str
) -> None:
    assert [c.text for c in extractor.extract(text)] == [kept]


@pytest.mark.parametrize(("text", "name"), [("hi im alex", "Alex"), ("hello im jo 👋", "Jo")])
def test_a_name_after_a_greeting_in_lower_case_is_the_name(
    extractor: LearnedExtractor, text: str, name: str
) -> None:
    assert f"My name is {name}." in [c.text for c in extractor.extract(text)]


@pytest.mark.parametrize("text", ["hey im starving", "hi im back", "hey im sick 🤒"])
def test_a_state_after_a_greeting_is_no_name(extractor: LearnedExtractor, text: str) -> None:
    assert not any(c.text.startswith("My name") for c in extractor.extract(text))


def test_a_role_keeps_a_place_written_with_accents(extractor: LearnedExtractor) -> None:
    found = [c.text for c in extractor.extract("I work as accountant in Kraków.")]
    assert "I work as an accountant in Kraków." in found, found


def test_an_introduction_ending_in_an_emoji_keeps_the_age_and_the_name(
    extractor: LearnedExtractor,
) -> None:
    found = [c.text for c in extractor.extract("hey! im sam, 34 🙂")]
    assert "My name is Sam." in found and "I'm 34." in found, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "i have a peanut allergy AND i'm lactose intolerant, fun times",
            ["I have a peanut allergy.", "I'm lactose intolerant."],
        ),
        (
            "peanuts make me really ill, I'm allergic",
            ["Peanuts make me really ill.", "I'm allergic to peanuts."],
        ),
        ("shellfish, im allergic", ["I'm allergic to shellfish."]),
        ("im vegan and have been for years", ["Im vegan and have been for years."]),
        (
            "been on the school team since yr 9 fr fr",
            ["Been on the school team since yr 9."],
        ),
        (
            "my husband dev and i are expecting our first baby in november 🥹",
            ["My husband dev and i are expecting our first baby in november."],
        ),
    ],
)
def test_splitting_leaves_no_fragments(text: str, expected: list[str]) -> None:
    assert [c for c in clauses(text) if is_fact(c)] == expected


@pytest.mark.parametrize(
    "fact",
    [
        "The user wants answers in French.",
        "Always use metric units.",
        "Where did I put my keys?",
        "The user lives in [city].",
        "If I move to Spain, I would buy a boat.",
    ],
)
def test_a_models_fact_is_validated_the_same_way(fact: str) -> None:
    data = {"memories": [{"text": fact, "type": "semantic", "importance": 5, "kind": "note"}]}
    message = "remember I'd answer in french, always use metric, where did I put my keys, " + fact
    assert parse_facts(data, message) == [], problem(fact)


def test_own_held_out_conversations_are_precise(minilm: MiniLMEmbedder) -> None:
    conversations = json.loads((DATA / "extraction_own_heldout.json").read_text())
    result = score(conversations, learned(ClauseClassifier(minilm)))
    assert result.precision >= 0.9, result.junk
    assert result.recall >= 0.75, result.missed


def test_held_out_clauses_are_classified_precisely(minilm: MiniLMEmbedder) -> None:
    examples = load_examples(DATA / "clauses_heldout.tsv")
    assert len(examples) >= 140
    classifier = ClauseClassifier(minilm)
    verdicts = classifier.classify([e.text for e in examples])
    kept = [
        e
        for e, v in zip(examples, verdicts, strict=True)
        if v.keep >= KEEP_THRESHOLD and is_fact(e.text)
    ]
    right = sum(e.keep for e in kept)
    labelled = sum(e.keep for e in examples)
    assert right / len(kept) >= 0.9, [e.text for e in kept if not e.keep]
    assert right / labelled >= 0.75


def test_unseen_conversations_meet_the_targets(minilm: MiniLMEmbedder) -> None:
    """A set written after the extractor was tuned and scored once (precision 0.96, recall
    1.00 then): the targets, not that figure, are what must hold."""
    conversations = json.loads((DATA / "extraction_own_final.json").read_text())
    result = score(conversations, learned(ClauseClassifier(minilm)))
    assert result.precision >= 0.85, result.junk
    assert result.recall >= 0.6, result.missed


@pytest.mark.parametrize(
    ("fact", "why"),
    [
        ("I don't.", "fragment"),
        ("Haven't for 4 years.", "fragment"),
        ("Yes she is, twice.", "fragment"),
        ("We do, always.", "fragment"),
        ("I'm 37.", None),
        ("She turns 4 in May.", None),
        ("I'm vegetarian.", None),
        ("I've been vegan for 3 years.", None),
        ("Book club is the first Thursday of the month.", None),  # "book" names, asks nothing
        ("Book the dentist for tuesday.", "request or instruction to the assistant"),
    ],
)
def test_an_answer_that_means_nothing_alone_is_a_fragment(fact: str, why: str | None) -> None:
    assert problem(fact) == why


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        (  # a lyric quoted after a colon is the song's words; the band is the user's
            "lyric stuck in my head all day: 'i'm a creep, i'm a weirdo' 😩 occupational "
            "hazard, i play bass in a radiohead tribute band",
            ["I play bass in a radiohead tribute band."],
        ),
        (  # the joke, then what is so: never one fact
            "lol I'm basically a professional napper. but for real I work from home as a UX "
            "designer",
            ["I work from home as a UX designer."],
        ),
        ('my favourite song is "hey jude"', ['My favourite song is "hey jude".']),
    ],
)
def test_quoted_words_and_jokes_turned_from_are_not_the_users_facts(
    extractor: LearnedExtractor, said: str, kept: list[str]
) -> None:
    assert [c.text for c in extractor.extract(said)] == kept
