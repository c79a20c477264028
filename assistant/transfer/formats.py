"""Which tool wrote an export, and its items read one at a time.

``auto`` tells them apart by their shape: a folder holding ``conversations.json`` (or a
``.zip`` of one) is ChatGPT's or Claude's data export, any other folder or ``.md`` file is
markdown notes; a JSON or JSON Lines file is this project's export (``"format":
"assistant-export"``), mem0's (memories with a ``memory`` text, as a list, under
``results`` or ``memories``), ChatGPT's conversations (a ``mapping`` of messages) or saved
memories (a list of strings), or Claude's conversations (``chat_messages``).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from assistant.errors import InvalidInputError
from assistant.transfer import chats, records
from assistant.transfer.folders import markdown_source
from assistant.transfer.items import Conversation, Incoming, Item, Message, ProjectNote, Source
from assistant.transfer.jsonstream import read_json

FORMATS = ("auto", "assistant", "mem0", "chatgpt", "chatgpt-memories", "claude", "markdown")
"""What ``--format`` accepts."""
_TITLE = "Cannot import"
_CONVERSATIONS = "conversations.json"


def open_source(path: Path, fmt: str = "auto") -> Source:
    """The export at ``path`` ready to read (nothing is read yet beyond what tells its kind).
    Raises :class:`InvalidInputError` for a missing or unreadable one."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    name = path.name or str(path)
    if not path.exists():
        raise InvalidInputError(f"{path} does not exist", title=_TITLE)
    if fmt == "markdown" or (fmt == "auto" and _is_notes(path)):
        return markdown_source(path, name)
    if path.is_dir():
        return _from_folder(path, fmt)
    if path.suffix.lower() == ".zip":
        return _from_zip(path, fmt)
    return _from_file(lambda: path.open("rb"), name, fmt, lines=path.suffix.lower() == ".jsonl")


def _is_notes(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == ".md"
    return path.is_dir() and not (path / _CONVERSATIONS).is_file()


def _from_folder(folder: Path, fmt: str) -> Source:
    """A data export unpacked: its conversations, and saved memories when it holds them."""
    opened = _from_file(lambda: (folder / _CONVERSATIONS).open("rb"), folder.name, fmt)
    extra = [folder / n for n in ("memories.json", "memories.txt") if (folder / n).is_file()]
    for path in extra:
        saved = _from_file(lambda p=path: p.open("rb"), path.name, "chatgpt-memories")
        opened.items = itertools.chain(opened.items, saved.items)
    return opened


def _from_zip(path: Path, fmt: str) -> Source:
    try:
        archive = zipfile.ZipFile(path)
        members = {Path(n).name: n for n in archive.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidInputError(
            f"{path.name} is not a readable zip file ({exc})", title=_TITLE
        ) from exc
    if _CONVERSATIONS not in members:
        raise InvalidInputError(f"{path.name} holds no {_CONVERSATIONS}", title=_TITLE)
    return _from_file(lambda: archive.open(members[_CONVERSATIONS]), path.name, fmt)


def _from_file(open_: Any, name: str, fmt: str, *, lines: bool = False) -> Source:
    """A JSON, JSON Lines or text export; its first value tells its kind under ``auto``."""
    if fmt == "chatgpt-memories" and name.endswith(".txt"):
        return Source(name, "chatgpt", chats.saved_memories(_text_lines(open_, name), name))
    values = _json_lines(open_, name) if lines else _json_values(open_, name)
    first = next(values, None)
    if first is None:
        raise InvalidInputError(f"{name} holds nothing to import", title=_TITLE)
    kind = fmt if fmt != "auto" else _kind(first, name)
    rest = itertools.chain([first], values)
    tool = {"chatgpt-memories": "chatgpt"}.get(kind, kind)
    return Source(name, tool, _items(kind, rest, name))


def _kind(first: tuple[str | None, Any], name: str) -> str:
    key, value = first
    if key == "format" and value == records.FORMAT:
        return "assistant"
    if key in ("results", "memories") or (isinstance(value, Mapping) and "memory" in value):
        return "mem0"
    if isinstance(value, Mapping) and "mapping" in value:
        return "chatgpt"
    if isinstance(value, Mapping) and "chat_messages" in value:
        return "claude"
    if key is None and isinstance(value, str):
        return "chatgpt-memories"
    raise InvalidInputError(
        f"cannot tell what wrote {name}; name it with --format ({', '.join(FORMATS[1:])})",
        title=_TITLE,
    )


def _items(kind: str, values: Iterator[tuple[str | None, Any]], name: str) -> Iterator[Item]:
    if kind == "assistant":
        yield from _own(values, name)
        return
    if kind == "chatgpt-memories":
        yield from chats.saved_memories((v for _, v in values), name)
        return
    reader = {
        "mem0": records.mem0_memory,
        "chatgpt": chats.chatgpt_conversation,
        "claude": chats.claude_conversation,
    }.get(kind)
    if reader is None:
        raise InvalidInputError(f"{name} cannot be read as {kind}", title=_TITLE)
    position = 0
    for key, value in values:
        if key is not None and kind != "mem0":
            continue
        if kind == "mem0" and key not in (None, "results", "memories"):
            continue  # a page's count, next, previous: not memories
        position += 1
        item = reader(value, position, name)
        if item is not None:
            yield item


def _own(values: Iterator[tuple[str | None, Any]], name: str) -> Iterator[Item]:
    """This project's export: a header (format, version), memories, conversations."""
    seen_format = False
    count = {"memories": 0, "conversations": 0, "projects": 0}
    for key, value in values:
        if key == "format":
            seen_format = value == records.FORMAT
        elif key == "version" and isinstance(value, int) and value > records.VERSION:
            raise InvalidInputError(
                f"{name} was written by a newer version (export version {value}); update "
                "the assistant to import it",
                title=_TITLE,
            )
        elif key in count:
            count[key] += 1
            where = f"{name}: {key[:-1]} #{count[key]}"
            if key == "memories":
                yield records.memory_from_record(value, where)
            elif key == "projects":
                yield _own_project(value, where)
            else:
                yield _own_conversation(value, where)
    if not seen_format:
        raise InvalidInputError(f"{name} is not an assistant export", title=_TITLE)


def _own_project(value: Any, where: str) -> ProjectNote:
    """A project record: ``{"name": ..., "note": <the project note's text>}``."""
    if not isinstance(value, Mapping) or not all(
        isinstance(value.get(k), str) for k in ("name", "note")
    ):
        raise InvalidInputError(f"{where}: a project needs a name and a note", title=_TITLE)
    return ProjectNote(value["name"], value["note"])


def _own_conversation(value: Any, where: str) -> Conversation:
    if not isinstance(value, Mapping) or not isinstance(value.get("messages"), list):
        raise InvalidInputError(f"{where} has no messages", title=_TITLE)
    try:
        messages = tuple(
            Message(str(m["role"]), float(m["at"]), str(m["text"])) for m in value["messages"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(f"{where}: a message lacks {exc}", title=_TITLE) from exc
    session = str(value.get("session") or "")
    if not session:
        raise InvalidInputError(f"{where} has no session", title=_TITLE)
    return Conversation(f"assistant-session:{session}", session, messages, exact=True)


def _json_values(open_: Any, name: str) -> Iterator[tuple[str | None, Any]]:
    with open_() as raw, _text(raw) as stream:
        yield from read_json(stream, name)


def _json_lines(open_: Any, name: str) -> Iterator[tuple[str | None, Any]]:
    """JSON Lines: one value a line; this project's header line's keys come first."""
    with open_() as raw, _text(raw) as stream:
        try:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidInputError(
                        f"{name} is not valid JSON Lines: {exc.msg} at line {number}, column "
                        f"{exc.colno}",
                        title=_TITLE,
                    ) from exc
                if isinstance(value, Mapping) and value.get("format") == records.FORMAT:
                    yield from value.items()
                elif isinstance(value, Mapping) and len(value) == 1:
                    key, inner = next(iter(value.items()))
                    if key in ("memory", "conversation", "project"):
                        yield f"{key}s" if key != "memory" else "memories", inner
                    else:
                        yield None, value
                else:
                    yield None, value
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"{name} is not UTF-8 text", title=_TITLE) from exc


def _text_lines(open_: Any, name: str) -> Iterator[str]:
    with open_() as raw, _text(raw) as stream:
        try:
            yield from (line for line in stream if line.strip())
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"{name} is not UTF-8 text", title=_TITLE) from exc


@contextlib.contextmanager
def _text(raw: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield stream
    finally:
        stream.detach()


__all__ = ["FORMATS", "Conversation", "Incoming", "Source", "open_source"]
