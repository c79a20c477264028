"""What the Anthropic and OpenAI models share: the key check, a lazily created SDK client with
the SDK's own retries off, and the SDKs' errors (they share their names) as core errors."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

from assistant.errors import (
    ModelAuthError,
    ModelError,
    ModelResponseError,
    ModelServerError,
    ModelUnavailableError,
    RateLimitedError,
)
from assistant.models.chat import ChatMessage, ModelEvent, ModelInfo, ToolSpec


class SdkModel:
    """A chat model behind a provider SDK; subclasses build the client and read the stream."""

    sdk_name = ""
    """The SDK's module, imported on first use (importing it costs start-up time)."""
    key_hint = ""
    """The variable named when the key is missing."""

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
        """Ready when a key is set (or none is needed); the key itself is checked by the
        first call."""
        if self._key_required and not self._api_key:
            return f"no API key (set {self.key_hint})"
        return ""

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 1024,
    ) -> Iterator[ModelEvent]:
        """Stream one call; SDK errors and malformed responses become core errors."""
        problem = self.check()
        if problem:
            raise ModelUnavailableError(f"{self.info.name}: {problem}")
        sdk = importlib.import_module(self.sdk_name)
        try:
            yield from self._events(self.client(), messages, tools, max_tokens)
        except sdk.APIError as exc:
            raise translate(self.info.name, exc, sdk) from exc
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
            self._client = self._connect(importlib.import_module(self.sdk_name))
        return self._client

    def _connect(self, sdk: ModuleType) -> Any:
        raise NotImplementedError

    def _events(
        self,
        client: Any,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        max_tokens: int,
    ) -> Iterator[ModelEvent]:
        raise NotImplementedError


def translate(name: str, exc: Exception, sdk: ModuleType) -> ModelError:
    """``exc`` from the ``sdk`` module (``anthropic`` or ``openai``) as the escalation policy's
    error: auth, rate limit, server-side (retried), unreachable, or a refused request."""
    if isinstance(exc, sdk.AuthenticationError | sdk.PermissionDeniedError):
        return ModelAuthError(f"{name}: the API key was rejected")
    if isinstance(exc, sdk.RateLimitError):
        return RateLimitedError(f"{name} is rate-limited")
    if isinstance(exc, sdk.APITimeoutError):
        return ModelServerError(f"{name} timed out")
    if isinstance(exc, sdk.APIConnectionError):
        return ModelUnavailableError(f"{name} is unreachable")
    if isinstance(exc, sdk.APIStatusError):
        if exc.status_code >= 500:
            return ModelServerError(f"{name} had a server error ({exc.status_code})")
        return ModelResponseError(f"{name} refused the request ({exc.status_code})")
    return ModelResponseError(f"{name}: {exc}")
