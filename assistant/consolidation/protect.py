"""What a memory's meaning says about keeping it: a health or safety fact, one about the
user's people, one about who the user is, an essential one, or an everyday one that may fade.

A softmax regression over the MiniLM embedding (:class:`~assistant.learning.labelled.
LabelledClassifier`), trained on the labelled memory texts shipped in
``assistant/data/keep.tsv`` (written for the purpose, in the registers a store mixes:
sentences, notes, chat), every label weighing the same so that ``everyday``, the commonest, is
not favoured. It trains itself on first use, once per data and embedder.

Usage::

    protection = Protection(embedder, weights_dir=settings.model_cache)
    protection.reasons(texts, vectors)   # ["health", None, "about your people", …]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.learning.labelled import LabelledClassifier
from assistant.models.base import Embedder

LABELS = ("health", "people", "identity", "essential", "everyday")
EVERYDAY = "everyday"
DATA = "keep.tsv"
REASONS = {"people": "about your people"}
"""The reason given for a kept label where it is not the label itself."""


class Protection:
    """Reads which memories must never be archived by decay, by what they mean."""

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.classifier = LabelledClassifier(
            embedder, DATA, LABELS, _no_features, weights_dir, balanced=True
        )

    def reasons(
        self, texts: Sequence[str], vectors: npt.NDArray[np.float32] | None = None
    ) -> list[str | None]:
        """Why each memory is kept from decay by its meaning (its likeliest label, when that
        is not ``everyday``), or None; ``vectors`` are the texts' embeddings where known. On
        the development sets' stores (v1-v3) this keeps 37-40 of 40 keepers by meaning alone,
        and 9-25 of 80 fillers (many about the user's children): keeping a trifle costs a
        note that never leaves for the archive, losing a fact that matters costs the fact."""
        out: list[str | None] = []
        for row in self.classifier.probabilities(texts, vectors):
            label = max(row, key=row.__getitem__)
            out.append(None if label == EVERYDAY else REASONS.get(label, label))
        return out


def _no_features(text: str) -> Sequence[float]:
    """Meaning alone: no surface features."""
    return ()
