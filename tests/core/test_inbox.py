"""A bridge's inbox and outbox: stored before acknowledged, answered once (replays dropped,
pending ones answered after a restart), failed sends retried with backoff, then given up."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from assistant import Assistant
from assistant.chunks import split_message, utf16_length
from assistant.courier import Courier
from assistant.inbox import ATTEMPTS, BACKOFF, Inbound, Inbox, Outbox, Outgoing, SendFailed

T0 = 1_790_000_000.0


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_message_is_taken_once_and_waits_for_its_answer(hashed: Assistant) -> None:
    inbox = Inbox(hashed.db, "sms")
    assert inbox.accept("SM1", "+15551234567", "hello")
    assert not inbox.accept("SM1", "+15551234567", "hello"), "a replay"
    assert inbox.seen("SM1") and not inbox.seen("SM2")
    assert inbox.note("SM2") and not inbox.note("SM2") and not inbox.accept("SM2", "x", "y")
    assert not Inbox(hashed.db, "discord").seen("SM1"), "ids are per channel"
    hashed.db.close()  # a restart: only the records file remains
    again = Inbox(hashed.db, "sms")
    [waiting] = again.pending()
    assert (waiting.message_id, waiting.text) == ("SM1", "hello")
    outbox = Outbox(hashed.db, "sms")
    again.answer(waiting, ["hi there", "", "and more"], outbox)
    again.answer(waiting, ["hi there"], outbox)  # a second worker: answered once all the same
    assert again.pending() == []
    assert [m.text for m in outbox.due()] == ["hi there", "and more"]


def test_a_failed_send_is_retried_with_backoff_then_given_up(hashed: Assistant) -> None:
    clock = Clock()
    outbox = Outbox(hashed.db, "sms", clock=clock)
    outbox.queue("+15551234567", ["ping"])
    waits = []
    for attempt in range(ATTEMPTS):
        [message] = outbox.due()
        assert message.attempts == attempt
        gave_up = outbox.failed(message, SendFailed("503"))
        if gave_up:
            break
        next_try = outbox.next_try()
        assert next_try is not None
        waits.append(next_try - clock.now)
        assert outbox.due() == [], "not before its time"
        clock.now = next_try
    assert gave_up and outbox.next_try() is None
    assert waits == [BACKOFF * 2**n for n in range(ATTEMPTS - 1)]
    [lost] = outbox.given_up()
    assert lost.text == "ping" and lost.attempts == ATTEMPTS and "503" in lost.error


def test_a_permanent_failure_is_not_retried_and_retry_after_is_honoured(
    hashed: Assistant,
) -> None:
    clock = Clock()
    outbox = Outbox(hashed.db, "sms", clock=clock)
    outbox.queue("+1", ["a", "b"])
    first, second = outbox.due()
    assert outbox.failed(first, SendFailed("unsubscribed", permanent=True))
    assert not outbox.failed(second, SendFailed("429", retry_after=30.0))
    assert outbox.next_try() == T0 + 30.0


def test_the_courier_answers_and_sends_through_failures(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms", backoff=0.05)
    inbox.accept("SM1", "+1", "hello")
    sent: list[str] = []
    failures = [SendFailed("429"), RuntimeError("connection reset")]
    done = threading.Event()

    def answer(message: Inbound) -> Sequence[str]:
        return [f"you said {message.text}"]

    def send(message: Outgoing) -> None:
        if failures:
            raise failures.pop(0)
        sent.append(message.text)
        done.set()

    courier = Courier(inbox, outbox, answer=answer, send=send)
    courier.start()
    try:
        assert done.wait(10)
    finally:
        courier.stop()
    assert sent == ["you said hello"] and inbox.pending() == []


def test_a_message_whose_answer_raises_is_not_answered_forever(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms")
    inbox.accept("SM1", "+1", "hello")
    calls = []

    def answer(message: Inbound) -> Sequence[str]:
        calls.append(message.message_id)
        raise ValueError("a bug")

    courier = Courier(inbox, outbox, answer=answer, send=lambda m: None)
    courier.answer_pending()
    courier.answer_pending()
    assert calls == ["SM1"] and inbox.pending() == [] and outbox.due() == []


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("One sentence here. " * 400, 1600),
        ("😀 " * 3000, 1600),
        ("مرحبا بك. كيف حالك اليوم؟ " * 300, 1600),
        ("x" * 5000, 1600),
        ("Short.", 1600),
    ],
)
def test_long_text_is_cut_into_pieces_that_fit(text: str, limit: int) -> None:
    pieces = split_message(text, limit, measure=utf16_length)
    assert all(0 < utf16_length(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_pieces_end_at_sentences_when_they_can() -> None:
    text = "The first sentence is here. " * 100
    pieces = split_message(text, 500)
    assert all(p.endswith("here.") for p in pieces)


def test_pieces_of_one_answer_arrive_in_order_across_a_retry(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms", backoff=0.05)
    outbox.queue("+1", ["first", "second", "third"])
    sent: list[str] = []
    failures = [SendFailed("500")]
    done = threading.Event()

    def send(message: Outgoing) -> None:
        if failures:
            raise failures.pop(0)
        sent.append(message.text)
        if len(sent) == 3:
            done.set()

    courier = Courier(inbox, outbox, answer=lambda m: [], send=send)
    courier.start()
    try:
        assert done.wait(10)
    finally:
        courier.stop()
    assert sent == ["first", "second", "third"]


def test_a_message_being_answered_at_shutdown_stays_pending(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms")
    inbox.accept("SM1", "+1", "hello")
    started, release = threading.Event(), threading.Event()

    def answer(message: Inbound) -> Sequence[str]:
        started.set()
        release.wait(10)
        raise RuntimeError("the assistant closed under it")

    courier = Courier(inbox, outbox, answer=answer, send=lambda m: None)
    courier.start()
    assert started.wait(10)
    courier.stop(timeout=0.1)
    release.set()
    time.sleep(0.3)
    assert [m.message_id for m in inbox.pending()] == ["SM1"], "answered after the next start"


def test_a_message_handed_and_found_pending_is_answered_and_sent_once(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms")
    kept = inbox.keep("SM1", "+1", "hello")
    assert kept is not None and inbox.keep("SM1", "+1", "hello") is None, "a replay"
    answered: list[str] = []
    sent: list[str] = []
    done = threading.Event()

    def answer(message: Inbound) -> Sequence[str]:
        answered.append(message.message_id)
        return [f"you said {message.text}"]

    def send(message: Outgoing) -> None:
        sent.append(message.text)
        done.set()

    courier = Courier(inbox, outbox, answer=answer, send=send)
    courier.hand(kept)  # handed, and pending in the store when the courier starts
    courier.start()
    try:
        assert done.wait(10)
        courier.wake()  # read the store again: nothing left to answer or send
        time.sleep(0.3)
    finally:
        courier.stop()
    assert answered == ["SM1"] and sent == ["you said hello"]
    assert inbox.pending() == [] and outbox.due() == []


def test_a_handed_answer_waits_behind_a_piece_waiting_for_its_retry(hashed: Assistant) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms", backoff=0.3)
    sent: list[str] = []
    failures = [SendFailed("500")]
    first_failed, done = threading.Event(), threading.Event()

    def send(message: Outgoing) -> None:
        if failures:
            failures.pop(0)
            first_failed.set()
            raise SendFailed("500")
        sent.append(message.text)
        if len(sent) == 2:
            done.set()

    courier = Courier(inbox, outbox, answer=lambda m: [f"you said {m.text}"], send=send)
    courier.start()
    try:
        outbox.queue("+1", ["a reminder"])
        courier.wake()
        assert first_failed.wait(10)
        kept = inbox.keep("SM1", "+1", "hello")
        assert kept is not None
        courier.hand(kept)  # answered at once; its reply is due before the retry
        assert done.wait(10)
    finally:
        courier.stop()
    assert sent == ["a reminder", "you said hello"]


def test_an_answer_queued_but_not_marked_done_is_neither_answered_nor_sent_twice(
    hashed: Assistant,
) -> None:
    inbox, outbox = Inbox(hashed.db, "sms"), Outbox(hashed.db, "sms")
    message = inbox.keep("SM1", "+1", "hello")
    assert message is not None
    assert [m.text for m in inbox.reply(message, ["hi", "there"], outbox)] == ["hi", "there"]
    # the process stops here, before the message is marked done
    assert inbox.reply(message, ["hi again"], outbox) == [], "answered once"
    again = Inbox(hashed.db, "sms")
    assert again.pending() == [], "its answer is queued: not answered again after a restart"
    with hashed.db.connect() as conn:
        assert conn.execute("SELECT state FROM inbox").fetchall() == [("done",)]
    assert [m.text for m in outbox.due()] == ["hi", "there"]
