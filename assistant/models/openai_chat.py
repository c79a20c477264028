"""OpenAI chat completions through the official SDK: OpenAI itself and any compatible server
(Ollama, LM Studio, vLLM, a llama.cpp server) by base URL. Streamed, with function calling."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from assistant.models.chat import (
    ChatMessage,
    Finished,
    ModelEvent,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    ToolSpec,
    Usage,
    parse_arguments,
)
from assistant.models.sdk import SdkModel


class OpenAIModel(SdkModel):
    """A model behind the OpenAI chat-completions API (``key_required=False`` for a local
    server)."""

    sdk_name = "openai"
    key_hint = "OPENAI_API_KEY"

    def _connect(self, sdk: ModuleType) -> Any:
        return sdk.OpenAI(
            api_key=self._api_key or "not-needed",
            base_url=self._base_url,
            max_retries=0,
            timeout=self._timeout,
        )

    def _events(
        self,
        client: Any,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        max_tokens: int,
    ) -> Iterator[ModelEvent]:
        request: dict[str, Any] = {
            "model": self.info.model,
            "messages": to_openai(messages),
            "max_tokens": max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in tools
            ]
        return _read(client.chat.completions.create(**request))


def _read(chunks: Any) -> Iterator[ModelEvent]:
    usage = Usage()
    stop = "end"
    calls: dict[int, dict[str, Any]] = {}
    for chunk in chunks:
        if getattr(chunk, "usage", None):
            usage = Usage(
                int(chunk.usage.prompt_tokens or 0), int(chunk.usage.completion_tokens or 0)
            )
        for choice in chunk.choices or ():
            delta = choice.delta
            if delta is not None and delta.content:
                yield TextDelta(delta.content)
            for part in (delta.tool_calls if delta is not None else None) or ():
                call = calls.setdefault(part.index, {"id": "", "name": "", "json": ""})
                call["id"] = part.id or call["id"]
                if part.function is not None:
                    call["name"] = part.function.name or call["name"]
                    call["json"] += part.function.arguments or ""
            if choice.finish_reason:
                stop = choice.finish_reason
    for index in sorted(calls):
        call = calls[index]
        yield ToolCallRequested(
            ToolCall(call["id"] or f"call_{index}", call["name"], parse_arguments(call))
        )
    yield Finished(usage, stop)


def to_openai(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Neutral messages as chat-completions messages."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "tool":
            out.append({"role": "tool", "tool_call_id": m.tool_call_id, "content": m.content})
        elif m.role == "assistant" and m.tool_calls:
            out.append(
                {
                    "role": "assistant",
                    "content": m.content or None,
                    "tool_calls": [
                        {
                            "id": c.id,
                            "type": "function",
                            "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                        }
                        for c in m.tool_calls
                    ],
                }
            )
        else:
            out.append({"role": m.role, "content": m.content})
    return out
