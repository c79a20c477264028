"""``respond()``: the one entry point every channel calls with an inbound message.

The :class:`Responder` puts the parts together and is what front-ends hold: the answering
pipeline (``pipeline.py``) answers each message in its conversation (``sessions.py``: one per
channel and sender, answering at once), spending is billed and checked against the budget
(``spending.py``), and after each turn its listeners log it and learn from it in the
background (``turns.py``, ``learning_queue.py``). Around answering: warm-up, reminders due at
the start, idle consolidation and what it did while the user was away, the moments kept when a
session ends.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Generator

from assistant.actions import Actions, Origin
from assistant.companion import Companion
from assistant.companion.quiet import add_checkin_commands
from assistant.companion.view import describe as describe_companion
from assistant.consolidation import (
    Consolidator,
    IdleScheduler,
    RunReport,
    consolidate_when_idle,
    summary_line,
)
from assistant.consolidation.model import RunModel
from assistant.consolidation.review import waiting as contradictions_waiting
from assistant.conversation.commands import Commands, format_reminder
from assistant.conversation.instruction_commands import add_instruction_commands
from assistant.conversation.learning_queue import LearningQueue
from assistant.conversation.pipeline import NO_MODEL as NO_MODEL
from assistant.conversation.pipeline import Parts, Pipeline
from assistant.conversation.reply import InboundMessage, Notice, Reply, ReplyEvent, looks_binary
from assistant.conversation.reply import clean_message as clean_message
from assistant.conversation.router import Router
from assistant.conversation.sessions import Confirm, Confirmations, Sessions
from assistant.conversation.spending import Spending
from assistant.conversation.tools import ToolRunner
from assistant.conversation.turns import FinishedTurn, TurnListeners
from assistant.conversation.work_queue import WorkQueue
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.learning.clauses import sentences
from assistant.learning.learner import Learner
from assistant.learning.model_extract import ModelExtractor
from assistant.learning.pii import redact_secrets
from assistant.models.chat import ChatModel
from assistant.models.registry import ModelRegistry
from assistant.paths import cache_dir
from assistant.projects.chat import add_project_commands, project_for
from assistant.store.checkins import CheckIns
from assistant.store.conversations import ConversationLog, Turn
from assistant.store.ledger import CostLedger

log = logging.getLogger(__name__)

PERSONA_HELP = "/persona                     who I am: traits, mood, needs and quirks"
_OWN_WORDS = re.compile(r"/remember\s", re.IGNORECASE)
"""The one message that may keep a secret: the user's own ``/remember TEXT``."""


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
        self.sessions = Sessions(cache_dir(assistant.settings.home) / "session")
        """The conversations, one per channel and sender."""
        self.confirmations = Confirmations(confirm)
        self.ledger = CostLedger(assistant.db)
        self.log = ConversationLog(assistant.db)
        self.actions = Actions(assistant)
        """Every memory and reminder action, under one policy."""
        self.reminders = self.actions.reminders
        self.commands = Commands(self.actions, self.ledger, registry)
        add_checkin_commands(self.commands, CheckIns(assistant.db), self.settings.checkins)
        self.tools = ToolRunner(self.actions, confirm=self.confirmations)
        # Ledger and log writes happen after the answer, off the reply path, in order.
        self._bookkeeping = WorkQueue("bookkeeping")
        self.spending = Spending(self.ledger, registry, self._bookkeeping)
        # Learning (extraction, dedup, corrections) runs after the reply, never before it.
        self.learner = Learner(
            assistant.memories,
            self._extractor(),
            retract=self.actions.forget_about,
            instructions=assistant.instructions,
        )
        self.learning = LearningQueue(assistant.memories, self.learner)
        self.listeners = TurnListeners()
        """Told about each finished turn: the conversation log and learning listen."""
        self.listeners.add(self._log_turn)
        self.listeners.add(self.learning.on_turn)
        self.companion = Companion(assistant)
        """The persona, mood, needs and quirks; it hears every finished turn."""
        self.listeners.add(self.companion.on_turn)
        self.commands.add("persona", self._persona_command, PERSONA_HELP)
        add_instruction_commands(self.commands, assistant.instructions)
        add_project_commands(self.commands, assistant.projects)
        self.learning.project_of = lambda message: project_for(assistant.projects, message)
        self.pipeline = Pipeline(
            Parts(
                assistant,
                registry,
                self.router,
                self.commands,
                self.tools,
                self.spending,
                self.confirmations,
                self.listeners,
                self.learning.wait,
                self.flush,
                sleep,
                persona=self._style,
                instructs=self._instructs,
            )
        )
        self.scheduler: IdleScheduler | None = None

    def _style(self) -> str:
        """The system prompt's style part: the persona's, then the user's standing
        instructions (``Assistant/Instructions.md``)."""
        parts = (self.companion.instructions(), self.assistant.instructions.prompt())
        return "\n\n".join(part for part in parts if part)

    def _instructs(self, text: str) -> bool:
        """Whether a message gives a standing instruction, as the learner will read it."""
        reader = self.learner.reader
        return reader is not None and bool(reader.standing(sentences(text)))

    def _extractor(self) -> ModelExtractor | None:
        """The model that extracts facts, per the ``extractor`` setting (None: the rules)."""
        model = self.helper_model(self.settings.extractor, "extractor")
        if model is None:
            return None
        return ModelExtractor(model, self.spending.accountant("learning"))

    def helper_model(self, wanted: str, setting: str) -> ChatModel | None:
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

    def consolidator(self, *, with_model: bool = True) -> Consolidator:
        """A consolidator over this assistant, judging contradictions and summarising old
        weeks with the model the ``[consolidation]`` settings name (none in a dry run: it
        must cost nothing)."""
        settings = self.settings.consolidation
        model = self.helper_model(settings.model, "consolidation.model") if with_model else None
        if model is None:
            return Consolidator(self.assistant)
        return Consolidator(
            self.assistant,
            RunModel(model, settings.budget, self.spending.accountant("consolidation")),
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
        queued = done.pop("contradictions.to review", 0)
        lines = []
        if line := summary_line(done):
            lines.append(Notice(f"While you were away I {line}."))
        waiting = contradictions_waiting(self.assistant.memories, self.assistant.reviews)
        if waiting and (queued or not only_news):  # said again only when a run added one
            plural = "s wait" if waiting != 1 else " waits"
            asks = f"{waiting} possible contradiction{plural} for you: assistant review"
            lines.append(Notice(asks))
        if done.get("decay.archived"):
            lines.append(Notice("What I archived can be brought back: assistant review"))
        return lines

    def warm_up(self) -> None:
        """Train or load the router, read the spend and start loading local model weights and
        the persona (its emotion classifier), so the first message is fast."""
        self.router.weights()
        self.commands.acts.classifier.weights()
        threading.Thread(  # the emotion head trains once; it never holds up an answer
            target=_quietly,
            args=("persona not read", self.companion.warm_up),
            name="persona-load",
            daemon=True,
        ).start()
        self.spending.spent()
        threading.Thread(target=self._warm_indexes, name="index-load", daemon=True).start()
        for model in self.registry.usable():
            load = getattr(model, "load", None)
            if model.info.tier == "local" and callable(load):
                threading.Thread(
                    target=_quietly, args=("model not loaded", load), name="model-load", daemon=True
                ).start()

    def _warm_indexes(self) -> None:
        _quietly("vectors not loaded", self.assistant.vectors.warm_up)
        _quietly("query model not loaded", self.assistant.embedder.load_query)
        _quietly("evidence not loaded", self.assistant.memories.evidence.warm_up)

    def due_reminders(self) -> list[Notice]:
        """Reminders whose time has come (each shown once), for the start of a chat; one that
        comes back is set to its next time."""
        due = self.reminders.due()
        self.reminders.again(due)
        return [
            Notice(
                "Reminder: " + format_reminder(r.id, r.text, r.due, r.repeat).lstrip("• "),
                "warning",
            )
            for r in due
        ]

    @property
    def last_overhead_ms(self) -> float:
        """Milliseconds from receiving the last message to the first model call."""
        return self.pipeline.last_overhead_ms

    def respond(self, message: InboundMessage) -> Generator[ReplyEvent, None, None]:
        """Answer ``message``: notices, tokens and tool summaries, then one :class:`Reply`.

        Messages of one conversation (channel and sender) are answered one at a time; those of
        different conversations at once."""
        if self.scheduler is not None:
            self.scheduler.activity()  # background consolidation yields to the user
        text = clean_message(message.text)
        refused = self._refused(text)
        if refused:
            yield Notice(refused, "warning")
            yield Reply("", route="none", command=True)
            return
        if not _OWN_WORDS.match(text):  # only an explicit /remember keeps a secret as written
            text = self._without_secrets(text)
        conversation = self.sessions.of(message.channel, message.sender, message.thread)
        with conversation.lock:
            yield from self.pipeline.respond(conversation, message, text)

    def _refused(self, text: str) -> str:
        """Why a cleaned message is refused before anything reads or stores it: empty,
        binary data or over the length limit; ``""`` when it is not."""
        if not text:
            return "That message was empty: type something, or /help."
        if looks_binary(text):
            return "That message looks like binary data, not text. Nothing was stored."
        if len(text) > self.settings.max_text_chars:
            return (
                f"That message is {len(text):,} characters; the limit is "
                f"{self.settings.max_text_chars:,}. Nothing was stored."
            )
        return ""

    def _without_secrets(self, text: str) -> str:
        """``text`` with its secrets redacted, where it enters: nothing after this point (route
        and embedding caches, search, models, the log, working memory, learning) sees them."""
        clean = redact_secrets(text)
        if clean != text:
            self.learning.tell(
                Notice("I kept the secret in that message out of my logs and memory.")
            )
        return clean

    def _log_turn(self, turn: FinishedTurn) -> None:
        """Write the exchange to the conversation log, after the answer, in order."""
        message = turn.message
        rows = [
            Turn(
                turn.session,
                "user",
                turn.text,
                message.channel,
                message.sender,
                turn.route,
                "",
                turn.memories,
                at=message.at,
            ),
            Turn(
                turn.session,
                "assistant",
                turn.answer,
                message.channel,
                "assistant",
                turn.route,
                turn.model,
                turn.memories,
                turn.interrupted,
            ),
        ]
        self._bookkeeping.submit("conversation not logged", self.log.append, rows)

    def _persona_command(self, rest: str, origin: Origin) -> str:
        """``/persona``: who the assistant is, its mood, needs and quirks."""
        return describe_companion(self.companion)

    def learned(self, wait: float = 0.0) -> list[Notice]:
        """What was learned from the latest messages, once each; waits up to ``wait`` seconds
        for learning still under way."""
        return self.learning.learned(wait)

    def flush(self) -> None:
        """Wait until the costs and turns of earlier answers are written."""
        self._bookkeeping.flush()

    def keep_moments(self) -> list[Notice]:
        """At the end of a session: keep the emotional moments (emotion > 0.6) of every
        conversation as episodic memories. Returns what was kept."""
        kept: list[Notice] = []
        for conversation in self.sessions.open():
            working = conversation.working
            session = working.session().id
            moments = working.unsaved_moments()
            for item in moments:
                try:
                    change = self.learner.keep_moment(item.text, item.emotion, conversation=session)
                except AssistantError as exc:
                    log.warning("moment not kept: %s", exc)
                    continue
                if change is not None:
                    kept.append(Notice(f"(kept this moment: {change.text})"))
            working.mark_saved(moments)
        return kept

    def close(self) -> None:
        """Write what is pending; release the session cache and the models' connections."""
        if self.scheduler is not None:
            self.scheduler.close()
        self.learning.close()
        self._bookkeeping.close()
        self.companion.close()
        self.sessions.close()
        self.router.close()
        self.registry.close()


def _quietly(problem: str, write: Callable[..., object], *args: object) -> None:
    """Run background work; a busy index or a broken model file is logged, never raised into
    a reply (the same error is met again, with its message, when the work is needed)."""
    try:
        write(*args)
    except AssistantError as exc:
        log.warning("%s: %s", problem, exc)
