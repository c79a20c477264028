"""The emotion classifier on the real MiniLM: trained on the shipped set, it names the
feeling of messages it never saw, and it reads the embedding the turn already has."""

from __future__ import annotations

import pytest

from assistant.companion.emotion import EmotionClassifier, strongest
from assistant.companion.mood import EMOTIONS
from assistant.learning.labelled import load_rows
from assistant.models.minilm import MiniLMEmbedder
from tests.conftest import MODEL_CACHE


@pytest.fixture
def emotions(minilm: MiniLMEmbedder) -> EmotionClassifier:
    return EmotionClassifier(minilm, MODEL_CACHE)  # trained once, then read from the cache


def test_the_training_set_covers_every_emotion_in_many_styles() -> None:
    rows = load_rows("emotions.tsv")
    labels = [label for label, _ in rows]
    assert set(labels) == set(EMOTIONS)
    assert min(labels.count(e) for e in EMOTIONS) >= 60
    texts = [text for _, text in rows]
    assert len(set(texts)) == len(texts)
    assert sum(1 for t in texts if t == t.lower()) > len(texts) / 3  # lower case, as typed
    assert sum(1 for t in texts if any(ord(ch) > 0x2600 for ch in t)) >= 30  # emoji


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("thanks so much for sorting that out for me, you're a star", "grateful"),
        ("my grandpa passed away on sunday and I keep crying", "sad"),
        ("ugh I've been awake for 20 hours, can barely keep my eyes open", "tired"),
        ("the exam is tomorrow and I'm freaking out, what if I fail", "anxious"),
        ("they double charged me AGAIN and won't refund it, I'm furious", "angry"),
        ("how many litres are in a gallon", "neutral"),
        ("WE'RE GOING TO ICELAND NEXT WEEK!!! can't wait", "excited"),
    ],
)
def test_unseen_messages_get_their_emotion(
    emotions: EmotionClassifier, text: str, emotion: str
) -> None:
    assert strongest(emotions.hear(text)) == emotion


def test_a_given_embedding_is_used_as_is(
    emotions: EmotionClassifier, minilm: MiniLMEmbedder
) -> None:
    text = "my grandpa passed away on sunday and I keep crying"
    vector = minilm.embed([text])[0]
    with_vector = emotions.hear(text, vector)
    assert with_vector == pytest.approx(emotions.hear(text), abs=1e-5)
    other = minilm.embed(["thanks so much, you're a star"])[0]
    assert strongest(emotions.hear(text, other)) != "sad"  # it read the vector, not the text
    assert sum(with_vector.values()) == pytest.approx(1.0, abs=1e-5)
