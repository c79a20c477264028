"""A local GGUF model run in-process with llama-cpp-python (no server, no network)."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import ModelResponseError, ModelUnavailableError
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

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"


def check_gguf(path: Path) -> str:
    """``""`` when ``path`` is a readable GGUF file, else why not."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except FileNotFoundError:
        return f"{path} does not exist"
    except IsADirectoryError:
        return f"{path} is a directory, not a GGUF file"
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    if magic != GGUF_MAGIC:
        return f"{path.name} is not a GGUF model file"
    return ""


class LlamaModel:
    """A GGUF chat model. Loads on first use (or :meth:`load` in the background)."""

    def __init__(self, info: ModelInfo, *, path: Path, context: int = 4096) -> None:
        self.info = info
        self.path = path
        self._context = context
        self._llama: Any = None
        self._lock = threading.Lock()

    def check(self) -> str:
        """Ready when the file is a GGUF and llama-cpp-python is installed."""
        problem = check_gguf(self.path)
        if problem:
            return problem
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            return "llama-cpp-python is not installed (pip install llama-cpp-python)"
        return ""

    def load(self) -> Any:
        """Load the weights (seconds for a few-GB file); idempotent and thread-safe."""
        with self._lock:
            if self._llama is None:
                problem = self.check()
                if problem:
                    raise ModelUnavailableError(f"{self.info.name}: {problem}")
                import llama_cpp

                # llama.cpp prints load and cache notes on stderr; keep them out of the chat.
                logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
                try:
                    self._llama = llama_cpp.Llama(
                        model_path=str(self.path),
                        n_ctx=self._context,
                        n_threads=max(1, (os.cpu_count() or 2) - 1),
                        verbose=False,
                    )
                except (ValueError, RuntimeError, OSError) as exc:
                    raise ModelResponseError(
                        f"{self.info.name}: cannot load {self.path.name}: {exc}"
                    ) from exc
                log.info("loaded %s", self.path.name)
            return self._llama

    def close(self) -> None:
        """Free the weights."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Stream a chat completion. Local models take no tools in chat (slash commands cover
        them), but a request offering exactly one tool is answered with a call to it whose
        arguments a grammar built from the tool's JSON schema constrains."""
        llama = self.load()
        prompt = [
            {"role": m.role if m.role != "tool" else "user", "content": m.content} for m in messages
        ]
        with self._lock:
            try:
                used = sum(
                    len(llama.tokenize(m["content"].encode(), add_bos=False)) + 4 for m in prompt
                )
                room = min(max_tokens, self._context - used - 8)
                if room < 1:
                    raise ModelResponseError(
                        f"the message is too long for {self.info.name}'s {self._context}-token "
                        "context"
                    )
                if len(tools) == 1:
                    yield from self._constrained(llama, prompt, tools[0], room, used)
                    return
                produced = 0
                stop = "end"
                for chunk in llama.create_chat_completion(
                    messages=prompt, max_tokens=room, stream=True
                ):
                    choice = chunk["choices"][0]
                    text = choice.get("delta", {}).get("content")
                    if text:
                        produced += 1
                        yield TextDelta(text)
                    if choice.get("finish_reason"):
                        stop = choice["finish_reason"]
            except (ValueError, RuntimeError, KeyError) as exc:
                raise ModelResponseError(f"{self.info.name} failed: {exc}") from exc
        yield Finished(Usage(used, produced), stop)

    def _constrained(
        self, llama: Any, prompt: list[dict[str, str]], tool: ToolSpec, room: int, used: int
    ) -> Iterator[ModelEvent]:
        result = llama.create_chat_completion(
            messages=prompt,
            max_tokens=room,
            response_format={"type": "json_object", "schema": dict(tool.parameters)},
        )
        text = result["choices"][0]["message"].get("content") or ""
        try:
            arguments = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelResponseError(f"{self.info.name} returned malformed JSON") from exc
        if not isinstance(arguments, dict):
            raise ModelResponseError(f"{self.info.name} returned JSON that is not an object")
        produced = int(result.get("usage", {}).get("completion_tokens", 0))
        yield ToolCallRequested(ToolCall("local-0", tool.name, arguments))
        yield Finished(Usage(used, produced), "tool_use")
