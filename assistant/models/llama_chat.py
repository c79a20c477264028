"""A local GGUF model run in-process with llama-cpp-python (no server, no network)."""

from __future__ import annotations

import contextlib
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
from assistant.models.repetition import RepeatGuard

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
REPEAT_PENALTY = 1.1
"""Makes a token that was just used less likely: small models otherwise loop."""
STOPS = [
    "<|im_start|>",
    "<|im_end|>",
    "<start_of_turn>",
    "<end_of_turn>",
    "<|start_header_id|>",
    "<|eot_id|>",
    "<|user|>",
    "<|end|>",
    "</s>",
    "[INST]",
]
"""Turn markers a model may write out as text when it goes on to the next turn; the GGUF's own
template adds its end-of-turn token to these."""


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


_PARAMS_LOCK = threading.Lock()


def _repacking_is_safe() -> bool:
    """Whether llama.cpp may repack weights into its extra CPU buffer types.

    On CPUs that advertise AMX, llama.cpp's AMX buffers crash the process in some virtual
    machines (a segmentation fault on the first decode), which no error handling can catch;
    without them the weights are used as stored, a little slower on those CPUs only.
    """
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            flags = next((line for line in handle if line.startswith("flags")), "")
    except OSError:
        return True
    return "amx_int8" not in flags.split()


@contextlib.contextmanager
def _weight_repacking(allowed: bool) -> Iterator[None]:
    """Load a model with llama.cpp's extra buffer types on or off.

    llama-cpp-python exposes no argument for this model parameter, so its default-parameters
    function is wrapped for the duration of the load (one load at a time).
    """
    if allowed:
        yield
        return
    import importlib

    # The module whose default-parameters function Llama() calls.
    bindings: Any = importlib.import_module("llama_cpp.llama").llama_cpp
    with _PARAMS_LOCK:
        original = bindings.llama_model_default_params

        def without_extra_buffers() -> Any:
            params = original()
            params.use_extra_bufts = False
            return params

        bindings.llama_model_default_params = without_extra_buffers
        try:
            yield
        finally:
            bindings.llama_model_default_params = original


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
                    with _weight_repacking(_repacking_is_safe()):
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
                if "tokenizer.chat_template" not in self._llama.metadata:
                    # llama-cpp-python would fall back to Llama 2's format; llama.cpp's own
                    # fallback, ChatML, is what most small instruct models were tuned on.
                    log.warning("%s has no chat template; using ChatML", self.path.name)
                    self._llama.chat_format = "chatml"
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
                guard = RepeatGuard()
                chunks = _chat(llama, prompt, max_tokens=room, stream=True)
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    text = choice.get("delta", {}).get("content")
                    if text:
                        produced += 1
                        yield TextDelta(text)
                        if guard.feed(text):
                            chunks.close()  # stops generating
                            stop = "repetition"
                            log.info("%s started repeating itself; stopped", self.info.name)
                            break
                    if choice.get("finish_reason"):
                        stop = choice["finish_reason"]
            except (ValueError, RuntimeError, KeyError) as exc:
                raise ModelResponseError(f"{self.info.name} failed: {exc}") from exc
        yield Finished(Usage(used, produced), stop)

    def _constrained(
        self, llama: Any, prompt: list[dict[str, str]], tool: ToolSpec, room: int, used: int
    ) -> Iterator[ModelEvent]:
        result = _chat(
            llama,
            prompt,
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


def _chat(llama: Any, prompt: list[dict[str, str]], **options: Any) -> Any:
    """``create_chat_completion`` with the GGUF's own chat template and stop tokens, the
    repeat penalty and the extra stops. A template that refuses a system message (some take
    only alternating user and assistant turns) gets it as the start of the first user turn."""
    from jinja2 import TemplateError

    options = {"stop": STOPS, "repeat_penalty": REPEAT_PENALTY, **options}
    try:
        return llama.create_chat_completion(messages=prompt, **options)
    except TemplateError as exc:
        if not prompt or prompt[0]["role"] != "system":
            raise ModelResponseError(f"the model's chat template failed: {exc}") from exc
    folded = _fold_system(prompt)
    try:
        return llama.create_chat_completion(messages=folded, **options)
    except TemplateError as exc:
        raise ModelResponseError(f"the model's chat template failed: {exc}") from exc


def _fold_system(prompt: list[dict[str, str]]) -> list[dict[str, str]]:
    """The system message moved into the first user message."""
    system, rest = prompt[0]["content"], prompt[1:]
    for index, message in enumerate(rest):
        if message["role"] == "user":
            merged = {"role": "user", "content": f"{system}\n\n{message['content']}"}
            return [*rest[:index], merged, *rest[index + 1 :]]
    return [{"role": "user", "content": system}, *rest]
