"""``assistant backup``: create, verify, list and restore from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant_cli.main import build_app


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(build_app(), list(args), env=env)


@pytest.fixture
def made(filled: Assistant, tmp_path: Path) -> Path:
    filled.close()
    done = _run("backup", "create", "--verify", "--to", str(tmp_path / "b"))
    assert done.exit_code == 0, done.stderr
    assert "3 memories, 2 turns, 1 reminders" in done.stderr and "verified" in done.stderr
    return Path(done.stdout.strip())


def test_create_verify_list_and_restore(made: Path, tmp_path: Path) -> None:
    checked = _run("backup", "verify", str(made))
    assert checked.exit_code == 0
    assert "ok, " in checked.stdout and "3 memories" in checked.stdout

    listed = _run("backup", "list", "--json", env={"ASSISTANT_BACKUP_DIR": str(made.parent)})
    assert listed.exit_code == 0
    [entry] = json.loads(listed.stdout)
    assert entry["name"] == made.name and entry["counts"]["memories"] == 3

    restored = _run("backup", "restore", str(made), "--home", str(tmp_path / "new"))
    assert restored.exit_code == 0, restored.stderr
    assert "Restored into" in restored.stderr and "3 memories" in restored.stderr


def test_restore_refuses_a_home_that_is_not_empty(made: Path) -> None:
    refused = _run("backup", "restore", str(made))  # the home it was made from
    assert refused.exit_code == 1
    assert "not empty" in refused.stderr and "Traceback" not in refused.stderr


def test_an_encrypted_backup_needs_its_passphrase(filled: Assistant, tmp_path: Path) -> None:
    filled.close()
    env = {"ASSISTANT_BACKUP_PASSPHRASE": "pw-one"}
    done = _run("backup", "create", "--encrypt", "--to", str(tmp_path), env=env)
    assert done.exit_code == 0, done.stderr
    archive = done.stdout.strip()
    assert archive.endswith(".tar.gz.enc") and "encrypted" in done.stderr

    wrong = _run("backup", "verify", archive, env={"ASSISTANT_BACKUP_PASSPHRASE": "pw-two"})
    assert wrong.exit_code == 1
    assert "Wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    missing = _run("backup", "verify", archive)
    assert missing.exit_code == 1 and "ASSISTANT_BACKUP_PASSPHRASE" in missing.stderr
    assert _run("backup", "verify", archive, env=env).exit_code == 0


def test_list_never_cuts_an_archive_name(made: Path) -> None:
    listed = _run("backup", "list", env={"ASSISTANT_BACKUP_DIR": str(made.parent)})

    assert listed.exit_code == 0, listed.stderr
    assert made.name in listed.stdout.split()
    assert "…" not in listed.stdout


def test_restore_logs_into_the_home_it_restores(made: Path, tmp_path: Path) -> None:
    current = Path(os.environ["ASSISTANT_HOME"])
    target = tmp_path / "new"

    restored = _run("backup", "restore", str(made), "--home", str(target))

    assert restored.exit_code == 0, restored.stderr
    log_file = target / "logs" / "assistant.log"
    assert "rebuilding" in log_file.read_text(encoding="utf-8")
    current_log = current / "logs" / "assistant.log"
    assert "rebuilding" not in current_log.read_text(encoding="utf-8")
