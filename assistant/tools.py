"""Tools the models may call (native tool calling), run against the memory store and reminders.

Every tool validates its arguments and answers with text for the model; failures are reported
back to the model as text, never raised into the conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.errors import AssistantError
from assistant.learning.pii import SECRET_KINDS, find_pii, redact
from assistant.memories import Memories
from assistant.models.chat import ToolCall, ToolSpec
from assistant.store.reminders import Reminders
from assistant.when import parse_when

Confirm = Callable[[str], bool]

TOOLS = [
    ToolSpec(
        "search_memories",
        "Search what the user has told you before. Use it for any question about the user, "
        "their people, plans, preferences or past conversations.",
        {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "what to look for"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 20},
            },
            "required": ["query"],
        },
    ),
    ToolSpec(
        "remember",
        "Store a fact the user explicitly asked you to remember, as one short sentence.",
        {
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "important": {"type": "boolean"},
            },
            "required": ["text"],
        },
    ),
    ToolSpec(
        "forget",
        "Archive a memory the user asked you to forget (the user confirms first).",
        {
            "type": "object",
            "properties": {"memory_id": {"type": "string", "description": "id from a search"}},
            "required": ["memory_id"],
        },
    ),
    ToolSpec(
        "set_reminder",
        "Create a reminder. 'when' is plain words ('tomorrow at 6pm', 'in 20 minutes') or "
        "an ISO date and time; omit it for an undated reminder.",
        {
            "type": "object",
            "properties": {"text": {"type": "string"}, "when": {"type": "string"}},
            "required": ["text"],
        },
    ),
    ToolSpec(
        "list_reminders",
        "List the user's open reminders.",
        {"type": "object", "properties": {}},
    ),
    ToolSpec(
        "complete_reminder",
        "Mark a reminder done, by id or by a few words of its text.",
        {
            "type": "object",
            "properties": {"reminder": {"type": "string"}},
            "required": ["reminder"],
        },
    ),
]


@dataclass
class ToolResult:
    """What a tool call produced: text for the model and one line for the user."""

    content: str
    summary: str
    memories: list[str] = field(default_factory=list)
    ok: bool = True


class ToolRunner:
    """Runs tool calls.

    Usage::

        runner = ToolRunner(assistant.memories, reminders, confirm=lambda q: True)
        result = runner.run(ToolCall("1", "search_memories", {"query": "sister"}))
    """

    def __init__(
        self,
        memories: Memories,
        reminders: Reminders,
        *,
        confirm: Confirm | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.memories = memories
        self.reminders = reminders
        self.confirm = confirm
        self.clock = clock

    def run(self, call: ToolCall) -> ToolResult:
        """Run one call; bad arguments and core errors come back as a failed result."""
        handler = getattr(self, f"_{call.name}", None)
        if call.name not in {t.name for t in TOOLS} or handler is None:
            return ToolResult(f"error: there is no tool {call.name!r}", "", ok=False)
        if "_invalid" in call.arguments:
            return ToolResult(
                "error: the arguments were not valid JSON; call the tool again", "", ok=False
            )
        try:
            result: ToolResult = handler(call.arguments)
            return result
        except _BadArguments as exc:
            return ToolResult(f"error: {exc}", "", ok=False)
        except AssistantError as exc:
            return ToolResult(f"error: {exc.message}", f"{call.name} failed: {exc}", ok=False)

    def _search_memories(self, args: Mapping[str, Any]) -> ToolResult:
        query = _text(args, "query")
        limit = args.get("limit", 5)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 20:
            limit = 5
        hits = self.memories.search(query, limit)
        if not hits:
            return ToolResult("no memories match", f"searched memories for “{query}”: nothing")
        lines = [f"[{h.memory.id}] {h.memory.created:%Y-%m-%d}: {h.memory.text}" for h in hits]
        return ToolResult(
            "\n".join(lines),
            f"searched memories for “{query}”: {len(hits)} found",
            [h.memory.id for h in hits],
        )

    def _remember(self, args: Mapping[str, Any]) -> ToolResult:
        important = args.get("important") is True
        text = _text(args, "text")
        findings = find_pii(text)
        if any(f.kind in SECRET_KINDS for f in findings):
            text = redact(text, findings)  # only the user's own /remember stores secrets
        memory = self.memories.add(
            text,
            important=important,
            importance=8.0 if important else 5.0,
            source="conversation",
            metadata={"pii": sorted({f.kind for f in findings})} if findings else None,
        )
        return ToolResult(f"stored as {memory.id}", f"remembered: {memory.text}", [memory.id])

    def _forget(self, args: Mapping[str, Any]) -> ToolResult:
        target = self.memories.get(_text(args, "memory_id"))
        if self.confirm is None or not self.confirm(f"Forget “{target.text}”?"):
            return ToolResult(
                "not forgotten: the user did not confirm", f"kept: {target.text}", ok=False
            )
        self.memories.forget(target.id)
        return ToolResult(
            f"archived {target.id}", f"forgot: {target.text} (restorable)", [target.id]
        )

    def _set_reminder(self, args: Mapping[str, Any]) -> ToolResult:
        text = _text(args, "text")
        when_words = args.get("when")
        due = None
        if isinstance(when_words, str) and when_words.strip():
            parsed, _ = parse_when(when_words, self.clock())
            if parsed is None:
                raise _BadArguments(f"cannot understand the time {when_words!r}")
            due = parsed.timestamp()
        reminder = self.reminders.add(text, due)
        at = f" for {datetime.fromtimestamp(due):%a %d %b %H:%M}" if due else ""
        return ToolResult(f"reminder {reminder.id} set{at}", f"reminder set{at}: {text}")

    def _list_reminders(self, args: Mapping[str, Any]) -> ToolResult:
        found = self.reminders.open()
        if not found:
            return ToolResult("no open reminders", "no open reminders")
        lines = [
            f"[{r.id[-6:]}] {r.text}"
            + (f" (due {datetime.fromtimestamp(r.due):%a %d %b %H:%M})" if r.due else "")
            for r in found
        ]
        return ToolResult("\n".join(lines), f"{len(found)} open reminders")

    def _complete_reminder(self, args: Mapping[str, Any]) -> ToolResult:
        done = self.reminders.complete(_text(args, "reminder"))
        return ToolResult(f"completed {done.id}", f"done: {done.text}")


class _BadArguments(Exception):
    pass


def _text(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _BadArguments(f"{key!r} must be a non-empty string")
    return value
