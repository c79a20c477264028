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
    │   ├── StorageFullError   the disk (or the user's quota) is full
    │   └── ReadOnlyError      the home or the vault cannot be written (permissions, read-only)
    ├── EmbeddingError         the embedding model cannot be loaded or run
    └── ModelError             a chat model failed; the policy falls back to the next one
        ├── ModelUnavailableError   unreachable, not installed, no key
        │   └── ModelServerError    a 5xx answer or a timeout (retried)
        ├── RateLimitedError        the provider said 429 (after retries)
        ├── ModelAuthError          the provider rejected the API key
        └── ModelResponseError      malformed or empty output, a file that is not a model
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path


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

    def __init__(
        self,
        message: str,
        *,
        title: str | None = None,
        key: tuple[str, ...] = (),
        line: int | None = None,
        fix: str = "",
    ) -> None:
        super().__init__(message, title=title)
        self.key = key
        """The config.toml key at fault (``("models", "local", "path")``), when it is one."""
        self.line = line
        """The line of config.toml at fault, when known."""
        self.fix = fix
        """What to change, in a few words."""


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
    """The disk, or the user's quota on it, is full: nothing more can be written."""

    title = "Disk full"


class ReadOnlyError(StoreError):
    """The home or the vault cannot be written: a read-only disk, or no write permission."""

    title = "Read-only"


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


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
_FULL_WORDS = ("no space", "disk is full", "disk full", "quota exceeded", "file too large")
_READ_ONLY_WORDS = ("read-only", "readonly", "permission denied", "operation not permitted")
_AMBIGUOUS_WORDS = ("disk i/o error", "input/output error")
_NEARLY_FULL = 16 * 2**20
"""Free bytes under which an unexplained I/O error is taken to mean the disk is full."""


def storage_error(exc: BaseException, path: Path | str, *, doing: str = "write") -> StoreError:
    """The core's error for failing to ``doing`` (write, open, read) ``path``.

    Works from an ``OSError``'s errno, or from the message of a database driver's error
    (DuckDB, SQLite), which carries no errno: a full disk becomes :class:`StorageFullError`,
    a read-only disk or a missing permission :class:`ReadOnlyError`, anything else a plain
    :class:`StoreError`. An unexplained I/O error on a disk with almost no room left is
    reported as a full disk, which is what SQLite's "disk I/O error" usually means.
    """
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    reason = (getattr(exc, "strerror", None) or str(exc)).strip().split("\n")[0]
    reason = reason or type(exc).__name__
    if (
        code in _FULL
        or any(word in text for word in _FULL_WORDS)
        or (any(word in text for word in _AMBIGUOUS_WORDS) and _nearly_full(Path(path)))
    ):
        return StorageFullError(
            f"the disk is full: cannot {doing} {path} ({reason}); free some space and try again"
        )
    writing = doing != "read"
    if writing and (code in _READ_ONLY or any(word in text for word in _READ_ONLY_WORDS)):
        return ReadOnlyError(
            f"{path} is not writable ({reason}); check its permissions, or that its disk is "
            "not mounted read-only"
        )
    return StoreError(f"cannot {doing} {path}: {reason}")


def _nearly_full(path: Path) -> bool:
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free < _NEARLY_FULL
        except OSError:
            continue
    return False
