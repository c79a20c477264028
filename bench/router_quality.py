"""Router quality: k-fold cross-validation on the training set, accuracy and confusion matrix on
the held-out set, and the router's latency.

python bench/router_quality.py [--folds 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from common import ROOT, summary

from assistant.conversation.router import (
    ROUTES,
    Router,
    classify,
    content,
    featurize,
    fit,
    load_examples,
    rule_route,
)
from assistant.models.minilm import MiniLMEmbedder

HELD_OUT = ROOT / "tests" / "fixtures" / "router_heldout.tsv"
Confusion = dict[str, dict[str, int]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    args = parser.parse_args()
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    embedder.load()
    report("cross-validation", cross_validate(embedder, load_examples(), args.folds), args.folds)
    examples = load_examples(HELD_OUT)
    with tempfile.TemporaryDirectory() as weights:
        router = Router(embedder, Path(weights))
        started = time.perf_counter()
        router.weights()
        print(
            f"training on {len(load_examples())} examples: "
            f"{time.perf_counter() - started:.2f} s (cached afterwards)"
        )
        vectors = embedder.embed([text for _, text in examples])
        confusion = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
        decide, total = [], []
        for (label, text), vector in zip(examples, vectors, strict=True):
            router._cache.clear()  # measure decisions, not cache hits
            started = time.perf_counter()
            got = router.route(text, vector).route
            decide.append((time.perf_counter() - started) * 1000)
            confusion[label][got] += 1
        for n, (_, text) in enumerate(examples):
            router._cache.clear()
            started = time.perf_counter()
            router.route(f"{text} #{n}")  # unseen text: embedding included
            total.append((time.perf_counter() - started) * 1000)
    report("held-out", confusion)
    print(summary("router decision (embedding given)", decide))
    print(summary("router with embedding of an unseen message", total))


def cross_validate(
    embedder: MiniLMEmbedder, examples: list[tuple[str, str]], folds: int
) -> Confusion:
    """Confusion of the whole decision (rules, then the classifier) over ``folds`` stratified
    folds of ``examples``: each is routed by a classifier trained on the other folds."""
    x = featurize(embedder, [text for _, text in examples])
    labels = [label for label, _ in examples]
    fold = np.zeros(len(examples), dtype=int)
    rng = np.random.default_rng(0)
    for route in ROUTES:  # stratified: each fold has its share of every route
        rows = rng.permutation([i for i, label in enumerate(labels) if label == route])
        fold[rows] = np.arange(len(rows)) % folds
    confusion = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
    for k in range(folds):
        train = np.flatnonzero(fold != k)
        weights = fit(x[train], [labels[i] for i in train])
        for i in np.flatnonzero(fold == k):
            text = examples[i][1]
            vector = x[i, : embedder.dim]  # the embedding of content(text)
            got = rule_route(text) or classify(weights, vector, content(text)).route
            confusion[labels[i]][got] += 1
    return confusion


def report(name: str, confusion: Confusion, folds: int = 0) -> None:
    """Accuracy, TOOL recall and the confusion matrix."""
    n = sum(sum(row.values()) for row in confusion.values())
    right = sum(confusion[r][r] for r in ROUTES)
    found, tools = confusion["tool"]["tool"], sum(confusion["tool"].values())
    how = f" ({folds}-fold, training set)" if folds else ""
    print(
        f"{name}{how}: accuracy {right}/{n} = {right / n:.1%}, "
        f"TOOL recall {found}/{tools} = {found / tools:.1%}"
    )
    print("confusion (rows: true route, columns: predicted):")
    print(f"  {'':8}" + "".join(f"{r:>9}" for r in ROUTES))
    for route in ROUTES:
        print(f"  {route:8}" + "".join(f"{confusion[route][p]:>9}" for p in ROUTES))


if __name__ == "__main__":
    main()
