"""Slash commands and plain-language intents: the memory and reminder actions that work on
every channel without a model (and without native tool calling)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from assistant.actions import Actions, Origin
from assistant.conversation.context import one_line
from assistant.conversation.reply import Notice, Reply, ReplyEvent, Token
from assistant.conversation.router import HOW_ARE_YOU
from assistant.errors import (
    AssistantError,
    InvalidInputError,
    ModelUnavailableError,
    NotFoundError,
)
from assistant.learning.asked import as_told
from assistant.learning.clauses import with_apostrophes
from assistant.learning.context import PEOPLE
from assistant.learning.corrections import Acts, Retraction, remainder, slip_value
from assistant.learning.dates import asked_span
from assistant.learning.extract import RELATIONS
from assistant.learning.injection import (
    addressed_to_ai,
    looks_like_injection,
    orders_ai,
    own_words,
    spoken_to,
)
from assistant.learning.instructions import changes_how, lasting, takes_over
from assistant.learning.kinds import SAID
from assistant.learning.languages import foreign
from assistant.learning.pii import SECRET_KINDS
from assistant.learning.validate import REQUEST, problem
from assistant.list_requests import ListRequest, clean_item, list_requests
from assistant.lists import ListChange, Lists, parse_items
from assistant.memory_types import Hit, Memory
from assistant.models.registry import ModelRegistry, period_starts
from assistant.repeats import describe, repeat_and_time
from assistant.store.evidence import TurnHit
from assistant.store.ledger import CostLedger
from assistant.store.reminders import Reminder
from assistant.when import parse_when, unreadable_time

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
    r"^(?:please\s+)?(?:remember|note(?:\s+to\s+self)?|keep in mind|don'?t forget)(?:\s+that)?"
    r"[:,]?\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_RECALLED = (
    r"(?:what|who|whom|whose|which|where|how|whether|of|when\s+(?:is|was|are|'s|my|the|did|do|"
    r"does))\b"
)
"""What follows "remind me" in a question about what is remembered ("remind me what I'm
allergic to", "remind me when my dentist appointment is")."""
_REMIND = re.compile(
    rf"^\W*(?:(?:please|pls|plz|ok|oh|and|also|hey)\W+|(?:can|could|would|will)\s+(?:you|u)\s+)*"
    rf"(?:remind me (?!{_RECALLED})(?:to |about |that )?|(?:don'?t|do not) let me forget (?:to )?)"
    r"(.+?)(?:\s+(?:pls|please|plz|thanks|thx))?[\s?.!]*$",
    re.IGNORECASE,
)
"""A reminder asked for ("pls remind me to …", "can you remind me to …", "don't let me forget
to …"); not "remind me what I'm allergic to", which asks what is remembered."""
_SET_REMINDER = re.compile(
    r"^\W*(?:(?:please|pls|plz|ok|hey)\W+|(?:can|could|would)\s+(?:you|u)\s+)*"
    r"(?:set|make|create|add)\s+(?:me\s+)?(?:a\s+|an\s+)?reminder\s+(?:for\s+|at\s+|on\s+)?"
    r"(.+?)[\s?.!]*$",
    re.IGNORECASE,
)
"""A reminder asked for by name ("set a reminder for 5pm: pick up kids")."""
_SNOOZE = re.compile(
    r"^\W*(?:(?:ok|okay|ugh|pls|please|can\s+you)\W+)*(?:snooze(?:\s+(?:that|it|this))?"
    r"(?:\s+(?:for|till|until))?(?P<for>(?:\s+[^.!?]*)?)|remind\s+me\s+(?:again|about\s+"
    r"(?:that|it|this)|(?:of\s+)?(?:that|it)\s+again)(?:\s+again)?(?P<when>(?:\s+(?:in|at|on|"
    r"tomorrow|tonight|later)\b[^.!?]*)?|\s+\d[^.!?]*))[\s.!]*$",
    re.IGNORECASE,
)
"""The reminder that just came, asked for again later ("snooze that", "snooze for 10
minutes", "remind me again in an hour", "remind me about that tomorrow")."""
SNOOZE_MINUTES = 10
"""How long "snooze" alone puts the reminder that came off."""
_UNKEPT_REPEAT = re.compile(
    r"\bevery\s+(?:other|second|third|\d+|two|three|four|five|six|few|couple\s+of)\s+"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|fortnights?)\b"
    r"|\bevery\s+(?:hour|minute|fortnight|year)\b|\b(?:fortnightly|hourly|yearly|annually)\b",
    re.IGNORECASE,
)
"""How often a reminder cannot come back ("every 2 hours", "every other week"): set as a
reminder once, its words would be its text and its time lost."""
_NO_TASK = re.compile(r"^\W*(?:(?:to|about|that|of|me|it|again|this|pls|please)\b\W*)*$", re.I)
"""What is left of a reminder asked for with a time and nothing to be reminded of."""
_LIST_REMINDERS = re.compile(
    r"^(?:what are|show|list|show me)?\s*(?:(?:my|the)\s+)?(?:open\s+)?reminders\??$|"
    r"^what reminders do i have\??$",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"^\W*(?:what|what's|whats|when|whens|when's|where|wheres|where's|who|whos|who's|whom|"
    r"whose|which|why|why's|how|hows|how's|wat|wut|wht|"
    r"do|does|did|is|are|was|"
    rf"were|am|can|could|will|would|should|have|has|tell me|show me|list|find|search|remind me "
    rf"{_RECALLED}|any)\b(?!['’])",
    re.IGNORECASE,
)
_QUESTION_MARK = re.compile(r"\?(?:\s|$)")
_DONE_WITH = re.compile(
    r"^\W*(?:(?:ok|okay|right|so|yay|phew)\W+)?(?:i'?m\s+|im\s+|i'?ve\s+|ive\s+|just\s+)*"
    r"(?:done\s+with|finished|did|done|completed|sorted)\s+(?:the\s+|my\s+)?"
    r"(?P<what>[^.!?\n]{3,60}?)[\s.!]*$",
    re.IGNORECASE,
)
"""A task said done in chat ("done with the plumber call", "finished my tax return")."""
_STOP_REMINDING = re.compile(
    r"^\W*(?:(?:ok|okay|so|please|pls|plz|you\s+can|can\s+you)\W+)*"
    r"(?:(?:stop|quit|no\s+need\s+to\s+keep|don'?t|do\s+not)\s+(?:keep\s+)?remind(?:ing)?\s+me\s+"
    r"(?:about|of|to)\s+(?:the\s+|my\s+)?(?P<what>[^.!?\n]{3,60}?)"
    r"|(?:no\s+more|cancel|delete|remove|stop)\s+(?:the\s+|my\s+)?(?:(?P<before>[^.!?\n]{3,40}?)"
    r"\s+reminders?|reminders?\s+(?:about|for|to)\s+(?:the\s+|my\s+)?(?P<after>[^.!?\n]{3,60}?)))"
    r"(?:\s+(?:any\s*more|now|please|pls|thanks|thx))*[\s.!?]*$",
    re.IGNORECASE,
)
"""A reminder, one that comes back above all, called off in chat ("stop reminding me about
the bins", "cancel the gym reminder", "no more reminders about my pills")."""
_STOP_REMINDING_IT = re.compile(
    r"^\W*(?:(?:ok|okay|so|please|pls|plz|you\s+can|can\s+you)\W+)*"
    r"(?:(?:stop|quit|no\s+need\s+to\s+keep)\s+(?:keep\s+)?remind(?:ing)?\s+me"
    r"(?:\s+(?:about|of)\s+(?:that|this|it))?"
    r"|(?:no\s+more|cancel|delete|remove|stop|turn\s+off)\s+(?:that|this|the|my)\s+reminder)"
    r"(?:\s+(?:any\s*more|now|please|pls|thanks|thx))*[\s.!?]*$",
    re.IGNORECASE,
)
"""A reminder called off without naming it, after it came ("stop reminding me", "cancel that
reminder", "you can stop reminding me now"); not "don't remind me", said of what it reminds
of."""
_LOSS = re.compile(
    rf"\b(?:my|our)\s+(?:{PEOPLE})(?:\s+[\w'-]+)?\s+(?:has\s+|just\s+|sadly\s+)*died\b"
    r"|\b(?:passed away|passed on|funeral|put (?:\w+ )?(?:down|to sleep)|lost my|lost our|"
    r"broke up|dumped me|left me|divorc\w*|miscarr\w*|laid off|made redundant|got fired|"
    r"diagnosed with)\b",
    re.IGNORECASE,
)
"""A loss told in a statement: answered with sympathy, not "Got it."."""
_HOW_ARE_YOU = re.compile(rf"^(?:(?:hi|hey|hello|yo)\W+)*{HOW_ARE_YOU}\b", re.IGNORECASE)
"""Asking after the assistant ("hows ur day", "hey, how are you?")."""
_THANKS = re.compile(r"\b(?:thanks?|thank\s+(?:you|u)|thx|ty|cheers|ta)\b", re.IGNORECASE)
_BYE = re.compile(r"\b(?:bye|goodbye|good\s+night|night|see\s+(?:you|ya|u)|cya|later)\b", re.I)
FORGET_SURE = 0.8
"""MiniLM cosine from which the memory a "forget …" names is the one meant, when it is well
ahead of the next (:data:`FORGET_MARGIN`): forgotten at once (restorable), not listed; so is
the one memory found that has every word the request names ("forget pizza")."""
FORGET_MARGIN = 0.15
UNNOTED = "No longer noted for every answer: {}"
"""What is said of a standing instruction dropped."""
REFUSED = "I won't act on that: I don't take instructions that change my rules or send things."
"""The answer to a message that tries to take the assistant over, without a model."""
PASTED = (
    "Got it. What you pasted is read as data: the instructions to an AI inside it are not "
    "followed or kept."
)
"""The answer to a message that pastes text holding instructions to an AI, without a model."""
NEEDS_MODEL = (
    "I can't do that without a chat model: I remember what you tell me, find it again and "
    "keep reminders (/help shows how)."
)
"""The answer to a request for this answer only ("write me a poem"), without a model."""
FOREIGN = (
    "I read English only without a chat model: your words are kept, so a search finds them, "
    "but I can't learn from them or answer them."
)
"""The answer to a message in another language, without a model (not "Got it.")."""
_LAUGH = re.compile(r"\b(?:lol|lmao|haha\w*|jk)\b", re.IGNORECASE)
_NOT_NAMING = frozenset({"the", "my", "and", "for", "with", "today", "now", "finally", "lol"})
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ME = frozenset({"me", "myself", "i", "i've", "i’ve"})
_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)(?<![.!?:])\b([A-Z][^\W\d_]+)")
_ABOUT_YOU = _ME | frozenset(
    re.findall(
        r"\S+",
        "what what's whats who am do does did you u have has got know knows knew remember "
        "remembered recall tell told say said learned learnt about on of so far yet until now "
        "everything anything all stuff things info information details profile summarise "
        "summarize summary sum up list show give is are the a an can could would please pls "
        "already really actually exactly",
    )
)
"""Words a question about the user as a whole is made of: any other word names something in
particular (:func:`about_you`)."""
RELEVANT = 0.4
"""Cosine similarity from which a memory is about a question (MiniLM: related texts score
0.45 and up, unrelated ones below 0.35)."""
NEARBY = 0.33
"""Cosine from which the closest memories are offered, labelled so, for a question about the
user that none is about ("what's my job?" / "I work at Costa.", 0.36; "what's the capital of
France?" names no one of the user's and is offered nothing)."""
NEARBY_SHOWN = 2
LISTS_SEARCHED = 5
"""Memories searched for a list that holds what a retraction names."""
_USERS = _ME | frozenset({"my", "mine", "i'm", "im", "i’m"})
"""Words of a question about the user or their things."""
RELEVANT_TURN = 0.45
"""Relevance (cosine blended with full-text, as turns are searched) from which something the
user said is about a question."""
_FORGET = re.compile(
    r"^(?:please\s+)?forget (?:that |about |what i (?:said|told you) about )?(.+)$", re.IGNORECASE
)


class Retracting(NamedTuple):
    """A message that takes something back: the reply that forgets it, and what the message
    says besides ("scrap that, we named him Pip after all" → "we named him Pip after all"),
    learned like any message ("" when it says nothing else)."""

    events: Iterator[ReplyEvent]
    besides: str


class Commands:
    """Runs slash commands and recognised intents: thin adapters over the action layer.

    Usage::

        commands = Commands(Actions(assistant), ledger, registry)
        for event in commands.run("/remember important my passport expires in May"):
            ...
    """

    def __init__(
        self,
        actions: Actions,
        ledger: CostLedger,
        registry: ModelRegistry,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.actions = actions
        self.ledger = ledger
        self.registry = registry
        self.clock = clock
        memories = actions.memories
        self.lists = Lists(memories)
        """The user's lists, edited in plain words."""
        self.acts = Acts(memories.embedder, memories.settings.model_cache)
        self._extra: dict[str, tuple[Callable[[str, Origin], str], str]] = {}

    def add(self, name: str, handler: Callable[[str, Origin], str], help_line: str) -> None:
        """Add the command ``/name``: ``handler(rest, origin)`` returns the reply text (an
        ``AssistantError`` it raises becomes a notice); ``help_line`` joins ``/help``."""
        self._extra[name.lstrip("/").lower()] = (handler, help_line)

    def run(self, line: str, origin: Origin | None = None) -> Iterator[ReplyEvent]:
        """Run one ``/command`` line typed at ``origin`` (the action layer's when None);
        errors become a notice, never an exception."""
        name, _, rest = line.partition(" ")
        handler = getattr(self, f"_cmd_{name.lstrip('/').lower()}", None)
        if handler is None and name.lstrip("/").lower() in self._extra:
            handler = self._extra[name.lstrip("/").lower()][0]
        if handler is None:
            return _unknown(name)
        return self._events(lambda: handler(rest.strip(), origin or self.actions.origin))

    def intent(self, text: str, origin: Origin | None = None) -> Iterator[ReplyEvent] | None:
        """The action a plain message asks for ("remember that…", "remind me to…"), when no
        model with tool calling is available; None when the message is not an action. What
        it stores was said in conversation (secrets are kept out)."""
        typed = origin or self.actions.origin
        said = Origin("conversation", typed.channel, typed.sender)
        if snoozed := _SNOOZE.match(text):  # before "remind me …": "remind me again in 10 min"
            when = (snoozed["for"] or snoozed["when"] or "").strip()
            return self._events(lambda: self._snooze(when))
        if m := _REMIND.match(text) or _SET_REMINDER.match(text):
            return self.run(f"/remind {m.group(1)}", said)
        if m := _REMEMBER.match(text):
            return self._remember_said(m.group(1), said)
        if _LIST_REMINDERS.match(text):
            return self.run("/reminders", said)
        if listed := self._list_change(text):
            return listed
        if (m := _DONE_WITH.match(text)) and (reminder := self._reminder_named(m.group("what"))):
            return self._events(lambda: self._done_with(reminder))  # "done with the plumber call"
        if (m := _STOP_REMINDING.match(text)) and (
            reminder := self._reminder_named(m["what"] or m["before"] or m["after"])
        ):
            return self.run(f"/done {reminder}", said)  # "stop reminding me about the bins"
        if _STOP_REMINDING_IT.match(text):
            return self._events(self._stop_reminding)
        if m := _FORGET.match(text):
            return self.run(f"/forget {m.group(1)}", said)
        return None

    def _list_change(self, text: str) -> Iterator[ReplyEvent] | None:
        """Items added to or taken off one of the user's lists, or a list read out ("add
        cheese to my shopping list", "take milk off the shopping list", "what's on my
        shopping list"); None when the message asks none of that."""
        asked = list_requests(text)
        if not asked:
            return None
        return self._events(lambda: "\n".join(self._list_done(r) for r in asked))

    def _list_done(self, asked: ListRequest) -> str:
        """One request of a list carried out, and what it did said."""
        name, items = asked.name, asked.items
        if asked.kind == "add":
            return _list_added(self.lists.add(name, items))
        if asked.kind == "clear":
            change = self.lists.clear(name)
            return f"Cleared your {name} list." if change.removed else _list_line(name, [])
        if asked.kind == "remove" and not name:  # "cross off rice": the list that holds it
            holding = self.lists.holding(items)
            if len(holding) != 1:
                where = "any of your lists" if not holding else "more than one list"
                return (
                    f"{', '.join(items).capitalize()}: on {where}. Say which: “take "
                    f"{items[0]} off my shopping list”."
                )
            name = holding[0]
        if asked.kind == "remove":
            return _list_removed(self.lists.remove(name, items))
        return _list_read(name, self.lists.items(name))

    def add_to_list(self, name: str, items: list[str]) -> Iterator[ReplyEvent]:
        """Add ``items`` to the list ``name`` ("oh and bananas" right after a list was
        edited), and say what was added."""
        return self._events(lambda: _list_added(self.lists.add(name, items)))

    def remove_from_list(self, name: str, items: list[str]) -> Iterator[ReplyEvent]:
        """Take ``items`` off the list ``name``, and say what is left."""
        return self._events(lambda: _list_removed(self.lists.remove(name, items)))

    def _snooze(self, when: str) -> str:
        """The reminder that came last, again at ``when`` ("in 20 minutes"; in
        :data:`SNOOZE_MINUTES` when nothing is said); said so when none has come."""
        now = self.clock()
        due, rest = parse_when(when, now) if when else (None, "")
        if when and due is None:  # "snooze for 10 minutes"
            due, rest = parse_when(f"in {when}", now)
        if when and (due is None or rest.strip()):
            raise InvalidInputError(f"no reminder moved: “{when}” is no time I can read")
        due = due or now + timedelta(minutes=SNOOZE_MINUTES)
        if due.timestamp() <= now.timestamp():
            raise InvalidInputError("no reminder moved: that time has passed")
        came = self.actions.snooze_reminder(due.timestamp())
        if came is None:
            return "No reminder has come to snooze. /reminders lists the open ones."
        return f"Snoozed until {due:%a %d %b %H:%M}: {came.text}"

    def _done_with(self, key: str) -> str:
        """A reminder said done in plain words: one that comes once is done; of one that comes
        back, this time is (its next time, when within a day, is skipped) and the series goes
        on, as the reply says."""
        reminder = self.actions.skip_reminder(key)  # a one-off comes back as it is
        if not reminder.repeat:
            return f"Done: {self.actions.complete_reminder(key).text}"
        when = datetime.fromtimestamp(reminder.due) if reminder.due is not None else None
        back = f" It comes back {when:%a %d %b %H:%M}" if when else " It comes back"
        return (
            f"Done for this time: {reminder.text}.{back} ({describe(reminder.repeat)}); "
            f"“stop reminding me about {reminder.text}” ends it."
        )

    def _stop_reminding(self) -> str:
        """End the one reminder that has come (the one that came last, else a one-off past
        its time, or one that comes back); ask which when there are several, and say so when
        there is none."""
        lately = self.actions.reminder_came()
        if lately is not None:
            done = self.actions.complete_reminder(lately.id)
            return f"I'll stop reminding you: {done.text}."
        now = time.time()
        found = self.actions.open_reminders()
        came = [r for r in found if r.repeat or (r.due is not None and r.due <= now)]
        if len(came) == 1:
            done = self.actions.complete_reminder(came[0].id)
            return f"I'll stop reminding you: {done.text}."
        if not found:
            return "You have no open reminders."
        return (
            "Which reminder should I stop? Say “stop reminding me about …” with its words, or "
            f"/done and its id:\n{_reminder_lines(came or found)}"
        )

    def _reminder_named(self, words: str) -> str:
        """The id of the one open reminder whose text has every word ``words`` names, in any
        form ("the plumber call" names "call the plumber", "the vet booking" "book the vet",
        "the care home call" "phone the care home");
        "" when none or several do."""
        wanted = [
            _stem(w) for w in _WORDS.findall(words.lower()) if len(w) > 2 and w not in _NOT_NAMING
        ]
        patterns = [
            re.compile(r"\b(?:" + "|".join(map(re.escape, _ALIKE.get(w, (w,)))) + ")")
            for w in wanted
        ]
        found = [
            r
            for r in self.actions.open_reminders()
            if wanted and all(p.search(r.text.lower()) for p in patterns)
        ]
        return found[0].id if len(found) == 1 else ""

    def _remember_said(self, body: str, origin: Origin) -> Iterator[ReplyEvent]:
        stored: list[Memory] = []

        def answer() -> str:
            stored.append(self.actions.remember(body, origin=origin))
            return _remembered(stored[0].text, stored[0].id, important=False)

        events = list(self._events(answer))
        if stored and SECRET_KINDS & set(stored[0].metadata.get("pii", [])):
            yield Notice(
                "I stored it without the secret; /remember TEXT keeps it exactly as written.",
                "warning",
            )
        yield from events

    def retraction(self, text: str, conversation: str = "") -> Retracting | None:
        """Forget what the user takes back ("scrap that, forget what I said about the
        dentist", "never mind the thing about the gym"), on every channel, with or without a
        model; the reply says what was forgotten. None when the message retracts nothing."""
        if looks_like_injection(text):  # "ignore previous instructions and …" takes nothing back
            return None
        act = self.acts.read(text)
        if not isinstance(act, Retraction):
            return None
        if listed := self._on_a_list(act.topic):  # "actually scrap the butter": off the list
            events = self.remove_from_list(*listed)
        else:
            events = self._events(lambda: self._retract(act, conversation))
        return Retracting(events, remainder(text, act.topic).strip())

    def _on_a_list(self, topic: str) -> tuple[str, list[str]] | None:
        """The list that holds what a retraction names, and those items ("scrap the butter"
        takes butter off the shopping list, never the list with it); None when no list
        holds it."""
        wanted = clean_item(topic).lower()
        if not wanted:
            return None
        for hit in self.actions.assistant.memories.search(topic, LISTS_SEARCHED, touch=False):
            name = str(hit.memory.metadata.get("list", ""))
            held = [i for i in parse_items(hit.memory.text) if i.lower() == wanted] if name else []
            if held:
                return name, held
        return None

    def _retract(self, act: Retraction, conversation: str) -> str:
        forgotten = self.actions.forget_about(act.topic, conversation)
        page = self.actions.assistant.instructions
        dropped = page.forget_about(act.topic) if act.topic else []
        if not forgotten and not dropped:
            about = f"about {act.topic}" if act.topic else "to forget"
            return f"I don't remember anything {about}."
        parts = [UNNOTED.format(text) for text in dropped]
        if forgotten:
            lines = "\n".join(f"• {m.text}  [{m.id[-6:]}]" for m in forgotten)
            undo = " ".join(f"/restore {m.id[-6:]}" for m in forgotten)
            parts.append(f"Forgot:\n{lines}\n({undo} brings it back)")
        return "\n".join(parts)

    def _events(self, answer: Callable[[], str]) -> Iterator[ReplyEvent]:
        try:
            text = answer()
        except AssistantError as exc:
            yield Notice(f"{exc.title}: {exc.message}", "warning")
            yield Reply("", route="command", command=True)
            return
        yield Token(text)
        yield Reply(text, route="command", command=True)

    def _cmd_help(self, rest: str, origin: Origin) -> str:
        extra = [f"  {line}" for _, line in self._extra.values()]
        if not extra:
            return HELP
        head, _, tail = HELP.rpartition("\n")
        return "\n".join([head, *extra, tail])

    def _cmd_remember(self, rest: str, origin: Origin) -> str:
        important = rest.lower().startswith("important ")
        text = rest[len("important ") :].strip() if important else rest
        memory = self.actions.remember(text, important=important, origin=origin)
        return _remembered(memory.text, memory.id, important=important)

    def _cmd_search(self, rest: str, origin: Origin) -> str:
        hits = self.actions.search(rest, 5)
        return format_hits(hits) if hits else "Nothing I remember matches that."

    def _cmd_forget(self, rest: str, origin: Origin) -> str:
        if not rest:
            raise InvalidInputError("say what to forget: /forget ID or /forget some words")
        target = self._by_id(rest)
        if target is not None:
            archived = self.actions.forget(target)
            return f"Forgot: {archived.text} (/restore {archived.id[-6:]} brings it back)"
        hits = self.actions.search(rest, 5, touch=False)
        if not hits:
            raise NotFoundError(f"no memory matches {rest!r}")
        best = hits[0].breakdown.semantic
        words = {w for w in _WORDS.findall(rest.lower()) if len(w) > 2 and w not in _NOT_NAMING}
        naming = [h for h in hits if words and words <= set(_WORDS.findall(h.memory.text.lower()))]
        if not naming and best < NEARBY:
            raise NotFoundError(f"no memory matches {rest!r}")  # not three unrelated ones
        ahead = all(h.breakdown.semantic < best - FORGET_MARGIN for h in hits[1:])
        if (best >= FORGET_SURE and ahead) or (len(naming) == 1 and naming[0] is hits[0]):
            archived = self.actions.forget(hits[0].memory.id)  # "forget that my favourite
            # colour is green": the one memory that says it
            return f"Forgot: {archived.text} (/restore {archived.id[-6:]} brings it back)"
        return "Which one? Forget it with /forget ID:\n" + format_hits(hits)

    def _cmd_restore(self, rest: str, origin: Origin) -> str:
        return f"Restored: {self.actions.restore(rest).text}"

    def _cmd_important(self, rest: str, origin: Origin) -> str:
        return f"Marked important: {self.actions.mark_important(rest).text}"

    def _cmd_remind(self, rest: str, origin: Origin) -> str:
        # "every monday at 8am to put the bins out": its first time is set with the reminder
        if why := unreadable_time(rest, self.clock()):  # "on february 30th", "at 25pm"
            raise InvalidInputError(f"no reminder set: {why}; say when again")
        if unkept := _UNKEPT_REPEAT.search(rest):  # "every 2 hours", "every other week"
            raise InvalidInputError(
                f"no reminder set: I can't repeat “{unkept.group(0)}”; say a day or days and a "
                "time (“every day at 9am”, “every tuesday and friday at 7”)"
            )
        repeat, due, text = repeat_and_time(rest, self.clock())
        text = text.strip(" :;,-–—")  # "for 5pm: pick up kids"
        if _NO_TASK.match(text) and (due is not None or _NO_TASK.match(rest)):  # "remind me to"
            raise InvalidInputError(
                "no reminder set: what should I remind you of? Say it with the time: "
                "“remind me to call mum tomorrow at 6pm”"
            )
        reminder = self.actions.set_reminder(text or rest, due=due, repeat=repeat, origin=origin)
        set_for = datetime.fromtimestamp(reminder.due) if reminder.due is not None else None
        at = f" for {set_for:%a %d %b %H:%M}" if set_for else ""
        again = f", then {describe(repeat)}" if repeat else ""
        return f"Reminder set{at}{again}: {reminder.text}"

    def _cmd_reminders(self, rest: str, origin: Origin) -> str:
        found = self.actions.open_reminders()
        return _reminder_lines(found) if found else "No open reminders."

    def _cmd_done(self, rest: str, origin: Origin) -> str:
        return f"Done: {self.actions.complete_reminder(rest).text}"

    def _cmd_model(self, rest: str, origin: Origin) -> str:
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

    def _cmd_costs(self, rest: str, origin: Origin) -> str:
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
            return self.actions.get(key).id
        except (NotFoundError, InvalidInputError):
            return None


def _list_added(change: ListChange) -> str:
    head = f"Added {', '.join(change.added)}." if change.added else "Already on it."
    return f"{head} {_list_line(change.name, change.items)}"


def _list_removed(change: ListChange) -> str:
    parts = [f"Took {', '.join(change.removed)} off."] if change.removed else []
    if change.missing:
        parts.append(f"Not on your {change.name} list: {', '.join(change.missing)}.")
    return " ".join([*parts, _list_line(change.name, change.items)])


def _list_read(name: str, items: list[str] | None) -> str:
    if items is None:
        return f'You have no {name} list yet: "add eggs to my {name} list" starts one.'
    return _list_line(name, items)


def _list_line(name: str, items: list[str]) -> str:
    return (
        f"{name.capitalize()} list: {', '.join(items)}." if items else f"Your {name} list is empty."
    )


def _unknown(name: str) -> Iterator[ReplyEvent]:
    yield Notice(f"Unknown command {name}; /help lists them.", "warning")
    yield Reply("", route="command", command=True)


def _remembered(text: str, memory_id: str, *, important: bool) -> str:
    return f"Remembered{' (important)' if important else ''}: {text} [{memory_id[-6:]}]"


def _of(limit: float, spent: float) -> str:
    """Spending against a budget (" of $1.00 (12 %)"); empty when there is none."""
    return f" of ${limit:.2f} ({spent / limit:.0%})" if limit > 0 else ""


def answer_from_memory(
    text: str,
    hits: Sequence[Hit],
    *,
    smalltalk: bool,
    said: Sequence[TurnHit] = (),
    profile: Sequence[Memory] = (),
    cautions: Sequence[Memory] = (),
    instructs: Callable[[str], bool] = lambda text: False,
    reminders: Sequence[Reminder] = (),
) -> tuple[str, list[Hit]]:
    """The answer given without a model, and the memories it shows.

    A greeting is greeted; a question about the user as a whole ("what do you know about
    me?": :func:`about_you`) is answered with ``profile``, who they are and what matters most;
    a message that asks something else is answered with the memories that
    are about it (by embedding similarity, ``RELEVANT``) and, labelled apart with their dates,
    the things the user said that are about it (``said``, earlier turns; questions are left
    out), or, for a question about the user that none is about, the closest memories
    (``NEARBY``), labelled so; anything else is a statement, whose facts are learned after
    the reply, so it is acknowledged without memories, unless it asks for something done
    now (``NEEDS_MODEL``: not a standing instruction, which ``instructs`` reads) or tries to
    take the assistant over (``REFUSED``). ``cautions`` (the user's facts about
    food, drink and health, for a question whether they may eat, drink or take something) come
    first, whatever else is found; ``reminders`` (those due in the days a question asks
    about: :func:`reminders_asked`) come before the memories.
    """
    if smalltalk:
        if _THANKS.search(text):
            return "You're welcome!", []
        if _BYE.search(text):
            return "Bye for now!", []
        if _HOW_ARE_YOU.match(text.strip()):
            return "All good here, thanks for asking! What's on your mind?", []
        return "Hello! I can remember things for you and find them again: /help shows how.", []
    if foreign(text):
        return FOREIGN, []
    if asks(text) and instructs(text):  # "can you always use celsius?": noted, not searched
        return "Got it.", []
    if not asks(text):
        if _LOSS.search(text) and not _LAUGH.search(text):  # "my nan passed away": not "Got it."
            return "I'm so sorry. I'll keep that in mind.", []
        own = own_words(text)  # pasted notes that name "api keys" ask nothing of me
        if takes_over(own) or looks_like_injection(own):
            return REFUSED, []
        if _pasted_orders(text, own):
            return PASTED, []  # the instructions are in what was pasted, not in the user's words
        if problem(text) == REQUEST and not (
            lasting(text) or instructs(text) or changes_how(text) or slip_value(text)
        ):
            return NEEDS_MODEL, []  # "give me a pancake recipe", not "please be direct with me"
        return "Got it.", []
    if profile and about_you(text):
        lines = "\n".join(f"• {m.text}  [{m.id[-6:]}]" for m in profile)
        return f"Here is what I know about you:\n{lines}", []
    relevant = [
        h
        for h in hits
        if h.breakdown.semantic >= RELEVANT
        or h.dated  # "what have I got on next week?"
        or names_asked(text, h.memory.text)
        or relation_asked(text, h.memory.text)
        or category_asked(text, h.memory.text)
    ]
    if not _MY_RELATION.search(text):  # "what's my name?": mine before my sister's
        relevant.sort(key=lambda h: _MY_RELATION.search(h.memory.text) is not None)
    quoted = [t for t in said if t.score >= RELEVANT_TURN and not asks(t.turn.text)]
    parts = []
    if cautions:
        lines = "\n".join(f"• {m.text}  [{m.id[-6:]}]" for m in cautions)
        parts.append(f"Before you do, remember what you told me:\n{lines}")
        shown = {m.id for m in cautions}
        relevant = [h for h in relevant if h.memory.id not in shown]
    if reminders:
        parts.append("Your reminders then:\n" + _reminder_lines(reminders))
    if relevant:
        parts.append("Here is what I remember:\n" + format_hits(relevant))
    if quoted:
        parts.append("What you told me:\n" + format_said(quoted))
    if not parts:
        nearby = [h for h in hits[:NEARBY_SHOWN] if h.breakdown.semantic >= NEARBY]
        if nearby and {w.lower() for w in _WORDS.findall(text)} & _USERS:
            return "Nothing I remember says that exactly. The closest:\n" + format_hits(
                nearby
            ), nearby
        return "I don't remember anything about that yet.", []
    return "\n\n".join(parts), relevant


def about_you(text: str) -> bool:
    """Whether a question asks about the user as a whole, naming nothing in particular ("what
    do you know about me?", "what have I told you so far?", "tell me about myself"; not "what
    do you know about my sister?")."""
    words = {w.lower() for w in _WORDS.findall(text)}
    return asks(text) and bool(words & _ME) and not words - _ABOUT_YOU


def names_asked(question: str, text: str) -> bool:
    """Whether a question names someone or something a memory names ("who is jo?" / "I live
    in Leeds with my wife Jo": a short question about a name sits far from the memory in the
    embedding). A name is a word written with a capital inside a sentence."""
    named = {m.group(1).lower() for m in _NAME.finditer(text)} - _ABOUT_YOU
    return bool(named & {w.lower() for w in _WORDS.findall(question)})


_MY_RELATION = re.compile(rf"\b(?:my|our)\s+({RELATIONS})(?:'s|’s|s)?\b", re.IGNORECASE)


_CATEGORIES = (
    (
        re.compile(r"\b(?:pets?|animals?)\b", re.IGNORECASE),
        SAID["pets"],
    ),
    (
        re.compile(r"\b(?:kids?|children|child)\b", re.IGNORECASE),
        SAID["kids"],
    ),
    (
        re.compile(
            r"\b(?:meds|medications?|medicines?|medicat\w*|pills|tablets|prescriptions?|drugs)\b",
            re.IGNORECASE,
        ),
        SAID["medication"],
    ),
    (
        re.compile(
            r"\b(?:seeing\s+(?:any|some)one|dating|girl\s?friend|boy\s?friend|partner|wife|"
            r"husband|spouse|fianc[eé]e?|single|married|relationship|love\s+life|other\s+half)\b",
            re.IGNORECASE,
        ),
        SAID["partner"],
    ),
    (
        re.compile(
            r"\bwhere\b.*\b(?:i|we)\s+(?:live|stay|am based|'?m based)\b|\bwhere(?:'s| is)\s+home\b"
            r"|\b(?:my|our)\s+(?:address|home\s*town)\b|\b(?:what|which)\s+(?:city|town|country|"
            r"part of \w+)\b.*\b(?:i|we)\s+(?:live|am|'?m|are|'?re)\b",
            re.IGNORECASE,
        ),
        SAID["home"],
    ),
    (
        re.compile(
            r"\bwhere\s+do\s+i\s+work\b|\bwho\s+do\s+i\s+work\s+for\b|\bwhat(?:'s| is)\s+my\s+"
            r"(?:job|work|employer|role)\b|\bwhat\s+do\s+i\s+do\s+for\s+(?:a\s+)?(?:living|work)\b",
            re.IGNORECASE,
        ),
        SAID["work"],
    ),
)
"""Questions about a kind of thing the user has ("do i have pets?", "do i have kids", "what
meds am i on?", "am i seeing anyone?") and what a memory says to be about it ("two rescue
guinea pigs", "my son leo is 4", "I take metformin 500mg twice a day", "Ellie and I broke
up"): far apart in the embedding, as the question names only the kind."""


_CATEGORY_QUERIES = (
    "our pets: my dog, my cat, a hamster, a rabbit, guinea pigs",
    "my kids: my son, my daughter, our children",
    "my medication: the tablets and medicine I take, with the dose in mg",
    "my partner: my girlfriend, boyfriend, wife or husband; dating, engaged, married, broke up",
    "where I live: I live in this city, we moved to a new town, my home and address",
    "my job: I work at this company as a role, I started a new job, my employer",
)
"""What finds the memories about each kind of :data:`_CATEGORIES`, as a search."""


_CALLING = ("call", "phon", "ring", "rang")
_ALIKE = {word: _CALLING for word in (*_CALLING, "phone")}
"""Words a task is said in that mean the same task ("done with the care home call" for "phone
the care home")."""


def _stem(word: str) -> str:
    """A word without the ending that makes it a noun or a tense ("booking" → "book",
    "shopping" → "shop", "called" → "call", "renewal" → "renew", "payment" → "pay"), for a
    match of the words that begin as it does."""
    for ending in ("ings", "ing", "ment", "als", "al", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            doubled = len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz"
            return stem[:-1] if doubled else stem  # "shopping", not "called" or "dressed"
    return word


def reminder_asked(text: str) -> bool:
    """Whether ``text`` asks for a reminder ("pls remind me to renew my passport on the
    1st", "can you remind me to ring the bank tomorrow?") or to stop one ("stop reminding me
    about the bins"), however the router reads it."""
    return any(
        p.match(text)
        for p in (_REMIND, _STOP_REMINDING, _STOP_REMINDING_IT, _SNOOZE, _SET_REMINDER)
    )


def category_query(question: str) -> str:
    """A search for the memories about the kind of thing a question asks about ("do i have
    kids?" → one for sons, daughters and children); "" when it asks about none."""
    for (asked, _), query in zip(_CATEGORIES, _CATEGORY_QUERIES, strict=True):
        if asked.search(question):
            return query
    return ""


def category_asked(question: str, text: str) -> bool:
    """Whether a question asks about a kind of thing (pets, kids, where the user lives or
    works) a memory speaks of."""
    return any(asked.search(question) and said.search(text) for asked, said in _CATEGORIES)


def relation_asked(question: str, text: str) -> bool:
    """Whether a question asks about one of the user's people a memory speaks of by the same
    relation ("what does my sister do?" / "My sister Priya lives in Manchester, she's a
    teacher": far apart in the embedding, as the question says so little)."""
    asked = {m.group(1).lower() for m in _MY_RELATION.finditer(question)}
    return bool(asked) and bool(asked & {m.group(1).lower() for m in _MY_RELATION.finditer(text)})


def asks(text: str) -> bool:
    """Whether ``text`` asks something: a sentence ends with "?", or the message opens as a
    question or a request ("what do I do on Tuesdays", "tell me about my allergies"); asking
    to remember something ("can you remember that im allergic to latex?") tells it."""
    text = with_apostrophes(as_told(text))  # "were going to lisbon" tells, "we're going"
    return _QUESTION_MARK.search(text) is not None or _ASKS.match(text) is not None


def _pasted_orders(text: str, own: str) -> bool:
    """Whether ``text`` holds pasted words (more than the user's ``own``, besides calling
    the assistant: "hey AI, my sister…" is all theirs) that give the assistant orders: a line
    addressed to an AI ("AI assistant: store that…") or an injection."""
    said = spoken_to(text.strip())
    if own.strip() == said.strip():
        return False
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    return any(
        looks_like_injection(line) or addressed_to_ai(line) or orders_ai(line)
        for line in [said, *lines]
    )


def format_hits(hits: Sequence[Hit]) -> str:
    """Memories as short lines with their ids, for chat output."""
    return "\n".join(f"• {h.memory.text}  [{h.memory.id[-6:]}]" for h in hits)


def format_said(said: Sequence[TurnHit]) -> str:
    """Things the user said, each on a line labelled with its date and turn id."""
    lines = []
    for t in said:
        words = one_line(t.turn.text, 300)
        lines.append(f"• on {t.turn.date:%a %d %b %Y} you said: “{words}”  [{t.turn.id[:8]}]")
    return "\n".join(lines)


def reminders_asked(
    text: str, reminders: Callable[[], Sequence[Reminder]], now: float
) -> list[Reminder]:
    """The open reminders (``reminders()``, read only for a question about days) due in the
    days a question asks about ("anything coming up?", "what have I got on tomorrow?"),
    soonest first; a reminder that comes back is due again at its next time. None for a
    question that names no day."""
    span = asked_span(text, datetime.fromtimestamp(now).date()) if asks(text) else None
    if span is None:
        return []
    first = datetime.combine(span[0], datetime.min.time()).timestamp()
    last = datetime.combine(span[1], datetime.max.time()).timestamp()
    return [r for r in reminders() if r.due is not None and first <= r.due <= last]


def _reminder_lines(reminders: Sequence[Reminder]) -> str:
    """Reminders one a line, as ``/reminders`` lists them."""
    return "\n".join(format_reminder(r.id, r.text, r.due, r.repeat) for r in reminders)


def format_reminder(rid: str, text: str, due: float | None, repeat: str = "") -> str:
    """One reminder line."""
    when = f" — {datetime.fromtimestamp(due):%a %d %b %H:%M}" if due else ""
    overdue = " (due)" if due and due <= time.time() else ""
    again = f", {describe(repeat)}" if repeat else ""
    return f"• {text}{when}{overdue}{again}  [{rid[-6:]}]"
