"""Point an error in ``config.toml`` at its file and line, with the fix."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)")
SYNTAX_FIX = (
    'correct the TOML on that line: text values need quotes ("..."), tables look like '
    "[name], and a name with dots goes in quotes"
)


def located(exc: ConfigError, path: Path, text: str) -> ConfigError:
    """``exc`` restated with the file, the line (when one can be found) and the fix."""
    line = exc.line or (line_of(text, exc.key) if exc.key else None)
    where = f"{path}, line {line}" if line else str(path)
    fix = exc.fix or (f"edit line {line} of {path.name}" if line else f"edit {path}")
    return ConfigError(f"{where}: {exc.message}\nFix: {fix}", key=exc.key, line=line, fix=fix)


def syntax_error(exc: tomllib.TOMLDecodeError, text: str) -> ConfigError:
    """A TOML syntax error in ``text`` as a :class:`ConfigError` that knows its line."""
    message = str(exc)
    found = _AT_LINE.search(message)
    line = int(found.group(1)) if found else max(1, len(text.splitlines()))  # end of document
    reason = _AT_LINE.sub("", message).replace(" (at end of document)", "")
    return ConfigError(f"not valid TOML: {reason}", line=line, fix=SYNTAX_FIX)


def line_of(text: str, key: tuple[str, ...]) -> int | None:
    """The line of ``text`` that defines ``key`` (a table header or a ``key = value``), or
    the one defining the longest part of it; None when nothing matches."""
    table: tuple[str, ...] = ()
    best: tuple[int, int] | None = None  # (matched length, line)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            found = _header(line)
            if found is None:
                continue
            table = path = found
        else:
            name = _key(line)
            if name is None:
                continue
            path = table + name
        if path[: len(key)] == key:
            return number
        shared = _shared(path, key)
        if shared and (best is None or shared > best[0]):
            best = (shared, number)
    return best[1] if best else None


def _header(line: str) -> tuple[str, ...] | None:
    try:
        return _path(tomllib.loads(line))
    except tomllib.TOMLDecodeError:
        return None


def _key(line: str) -> tuple[str, ...] | None:
    left = line.split("=", 1)[0] if "=" in line else ""
    if not left.strip():
        return None
    try:
        return _path(tomllib.loads(f"{left} = 0"))
    except tomllib.TOMLDecodeError:
        return None


def _path(data: Any) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(data, list) and data:
        data = data[-1]
    while isinstance(data, dict) and len(data) == 1:
        ((key, data),) = data.items()
        parts.append(str(key))
        while isinstance(data, list) and data:
            data = data[-1]
    return tuple(parts)


def _shared(path: tuple[str, ...], key: tuple[str, ...]) -> int:
    count = 0
    for a, b in zip(path, key, strict=False):
        if a != b:
            break
        count += 1
    return count
