"""The chat-model boundary: messages in, a stream of text, tool calls and usage out."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A model's request to run one tool with JSON arguments."""

    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a conversation, in the neutral form every provider is translated from."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    """Tool calls the assistant made in this message (role ``assistant``)."""
    tool_call_id: str = ""
    """The call this message answers (role ``tool``)."""


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model: a name, what it does and a JSON schema of its arguments."""

    name: str
    description: str
    parameters: Mapping[str, Any]


@dataclass
class Usage:
    """Tokens one call consumed, as the provider counted them."""

    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer, to show as it arrives."""

    text: str


@dataclass(frozen=True)
class ToolCallRequested:
    """The model asks for a tool; the caller runs it and continues the conversation."""

    call: ToolCall


@dataclass(frozen=True)
class Finished:
    """The last event of a stream: token usage and why the model stopped."""

    usage: Usage
    stop_reason: str = "end"


ModelEvent = TextDelta | ToolCallRequested | Finished


@dataclass(frozen=True)
class ModelInfo:
    """What a configured model is, for listings and the cost ledger."""

    name: str
    """The name used in config.toml, ``/model`` and the ledger."""
    provider: str
    """``llama``, ``anthropic``, ``openai`` or ``fake``."""
    model: str
    """The provider's model id, or the GGUF file path."""
    tier: str = "cheap"
    """``local``, ``cheap`` or ``strong``: where the escalation policy places it."""
    input_price: float = 0.0
    """Dollars per million input tokens."""
    output_price: float = 0.0
    """Dollars per million output tokens."""
    tools: bool = True
    """Whether the model takes native tool calls."""
    extra: Mapping[str, str] = field(default_factory=dict)

    def cost(self, usage: Usage) -> float:
        """Dollars for ``usage`` at this model's prices."""
        return (
            usage.input_tokens * self.input_price + usage.output_tokens * self.output_price
        ) / 1e6


class ChatModel(Protocol):
    """A chat model: local (llama-cpp), Anthropic or OpenAI-compatible.

    Usage::

        for event in model.stream([ChatMessage("user", "Hello")]):
            if isinstance(event, TextDelta):
                print(event.text, end="")
    """

    info: ModelInfo
    """Name, provider, tier and prices."""

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Yield text deltas and tool calls as they arrive, then one :class:`Finished`.

        Raises a :class:`~assistant.errors.ModelError` subclass on failure; nothing is
        yielded twice, so a failure before the first delta can be retried elsewhere.
        """
        ...

    def close(self) -> None:
        """Release connections or weights; the model may be used again afterwards."""
        ...

    def check(self) -> str:
        """Whether the model can be used now, without spending tokens: ``""`` when ready,
        else a one-line reason (no key, file missing, server unreachable)."""
        ...


def parse_arguments(call: dict[str, Any]) -> dict[str, Any]:
    """A tool call's JSON arguments; malformed JSON becomes an ``_invalid`` marker that the tool
    runner reports back to the model instead of failing the turn."""
    raw = call["json"].strip() or "{}"
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {"_invalid": raw[:500]}
    return parsed if isinstance(parsed, dict) else {"_invalid": raw[:500]}
