"""Conversations exported by ChatGPT and Claude, and memories saved in ChatGPT.

ChatGPT's ``conversations.json`` is a list of conversations, each a tree of messages
(``mapping``: node id → ``{message, parent, children}``, a message with ``author.role`` and
``content.parts``); the branch the user last saw ends at ``current_node``. Claude's is a list
of conversations with ``chat_messages`` (``sender``: ``human`` or ``assistant``, ``text`` or
``content`` blocks). Memories saved in ChatGPT come as a list of strings (or of objects with
``content``) or as text, one memory a line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from assistant.errors import InvalidInputError
from assistant.transfer.items import Conversation, Incoming, Message, digest, parse_moment

_TITLE = "Cannot import"


def chatgpt_conversation(data: Any, position: int, name: str) -> Conversation | None:
    """One conversation of ChatGPT's export; None when it holds no text."""
    if not isinstance(data, Mapping) or not isinstance(data.get("mapping"), Mapping):
        raise InvalidInputError(
            f"{name}: conversation #{position} has no message tree (mapping)", title=_TITLE
        )
    mapping: Mapping[str, Any] = data["mapping"]
    ident = str(
        data.get("conversation_id") or data.get("id") or _digest(data.get("title"), position)
    )
    started = _seconds(data.get("create_time"))
    messages = []
    for node in _branch(mapping, data.get("current_node")):
        message = node.get("message") if isinstance(node, Mapping) else None
        if not isinstance(message, Mapping):
            continue
        role = (message.get("author") or {}).get("role")
        hidden = (message.get("metadata") or {}).get("is_visually_hidden_from_conversation")
        if role not in ("user", "assistant") or hidden:
            continue
        text = _parts((message.get("content") or {}).get("parts"))
        if text:
            at = _seconds(message.get("create_time")) or started
            messages.append(Message(role, at, text))
    return _conversation("chatgpt", ident, messages)


def _branch(mapping: Mapping[str, Any], current: Any) -> list[Any]:
    """The nodes from the root to ``current`` (the branch shown last); without one, every
    node in time order."""
    if isinstance(current, str) and current in mapping:
        path, seen = [], set()
        node_id: Any = current
        while isinstance(node_id, str) and node_id in mapping and node_id not in seen:
            seen.add(node_id)
            path.append(mapping[node_id])
            node_id = (mapping[node_id] or {}).get("parent")
        return path[::-1]

    def when(node: Any) -> float:
        message = node.get("message") if isinstance(node, Mapping) else None
        return _seconds(message.get("create_time")) if isinstance(message, Mapping) else 0.0

    return sorted(mapping.values(), key=when)


def _parts(parts: Any) -> str:
    if not isinstance(parts, list):
        return ""
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def claude_conversation(data: Any, position: int, name: str) -> Conversation | None:
    """One conversation of Claude's export; None when it holds no text."""
    if not isinstance(data, Mapping) or not isinstance(data.get("chat_messages"), list):
        raise InvalidInputError(
            f"{name}: conversation #{position} has no chat_messages", title=_TITLE
        )
    ident = str(data.get("uuid") or _digest(data.get("name"), position))
    started = _seconds(data.get("created_at"))
    messages = []
    for message in data["chat_messages"]:
        if not isinstance(message, Mapping):
            continue
        role = {"human": "user", "assistant": "assistant"}.get(str(message.get("sender")))
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            content = message.get("content")
            blocks: list[Any] = content if isinstance(content, list) else []
            text = "\n".join(
                b["text"]
                for b in blocks
                if isinstance(b, Mapping)
                and b.get("type") == "text"
                and isinstance(b.get("text"), str)
            )
        if role and text.strip():
            messages.append(
                Message(role, _seconds(message.get("created_at")) or started, text.strip())
            )
    return _conversation("claude", ident, messages)


def _conversation(tool: str, ident: str, messages: list[Message]) -> Conversation | None:
    if not any(m.role == "user" for m in messages):
        return None
    # Two messages in the same millisecond would be one turn: keep them apart.
    spaced: list[Message] = []
    for message in messages:
        at = message.at
        if spaced and at <= spaced[-1].at:
            at = spaced[-1].at + 0.002
        spaced.append(Message(message.role, round(at, 3), message.text))
    return Conversation(f"{tool}:{ident}", f"{tool}-{ident}", tuple(spaced))


def saved_memories(items: Iterator[Any], name: str) -> Iterator[Incoming]:
    """Memories saved in ChatGPT: strings, or objects with their text in ``content``."""
    for position, item in enumerate(items, 1):
        text = item
        if isinstance(item, Mapping):
            text = item.get("content") or item.get("memory") or item.get("text")
        if not isinstance(text, str):
            raise InvalidInputError(
                f"{name}: saved memory #{position} has no text (content)", title=_TITLE
            )
        text = text.strip().removeprefix("- ").strip()
        if text:
            meta = {"imported_from": "chatgpt", "import_file": name}
            yield Incoming(text, f"chatgpt-memory:{digest(text)}", metadata=meta)


def _seconds(value: Any) -> float:
    moment = parse_moment(value)
    return moment.timestamp() if moment else 0.0


def _digest(value: Any, position: int) -> str:
    return digest(f"{value}|{position}")
