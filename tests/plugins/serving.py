"""``assistant serve`` as a real process, for the tests that run it: start it and wait until it
says it runs, ask it things with the command line, stop it."""

from __future__ import annotations

import subprocess
import sys


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
