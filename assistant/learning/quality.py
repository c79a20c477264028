"""Scoring extraction against a labelled set of conversations (precision first)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.learning.classifier import (
    BANDS,
    KEEP_THRESHOLD,
    ClauseClassifier,
    band,
    features,
    load_examples,
    predict,
    train,
)
from assistant.learning.extract import extract
from assistant.learning.injection import looks_like_injection, own_words
from assistant.learning.learned import LearnedExtractor
from assistant.models.base import Embedder


@dataclass
class ExtractionScore:
    """How an extractor did on a labelled set."""

    kept: int = 0
    junk: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    expected: int = 0

    @property
    def precision(self) -> float:
        """Share of extracted facts that a careful human would keep."""
        total = self.kept + len(self.junk)
        return self.kept / total if total else 1.0

    @property
    def recall(self) -> float:
        """Share of the facts to keep that were extracted."""
        return (self.expected - len(self.missed)) / self.expected if self.expected else 1.0


def rules(text: str) -> list[str]:
    """The rule-based extractor as the scorer calls it: texts of the facts in one message."""
    return [] if looks_like_injection(text) else [c.text for c in extract(text)]


def learned(classifier: ClauseClassifier) -> Callable[[str], list[str]]:
    """The learned extractor (clause classifiers plus rules) as the scorer calls it, with
    the learner's injection handling: hostile sentences and pasted text contribute nothing."""
    extractor = LearnedExtractor(classifier)

    def run(text: str) -> list[str]:
        own = "\n".join(
            line for line in own_words(text).splitlines() if not looks_like_injection(line)
        )
        return [c.text for c in extractor.extract(own)]

    return run


def score(
    conversations: Sequence[Mapping[str, Any]],
    extractor: Callable[[str], list[str]] = rules,
) -> ExtractionScore:
    """Score ``extractor`` on conversations shaped ``{"messages", "keep", "reject"}``: a fact
    counts as kept when it contains one of the ``keep`` phrases."""
    result = ExtractionScore()
    for conversation in conversations:
        keep = [k.lower() for k in conversation["keep"]]
        found = list(dict.fromkeys(f for m in conversation["messages"] for f in extractor(m)))
        for fact in found:
            if any(k in fact.lower() for k in keep):
                result.kept += 1
            else:
                result.junk.append(fact)
        result.expected += len(keep)
        result.missed += [k for k in keep if not any(k in f.lower() for f in found)]
    return result


@dataclass(frozen=True)
class CrossValidation:
    """k-fold cross-validation of the clause classifiers on their own training data."""

    precision: float
    """Of the clauses kept, the share labelled keep."""
    recall: float
    """Of the clauses labelled keep, the share kept."""
    type_accuracy: float
    """Memory type right, over clauses labelled keep."""
    importance_accuracy: float
    """Importance band right, over clauses labelled keep."""


def cross_validate(embedder: Embedder, folds: int = 5, seed: int = 0) -> CrossValidation:
    """Train on k-1 folds of the shipped clauses and score the held-out fold, k times."""
    examples = load_examples()
    vectors = embedder.embed([e.text for e in examples])
    x = np.stack([features(v, e.text) for v, e in zip(vectors, examples, strict=True)])
    order = np.random.default_rng(seed).permutation(len(examples))
    kept = right = labelled = found = typed = banded = 0
    for held in np.array_split(order, folds):
        train_rows = np.setdiff1d(order, held)
        weights = train(x[train_rows], [examples[i] for i in train_rows])
        for row, verdict in zip(held, predict(weights, x[held]), strict=True):
            example = examples[row]
            keep = verdict.keep >= KEEP_THRESHOLD
            kept += keep
            right += keep and example.keep
            if example.keep:
                labelled += 1
                found += keep
                typed += verdict.type.value == example.type
                banded += verdict.importance == BANDS[band(example.importance)]
    return CrossValidation(
        right / kept if kept else 1.0,
        found / labelled if labelled else 1.0,
        typed / labelled if labelled else 1.0,
        banded / labelled if labelled else 1.0,
    )
