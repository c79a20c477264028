"""The Discord bridge in this process, end to end over the real wire protocol: discord.py
connects to a fake Discord on 127.0.0.1 (gateway websocket and REST API), messages arrive as
MESSAGE_CREATE dispatches, replies leave through the REST API; answers come from the real
responder over a fake model."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from assistant import Assistant
from assistant.chunks import utf16_length
from assistant.conversation.responder import Responder
from assistant.errors import ConfigError
from assistant.inbox import Outgoing
from assistant.models.chat import ModelInfo, ToolCall
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.owners import PAIRED, Owners
from assistant.service import ServeHost
from assistant.settings import read_settings
from assistant.store.conversations import ConversationLog
from assistant_discord import make_bridge
from assistant_discord.bridge import DiscordBridge
from assistant_discord.text import REFUSAL, discord_parts
from tests.plugins.discord_fake import (
    ALLOWED,
    BOT,
    ELSEWHERE,
    OWNER,
    STRANGER,
    TOKEN,
    FakeDiscord,
)

SECRETS = {"DISCORD_BOT_TOKEN": TOKEN}
STORY = "Tell me a story about a lighthouse"


@pytest.fixture
def discord_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDiscord]:
    # discord.py keeps both addresses on classes: put them back for whatever runs next
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    fake = FakeDiscord()
    yield fake
    fake.close()


class Running:
    """A started bridge over a real assistant, and the ways to talk to it."""

    def __init__(self, bridge: DiscordBridge, model: EchoModel, assistant: Assistant) -> None:
        self.bridge = bridge
        self.model = model
        self.assistant = assistant

    def said_to_model(self) -> str:
        return " ".join(m.content for call in self.model.calls for m in call)


@pytest.fixture
def start_bridge(env: dict[str, str], discord_api: FakeDiscord) -> Iterator[Callable[..., Running]]:
    opened: list[tuple[DiscordBridge, Responder, Assistant]] = []

    def start(owner: int | None = OWNER, model: EchoModel | None = None, **table: Any) -> Running:
        home = Path(env["ASSISTANT_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        lines = [
            "[bridges.discord]",
            f'api_url = "{discord_api.url}"',
            f'channels = ["{ALLOWED}"]',
            "retry_backoff = 0.05",
            "reconnect_backoff = 0.05",
        ]
        if owner:
            lines.append(f'owners = ["{owner}"]')
        lines += [f"{key} = {value!r}" for key, value in table.items()]
        (home / "config.toml").write_text("\n".join(lines) + "\n")
        assistant = Assistant(read_settings({}, os.environ), embedder=HashEmbedder())
        model = model or EchoModel()
        responder = Responder(assistant, ModelRegistry([model], PolicySettings(), BudgetSettings()))
        bridge = DiscordBridge(
            ServeHost(responder, {}), assistant.settings.bridges["discord"], environ=SECRETS
        )
        opened.append((bridge, responder, assistant))
        bridge.start()
        discord_api.wait_connected()
        return Running(bridge, model, assistant)

    yield start
    for bridge, responder, assistant in opened:
        bridge.stop()
        responder.close()
        assistant.close()


def test_the_owner_pairs_with_a_code_by_direct_message_and_is_answered(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge(owner=None)
    dm = discord_api.direct_channel(OWNER)
    discord_api.message("hello?")
    assert discord_api.wait_for(1) == [REFUSAL], "nobody is the owner until paired"
    code = Owners(running.assistant.db, {"discord": {}}).new_code("discord").code
    discord_api.message(code.lower())
    assert discord_api.wait_for(2) == [REFUSAL, PAIRED]
    discord_api.message(STORY)
    replies = discord_api.wait_for(3)
    assert STORY in replies[2]
    assert discord_api.contents(dm) == replies, "every reply in the direct message"
    assert code.lower() not in running.said_to_model()
    assert "hello?" not in running.said_to_model()


def test_the_typing_indicator_shows_while_answering(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    class SlowModel(EchoModel):
        def stream(self, messages: Any, **kwargs: Any) -> Any:
            time.sleep(0.5)
            return super().stream(messages, **kwargs)

    start_bridge(model=SlowModel())
    discord_api.message(STORY)
    discord_api.wait_for(1)
    dm = discord_api.direct_channel(OWNER)
    assert [c for c, _ in discord_api.typing] == [dm]
    assert discord_api.typing[0][1] < discord_api.sent[0].at


def test_a_stranger_gets_one_refusal_and_their_words_go_nowhere(
    start_bridge: Callable[..., Running],
    discord_api: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    running = start_bridge()
    for number in range(3):
        discord_api.message(f"my secret plan number {number}", author=STRANGER)
    discord_api.message(
        f"<@{BOT}> my secret plan in public",
        author=STRANGER,
        channel=ALLOWED,
        guild=True,
        mentions=(BOT,),
    )
    discord_api.message(STORY)
    discord_api.wait_for(2)
    time.sleep(0.5)
    assert discord_api.contents(discord_api.direct_channel(STRANGER)) == [REFUSAL]
    assert discord_api.contents(ALLOWED) == [], "refused once a day, wherever they write"
    assert "secret plan" not in running.said_to_model()
    turns = " ".join(t.text for t in ConversationLog(running.assistant.db).recent())
    assert "lighthouse" in turns and "secret plan" not in turns
    assert "secret plan" not in caplog.text
    assert str(STRANGER) not in caplog.text and str(OWNER) not in caplog.text, "ids redacted"
    assert TOKEN not in caplog.text
    assert "…77" in caplog.text


def test_mentions_are_answered_in_allowed_channels_only(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    discord_api.message(f"<@{BOT}> {STORY}", channel=ALLOWED, guild=True, mentions=(BOT,))
    [reply] = discord_api.wait_for(1)
    assert discord_api.sent[0].channel == ALLOWED and STORY in reply
    assert f"<@{BOT}>" not in running.said_to_model(), "the mention is not part of the words"
    assert discord_api.sent[0].allowed_mentions == {"parse": []}, "a reply pings nobody"
    discord_api.message(f"<@{BOT}> in another room", channel=ELSEWHERE, guild=True, mentions=(BOT,))
    discord_api.message("talking among ourselves", channel=ALLOWED, guild=True)
    discord_api.message("@everyone look", channel=ALLOWED, guild=True, everyone=True)
    discord_api.message("a bot speaking", author=BOT + 5, channel=ALLOWED, guild=True, bot=True)
    time.sleep(1.0)
    assert len(discord_api.sent) == 1 and len(running.model.calls) == 1


def test_a_replayed_message_is_answered_once(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    data = discord_api.message(STORY)
    threads = [
        threading.Thread(target=discord_api.dispatch, args=("MESSAGE_CREATE", data))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(discord_api.wait_for(1)) == 1
    discord_api.dispatch("MESSAGE_CREATE", data)
    time.sleep(1.0)
    assert len(discord_api.sent) == 1 and len(running.model.calls) == 1


def test_a_100_kb_message_is_taken_and_answered_in_pieces(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    start_bridge()
    sentence = "The lighthouse keeper counted the ships again. "
    body = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    discord_api.message(body)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not "".join(discord_api.contents()).endswith(
        body.strip()[-40:]
    ):
        time.sleep(0.1)
    pieces = discord_api.contents()
    assert len(pieces) > 50 and all(utf16_length(p) <= 2000 for p in pieces)
    assert all(p.endswith(".") for p in pieces[:-1]), "cut at sentence ends"
    assert "".join(pieces).replace(" ", "").endswith(body.replace(" ", "")), "nothing lost"


def test_emoji_and_right_to_left_text_arrive_intact(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    said = "שלום! מה שלומך היום? 🌊🚢 مرحبا 👋🏽 family: 👨‍👩‍👧"
    discord_api.message(said)
    [reply] = discord_api.wait_for(1)
    assert said in reply
    assert said in running.said_to_model()


def test_a_429_is_honoured_and_the_reply_sent_once(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    discord_api.fail = [429]
    discord_api.retry_after = 0.6
    start_bridge()
    discord_api.message(STORY)
    replies = discord_api.wait_for(1)
    assert len(replies) == 1 and STORY in replies[0]
    assert discord_api.attempts == 2
    assert discord_api.sent[0].at - discord_api.failures[0] >= 0.6, "waited as asked"
    time.sleep(0.5)
    assert len(discord_api.sent) == 1


def test_a_long_429_is_left_to_the_outbox_which_waits_as_long_as_asked(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    discord_api.fail = [429]
    discord_api.retry_after = 45.0  # more than discord.py waits itself (30 s)
    running = start_bridge()
    discord_api.message(STORY)
    outbox = running.bridge.outbox
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and discord_api.attempts < 1:
        time.sleep(0.05)
    time.sleep(0.5)
    [waiting] = _queued(running)
    assert waiting.attempts == 1
    assert "wait 45 s" in waiting.error
    following = outbox.next_try()
    assert following is not None and following - time.time() > 40, "not before Discord said"
    assert discord_api.sent == [] and discord_api.attempts == 1


def _queued(running: Running) -> list[Outgoing]:
    """The outbox's messages waiting to be sent (or sent again)."""
    with running.assistant.db.connect() as conn:
        rows = conn.execute(
            "SELECT id, channel, recipient, text, attempts, coalesce(error, '') FROM outbox "
            "WHERE state = 'queued'"
        ).fetchall()
    return [Outgoing(*row) for row in rows]


def test_a_reply_discord_fails_to_take_is_sent_again_by_the_outbox(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    discord_api.fail = [503, 503]  # discord.py retries 500s itself, but not a 503
    running = start_bridge()
    discord_api.message(STORY)
    replies = discord_api.wait_for(1)
    assert len(replies) == 1 and STORY in replies[0]
    assert discord_api.attempts == 3
    assert running.bridge.outbox.given_up() == []


def test_after_a_gateway_disconnect_it_reconnects_and_keeps_answering(
    start_bridge: Callable[..., Running],
    discord_api: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
) -> None:
    running = start_bridge()
    discord_api.message("first, before the drop")
    discord_api.wait_for(1)
    discord_api.refuse = 1  # the first try to reconnect fails: discord.py backs off
    discord_api.drop()
    discord_api.wait_connected(2)
    assert discord_api.refuse == 0 and discord_api.resumes == 1
    discord_api.message(STORY)
    replies = discord_api.wait_for(2)
    assert len(replies) == 2 and STORY in replies[1]
    assert running.bridge.connection.connections == 1, "the same session, resumed"
    assert "Attempting a reconnect" in caplog.text
    assert "Traceback" not in caplog.text, "one line in the log, no traceback"


def test_when_the_session_cannot_be_resumed_it_identifies_afresh(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    start_bridge()
    discord_api.resumable = False
    discord_api.drop()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and discord_api.identifies < 2:
        time.sleep(0.05)
    assert discord_api.identifies == 2 and discord_api.resumes == 0
    discord_api.message(STORY)
    assert STORY in discord_api.wait_for(1)[0]


def test_an_event_discord_py_cannot_read_costs_a_new_session_not_the_bot(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    discord_api.dispatch("MESSAGE_CREATE", {"id": "1"})  # no channel, no author
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and discord_api.identifies < 2:
        time.sleep(0.05)
    assert running.bridge.connection.connections == 2
    discord_api.message(STORY)
    assert STORY in discord_api.wait_for(1)[0]


def test_while_discord_is_down_it_retries_with_backoff_until_it_connects(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    discord_api.down = 3
    running = start_bridge()
    assert discord_api.down == 0 and discord_api.identifies == 1
    assert running.bridge.connection.connections == 1
    discord_api.message(STORY)
    assert STORY in discord_api.wait_for(1)[0]


def test_a_confirmation_is_asked_and_answered_in_the_same_channel(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    model = EchoModel(
        ModelInfo("strong", "fake", "s", "strong", 3.0, 15.0),
        script=[[ToolCall("1", "forget", {"memory_id": "x"})], "Once you say so."],
    )
    running = start_bridge(model=model)
    memory = running.assistant.memories.add("My locker code is 4521.")
    model.script[0] = [ToolCall("1", "forget", {"memory_id": memory.id})]
    mention = f"<@{BOT}>"
    ask = "could you drop the locker code from your notes?"
    discord_api.message(f"{mention} {ask}", channel=ALLOWED, guild=True, mentions=(BOT,))
    [asked] = discord_api.wait_for(1)
    assert "Forget “My locker code is 4521.”?" in asked
    assert discord_api.sent[0].channel == ALLOWED, "asked where the request was made"
    assert running.assistant.memories.get(memory.id).status.value == "active"
    discord_api.message(f"{mention} yes", channel=ALLOWED, guild=True, mentions=(BOT,))
    replies = discord_api.wait_for(2)
    assert "Forgot" in replies[1] and discord_api.sent[1].channel == ALLOWED
    assert running.assistant.memories.get(memory.id).status.value == "archived"


def test_each_discord_channel_is_a_conversation_of_its_own(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    """What was said in a DM is no context for an answer in a server channel, and a slash
    command in a channel belongs to that channel's conversation."""
    running = start_bridge()
    discord_api.message("my new locker code is 4521, between us")
    discord_api.wait_for(1)
    discord_api.message(f"<@{BOT}> {STORY}", channel=ALLOWED, guild=True, mentions=(BOT,))
    discord_api.wait_for(2)
    # The calls that read the channel's message (the answer; learning from the DM may call the
    # model later, so the last call is not always the answer's).
    prompts = [" ".join(m.content for m in call) for call in running.model.calls]
    in_channel = [prompt for prompt in prompts if STORY in prompt]
    assert in_channel and all("4521" not in p for p in in_channel), "the DM stays in the DM"
    discord_api.command("search", {"query": "lighthouse"}, guild=True, channel=ALLOWED)
    discord_api.wait_for(3)
    threads = sorted(c.thread for c in running.bridge.host.responder.sessions.open())
    assert len(threads) == 2 and str(ALLOWED) in threads, threads


def test_slash_commands_are_registered_and_run_the_assistants_commands(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    offered = {c["name"] for c in discord_api.commands}
    assert {"remember", "search", "forget", "remind", "reminders", "done"} <= offered
    asked = discord_api.command(
        "remember", {"text": "My passport expires in May", "important": True}
    )
    [reply] = discord_api.wait_for(1)
    assert discord_api.sent[0].token == asked["token"], "answered as the command's follow-up"
    assert [(t, kind) for t, kind, _ in discord_api.callbacks] == [(asked["token"], 5)]
    assert discord_api.callbacks[0][2] < discord_api.sent[0].at, "acknowledged first"
    [memory] = running.assistant.memories.search("passport")
    assert memory.memory.text == "My passport expires in May" and memory.memory.important
    assert "passport" in reply
    assert running.model.calls == [], "a command needs no model"
    discord_api.command(
        "remind", {"text": "call Anna", "when": "in 20 minutes"}, guild=True, channel=ALLOWED
    )
    assert "call Anna" in discord_api.wait_for(2)[1]


def test_a_strangers_slash_command_is_refused_and_a_replay_answered_once(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    discord_api.command("remember", {"text": "a stranger's note"}, author=STRANGER)
    assert discord_api.wait_for(1) == [REFUSAL]
    asked = discord_api.command("reminders")
    discord_api.dispatch("INTERACTION_CREATE", asked)
    discord_api.wait_for(2)
    time.sleep(0.8)
    assert len(discord_api.sent) == 2 and len(discord_api.callbacks) == 2
    assert running.assistant.memories.search("stranger") == []


def test_reminders_go_to_the_owner_by_direct_message(
    start_bridge: Callable[..., Running], discord_api: FakeDiscord
) -> None:
    running = start_bridge()
    assert running.bridge.deliver("Reminder: call the dentist at 10:00")
    assert discord_api.wait_for(1) == ["Reminder: call the dentist at 10:00"]
    assert discord_api.sent[0].channel == discord_api.direct_channel(OWNER)


def test_without_an_owner_a_reminder_is_not_delivered(
    start_bridge: Callable[..., Running],
) -> None:
    running = start_bridge(owner=None)
    assert running.bridge.deliver("Reminder: anything") is False


def test_the_bridge_needs_its_token_from_the_environment_and_a_valid_one(
    hashed: Assistant, discord_api: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_BOT_TOKEN", TOKEN)
    responder = Responder(hashed, ModelRegistry([], PolicySettings(), BudgetSettings()))
    host = ServeHost(responder, {})
    try:
        with pytest.raises(ConfigError, match="DISCORD_BOT_TOKEN"):
            DiscordBridge(host, {}, environ={})
        with pytest.raises(ConfigError, match="config.toml"):
            DiscordBridge(host, {"token": TOKEN}, environ=SECRETS)
        bridge = make_bridge(host, {"api_url": discord_api.url})
        assert TOKEN not in repr(getattr(bridge, "settings", ""))
        wrong = DiscordBridge(
            host, {"api_url": discord_api.url}, environ={"DISCORD_BOT_TOKEN": "not-the-token"}
        )
        with pytest.raises(ConfigError, match="refused"):
            wrong.start()
        wrong.stop()
    finally:
        responder.close()


def test_long_answers_are_cut_at_sentence_ends() -> None:
    answer = " ".join(f"Sentence number {n} is here." for n in range(400))
    parts = discord_parts(answer)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == answer
