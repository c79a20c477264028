"""Model fakes shipped with the package, for tests and demos that must not load a model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

import numpy as np

from assistant.errors import ModelError
from assistant.models.base import Matrix
from assistant.models.chat import (
    ChatMessage,
    Finished,
    ModelEvent,
    ModelInfo,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    ToolSpec,
    Usage,
)


class HashEmbedder:
    """Deterministic bag-of-words vectors: texts sharing words get similar vectors.

    Not semantic, but stable and instant; the memory core works end to end with it.
    """

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One normalised vector per text, built from hashed lower-cased words."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


class EchoModel:
    """A chat model that answers from a script, or echoes the last user message.

    ``script`` items are strings (streamed word by word) or :class:`ToolCall` lists (asked for
    as tool calls); when the script runs out the model echoes. ``fail`` makes every call raise.
    Usage is counted as words, so costs in tests are exact and predictable.
    """

    def __init__(
        self,
        info: ModelInfo | None = None,
        *,
        script: Sequence[str | Sequence[ToolCall]] = (),
        fail: ModelError | None = None,
    ) -> None:
        self.info = info or ModelInfo(name="echo", provider="fake", model="echo", tier="local")
        self.script = list(script)
        self.fail = fail
        self.calls: list[list[ChatMessage]] = []

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Stream the next scripted answer (or an echo), then usage."""
        self.calls.append(list(messages))
        if self.fail is not None:
            raise self.fail
        used = sum(len(m.content.split()) for m in messages)
        step = self.script.pop(0) if self.script else None
        if step is not None and not isinstance(step, str):
            for call in step:
                yield ToolCallRequested(call)
            yield Finished(Usage(used, len(step)), "tool_use")
            return
        last = next((m.content for m in reversed(messages) if m.role == "user"), "")
        text = step if step is not None else f"You said: {last}"
        words = text.split(" ")
        for index, word in enumerate(words):
            yield TextDelta(word if index == 0 else " " + word)
        yield Finished(Usage(used, len(words)))

    def close(self) -> None:
        """Nothing to release."""

    def check(self) -> str:
        """Always ready: ``fail`` strikes at call time, like a network failure."""
        return ""
