"""A week of simulated days: scripted messages through the real responder (learning, the
companion's needs, the conversation log) and a proactive look every 15 minutes, on a clock
moved by the test. At most two check-ins a day, none in quiet hours or mid-conversation, and
the interview told on Monday gets its "good luck" on Thursday morning."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import time_machine

from assistant import Assistant
from assistant.conversation.reply import InboundMessage, Notice
from assistant.conversation.responder import Responder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.runtime import Runtime
from assistant.store.checkins import CheckIn

ZONE = timezone(timedelta(hours=1))
MONDAY = datetime(2031, 3, 3, tzinfo=ZONE)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


SCRIPT = [
    (at(0, 8, 30), "Good morning! Coffee first, then work."),
    (at(0, 12, 45), "I have a job interview on Thursday at 10am."),
    (at(0, 19, 30), "Long day at work, but a good one."),
    (at(1, 8, 10), "Morning! Going for a run before work."),
    (at(1, 21, 0), "I finished a great book tonight."),
    (at(2, 20, 0), "I'm a bit nervous about the interview."),
    (at(3, 8, 20), "Thanks! I'm ready."),
    (at(3, 18, 0), "It went really well, I think I got it!"),
    (at(5, 10, 30), "Lazy Saturday, finally some rest."),
    (at(6, 17, 0), "Back to work tomorrow."),
]


def test_a_week_gives_a_few_well_timed_check_ins(assistant: Assistant) -> None:
    shown: list[tuple[datetime, Notice]] = []
    written: list[CheckIn] = []
    with time_machine.travel(MONDAY, tick=False) as traveller:
        responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
        runtime = Runtime(responder, zone=ZONE)
        runtime.attach("cli", lambda n: shown.append((datetime.now(ZONE), n)))
        try:
            script = list(SCRIPT)
            when = MONDAY
            while when < MONDAY + timedelta(days=7):
                traveller.move_to(when)
                while script and script[0][0] <= when:
                    said, text = script.pop(0)
                    traveller.move_to(said)
                    list(responder.respond(InboundMessage(text, "cli", at=time.time())))
                    responder.learned(wait=10)
                    responder.flush()
                    traveller.move_to(when)
                found = runtime.checkins.look()
                if found is not None:
                    written.append(found)
                when += timedelta(minutes=15)
        finally:
            runtime.stop()
            responder.close()

    sent_at = [datetime.fromtimestamp(c.created, ZONE) for c in written]
    assert [n.text for _, n in shown] == [c.text for c in written]
    assert 1 <= len(written) <= 14
    for day in range(7):
        assert sum(1 for s in sent_at if s.date() == at(day, 0).date()) <= 2
    assert all(8 <= s.hour < 22 for s in sent_at), sent_at
    messages = [s for s, _ in SCRIPT]
    for s in sent_at:
        assert not any(timedelta(0) <= s - m < timedelta(minutes=30) for m in messages), s
    luck = [c for c in written if c.kind == "event"]
    assert len(luck) == 1 and "job interview" in luck[0].text
    assert at(3, 8) <= datetime.fromtimestamp(luck[0].created, ZONE) <= at(3, 9, 30)
    assert all(c.reason for c in written)
    texts = [c.text for c in written]
    assert len(set(texts)) == len(texts)  # never the same words twice
