"""Deciding whether ``assistant serve`` answers a command: only plain ``search`` and
``remember`` go to it, and deciding loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant_cli.served import _parse

HEAVY = ("lancedb", "numpy", "duckdb", "pyarrow", "typer", "rich", "assistant.core")


def test_deciding_loads_nothing_heavy(env: dict[str, str], tmp_path: Path) -> None:
    home = Path(env["ASSISTANT_HOME"])
    (home / "run").mkdir(parents=True, mode=0o700)
    code = (
        "import os, sys\n"
        "from assistant_cli.served import answered\n"
        "print(answered(['search', 'where is my sister', '--json'], os.environ))\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split("\n")[:2] == ["None", ""], done.stdout + done.stderr


@pytest.mark.parametrize(
    ("argv", "command", "args"),
    [
        (["search", "tea"], "search", {"query": "tea", "k": 10, "turns": 3, "json": False}),
        (
            ["--home", "/h", "search", "-k", "3", "--tag=a", "--tag", "b", "--", "-tea"],
            "search",
            {"query": "-tea", "k": 3, "tags": ["a", "b"], "types": []},
        ),
        (
            ["-v", "remember", "-", "--importance", "7.5", "-t", "episodic", "--important"],
            "remember",
            {"text": "-", "importance": 7.5, "type": "episodic", "important": True},
        ),
    ],
)
def test_plain_search_and_remember_are_sent(
    argv: list[str], command: str, args: dict[str, object]
) -> None:
    call = _parse(argv)
    assert call is not None and call.command == command
    assert {k: call.args[k] for k in args} == args


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "--help"],
        ["--debug", "search", "tea"],
        ["search", "tea", "-k", "many"],  # the command says what is wrong
        ["search", "tea", "coffee"],
        ["search"],
        ["search", "tea", "--unknown"],
        ["remember", "tea", "--tag"],
        ["list"],
        ["--version"],
    ],
)
def test_anything_else_runs_in_process(argv: list[str]) -> None:
    assert _parse(argv) is None
