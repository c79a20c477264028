"""Errors of the Anthropic and OpenAI SDKs (which share their exception names) as core errors."""

from __future__ import annotations

from types import ModuleType

from assistant.errors import (
    ModelAuthError,
    ModelError,
    ModelResponseError,
    ModelServerError,
    ModelUnavailableError,
    RateLimitedError,
)


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
