"""``search`` and ``remember`` answered by a running ``assistant serve`` over its socket: the
same output as in-process, the same memory stored; a stale socket, or one that is not the
user's only, is not used and the command does the work itself."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.plugins.serving import cli, finish, start

MARKER = "answered by assistant serve"


@pytest.fixture
def environ(env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **env, "ASSISTANT_EMBEDDER": "hash"}


@pytest.fixture
def home(environ: dict[str, str]) -> Path:
    """A home with three memories, remembered in-process."""
    for text in ("My sister lives in Bergen", "My sister Ada plays the cello", "I like tea"):
        done = cli(environ, "remember", text, "--tag", "family")
        assert done.returncode == 0, done.stderr
    return Path(environ["ASSISTANT_HOME"])


def sock(home: Path) -> Path:
    return home / "run" / "cli.sock"


def serve(environ: dict[str, str], home: Path) -> subprocess.Popen[str]:
    """A serve on ``home``, once it answers on its socket (made once it caught up)."""
    assert not sock(home).exists()
    process = start(environ, says="running (no bridges)")
    deadline = time.monotonic() + 60
    while not sock(home).exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    return process


def served(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``assistant -v ARGS``, answered by serve (its marker line taken off stderr)."""
    done = cli(environ, "-v", *args)
    first, _, rest = done.stderr.partition("\n")
    assert first.startswith(MARKER), done.stderr
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, rest)


SEARCHES = [
    ("search", "sister", "--json"),
    ("search", "sister"),
    ("search", "sister", "--explain", "-k", "2"),
    ("search", "--tag", "family", "cello", "--json", "--type=semantic"),
    ("search", "nothing like this at all", "--tag", "none"),
]
FAILURES = [("remember", "--type", "nonsense", "x"), ("remember", "")]


def test_serve_answers_search_and_remember_as_the_commands_would(
    environ: dict[str, str], home: Path
) -> None:
    alone = [cli(environ, *args) for args in SEARCHES + FAILURES]
    learned = cli(environ, "remember", "My cousin lives in Rome", "--tag", "family", "--json")
    serving = serve(environ, home)
    try:
        assert stat.S_IMODE(sock(home).stat().st_mode) == 0o600
        assert stat.S_IMODE(sock(home).parent.stat().st_mode) == 0o700
        for args, before in zip(SEARCHES + FAILURES, alone, strict=True):
            after = served(environ, *args)
            assert (after.returncode, after.stdout, after.stderr) == (
                before.returncode,
                before.stdout,
                before.stderr,
            ), args
        assert alone[-1].returncode == 1 and "memory text is empty" in alone[-1].stderr
        remembered = served(
            environ, "remember", "My brother lives in Oslo", "--tag", "family", "--json"
        )
        assert remembered.returncode == 0, remembered.stderr
        memory, expected = json.loads(remembered.stdout), json.loads(learned.stdout)
        same = ("type", "importance", "tags", "source", "status", "metadata", "important")
        assert {k: memory[k] for k in same} == {k: expected[k] for k in same}
        found = json.loads(served(environ, "search", "brother Oslo", "--json").stdout)
        assert found[0]["id"] == memory["id"]
        plain = served(environ, "remember", "My niece lives in Lima")
        assert plain.stdout.strip() and plain.returncode == 0
        other = {**environ, "ASSISTANT_OBSERVABILITY_LOG_LEVEL": "warning"}  # other settings
        itself = cli(other, "-v", "search", "sister", "--json")
        assert itself.returncode == 0 and MARKER not in itself.stderr
        assert itself.stdout == alone[0].stdout
        serving.send_signal(signal.SIGTERM)
        assert serving.wait(30) == 0
    finally:
        finish(serving)
    assert not sock(home).exists()  # serve removes its socket
    note = (home / "vault" / memory["path"]).read_text(encoding="utf-8")
    assert "My brother lives in Oslo" in note and "family" in note
    again = json.loads(cli(environ, "search", "brother Oslo", "--json").stdout)
    assert again[0]["id"] == memory["id"]
    shown = cli(environ, "show", plain.stdout.strip())
    assert "My niece lives in Lima" in shown.stdout
    log = (home / "logs" / "assistant.log").read_text(encoding="utf-8")
    assert log.count('"event": "cli_answered"') == len(SEARCHES) + len(FAILURES) + 3


def test_a_stale_socket_is_left_alone_and_the_command_runs_here(
    environ: dict[str, str], home: Path
) -> None:
    before = cli(environ, "search", "sister", "--json")
    sock(home).parent.mkdir(mode=0o700)
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(sock(home)))
    left.close()  # the file stays, nobody listens: a serve that was killed
    os.chmod(sock(home), 0o600)
    after = cli(environ, "-v", "search", "sister", "--json")
    assert after.returncode == 0 and after.stdout == before.stdout
    assert MARKER not in after.stderr and "answered in this process" in after.stderr
    assert sock(home).exists()  # not ours to remove
    remembered = cli(environ, "remember", "My uncle lives in Paris")
    assert remembered.returncode == 0, remembered.stderr


class Impostor:
    """A listener on the home's socket path that answers every request with no hits."""

    def __init__(self, path: Path) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        self.asked = 0
        threading.Thread(target=self._answer, daemon=True).start()

    def _answer(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.asked += 1
            with connection:
                connection.recv(65536)
                answer = {"v": 1, "ok": True, "result": {"hits": [], "said": []}, "pid": 1}
                connection.sendall(json.dumps(answer).encode() + b"\n")


@pytest.mark.parametrize("kind", ["socket open to others", "folder open to others", "owner"])
def test_a_socket_that_is_not_the_users_only_is_refused(
    environ: dict[str, str], home: Path, kind: str
) -> None:
    if kind == "owner" and os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    before = cli(environ, "search", "sister", "--json")
    assert json.loads(before.stdout)
    sock(home).parent.mkdir(mode=0o700)
    impostor = Impostor(sock(home))
    try:
        os.chmod(sock(home), 0o666 if kind == "socket open to others" else 0o600)
        if kind == "folder open to others":
            os.chmod(sock(home).parent, 0o755)
        if kind == "owner":
            os.chown(sock(home), 4242, -1)
        after = cli(environ, "search", "sister", "--json")
    finally:
        impostor.server.close()
    assert after.returncode == 0 and after.stdout == before.stdout
    assert "not asking assistant serve" in after.stderr
    assert impostor.asked == 0
    assert sock(home).exists()


def test_an_argument_that_is_not_text_is_refused_here_with_the_usual_panel(
    environ: dict[str, str], home: Path
) -> None:
    sock(home).parent.mkdir(mode=0o700)
    impostor = Impostor(sock(home))  # a private socket: the command would ask it
    try:
        os.chmod(sock(home), 0o600)
        bad = "caf\udce9 \udcff"  # bytes that are not UTF-8, as Python receives them
        searched = cli(environ, "-v", "search", bad)
        remembered = cli(environ, "remember", bad)
        fine = cli(environ, "-v", "search", "sister", "--json")
    finally:
        impostor.server.close()
    for done in (searched, remembered):
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "not valid UTF-8" in done.stderr
    assert impostor.asked == 1 and MARKER in fine.stderr  # only the text went to it
