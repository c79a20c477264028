"""The SMS bridge in ``assistant serve``, a real process: loaded from its entry point,
refusing to start without its public URL (said by ``serve --check``), and answering a
message once after being killed (SIGKILL) between acknowledging and answering it."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.plugins.serving import cli, finish, hanging_model, serve_environ, start
from tests.plugins.twilio_fake import NUMBER, OWNER, SID, TOKEN, FakeTwilio, inbound, post_webhook
from tests.servers import FakeServer

PUBLIC = "https://assistant.example.net/sms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def model_calls() -> list[int]:
    return []


@pytest.fixture
def model(model_calls: list[int]) -> Iterator[FakeServer]:
    """A model that hangs on its first call (the process is killed meanwhile), then answers."""
    fake = hanging_model(model_calls, "Answered once.")
    yield fake
    fake.close()


def environ(env: dict[str, str], config: str) -> dict[str, str]:
    secrets = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}
    return serve_environ(env, config, "sms", secrets)


def config(model: FakeServer, twilio: FakeTwilio, port: int, *, public_url: bool = True) -> str:
    return (
        f'[models.mini]\nprovider = "openai"\nbase_url = "{model.url}/v1"\n'
        'model = "gpt-4.1-mini"\nkey_env = "none"\n\n'
        "[bridges.sms]\n"
        + (f'public_url = "{PUBLIC}"\n' if public_url else "")
        + f'number = "{NUMBER}"\nowner = "{OWNER}"\nport = {port}\n'
        f'api_url = "{twilio.url}"\nretry_backoff = 0.1\n'
    )


def test_killed_mid_answer_the_message_is_answered_once_after_restart(
    env: dict[str, str],
    twilio: FakeTwilio,
    model: FakeServer,
    model_calls: list[int],
) -> None:
    port = free_port()
    values = environ(env, config(model, twilio, port))
    first = start(values)
    try:
        status = json.loads(cli(values, "serve", "--check", "--json").stdout)
        assert status["bridges"] == {"sms": "running"}
        form = inbound("SM" + "a" * 32, OWNER, "Tell me a story about a lighthouse")
        url = f"http://127.0.0.1:{port}/sms"
        assert post_webhook(url, PUBLIC, form)[0] == 200, "acknowledged at once"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not model_calls:
            time.sleep(0.05)
        assert model_calls, "the answer is under way"
        first.kill()  # SIGKILL in the middle of the answer
        first.wait(30)
    finally:
        finish(first)
    assert twilio.sent == []
    again = start(values)
    try:
        assert twilio.wait_for(1, timeout=30) == ["Answered once."]
        assert post_webhook(url, PUBLIC, form)[0] == 200, "Twilio retries the webhook"
        time.sleep(2.0)
        assert twilio.bodies() == ["Answered once."] and len(model_calls) == 2
    finally:
        finish(again)


def test_serve_says_why_the_sms_bridge_did_not_start(
    env: dict[str, str], twilio: FakeTwilio, model: FakeServer
) -> None:
    values = environ(env, config(model, twilio, free_port(), public_url=False))
    process = start(values)
    try:
        check = cli(values, "serve", "--check")
        assert check.returncode == 0, check.stderr
        assert "bridge sms: failed:" in check.stdout and "public URL" in check.stdout
        assert "Traceback" not in check.stdout + check.stderr
    finally:
        finish(process)
