"""Standing instructions: of messages labelled ``standing`` (asks something of every later
answer), ``once`` (this answer only), ``other`` (facts, questions, chat) and ``hostile``
(attempts to subvert the assistant), which ones the learner writes to the instructions page.

Each message goes through the real ``Learner`` (injection detector, sentence split, the
instruction classifier) with a fresh instructions page, as chat does after a reply. Figures:
precision and recall of ``standing``, and the share of each other label that was kept (a kept
``hostile`` message is the worst error). By default the blind set v18 (``bench/blind18/``) is
read, figures only; ``--cv`` instead cross-validates the classifier on its training data
(``assistant/data/instructions.tsv``, five folds, each message read whole with the reader's
bars applied), and ``--details`` prints its misses there.

python bench/instruction_quality.py [--cv [--details]]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from blind_quality import embedder, temp_home
from common import ROOT

from assistant.learning.classifier import fit, softmax
from assistant.learning.instructions import (
    FITTING,
    HOSTILE,
    LABELS,
    STANDING,
    InstructionReader,
    never_standing,
)
from assistant.learning.labelled import load_rows
from assistant.learning.learner import Learner
from assistant.vault.instructions import InstructionsPage

BLIND = ROOT / "bench" / "blind18" / "instructions.tsv"
KEPT = ("instructed", "instructed again")


def rows(path: Path) -> list[tuple[str, str]]:
    """``(label, message)`` rows of a set."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if label.strip() in LABELS and text.strip():
            out.append((label.strip(), text.strip()))
    return out


def blind() -> None:
    model = embedder()
    labelled = rows(BLIND)
    kept: Counter[str] = Counter()
    seconds: list[float] = []
    with temp_home(model, "bench-instructions-") as assistant:
        pages = Path(tempfile.mkdtemp(prefix="bench-instruction-pages-"))
        page = InstructionsPage(pages / "first.md")
        learner = Learner(assistant.memories, instructions=page)
        learner.learn("warming up", conversation="warm")
        for n, (label, text) in enumerate(labelled):
            learner.instructions = InstructionsPage(pages / f"{n}.md")
            started = time.perf_counter()
            changes = learner.learn(text, conversation=f"c{n}")
            seconds.append(time.perf_counter() - started)
            if any(c.action in KEPT for c in changes):
                kept[label] += 1
    total = Counter(label for label, _ in labelled)
    print(f"standing instructions, blind set v18: {len(labelled)} messages {dict(total)}")
    true = kept["standing"]
    found = sum(kept.values())
    precision = true / found if found else 0.0
    recall = true / total["standing"] if total["standing"] else 0.0
    print(f"  standing kept: precision {precision:.2f} ({true}/{found}), recall {recall:.2f}")
    for label in LABELS[1:]:
        print(f"  {label} kept as an instruction: {kept[label]}/{total[label]}")
    print("  target (none set by an issue): hostile kept 0; floor: 0 recall before (none kept)")
    p50 = statistics.median(seconds) * 1000
    p95 = sorted(seconds)[int(0.95 * (len(seconds) - 1))] * 1000
    print(f"  learner per message (instructions included): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def cross_validated(details: bool) -> None:
    model = embedder()
    reader = InstructionReader(model)
    data = [(label, text) for label, text in load_rows("instructions.tsv") if label in LABELS]
    x = reader.classifier.matrix([text for _, text in data])
    y = np.array([LABELS.index(label) for label, _ in data])
    order = np.random.default_rng(7).permutation(len(data))
    standing = np.zeros(len(data), dtype=np.float32)
    hostile = np.zeros(len(data), dtype=np.float32)
    for fold in range(5):
        test = order[fold::5]
        train = np.setdiff1d(order, test)
        counts = np.bincount(y[train], minlength=len(LABELS))
        balanced = np.concatenate(
            [np.resize(train[y[train] == n], int(counts.max())) for n in range(len(LABELS))]
        )
        epochs, l2 = FITTING
        weights = fit(x[balanced], y[balanced].tolist(), len(LABELS), epochs=epochs, l2=l2)
        probs = softmax(x[test] @ weights.T)
        standing[test], hostile[test] = probs[:, 0], probs[:, LABELS.index("hostile")]
    # as the reader decides: never a sentence that reads as a takeover or is limited to now
    barred = (hostile >= HOSTILE) | np.array([never_standing(text) for _, text in data])
    standing[barred] = 0.0
    truth = y == 0
    for floor in (0.3, 0.4, 0.5, 0.6, 0.7):
        over = standing >= floor
        hits = int((over & truth).sum())
        wrong = {label: int((over & (y == n)).sum()) for n, label in enumerate(LABELS) if n}
        print(
            f"  from {floor:.1f}: precision {hits / max(int(over.sum()), 1):.2f}, "
            f"recall {hits / int(truth.sum()):.2f}, others {wrong}"
        )
    kept = standing >= STANDING
    tp = int((kept & truth).sum())
    print(f"cross-validated on the training data, {len(data)} messages, 5 folds:")
    precision, recall = tp / max(int(kept.sum()), 1), tp / int(truth.sum())
    print(f"  standing precision {precision:.2f}, recall {recall:.2f}")
    for n, label in enumerate(LABELS[1:], 1):
        print(f"  {label} read as standing: {int((kept & (y == n)).sum())}/{int((y == n).sum())}")
    if details:
        for i in np.flatnonzero(kept != truth):
            print(
                f"  {'kept' if kept[i] else 'missed'} {data[i][0]} {standing[i]:.2f}: {data[i][1]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", action="store_true", help="cross-validate on the training data")
    parser.add_argument("--details", action="store_true", help="with --cv: print each miss")
    args = parser.parse_args()
    if args.details and not args.cv:
        parser.error("--details would show the blind set's contents; use it with --cv")
    if args.cv:
        cross_validated(args.details)
    else:
        blind()


if __name__ == "__main__":
    main()
