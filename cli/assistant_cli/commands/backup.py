"""``assistant backup``: make, check, list and restore backups of the home."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import typer

from assistant.backup.errors import PassphraseError
from assistant_cli import render
from assistant_cli.context import state
from assistant_cli.status import ExitStatus

app = typer.Typer(
    no_args_is_help=True,
    help="Backups of the vault, the records and the settings: create, verify, list, restore.",
)


def register(root: typer.Typer) -> None:
    """Add the ``backup`` group to ``root``."""
    root.add_typer(app, name="backup")


def _passphrase(*, confirm: bool = False) -> str:
    """The passphrase from the environment or the keyring, else asked for at a terminal."""
    from assistant.backup.crypto import find_passphrase

    try:
        return find_passphrase(os.environ)
    except PassphraseError:
        if not sys.stdin.isatty():
            raise
    return str(typer.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm))


@app.command()
def create(
    ctx: typer.Context,
    to: Path = typer.Option(None, "--to", help="Folder for the archive (default: [backup] dir)."),
    encrypt: bool = typer.Option(None, "--encrypt/--plain", help="Encrypt with the passphrase."),
    verify: bool = typer.Option(False, "--verify", help="Read the archive back and check it."),
) -> None:
    """Back up the vault, the records and the settings (never a secret) into one archive."""
    from assistant.backup.create import create_backup
    from assistant.records import open_database

    settings = state(ctx).settings()
    sealed = settings.backup.encrypt if encrypt is None else encrypt
    passphrase = _passphrase(confirm=True) if sealed else None
    db = open_database(settings)
    try:
        result = create_backup(
            settings, db, environ=os.environ, target=to, passphrase=passphrase, verify=verify
        )
    finally:
        db.close()
    c = result.manifest.counts
    render.out.print(str(result.path), markup=False)
    render.err.print(
        f"{c.memories} memories, {c.turns} turns, {c.reminders} reminders; "
        f"{result.size / 2**20:.1f} MiB in {result.seconds:.1f} s"
        + (", encrypted" if result.encrypted else "")
        + (", verified" if result.verified else "")
    )
    if result.remote:
        render.err.print(f"copied to {render.shown(result.remote)}")
    for name in result.removed:
        render.err.print(f"retention removed {render.shown(name)}")
    for problem in result.problems:
        render.err.print(f"[yellow]{render.shown(problem)}[/]")
    if result.problems:
        raise typer.Exit(ExitStatus.ERROR)


@app.command()
def verify(archive: Path = typer.Argument(..., help="The archive to check.")) -> None:
    """Read an archive through and check every file against its manifest."""
    from assistant.backup.archive import verify_archive

    manifest = verify_archive(archive, _passphrase)
    c = manifest.counts
    render.out.print(
        f"{archive.name}: ok, {len(manifest.files)} files, {c.memories} memories, "
        f"{c.turns} turns, {c.reminders} reminders (made {manifest.created})",
        markup=False,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    remote: bool = typer.Option(False, "--remote", help="List the S3 copies instead."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The archives there are, newest first."""
    from assistant.backup.catalog import list_local, list_remote

    settings = state(ctx).settings()
    if remote:
        entries = list_remote(settings.backup, os.environ)
    else:
        entries = list_local(settings.backup.folder(settings.home))
    if as_json:
        render.emit_json([{**vars(e), "counts": e.counts and vars(e.counts)} for e in entries])
        return
    if not entries:
        render.err.print("No backups yet: assistant backup create")
        return
    # Plain lines, not a table: a table fits its cells to the terminal and would cut the
    # archive name, which must stay whole to be copied into `backup restore`.
    row = "{:<16}  {:>9}  {:>9}  {:>5}  {}"
    render.out.print(row.format("made (UTC)", "size", "memories", "turns", "archive"))
    for e in entries:
        made = e.created.strftime("%Y-%m-%d %H:%M")
        size = f"{e.size / 2**20:.1f} MiB" if e.size else ""
        counts = e.counts
        memories = str(counts.memories) if counts else ("encrypted" if e.encrypted else "")
        turns = str(counts.turns) if counts else ""
        render.out.print(
            render.shown(row.format(made, size, memories, turns, e.name)), soft_wrap=True
        )
        if e.problem:
            render.out.print(f"  [yellow]{render.shown(e.problem)}[/]")


@app.command()
def restore(
    ctx: typer.Context,
    archive: str = typer.Argument(..., help="The archive (with --remote: its name in S3)."),
    home: Path = typer.Option(None, "--home", help="Home to restore into (default: the home)."),
    force: bool = typer.Option(False, "--force", help="Restore into a home that is not empty."),
    remote: bool = typer.Option(False, "--remote", help="Fetch the archive from S3 first."),
) -> None:
    """Restore an archive into an empty home, rebuild its indexes and check it."""
    from assistant.backup.catalog import fetch_remote
    from assistant.backup.restore import restore_backup

    current = state(ctx)
    if home:
        current.use_home(home)  # its settings, and its log file, not the default home's
    flags = current.flags
    path = fetch_remote(archive, flags, os.environ) if remote else Path(archive)
    report = restore_backup(
        path,
        flags,
        os.environ,
        _passphrase,
        force=force,
        on_step=lambda step: render.err.print(f"{step}…"),
    )
    c = report.counts
    verb = "Finished the interrupted restore" if report.resumed else "Restored"
    render.err.print(
        f"{verb} into {render.shown(str(report.home))}: {c.memories} memories, {c.turns} turns, "
        f"{c.reminders} reminders, {c.costs} cost entries in {report.seconds:.1f} s."
    )
    if report.set_aside is not None:
        render.err.print(f"What the home held before is in {render.shown(str(report.set_aside))}.")
    for warning in report.warnings:
        render.err.print(f"[yellow]{render.shown(warning)}[/]")
    for problem in report.problems:
        render.err.print(f"[red]{render.shown(problem)}[/]")
    if not report.ok:
        raise typer.Exit(ExitStatus.ERROR)
    if remote:  # the downloaded copy has served its purpose
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()
