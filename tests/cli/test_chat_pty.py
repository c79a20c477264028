"""``assistant chat`` in a real pseudo-terminal: prompt, streaming, commands, Ctrl-C, Ctrl-D."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.servers import FakeServer, configure_loopback_model, openai_text, spawn_chat

STORY = " ".join(f"word{i}" for i in range(600))
"""Thirty seconds of streaming at 50 ms a word: on a loaded machine the test may read
"word3" seconds after it was written, and the answer must still be going when Ctrl-C lands."""


@pytest.mark.slow
def test_chat_in_a_terminal(
    minilm: object, env: dict[str, str], server: FakeServer, tmp_path: Path
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    configure_loopback_model(home, server)
    slow = openai_text(STORY)
    slow.pause = 0.05
    server.queue += [slow, openai_text("Hello again!")]
    started = time.monotonic()
    # Started with SIGINT ignored, as a shell's background job or a script would start it:
    # Python keeps an inherited SIG_IGN, and Ctrl-C must stop the answer all the same.
    child = spawn_chat(sigint_ignored=True)
    try:
        child.expect("you› ")
        prompt_after = time.monotonic() - started
        child.sendline("/remember I like green tea")
        child.expect("Remembered: I like green tea")
        child.expect("you› ")
        child.sendline("write me a very long story about tea")
        child.expect("word3 ")
        child.sendintr()  # Ctrl-C stops the answer, not the session
        child.expect(r"\(stopped\)")
        child.expect("you› ")
        child.sendline("hi")
        child.expect("Hello again!")
        child.expect("you› ")
        child.sendeof()  # Ctrl-D leaves
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert prompt_after < 10, "the prompt does not wait for models or indexes"
    history = subprocess.run(
        [sys.executable, "-m", "assistant_cli", "history", "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    turns = json.loads(history.stdout)
    stopped = [t for t in turns if t["interrupted"]]
    assert len(stopped) == 1 and stopped[0]["text"].startswith("word0 word1 word2 word3")
    assert not stopped[0]["text"].endswith("word79"), "the answer really was cut short"
    assert turns[-1]["text"] == "Hello again!"


@pytest.mark.slow
def test_an_idle_chat_consolidates_by_itself_and_says_so(
    minilm: object, env: dict[str, str]
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    environ = {**os.environ, "ASSISTANT_CONSOLIDATION_IDLE_MINUTES": "0.02"}  # 1.2 s
    child = pexpect.spawn(
        sys.executable,
        ["-m", "assistant_cli", "chat"],
        env=environ,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    try:
        child.expect("you› ")
        for text in ("I love hiking in the mountains", "I really love hiking in the mountains"):
            child.sendline(f"/remember {text}")
            child.expect("Remembered")
            child.expect("you› ")
        deadline = time.monotonic() + 60
        runs: list[dict[str, object]] = []
        while time.monotonic() < deadline and not runs:
            time.sleep(1)
            listed = subprocess.run(
                [sys.executable, "-m", "assistant_cli", "consolidate", "--history", "--json"],
                capture_output=True,
                text=True,
                env=environ,
                check=True,
            )
            runs = [r for r in json.loads(listed.stdout) if r["status"] == "done"]
        assert runs and runs[0]["trigger"] == "idle"
        assert runs[0]["counts"]["merge.merged"] == 1  # type: ignore[index]
        child.sendline("/search hiking")  # the next message hears what happened while idle
        child.expect("While you were away I merged 1 duplicate")
        child.expect("you› ")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    merged = [p for p in (home / "vault").rglob("*.md") if "merged_into" in p.read_text()]
    assert len(merged) == 1


@pytest.mark.slow
def test_a_reminder_falls_due_while_the_chat_waits_and_shows_above_the_prompt(
    env: dict[str, str],
) -> None:
    environ = {**os.environ, "ASSISTANT_EMBEDDER": "hash"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "assistant_cli", "chat"],
        env=environ,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    try:
        child.expect("you› ")
        child.send("half-typed")  # the user is in the middle of a line
        code = (
            "import time; from assistant import Assistant\n"
            "from assistant.store.reminders import Reminders\n"
            "with Assistant.open() as a: Reminders(a.db).add('check the oven', due=time.time() + 1)"
        )
        subprocess.run([sys.executable, "-c", code], env=environ, check=True, timeout=120)
        child.expect("Reminder: check the oven", timeout=20)
        child.expect(r"you› (\x1b\[0m)?half-typed")  # the prompt and what was typed, again
        child.sendline(" message")
        child.expect("you› ")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
