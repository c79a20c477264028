"""Standing instructions in what the user writes: what they ask of every later answer
("always give recipes in metric", "im autistic so pls be direct", "going forward no emojis"),
told apart from a request for this answer only ("give me that recipe in metric"), a fact
about their own habits ("I always cycle to work") and an attempt to subvert the assistant.

A classifier over the MiniLM embedding decides (:mod:`assistant.learning.labelled`, trained
on ``assistant/data/instructions.tsv``), with a few surface features (a lasting word, an
imperative start, a question mark). Only the user's own sentences are read, never pasted text,
and a sentence the injection detector flags is never an instruction.

Usage::

    reader = InstructionReader(embedder, settings.model_cache)
    reader.standing(["Always give recipes in metric.", "I live in Leeds."])
    # ["Always give recipes in metric."]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from assistant.learning.clauses import clean, split_sentence, with_apostrophes
from assistant.learning.labelled import LabelledClassifier, hashed_words
from assistant.learning.pii import redact_secrets
from assistant.models.base import Embedder

LABELS = ("standing", "once", "other", "hostile")
STANDING = 0.5
"""Probability of ``standing`` from which a sentence is kept as an instruction (more than
every other label's together)."""
HASHED = 1024
"""Buckets the words and word pairs of a sentence are hashed into, beside its embedding."""
FITTING = (2000, 1e-4)
"""Epochs and L2 penalty of the classifier (cross-validated on the training data)."""
MAX_SENTENCE = 300
"""A longer sentence is never read as an instruction (it is a paste or a story)."""

_LASTING = re.compile(
    r"\b(?:always|never|from now on|going forward|in future|in the future|any ?more|"
    r"every time|whenever|by default|default to|each time|no more|stop|don'?t ever|"
    r"ever again|all the time|every answer|all your (?:answers|replies))\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(?:(?:pls|please|plz|kindly|and|so|also|oh|ok|okay)[,\s]+)*(?:be|keep|use|give|answer|"
    r"reply|respond|talk|speak|call|write|stop|don'?t|do not|avoid|never|always|assume|default|"
    r"remind|make|list|show|tell|include|skip|put|format|address|refer|treat|check|ask|no)\b",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(?:you|u|ur|your|yourself)\b", re.IGNORECASE)
_ME = re.compile(r"\b(?:me|my|i|i'?m|im)\b", re.IGNORECASE)


def cues(text: str) -> list[float]:
    """Surface features: a lasting word, an imperative start, "you", "me", a question mark,
    and the length."""
    return [
        *_cues(text),
        *hashed_words(text, HASHED).tolist(),
    ]


def _cues(text: str) -> list[float]:
    return [
        1.0 if _LASTING.search(text) else 0.0,
        1.0 if _IMPERATIVE.search(text.strip()) else 0.0,
        1.0 if _YOU.search(text) else 0.0,
        1.0 if _ME.search(text) else 0.0,
        1.0 if text.rstrip().endswith("?") else 0.0,
        min(len(text.split()), 40) / 40.0,
    ]


class InstructionReader:
    """Which of the user's own sentences are standing instructions (only a sentence with a
    lasting word, an imperative start or "you" is embedded)."""

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.classifier = LabelledClassifier(
            embedder, "instructions.tsv", LABELS, cues, weights_dir, True, FITTING
        )

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        """For each sentence, the probability that it is a standing instruction."""
        return [p["standing"] for p in self.classifier.probabilities(list(sentences))]

    def standing(self, sentences: Sequence[str]) -> list[str]:
        """The sentences that are standing instructions (whole, or in one of their clauses),
        as they are kept: cleaned, with any secret redacted."""
        pieces = {
            sentence: [p for p in _pieces(sentence) if any(_cues(p)[:3])]
            for sentence in sentences
            if 0 < len(sentence) <= MAX_SENTENCE and _LETTERS.search(sentence)
        }
        read = sorted({p for found in pieces.values() for p in found})
        standing = {
            p for p, prob in zip(read, self.probabilities(read), strict=True) if prob >= STANDING
        }
        kept: list[str] = []
        for sentence, found in pieces.items():
            text = clean(with_apostrophes(redact_secrets(sentence)))
            if text and standing.intersection(found):
                kept.append(text.rstrip("?") + ("." if text.endswith("?") else ""))
        return kept


def _pieces(sentence: str) -> list[str]:
    """A sentence, and its clauses when it has several ("im autistic, so pls be direct" is
    read whole and as "so pls be direct"): an instruction is often one clause of a sentence,
    and the sentence is what is kept."""
    clauses = split_sentence(sentence)
    return [sentence, *clauses] if len(clauses) > 1 else [sentence]


_LETTERS = re.compile(r"[^\W\d_]{2}")
