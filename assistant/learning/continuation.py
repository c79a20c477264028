"""Whether a clause goes on from the one before it: no subject of its own, only more of what
was just said ("we just adopted two guinea pigs!! named them pesto and gnocchi", "we keep bees!
three hives behind the house", "new job monday, junior ux designer at a fintech").

A softmax regression over the MiniLM embedding (:class:`~assistant.learning.labelled.
LabelledClassifier`), trained on the labelled clauses shipped in
``assistant/data/continuations.tsv`` (written for the purpose: clauses that go on and clauses
that stand alone, in the registers chat mixes), both labels weighing the same, with the opening
rule of :func:`~assistant.learning.context.continues` ("due in april", "3 bed outside
columbus") as a feature. A clause goes on when the rule says so or the classifier does; with an
embedder other than MiniLM (which reads words, not meaning) only the rule decides.

Usage::

    going = Continuations(embedder, weights_dir=settings.model_cache)
    going.on(["named them pesto and gnocchi", "my wife is a nurse"])   # [True, False]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from assistant.learning.context import continues
from assistant.learning.labelled import LabelledClassifier
from assistant.models.base import Embedder
from assistant.models.minilm import is_minilm

LABELS = ("stands", "continues")
DATA = "continuations.tsv"
THRESHOLD = 0.5
"""The probability of ``continues`` from which a clause is read as going on."""
_SUBJECT = re.compile(
    r"^(?:(?:and|but|so|also|plus|oh|btw|tbh|ngl)\W+)*"
    r"(?:i|i'm|im|i've|ive|i'd|i'll|we|we're|we've|my|our|he|she|they|his|her|their|"
    r"he's|she's|they're)\b",
    re.IGNORECASE,
)
"""A clause that opens (after a filler) with the user or someone as its subject."""
_OWN_FACT = re.compile(r"\b(?:i'm|im|i am|we're|we are)\b", re.IGNORECASE)
"""A clause that says something of the user's own further on ("occupational hazard, I'm a
bartender"): it stands, whatever it opens with."""


def _cues(text: str) -> list[float]:
    return [float(continues(text)), float(_SUBJECT.match(text.strip()) is not None)]


class Continuations:
    """Reads which clauses go on from the clause before them."""

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.learned = is_minilm(embedder)
        self.classifier = LabelledClassifier(
            embedder, DATA, LABELS, _cues, weights_dir, balanced=True
        )

    def on(self, clauses: Sequence[str]) -> list[bool]:
        """For each clause, whether it goes on from the one before it (those the rule leaves
        and that open without a subject are embedded in one batch)."""
        going = [continues(c) for c in clauses]
        if not self.learned:
            return going
        unread = [n for n, c in enumerate(clauses) if not going[n] and _learnable(c)]
        probabilities = self.classifier.probabilities([clauses[n] for n in unread])
        for n, p in zip(unread, probabilities, strict=True):
            going[n] = p["continues"] >= THRESHOLD
        return going


def _learnable(clause: str) -> bool:
    """Whether the classifier may say a clause goes on: it has no subject of its own at its
    start and no statement of the user's own further on."""
    text = clause.strip()
    return _SUBJECT.match(text) is None and _OWN_FACT.search(text) is None
