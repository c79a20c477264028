"""Structured logs: one redacted JSON object per line, rotation keeping the configured number
of files, and ``assistant logs`` reading them (filters, ``--json``, following)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.memory_types import new_id
from assistant.observability.logs import (
    JsonFormatter,
    LogFilter,
    follow,
    log_files,
    parse_line,
    parse_since,
)
from assistant_cli.context import State
from assistant_cli.main import _setup_logging, build_app, flush_logs

SECRET = "hunter2-Gq7zK"
PHONE = "+1 555 123 4567"
API_KEY = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2"


@pytest.fixture
def logged(env: dict[str, str]) -> Iterator[Path]:
    """The command line's log handlers on the test's home (removed afterwards)."""
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[observability]\nlog_files = 3\nlog_file_mb = 0.002\nlog_level = "debug"\n'
    )
    _setup_logging(State(flags={"home": str(home)}), verbose=False)
    yield home / "logs"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_assistant", False):
            root.removeHandler(handler)
            handler.close()


def test_a_line_is_one_json_event_with_secrets_and_phone_numbers_redacted() -> None:
    try:
        raise ValueError(f"the key {API_KEY} was refused")
    except ValueError as exc:
        record = logging.LogRecord(
            "assistant.conversation.pipeline",
            logging.WARNING,
            __file__,
            1,
            "message from %s: my password is %s",
            (PHONE, SECRET),
            (type(exc), exc, exc.__traceback__),
        )
    record.__dict__.update(event="reply", duration_ms=12.5, sender=PHONE, ids=["01J1", "01J2"])
    line = JsonFormatter().format(record)
    assert "\n" not in line
    for leak in (SECRET, PHONE, API_KEY, "5551234567"):
        assert leak not in line
    data = json.loads(line)
    assert data["component"] == "conversation" and data["event"] == "reply"
    assert data["level"] == "warning" and data["duration_ms"] == 12.5
    assert data["ids"] == ["01J1", "01J2"] and "[redacted phone]" in data["sender"]
    assert "[redacted password]" in data["message"] and "ValueError" in data["error"]
    assert data["time"].endswith("+00:00")


def test_ids_pass_as_they_are_and_a_secret_of_an_ids_length_does_not() -> None:
    ids = [new_id() for _ in range(20)]
    record = logging.LogRecord("assistant.conversation.pipeline", 20, "", 1, "answered", (), None)
    record.__dict__.update(memories=ids, card="my card 4111 1111 1111 1111 exp 09/29")
    data = json.loads(JsonFormatter().format(record))
    assert data["memories"] == ids
    assert "4111" not in data["card"]


def test_a_date_is_not_taken_for_a_phone_number() -> None:
    record = logging.LogRecord("assistant.service", 20, "", 1, "due 2026-12-03 10:00", (), None)
    assert json.loads(JsonFormatter().format(record))["message"] == "due 2026-12-03 10:00"


def test_rotation_keeps_the_configured_number_of_files(logged: Path) -> None:
    log = logging.getLogger("assistant.vault.watch")
    for index in range(400):
        log.info("batch %d indexed", index, extra={"event": "indexed", "count": index})
    flush_logs()  # written by the log's own thread
    files = log_files(logged)
    assert len(files) == 3, files
    assert [f.name for f in files] == ["assistant.log.2", "assistant.log.1", "assistant.log"]
    for file in files:
        for line in file.read_text().splitlines():
            assert json.loads(line)["component"] == "vault"


def test_a_secret_said_in_chat_never_reaches_the_log(env: dict[str, str]) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('embedder = "hash"\n')
    runner = CliRunner()
    said = f"my bank password is {SECRET} and my number is {PHONE}, key {API_KEY}"
    for args in (["--debug", "ask", said], ["--debug", "remember", f"call me on {PHONE}"]):
        result = runner.invoke(build_app(), args)
        assert result.exit_code == 0, result.output
    text = "".join(f.read_text() for f in log_files(home / "logs"))
    assert '"event": "reply"' in text  # the turn was logged …
    for leak in (SECRET, PHONE, API_KEY, "555 123"):
        assert leak not in text  # … and nothing said in it


def test_assistant_logs_filters_and_prints(logged: Path) -> None:
    logging.getLogger("assistant.service").warning("bridge sms did not start: refused")
    logging.getLogger("assistant.vault.watch").info("indexed 3 notes", extra={"event": "indexed"})
    logging.getLogger("assistant.vault.watch").debug("quiet")
    runner = CliRunner()
    shown = runner.invoke(build_app(), ["logs", "--level", "warning"])
    assert shown.exit_code == 0, shown.output
    assert "bridge sms did not start" in shown.stdout and "indexed 3" not in shown.stdout
    vault = runner.invoke(build_app(), ["logs", "--component", "vault", "--json"])
    rows = [json.loads(line) for line in vault.stdout.splitlines()]
    assert [r["event"] for r in rows] == ["indexed"]
    everything = runner.invoke(build_app(), ["logs", "--level", "debug", "--since", "5m"])
    assert "quiet" in everything.stdout and "indexed" in everything.stdout
    bad = runner.invoke(build_app(), ["logs", "--since", "yesterday-ish"])
    assert bad.exit_code == 1 and "neither a span nor a date" in bad.stderr


def test_follow_sees_new_lines_across_a_rotation(logged: Path) -> None:
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        for entry in follow(
            logged, LogFilter(component="consolidation"), poll=0.02, stopped=done.is_set
        ):
            seen.append(entry.message)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.2)
    log = logging.getLogger("assistant.consolidation.runner")
    for index in range(60):  # more than one file's worth: the file rotates under the reader
        log.info("run %d finished", index)
        time.sleep(0.005)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "run 59 finished" not in seen:
        time.sleep(0.05)
    done.set()
    reader.join(5)
    assert "run 0 finished" in seen and "run 59 finished" in seen


def test_since_reads_spans_and_dates() -> None:
    assert parse_since("10m", 10_000.0) == 9_400.0
    assert parse_since("2h", 10_000.0) == 2_800.0
    assert parse_since("2026-12-03T10:00+00:00", 0.0) == 1796292000.0


def test_the_older_plain_lines_are_read_too() -> None:
    entry = parse_line("2026-11-30 09:15:02,120 WARNING assistant.courier: gave up sending")
    assert entry is not None and entry.component == "courier" and entry.level == "warning"


def test_verbose_shows_the_assistant_s_records_and_only_a_library_s_warnings(
    logged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = logged.parent
    _setup_logging(State(flags={"home": str(home)}), verbose=True)
    logging.getLogger("assistant.vault.watch").debug("indexed 2 notes")
    logging.getLogger("asyncio").debug("Using selector: EpollSelector")
    logging.getLogger("git.cmd").warning("git is missing")
    shown = capsys.readouterr().err
    assert "indexed 2 notes" in shown and "git is missing" in shown
    assert "Using selector" not in shown


def test_a_component_with_no_lines_is_told_with_the_components_there(logged: Path) -> None:
    logging.getLogger("assistant.service").info("serve started", extra={"event": "started"})
    flush_logs()
    shown = CliRunner().invoke(build_app(), ["logs", "--component", "serve"])
    assert shown.exit_code == 0 and shown.stdout == ""
    assert "No log lines of 'serve' match" in shown.stderr and "service" in shown.stderr
