"""Training the pair reader (:mod:`assistant.models.pair_reader`).

``python -m assistant.consolidation.reader_training`` trains low-rank adapters
on every linear layer of the bundled MiniLM and a softmax head over its mean-pooled token
states, on the labelled pairs of ``assistant/data/pairs.tsv``, ``reader_pairs.tsv``,
``reader_styles.tsv`` (the same facts in mixed registers: sentences, notes, chat),
``reader_topics.tsv`` (different facts about one person and one topic, the closest pairs of
each set, and restatements of some of them) and ``reader_people.tsv`` (one person named by
relation, name or nickname: "My husband Tomás is a chef" / "tomi's a chef"), each pair in
both orders, plus each text paired with a random text of another row as ``unrelated``, so
that two facts that share nothing are never read as one. It fits one reader per seed of
:data:`SEEDS` and writes them together to ``assistant/data/pair_reader.npz``.
Deterministic: the same data and seeds give the same adapters. About an hour on two CPU
cores; needs torch and transformers (installed with the package, for the embedder's export).
``--pairs FILE`` writes the prepared pairs instead, for ``python -m
assistant.models.reader_fit fit`` to fit on a GPU (four minutes for both seeds at once on
one H200), and ``… reader_fit pack`` to put the readers into one file.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from assistant.consolidation.judge_pairs import LABELS, load_pairs
from assistant.models.base import Embedder
from assistant.models.minilm import MiniLMEmbedder, model_source
from assistant.models.pair_reader import adapter_path
from assistant.models.reader_fit import EPOCHS, Example, fit, pack, save, write_examples

NEIGHBOUR_CEILING = 0.5
"""MiniLM cosine under which a text's nearest text of another row is drawn as unrelated."""
TRAINING_FILES = (
    "pairs.tsv",
    "reader_pairs.tsv",
    "reader_styles.tsv",
    "reader_topics.tsv",
    "reader_people.tsv",
)
SEEDS = (7, 8)
"""The seeds of the readers that ship together (their answers averaged)."""

Row = tuple[str, str, str]


def training_pairs() -> list[Row]:
    """The labelled pairs the reader learns from."""
    rows: list[Row] = []
    for name in TRAINING_FILES:
        rows += load_pairs(resources.files("assistant.data").joinpath(name).read_text("utf-8"))
    return rows


def unrelated_pairs(rows: Sequence[Row], embedder: Embedder, seed: int = 7) -> list[Row]:
    """Pairs across rows, labelled ``unrelated``: each text with a random text of another row,
    and with its nearest text of another row when that is under :data:`NEIGHBOUR_CEILING`
    (one topic, another fact; closer ones may say the same thing in another row)."""
    rng = random.Random(seed)
    texts = sorted({t for _, a, b in rows for t in (a, b)})
    rows_of: dict[str, set[int]] = {}
    for n, (_, a, b) in enumerate(rows):
        rows_of.setdefault(a, set()).add(n)
        rows_of.setdefault(b, set()).add(n)
    vectors = embedder.embed(texts)
    out: list[Row] = []
    for i, text in enumerate(texts):
        similarity = vectors @ vectors[i]
        others = [
            int(j) for j in np.argsort(-similarity)[1:20] if not rows_of[texts[j]] & rows_of[text]
        ]
        picks = [j for j in others[:1] if similarity[j] < NEIGHBOUR_CEILING]
        picks.append(rng.randrange(len(texts)))
        out += [
            ("unrelated", text, texts[j]) for j in picks if not rows_of[texts[j]] & rows_of[text]
        ]
    return out


def examples(rows: Sequence[Row], embedder: Embedder, seed: int = 7) -> list[Example]:
    """What the reader is fitted to: every labelled pair and its drawn unrelated pairs, each
    in both orders."""
    labelled = [*rows, *unrelated_pairs(rows, embedder, seed)]
    data = [(LABELS.index(label), a, b) for label, a, b in labelled]
    return data + [(y, b, a) for y, a, b in data]


def train(
    rows: Sequence[Row], embedder: Embedder, seed: int = 7, epochs: int = EPOCHS
) -> dict[str, Any]:
    """The adapters and head (arrays by name, as :func:`save` writes them)."""
    return fit(examples(rows, embedder, seed), LABELS, model_source(), seed=seed, epochs=epochs)


def main(argv: Sequence[str] | None = None) -> None:
    """Retrain the shipped readers, or with ``--pairs FILE`` write what they are fitted to
    (for :mod:`assistant.models.reader_fit` to fit elsewhere, on a GPU say)."""
    parser = argparse.ArgumentParser(prog="python -m assistant.consolidation.reader_training")
    parser.add_argument("cache", nargs="?", type=Path, default=Path(".cache/models"))
    parser.add_argument("--pairs", type=Path, help="write the prepared pairs here and stop")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = MiniLMEmbedder(args.cache)
    rows = training_pairs()
    print(f"{len(rows)} labelled pairs")
    data = examples(rows, embedder)
    if args.pairs:
        write_examples(LABELS, data, args.pairs)
        print(f"wrote {args.pairs}")
        return
    path = adapter_path()
    readers = [fit(data, LABELS, model_source(), seed=seed) for seed in SEEDS]
    save(pack(readers), path)
    print(f"wrote {path} ({len(readers)} readers)")


if __name__ == "__main__":
    main(sys.argv[1:])
