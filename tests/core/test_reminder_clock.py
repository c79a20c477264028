"""Reminders delivered on time, once, to every open channel: real DuckDB files, a real
thread, another real process setting a reminder. Times are relative to now (no date)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from assistant import Assistant, paths
from assistant.models.fakes import HashEmbedder
from assistant.reminder_clock import ReminderClock
from assistant.settings import Settings
from assistant.store.reminders import Reminder, Reminders


class Channel:
    """An open channel that records what it was given, and when."""

    def __init__(self, takes: bool = True) -> None:
        self.got: list[tuple[str, float]] = []
        self.takes = takes
        self.arrived = threading.Event()

    def __call__(self, reminder: Reminder) -> bool:
        self.got.append((reminder.text, time.time()))
        self.arrived.set()
        return self.takes


@pytest.fixture
def clock(hashed: Assistant) -> Iterator[ReminderClock]:
    made = ReminderClock(Reminders(hashed.db), paths.records_file(hashed.settings.home), poll=0.1)
    yield made
    made.stop()


def test_a_reminder_is_delivered_when_it_falls_due(clock: ReminderClock) -> None:
    channel = Channel()
    clock.attach("cli", channel)
    clock.start()
    due = time.time() + 0.8
    clock.reminders.add("stretch your legs", due=due)
    clock.changed()
    assert channel.arrived.wait(10)
    [(text, at)] = channel.got
    assert text == "stretch your legs" and at >= due
    time.sleep(0.5)
    assert len(channel.got) == 1, "delivered once"
    assert clock.reminders.due(time.time() + 60) == []


def test_a_reminder_set_by_another_process_is_seen(
    clock: ReminderClock, env: dict[str, str]
) -> None:
    channel = Channel()
    clock.attach("cli", channel)
    clock.start()
    code = (
        "import time; from assistant import Assistant\n"
        "from assistant.store.reminders import Reminders\n"
        "with Assistant.open() as a: Reminders(a.db).add('water the plants', due=time.time())"
    )
    clock.reminders._db.close()  # let the other process have the file now
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **env}, timeout=120)
    assert channel.arrived.wait(10)
    assert [text for text, _ in channel.got] == ["water the plants"]


def test_every_channel_gets_it_and_a_broken_one_stops_no_other(clock: ReminderClock) -> None:
    def broken(reminder: Reminder) -> bool:
        raise ConnectionError("the Discord gateway is gone")

    first, second = Channel(), Channel()
    clock.attach("discord", broken)
    clock.attach("cli", first)
    clock.attach("tui", second)
    clock.reminders.add("call mum", due=time.time() - 1)
    assert [r.text for r in clock.tick()] == ["call mum"]
    assert [t for t, _ in first.got] == [t for t, _ in second.got] == ["call mum"]


def test_a_reminder_no_channel_took_waits_for_one(clock: ReminderClock) -> None:
    clock.reminders.add("renew the passport", due=time.time() - 1)
    assert clock.tick() == [], "no channel open: nothing is claimed"
    refusing = Channel(takes=False)
    clock.attach("sms", refusing)
    assert clock.tick() == [] and len(refusing.got) == 1
    clock.detach("sms")
    taking = Channel()
    clock.attach("cli", taking)
    clock.start()
    assert taking.arrived.wait(10), "given back, then delivered when a channel could take it"
    assert [t for t, _ in taking.got] == ["renew the passport"]


def test_two_processes_worth_of_clocks_deliver_once(settings: Settings) -> None:
    with (
        Assistant(settings, embedder=HashEmbedder()) as one,
        Assistant(settings, embedder=HashEmbedder()) as two,
    ):
        channels = [Channel(), Channel()]
        clocks = [
            ReminderClock(Reminders(a.db), paths.records_file(settings.home), poll=0.05)
            for a in (one, two)
        ]
        for clock, channel in zip(clocks, channels, strict=True):
            clock.attach("cli", channel)
        Reminders(one.db).add("take the bins out", due=time.time() + 0.3)
        for clock in clocks:
            clock.start()
        deadline = time.time() + 10
        while time.time() < deadline and not any(c.got for c in channels):
            time.sleep(0.05)
        time.sleep(0.5)
        for clock in clocks:
            clock.stop()
        assert sum(len(c.got) for c in channels) == 1


def test_stop_returns_promptly_and_an_idle_clock_sleeps(clock: ReminderClock) -> None:
    clock.attach("cli", Channel())
    clock.start()
    time.sleep(0.3)
    started = time.monotonic()
    cpu = time.process_time()
    time.sleep(1.0)
    assert time.process_time() - cpu < 0.5, "no busy loop while nothing is due"
    clock.stop()
    assert time.monotonic() - started < 6


def test_a_broken_channel_is_logged_once_per_reminder_not_on_every_retry(
    hashed: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ReminderClock(Reminders(hashed.db), paths.records_file(hashed.settings.home))

    def broken(reminder: Reminder) -> bool:
        raise ConnectionError("no owner paired yet")

    clock.attach("sms", broken)
    clock.reminders.add("water the plants", due=time.time() - 1)
    with caplog.at_level("DEBUG", logger="assistant.reminder_clock"):
        for _ in range(3):
            assert clock.tick() == [], "nobody was reached"
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "no owner paired yet" in warnings[0].getMessage()
    assert clock.reminders.due(time.time()) != [], "still waiting for a channel"
