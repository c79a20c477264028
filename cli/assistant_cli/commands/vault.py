"""``assistant vault``: see and apply changes made to the vault outside the assistant."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

if TYPE_CHECKING:
    from assistant.vault.sync import SyncReport

app = typer.Typer(no_args_is_help=True, help="The Obsidian vault: status and sync.")


def register(root: typer.Typer) -> None:
    """Add the ``vault`` group to ``root``."""
    root.add_typer(app, name="vault")


@app.command()
def status(ctx: typer.Context) -> None:
    """List notes changed since they were indexed, and files that cannot be used."""
    report = state(ctx).open().memories.pending_changes()
    _print(report, pending=True)
    if report.invalid:
        raise typer.Exit(ExitStatus.ERROR)


@app.command()
def sync(ctx: typer.Context) -> None:
    """Index the vault's changes now (new, edited, moved and deleted notes)."""
    report = state(ctx).open().sync_vault()
    _print(report, pending=False)
    if report.invalid:
        raise typer.Exit(ExitStatus.ERROR)


@app.command()
def pages(ctx: typer.Context) -> None:
    """Rewrite every generated page: your profile, people, topics and days."""
    assistant = state(ctx).open()
    report = assistant.refresh_pages(everything=True, edited=None)
    for line in report.edits:
        render.out.print(line)
    render.err.print(f"Wrote {len(report.written)} pages under {assistant.layout.root}.")


def _print(report: SyncReport, *, pending: bool) -> None:
    verb = "to index" if pending else "indexed"
    lines = [
        *(f"new       {m.path}" for m, _ in report.new),
        *(f"edited    {m.path}" for m, _ in report.modified if m.id not in _moved(report)),
        *(f"moved     {old} → {new}" for _, old, new in report.moves),
        *(f"deleted   {memory_id}" for memory_id in report.deleted),
        *(f"no id     {path}" for path in report.unnumbered),
    ]
    for line in lines:
        render.out.print(line, markup=False, highlight=False)
    for path, reason in report.invalid:
        render.out.print(f"invalid   {path}: {reason} (left untouched)", markup=False)
    for notice in report.notices:
        render.out.print(notice, markup=False, highlight=False)
    if not lines and not report.invalid:
        render.err.print("The index matches the vault.")
    else:
        changes = f"{len(lines)} change{'' if len(lines) == 1 else 's'}"
        invalid = f"{len(report.invalid)} invalid file{'' if len(report.invalid) == 1 else 's'}"
        render.err.print(f"{changes} {verb}, {invalid}.")


def _moved(report: SyncReport) -> set[str]:
    return {memory_id for memory_id, _, _ in report.moves}


@app.command()
def compact(ctx: typer.Context) -> None:
    """Rewrite the indexes, records and caches from their live rows, so deleted data leaves
    the files (a purge does it itself; run this when it could not finish)."""
    from assistant.transfer.purge import compact as compacting

    compacting(state(ctx).open())
    render.err.print("Compacted the indexes, records and caches.")


git_app = typer.Typer(no_args_is_help=True, help="Keep the vault's history in git.")
app.add_typer(git_app, name="git")


@git_app.command("init")
def git_init(ctx: typer.Context) -> None:
    """Make the vault a git repository (or use the existing one) and commit its memories."""
    from assistant import paths
    from assistant.vault.history import VaultHistory
    from assistant.vault.layout import VaultLayout

    settings = state(ctx).settings()
    VaultLayout(settings.vault).ensure(paths.template_vault())  # a fresh home's vault first
    result = VaultHistory(settings.vault, everything=settings.git_whole_vault).init()
    render.err.print(result.message)
    if not result.ok:
        raise typer.Exit(ExitStatus.ERROR)


@git_app.command("sync")
def git_sync(
    ctx: typer.Context,
    remote: str = typer.Option(None, "--remote", help="Remote to pull from and push to."),
) -> None:
    """Commit pending changes, then pull and push the remote."""
    from assistant.vault.history import VaultHistory

    settings = state(ctx).settings()
    history = VaultHistory(settings.vault, everything=settings.git_whole_vault)
    committed = history.commit("Assistant: changes made in the vault")
    render.err.print(committed.message)
    target = remote or settings.git_remote or "origin"
    result = history.pull_push(target)
    render.err.print(result.message)
    if not (committed.ok and result.ok):
        raise typer.Exit(ExitStatus.ERROR)


@git_app.command("forget-history")
def git_forget_history(ctx: typer.Context) -> None:
    """How to remove purged text from the vault's git history: a purge removes a memory
    from the files, but older commits keep it until the history is rewritten."""
    vault = state(ctx).settings().vault
    tracked = (vault / ".git").exists()
    render.out.print(
        "\n".join(
            [
                f"Vault: {vault}" + ("" if tracked else " (not a git repository: nothing to do)"),
                "",
                "Commits made before a purge still hold the purged memory. To rewrite them",
                "(this changes every later commit's id; other clones must be cloned again):",
                "",
                "  1. Install git-filter-repo:   pip install git-filter-repo",
                "  2. Write the words to remove, one per line, in a file OUTSIDE the vault:",
                "       regex:(?i)words of the purged memory==>[purged]",
                f"  3. cd {vault}",
                "     git filter-repo --replace-text /path/to/words.txt --force",
                "  4. Drop the note's old file names too (they hold its first words):",
                "     git filter-repo --invert-paths --path-glob '*words of the memory*' --force",
                "  5. With a remote: git push --force --all, then delete the words file.",
            ]
        ),
        markup=False,
        highlight=False,
    )
