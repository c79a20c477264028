"""The proactive manager on a real home (DuckDB, LanceDB, vault; hashed embeddings) and an
injected clock: a dated event gives one "good luck" that morning and one "how did it go"
after; check-ins reach the open chat, or the next one; they are logged in the conversation
and never learned; /quiet and /why; two processes never both write one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from assistant import Assistant
from assistant.companion.proactive import ProactiveManager
from assistant.conversation.reply import InboundMessage, Notice, Reply
from assistant.conversation.responder import Responder
from assistant.errors import ModelResponseError
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.runtime import Runtime
from assistant.store.checkins import CheckIn
from assistant.store.conversations import Turn

ZONE = timezone(timedelta(hours=1))
MONDAY = datetime(2031, 3, 3, tzinfo=ZONE)
INTERVIEW = "I have a job interview on Thursday at 10am."


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


class Clock:
    """The injected clock: epoch seconds, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def to(self, when: datetime) -> None:
        self.now = when.timestamp()


@pytest.fixture
def responder(hashed: Assistant) -> Iterator[Responder]:
    registry = ModelRegistry([], PolicySettings(), BudgetSettings())
    opened = Responder(hashed, registry)
    yield opened
    opened.close()


def told(assistant: Assistant, text: str, when: datetime) -> None:
    """The user said ``text`` at ``when`` and it was learned (as the learner records it)."""
    turn = when.astimezone(UTC).isoformat(timespec="seconds")
    assistant.memories.add(
        text,
        type="episodic",
        created_at=when.astimezone(UTC),
        metadata={"conversation": "S1", "turn": turn, "fact": "plan"},
    )


def run_until(
    manager: ProactiveManager, clock: Clock, start: datetime, end: datetime, step: int = 15
) -> list[CheckIn]:
    """Look every ``step`` minutes from ``start`` to ``end``; what was written."""
    found = []
    when = start
    while when <= end:
        clock.to(when)
        written = manager.look()
        if written is not None:
            found.append(written)
        when += timedelta(minutes=step)
    return found


class TestDatedEvent:
    def test_one_good_luck_that_morning_and_one_follow_up_after(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(0, 12))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        shown: list[tuple[float, Notice]] = []
        manager.attach("cli", lambda notice: shown.append((clock(), notice)))
        written = run_until(manager, clock, at(0, 12, 15), at(5, 12))
        assert [c.kind for c in written] == ["event", "follow_up"]
        luck, after = written
        assert datetime.fromtimestamp(luck.created, ZONE) == at(3, 8, 0)  # quiet hours end
        assert luck.text == "Good luck with your job interview today! I'll be thinking of you."
        assert "your job interview is today at 10:00" in luck.reason
        assert datetime.fromtimestamp(after.created, ZONE) == at(3, 12, 0)  # two hours after
        assert after.text == "How did your job interview go?"
        assert [n.text for _, n in shown] == [luck.text, after.text]
        assert {n.level for _, n in shown} == {"checkin"}
        assert luck.channels == ("cli",) and luck.delivered == luck.created

    def test_a_conversation_at_that_hour_delays_it(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        chat = [at(3, 7, 50), at(3, 8, 5), at(3, 8, 20)]
        hashed.conversations.append(
            [Turn("S2", "user", "morning!", at=t.timestamp()) for t in chat]
        )
        clock = Clock(at(3, 7, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        written = run_until(manager, clock, at(3, 7, 0), at(3, 9, 30), step=5)
        assert len(written) == 1
        assert datetime.fromtimestamp(written[0].created, ZONE) == at(3, 8, 50)

    def test_told_on_the_day_gets_no_good_luck(self, hashed: Assistant) -> None:
        told(hashed, "I have a job interview today at 11am.", at(3, 9, 0))
        clock = Clock(at(3, 9, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        written = run_until(manager, clock, at(3, 9, 0), at(3, 15, 0))
        assert [c.kind for c in written] == ["follow_up"]


class TestDelivery:
    def test_written_with_no_channel_it_waits_for_the_next_chat(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        written = manager.look()
        assert written is not None and written.delivered is None
        clock.to(at(3, 8, 40))
        shown: list[Notice] = []
        manager.attach("cli", shown.append)
        assert [n.text for n in shown] == [written.text]
        manager.detach("cli")
        again: list[Notice] = []
        manager.attach("tui", again.append)  # shown once only
        assert again == []

    def test_too_late_it_is_never_shown(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        assert manager.look() is not None
        clock.to(at(3, 11, 0))  # the interview has begun: "good luck" is stale
        shown: list[Notice] = []
        manager.attach("cli", shown.append)
        assert shown == []

    def test_the_open_chat_comes_before_a_bridge(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        bridge: list[Notice] = []
        chat: list[Notice] = []
        manager.attach("sms", bridge.append)
        manager.attach("cli", chat.append)
        assert manager.look() is not None
        assert len(chat) == 1 and bridge == []

    def test_a_broken_channel_falls_back_to_the_next(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager(hashed, clock=clock, zone=ZONE)
        bridge: list[Notice] = []

        def broken(notice: Notice) -> None:
            raise ConnectionError("terminal gone")

        manager.attach("cli", broken)
        manager.attach("sms", bridge.append)
        written = manager.look()
        assert written is not None and written.channels == ("sms",)
        assert len(bridge) == 1

    def test_two_processes_never_both_write(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        one = ProactiveManager(hashed, clock=clock, zone=ZONE)
        other = ProactiveManager(hashed, clock=clock, zone=ZONE)
        assert one.look() is not None
        assert other.look() is None


class TestInTheConversation:
    def test_logged_in_the_chat_and_never_learned(self, responder: Responder) -> None:
        assistant = responder.assistant
        told(assistant, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager.of(responder, clock=clock, zone=ZONE)
        manager.attach("cli", lambda notice: None)
        written = manager.look()
        assert written is not None
        before = {m.id for m in assistant.memories.list(limit=None)}
        conversation = responder.sessions.of("cli", "owner")
        assert written.text in [i.text for i in conversation.working.items()]
        logged = assistant.conversations.recent(5)
        assert [(t.role, t.route, t.text) for t in logged] == [
            ("assistant", "checkin", written.text)
        ]

        reply = InboundMessage("Thanks, wish me luck!", "cli", at=clock() + 600)
        events = list(responder.respond(reply))
        assert isinstance(events[-1], Reply)
        responder.learned(wait=10)
        responder.flush()
        after = assistant.memories.list(limit=None)
        learned = [m.text for m in after if m.id not in before]
        assert not any("good luck" in t.lower() or "thinking of you" in t.lower() for t in learned)
        said = assistant.memories.said("good luck with your job interview today", 5)
        assert all("thinking of you" not in s.turn.text.lower() for s in said)
        turns = assistant.conversations.recent(5)
        checkin = next(t for t in turns if t.route == "checkin")
        answer = next(t for t in turns if t.role == "user")
        assert answer.session == checkin.session  # the answer is in the check-in's conversation


class TestQuietAndWhy:
    def test_quiet_pauses_and_why_explains(self, responder: Responder) -> None:
        assistant = responder.assistant
        told(assistant, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        manager = ProactiveManager(assistant, clock=clock, zone=ZONE)

        def run(line: str) -> str:
            events = list(responder.commands.run(line))
            final = events[-1]
            assert isinstance(final, Reply)
            return final.text or " ".join(e.text for e in events if isinstance(e, Notice))

        assert run("/why") == "I haven't written to you first yet."
        assert "until you say /quiet off" in run("/quiet")
        assert manager.look() is None and manager.state.last_held == "paused (/quiet)"
        assert "back on" in run("/quiet off")
        written = manager.look()
        assert written is not None
        why = run("/why")
        assert written.text in why and "your job interview is today at 10:00" in why
        assert "can't tell how long" in run("/quiet sometime")

    def test_quiet_for_a_while(self, hashed: Assistant) -> None:
        from assistant.companion.quiet import quiet_until

        now = at(3, 8).timestamp()
        assert quiet_until("3h", now) == now + 3 * 3600
        assert quiet_until("30 minutes", now) == now + 1800
        assert quiet_until("2d", now) == now + 2 * 86400


class TestRuntime:
    def test_the_runtime_runs_check_ins_on_its_clock(self, responder: Responder) -> None:
        told(responder.assistant, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        runtime = Runtime(responder, clock=clock, zone=ZONE)
        try:
            written = runtime.checkins.look()  # the loop's look, without waiting for it
            assert written is not None
            shown: list[Notice] = []
            runtime.attach("cli", shown.append)  # the next chat's start
            assert [n.text for n in shown] == [written.text]
            assert runtime.state().checkins_sent == 1
            runtime.activity()
            assert runtime.checkins.look() is None
            assert runtime.checkins.state.last_held == "a conversation is going on"
        finally:
            runtime.stop()


class TestWrittenByAModel:
    def test_a_ready_model_rewrites_the_draft_and_is_billed(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        words = "Big day today! Good luck with the interview, you've prepared well."
        model = EchoModel(ModelInfo("local", "fake", "echo", "local"), script=[words])
        billed: list[str] = []
        manager = ProactiveManager(
            hashed,
            model=model,
            accountant=lambda info, usage, ms: billed.append(info.name),
            clock=clock,
            zone=ZONE,
        )
        written = manager.look()
        assert written is not None and written.text == words and written.model == "local"
        assert billed == ["local"]

    def test_a_failing_or_rambling_model_leaves_the_template(self, hashed: Assistant) -> None:
        told(hashed, INTERVIEW, at(0, 12))
        clock = Clock(at(3, 8, 0))
        failing = EchoModel(fail=ModelResponseError("no answer"))
        manager = ProactiveManager(hashed, model=failing, clock=clock, zone=ZONE)
        written = manager.look()
        assert written is not None and written.model == ""
        assert written.text.startswith("Good luck with your job interview today!")
        clock.to(at(3, 12, 0))
        rambling = EchoModel(script=["word " * 200])
        later = ProactiveManager(hashed, model=rambling, clock=clock, zone=ZONE).look()
        assert later is not None and later.text == "How did your job interview go?"
