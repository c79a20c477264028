"""``assistant serve`` as a real process, for the tests that run it: start it and wait until it
says it runs, ask it things with the command line, stop it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.servers import Canned, FakeServer, openai_text


def serve_environ(
    env: dict[str, str], config: str, plugins: str, secrets: dict[str, str]
) -> dict[str, str]:
    """The environment of a ``serve`` on the test's home: ``config`` as its config.toml, the
    hash embedder, the plugins named in ``plugins`` loaded, ``secrets`` set."""
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(config)
    return {
        **os.environ,
        **env,
        **secrets,
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_LOAD_PLUGINS": plugins,
    }


def hanging_model(calls: list[int], then: str) -> FakeServer:
    """A model that hangs on its first call (the process is killed meanwhile), then answers
    ``then``; each call is counted in ``calls``."""

    def answer(body: dict[str, Any]) -> Canned:
        calls.append(1)
        if len(calls) == 1:
            return Canned(delay=60.0, chunks=[b""])
        return openai_text(then)

    return FakeServer(answer=answer)


def start(
    values: dict[str, str], head: list[str] | None = None, *, says: str = "running"
) -> subprocess.Popen[str]:
    """Start ``serve`` with the environment ``values`` and wait until it writes ``says``; what
    it wrote before that goes to ``head`` (a bridge may fail before or after that line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant_cli", "serve"],
        env=values,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    while line and "running" not in line:
        if head is not None:
            head.append(line)
        line = process.stderr.readline()
    assert says in line, line
    return process


def finish(process: subprocess.Popen[str]) -> str:
    """Stop the process (if still running); what it wrote to stderr after starting."""
    if process.poll() is None:
        process.kill()
    return process.communicate(timeout=30)[1] or ""


def cli(values: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``assistant ARGS`` with the environment ``values``."""
    return subprocess.run(
        [sys.executable, "-m", "assistant_cli", *args],
        env=values,
        capture_output=True,
        text=True,
        timeout=120,
    )
