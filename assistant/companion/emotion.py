"""The emotion in what the user said: a learned classifier over the message's MiniLM
embedding (the one the turn already computed), trained on ``assistant/data/emotions.tsv``.

It is one of the shared labelled classifiers (``assistant.learning.labelled``): a softmax
head over the embedding plus a few surface cues that the embedding blurs (exclamation marks,
emoticons, shouting), cached next to the embedding model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.companion.mood import EMOTIONS
from assistant.learning.classifier import Array
from assistant.learning.labelled import LabelledClassifier
from assistant.models.base import Embedder

DATA = "emotions.tsv"

_HAPPY_EMOJI = re.compile(r"[😀😃😄😁😊🙂😍🥰😎🎉🥳❤💕👍✨🙌]|:\)|:D|<3")
_SAD_EMOJI = re.compile(r"[😢😭😞😔☹🙁💔😿]|:\(|:'\(")
_ANGRY_EMOJI = re.compile(r"[😠😡🤬💢👿]|>:\(")
_TIRED_EMOJI = re.compile(r"[😴🥱😪💤]")
_ANXIOUS_EMOJI = re.compile(r"[😰😨😟😬😥😱]")
_WORD = re.compile(r"[A-Za-z]{3,}")


def cues(text: str) -> list[float]:
    """Surface cues of feeling, each in 0..1."""
    words = _WORD.findall(text)
    shouting = sum(1 for w in words if w.isupper()) / len(words) if words else 0.0
    return [
        min(text.count("!"), 3) / 3.0,
        1.0 if text.rstrip().endswith("?") else 0.0,
        min(shouting * 2.0, 1.0),
        1.0 if _HAPPY_EMOJI.search(text) else 0.0,
        1.0 if _SAD_EMOJI.search(text) else 0.0,
        1.0 if _ANGRY_EMOJI.search(text) else 0.0,
        1.0 if _TIRED_EMOJI.search(text) else 0.0,
        1.0 if _ANXIOUS_EMOJI.search(text) else 0.0,
        1.0 if "..." in text or "…" in text else 0.0,
    ]


class EmotionClassifier:
    """The probabilities of the nine emotions for a message.

    Usage::

        emotions = EmotionClassifier(embedder, weights_dir=settings.model_cache)
        emotions.hear("finally got the job!!", vector)   # {"excited": 0.8, ...}
    """

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.classifier = LabelledClassifier(embedder, DATA, EMOTIONS, cues, weights_dir)

    def hear(self, text: str, vector: Sequence[float] | Array | None = None) -> dict[str, float]:
        """The emotions of ``text``; pass its embedding when the turn already computed it."""
        vectors = None if vector is None else np.asarray([vector], dtype=np.float32)
        return self.classifier.probabilities([text], vectors)[0]

    def hear_all(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """The emotions of several texts, embedded in one batch."""
        return self.classifier.probabilities(texts)

    def warm_up(self) -> None:
        """Train or load the weights now, so the first message does not wait for them."""
        self.classifier.weights()


def strongest(heard: dict[str, float]) -> str:
    """The most probable emotion."""
    return max(heard, key=lambda e: heard[e]) if heard else "neutral"
