"""The voice bridge in ``assistant serve``, a real process, next to the SMS bridge on one port:
a scripted call (init, two memory queries, post-call) against it, and a call learned from
once after the process was killed (SIGKILL) between acknowledging and processing it.

Times are relative to the clock of the processes (chat "last week" is six days before it),
never a date written here."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from assistant import Actions, Assistant, MemoryType
from assistant.conversation.reply import InboundMessage
from assistant.conversation.responder import Responder
from assistant.models.fakes import EchoModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.settings import read_settings
from tests.plugins.elevenlabs_fake import (
    OWNER,
    SECRETS,
    init,
    memory_query,
    post_call,
    transcription,
)
from tests.plugins.serving import cli, finish, hanging_model, serve_environ, start
from tests.plugins.test_sms_serve import free_port
from tests.plugins.twilio_fake import NUMBER, SID, TOKEN, FakeTwilio, inbound, post_webhook
from tests.servers import FakeServer

PUBLIC = "https://assistant.example.net/sms"
DAY = 86400.0


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    yield fake
    fake.close()


def environ(env: dict[str, str], config: str) -> dict[str, str]:
    secrets = {**SECRETS, "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}
    return serve_environ(env, config, "sms,voice", secrets)


def voice_table(port: int) -> str:
    return f'[bridges.voice]\nowners = ["{OWNER}"]\nport = {port}\n'


def opened(values: dict[str, str]) -> Assistant:
    return Assistant(read_settings({}, values))


def chat_last_week(values: dict[str, str], *texts: str) -> None:
    """Say ``texts`` in a terminal chat six days ago, before ``serve`` starts."""
    with opened(values) as assistant:
        responder = Responder(
            assistant, ModelRegistry([EchoModel()], PolicySettings(), BudgetSettings())
        )
        try:
            at = time.time() - 6 * DAY
            for offset, text in enumerate(texts):
                for _ in responder.respond(InboundMessage(text, "cli", "owner", at=at + offset)):
                    pass
                responder.learned(wait=60)
        finally:
            responder.close()


def wait_for(check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    found = check()
    while not found and time.monotonic() < deadline:
        time.sleep(0.1)
        found = check()
    return found


def test_a_scripted_call_with_serve_running(env: dict[str, str], twilio: FakeTwilio) -> None:
    port = free_port()
    config = (
        'extractor = "rules"\n\n'
        + voice_table(port)
        + f'\n[bridges.sms]\npublic_url = "{PUBLIC}"\nnumber = "{NUMBER}"\nowner = "{OWNER}"\n'
        f'port = {port}\napi_url = "{twilio.url}"\n'
    )
    values = environ(env, config)
    chat_last_week(
        values,
        "My name is Sam.",
        "We are planning a trip to Lisbon in March with my sister Anna.",
    )
    process = start(values)
    try:
        status = json.loads(cli(values, "serve", "--check", "--json").stdout)
        assert status["bridges"] == {"sms": "running", "voice": "running"}, "one port, both"
        assert status["channels"] == ["sms"], "reminders go by SMS; a phone agent takes none"
        base = f"http://127.0.0.1:{port}"
        form = inbound("SM" + "c" * 32, OWNER, "hello from the same port")
        assert post_webhook(base + "/sms", PUBLIC, form)[0] == 200

        code, greeting = init(base, OWNER)
        assert code == 200
        assert greeting["conversation_config_override"]["agent"]["first_message"].startswith(
            "Hi Sam!"
        )
        code, trip = memory_query(base, "When is the Lisbon trip?")
        assert code == 200 and any("Lisbon" in m["content"] for m in trip["memories"]), trip
        code, sister = memory_query(base, "Who is coming on the trip?", sectors=["conversation"])
        assert code == 200 and any("Anna" in m["content"] for m in sister["memories"]), sister

        started = int(time.time()) - 300
        body = transcription(
            "conv_scripted",
            started,
            [
                ("agent", "Hi Sam! What can I do for you?"),
                ("user", "My sister Anna lives in Lyon."),
                ("agent", "Got it. Anything else?"),
                ("user", "Remind me to call the bank in 2 hours."),
            ],
            summary="Sam said Anna lives in Lyon and asked to call the bank.",
            action_items="Call the bank in 2 hours",
        )
        assert post_call(base, body, int(time.time()))[0] == 200

        def summary_found() -> list[dict[str, Any]]:
            found = memory_query(base, "call about Anna and the bank", sectors=["episodic"])[1]
            return [m for m in found["memories"] if "asked to call the bank" in m["content"]]

        assert wait_for(summary_found), "the call's summary is an episodic memory"
        code, later = init(base, OWNER)
        assert "Call the bank" in later["dynamic_variables"]["due_reminders"]
    finally:
        finish(process)
    with opened(values) as assistant:
        memories = assistant.memories.list(limit=100)
        lyon = [m for m in memories if "Lyon" in m.text and m.type is not MemoryType.EPISODIC]
        assert lyon and lyon[0].metadata["conversation"] == "voice-conv_scripted"
        summary = next(m for m in memories if m.metadata.get("call") == "conv_scripted")
        assert summary.source == "voice" and summary.metadata["channel"] == "voice"


@pytest.fixture
def model_calls() -> list[int]:
    return []


@pytest.fixture
def model(model_calls: list[int]) -> Iterator[FakeServer]:
    """An extraction model that hangs on its first call (the process is killed meanwhile),
    then answers with no facts in a shape it cannot use (the rules learn instead)."""
    fake = hanging_model(model_calls, "No facts here.")
    yield fake
    fake.close()


def test_killed_between_acknowledging_and_learning_a_call_is_learned_from_once(
    env: dict[str, str], model: FakeServer, model_calls: list[int]
) -> None:
    port = free_port()
    config = (
        'extractor = "mini"\n\n'
        f'[models.mini]\nprovider = "openai"\nbase_url = "{model.url}/v1"\n'
        'model = "gpt-4.1-mini"\nkey_env = "none"\n\n' + voice_table(port)
    )
    values = environ(env, config)
    values["ASSISTANT_LOAD_PLUGINS"] = "voice"
    base = f"http://127.0.0.1:{port}"
    started = int(time.time()) - 300
    body = transcription(
        "conv_killed",
        started,
        [("agent", "Hello Sam."), ("user", "My sister Anna lives in Lyon.")],
        summary="Sam said his sister Anna lives in Lyon.",
        action_items="Call Anna in 3 hours",
    )
    first = start(values)
    try:
        assert post_call(base, body, int(time.time())) == (200, {"status": "received"})
        assert wait_for(lambda: model_calls, timeout=30), "the learning is under way"
        first.kill()  # SIGKILL between the acknowledgement and the end of the learning
        first.wait(30)
    finally:
        finish(first)
    again = start(values)
    try:
        assert post_call(base, body, int(time.time())) == (200, {"status": "duplicate"})

        def summary_found() -> bool:
            found = memory_query(base, "Anna lives in Lyon", sectors=["episodic"])[1]
            return any("his sister Anna" in m["content"] for m in found["memories"])

        assert wait_for(summary_found), "learned from after the restart"
    finally:
        finish(again)
    with opened(values) as assistant:
        memories = assistant.memories.list(limit=100)
        assert len([m for m in memories if m.metadata.get("call") == "conv_killed"]) == 1
        facts = [m for m in memories if "Lyon" in m.text and m.type is not MemoryType.EPISODIC]
        assert len(facts) == 1, [m.text for m in memories]
        reminders = [r.text for r in Actions(assistant).open_reminders()]
        assert len([r for r in reminders if r.startswith("Call Anna")]) == 1, reminders
        transcript = assistant.memories.evidence.search("Anna Lyon", 10)
        assert len([t for t in transcript if t.turn.session == "voice-conv_killed"]) == 1
