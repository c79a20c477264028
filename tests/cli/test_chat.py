"""``assistant chat``, ``ask``, ``models``, ``costs`` and ``history`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant_cli.main import build_app
from tests.servers import FakeServer, anthropic_text, error, openai_text


def configure(env: dict[str, str], text: str) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def cloud(env: dict[str, str], server: FakeServer, monkeypatch: object) -> None:
    """A cheap OpenAI-compatible model and a strong Anthropic one, both on the fake server."""
    configure(
        env,
        f"""
[models.mini]
provider = "openai"
base_url = "{server.url}/v1"
model = "gpt-4.1-mini"
key_env = "none"

[models.claude]
provider = "anthropic"
base_url = "{server.url}"
model = "claude-sonnet-4-6"
tier = "strong"
key_env = "FAKE_ANTHROPIC_API_KEY"
""",
    )
    # Its own key variable: the built-in Claude models stay keyless and never go online.
    monkeypatch.setenv("FAKE_ANTHROPIC_API_KEY", "sk-ant-test")  # type: ignore[attr-defined]


def test_chat_without_a_model_remembers_and_answers_from_memory(minilm: object) -> None:
    lines = [
        "/help",
        "/remember important My sister Anna lives in Lyon",
        "/remember I play the cello on Tuesdays",
        "/search sister",
        "where does Anna live?",
        "/bogus",
        "/exit",
    ]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "/remember [important] TEXT" in out
    assert out.count("Remembered") == 2
    assert "Here is what I remember:" in out and "My sister Anna lives in Lyon" in out
    assert "No chat model is set up" in result.stderr
    assert "Unknown command /bogus" in result.stderr


def test_the_missing_model_is_told_once_a_day_not_on_every_ask(minilm: object) -> None:
    runner = CliRunner()
    first = runner.invoke(build_app(), ["ask", "where does Anna live?"])
    again = runner.invoke(build_app(), ["ask", "what do I play?"])
    assert first.exit_code == again.exit_code == 0
    assert "No chat model is set up" in first.stderr
    assert "No chat model is set up" not in again.stderr


def test_chat_ends_on_end_of_input(minilm: object) -> None:
    result = CliRunner().invoke(build_app(), ["chat"], input="")
    assert result.exit_code == 0


def test_a_reminder_due_before_a_short_chat_is_shown_before_it_ends(minilm: object) -> None:
    import time

    from assistant import Assistant
    from assistant.store.reminders import Reminders

    with Assistant.open() as opened:
        Reminders(opened.db).add("feed the cat", due=time.time() - 60)
    result = CliRunner().invoke(build_app(), ["chat"], input="/quit\n")
    assert result.exit_code == 0
    assert "Reminder: feed the cat" in result.stderr
    again = CliRunner().invoke(build_app(), ["chat"], input="hi\n/quit\n")
    assert "Reminder: feed the cat" not in again.stderr  # shown once


def test_chat_picks_up_vault_edits_made_while_closed(minilm: object, env: dict[str, str]) -> None:
    runner = CliRunner()
    runner.invoke(build_app(), ["remember", "My sister Anne lives in Lyon"])
    note = next((Path(env["ASSISTANT_HOME"]) / "vault").rglob("My sister*.md"))
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    result = runner.invoke(build_app(), ["chat"], input="/search Marseille\n/exit\n")
    assert result.exit_code == 0
    assert "Picked up a vault change" in result.stderr
    assert "Marseille" in result.stdout and "Anna lives in" in result.stdout


def test_chat_forget_lists_candidates_and_asks(minilm: object) -> None:
    runner = CliRunner()
    runner.invoke(build_app(), ["remember", "I used to live in Paris"])
    result = runner.invoke(build_app(), ["chat"], input="/forget Paris\n1\n/search Paris\n")
    assert result.exit_code == 0, result.stderr
    assert "1. I used to live in Paris" in result.stdout
    assert "Forgot: I used to live in Paris" in result.stdout
    kept = runner.invoke(build_app(), ["chat"], input="/forget Paris\n\n")
    assert "Nothing I remember matches" in kept.stderr


def test_ask_streams_only_the_answer_to_stdout(
    minilm: object, env: dict[str, str], server: FakeServer, monkeypatch: object
) -> None:
    cloud(env, server, monkeypatch)
    server.queue.append(anthropic_text("Start with a budget, then book flights early."))
    result = CliRunner().invoke(build_app(), ["ask", "help me plan a trip to Japan in spring"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Start with a budget, then book flights early.\n"


def test_ask_json_reports_route_model_tokens_cost_memories(
    minilm: object, env: dict[str, str], server: FakeServer, monkeypatch: object
) -> None:
    cloud(env, server, monkeypatch)
    runner = CliRunner()
    runner.invoke(build_app(), ["remember", "My sister Anna lives in Lyon"])
    server.queue.append(error(500, "down"))
    server.queue.append(error(500, "still down"))
    server.queue.append(error(500, "really down"))
    server.queue.append(openai_text("Anna lives in Lyon.", prompt_tokens=150))
    result = runner.invoke(build_app(), ["ask", "--json", "where does my sister live?"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["route"] == "tool" and data["model"] == "mini"
    assert data["answer"] == "Anna lives in Lyon."
    assert data["tokens"] == {"input": 150, "output": 4}
    assert data["cost"] > 0
    assert data["memories"][0]["text"] == "My sister Anna lives in Lyon"
    assert "claude had a server error (500); using mini." in result.stderr

    costs = json.loads(runner.invoke(build_app(), ["costs", "--json"]).stdout)
    assert costs["failures"] == 3
    assert {r["key"] for r in costs["by_model"]} == {"claude", "mini"}
    assert costs["all_strong"] > costs["total"]
    history = json.loads(runner.invoke(build_app(), ["history", "--json"]).stdout)
    assert [t["role"] for t in history] == ["user", "assistant"]
    assert history[1]["model"] == "mini"


def test_ask_refuses_an_empty_question(minilm: object) -> None:
    result = CliRunner().invoke(build_app(), ["ask", "  "])
    assert result.exit_code == 2 and result.stdout == ""


def test_ask_with_a_wrong_key_says_so_and_falls_back(
    minilm: object, env: dict[str, str], server: FakeServer, monkeypatch: object
) -> None:
    cloud(env, server, monkeypatch)
    server.queue.append(error(401, "invalid x-api-key", "authentication_error"))
    server.queue.append(openai_text("Hello!"))
    result = CliRunner().invoke(build_app(), ["ask", "write a haiku about the sea"])
    assert result.exit_code == 0
    assert "the API key was rejected" in result.stderr
    assert result.stdout == "Hello!\n"


def test_models_lists_what_is_configured(
    minilm: object, env: dict[str, str], server: FakeServer, monkeypatch: object, tmp_path: Path
) -> None:
    cloud(env, server, monkeypatch)
    runner = CliRunner()
    rows = {
        r["name"]: r for r in json.loads(runner.invoke(build_app(), ["models", "--json"]).stdout)
    }
    assert rows["claude"]["status"] == "ready" and rows["mini"]["status"] == "ready"
    assert "OPENAI_API_KEY" in rows["gpt"]["status"]
    assert rows["claude"]["price_in"] == 3.0
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_text("<html>")
    result = runner.invoke(build_app(), ["models", "add", str(not_gguf)])
    assert result.exit_code == 1 and "not a GGUF" in result.stderr


def test_models_add_registers_a_gguf(minilm: object, gemma_gguf: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(build_app(), ["models", "add", str(gemma_gguf), "--name", "gemma"])
    assert result.exit_code == 0, result.stderr
    rows = {
        r["name"]: r for r in json.loads(runner.invoke(build_app(), ["models", "--json"]).stdout)
    }
    assert rows["gemma"]["tier"] == "local" and rows["gemma"]["status"] == "ready"
    again = runner.invoke(build_app(), ["models", "add", str(gemma_gguf), "--name", "gemma"])
    assert again.exit_code == 1 and "exists" in again.stderr


def test_chat_without_a_model_acknowledges_statements_and_refuses_a_keyless_model(
    minilm: object,
) -> None:
    lines = [
        "/remember I play the cello on Tuesdays",
        "My name is Sam and I live in Bristol.",
        "/model sonnet",
        "/costs",
        "/exit",
    ]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Got it." in result.stdout and "cello" not in result.stdout.split("Got it.")[1]
    assert "(remembered: My name is Sam.)" in result.stderr
    assert "sonnet cannot answer: no API key (set ANTHROPIC_API_KEY)" in result.stderr
    assert "Using sonnet" not in result.stdout
    assert "no budget" in result.stdout


def test_every_statement_piped_in_says_what_was_kept_before_chat_ends(minilm: object) -> None:
    """Lines piped in arrive faster than they are learned from: what the last ones taught is
    said when chat ends, not lost."""
    lines = ["my sister is called Anna", "I live in Leeds", "I'm allergic to penicillin"]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    shown = result.stdout + result.stderr
    for kept in ("Anna", "Leeds", "penicillin"):
        assert any("remembered" in line and kept in line for line in shown.splitlines()), shown
