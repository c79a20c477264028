"""Errors raised by the assistant core.

Every error carries a short ``title`` that front-ends show as a heading::

    AssistantError
    ├── ConfigError            settings or config.toml are invalid
    ├── InvalidInputError      text or arguments the core refuses (empty, too large, bad type)
    ├── NotFoundError          no memory with that id
    ├── NoteError              a vault note cannot be parsed (malformed frontmatter, not UTF-8)
    ├── StoreError             an index or the vault cannot be read or written
    │   ├── StoreBusyError     another process holds the index longer than the lock timeout
    │   ├── NoteChangedError   the note changed on disk while the assistant was updating it
    │   └── StorageFullError   the disk is full or the home is read-only
    ├── EmbeddingError         the embedding model cannot be loaded or run
    └── ModelError             a chat model failed; the policy falls back to the next one
        ├── ModelUnavailableError   unreachable, not installed, no key
        │   └── ModelServerError    a 5xx answer or a timeout (retried)
        ├── RateLimitedError        the provider said 429 (after retries)
        ├── ModelAuthError          the provider rejected the API key
        └── ModelResponseError      malformed or empty output, a file that is not a model
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error the core raises on purpose."""

    title = "Assistant error"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class ConfigError(AssistantError):
    """The settings (flags, environment or config.toml) are invalid."""

    title = "Invalid configuration"


class InvalidInputError(AssistantError):
    """Input the core refuses: empty or oversized text, an unknown type, a bad date."""

    title = "Invalid input"


class NotFoundError(AssistantError):
    """No memory matches the id or query."""

    title = "Not found"


class NoteError(AssistantError):
    """A vault note cannot be parsed; it is reported and skipped, never rewritten."""

    title = "Unreadable note"


class StoreError(AssistantError):
    """An index or the vault cannot be read or written."""

    title = "Storage error"


class StoreBusyError(StoreError):
    """Another assistant process held the index for longer than the lock timeout."""

    title = "Index busy"


class NoteChangedError(StoreError):
    """The note changed on disk (the user edited it) between reading and writing it."""

    title = "Note changed"


class StorageFullError(StoreError):
    """The disk is full or the home directory is not writable."""

    title = "Cannot write"


class EmbeddingError(AssistantError):
    """The embedding model cannot be loaded or run."""

    title = "Embedding model unavailable"


class ModelError(AssistantError):
    """A chat model call failed; callers fall back to the next model."""

    title = "Model error"
    retryable = False
    """Whether the same model may succeed if asked again after a pause."""


class ModelUnavailableError(ModelError):
    """The model cannot be reached or loaded: no key, offline, timed out, not installed."""

    title = "Model unavailable"


class RateLimitedError(ModelError):
    """The provider kept answering 429 (rate limited) after retries with backoff."""

    title = "Rate limited"
    retryable = True


class ModelServerError(ModelUnavailableError):
    """The provider failed on its side (a 5xx answer or a timeout); worth retrying."""

    title = "Model server error"
    retryable = True


class ModelAuthError(ModelError):
    """The provider rejected the API key."""

    title = "API key rejected"


class ModelResponseError(ModelError):
    """The model answered with something unusable (malformed JSON, an empty completion)."""

    title = "Bad model response"
