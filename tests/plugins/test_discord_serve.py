"""The Discord bridge in ``assistant serve``, a real process: loaded from its entry point,
connected to a fake Discord, saying why it did not start (``serve --check``), and answering a
message once after being killed (SIGKILL) in the middle of answering it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.plugins.discord_fake import OWNER, TOKEN, FakeDiscord
from tests.plugins.serving import cli, finish, hanging_model, serve_environ, start
from tests.servers import FakeServer

STORY = "Tell me a story about a lighthouse"


@pytest.fixture
def discord_api() -> Iterator[FakeDiscord]:
    fake = FakeDiscord()
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


def environ(env: dict[str, str], config: str, token: str = TOKEN) -> dict[str, str]:
    return serve_environ(env, config, "discord", {"DISCORD_BOT_TOKEN": token})


def config(model: FakeServer, discord_api: FakeDiscord) -> str:
    return (
        f'[models.mini]\nprovider = "openai"\nbase_url = "{model.url}/v1"\n'
        'model = "gpt-4.1-mini"\nkey_env = "none"\n\n'
        "[bridges.discord]\n"
        f'owner = "{OWNER}"\napi_url = "{discord_api.url}"\n'
        "retry_backoff = 0.1\nreconnect_backoff = 0.1\nconnect_timeout = 5\n"
    )


def test_killed_mid_answer_the_message_is_answered_once_after_restart(
    env: dict[str, str],
    discord_api: FakeDiscord,
    model: FakeServer,
    model_calls: list[int],
) -> None:
    values = environ(env, config(model, discord_api))
    first = start(values)
    try:
        status = json.loads(cli(values, "serve", "--check", "--json").stdout)
        assert status["bridges"] == {"discord": "running"}
        discord_api.wait_connected(1)
        data = discord_api.message(STORY)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not model_calls:
            time.sleep(0.05)
        assert model_calls, "the answer is under way"
        assert discord_api.typing, "typing while it answers"
        first.kill()  # SIGKILL in the middle of the answer
        first.wait(30)
    finally:
        finish(first)
    assert discord_api.sent == []
    again = start(values)
    try:
        assert discord_api.wait_for(1, timeout=30) == ["Answered once."]
        discord_api.wait_connected(2)
        discord_api.dispatch("MESSAGE_CREATE", data)  # Discord replays it to the new session
        time.sleep(2.0)
        assert discord_api.contents() == ["Answered once."] and len(model_calls) == 2
    finally:
        finish(again)


def test_serve_says_why_the_discord_bridge_did_not_start(
    env: dict[str, str], discord_api: FakeDiscord, model: FakeServer
) -> None:
    values = environ(env, config(model, discord_api), token="not-the-token")
    head: list[str] = []
    process = start(values, head)
    try:
        check = cli(values, "serve", "--check")
        assert check.returncode == 0, check.stderr
        assert "bridge discord: failed:" in check.stdout and "refused" in check.stdout
        assert "Traceback" not in check.stdout + check.stderr
        assert "not-the-token" not in check.stdout + check.stderr
    finally:
        stderr = "".join(head) + finish(process)
    assert "Discord refused the bot" in stderr, "the log says it too"
    assert "not-the-token" not in stderr and "Traceback" not in stderr
