"""JSON documents read element by element, in bounded memory.

An export can be hundreds of megabytes (a ChatGPT ``conversations.json`` of years of use):
:func:`read_json` yields the elements of a top-level array one at a time, or, for a
top-level object, its keys' values, with the elements of each array value yielded one at a
time. Only one element is in memory at once (up to :data:`MAX_ELEMENT_CHARS`). Malformed
JSON is an :class:`InvalidInputError` naming the file, line and column.

Usage::

    for key, value in read_json(stream, "conversations.json"):
        ...   # key is None for a top-level array's elements
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from assistant.errors import InvalidInputError

MAX_ELEMENT_CHARS = 64 * 2**20
"""The largest single element read (a conversation, a memory); larger is an error."""
_CHUNK = 2**20
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


class _Reader:
    """A window over a text stream, with the line count of what it has dropped."""

    def __init__(self, stream: TextIO, name: str) -> None:
        self.stream = stream
        self.name = name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line = 1
        """The line at which ``buf`` starts."""
        self.column = 0
        """The column at which ``buf`` starts (on its first line)."""

    def fill(self) -> bool:
        """Read more; False at the end of the stream."""
        if self.eof:
            return False
        if self.pos:  # drop what was read, counting its lines
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            self.column = (
                self.column + len(dropped)
                if not newlines
                else len(dropped) - dropped.rfind("\n") - 1
            )
            self.line += newlines
            self.buf, self.pos = self.buf[self.pos :], 0
        try:
            more = self.stream.read(_CHUNK)
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"{self.name} is not UTF-8 text ({exc.reason})", title="Cannot import"
            ) from exc
        if not more:
            self.eof = True
            return False
        self.buf += more
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            what = " or ".join(repr(c) for c in chars)
            raise self.error(f"expected {what}, found {found!r}" if found else f"expected {what}")
        self.pos += 1
        return found

    def value(self) -> Any:
        """Decode one JSON value at the current place."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # cut by the end of the window, not malformed: read more and decode again
                incomplete = exc.msg.startswith("Unterminated") or exc.pos >= len(self.buf) - 8
                if not self.eof and incomplete:
                    if len(self.buf) - self.pos > MAX_ELEMENT_CHARS:
                        raise self.error(
                            f"an element is larger than {MAX_ELEMENT_CHARS // 2**20} MB"
                        ) from exc
                    self.fill()
                    continue
                raise self.error(exc.msg, exc.pos) from exc
            if end >= len(self.buf) and not self.eof and isinstance(value, int | float):
                self.fill()  # a number cut by the end of the window: read it whole
                continue
            self.pos = end
            return value

    def error(self, message: str, at: int | None = None) -> InvalidInputError:
        """A malformed-JSON error naming the place (``at``: index in the window)."""
        at = self.pos if at is None else at
        before = self.buf[:at]
        newlines = before.count("\n")
        line = self.line + newlines
        column = (self.column + len(before) if not newlines else at - before.rfind("\n") - 1) + 1
        return InvalidInputError(
            f"{self.name} is not valid JSON: {message} at line {line}, column {column}",
            title="Cannot import",
        )


def read_json(stream: TextIO, name: str) -> Iterator[tuple[str | None, Any]]:
    """The document's values as ``(key, value)`` pairs: each element of a top-level array
    with key None; for a top-level object, each key's value, or, when it is an array, each
    of its elements under that key. Anything else at the top is an error."""
    reader = _Reader(stream, name)
    first = reader.peek()
    if first == "[":
        yield from _elements(reader, None)
    elif first == "{":
        reader.pos += 1
        if reader.peek() == "}":
            reader.pos += 1
        else:
            while True:
                key = reader.value()
                if not isinstance(key, str):
                    raise reader.error("expected a property name")
                reader.expect(":")
                if reader.peek() == "[":
                    yield from _elements(reader, key)
                else:
                    yield key, reader.value()
                if reader.expect(",}") == "}":
                    break
    elif not first:
        raise InvalidInputError(f"{name} is empty", title="Cannot import")
    else:
        raise reader.error("expected a JSON array or object")
    if reader.peek():
        raise reader.error("unexpected text after the end of the JSON document")


def _elements(reader: _Reader, key: str | None) -> Iterator[tuple[str | None, Any]]:
    reader.expect("[")
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        yield key, reader.value()
        if reader.expect(",]") == "]":
            return
