"""OpenAI chat completions through the official SDK: OpenAI itself and any compatible server
(Ollama, LM Studio, vLLM, a llama.cpp server) by base URL. Streamed, with function calling."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
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
    parse_arguments,
)
from assistant.models.sdk_errors import translate


class OpenAIModel:
    """A model behind the OpenAI chat-completions API."""

    def __init__(
        self,
        info: ModelInfo,
        *,
        api_key: str,
        base_url: str = "",
        timeout: float = 30.0,
        key_required: bool = True,
    ) -> None:
        self.info = info
        self._api_key = api_key
        self._base_url = base_url or None
        self._timeout = timeout
        self._key_required = key_required
        self._client: Any = None

    def check(self) -> str:
        """Ready when a key is set (or none is needed, for a local server)."""
        if self._key_required and not self._api_key:
            return "no API key (set OPENAI_API_KEY)"
        return ""

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Stream text and tool calls from one chat-completions call."""
        if self.check():
            raise ModelUnavailableError(f"{self.info.name}: {self.check()}")
        import openai

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
        try:
            chunks = self.client().chat.completions.create(**request)
            yield from _read(chunks)
        except openai.APIError as exc:
            raise translate(self.info.name, exc, openai) from exc
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            raise ModelResponseError(f"{self.info.name} sent a malformed response: {exc}") from exc

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def client(self) -> Any:
        """The SDK client, created on first use."""
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed",
                base_url=self._base_url,
                max_retries=0,
                timeout=self._timeout,
            )
        return self._client


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
