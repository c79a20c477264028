"""Slash commands and plain-language intents: the memory and reminder actions that work on
every channel without a model (and without native tool calling)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from assistant.errors import (
    AssistantError,
    InvalidInputError,
    ModelUnavailableError,
    NotFoundError,
)
from assistant.learning.pii import SECRET_KINDS, find_pii, redact
from assistant.memories import Memories
from assistant.memory import Hit
from assistant.models.registry import ModelRegistry, period_starts
from assistant.reply import Notice, Reply, ReplyEvent, Token
from assistant.store.ledger import CostLedger
from assistant.store.reminders import Reminders
from assistant.when import parse_when

HELP = """Commands:
  /remember [important] TEXT   store a memory
  /search QUERY                find memories
  /forget ID-or-TEXT           archive a memory (a text lists candidates first)
  /restore ID                  bring an archived memory back
  /important ID                mark a memory important
  /remind TEXT [WHEN]          set a reminder ("/remind call mom tomorrow at 6pm")
  /reminders                   open reminders;  /done ID-or-TEXT completes one
  /model [NAME]                show the models, or use NAME for every message ("auto" to route)
  /costs                       spending today and this month
  /help                        this help;  /exit leaves"""

_REMEMBER = re.compile(
    r"^(?:please\s+)?(?:remember|note|keep in mind|don'?t forget)(?:\s+that)?[:,]?\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_REMIND = re.compile(r"^(?:please\s+)?remind me (?:to |about |that )?(.+)$", re.IGNORECASE)
_LIST_REMINDERS = re.compile(
    r"^(?:what are|show|list|show me)?\s*(?:my|the)?\s*(?:open\s+)?reminders\??$|"
    r"^what reminders do i have\??$",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"^\W*(?:what|what's|whats|when|where|who|whom|whose|which|why|how|do|does|did|is|are|was|"
    r"were|am|can|could|will|would|should|have|has|tell me|show me|list|find|search|remind me "
    r"what|any)\b(?!['’])",
    re.IGNORECASE,
)
_QUESTION_MARK = re.compile(r"\?(?:\s|$)")
RELEVANT = 0.4
"""Cosine similarity from which a memory is about a question (MiniLM: related texts score
0.45 and up, unrelated ones below 0.35)."""
_FORGET = re.compile(
    r"^(?:please\s+)?forget (?:that |about |what i (?:said|told you) about )?(.+)$", re.IGNORECASE
)


class Commands:
    """Runs slash commands and recognised intents.

    Usage::

        commands = Commands(memories, reminders, ledger, registry)
        for event in commands.run("/remember important my passport expires in May"):
            ...
    """

    def __init__(
        self,
        memories: Memories,
        reminders: Reminders,
        ledger: CostLedger,
        registry: ModelRegistry,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.memories = memories
        self.reminders = reminders
        self.ledger = ledger
        self.registry = registry
        self.clock = clock

    def run(self, line: str) -> Iterator[ReplyEvent]:
        """Run one ``/command`` line; errors become a notice, never an exception."""
        name, _, rest = line.partition(" ")
        handler = getattr(self, f"_cmd_{name.lstrip('/').lower()}", None)
        if handler is None:
            yield Notice(f"Unknown command {name}; /help lists them.", "warning")
            yield Reply("", route="command", command=True)
            return
        try:
            text = handler(rest.strip())
        except AssistantError as exc:
            yield Notice(f"{exc.title}: {exc.message}", "warning")
            yield Reply("", route="command", command=True)
            return
        yield Token(text)
        yield Reply(text, route="command", command=True)

    def intent(self, text: str) -> Iterator[ReplyEvent] | None:
        """The action a plain message asks for ("remember that…", "remind me to…"), when no
        model with tool calling is available; None when the message is not an action."""
        if m := _REMIND.match(text):
            return self.run(f"/remind {m.group(1)}")
        if m := _REMEMBER.match(text):
            body = m.group(1)
            findings = find_pii(body)
            if any(f.kind in SECRET_KINDS for f in findings):
                return self._with_notice(
                    self.run(f"/remember {redact(body, findings)}"),
                    "I stored it without the secret; /remember TEXT keeps it exactly as written.",
                )
            return self.run(f"/remember {body}")
        if _LIST_REMINDERS.match(text):
            return self.run("/reminders")
        if m := _FORGET.match(text):
            return self.run(f"/forget {m.group(1)}")
        return None

    def _with_notice(self, events: Iterator[ReplyEvent], line: str) -> Iterator[ReplyEvent]:
        yield Notice(line, "warning")
        yield from events

    def _cmd_help(self, rest: str) -> str:
        return HELP

    def _cmd_remember(self, rest: str) -> str:
        important = rest.lower().startswith("important ")
        text = rest[len("important ") :].strip() if important else rest
        kinds = sorted({f.kind for f in find_pii(text)})
        memory = self.memories.add(
            text,
            important=important,
            importance=8.0 if important else 5.0,
            metadata={"pii": kinds} if kinds else None,
        )
        return f"Remembered{' (important)' if important else ''}: {memory.text} [{memory.id[-6:]}]"

    def _cmd_search(self, rest: str) -> str:
        hits = self.memories.search(rest, 5)
        return format_hits(hits) if hits else "Nothing I remember matches that."

    def _cmd_forget(self, rest: str) -> str:
        if not rest:
            raise InvalidInputError("say what to forget: /forget ID or /forget some words")
        target = self._by_id(rest)
        if target is not None:
            archived = self.memories.forget(target)
            return f"Forgot: {archived.text} (/restore {archived.id[-6:]} brings it back)"
        hits = self.memories.search(rest, 5, touch=False)
        if not hits:
            raise NotFoundError(f"no memory matches {rest!r}")
        return "Which one? Forget it with /forget ID:\n" + format_hits(hits)

    def _cmd_restore(self, rest: str) -> str:
        return f"Restored: {self.memories.restore(rest).text}"

    def _cmd_important(self, rest: str) -> str:
        memory = self.memories.update(rest, important=True)
        return f"Marked important: {memory.text}"

    def _cmd_remind(self, rest: str) -> str:
        due, text = parse_when(rest, self.clock())
        reminder = self.reminders.add(text or rest, due.timestamp() if due else None)
        at = f" for {due:%a %d %b %H:%M}" if due else ""
        return f"Reminder set{at}: {reminder.text}"

    def _cmd_reminders(self, rest: str) -> str:
        found = self.reminders.open()
        if not found:
            return "No open reminders."
        return "\n".join(format_reminder(r.id, r.text, r.due) for r in found)

    def _cmd_done(self, rest: str) -> str:
        return f"Done: {self.reminders.complete(rest).text}"

    def _cmd_model(self, rest: str) -> str:
        if rest:
            if rest == "auto":
                self.registry.forced = ""
                return "Routing each message to the best model again."
            model = self.registry.get(rest)
            if model is None:
                raise NotFoundError(f"no model named {rest!r}; /model lists them")
            if problem := model.check():  # refused now, not on the next message
                raise ModelUnavailableError(f"{rest} cannot answer: {problem}")
            self.registry.forced = rest
            return f"Using {rest} for every message (/model auto to route again)."
        lines = []
        for model in self.registry.models():
            problem = model.check()
            mark = "*" if model.info.name == self.registry.forced else " "
            state = problem or "ready"
            lines.append(f"{mark} {model.info.name:<10} {model.info.tier:<6} {state}")
        return "\n".join(lines)

    def _cmd_costs(self, rest: str) -> str:
        day, month = period_starts(self.clock().timestamp())
        today, this_month = self.ledger.spent_since(day), self.ledger.spent_since(month)
        budget = self.registry.budget
        spent = (
            f"Spent ${today:.4f}{_of(budget.daily, today)} today and "
            f"${this_month:.4f}{_of(budget.monthly, this_month)} this month."
        )
        if not budget.daily and not budget.monthly:
            spent += " There is no budget: set daily and monthly under [budget] in config.toml."
        return spent

    def _by_id(self, key: str) -> str | None:
        if " " in key or len(key) < 6:
            return None
        try:
            return self.memories.resolve_id(key)
        except (NotFoundError, InvalidInputError):
            return None


def _of(limit: float, spent: float) -> str:
    """Spending against a budget (" of $1.00 (12 %)"); empty when there is none."""
    return f" of ${limit:.2f} ({spent / limit:.0%})" if limit > 0 else ""


def answer_from_memory(text: str, hits: Sequence[Hit], *, smalltalk: bool) -> tuple[str, list[Hit]]:
    """The answer given without a model, and the memories it shows.

    A greeting is greeted; a message that asks something is answered with the memories that
    are about it (by embedding similarity, ``RELEVANT``); anything else is a statement, whose
    facts are learned after the reply, so it is acknowledged without memories.
    """
    if smalltalk:
        return "Hello! I can remember things for you and find them again: /help shows how.", []
    if not asks(text):
        return "Got it.", []
    relevant = [h for h in hits if h.breakdown.semantic >= RELEVANT]
    if not relevant:
        return "I don't remember anything about that yet.", []
    return "Here is what I remember:\n" + format_hits(relevant), relevant


def asks(text: str) -> bool:
    """Whether ``text`` asks something: a sentence ends with "?", or the message opens as a
    question or a request ("what do I do on Tuesdays", "tell me about my allergies")."""
    return _QUESTION_MARK.search(text) is not None or _ASKS.match(text) is not None


def format_hits(hits: Sequence[Hit]) -> str:
    """Memories as short lines with their ids, for chat output."""
    return "\n".join(f"• {h.memory.text}  [{h.memory.id[-6:]}]" for h in hits)


def format_reminder(rid: str, text: str, due: float | None) -> str:
    """One reminder line."""
    when = f" — {datetime.fromtimestamp(due):%a %d %b %H:%M}" if due else ""
    overdue = " (due)" if due and due <= time.time() else ""
    return f"• {text}{when}{overdue}  [{rid[-6:]}]"
