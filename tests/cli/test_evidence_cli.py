"""`assistant search` shows what the user said, labelled and dated; `forget` takes a turn id."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant import Assistant
from assistant_cli.main import build_app

DAY = 1_790_000_000.0


def test_search_labels_turns_and_forget_removes_one(minilm: object) -> None:
    with Assistant.open() as assistant:
        assistant.memories.add("My sister Anna lives in Lyon")
        assistant.memories.evidence.keep("s1", DAY, "the roofer wants cash up front, dodgy")
    runner = CliRunner()
    found = json.loads(runner.invoke(build_app(), ["search", "roofer payment", "--json"]).stdout)
    said = [f for f in found if f["kind"] == "said"]
    assert said[0]["text"] == "the roofer wants cash up front, dodgy"
    assert said[0]["said_at"].startswith("2026-09-21")
    shown = runner.invoke(build_app(), ["search", "roofer payment"])
    assert "you said" in shown.stdout and "2026-09-21" in shown.stdout

    result = runner.invoke(build_app(), ["forget", said[0]["id"][:9], "--yes"])
    assert result.exit_code == 0, result.stderr
    found = json.loads(runner.invoke(build_app(), ["search", "roofer payment", "--json"]).stdout)
    assert all(f["kind"] == "memory" for f in found)


def test_search_shows_what_the_user_told_before_what_they_asked(minilm: object) -> None:
    with Assistant.open() as assistant:
        evidence = assistant.memories.evidence
        evidence.keep("s1", DAY, "what did I tell you about my sister?")
        evidence.keep("s1", DAY + 60, "can you remind me what my sister does?")
        evidence.keep("s1", DAY + 120, "my sister Priya teaches year 2 in Manchester")
    found = json.loads(
        CliRunner().invoke(build_app(), ["search", "sister", "--json", "--turns", "1"]).stdout
    )
    said = [f["text"] for f in found if f["kind"] == "said"]
    assert said == ["my sister Priya teaches year 2 in Manchester"]
