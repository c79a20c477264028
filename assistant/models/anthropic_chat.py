"""Anthropic's Messages API through the official SDK, streamed, with native tool use."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from assistant.errors import ModelResponseError
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


class AnthropicModel(SdkModel):
    """A Claude model (or any server speaking the Anthropic Messages API at ``base_url``)."""

    sdk_name = "anthropic"
    key_hint = "ANTHROPIC_API_KEY"

    def _connect(self, sdk: ModuleType) -> Any:
        # retries and fallback belong to the escalation policy
        return sdk.Anthropic(
            api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self._timeout
        )

    def _events(
        self,
        client: Any,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        max_tokens: int,
    ) -> Iterator[ModelEvent]:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        request: dict[str, Any] = {
            "model": self.info.model,
            "max_tokens": max_tokens,
            "messages": to_anthropic(messages),
            "stream": True,
        }
        if system:
            request["system"] = system
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in tools
            ]
        return _read(client.messages.create(**request))


def _read(events: Any) -> Iterator[ModelEvent]:
    usage = Usage()
    stop = "end"
    calls: dict[int, dict[str, Any]] = {}
    for event in events:
        kind = event.type
        if kind == "message_start":
            usage.input_tokens = int(event.message.usage.input_tokens or 0)
        elif kind == "content_block_start" and event.content_block.type == "tool_use":
            block = event.content_block
            calls[event.index] = {"id": block.id, "name": block.name, "json": ""}
        elif kind == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta" and delta.text:
                yield TextDelta(delta.text)
            elif delta.type == "input_json_delta" and event.index in calls:
                calls[event.index]["json"] += delta.partial_json
        elif kind == "content_block_stop" and event.index in calls:
            call = calls.pop(event.index)
            yield ToolCallRequested(ToolCall(call["id"], call["name"], parse_arguments(call)))
        elif kind == "message_delta":
            usage.output_tokens = int(event.usage.output_tokens or 0)
            stop = event.delta.stop_reason or stop
        elif kind == "error":
            raise ModelResponseError(f"the stream reported an error: {event}")
    yield Finished(usage, stop)


def to_anthropic(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Neutral messages as Messages API turns (system messages go in ``system``)."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "system":
            continue
        if m.role == "tool":
            block = {"type": "tool_result", "tool_use_id": m.tool_call_id, "content": m.content}
            if out and out[-1]["role"] == "user" and isinstance(out[-1]["content"], list):
                out[-1]["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
        elif m.role == "assistant" and m.tool_calls:
            content: list[dict[str, Any]] = (
                [{"type": "text", "text": m.content}] if m.content else []
            )
            content += [
                {"type": "tool_use", "id": c.id, "name": c.name, "input": dict(c.arguments)}
                for c in m.tool_calls
            ]
            out.append({"role": "assistant", "content": content})
        else:
            out.append({"role": m.role, "content": m.content})
    return out
