"""The answering pipeline: one message of one conversation, from its text to its reply.

Per message: an open question settled → slash command or retraction → embed once → route →
retrieve (skipped for small talk) → assemble context → pick models by policy and budget →
stream the answer, running tool calls → bill each call → keep the turn in the conversation's
working memory → tell the after-turn listeners (the log, learning), who never hold the reply
up. The caller iterates the events and may stop at any time (Ctrl-C): the partial answer is
kept and logged as interrupted.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from assistant.actions import Origin
from assistant.conversation.cautions import cautions, consuming
from assistant.conversation.commands import (
    Commands,
    about_you,
    answer_from_memory,
    asks,
    category_asked,
    category_query,
    reminder_asked,
    reminders_asked,
)
from assistant.conversation.context import build_context, estimate_tokens, one_line
from assistant.conversation.reply import InboundMessage, Notice, Reply, ReplyEvent, Token, ToolUsed
from assistant.conversation.router import Router, is_smalltalk
from assistant.conversation.session import WorkingItem, estimate_emotion
from assistant.conversation.sessions import Confirmations, Conversation, OpenQuestion
from assistant.conversation.spending import Spending
from assistant.conversation.tools import ToolResult, ToolRunner
from assistant.conversation.turns import FinishedTurn, TurnListeners
from assistant.core import Assistant
from assistant.errors import AssistantError, ModelError, ModelResponseError
from assistant.learning.injection import spoken_to
from assistant.learning.pii import redact_secrets
from assistant.list_requests import list_request, more_items, told_list
from assistant.memory_types import Hit, ListOrder, Memory, MemoryType
from assistant.models.chat import (
    ChatMessage,
    ChatModel,
    Finished,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    Usage,
)
from assistant.models.registry import ModelRegistry
from assistant.paths import cache_dir
from assistant.projects import Project, place_of
from assistant.store.evidence import TurnHit
from assistant.vault.notes import parse_time

log = logging.getLogger(__name__)

Answer = Generator[ReplyEvent, None, Reply]
"""Events of one answer; the generator's return value is its final :class:`Reply`."""

NO_MODEL = (
    "No chat model is set up, so I answer from what I remember. To add one: set "
    "ANTHROPIC_API_KEY or OPENAI_API_KEY, or run `assistant models add model.gguf`."
)
NO_MODEL_TOLD = "told-no-model"
"""The file of the home's cache holding the day :data:`NO_MODEL` was last said."""
MAX_TOOL_ROUNDS = 4
LEARNING_WAIT = 10.0
"""Seconds a retraction waits for the learning of earlier messages (what it may take back)."""
LEARNED_FIRST = 5.0
"""Seconds a message waits for the learning of the messages before it to finish (none while
the user types; messages piped or pasted one after another are answered knowing what the
ones before taught)."""
LIST_FOLLOW_UP = 600.0
"""Seconds after a list was edited within which "oh and bananas" adds to it."""
PROFILE = 12
"""Memories at most in the answer to "what do you know about me?" without a model."""


@dataclass
class _Progress:
    """What has happened in the current response, for logging even when it is cut short."""

    route: str = ""
    model: str = ""
    """The model that wrote the answer; empty when none did (a command, or a reply made
    without a model), and then the answer is never shown to a model as its own words."""
    command: bool = False
    """Answered by a slash command, an intent or a confirmation: nothing to learn from it."""
    text: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """What a command said as notices (an unknown command, a refusal): its answer in the log
    when it streamed no text."""
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    memories: list[Hit] = field(default_factory=list)
    turns: list[TurnHit] = field(default_factory=list)
    """Earlier turns in which the user said something relevant."""
    vector: Sequence[float] | None = None
    """The message's embedding, when it was computed (the companion reuses it)."""
    started: float = field(default_factory=time.perf_counter)
    retrieval: float | None = None
    """Seconds retrieval took (None: skipped)."""
    besides: str = ""
    """What a message that took something back says besides, learned from as a turn of its
    own ("scrap that, we named him Pip after all": "we named him Pip after all")."""


@dataclass
class Parts:
    """What the pipeline works with (built once, by the :class:`Responder`)."""

    assistant: Assistant
    registry: ModelRegistry
    router: Router
    commands: Commands
    tools: ToolRunner
    spending: Spending
    confirmations: Confirmations
    listeners: TurnListeners
    wait_for_learning: Callable[[float], None]
    """Waits up to so many seconds for the learning of earlier messages."""
    flush: Callable[[], None]
    """Waits until the costs and turns of earlier answers are written."""
    sleep: Callable[[float], None] = time.sleep
    persona: Callable[[], str] | None = None
    """The persona's style and mood instructions for the system prompt (None: none)."""
    instructs: Callable[[str], bool] | None = None
    """Whether a message gives a standing instruction (answered without a model as noted, not
    as a request it cannot carry out)."""


class Pipeline:
    """Answers one message of a conversation (the caller holds the conversation's lock)."""

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.assistant = parts.assistant
        self.registry = parts.registry
        self.settings = parts.assistant.settings
        self._told_no_model = False
        self._identity: tuple[float, list[Memory], str] = (0.0, [], "")
        self.last_overhead_ms = 0.0
        """Milliseconds from receiving the last message to the first model call."""

    def _tell_no_model(self) -> bool:
        """Whether to say that no chat model is set up: once a process, and once a day a home
        (each ``assistant ask`` is a process of its own; the day kept in the home's cache)."""
        if self._told_no_model:
            return False
        self._told_no_model = True
        marker = cache_dir(self.settings.home) / NO_MODEL_TOLD
        today = date.today().isoformat()
        try:
            if marker.read_text(encoding="utf-8") == today:
                return False
        except (OSError, UnicodeDecodeError):
            pass  # never told, or the marker unreadable: tell
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(today, encoding="utf-8")
        except OSError as exc:
            log.debug("could not keep the day the missing model was told: %s", exc)
        return True

    def respond(
        self, conversation: Conversation, message: InboundMessage, text: str
    ) -> Generator[ReplyEvent, None, None]:
        """Answer ``text`` (``message`` cleaned and checked) in ``conversation``."""
        started = time.perf_counter()
        progress = _Progress()
        finished = False
        try:
            if text.startswith("/"):
                conversation.question = None  # a command answers no question
                self.parts.flush()  # /costs and friends read what the last answers wrote
                progress.route = "command"
                origin = Origin.command(message.channel, message.sender)
                commands = self.parts.commands.run(text, origin)
                reply = yield from self._collect(commands, progress)
            elif settled := conversation.settle(text, message.at):
                progress.route = "tool"
                reply = yield from self._collect(self._settle(conversation, *settled), progress)
            else:
                reply = yield from self._converse(conversation, message, text, progress, started)
            finished = True
            self._finish(conversation, message, text, progress, interrupted=False)
            yield reply
        finally:
            if not finished:  # stopped (Ctrl-C): the answer is cut short, the message still counts
                self._finish(conversation, message, text, progress, interrupted=True)

    def _settle(
        self, conversation: Conversation, question: OpenQuestion, yes: bool
    ) -> Iterator[ReplyEvent]:
        """Run the tool call that waited for the user's yes or no, with that answer."""
        with self.parts.confirmations.running(conversation, question.call, question.asked_at, yes):
            result = self.parts.tools.run(question.call, _caller(conversation))
        said = result.summary or result.content
        said = said[:1].upper() + said[1:]
        yield Token(said)
        yield Reply(said, route="tool", command=True)

    def _converse(
        self,
        conversation: Conversation,
        message: InboundMessage,
        text: str,
        progress: _Progress,
        started: float,
    ) -> Answer:
        session = conversation.working.session()
        text = spoken_to(text)  # "hey AI, remind me to …" asks what "remind me to …" asks
        try:
            retraction = self.parts.commands.retraction(text, session.id)
        except AssistantError as exc:
            log.warning("retraction not read: %s", exc)
            retraction = None
        if retraction is not None:  # the user takes something back: forget it, say what
            self.parts.wait_for_learning(LEARNING_WAIT)
            progress.route = "tool"
            progress.besides = retraction.besides
            return (yield from self._collect(retraction.events, progress))
        edited, conversation.last_list = conversation.last_list, None
        if (
            edited is not None
            and 0 <= message.at - edited[1] <= LIST_FOLLOW_UP
            and (items := more_items(text))
        ):
            progress.route = "tool"  # "oh and bananas" right after a list was edited
            conversation.last_list = (edited[0], message.at)
            self.parts.wait_for_learning(LEARNING_WAIT)  # a list told is learned first
            added = self.parts.commands.add_to_list(edited[0], items)
            return (yield from self._collect(added, progress))
        if told := told_list(text):  # "my shopping list: eggs, milk", then "oh and teabags"
            conversation.last_list = (told, message.at)
        smalltalk = is_smalltalk(text)
        project = self._project(message)
        try:
            if smalltalk:  # settled by a rule: no embedding, no retrieval
                progress.route = self.parts.router.route(text).route
            else:
                # One embedding of the message (the full model's, which the router and the
                # mood were trained on) serves the search, the router and the mood.
                # what the messages before taught is searched too, however fast they came
                self.parts.wait_for_learning(LEARNED_FIRST)
                searching = time.perf_counter()
                vector = progress.vector = self.assistant.embedder.embed([text])[0]
                found = self.assistant.memories.recall(
                    text, 5, turns=3, project=project.name if project else "", vector=vector
                )
                progress.retrieval = time.perf_counter() - searching
                progress.memories = [*found.memories, *self._of_the_kind(text, found.memories)]
                progress.turns = self._current(found.memories, found.turns)
                progress.route = self.parts.router.route(text, vector).route
        except AssistantError as exc:
            yield Notice(f"Memory search is unavailable ({exc.title}); answering without it.")
            progress.route = "simple" if smalltalk else "complex"
        today, month = self.parts.spending.spent()
        choice = self.registry.choose(progress.route, today, month)
        for line in choice.notices:
            yield Notice(line, "warning")
        tool_capable = [m for m in choice.models if m.info.tools]
        edit = list_request(text)  # "add cheese to my shopping list", whatever the route
        asked = edit is not None or reminder_asked(text)  # "pls remind me to …" too
        if (progress.route == "tool" or asked) and not tool_capable:
            if edit is not None:
                # right after "my shopping list: eggs, milk": the list is learned first
                self.parts.wait_for_learning(LEARNING_WAIT)
                if edit.kind not in ("show", "clear") and edit.name:
                    conversation.last_list = (edit.name, message.at)
            action = self.parts.commands.intent(text, _caller(conversation))
            if action is not None:
                return (yield from self._collect(action, progress))
        if not choice.models:
            return (yield from self._from_memory(text, smalltalk, progress))
        identity, profile = self._identity_facts()
        context = build_context(
            text,
            identity=identity,
            profile=profile,
            session=session,
            working=conversation.working.items(),
            hits=progress.memories,
            said=progress.turns,
            budget=self.settings.context_tokens,
            tools=bool(tool_capable),
            persona=self._persona(),
            project=project.summary() if project else "",
        )
        progress.memories = context.memories
        self.assistant.memories.used([h.memory.id for h in context.memories])
        self.last_overhead_ms = (time.perf_counter() - started) * 1000
        reply = yield from self._answer(
            conversation, message, choice.models, context.messages, progress
        )
        question = conversation.question  # settled or dropped when this message came in
        if question is not None:  # so a tool asked it in this answer: it ends the reply
            ask = f"{question.question} (yes or no)"
            ask = f"\n\n{ask}" if reply.text else ask
            progress.text.append(ask)
            reply.text += ask
            yield Token(ask)
        return reply

    def _answer(
        self,
        conversation: Conversation,
        message: InboundMessage,
        models: Sequence[ChatModel],
        messages: list[ChatMessage],
        progress: _Progress,
    ) -> Answer:
        policy = self.registry.policy
        for index, model in enumerate(models):
            failure: ModelError | None = None
            for attempt in range(policy.retries + 1):
                try:
                    yield from self._run_model(
                        conversation, message, model, list(messages), progress
                    )
                    return self._reply(progress)
                except ModelError as exc:
                    failure = exc
                    if progress.text:
                        yield Notice(f"The answer was cut off: {exc.message}", "warning")
                        return self._reply(progress)
                    if not exc.retryable or attempt == policy.retries:
                        break
                    self.parts.sleep(policy.backoff * 2**attempt)
            assert failure is not None
            following = models[index + 1] if index + 1 < len(models) else None
            then = f"; using {following.info.name}" if following else ""
            yield Notice(f"{failure.message}{then}.", "warning")
        yield Notice("No model could answer; answering from what I remember.", "warning")
        return (yield from self._from_memory(messages[-1].content, False, progress))

    def _run_model(
        self,
        conversation: Conversation,
        message: InboundMessage,
        model: ChatModel,
        messages: list[ChatMessage],
        progress: _Progress,
    ) -> Generator[ReplyEvent, None, None]:
        """One model, with up to MAX_TOOL_ROUNDS rounds of tool calls."""
        progress.model = model.info.name
        tools = self.parts.tools.specs() if model.info.tools else ()
        for _ in range(MAX_TOOL_ROUNDS + 1):
            calls: list[ToolCall] = []
            said: list[str] = []
            began = time.perf_counter()
            usage: Usage | None = None
            try:
                for event in model.stream(
                    messages, tools=tools, max_tokens=self.settings.answer_tokens
                ):
                    if isinstance(event, TextDelta):
                        if not event.text:
                            continue
                        said.append(event.text)
                        progress.text.append(event.text)
                        yield Token(event.text)
                    elif isinstance(event, ToolCallRequested):
                        calls.append(event.call)
                    elif isinstance(event, Finished):
                        usage = event.usage
                if usage is None or (not said and not calls):
                    raise ModelResponseError(f"{model.info.name} returned an empty answer")
            except ModelError as exc:
                self._account(model, progress, usage, began, messages, said, error=exc)
                raise
            except (GeneratorExit, KeyboardInterrupt):  # stopped by the user: still billed
                self._account(model, progress, usage, began, messages, said)
                raise
            self._account(model, progress, usage, began, messages, said)
            if not calls:
                return
            messages.append(ChatMessage("assistant", "".join(said), tool_calls=tuple(calls)))
            for call in calls:
                result = self._run_tool(conversation, message, call)
                if result.summary:
                    yield ToolUsed(call.name, result.summary, result.ok)
                messages.append(ChatMessage("tool", result.content, tool_call_id=call.id))
        yield Notice("Stopped after too many tool calls.", "warning")

    def _run_tool(
        self, conversation: Conversation, message: InboundMessage, call: ToolCall
    ) -> ToolResult:
        """Run ``call``; a question it asks goes to ``conversation`` (at once, or at the end of
        the reply)."""
        before = conversation.question
        with self.parts.confirmations.running(conversation, call, message.at):
            result = self.parts.tools.run(call, _caller(conversation))
        asked = conversation.question
        if asked is not None and asked is not before:
            return ToolResult(
                "not done yet: the user is asked to confirm, and answers in their next message",
                f"asked: {asked.question}",
                ok=False,
            )
        return result

    def _account(
        self,
        model: ChatModel,
        progress: _Progress,
        usage: Usage | None,
        began: float,
        messages: Sequence[ChatMessage],
        said: Sequence[str],
        error: ModelError | None = None,
    ) -> None:
        """Record one call in the ledger (estimating tokens when the provider never said)."""
        if usage is None and error is not None and not said:
            usage = Usage()  # a call refused before any output is not billed
        elif usage is None:
            usage = Usage(
                sum(estimate_tokens(m.content) for m in messages), estimate_tokens("".join(said))
            )
        progress.usage.input_tokens += usage.input_tokens
        progress.usage.output_tokens += usage.output_tokens
        latency_ms = (time.perf_counter() - began) * 1000
        progress.cost += self.parts.spending.bill(
            model.info, progress.route, usage, latency_ms, error
        )

    def _from_memory(self, text: str, smalltalk: bool, progress: _Progress) -> Answer:
        if self._tell_no_model():
            yield Notice(NO_MODEL)
        answer, progress.memories = answer_from_memory(
            text,
            progress.memories,
            smalltalk=smalltalk,
            said=progress.turns,
            profile=self._profile() if about_you(text) else (),
            cautions=cautions(text, self._identity_facts()[0]) if consuming(text) else (),
            instructs=self._instructs,
            reminders=reminders_asked(
                text, self.parts.commands.actions.open_reminders, time.time()
            ),
        )
        self.assistant.memories.used([h.memory.id for h in progress.memories])
        progress.model = ""
        progress.text.append(answer)
        yield Token(answer)
        return self._reply(progress)

    def _collect(self, events: Iterator[ReplyEvent], progress: _Progress) -> Answer:
        """Pass a command's events through, keeping its text; returns its Reply."""
        progress.command = True
        final = Reply("", route=progress.route or "command", command=True)
        for event in events:
            if isinstance(event, Reply):
                final = event
                final.route = progress.route or "command"
            else:
                if isinstance(event, Token):
                    progress.text.append(event.text)
                elif isinstance(event, Notice):
                    progress.notices.append(event.text)
                yield event
        return final

    def _reply(self, progress: _Progress) -> Reply:
        return Reply(
            "".join(progress.text),
            route=progress.route,
            model=progress.model,
            input_tokens=progress.usage.input_tokens,
            output_tokens=progress.usage.output_tokens,
            cost=progress.cost,
            memories=progress.memories,
        )

    def _finish(
        self,
        conversation: Conversation,
        message: InboundMessage,
        text: str,
        progress: _Progress,
        *,
        interrupted: bool,
    ) -> None:
        """Keep the exchange in the conversation's working memory and tell the listeners;
        never fails the reply."""
        seconds = time.perf_counter() - progress.started
        # A /remember keeps its words in memory, never in the log (nor the answer echoing them).
        text = redact_secrets(text)
        answer = redact_secrets("".join(progress.text) or "\n".join(progress.notices))
        working = conversation.working
        if progress.route == "command":
            session = working.session().id
        else:
            topic = one_line(text, 80) if progress.route in ("complex", "tool") else ""
            session = working.touch(topic).id
            working.add(WorkingItem("user", text[:4000], estimate_emotion(text)))
            if answer and progress.model:  # only a model's own words are its turns
                working.add(WorkingItem("assistant", answer[:4000]))
        besides = redact_secrets(progress.besides)  # learned as the turn: the rest was done
        self.parts.listeners.publish(
            FinishedTurn(
                message,
                besides or text,
                session,
                answer,
                progress.route,
                progress.model,
                tuple(h.memory.id for h in progress.memories),
                interrupted,
                not besides and (progress.command or progress.route == "command"),
                vector=None if besides else progress.vector,
                seconds=seconds,
                retrieval_seconds=progress.retrieval,
            )
        )
        _log_reply(message, progress, session, seconds, interrupted)

    def _project(self, message: InboundMessage) -> Project | None:
        """The project the message's place works in; a problem reading it never fails the
        reply (the answer is then given without one)."""
        try:
            return self.assistant.projects.current(place_of(message.channel, message.thread))
        except AssistantError as exc:
            log.warning("project not read: %s", exc)
            return None

    def _persona(self) -> str:
        """The persona's instructions; a problem reading them never fails the reply."""
        if self.parts.persona is None:
            return ""
        try:
            return self.parts.persona()
        except AssistantError as exc:
            log.warning("persona not read: %s", exc)
            return ""

    def _current(self, hits: Sequence[Hit], said: Sequence[TurnHit]) -> list[TurnHit]:
        """The turns found, less those whose fact a memory found has since replaced: "my
        daughter starts school on september 4th" is outdated beside "… september 5th",
        learned from "no wait, it's the 5th" (the turn a replaced memory was learned from:
        same conversation, same second)."""
        replaced = [i for h in hits for i in h.memory.supersedes]
        if not replaced or not said:
            return list(said)
        try:
            sources = [_source(m) for m in self.assistant.memories.get_many(replaced)]
        except AssistantError as exc:
            log.warning("cannot read the memories replaced: %s", exc)
            return list(said)
        stale = [s for s in sources if s is not None]
        return [
            t
            for t in said
            if not any(t.turn.session == where and abs(t.turn.at - at) < 2 for where, at in stale)
        ]

    def _of_the_kind(self, text: str, found: Sequence[Hit]) -> list[Hit]:
        """For a question about a kind of thing the user has ("do i have kids?"), the
        memories about it that retrieval for the question's own words did not find."""
        query = category_query(text) if asks(text) else ""
        if not query:
            return []
        seen = {h.memory.id for h in found}
        try:
            hits = self.assistant.memories.search(query, 8, touch=False)
        except AssistantError as exc:
            log.warning("cannot search for %s: %s", query, exc)
            return []
        return [h for h in hits if h.memory.id not in seen and category_asked(text, h.memory.text)]

    def _instructs(self, text: str) -> bool:
        """Whether ``text`` gives a standing instruction; a problem reading it never fails the
        reply (then it does not)."""
        if self.parts.instructs is None:
            return False
        try:
            return self.parts.instructs(text)
        except AssistantError as exc:
            log.warning("instruction not read: %s", exc)
            return False

    def _profile(self) -> list[Memory]:
        """Who the user is and what matters most to them, for a question about them as a
        whole answered without a model: their identity facts, then their most important
        other memories (weekly summaries left out), :data:`PROFILE` at most."""
        identity, _ = self._identity_facts()
        try:
            ranked = self.assistant.memories.list(limit=PROFILE * 2, order=ListOrder.IMPORTANCE)
        except AssistantError as exc:
            log.warning("cannot read the most important memories: %s", exc)
            ranked = []
        seen = {m.id for m in identity}
        rest = [m for m in ranked if m.id not in seen and not m.metadata.get("summarises")]
        return sorted([*identity, *rest][:PROFILE], key=_who_first)

    def _identity_facts(self) -> tuple[list[Memory], str]:
        """Identity memories and the user's notes on their profile page, always in context;
        re-read at most every 30 s."""
        read_at, facts, notes = self._identity
        if time.time() - read_at > 30:
            try:
                facts = self.assistant.memories.list(types=[MemoryType.IDENTITY], limit=40)
            except AssistantError as exc:
                log.warning("cannot read identity facts: %s", exc)
            notes = self.assistant.page_writer.profile_notes()
            self._identity = (time.time(), facts, notes)
        return facts, notes


_OWN_NAME = re.compile(r"^(?:my name is|my name's|i go by|i'm called|call me)\b", re.IGNORECASE)
_ABOUT_ME = re.compile(
    r"^(?:i'?m \d{1,3}\b|i am \d{1,3}\b|i live in\b|i work (?:at|as|for)\b"
    r"|i'?m (?:an? )?[a-z]+\.$)",
    re.IGNORECASE,
)


def _who_first(memory: Memory) -> int:
    """Where a memory goes in the answer to "what do you know about me?": the user's name
    first, then their age, home and work, then the rest as ranked."""
    if _OWN_NAME.match(memory.text):
        return 0
    return 1 if _ABOUT_ME.match(memory.text) else 2


def _source(memory: Memory) -> tuple[str, float] | None:
    """The conversation and time of the turn a memory was learned from, where it says."""
    where, when = memory.metadata.get("conversation"), memory.metadata.get("turn")
    if not isinstance(where, str) or not where or not when:
        return None
    try:
        return where, parse_time(when).timestamp()
    except ValueError:
        return None


def _caller(conversation: Conversation) -> Origin:
    """Who a message of ``conversation`` comes from, for what its actions store."""
    return Origin.command(conversation.channel, conversation.sender)


def _log_reply(
    message: InboundMessage, progress: _Progress, session: str, seconds: float, interrupted: bool
) -> None:
    """One ``reply`` event in the log: ids, route and timings, never the words."""
    retrieval = progress.retrieval
    log.info(
        "answered a message on %s (%s)",
        message.channel,
        progress.route,
        extra={
            "event": "reply",
            "channel": message.channel,
            "route": progress.route,
            "model": progress.model,
            "session": session,
            "memories": [h.memory.id for h in progress.memories],
            "duration_ms": round(seconds * 1000, 1),
            "retrieval_ms": None if retrieval is None else round(retrieval * 1000, 1),
            "interrupted": interrupted,
        },
    )
