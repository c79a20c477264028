"""Training the pair reader (:mod:`assistant.models.pair_reader`).

``python -m assistant.consolidation.reader_training`` trains low-rank adapters
on every linear layer of the bundled MiniLM and a softmax head over its mean-pooled token
states, on the labelled pairs of ``assistant/data/pairs.tsv``, ``reader_pairs.tsv``,
``reader_styles.tsv`` (the same facts in mixed registers: sentences, notes, chat) and
``reader_topics.tsv`` (different facts about one person and one topic, the closest pairs of
each set, and restatements of some of them), each pair in both orders, plus each text paired
with a random text of another row as ``unrelated``, so that two facts that share nothing are
never read as one. It writes ``assistant/data/pair_reader.npz``. Deterministic: the same data
and seed give the same adapters. About 26 minutes on two CPU cores; needs torch and transformers
(installed with the package, for the embedder's export).
"""

from __future__ import annotations

import logging
import math
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

log = logging.getLogger(__name__)

RANK = 8
ALPHA = 16.0
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 1e-3
NEIGHBOUR_CEILING = 0.5
"""MiniLM cosine under which a text's nearest text of another row is drawn as unrelated."""
TRAINING_FILES = ("pairs.tsv", "reader_pairs.tsv", "reader_styles.tsv", "reader_topics.tsv")

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


def train(
    rows: Sequence[Row], embedder: Embedder, seed: int = 7, epochs: int = EPOCHS
) -> dict[str, Any]:
    """The adapters and head (arrays by name, as :func:`save` writes them)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    source = str(model_source())
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    bert = AutoModel.from_pretrained(source, local_files_only=True)

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
    head = torch.nn.Linear(bert.config.hidden_size, len(LABELS))

    def logits(batch: Sequence[tuple[int, str, str]]) -> Any:
        encoded = tokenizer(
            [a for _, a, _ in batch],
            [b for _, _, b in batch],
            padding=True,
            truncation=True,
            max_length=256,
            return_tensors="pt",
        )
        states = bert(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return head((states * mask).sum(1) / mask.sum(1))

    labelled = [*rows, *unrelated_pairs(rows, embedder, seed)]
    data = [(LABELS.index(label), a, b) for label, a, b in labelled]
    data += [(y, b, a) for y, a, b in data]
    parameters = [p for p in bert.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(data) / BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    bert.train()
    for epoch in range(epochs):
        rng.shuffle(data)
        total = 0.0
        for start in range(0, len(data), BATCH):
            batch = data[start : start + BATCH]
            loss = torch.nn.functional.cross_entropy(
                logits(batch), torch.tensor([y for y, _, _ in batch])
            )
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
            total += float(loss.item())
        log.info("epoch %d/%d: loss %.3f", epoch + 1, epochs, total / math.ceil(len(data) / BATCH))
    arrays: dict[str, Any] = {
        "labels": np.array(LABELS),
        "scale": np.array(ALPHA / RANK, dtype=np.float32),
        "head.weight": head.weight.detach().numpy().astype(np.float32),
        "head.bias": head.bias.detach().numpy().astype(np.float32),
    }
    for name, module in bert.named_modules():
        if isinstance(module, LowRank):
            arrays[f"{name}.a"] = module.a.detach().numpy().astype(np.float16)
            arrays[f"{name}.b"] = module.b.detach().numpy().astype(np.float16)
    return arrays


def save(arrays: dict[str, Any], path: Path) -> None:
    """Write the adapters (compressed numpy arrays, no pickled objects)."""
    with path.open("wb") as out:
        np.savez_compressed(out, **arrays)


def main() -> None:
    """Retrain the shipped adapters."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    embedder = MiniLMEmbedder(Path(sys.argv[1] if len(sys.argv) > 1 else ".cache/models"))
    rows = training_pairs()
    print(f"{len(rows)} labelled pairs")
    path = adapter_path()
    save(train(rows, embedder), path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
