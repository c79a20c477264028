"""``respond()``: the one entry point every channel calls with an inbound message.

Per message: slash command or intent → embed once → route → retrieve (skipped for small talk)
→ assemble context → pick models by policy and budget → stream the answer, running tool calls
→ record cost, the turn and working memory. The caller iterates the events and may stop at any
time (Ctrl-C): the partial answer is kept and logged as interrupted.
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from assistant.commands import Commands, answer_from_memory, format_reminder
from assistant.consolidation import (
    Consolidator,
    IdleScheduler,
    RunReport,
    consolidate_when_idle,
    summary_line,
)
from assistant.consolidation.model import RunModel
from assistant.context import build_context, estimate_tokens, one_line
from assistant.core import Assistant
from assistant.errors import AssistantError, ModelError, ModelResponseError
from assistant.learning.learner import Learner
from assistant.learning.model_extract import ModelExtractor
from assistant.learning.pii import redact_secrets
from assistant.memory import Hit, Memory, MemoryType
from assistant.models.chat import (
    ChatMessage,
    ChatModel,
    Finished,
    ModelInfo,
    TextDelta,
    ToolCall,
    ToolCallRequested,
    Usage,
)
from assistant.models.registry import ModelRegistry, period_starts
from assistant.paths import cache_dir
from assistant.reply import InboundMessage, Notice, Reply, ReplyEvent, Token, ToolUsed
from assistant.reply import clean_message as clean_message
from assistant.router import Router, is_smalltalk
from assistant.session import WorkingItem, WorkingMemory, estimate_emotion
from assistant.store.conversations import ConversationLog, Turn
from assistant.store.evidence import TurnHit
from assistant.store.ledger import CostEntry, CostLedger
from assistant.store.reminders import Reminders
from assistant.tools import TOOLS, Confirm, ToolRunner

log = logging.getLogger(__name__)

Answer = Generator[ReplyEvent, None, Reply]
"""Events of one answer; the generator's return value is its final :class:`Reply`."""

NO_MODEL = (
    "No chat model is set up, so I answer from what I remember. To add one: set "
    "ANTHROPIC_API_KEY or OPENAI_API_KEY, or run `assistant models add model.gguf`."
)
MAX_TOOL_ROUNDS = 4
_OWN_WORDS = re.compile(r"/remember\s", re.IGNORECASE)
"""The one message that may keep a secret: the user's own ``/remember TEXT``."""


@dataclass
class _Progress:
    """What has happened in the current response, for logging even when it is cut short."""

    route: str = ""
    model: str = ""
    """The model that wrote the answer; empty when none did (a command, or a reply made
    without a model), and then the answer is never shown to a model as its own words."""
    command: bool = False
    """Answered by a slash command or an intent: nothing to learn from the message."""
    text: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost: float = 0.0
    memories: list[Hit] = field(default_factory=list)
    turns: list[TurnHit] = field(default_factory=list)
    """Earlier turns in which the user said something relevant."""


class Responder:
    """Answers messages for one assistant.

    Usage::

        responder = Responder(assistant, registry)
        for event in responder.respond(InboundMessage("what's my sister's name?")):
            if isinstance(event, Token):
                print(event.text, end="")
    """

    def __init__(
        self,
        assistant: Assistant,
        registry: ModelRegistry,
        *,
        confirm: Confirm | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.assistant = assistant
        self.registry = registry
        self.settings = assistant.settings
        self.router = Router(
            assistant.embedder,
            assistant.settings.model_cache,
            cache_dir(assistant.settings.home) / "routes",
        )
        self.working = WorkingMemory(cache_dir(assistant.settings.home) / "session")
        self.ledger = CostLedger(assistant.db)
        self.log = ConversationLog(assistant.db)
        self.reminders = Reminders(assistant.db)
        self.commands = Commands(assistant.memories, self.reminders, self.ledger, registry)
        self.tools = ToolRunner(assistant.memories, self.reminders, confirm=confirm)
        self._sleep = sleep
        # Ledger and log writes happen after the answer, off the reply path, in order.
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bookkeeping")
        # Learning (extraction, dedup, corrections) runs after the reply, never before it.
        self.learner = Learner(assistant.memories, self._extractor())
        self._learning = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="learning")
        self._pending_learning: list[concurrent.futures.Future[None]] = []
        self._learned: list[Notice] = []
        self._lock_learned = threading.Lock()
        self._told_no_model = False
        self._spend = (0.0, 0.0, 0.0)  # (checked at, today, this month)
        self._identity: tuple[float, list[Memory], str] = (0.0, [], "")
        self._lock = threading.Lock()
        self.scheduler: IdleScheduler | None = None
        self.last_overhead_ms = 0.0
        """Milliseconds from receiving the last message to the first model call."""

    def _extractor(self) -> ModelExtractor | None:
        """The model that extracts facts, per the ``extractor`` setting (None: the rules)."""
        model = self._helper_model(self.settings.extractor, "extractor")
        return ModelExtractor(model, self._account_learning) if model is not None else None

    def _helper_model(self, wanted: str, setting: str) -> ChatModel | None:
        """The model a background helper uses: ``auto`` is a ready local model, ``rules`` or
        ``none`` is no model, anything else a model name (not ready: no model, logged)."""
        if wanted in ("rules", "none", ""):
            return None
        if wanted == "auto":
            local = [m for m in self.registry.usable() if m.info.tier == "local"]
            return local[0] if local else None
        model = self.registry.get(wanted)
        if model is None or model.check():
            log.warning("%s %s is not a ready model; going without one", setting, wanted)
            return None
        return model

    def _account_learning(self, info: ModelInfo, usage: Usage, latency_ms: float) -> None:
        self._bill(info, "learning", usage, latency_ms)

    def _account_consolidation(self, info: ModelInfo, usage: Usage, latency_ms: float) -> None:
        self._bill(info, "consolidation", usage, latency_ms)

    def consolidator(self, *, with_model: bool = True) -> Consolidator:
        """A consolidator over this assistant, judging contradictions and summarising old
        weeks with the model the ``[consolidation]`` settings name (none in a dry run: it
        must cost nothing)."""
        settings = self.settings.consolidation
        model = self._helper_model(settings.model, "consolidation.model") if with_model else None
        if model is None:
            return Consolidator(self.assistant)
        return Consolidator(
            self.assistant, RunModel(model, settings.budget, self._account_consolidation)
        )

    def consolidate_when_idle(
        self, on_report: Callable[[RunReport], None] | None = None
    ) -> IdleScheduler | None:
        """Start consolidating after ``idle_minutes`` without a message (each message
        pre-empts a run in progress); None when idle consolidation is off."""
        if self.scheduler is None:
            self.scheduler = consolidate_when_idle(
                self.consolidator, self.settings.consolidation.idle_minutes, on_report
            )
        return self.scheduler

    def while_away(self, *, only_news: bool = False) -> list[Notice]:
        """What consolidation did since the user last heard, and what waits for review;
        with ``only_news``, nothing unless a run finished since (one small query: cheap
        enough to ask before every message)."""
        unseen = self.assistant.runs.unseen()
        if only_news and not unseen:
            return []
        done: dict[str, int] = {}
        for run in unseen:
            for key, value in run.counts.items():
                done[key] = done.get(key, 0) + value
        done.pop("contradictions.to review", None)
        lines = []
        if line := summary_line(done):
            lines.append(Notice(f"While you were away I {line}."))
        waiting = self.assistant.reviews.count_open()
        if waiting:
            plural = "s wait" if waiting != 1 else " waits"
            asks = f"{waiting} possible contradiction{plural} for you: assistant review"
            lines.append(Notice(asks))
        if done.get("decay.archived"):
            lines.append(Notice("What I archived can be brought back: assistant review"))
        return lines

    def _bill(
        self,
        info: ModelInfo,
        route: str,
        usage: Usage,
        latency_ms: float,
        error: ModelError | None = None,
    ) -> float:
        """Record one call in the ledger (in the background) and in the running spend;
        returns its cost."""
        cost = info.cost(usage)
        strong = self.registry.strong()
        entry = CostEntry(
            model=info.name,
            provider=info.provider,
            route=route,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            dollars=cost,
            strong_dollars=strong.cost(usage) if strong else cost,
            latency_ms=latency_ms,
            ok=error is None,
            error=error.message if error else "",
        )
        checked, today, month = self._spend
        self._spend = (checked, today + cost, month + cost)
        self._writer.submit(_quietly, "cost not recorded", self.ledger.record, entry)
        return cost

    def warm_up(self) -> None:
        """Train or load the router, read the spend and start loading local model weights,
        so the first message is fast."""
        self.router.weights()
        self._spent()
        threading.Thread(target=self._warm_evidence, name="evidence-load", daemon=True).start()
        for model in self.registry.usable():
            load = getattr(model, "load", None)
            if model.info.tier == "local" and callable(load):
                threading.Thread(target=_quietly, args=("model not loaded", load),
                                 name="model-load", daemon=True).start()  # fmt: skip

    def _warm_evidence(self) -> None:
        _quietly("evidence not loaded", lambda: self.assistant.memories.evidence.warm_up())

    def due_reminders(self) -> list[Notice]:
        """Reminders whose time has come (each shown once), for the start of a chat."""
        return [
            Notice("Reminder: " + format_reminder(r.id, r.text, r.due).lstrip("• "), "warning")
            for r in self.reminders.due()
        ]

    def respond(self, message: InboundMessage) -> Generator[ReplyEvent, None, None]:
        """Answer ``message``: notices, tokens and tool summaries, then one :class:`Reply`."""
        if self.scheduler is not None:
            self.scheduler.activity()  # background consolidation yields to the user
        text = clean_message(message.text)
        if not text:
            yield Notice("That message was empty: type something, or /help.", "warning")
            yield Reply("", route="none", command=True)
            return
        if len(text) > self.settings.max_text_chars:
            yield Notice(
                f"That message is {len(text):,} characters; the limit is "
                f"{self.settings.max_text_chars:,}. Nothing was stored.",
                "warning",
            )
            yield Reply("", route="none", command=True)
            return
        if not _OWN_WORDS.match(text):  # only an explicit /remember keeps a secret as written
            text = self._without_secrets(text)
        with self._lock:
            yield from self._respond(message, text)

    def _without_secrets(self, text: str) -> str:
        """``text`` with its secrets redacted, where it enters: nothing after this point (route
        and embedding caches, search, models, the log, working memory, learning) sees them."""
        clean = redact_secrets(text)
        if clean != text:
            with self._lock_learned:
                self._learned.append(
                    Notice("I kept the secret in that message out of my logs and memory.")
                )
        return clean

    def _respond(self, message: InboundMessage, text: str) -> Generator[ReplyEvent, None, None]:
        started = time.perf_counter()
        progress = _Progress()
        finished = False
        try:
            if text.startswith("/"):
                self.flush()  # /costs and friends read what the last answers wrote
                progress.route = "command"
                reply = yield from self._collect(self.commands.run(text), progress)
            else:
                reply = yield from self._converse(text, progress, started)
            finished = True
            session = self._remember_turn(message, text, progress, interrupted=False)
            if not progress.command:
                self._learn_later(text, message.at, session, "".join(progress.text))
            yield reply
        finally:
            if not finished:  # stopped (Ctrl-C): the answer is cut short, the message still counts
                session = self._remember_turn(message, text, progress, interrupted=True)
                if not progress.command and not text.startswith("/"):
                    self._learn_later(text, message.at, session, "".join(progress.text))

    def _converse(self, text: str, progress: _Progress, started: float) -> Answer:
        smalltalk = is_smalltalk(text)
        try:
            if smalltalk:  # settled by a rule: no embedding, no retrieval
                progress.route = self.router.route(text).route
            else:
                # search embeds the message while full-text search runs; the router then
                # reuses that embedding from the cache.
                found = self.assistant.memories.recall(text, 5, turns=3)
                progress.memories, progress.turns = found.memories, found.turns
                vector = self.assistant.embedder.embed([text])[0]
                progress.route = self.router.route(text, vector).route
        except AssistantError as exc:
            yield Notice(f"Memory search is unavailable ({exc.title}); answering without it.")
            progress.route = "simple" if smalltalk else "complex"
        today, month = self._spent()
        choice = self.registry.choose(progress.route, today, month)
        for line in choice.notices:
            yield Notice(line, "warning")
        tool_capable = [m for m in choice.models if m.info.tools]
        if progress.route == "tool" and not tool_capable:
            action = self.commands.intent(text)
            if action is not None:
                return (yield from self._collect(action, progress))
        if not choice.models:
            return (yield from self._from_memory(text, smalltalk, progress))
        session = self.working.session()
        identity, profile = self._identity_facts()
        context = build_context(
            text,
            identity=identity,
            profile=profile,
            session=session,
            working=self.working.items(),
            hits=progress.memories,
            said=progress.turns,
            budget=self.settings.context_tokens,
            tools=bool(tool_capable),
        )
        progress.memories = context.memories
        self.last_overhead_ms = (time.perf_counter() - started) * 1000
        return (yield from self._answer(choice.models, context.messages, progress))

    def _answer(
        self, models: Sequence[ChatModel], messages: list[ChatMessage], progress: _Progress
    ) -> Answer:
        for index, model in enumerate(models):
            failure: ModelError | None = None
            for attempt in range(self.registry.policy.retries + 1):
                try:
                    yield from self._run_model(model, list(messages), progress)
                    return self._reply(progress)
                except ModelError as exc:
                    failure = exc
                    if progress.text:
                        yield Notice(f"The answer was cut off: {exc.message}", "warning")
                        return self._reply(progress)
                    if not exc.retryable or attempt == self.registry.policy.retries:
                        break
                    self._sleep(self.registry.policy.backoff * 2**attempt)
            assert failure is not None
            following = models[index + 1] if index + 1 < len(models) else None
            then = f"; using {following.info.name}" if following else ""
            yield Notice(f"{failure.message}{then}.", "warning")
        yield Notice("No model could answer; answering from what I remember.", "warning")
        return (yield from self._from_memory(messages[-1].content, False, progress))

    def _run_model(
        self, model: ChatModel, messages: list[ChatMessage], progress: _Progress
    ) -> Generator[ReplyEvent, None, None]:
        """One model, with up to MAX_TOOL_ROUNDS rounds of tool calls."""
        progress.model = model.info.name
        tools = TOOLS if model.info.tools else ()
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
                result = self.tools.run(call)
                if result.summary:
                    yield ToolUsed(call.name, result.summary, result.ok)
                messages.append(ChatMessage("tool", result.content, tool_call_id=call.id))
        yield Notice("Stopped after too many tool calls.", "warning")

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
        progress.cost += self._bill(model.info, progress.route, usage, latency_ms, error)

    def _from_memory(self, text: str, smalltalk: bool, progress: _Progress) -> Answer:
        if not self._told_no_model:
            self._told_no_model = True
            yield Notice(NO_MODEL)
        answer, progress.memories = answer_from_memory(text, progress.memories, smalltalk=smalltalk)
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

    def _remember_turn(
        self, message: InboundMessage, text: str, progress: _Progress, *, interrupted: bool
    ) -> str:
        """Log the exchange and keep it in working memory; never fails the reply. Returns the
        session's id."""
        # A /remember keeps its words in memory, never in the log (nor the answer echoing them).
        text = redact_secrets(text)
        answer = redact_secrets("".join(progress.text))
        if progress.route == "command":
            session = self.working.session().id
        else:
            topic = one_line(text, 80) if progress.route in ("complex", "tool") else ""
            session = self.working.touch(topic).id
        ids = tuple(h.memory.id for h in progress.memories)
        turns = [
            Turn(session, "user", text, message.channel, message.sender, progress.route, "", ids,
                 at=message.at),
            Turn(session, "assistant", answer, message.channel, "assistant", progress.route,
                 progress.model, ids, interrupted),
        ]  # fmt: skip
        self._writer.submit(_quietly, "conversation not logged", self.log.append, turns)
        if progress.route != "command":
            self.working.add(WorkingItem("user", text[:4000], estimate_emotion(text)))
            if answer and progress.model:  # only a model's own words are its turns
                self.working.add(WorkingItem("assistant", answer[:4000]))
        return session

    def _learn_later(self, text: str, at: float, session: str, reply: str = "") -> None:
        """After the reply: keep the turn as evidence (in the session's transcript note and
        the evidence index), then learn from it."""
        self._learning.submit(self._keep, session, at, text, reply)
        turn = datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")
        future = self._learning.submit(self._learn, text, session, turn)
        self._pending_learning = [f for f in self._pending_learning if not f.done()] + [future]

    def _keep(self, session: str, at: float, text: str, reply: str) -> None:
        _quietly("turn not kept", lambda: self.assistant.memories.evidence.keep(
            session, at, text, reply))  # fmt: skip

    def _learn(self, text: str, session: str, turn: str) -> None:
        changes = self.learner.learn(text, conversation=session, turn=turn)
        if any(c.memory_id for c in changes):
            self.assistant.refresh_pages()
        for change in changes:
            line = {
                "remembered": f"(remembered: {change.text})",
                "reinforced": f"(already knew: {change.text})",
                "corrected": f"Updated: {change.text}",
                "redacted": f"I did not keep {change.text}.",
                "ignored": f"(not stored: {change.text})",
            }.get(change.action, change.text)
            with self._lock_learned:
                self._learned.append(
                    Notice(line, "warning" if change.action == "corrected" else "info")
                )

    def learned(self, wait: float = 0.0) -> list[Notice]:
        """What was learned from the latest messages, once each; waits up to ``wait`` seconds
        for learning still under way."""
        if wait > 0 and self._pending_learning:
            concurrent.futures.wait(self._pending_learning, timeout=wait)
        with self._lock_learned:
            found, self._learned = self._learned, []
        return found

    def _spent(self) -> tuple[float, float]:
        """Dollars spent today and this month (read from the ledger at most once a minute)."""
        checked, today, month = self._spend
        if time.time() - checked > 60:
            day_start, month_start = period_starts()
            try:
                today = self.ledger.spent_since(day_start)
                month = self.ledger.spent_since(month_start)
            except AssistantError as exc:
                log.warning("cannot read the spend: %s", exc)
            self._spend = (time.time(), today, month)
        return today, month

    def _identity_facts(self) -> tuple[list[Memory], str]:
        """Identity memories and the user's notes on their profile page, always in context;
        re-read at most every 30 s."""
        read_at, facts, notes = self._identity
        if time.time() - read_at > 30:
            try:
                facts = self.assistant.memories.list(types=[MemoryType.IDENTITY], limit=40)
            except AssistantError as exc:
                log.warning("cannot read identity facts: %s", exc)
            notes = self.assistant.garden.profile_notes()
            self._identity = (time.time(), facts, notes)
        return facts, notes

    def flush(self) -> None:
        """Wait until the costs and turns of earlier answers are written."""
        self._writer.submit(lambda: None).result()

    def keep_moments(self) -> list[Notice]:
        """At the end of a session: keep its emotional moments (emotion > 0.6) as episodic
        memories. Returns what was kept."""
        kept: list[Notice] = []
        session = self.working.session().id
        moments = self.working.unsaved_moments()
        for item in moments:
            try:
                change = self.learner.keep_moment(item.text, item.emotion, conversation=session)
            except AssistantError as exc:
                log.warning("moment not kept: %s", exc)
                continue
            if change is not None:
                kept.append(Notice(f"(kept this moment: {change.text})"))
        self.working.mark_saved(moments)
        return kept

    def close(self) -> None:
        """Write what is pending; release the session cache and the models' connections."""
        if self.scheduler is not None:
            self.scheduler.close()
        self._learning.shutdown(wait=True)
        self._writer.shutdown(wait=True)
        self.working.close()
        self.router.close()
        self.registry.close()


def _quietly(problem: str, write: Callable[..., object], *args: object) -> None:
    """Run background work; a busy index or a broken model file is logged, never raised into
    a reply (the same error is met again, with its message, when the work is needed)."""
    try:
        write(*args)
    except AssistantError as exc:
        log.warning("%s: %s", problem, exc)
