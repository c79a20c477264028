"""A clause with no subject of its own that only says more of the clause before it is kept
with that clause, read by a classifier over MiniLM (the opening rule alone with any other
embedder); a clause with a subject of its own, a question or a request never is."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.learning.classifier import ClauseClassifier
from assistant.learning.continuation import Continuations
from assistant.learning.labelled import load_rows
from assistant.learning.learned import LearnedExtractor
from assistant.models.fakes import HashEmbedder
from assistant.models.minilm import MiniLMEmbedder

GOES_ON = [
    "named them pesto and gnocchi",
    "three hives behind the house",
    "got about 40kg of honey off them this year",
    "a rescue ferret called Noodle",
]
STANDS = [
    "my brother is a plumber",
    "we moved to Cardiff last year",
    "she is eleven now",
    "and my partner hates cheese",
    "occupational hazard, I'm a bartender in Shoreditch",
]


@pytest.fixture(scope="module")
def going(minilm: MiniLMEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Continuations:
    return Continuations(minilm, tmp_path_factory.mktemp("weights"))


@pytest.fixture(scope="module")
def extractor(minilm: MiniLMEmbedder) -> LearnedExtractor:
    return LearnedExtractor(ClauseClassifier(minilm))


def test_the_examples_are_not_in_the_training_data() -> None:
    written = {text.lower() for _, text in load_rows("continuations.tsv")}
    assert not written & {t.lower() for t in GOES_ON + STANDS}
    labels = {label for label, _ in load_rows("continuations.tsv")}
    assert labels == {"continues", "stands"}


def test_clauses_that_go_on_are_told_from_clauses_that_stand(going: Continuations) -> None:
    assert going.on(GOES_ON) == [True] * len(GOES_ON)
    assert going.on(STANDS) == [False] * len(STANDS)
    assert going.on([]) == []


def test_weights_are_cached_and_read_back(going: Continuations, tmp_path: Path) -> None:
    first = Continuations(going.classifier._embedder, tmp_path).classifier._load_or_train()
    assert next(tmp_path.glob("continuations-*.npy")).is_file()
    again = Continuations(going.classifier._embedder, tmp_path).classifier._load_or_train()
    assert (first == again).all()


def test_with_another_embedder_only_the_opening_rule_decides() -> None:
    going = Continuations(HashEmbedder())
    assert going.on(["due in april", "named them pesto and gnocchi", "my wife is a nurse"]) == [
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("said", "together"),
    [
        (
            "we just adopted two rescue guinea pigs!! named them pesto and gnocchi",
            ("pigs", "pesto"),
        ),
        (
            "we keep bees! three hives behind the house, got about 40kg of honey off them",
            ("bees", "hives", "40kg"),
        ),
    ],
)
def test_a_detail_is_stored_with_the_fact_it_goes_on_from(
    extractor: LearnedExtractor, said: str, together: tuple[str, ...]
) -> None:
    found = [c.text for c in extractor.extract(said)]
    assert len(found) == 1 and all(word in found[0] for word in together), found
    assert "!," not in found[0]


def test_a_question_or_a_clause_of_its_own_is_not_joined(extractor: LearnedExtractor) -> None:
    found = [c.text for c in extractor.extract("my life is chaos, whats a good name for a cat")]
    assert not any("name for a cat" in f for f in found), found
    found = [c.text for c in extractor.extract("I'm a nurse. my brother is a plumber")]
    assert len(found) == 2, found


def test_a_detail_goes_on_from_a_fact_a_rule_read(extractor: LearnedExtractor) -> None:
    """What goes on from a fact a rule reads is kept with that fact, as the rule's kind of
    fact, without the capital that opened its own sentence."""
    (found,) = extractor.extract("I'm pregnant! Due in March.")
    assert found.text == "I'm pregnant, due in March." and found.kind != "clause", found


def test_a_capital_that_only_opened_a_sentence_is_dropped_in_a_join(
    extractor: LearnedExtractor,
) -> None:
    found = [c.text for c in extractor.extract("Moved to Leeds last month. Loving it so far.")]
    assert len(found) == 1 and found[0].endswith(", loving it so far."), found


def test_a_fact_a_rule_read_is_not_grown_by_what_only_colours_it(
    extractor: LearnedExtractor,
) -> None:
    said = "big news, we just moved into our new place in cardiff!! finally out of the flat"
    assert [c.text for c in extractor.extract(said)] == ["I live in Cardiff."]


def test_a_sentence_of_its_own_after_a_fact_a_rule_read_stands(
    extractor: LearnedExtractor,
) -> None:
    found = [c.text for c in extractor.extract("I'm pregnant! My sister is a midwife.")]
    assert len(found) == 2 and not any("pregnant, " in f for f in found), found
