"""Git history of the vault, on real repositories in temp directories."""

import subprocess
from dataclasses import replace
from pathlib import Path

import git
import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.models.fakes import HashEmbedder
from assistant.settings import Settings
from assistant.vault.history import VaultHistory
from assistant_cli.main import build_app
from tests.vault.test_watch import wait_for


def log_of(vault: Path) -> list[str]:
    return [c.summary for c in git.Repo(vault).iter_commits()]


def open_hashed(settings: Settings) -> Assistant:
    return Assistant(settings, embedder=HashEmbedder())


def test_init_then_each_session_is_one_commit_of_assistant_files(settings: Settings) -> None:
    with open_hashed(settings) as a:
        a.memories.add("A memory from before git")
    vault = settings.vault
    (vault / "Journal.md").write_text("the user's own note, not the assistant's")
    result = VaultHistory(vault).init()
    assert result.ok and "Created" in result.message
    repo = git.Repo(vault)
    tracked = repo.git.ls_files().splitlines()
    assert any(p.startswith("Assistant/Memories/") for p in tracked)
    assert "Journal.md" not in tracked and ".gitignore" in tracked

    with open_hashed(settings) as a:
        a.memories.add("My sister Anna lives in Lyon")
        first = a.memories.add("Dentist on March 3")
        a.memories.forget(first.id)
    assert log_of(vault)[0] == "Assistant: remembered 2, forgot 1"
    body = repo.head.commit.message
    assert "- remembered: My sister Anna lives in Lyon" in body
    assert "Journal.md" in repo.untracked_files  # never swept in
    assert not repo.is_dirty(path="Assistant")

    with open_hashed(settings) as a:  # nothing changed: no empty commit
        a.memories.search("Anna")
    assert len(log_of(vault)) == 2


def test_no_repository_means_no_history_and_no_error(settings: Settings) -> None:
    with open_hashed(settings) as a:
        a.memories.add("Plain vault")
        result = a.commit_history()
        assert result is not None and not result.ok and "not a git repository" in result.message
        assert a.commit_history() is None  # the journal was consumed: nothing pending
    assert not (settings.vault / ".git").exists()
    assert VaultHistory(settings.vault).commit("x").message == "the vault is not a git repository"


def test_detached_head_and_merge_in_progress_are_reported(settings: Settings) -> None:
    with open_hashed(settings) as a:
        a.memories.add("First")
    history = VaultHistory(settings.vault)
    history.init()
    repo = git.Repo(settings.vault)
    repo.git.checkout("--detach")
    with open_hashed(settings) as a:
        a.memories.add("Written while detached")
        result = a.commit_history()
    assert result is None or not result.ok
    assert "detached" in history.commit("x").message
    repo.git.checkout("-")
    (Path(repo.git_dir) / "MERGE_HEAD").write_text(repo.head.commit.hexsha)
    assert "merge is in progress" in history.commit("x").message


def test_push_to_a_remote_and_an_unreachable_one(settings: Settings, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git.Repo.init(remote, bare=True)
    with open_hashed(settings) as a:
        a.memories.add("Shared across machines")
    history = VaultHistory(settings.vault)
    history.init()
    repo = git.Repo(settings.vault)
    repo.create_remote("origin", str(remote))
    branch = repo.active_branch.name
    repo.git.push("origin", branch)
    result = history.pull_push("origin")
    assert result.ok, result.message
    assert git.Repo(remote).commit(branch).hexsha == repo.head.commit.hexsha

    repo.create_remote("gone", str(tmp_path / "missing.git"))
    result = history.pull_push("gone")
    assert not result.ok and "unreachable" in result.message
    assert not history.pull_push("nowhere").ok


def _shared(settings: Settings, tmp_path: Path) -> tuple[git.Repo, git.Repo]:
    """The vault pushed to a bare remote, and a second machine's clone of it."""
    VaultHistory(settings.vault).init()
    remote = tmp_path / "remote.git"
    git.Repo.init(remote, bare=True)
    repo = git.Repo(settings.vault)
    repo.create_remote("origin", str(remote))
    repo.git.push("-u", "origin", repo.active_branch.name)
    other = git.Repo.clone_from(str(remote), tmp_path / "laptop")
    with other.config_writer() as config:
        config.set_value("user", "name", "Laptop").set_value("user", "email", "l@example.org")
    return repo, other


def test_a_pull_that_conflicts_leaves_the_vault_as_it_was(
    settings: Settings, tmp_path: Path
) -> None:
    with open_hashed(settings) as a:
        memory = a.memories.add("The boiler code is 1234")
    repo, other = _shared(settings, tmp_path)
    theirs = Path(other.working_dir) / memory.path  # type: ignore[operator]
    theirs.write_text(theirs.read_text().replace("1234", "9999"))
    other.git.commit("-am", "edited on the laptop")
    other.git.push()
    ours = settings.vault / memory.path  # type: ignore[operator]
    ours.write_text(ours.read_text().replace("1234", "5678"))
    history = VaultHistory(settings.vault)
    assert history.commit("edited here").ok
    result = history.pull_push("origin")
    assert not result.ok and "conflict" in result.message
    assert "5678" in ours.read_text() and "<<<<<<<" not in ours.read_text()
    assert not (Path(repo.git_dir) / "rebase-merge").exists()
    assert history.commit("still usable").ok


def test_history_is_kept_in_step_with_a_remote_on_a_schedule(
    settings: Settings, tmp_path: Path
) -> None:
    with open_hashed(settings) as a:
        a.memories.add("Already here")
    repo, other = _shared(settings, tmp_path)
    quick = replace(settings, git_remote="origin", git_sync_minutes=0.005)
    problems: list[str] = []
    with open_hashed(quick) as a:
        a.watch_vault()
        a.keep_history(problems.append)
        a.memories.add("Written on the desktop")
        other_note = Path(other.working_dir) / "Assistant" / "Memories" / "Semantic" / "Laptop.md"
        other_note.parent.mkdir(parents=True, exist_ok=True)
        other_note.write_text("Written on the laptop\n")
        other.git.add("-A")
        other.git.commit("-m", "from the laptop")
        other.git.push()
        wait_for(lambda: any("Written on the laptop" in m.text for m in a.memories.list()))
        wait_for(
            lambda: any(
                "Written on the desktop" in c.message
                for c in git.Repo(tmp_path / "remote.git").iter_commits()
            )
        )
    assert problems == []


def test_cli_git_init_and_sync(settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    with open_hashed(settings) as a:
        a.memories.add("Before init")
    result = runner.invoke(build_app(), ["vault", "git", "init"])
    assert result.exit_code == 0 and "git repository" in result.stderr
    remote = tmp_path / "r.git"
    git.Repo.init(remote, bare=True)
    repo = git.Repo(settings.vault)
    repo.create_remote("origin", str(remote))
    repo.git.push("origin", repo.active_branch.name)
    result = runner.invoke(build_app(), ["vault", "git", "sync"])
    assert result.exit_code == 0, result.stderr
    assert "in sync with origin" in result.stderr
    result = runner.invoke(build_app(), ["vault", "git", "sync", "--remote", "nope"])
    assert result.exit_code == 1 and "no remote named" in result.stderr


def test_git_init_on_a_fresh_home_commits_without_an_error(
    settings: Settings, env: dict[str, str]
) -> None:
    assert not settings.vault.exists()
    result = VaultHistory(settings.vault).init()
    assert result.ok and "failed" not in result.message, result.message
    assert git.Repo(settings.vault).git.ls_files().splitlines() == [".gitignore"]

    (settings.home / "fresh").mkdir(parents=True)
    other = {**env, "ASSISTANT_HOME": str(settings.home / "fresh")}
    result = CliRunner().invoke(build_app(), ["vault", "git", "init"], env=other)
    assert result.exit_code == 0, result.stderr
    assert "failed" not in result.stderr and "git repository" in result.stderr
    fresh = settings.home / "fresh" / "vault"
    assert log_of(fresh) and not git.Repo(fresh).is_dirty(path="Assistant")


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's git config."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "--version"], check=True, capture_output=True)


def test_user_files_are_committed_only_when_configured(settings: Settings) -> None:
    with open_hashed(settings) as a:
        a.memories.add("First")
    VaultHistory(settings.vault).init()
    diary = settings.vault / "Diary.md"
    diary.write_text("my own note\n")
    with open_hashed(settings) as a:
        a.memories.add("Second")
    assert "Diary.md" in git.Repo(settings.vault).untracked_files
    with open_hashed(replace(settings, git_whole_vault=True)) as a:
        a.memories.add("Third")
    assert "Diary.md" not in git.Repo(settings.vault).untracked_files
