"""Exit codes, as scripts see them."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes: 0 success, 1 error, 2 usage, 3 not running (``serve --check``),
    130 interrupted."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    NOT_RUNNING = 3
    INTERRUPTED = 130
