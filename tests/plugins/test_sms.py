"""The SMS bridge in this process, end to end over real HTTP: webhooks signed with the Twilio
SDK's own validator reach its aiohttp server; replies leave through the SDK's REST client to
a fake Twilio on 127.0.0.1; answers come from the real responder over a fake model."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.chunks import utf16_length
from assistant.conversation.responder import Responder
from assistant.errors import ConfigError
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.owners import PAIRED, REFUSAL, SLOW_DOWN, Owners
from assistant.service import ServeHost
from assistant.settings import read_settings
from assistant.store.conversations import ConversationLog
from assistant_twilio import make_bridge
from assistant_twilio.bridge import SmsBridge
from assistant_twilio.text import HELP, MEDIA_ONLY, plain
from tests.plugins.twilio_fake import (
    NUMBER,
    OWNER,
    SID,
    STRANGER,
    TOKEN,
    FakeTwilio,
    inbound,
    post_webhook,
)

PUBLIC = "https://assistant.example.net/sms"
SECRETS = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    yield fake
    fake.close()


class Running:
    """A started bridge over a real assistant, and the ways to talk to it."""

    def __init__(self, bridge: SmsBridge, model: EchoModel, assistant: Assistant) -> None:
        self.bridge = bridge
        self.model = model
        self.assistant = assistant

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.bridge.webhook.port}/sms"

    def text(self, sid: str, sender: str, body: str, **form: Any) -> tuple[int, str]:
        return post_webhook(self.url, PUBLIC, {**inbound(sid, sender, body), **form})

    def said_to_model(self) -> str:
        return " ".join(m.content for call in self.model.calls for m in call)


@pytest.fixture
def start_bridge(env: dict[str, str], twilio: FakeTwilio) -> Iterator[Callable[..., Running]]:
    opened: list[tuple[SmsBridge, Responder, Assistant]] = []

    def start(owner: str | None = OWNER, **table: Any) -> Running:
        home = Path(env["ASSISTANT_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        lines = [
            "[bridges.sms]",
            f'public_url = "{PUBLIC}"',
            f'number = "{NUMBER}"',
            "port = 0",
            f'api_url = "{twilio.url}"',
            "retry_backoff = 0.05",
        ]
        if owner:
            lines.append(f'owners = ["{owner}"]')
        lines += [f"{key} = {value!r}" for key, value in table.items()]
        (home / "config.toml").write_text("\n".join(lines) + "\n")
        assistant = Assistant(read_settings({}, os.environ), embedder=HashEmbedder())
        model = EchoModel()
        responder = Responder(assistant, ModelRegistry([model], PolicySettings(), BudgetSettings()))
        bridge = SmsBridge(
            ServeHost(responder, {}), assistant.settings.bridges["sms"], environ=SECRETS
        )
        bridge.start()
        opened.append((bridge, responder, assistant))
        return Running(bridge, model, assistant)

    yield start
    for bridge, responder, assistant in opened:
        bridge.stop()
        responder.close()
        assistant.close()


def test_the_owner_pairs_with_a_code_and_is_answered(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge(owner=None)
    assert running.text("SM01", OWNER, "hello?") == (
        200,
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    )
    assert twilio.wait_for(1) == [REFUSAL], "nobody is the owner until paired"
    code = Owners(running.assistant.db, {"sms": {}}).new_code("sms").code
    running.text("SM02", OWNER, code.lower())
    assert twilio.wait_for(2) == [REFUSAL, PAIRED]
    running.text("SM03", OWNER, "Tell me a story about a lighthouse")
    replies = twilio.wait_for(3)
    assert "lighthouse" in replies[2]
    assert twilio.sent[-1].sender == NUMBER
    assert code.lower() not in running.said_to_model() and "hello?" not in running.said_to_model()


def test_a_stranger_gets_one_refusal_and_their_words_go_nowhere(
    start_bridge: Callable[..., Running],
    twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    running = start_bridge()
    for number in range(3):
        assert running.text(f"SM1{number}", STRANGER, f"my secret plan number {number}")[0] == 200
    running.text("SM20", OWNER, "Tell me a story about a lighthouse")
    twilio.wait_for(1)
    time.sleep(0.5)
    assert twilio.bodies(STRANGER) == [REFUSAL], "refused once, then ignored"
    assert "secret plan" not in running.said_to_model()
    turns = " ".join(t.text for t in ConversationLog(running.assistant.db).recent())
    assert "lighthouse" in turns and "secret plan" not in turns
    assert "secret plan" not in caplog.text
    assert STRANGER not in caplog.text and OWNER not in caplog.text, "numbers are redacted"
    assert TOKEN not in caplog.text
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert SID not in logged, "the account SID stays out of the log file (INFO and up)"
    assert "…43" in caplog.text


def test_the_owner_over_the_rate_limit_is_told_once_and_nothing_else_is_lost(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge(per_minute=0.5)  # a burst of 10, then one every two minutes
    for number in range(12):
        assert running.text(f"SM5{number:02d}", OWNER, f"note number {number}")[0] == 200
    replies = twilio.wait_for(11)
    time.sleep(0.5)
    assert replies.count(SLOW_DOWN) == 1 and len(twilio.sent) == 11, "told once, then quiet"
    asked = running.said_to_model()
    assert "note number 9" in asked and "note number 10" not in asked


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("missing", {"signature": ""}),
        ("forged", {"token": "not-the-auth-token"}),
        ("signed for another URL", {"public_url": "https://elsewhere.example.net/sms"}),
        ("garbage", {"signature": "bm90IGEgc2lnbmF0dXJl"}),
    ],
)
def test_a_request_without_a_valid_signature_is_refused_and_nothing_happens(
    start_bridge: Callable[..., Running], twilio: FakeTwilio, how: str, kwargs: dict[str, str]
) -> None:
    running = start_bridge()
    public = kwargs.pop("public_url", PUBLIC)
    form = inbound("SM30", OWNER, "Tell me a story about a lighthouse")
    status, _ = post_webhook(running.url, public, form, **kwargs)
    assert status == 403, how
    time.sleep(0.5)
    assert twilio.attempts == 0 and running.model.calls == []
    assert not running.bridge.inbox.seen("SM30")


def test_a_tampered_body_breaks_the_signature(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    form = inbound("SM31", STRANGER, "hi")
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(TOKEN).compute_signature(PUBLIC, form)
    form["From"] = OWNER  # a stranger posing as the owner
    assert post_webhook(running.url, PUBLIC, form, signature=signature)[0] == 403
    time.sleep(0.3)
    assert twilio.attempts == 0


def test_a_replayed_webhook_is_answered_once(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    threads = [
        threading.Thread(
            target=running.text, args=("SM40", OWNER, "Tell me a story about a lighthouse")
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(twilio.wait_for(1)) == 1
    running.text("SM40", OWNER, "Tell me a story about a lighthouse")
    time.sleep(1.0)
    assert len(twilio.bodies()) == 1 and len(running.model.calls) == 1


def test_a_100_kb_message_is_taken_and_answered_in_pieces(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    sentence = "The lighthouse keeper counted the ships again. "
    body = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    began = time.monotonic()
    assert running.text("SM50", OWNER, body)[0] == 200
    assert time.monotonic() - began < 5, "acknowledged before it is answered"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not "".join(twilio.bodies()).endswith(body[-40:]):
        time.sleep(0.1)
    pieces = twilio.bodies()
    assert len(pieces) > 60 and all(utf16_length(p) <= 1600 for p in pieces)
    assert all(p.endswith(".") for p in pieces[:-1]), "cut at sentence ends"
    assert "".join(pieces).replace(" ", "").endswith(body.replace(" ", "")), "nothing lost"


def test_emoji_and_right_to_left_text_arrive_intact(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    said = "שלום! מה שלומך היום? 🌊🚢 مرحبا 👋🏽 family: 👨‍👩‍👧"
    assert running.text("SM60", OWNER, said)[0] == 200
    [reply] = twilio.wait_for(1)
    assert said in reply
    assert said in running.said_to_model()


def test_a_429_and_a_500_from_twilio_are_retried(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    twilio.fail = [429, 500]
    running = start_bridge()
    running.text("SM70", OWNER, "Tell me a story about a lighthouse")
    replies = twilio.wait_for(1)
    assert len(replies) == 1 and "lighthouse" in replies[0]
    assert twilio.attempts == 3


def test_a_reply_twilio_never_takes_is_given_up_and_reported(
    start_bridge: Callable[..., Running],
    twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
) -> None:
    twilio.fail = [500] * 10
    running = start_bridge()
    running.text("SM80", OWNER, "Tell me a story about a lighthouse")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not running.bridge.outbox.given_up():
        time.sleep(0.1)
    [lost] = running.bridge.outbox.given_up()
    assert lost.attempts == 6 and "500" in lost.error
    assert "gave up sending a message on sms to …67" in caplog.text
    assert SID not in " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_stop_start_and_help_are_honoured(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    running.text("SM90", OWNER, "HELP")
    assert twilio.wait_for(1) == [HELP]
    running.text("SM91", OWNER, "Stop")
    time.sleep(0.3)
    assert running.bridge.deliver("Reminder: water the plants")
    running.text("SM92", OWNER, "Tell me a story about a lighthouse")
    time.sleep(1.5)
    assert twilio.bodies() == [HELP], "nothing is sent after STOP"
    running.text("SM93", OWNER, "start")
    assert running.bridge.deliver("Reminder: feed the cat")
    assert twilio.wait_for(2)[1] == "Reminder: feed the cat"
    assert running.model.calls and all("STOP" not in m.content for m in running.model.calls[0])


def test_yes_from_someone_who_never_said_stop_is_an_ordinary_message(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    running.text("SM95", OWNER, "Yes")
    [reply] = twilio.wait_for(1)
    assert running.model.calls, "answered, not taken for START"


def test_a_picture_without_words_is_answered_politely(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    running.text("SM100", OWNER, "", NumMedia="1", MediaUrl0="https://api.twilio.com/m/1")
    assert twilio.wait_for(1) == [MEDIA_ONLY]
    assert running.model.calls == []


def test_reminders_go_to_the_owner_as_plain_text(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge()
    assert running.bridge.deliver("**Reminder:** call the _dentist_ at `10:00`")
    assert twilio.wait_for(1) == ["Reminder: call the dentist at 10:00"]


def test_without_an_owner_a_reminder_is_not_delivered(
    start_bridge: Callable[..., Running], twilio: FakeTwilio
) -> None:
    running = start_bridge(owner=None)
    assert running.bridge.deliver("Reminder: anything") is False


def test_the_bridge_will_not_start_without_its_public_url_or_secrets(hashed: Assistant) -> None:
    responder = Responder(hashed, ModelRegistry([], PolicySettings(), BudgetSettings()))
    host = ServeHost(responder, {})
    try:
        with pytest.raises(ConfigError, match="public URL"):
            make_bridge(host, {"number": NUMBER})
        with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
            SmsBridge(host, {"number": NUMBER, "public_url": PUBLIC}, environ={})
    finally:
        responder.close()


def test_markdown_is_taken_out_of_replies() -> None:
    answer = (
        "## Plan\n\n**Monday**: call [Anna](https://example.com/anna).\n"
        "- buy *milk*\n- ~~eggs~~\n\n```\ncode\n```\n> quoted"
    )
    assert plain(answer) == (
        "Plan\n\nMonday: call Anna (https://example.com/anna).\n• buy milk\n• eggs\n\ncode\nquoted"
    )
