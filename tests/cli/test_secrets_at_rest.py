"""Secrets typed in ``assistant chat`` are never at rest in clear: after a scripted chat, every
file under the home (history, caches, DuckDB, LanceDB, logs, the vault) is read byte by byte."""

from __future__ import annotations

import json
from pathlib import Path

import diskcache
import pexpect
import pytest
from typer.testing import CliRunner

from assistant.conversation.router import Router
from assistant.models.fakes import HashEmbedder
from assistant_cli.main import build_app
from tests.servers import FakeServer, configure_loopback_model, openai_text, spawn_chat

SECRETS = [
    ("My card number is 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("here is my claude key sk-ant-api03-Qx7Lm2Vb9Nc4Rt8Wz1Ky5Hp3", "Qx7Lm2Vb9Nc4Rt8Wz1Ky5Hp3"),
    ("and the openai one: sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2", "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2"),
    ("my aws access key id is AKIAQ3EGRT5MPLX7KD2W", "AKIAQ3EGRT5MPLX7KD2W"),
    ("my password is hunter2", "hunter2"),
    ("My bank password: Tr0ub4dor&3", "Tr0ub4dor&3"),
    (
        "the wifi password for my home network is CorrectHorseBattery",
        "CorrectHorseBattery",
    ),
    ("my PIN is 1234", "pin is 1234"),  # "1234" alone is too common to look for in binaries
]
"""What the user types, and what must never be found under the home (case-insensitive)."""


def holding(home: Path, needles: list[str]) -> dict[str, list[str]]:
    """The files under ``home`` (any kind, read as bytes) that hold one of ``needles``."""
    found: dict[str, list[str]] = {}
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files, "the chat wrote nothing under the home"
    for path in files:
        data = path.read_bytes().lower()
        hits = [n for n in needles if n.lower().encode() in data]
        if hits:
            found[str(path.relative_to(home))] = hits
    return found


def stored_texts() -> str:
    """Every turn of the conversation log and every memory, as the CLI reads them back (the
    databases compress text, so a byte search alone could miss it)."""
    runner = CliRunner()
    turns = runner.invoke(build_app(), ["history", "--json", "-n", "200"])
    memories = runner.invoke(build_app(), ["list", "--json"])
    assert turns.exit_code == 0 and memories.exit_code == 0, turns.stderr + memories.stderr
    assert json.loads(turns.stdout), "the chat was logged"
    return (turns.stdout + memories.stdout).lower()


def test_secrets_typed_in_chat_are_not_kept_in_clear(minilm: object, env: dict[str, str]) -> None:
    home = Path(env["ASSISTANT_HOME"])
    lines = [text for text, _ in SECRETS] + ["what is my wifi password?", "/exit"]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "kept the secret in that message out of my logs" in result.stderr
    needles = [needle for _, needle in SECRETS]
    assert holding(home, needles) == {}
    assert not [n for n in needles if n.lower() in stored_texts()]


def test_remember_keeps_the_users_own_words(minilm: object, env: dict[str, str]) -> None:
    home = Path(env["ASSISTANT_HOME"])
    lines = ["/remember my locker PIN is 4521", "/exit"]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Remembered: my locker PIN is 4521" in result.stdout
    (note,) = (home / "vault").rglob("my locker PIN*.md")
    assert "my locker PIN is 4521" in note.read_text()
    memories = CliRunner().invoke(build_app(), ["list", "--json"])
    (memory,) = json.loads(memories.stdout)
    assert memory["text"] == "my locker PIN is 4521"
    turns = CliRunner().invoke(build_app(), ["history", "--json"])
    assert "4521" not in turns.stdout, "the conversation log never holds the secret"


@pytest.mark.slow
def test_secrets_typed_in_a_terminal_chat_are_not_kept_in_clear(
    minilm: object, env: dict[str, str], server: FakeServer
) -> None:
    """The real REPL, with readline's input history and a model answering."""
    home = Path(env["ASSISTANT_HOME"])
    configure_loopback_model(home, server)
    server.answer = lambda body: openai_text("Noted.")
    child = spawn_chat()
    try:
        child.expect("you› ")
        for text, _ in SECRETS:
            child.sendline(text)
            child.expect("Noted.")
            child.expect("you› ")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    history = (home / "history").read_text()
    assert "my password is [redacted password]" in history, "the input history is kept"
    needles = [needle for _, needle in SECRETS]
    assert holding(home, needles) == {}
    assert not [n for n in needles if n.lower() in stored_texts()]
    sent = json.dumps([seen.body for seen in server.requests]).lower()
    assert server.requests and not [n for n in needles if n.lower() in sent], "nor to a model"


def test_a_route_cache_keyed_by_the_words_is_emptied_when_opened(tmp_path: Path) -> None:
    """A home whose route cache was written keyed by message text loses those keys."""
    directory = tmp_path / "routes"
    with diskcache.Cache(str(directory)) as old:
        for number in range(50):
            old.set(f"ns:my password is hunter2 ({number})", "simple")
    router = Router(HashEmbedder(), None, directory)
    assert router.route("my password is [redacted password]").route in ("simple", "complex", "tool")
    router.close()
    assert holding(tmp_path, ["hunter2", "[redacted password]"]) == {}


def test_remember_on_the_command_line_and_in_chat_follow_one_policy(
    minilm: object, env: dict[str, str]
) -> None:
    """``assistant remember`` and ``/remember`` in chat are the user's own words: both keep the
    secret as written and both record the kinds of sensitive data and where it came from; the
    same words again reinforce the memory they made."""
    text = "my locker PIN is 4521 and my email is ana@example.org"
    said = "my bike lock PIN is 4521 and my email is ana@example.org"
    stored = CliRunner().invoke(build_app(), ["remember", text, "--json"])
    assert stored.exit_code == 0, stored.stderr
    by_command = json.loads(stored.stdout)
    chat = CliRunner().invoke(build_app(), ["chat"], input=f"/remember {said}\n/exit\n")
    assert chat.exit_code == 0, chat.stderr
    again = CliRunner().invoke(build_app(), ["chat"], input=f"/remember {text}\n/exit\n")
    assert again.exit_code == 0, again.stderr
    listed = json.loads(CliRunner().invoke(build_app(), ["list", "--json"]).stdout)
    (in_chat,) = [m for m in listed if m["id"] != by_command["id"]]
    (repeated,) = [m for m in listed if m["id"] == by_command["id"]]
    assert repeated["metadata"]["merged_count"] == 2
    for memory, words in ((by_command, text), (in_chat, said)):
        assert memory["text"] == words
        assert memory["source"] == "user"
        assert memory["metadata"]["pii"] == ["email", "password"]
        assert memory["metadata"]["channel"] == "cli"
