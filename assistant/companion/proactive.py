"""The proactive manager: every few minutes while a chat, the browser or ``assistant serve``
runs, it looks at whether to write first (``assistant.companion.checkins``), and when it
should, writes a short check-in and delivers it: to the open chat, else the owner's bridge,
else at the start of the next chat (while it still makes sense).

It runs on its own thread, never on the reply path, on an injected clock. What it sends is
recorded with its reason (``/why``, ``assistant checkins``) and logged in the conversation
it went to, so the answer to it has it in context; it is never learned from: only what the
user writes is.

Usage::

    manager = ProactiveManager.of(responder)
    manager.attach("cli", show)
    manager.start()
    ...
    manager.stop()
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from assistant.companion.checkins import Decision, Moment, NeedsView, decide, draft, reason_line
from assistant.companion.occasions import occasions
from assistant.conversation.reply import Notice
from assistant.conversation.session import WorkingItem
from assistant.conversation.turns import FinishedTurn
from assistant.core import Assistant
from assistant.errors import AssistantError, ModelError
from assistant.memory_types import Memory, new_id
from assistant.models.chat import ChatMessage, ChatModel, Finished, TextDelta, Usage
from assistant.settings import CheckinSettings
from assistant.store.checkins import CheckIn, CheckIns
from assistant.store.conversations import ConversationLog, Turn
from assistant.vault.notes import link_targets

if TYPE_CHECKING:
    from assistant.conversation.responder import Responder
    from assistant.conversation.sessions import Sessions
    from assistant.conversation.spending import Accountant

log = logging.getLogger(__name__)

Show = Callable[[Notice], object]
"""How a channel shows a notice to the owner (raising means not shown)."""
FRONT_ENDS = ("cli", "tui")
"""Channels where the owner is looking at the assistant: preferred over a bridge."""
HISTORY_DAYS = 21
"""How far back the user's messages and earlier check-ins are read."""
RECENT_MEMORIES = 400
"""Newest memories read for occasions and for what to ask about."""
REPLY_KEEP = 0.5
"""Emotion given to a check-in in working memory: kept a few hours (``ttl``), so an answer
written later still has it in context."""
_WORDS = 60


class CompanionView(Protocol):
    """The companion's character and needs (``assistant.companion.Companion``)."""

    @property
    def traits(self) -> Any:
        """The Big Five traits (``extraversion`` in 0..1 is read)."""
        ...

    def needs(self, now: float | None = None) -> NeedsView:
        """The needs at ``now``."""
        ...


@dataclass
class ProactiveState:
    """What the manager did since it started, for status."""

    looks: int = 0
    sent: int = 0
    last_held: str = ""


class ProactiveManager:
    """Decides, every few minutes, whether to write first; writes and delivers."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        companion: CompanionView | None = None,
        model: ChatModel | None = None,
        accountant: Accountant | None = None,
        sessions: Sessions | None = None,
        clock: Callable[[], float] = time.time,
        zone: tzinfo | None = None,
        settings: CheckinSettings | None = None,
    ) -> None:
        self.assistant = assistant
        self.settings = settings or assistant.settings.checkins
        self.store = CheckIns(assistant.db)
        self.log = ConversationLog(assistant.db)
        self.companion = companion
        self.model = model
        self._accountant = accountant
        self._sessions = sessions
        self._clock = clock
        self._zone = zone
        self._channels: dict[str, Show] = {}
        self._lock = threading.Lock()
        self._active: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = ProactiveState()

    @classmethod
    def of(
        cls,
        responder: Responder,
        *,
        clock: Callable[[], float] = time.time,
        zone: tzinfo | None = None,
    ) -> ProactiveManager:
        """The manager of a responder: its companion, its conversations, and the model the
        ``[checkins] model`` setting names (billed like any helper)."""
        settings = responder.settings.checkins
        model = None
        if settings.enabled:
            model = responder.helper_model(settings.model, "checkins.model")
        manager = cls(
            responder.assistant,
            companion=responder.companion,
            model=model,
            accountant=responder.spending.accountant("checkins"),
            sessions=responder.sessions,
            clock=clock,
            zone=zone,
        )
        responder.listeners.add(manager.on_turn)
        return manager

    # -- channels and activity ----------------------------------------------------------------

    def attach(self, name: str, show: Show) -> None:
        """Deliver check-ins to ``show`` too; one written while no channel was open, and
        still timely, is shown there now."""
        with self._lock:
            self._channels[name] = show
        try:
            for checkin in self.store.take_pending(self._clock()):
                if not self._show(name, show, checkin):
                    self.store.give_back(checkin.id)
        except AssistantError as exc:
            log.warning("waiting check-ins not read: %s", exc)

    def detach(self, name: str) -> None:
        """Stop delivering to ``name``."""
        with self._lock:
            self._channels.pop(name, None)

    def channels(self) -> list[str]:
        """The attached channels, in the order a check-in tries them."""
        with self._lock:
            names = list(self._channels)
        return sorted(names, key=lambda n: (n not in FRONT_ENDS, names.index(n)))

    def activity(self, at: float | None = None) -> None:
        """The owner did something (wrote, typed): a conversation is going on."""
        at = self._clock() if at is None else at
        with self._lock:
            self._active = at if self._active is None else max(self._active, at)

    def on_turn(self, turn: FinishedTurn) -> None:
        """Told about each finished turn: the owner is talking."""
        self.activity(turn.message.at)

    # -- the loop -----------------------------------------------------------------------------

    def start(self) -> None:
        """Look every ``every_minutes`` on a thread of its own (once; not when check-ins are
        off)."""
        if self._thread is None and self.settings.enabled and self.settings.per_day > 0:
            self._thread = threading.Thread(target=self._run, name="check-ins", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop looking; returns within ``timeout`` seconds."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        every = self.settings.every_minutes * 60
        while not self._stop.wait(every):
            try:
                self.look()
            except AssistantError as exc:  # a busy store: look again next time
                log.warning("check-ins not looked at: %s", exc)
            except Exception as exc:  # a bug never ends the loop or reaches the owner
                log.error("check-in look failed: %s", exc, exc_info=exc)

    # -- one look -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The injected clock's time, local (or in the injected zone)."""
        return datetime.fromtimestamp(self._clock(), self._zone).astimezone(self._zone)

    def moment(self, memories: Sequence[Memory] | None = None) -> Moment:
        """What a look sees now."""
        now = self.now()
        at = now.timestamp()
        since = at - HISTORY_DAYS * 86400
        if memories is None:
            memories = self.assistant.memories.list(limit=RECENT_MEMORIES)
        messages = [m for m in self.store.user_messages(since) if m <= at]
        recent = self.store.since(since)
        with self._lock:
            active = self._active
        if messages:
            active = messages[-1] if active is None else max(active, messages[-1])
        extraversion, needs = 0.5, None
        if self.companion is not None:
            extraversion = float(self.companion.traits.extraversion)
            needs = self.companion.needs(at)
        return Moment(
            now=now,
            extraversion=extraversion,
            needs=needs,
            occasions=occasions(memories, now=now),
            done=frozenset(c.key for c in recent),
            last_activity=active,
            messages=messages,
            recent=[c for c in recent if c.created <= at],
            paused_until=self.store.paused_until(at),
        )

    def look(self) -> CheckIn | None:
        """Decide whether to write now; write, record and deliver the check-in when so.
        Returns it (delivered or waiting for a channel), or None."""
        self.state.looks += 1
        memories = self.assistant.memories.list(limit=RECENT_MEMORIES)
        moment = self.moment(memories)
        decision = decide(self.settings, moment)
        if decision.chosen is None:
            self.state.last_held = decision.held
            return None
        checkin = self._claim(decision, moment, memories)
        if checkin is None:
            self.state.last_held = "another process wrote one first"
            return None
        self.state.sent += 1
        self._deliver(checkin)
        return self.store.get(checkin.id) or checkin

    def _claim(
        self, decision: Decision, moment: Moment, memories: Sequence[Memory]
    ) -> CheckIn | None:
        chosen = decision.chosen
        assert chosen is not None
        said = [c.text for c in moment.recent[-3:]]
        text = draft(chosen, now=moment.now, name=_someone(memories, moment.now), avoid=said)
        reason = reason_line(decision)
        written, model = self._rewrite(text, reason), ""
        if written:
            text, model = written, self.model.info.name if self.model else ""
        details = {
            **chosen.parts,
            "threshold": decision.threshold,
            "gap_hours": decision.gap / 3600,
            **({"memory": chosen.occasion.memory_id} if chosen.occasion else {}),
        }
        draft_checkin = CheckIn(
            new_id(moment.at),
            moment.at,
            chosen.kind,
            chosen.key,
            text,
            reason,
            round(chosen.score, 4),
            details,
            model,
            chosen.expires,
        )
        return self.store.claim(draft_checkin, now=moment.at, gap=decision.gap)

    def _rewrite(self, text: str, reason: str) -> str:
        """The draft in the model's words, when a model is ready; empty when none is, or
        its answer is not one short message."""
        if self.model is None:
            return ""
        messages = [
            ChatMessage(
                "system",
                "You write one short, warm message to the user, unprompted: one or two "
                "sentences, under 40 words, plain text. Keep every fact of the draft and add "
                "none. Reply with the message only.",
            ),
            ChatMessage("user", f"Why you are writing: {reason}\nDraft: {text}"),
        ]
        said: list[str] = []
        usage = Usage()
        began = time.perf_counter()
        try:
            for event in self.model.stream(messages, max_tokens=120):
                if isinstance(event, TextDelta):
                    said.append(event.text)
                elif isinstance(event, Finished):
                    usage = event.usage
        except ModelError as exc:
            log.info("check-in not rewritten (%s); using the draft", exc)
            return ""
        if self._accountant is not None:
            self._accountant(self.model.info, usage, (time.perf_counter() - began) * 1000)
        return _one_message("".join(said))

    def _deliver(self, checkin: CheckIn) -> bool:
        """Show ``checkin`` on the first channel that takes it; it waits for the next chat
        when none does."""
        with self._lock:
            shows = dict(self._channels)
        for name in self.channels():
            show = shows.get(name)
            if show is not None and self._show(name, show, checkin):
                return True
        return False

    def _show(self, name: str, show: Show, checkin: CheckIn) -> bool:
        now = self._clock()
        try:
            show(Notice(checkin.text, "checkin"))
        except Exception as exc:  # one broken channel never stops the others
            log.warning("check-in not delivered to %s: %s", name, exc)
            return False
        self.store.deliver(checkin.id, [name], now=now)
        self._remember_said(replace(checkin, delivered=now), name)
        return True

    def _remember_said(self, checkin: CheckIn, channel: str) -> None:
        """Keep the check-in in the conversation it went to (working memory and the log),
        so the reply to it is understood; nothing learns from it."""
        sender = self._owner(channel)
        at = checkin.delivered or checkin.created
        session = ""
        if self._sessions is not None:
            working = self._sessions.of(channel, sender).working
            session = working.session(at).id
            working.add(WorkingItem("assistant", checkin.text, REPLY_KEEP, at))
        turn = Turn(
            session or f"checkin-{checkin.id}",
            "assistant",
            checkin.text,
            channel,
            "assistant",
            "checkin",
            checkin.model,
            at=at,
        )
        try:
            self.log.append([turn])
        except AssistantError as exc:
            log.warning("check-in not logged: %s", exc)

    def _owner(self, channel: str) -> str:
        """Who the conversation on ``channel`` is with: the owner of a bridge, or ``owner``
        in the chat and the browser."""
        if channel in FRONT_ENDS:
            return "owner"
        from assistant.owners import Owners

        try:
            address = Owners(self.assistant.db, self.assistant.settings.bridges).address(channel)
        except AssistantError:
            address = None
        return address or "owner"


def _someone(memories: Sequence[Memory], now: datetime) -> str:
    """Someone in the user's life, from the newest memories that name a person (none that
    holds something private)."""
    for memory in memories[:50]:
        if memory.metadata.get("pii") or (now - memory.created).days > 14:
            continue
        people = link_targets(memory.metadata.get("people"))
        if people:
            return people[0]
    return ""


def _one_message(text: str) -> str:
    """A model's answer as one short message; empty when it is not one."""
    text = re.sub(r"\s+", " ", text.strip().strip('"“”')).strip()
    if not text or len(text.split()) > _WORDS or len(text) > 400:
        return ""
    return text
