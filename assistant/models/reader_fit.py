"""Fitting the pair reader's adapters (:mod:`assistant.models.pair_reader`) to labelled pairs.

Low-rank adapters on every linear layer of MiniLM and a softmax head over its mean-pooled
token states, trained with cross-entropy on ``(label, first, second)`` pairs. This module
needs only numpy, torch and transformers (no store, no embedder), so the same code trains on
the CPU or, given ``--device cuda``, on a GPU:

``python -m assistant.models.reader_fit fit PAIRS.tsv MODEL_DIR OUT.npz --seed 7``
(add ``--device cuda`` for a GPU)

where ``PAIRS.tsv`` is what ``python -m assistant.consolidation.reader_training --pairs FILE``
writes (every labelled pair in both orders, with the drawn unrelated ones), and
``python -m assistant.models.reader_fit pack pair_reader.npz A.npz B.npz`` puts readers fitted
with different seeds into the one file that ships. Deterministic on one device: the same pairs
and seed give the same adapters; a GPU's sums round differently from the CPU's, so its
adapters differ from the CPU's in the last digits.
"""

from __future__ import annotations

import logging
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

RANK = 8
ALPHA = 16.0
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 1e-3

Example = tuple[int, str, str]
"""A label's index and the two texts, in the order the reader reads them."""


def fit(
    data: Sequence[Example],
    labels: Sequence[str],
    source: Path,
    seed: int = 7,
    epochs: int = EPOCHS,
    device: str = "cpu",
) -> dict[str, Any]:
    """The adapters and head for the MiniLM at ``source`` (arrays by name, as
    :func:`save` writes them)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
    bert = AutoModel.from_pretrained(str(source), local_files_only=True)

    class LowRank(torch.nn.Module):
        def __init__(self, base: Any) -> None:
            super().__init__()
            self.base = base
            self.a = torch.nn.Parameter(
                torch.randn(RANK, base.in_features) / math.sqrt(base.in_features)
            )
            self.b = torch.nn.Parameter(torch.zeros(base.out_features, RANK))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.a.T @ self.b.T) * (ALPHA / RANK)

    for parameter in bert.parameters():
        parameter.requires_grad_(False)
    for layer in bert.encoder.layer:
        attention = layer.attention
        for owner, name in (
            (attention.self, "query"),
            (attention.self, "key"),
            (attention.self, "value"),
            (attention.output, "dense"),
            (layer.intermediate, "dense"),
            (layer.output, "dense"),
        ):
            setattr(owner, name, LowRank(getattr(owner, name)))
    head = torch.nn.Linear(bert.config.hidden_size, len(labels))
    bert.to(device)
    head.to(device)

    def logits(batch: Sequence[Example]) -> Any:
        encoded = tokenizer(
            [a for _, a, _ in batch],
            [b for _, _, b in batch],
            padding=True,
            truncation=True,
            max_length=256,
            return_tensors="pt",
        ).to(device)
        states = bert(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return head((states * mask).sum(1) / mask.sum(1))

    examples = list(data)
    parameters = [p for p in bert.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(examples) / BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    bert.train()
    for epoch in range(epochs):
        rng.shuffle(examples)
        total = 0.0
        for start in range(0, len(examples), BATCH):
            batch = examples[start : start + BATCH]
            loss = torch.nn.functional.cross_entropy(
                logits(batch), torch.tensor([y for y, _, _ in batch], device=device)
            )
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
            total += float(loss.item())
        batches = math.ceil(len(examples) / BATCH)
        log.info("epoch %d/%d: loss %.3f", epoch + 1, epochs, total / batches)
    arrays: dict[str, Any] = {
        "labels": np.array(labels),
        "scale": np.array(ALPHA / RANK, dtype=np.float32),
        "head.weight": head.weight.detach().cpu().numpy().astype(np.float32),
        "head.bias": head.bias.detach().cpu().numpy().astype(np.float32),
    }
    for name, module in bert.named_modules():
        if isinstance(module, LowRank):
            arrays[f"{name}.a"] = module.a.detach().cpu().numpy().astype(np.float16)
            arrays[f"{name}.b"] = module.b.detach().cpu().numpy().astype(np.float16)
    return arrays


def save(arrays: dict[str, Any], path: Path) -> None:
    """Write the adapters (compressed numpy arrays, no pickled objects)."""
    with path.open("wb") as out:
        np.savez_compressed(out, **arrays)


def write_examples(labels: Sequence[str], data: Sequence[Example], path: Path) -> None:
    """Write prepared examples as :func:`read_examples` reads them: the labels on the first
    line, then one ``label<TAB>first<TAB>second`` line each, in training order."""
    lines = ["\t".join(labels)]
    lines += [f"{labels[y]}\t{a}\t{b}" for y, a, b in data]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_examples(path: Path) -> tuple[list[str], list[Example]]:
    """The labels and examples :func:`write_examples` wrote."""
    first, *rest = path.read_text(encoding="utf-8").splitlines()
    labels = first.split("\t")
    data: list[Example] = []
    for line in rest:
        label, a, b = line.split("\t")
        data.append((labels.index(label), a, b))
    return labels, data


def pack(readers: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One adapter file's arrays holding several readers, ``m0/…``, ``m1/…``, whose answers
    :class:`~assistant.models.pair_reader.PairReader` averages."""
    return {
        f"m{n}/{key}": value for n, arrays in enumerate(readers) for key, value in arrays.items()
    }


def main(argv: Sequence[str] | None = None) -> None:
    """``fit PAIRS MODEL_DIR OUT [--device D] [--epochs N] [--seed S]``: fit one reader to a
    prepared pairs file; ``pack OUT READER…``: put readers into one adapter file."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m assistant.models.reader_fit")
    verbs = parser.add_subparsers(dest="verb", required=True)
    fitting = verbs.add_parser("fit")
    fitting.add_argument("pairs", type=Path)
    fitting.add_argument("model", type=Path)
    fitting.add_argument("out", type=Path)
    fitting.add_argument("--device", default="cpu")
    fitting.add_argument("--epochs", type=int, default=EPOCHS)
    fitting.add_argument("--seed", type=int, default=7)
    packing = verbs.add_parser("pack")
    packing.add_argument("out", type=Path)
    packing.add_argument("readers", type=Path, nargs="+")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.verb == "pack":
        readers = []
        for path in args.readers:
            with np.load(path, allow_pickle=False) as arrays:
                readers.append({key: arrays[key] for key in arrays.files})
        save(pack(readers), args.out)
        print(f"wrote {args.out} ({len(readers)} readers)")
        return
    labels, data = read_examples(args.pairs)
    print(f"{len(data)} examples")
    arrays = fit(data, labels, args.model, seed=args.seed, epochs=args.epochs, device=args.device)
    save(arrays, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
