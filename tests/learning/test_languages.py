"""Messages in another language than English are told apart by their function words; English
with a few foreign words stays English."""

from __future__ import annotations

import pytest

from assistant.learning.languages import foreign


@pytest.mark.parametrize(
    "text",
    [
        "mi hermana se llama lucía y vive en sevilla",
        "je suis allergique aux arachides",
        "ich wohne in münchen",
        "wie heißt meine schwester",
        "eu moro em lisboa",
        "ik woon in utrecht met mijn vriend",
    ],
)
def test_other_languages_are_foreign(text: str) -> None:
    assert foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        "I love pastel de choclo y empanadas",
        "my fav café is le petit prince",
        "die hard is my favourite film",
        "de la soul is the best band",
        "the dog goes crazy scared w/ fuegos artificiales",
        "ok",
        "",
        "🙂🙂🙂",
    ],
)
def test_english_with_foreign_words_is_not(text: str) -> None:
    assert not foreign(text)
