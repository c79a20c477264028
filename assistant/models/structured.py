"""One model call whose answer is a JSON object: a native tool call where the model has
tools, else the first JSON object in its text (a local model bound by a grammar)."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import ModelResponseError
from assistant.models.chat import (
    ChatMessage,
    ChatModel,
    Finished,
    TextDelta,
    ToolCallRequested,
    ToolSpec,
    Usage,
)


@dataclass(frozen=True)
class Answer:
    """What one structured call returned."""

    arguments: Mapping[str, Any] | None
    """The tool call's arguments; None when the model answered in text (or not at all)."""
    text: str
    usage: Usage
    latency_ms: float

    def data(self, name: str) -> Mapping[str, Any]:
        """The arguments, else the JSON object in the text; a ModelResponseError otherwise."""
        if self.arguments is not None:
            return self.arguments
        start, end = self.text.find("{"), self.text.rfind("}")
        if start < 0 or end <= start:
            raise ModelResponseError(f"{name} gave no JSON answer")
        try:
            data = json.loads(self.text[start : end + 1])
        except json.JSONDecodeError as exc:
            raise ModelResponseError(f"{name} returned malformed JSON") from exc
        if not isinstance(data, dict):
            raise ModelResponseError(f"{name} returned JSON that is not an object")
        return data


def call_tool(
    model: ChatModel, messages: Sequence[ChatMessage], tool: ToolSpec, max_tokens: int
) -> Answer:
    """Ask ``model`` to answer by calling ``tool`` once."""
    started = time.perf_counter()
    arguments: Mapping[str, Any] | None = None
    said: list[str] = []
    usage = Usage()
    for event in model.stream(list(messages), tools=[tool], max_tokens=max_tokens):
        if isinstance(event, ToolCallRequested) and event.call.name == tool.name:
            arguments = event.call.arguments
        elif isinstance(event, TextDelta):
            said.append(event.text)
        elif isinstance(event, Finished):
            usage = event.usage
    return Answer(arguments, "".join(said), usage, (time.perf_counter() - started) * 1000)
