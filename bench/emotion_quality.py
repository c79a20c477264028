"""Emotion classifier quality: accuracy, macro-F1 and the confusion matrix on a labelled TSV
(``emotion<TAB>message``), with the classifier the assistant ships (trained on
``assistant/data/emotions.tsv`` over the real MiniLM, or loaded from its cache).

``--folds K`` instead scores a stratified K-fold cross-validation of the training set itself
(each message classified by a head trained on the other folds).

python bench/emotion_quality.py [MESSAGES.tsv] [--folds K]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from common import ROOT

from assistant.companion.emotion import DATA, EmotionClassifier, strongest
from assistant.companion.mood import EMOTIONS
from assistant.learning.classifier import fit, softmax
from assistant.learning.labelled import load_rows
from assistant.models.minilm import MiniLMEmbedder

DEFAULT = ROOT / "bench" / "blind_emotion" / "messages.tsv"
Confusion = dict[str, dict[str, int]]


def read(path: Path) -> list[tuple[str, str]]:
    """``(emotion, message)`` rows of a TSV file; other labels and ``#`` lines are skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if label.strip() in EMOTIONS and text.strip():
            rows.append((label.strip(), text.strip()))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("messages", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--folds", type=int, default=0, help="cross-validate the training set")
    args = parser.parse_args()
    embedder = MiniLMEmbedder(ROOT / ".cache" / "models")
    embedder.load()
    emotions = EmotionClassifier(embedder, ROOT / ".cache" / "models")
    if args.folds:
        title = f"{args.folds}-fold cross-validation of {DATA}"
        report(title, cross_validate(emotions, args.folds))
        return
    started = time.perf_counter()
    emotions.warm_up()
    print(f"classifier ready in {time.perf_counter() - started:.2f} s (cached afterwards)")
    rows = read(args.messages)
    heard = emotions.hear_all([text for _, text in rows])
    confusion = {a: dict.fromkeys(EMOTIONS, 0) for a in EMOTIONS}
    for (label, _), probs in zip(rows, heard, strict=True):
        confusion[label][strongest(probs)] += 1
    report(f"{args.messages} ({len(rows)} messages)", confusion)


def cross_validate(emotions: EmotionClassifier, folds: int) -> Confusion:
    """Confusion over ``folds`` stratified folds of the shipped training set."""
    rows = [(label, text) for label, text in load_rows(DATA) if label in EMOTIONS]
    x = emotions.classifier.matrix([text for _, text in rows])
    labels = np.array([EMOTIONS.index(label) for label, _ in rows])
    fold = np.zeros(len(rows), dtype=int)
    rng = np.random.default_rng(0)
    for k in range(len(EMOTIONS)):
        members = rng.permutation(np.flatnonzero(labels == k))
        fold[members] = np.arange(len(members)) % folds
    confusion = {a: dict.fromkeys(EMOTIONS, 0) for a in EMOTIONS}
    for f in range(folds):
        train, test = fold != f, fold == f
        weights = fit(x[train], labels[train].tolist(), len(EMOTIONS))
        got = np.argmax(softmax(x[test] @ weights.T), axis=1)
        for truth, guess in zip(labels[test], got, strict=True):
            confusion[EMOTIONS[truth]][EMOTIONS[guess]] += 1
    return confusion


def report(title: str, confusion: Confusion) -> None:
    """Accuracy, macro-F1, per-emotion F1 and the confusion matrix (rows: truth)."""
    total = sum(sum(row.values()) for row in confusion.values())
    right = sum(confusion[e][e] for e in EMOTIONS)
    f1s = {}
    for e in EMOTIONS:
        tp = confusion[e][e]
        predicted = sum(confusion[t][e] for t in EMOTIONS)
        actual = sum(confusion[e].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s[e] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    present = [e for e in EMOTIONS if sum(confusion[e].values())]
    macro = sum(f1s[e] for e in present) / len(present) if present else 0.0
    print(f"\n{title}")
    print(f"accuracy {right / total:.3f} ({right}/{total})   macro-F1 {macro:.3f}")
    print("F1: " + ", ".join(f"{e} {f1s[e]:.2f}" for e in present))
    width = max(len(e) for e in EMOTIONS)
    print(" " * (width + 2) + " ".join(f"{e[:5]:>5}" for e in EMOTIONS))
    for e in EMOTIONS:
        print(f"{e:>{width}}  " + " ".join(f"{confusion[e][g]:>5}" for g in EMOTIONS))


if __name__ == "__main__":
    main()
