"""``assistant export``, ``assistant import`` and ``assistant forget --purge``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from assistant_cli.main import build_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


@pytest.fixture
def cli(minilm: object) -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(build_app(), list(args), input=input)


def test_export_to_a_file_and_import_it_back(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "remember", "My sister Anna lives in Lyon", "--tag", "family")
    target = tmp_path / "out.jsonl"
    result = run(cli, "export", "--format", "jsonl", "--to", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Exported 1 memory to" in result.stderr and result.stdout == ""
    lines = target.read_text().splitlines()
    assert json.loads(lines[0]) == {"format": "assistant-export", "version": 1}
    assert json.loads(lines[1])["memory"]["tags"] == ["family"]
    result = run(cli, "import", str(target))
    assert result.exit_code == 0 and "Imported 0 memories" in result.stderr
    assert "1 already kept" in result.stderr


def test_export_never_replaces_a_file_without_force(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "remember", "My sister Anna lives in Lyon")
    mine = tmp_path / "mine"
    mine.mkdir()
    target = mine / "notes.txt"
    target.write_text("important stuff\n")
    result = run(cli, "export", "--to", str(target))
    assert result.exit_code != 0 and "already exists" in result.stderr
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "important stuff\n"
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    result = run(cli, "export", "--to", str(mine))
    assert result.exit_code != 0 and "Not exported" in result.stderr
    result = run(cli, "export", "--to", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert "My sister Anna lives in Lyon" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o600


def test_import_dry_run_into_a_new_home_creates_no_home(
    cli: CliRunner, env: dict[str, str]
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    result = run(cli, "import", str(FIXTURES / "notes"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Would import 4 memories" in result.stderr and "Nothing was written" in result.stderr
    made = sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) if home.exists() else []
    assert [p for p in made if not p.startswith("logs")] == []


def test_import_dry_run_and_a_clear_error(cli: CliRunner) -> None:
    result = run(cli, "import", str(FIXTURES / "mem0_v1_list.json"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Would import 2 memories" in result.stderr and "Nothing was written" in result.stderr
    assert json.loads(run(cli, "list", "--json").stdout) == []
    result = run(cli, "import", str(FIXTURES / "malformed.json"))
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "Traceback" not in result.stderr


def test_forget_purge_by_words_asks_then_removes_it_everywhere(
    cli: CliRunner, env: dict[str, str]
) -> None:
    memory_id = run(cli, "remember", "Quillon hides the spare key under the heron").stdout.strip()
    assert run(cli, "vault", "git", "init").exit_code == 0
    result = run(cli, "forget", "--purge", "spare key heron", input="n\n")
    assert result.exit_code == 1
    assert json.loads(run(cli, "list", "--json").stdout)[0]["id"] == memory_id
    result = run(cli, "forget", "--purge", "spare key heron", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == memory_id  # (the runner echoes input)
    assert "Purged" in result.stderr and " 1 note," in result.stderr
    assert "git history still holds" in result.stderr and "forget-history" in result.stderr
    assert json.loads(run(cli, "list", "--json", "--status", "archived").stdout) == []
    vault = Path(env["ASSISTANT_HOME"]) / "vault"
    assert not [p for p in vault.rglob("*.md") if "heron" in p.read_text().lower()]
    guidance = run(cli, "vault", "git", "forget-history")
    assert guidance.exit_code == 0 and "git filter-repo --replace-text" in guidance.stdout
    assert run(cli, "vault", "compact").exit_code == 0


def test_purge_counts_in_words_and_no_git_warning_without_git(
    cli: CliRunner, env: dict[str, str]
) -> None:
    home = Path(env["ASSISTANT_HOME"])
    said = "hello!\nMy cousin Lea lives in Marseille.\nI love playing chess on Sundays.\n/quit\n"
    assert run(cli, "chat", input=said).exit_code == 0
    kept = json.loads(run(cli, "list", "--json").stdout)
    lea = [m for m in kept if "Lea" in m["text"]]
    assert len(lea) == 1, kept
    result = run(cli, "forget", "--purge", lea[0]["id"], "--yes")
    assert result.exit_code == 0, result.stderr
    message = " ".join(result.stderr.split())
    assert "1 note, 1 thing you said, 2 logged messages" in message
    assert "git" not in message and not (home / "vault" / ".git").exists()


def test_purge_by_words_finds_archived_and_replaced_memories(cli: CliRunner) -> None:
    archived = run(cli, "remember", "Wobblesworth is my neighbour's tortoise").stdout.strip()
    assert run(cli, "forget", archived, "--yes").exit_code == 0
    result = run(cli, "forget", "--purge", "Wobblesworth", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == archived
    old = run(cli, "remember", "I work at Fizzbuzzco").stdout.strip()
    new = run(cli, "remember", "I quit Fizzbuzzco, starting at Quuxcorp monday").stdout.strip()
    assert run(cli, "forget", old, "--yes").exit_code == 0
    result = run(cli, "forget", "--purge", "Fizzbuzzco", "--yes")
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted([old, new])
    every = json.loads(run(cli, "list", "--json", "--status", "all").stdout)
    assert not [m for m in every if "Fizzbuzzco" in m["text"]]
