"""The pair reader: all-MiniLM-L6-v2 reading two memory texts together (a cross-encoder).

Two texts embedded apart are compared only through their pooled vectors, which cannot tell
"I'm teetotal" / "I don't drink alcohol" (one fact) from "I'm teetotal" / "I don't drink
coffee" (two). Read together, every word of one attends to every word of the other. The
reader is the bundled MiniLM with small low-rank adapters on each layer's matrices and a
softmax head over its mean-pooled token states, trained on the labelled pairs in
``assistant/data/`` (``python -m assistant.consolidation.reader_training``). Only the
adapters and the head ship (``assistant/data/pair_reader.npz``, under 1 MB); the first use
adds them into the base weights and exports the result to ONNX in the model cache once
(needs torch, like the embedder's export), keyed by the adapter file's digest. Each pair is
read in both orders and the two answers averaged, so the verdict is symmetric.

Given a ``memo`` directory (the home's ``cache/pair-reader``), each answer is kept in
diskcache under a hash of the adapter and the two texts (no text is stored), so a pair is read
once however many consolidation runs meet it, and a run stopped part-way keeps what it read.
The memo only saves time: when it cannot be opened, read or written, pairs are read without it
and one warning says why.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.errors import EmbeddingError
from assistant.models.base import Matrix
from assistant.models.cache import Memo
from assistant.models.minilm import (
    by_length,
    export_onnx,
    load_tokenizer,
    mean_pooled,
    model_source,
    open_session,
    token_states,
)

log = logging.getLogger(__name__)

ADAPTER = "pair_reader.npz"
"""The shipped adapters and head, in ``assistant.data``."""


def adapter_path() -> Path:
    """Where the shipped adapters are."""
    return Path(str(resources.files("assistant.data").joinpath(ADAPTER)))


def adapter_digest(path: Path) -> str:
    """Names an adapter file: its export in the cache is valid only for it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def merge_adapters(bert: Any, arrays: Any) -> None:
    """Add each low-rank adapter (``scale · B·A``) into the weight of the layer it names."""
    import torch

    scale = float(arrays["scale"])
    layers = dict(bert.named_modules())
    for key in arrays.files:
        if not key.endswith(".a"):
            continue
        name = key[: -len(".a")]
        a = torch.from_numpy(np.asarray(arrays[key], dtype=np.float32))
        b = torch.from_numpy(np.asarray(arrays[name + ".b"], dtype=np.float32))
        layer = layers[name]
        layer.weight += scale * (b @ a)


class PairReader:
    """Reads pairs of texts with the shipped (or a given) adapter; loads on first use.

    Usage::

        reader = PairReader(settings.model_cache)
        p = reader.probabilities([("I'm teetotal", "I don't drink alcohol")])
        reader.labels  # ("paraphrase", "more_detail", "look_alike", ...), one per column
    """

    def __init__(self, cache: Path, adapter: Path | None = None, memo: Path | None = None) -> None:
        self._cache = cache
        self._adapter = adapter or adapter_path()
        self._memo_dir = memo
        self._memo: Memo | None = None
        self._digest = ""
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._head: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None = None
        self.labels: tuple[str, ...] = ()

    def load(self) -> None:
        """Load the adapter's head and the exported reader, exporting it first if needed."""
        with self._lock:
            if self._session is not None:
                return
            try:
                arrays = np.load(self._adapter, allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise EmbeddingError(f"cannot read the pair reader's adapter: {exc}") from exc
            self.labels = tuple(str(label) for label in arrays["labels"])
            self._head = (
                np.asarray(arrays["head.weight"], dtype=np.float32),
                np.asarray(arrays["head.bias"], dtype=np.float32),
            )
            source = model_source()
            self._digest = adapter_digest(self._adapter)
            path = self._cache / f"pair-reader-{self._digest}" / "model.onnx"
            if not path.is_file():
                log.warning("preparing the pair reader (one time, a few seconds)")
                export_onnx(source, path, adjust=lambda bert: merge_adapters(bert, arrays))
            self._tokenizer = load_tokenizer(source)
            self._session = open_session(path, "the pair reader")
            if self._memo_dir is not None:
                self._memo = Memo(self._memo_dir, "The pair reader's memo")

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> Matrix:
        """One row per pair: the probability of each of :attr:`labels`, the mean of reading
        the pair in both orders (from the memo when it was read before)."""
        self.load()
        out = np.zeros((len(pairs), len(self.labels)), dtype=np.float32)
        keys = [self._key(a, b) for a, b in pairs]
        missing = []
        known = self._memo.recall(keys) if self._memo is not None else [None] * len(keys)
        for i, raw in enumerate(known):
            if raw is None or len(raw) != out.shape[1] * 4:
                missing.append(i)
            else:
                out[i] = np.frombuffer(raw, dtype=np.float32)
        if missing:
            fresh = self._read([pairs[i] for i in missing])
            out[missing] = fresh
            if self._memo is not None:
                self._memo.remember([(keys[i], out[i].tobytes()) for i in missing])
        return out

    def _read(self, pairs: Sequence[tuple[str, str]]) -> Matrix:
        both = [*pairs, *((b, a) for a, b in pairs)]
        encodings = self._tokenizer.encode_batch(both)
        out = np.zeros((len(both), len(self.labels)), dtype=np.float32)
        assert self._head is not None
        weight, bias = self._head
        for chunk in by_length(encodings):
            pooled = mean_pooled(*token_states(self._session, [encodings[i] for i in chunk]))
            logits = pooled @ weight.T + bias
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            out[chunk] = p / p.sum(axis=1, keepdims=True)
        mean: Matrix = ((out[: len(pairs)] + out[len(pairs) :]) / 2).astype(np.float32)
        return mean

    def _key(self, a: str, b: str) -> str:
        first, second = sorted((a, b))  # the answer is the same in either order
        return hashlib.sha256(f"{self._digest}\0{first}\0{second}".encode()).hexdigest()

    def probability(self, label: str, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        """The probability of one label for each pair."""
        p = self.probabilities(pairs)
        column: npt.NDArray[np.float32] = p[:, self.labels.index(label)]
        return column


@lru_cache(maxsize=4)
def shared_reader(cache: Path, memo: Path | None = None) -> PairReader:
    """One reader per model cache and memo for the process (its session is reused across
    runs)."""
    return PairReader(cache, memo=memo)
