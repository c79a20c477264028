"""A digest of the package's own source, which names weights trained by this code.

A learned classifier's input is its embedding and surface features computed by code (cue
patterns, hashed words). Weights cached on disk are named by their training data and by this
digest, so that weights trained by an older version of those features are never loaded by a
newer one: after an upgrade each classifier is trained again once (``python -m
assistant.warm`` does it at install).

Usage::

    key = f"{data_digest}|{code_version()}"
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """The digest of every Python file of the ``assistant`` package (a few milliseconds, once
    per process); "" when the source cannot be read."""
    digest = hashlib.sha256()
    try:
        for path in sorted(_PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()[:16]
