"""Git history of the vault: the assistant commits its own changes, and optionally pulls and
pushes a remote, which is how one vault follows its owner across machines.

Every git failure (no repository, detached HEAD, a merge in progress, an unreachable remote)
becomes a short status line: history is a convenience and never stops the assistant.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

AUTHOR = {
    "GIT_AUTHOR_NAME": "Assistant",
    "GIT_AUTHOR_EMAIL": "assistant@localhost",
    "GIT_COMMITTER_NAME": "Assistant",
    "GIT_COMMITTER_EMAIL": "assistant@localhost",
}
GITIGNORE = """\
# Obsidian's per-device state
.obsidian/workspace*.json
.obsidian/cache
.trash/
# temp files of atomic writes
*.tmp
"""


NOT_A_REPOSITORY = "the vault is not a git repository"


@dataclass(frozen=True)
class GitResult:
    """What a git step did: ``ok`` false means it was skipped or failed, ``message`` says why."""

    ok: bool
    message: str

    @property
    def problem(self) -> bool:
        """Whether the user should hear about it: it failed, and not merely because the vault
        has no git history."""
        return not self.ok and self.message != NOT_A_REPOSITORY


class VaultHistory:
    """Commits under the vault's ``Assistant/`` folder (or the whole vault if ``everything``)."""

    def __init__(self, vault: Path, *, everything: bool = False) -> None:
        self.vault = vault
        self.scope = "." if everything else "Assistant"

    def init(self) -> GitResult:
        """Make the vault a git repository (an existing one is kept) and commit its notes."""
        import git

        try:
            repo = git.Repo(self.vault)
            created = False
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            repo = git.Repo.init(self.vault)
            created = True
        ignore = self.vault / ".gitignore"
        if not ignore.exists():
            ignore.write_text(GITIGNORE, encoding="utf-8")
            repo.git.add(".gitignore")
        result = self.commit("Assistant: track the vault's memories")
        verb = "Created" if created else "Using"
        return GitResult(result.ok, f"{verb} a git repository in {self.vault}; {result.message}")

    def commit(self, message: str) -> GitResult:
        """Commit every change under the scope with ``message``; a no-op when nothing changed."""
        repo, refusal = self._usable_repo("not committing")
        if refusal:
            return refusal
        import git

        try:
            if self._scope_exists(repo):  # git refuses a path that matches nothing
                repo.git.add("-A", "--", self.scope)
            if not repo.git.diff("--cached", "--name-only"):
                return GitResult(True, "nothing to commit")
            with repo.git.custom_environment(**AUTHOR):
                repo.git.commit("-m", message, "--no-verify")
        except git.GitCommandError as exc:
            return GitResult(False, f"commit failed: {_first_line(exc)}")
        return GitResult(True, f"committed: {message.splitlines()[0]}")

    def pull_push(self, remote: str = "origin") -> GitResult:
        """Pull (rebasing the assistant's commits) then push; report instead of raising."""
        repo, refusal = self._usable_repo("not syncing")
        if refusal:
            return refusal
        import git

        if remote not in [r.name for r in repo.remotes]:
            return GitResult(False, f"no remote named {remote!r}")
        branch = repo.active_branch.name
        try:
            with repo.git.custom_environment(**AUTHOR, GIT_TERMINAL_PROMPT="0"):
                repo.git.pull("--rebase", "--autostash", remote, branch)
                repo.git.push(remote, branch)
        except git.GitCommandError as exc:
            if (self.vault / ".git" / "rebase-merge").exists():
                repo.git.rebase("--abort")
                return GitResult(False, "pull hit a conflict; left the vault as it was")
            return GitResult(False, f"remote {remote} unreachable or refused: {_first_line(exc)}")
        return GitResult(True, f"in sync with {remote}/{branch}")

    def holds(self, paths: Iterable[Path]) -> bool:
        """Whether a commit of the history holding the vault has a version of one of these
        files (vault-relative): what a purge removed from them stays there. False when the
        vault is in no git repository; True when git cannot tell."""
        import git

        try:
            repo = git.Repo(self.vault, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return False
        wanted = sorted({str(self.vault.resolve() / p) for p in paths})
        if not wanted:
            return False
        try:
            return bool(repo.git.log("--all", "-1", "--format=%H", "--", *wanted))
        except git.GitCommandError as exc:
            log.warning("vault history not read: %s", _first_line(exc))
            return True

    def _scope_exists(self, repo: Any) -> bool:
        """Whether the scope is on disk or tracked (a deleted folder still has changes)."""
        return (self.vault / self.scope).exists() or bool(repo.git.ls_files("--", self.scope))

    def _usable_repo(self, refusing: str) -> tuple[Any, GitResult | None]:
        """The repository, or why git must not be touched now."""
        import git

        try:
            repo = git.Repo(self.vault)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None, GitResult(False, NOT_A_REPOSITORY)
        problem = _unsafe_state(repo)
        return repo, GitResult(False, f"{refusing}: {problem}") if problem else None


def _unsafe_state(repo: Any) -> str:
    git_dir = Path(repo.git_dir)
    if repo.head.is_detached:
        return "HEAD is detached (check out a branch)"
    for marker, what in (
        ("MERGE_HEAD", "a merge is in progress"),
        ("rebase-merge", "a rebase is in progress"),
        ("rebase-apply", "a rebase is in progress"),
        ("CHERRY_PICK_HEAD", "a cherry-pick is in progress"),
    ):
        if (git_dir / marker).exists():
            return f"{what} (finish it in git first)"
    return ""


def _first_line(exc: Exception) -> str:
    text = getattr(exc, "stderr", "") or str(exc)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[-1][:200] if lines else type(exc).__name__
