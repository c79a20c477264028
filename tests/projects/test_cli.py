"""``assistant project …`` end to end, bad names included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from assistant_cli.main import build_app


@pytest.fixture
def cli(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(build_app(), list(args))


def test_new_use_remember_list_show_archive(cli: CliRunner) -> None:
    made = run(cli, "project", "new", "Apollo", "--goal", "Ship the beta", "--use")
    assert made.exit_code == 0, made.stderr
    assert "Assistant/Projects/Apollo/Apollo.md" in made.stdout
    remembered = run(cli, "remember", "The beta ships with dark mode", "--json")
    assert json.loads(remembered.stdout)["path"].startswith("Assistant/Projects/Apollo/")
    listed = json.loads(run(cli, "project", "list", "--json").stdout)
    assert listed == [
        {
            "name": "Apollo",
            "id": listed[0]["id"],
            "status": "active",
            "goal": "Ship the beta",
            "people": [],
            "created": listed[0]["created"],
            "path": "Assistant/Projects/Apollo/Apollo.md",
            "in_use": True,
            "memories": 1,
        }
    ]
    shown = run(cli, "project", "show")
    assert "Goal: Ship the beta" in shown.stdout and "dark mode" in shown.stdout
    assert run(cli, "project", "use", "none").stdout.strip() == "No project in use."
    assert run(cli, "project", "archive", "apollo").exit_code == 0
    assert run(cli, "project", "list").stdout.startswith("No projects yet")
    archived = run(cli, "project", "list", "--archived").stdout
    assert "Apollo (archived)  1 memory" in archived
    refused = run(cli, "project", "use", "Apollo")
    assert refused.exit_code != 0 and "archived" in refused.stderr


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Work/Secret", "slash"),
        ("../escape", "slash"),
        (".hidden", "begin and end"),
        ("v2.", "begin and end"),
        ("Launch 🚀", "but not 🚀"),
        ("x" * 300, "at most 64 characters"),
        ("", "needs a name"),
        ("none", "reserved"),
        ("CON", "reserved"),
        ("A:B", "but not :"),
    ],
)
def test_bad_names_are_refused_with_a_reason(cli: CliRunner, name: str, why: str) -> None:
    result = run(cli, "project", "new", name)
    assert result.exit_code != 0
    assert why in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_names_differing_only_in_case_are_one_project(cli: CliRunner) -> None:
    assert run(cli, "project", "new", "Apollo").exit_code == 0
    twin = run(cli, "project", "new", "APOLLO")
    assert twin.exit_code != 0 and "already exists" in twin.stderr
    assert run(cli, "project", "use", "apollo").stdout.strip() == "Working in Apollo."
    assert run(cli, "project", "new", "Café").exit_code == 0  # letters of any script
    assert run(cli, "project", "new", "Q3 report (draft) - v2.1").exit_code == 0


def test_archiving_the_project_in_use_says_so(cli: CliRunner) -> None:
    assert run(cli, "project", "new", "Apollo", "--use").exit_code == 0
    archived = run(cli, "project", "archive", "Apollo")
    assert archived.exit_code == 0, archived.stderr
    assert "Apollo was in use; new memories now go to global memory." in archived.stdout
    assert run(cli, "project", "new", "Zeus").exit_code == 0
    quiet = run(cli, "project", "archive", "Zeus")
    assert "in use" not in quiet.stdout


def test_a_sync_that_finds_the_project_in_use_gone_says_so(
    cli: CliRunner, env: dict[str, str]
) -> None:
    assert run(cli, "project", "new", "Apollo", "--use").exit_code == 0
    assert run(cli, "remember", "The beta ships with dark mode").exit_code == 0
    folder = next(Path(env["ASSISTANT_HOME"]).rglob("Assistant/Projects/Apollo"))
    shutil.rmtree(folder)
    synced = run(cli, "vault", "sync")
    assert "new memories now go to global memory" in synced.stdout, synced.stdout
    again = run(cli, "vault", "sync")
    assert "global memory" not in again.stdout  # said once


def test_counts_are_plural_only_when_more_than_one(cli: CliRunner) -> None:
    assert run(cli, "project", "new", "Apollo", "--use").exit_code == 0
    assert run(cli, "remember", "The beta ships with dark mode").exit_code == 0
    assert "Apollo  1 memory" in run(cli, "project", "list").stdout
    assert "global  0 memories" in run(cli, "project", "list").stdout
    assert "1 memory\n" in run(cli, "project", "show", "Apollo").stdout


def test_reopening_an_active_project_says_it_is_already_active(cli: CliRunner) -> None:
    assert run(cli, "project", "new", "Apollo").exit_code == 0
    again = run(cli, "project", "reopen", "Apollo")
    assert again.exit_code == 0 and again.stdout.strip() == "Apollo is already active."
    run(cli, "project", "archive", "Apollo")
    assert run(cli, "project", "reopen", "Apollo").stdout.strip() == "Reopened Apollo."
