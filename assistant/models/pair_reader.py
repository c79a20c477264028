"""The pair reader: all-MiniLM-L6-v2 reading two memory texts together (a cross-encoder).

Two texts embedded apart are compared only through their pooled vectors, which cannot tell
"I'm teetotal" / "I don't drink alcohol" (one fact) from "I'm teetotal" / "I don't drink
coffee" (two). Read together, every word of one attends to every word of the other. The
reader is the bundled MiniLM with small low-rank adapters on each layer's matrices and a
softmax head over its mean-pooled token states, trained on the labelled pairs in
``assistant/data/`` (``python -m assistant.consolidation.reader_training``). Only the
adapters and the head ship (``assistant/data/pair_reader.npz``, about 1 MB); the first use
adds them into the base weights and exports the result to ONNX in the model cache once
(needs torch, like the embedder's export), keyed by the adapter file's digest. Each pair is
read in both orders and the two answers averaged, so the verdict is symmetric.

The shipped file holds two readers trained alike with different seeds (members, their arrays
named ``m0/…``, ``m1/…``); their answers are averaged. One reader alone is sure of some pairs
by chance ("Sofi ends up in our bed most nights" / "Sofi's been sleeping in her own room":
one fact 0.05 to 0.8 across seeds); two agree only where the data taught them to. A file
whose arrays carry no member prefix (what one training run writes) is one reader.

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
from functools import lru_cache, partial
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

Head = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]
"""A reader's softmax head: weight and bias."""

ADAPTER = "pair_reader.npz"
"""The shipped adapters and head, in ``assistant.data``."""


def adapter_path() -> Path:
    """Where the shipped adapters are."""
    return Path(str(resources.files("assistant.data").joinpath(ADAPTER)))


def adapter_digest(path: Path) -> str:
    """Names an adapter file: its export in the cache is valid only for it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def members(files: Sequence[str]) -> list[str]:
    """The key prefix of each reader an adapter file holds (``["m0/", "m1/"]``; ``[""]`` for
    a file of one reader, as a training run writes it)."""
    if "labels" in files:
        return [""]
    return sorted({key.split("/", 1)[0] + "/" for key in files if "/" in key})


def merge_adapters(bert: Any, arrays: Any, member: str = "") -> None:
    """Add each low-rank adapter (``scale · B·A``) of one member into the weight of the layer
    it names."""
    import torch

    scale = float(arrays[member + "scale"])
    layers = dict(bert.named_modules())
    for key in arrays.files:
        if not key.startswith(member) or not key.endswith(".a"):
            continue
        name = key[len(member) : -len(".a")]
        a = torch.from_numpy(np.asarray(arrays[key], dtype=np.float32))
        b = torch.from_numpy(np.asarray(arrays[member + name + ".b"], dtype=np.float32))
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
        self._sessions: list[tuple[Any, Head]] = []
        self._tokenizer: Any = None
        self.labels: tuple[str, ...] = ()

    def load(self) -> None:
        """Load the adapter's head and the exported reader, exporting it first if needed."""
        with self._lock:
            if self._sessions:
                return
            try:
                arrays = np.load(self._adapter, allow_pickle=False)
                prefixes = members(arrays.files)
                labels = {tuple(str(x) for x in arrays[m + "labels"]) for m in prefixes}
                heads = [
                    (
                        np.asarray(arrays[m + "head.weight"], dtype=np.float32),
                        np.asarray(arrays[m + "head.bias"], dtype=np.float32),
                    )
                    for m in prefixes
                ]
            except (OSError, ValueError, KeyError) as exc:
                raise EmbeddingError(f"cannot read the pair reader's adapter: {exc}") from exc
            if len(labels) != 1:
                raise EmbeddingError("cannot read the pair reader's adapter: no labels, or two")
            self.labels = labels.pop()
            source = model_source()
            self._digest = adapter_digest(self._adapter)
            folder = self._cache / f"pair-reader-{self._digest}"
            sessions = []
            paths = [
                folder / ("model.onnx" if n == 0 else f"model-{n}.onnx") for n in range(len(heads))
            ]
            if not all(path.is_file() for path in paths):
                log.warning("preparing the pair reader (one time, a few seconds)")
            for member, head, path in zip(prefixes, heads, paths, strict=True):
                if not path.is_file():
                    export_onnx(
                        source, path, adjust=partial(merge_adapters, arrays=arrays, member=member)
                    )
                sessions.append((open_session(path, "the pair reader"), head))
            self._tokenizer = load_tokenizer(source)
            self._sessions = sessions
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
        """Each member's answers in both orders, averaged."""
        both = [*pairs, *((b, a) for a, b in pairs)]
        encodings = self._tokenizer.encode_batch(both)
        out = np.zeros((len(both), len(self.labels)), dtype=np.float32)
        for session, (weight, bias) in self._sessions:
            for chunk in by_length(encodings):
                pooled = mean_pooled(*token_states(session, [encodings[i] for i in chunk]))
                logits = pooled @ weight.T + bias
                logits -= logits.max(axis=1, keepdims=True)
                p = np.exp(logits)
                out[chunk] += p / p.sum(axis=1, keepdims=True)
        halves = out[: len(pairs)] + out[len(pairs) :]
        mean: Matrix = (halves / (2 * len(self._sessions))).astype(np.float32)
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
