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

from tests.servers import FakeServer, openai_text

STORY = " ".join(f"word{i}" for i in range(80))


@pytest.mark.slow
def test_chat_in_a_terminal(
    minilm: object, env: dict[str, str], server: FakeServer, tmp_path: Path
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        f'[models.mini]\nprovider = "openai"\nbase_url = "{server.url}/v1"\n'
        'model = "gpt-4.1-mini"\nkey_env = "none"\n'
    )
    slow = openai_text(STORY)
    slow.pause = 0.05
    server.queue += [slow, openai_text("Hello again!")]
    started = time.monotonic()
    child = pexpect.spawn(
        sys.executable, ["-m", "assistant_cli", "chat"], env=dict(os.environ),
        encoding="utf-8", timeout=60, dimensions=(40, 120),
    )  # fmt: skip
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
        capture_output=True, text=True, env=dict(os.environ), check=True,
    )  # fmt: skip
    turns = json.loads(history.stdout)
    stopped = [t for t in turns if t["interrupted"]]
    assert len(stopped) == 1 and stopped[0]["text"].startswith("word0 word1 word2 word3")
    assert not stopped[0]["text"].endswith("word79"), "the answer really was cut short"
    assert turns[-1]["text"] == "Hello again!"
