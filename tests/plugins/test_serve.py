"""``assistant serve`` as a real process: ready, checked, single per home, stopped by SIGTERM
within 5 s, restarted after SIGKILL, delivering reminders through a plugin's bridge once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugins.serving import cli, finish, start


@pytest.fixture
def environ(site: Path, env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    values = {
        **os.environ,
        **env,
        "PYTHONPATH": str(site),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_LOAD_PLUGINS": "sample",
    }
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    outbox = tmp_path / "outbox.txt"
    (home / "config.toml").write_text(
        f'[bridges.echo]\nowner = "me"\noutbox = "{outbox.as_posix()}"\n'
        '[bridges.carrier-pigeon]\nowner = "me"\n'
    )
    return values


@pytest.fixture
def serving(environ: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = start(environ, says="running (echo)")
    yield process
    finish(process)


def test_serve_runs_once_per_home_and_stops_on_sigterm(
    environ: dict[str, str], serving: subprocess.Popen[str]
) -> None:
    check = cli(environ, "serve", "--check", "--json")
    assert check.returncode == 0, check.stderr
    status = json.loads(check.stdout)
    assert status["running"] and status["pid"] == serving.pid
    assert status["bridges"] == {
        "echo": "running",
        "carrier-pigeon": "not installed (no plugin provides it)",
    }
    second = cli(environ, "serve")
    assert second.returncode == 1 and "already runs" in second.stderr
    assert str(serving.pid) in second.stderr and "Traceback" not in second.stderr
    asked = time.monotonic()
    serving.send_signal(signal.SIGTERM)
    assert serving.wait(10) == 0
    assert time.monotonic() - asked < 5
    after = cli(environ, "serve", "--check")
    assert after.returncode == 3 and "not running" in after.stdout


def test_a_reminder_reaches_the_bridge_once_even_across_a_crash(
    environ: dict[str, str], serving: subprocess.Popen[str], tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.txt"
    code = (
        "import time; from assistant import Assistant\n"
        "from assistant.store.reminders import Reminders\n"
        "with Assistant.open() as a: Reminders(a.db).add('feed the cat', due=time.time() + 1)"
    )
    subprocess.run([sys.executable, "-c", code], env=environ, check=True, timeout=120)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not outbox.exists():
        time.sleep(0.1)
    assert outbox.read_text().startswith("Reminder: feed the cat")
    serving.kill()  # SIGKILL: no clean shutdown at all
    serving.wait(30)
    assert cli(environ, "serve", "--check").returncode == 3, "the lock died with the process"
    again = start(environ, says="running (echo)")
    try:
        time.sleep(2.5)
        assert outbox.read_text().count("feed the cat") == 1, "never delivered twice"
    finally:
        again.send_signal(signal.SIGINT)
        assert again.wait(10) == 0
        finish(again)
