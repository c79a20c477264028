"""``assistant export`` and ``assistant import``: your memories in and out of other tools."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from assistant.errors import InvalidInputError
from assistant_cli import render
from assistant_cli.context import state


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``import`` to ``app``."""
    app.command("export")(export)
    app.command("import")(import_)


def export(
    ctx: typer.Context,
    fmt: str = typer.Option("json", "--format", "-f", help="json, jsonl or markdown."),
    conversations: bool = typer.Option(
        False, "--conversations", help="Also export the conversations' transcripts."
    ),
    to: Path = typer.Option(
        None, "--to", help="Where to write (a file; a new folder for markdown). Default: stdout."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the file --to names if it exists."),
) -> None:
    """Export every memory with all its properties, status and history links; `assistant
    import` reads it back exactly. An existing file is never replaced without --force, and
    the file is readable by you alone."""
    from assistant.transfer import export as exporting
    from assistant.vault.conversations import ConversationNotes

    if fmt not in exporting.EXPORT_FORMATS:
        raise InvalidInputError(f"unknown format {fmt!r}; use json, jsonl or markdown")
    assistant = state(ctx).open()
    talks = ConversationNotes(assistant.layout) if conversations else None
    if fmt == "markdown":
        if to is None:
            raise InvalidInputError("a markdown export needs a folder: --to DIR")
        report = exporting.write_markdown(assistant.memories, to, conversations=talks)
    else:
        write = exporting.write_json if fmt == "json" else exporting.write_jsonl
        if to is None:
            report = write(assistant.memories, sys.stdout, conversations=talks)
        else:
            _may_write(to, force)
            partial = to.with_name(f".{to.name}.partial")
            with os.fdopen(os.open(partial, _NEW, 0o600), "w", encoding="utf-8") as out:
                report = write(assistant.memories, out, conversations=talks)
            partial.replace(to)
    where = f" to {render.shown(str(to))}" if to is not None else ""
    extra = f" and {render.counted(report.conversations, 'conversation')}" if conversations else ""
    render.err.print(
        f"Exported {render.counted(report.memories, 'memory', 'memories')}{extra}{where}."
    )


_NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
"""How an export's partial file is opened (mode 0600: the memories are the user's alone)."""


def _may_write(to: Path, force: bool) -> None:
    """Refuse a target that is a folder, or an existing file without ``force``."""
    if to.is_dir():
        raise InvalidInputError(
            f"{to} is a folder; give a file to write (a folder only with --format markdown)",
            title="Not exported",
        )
    if (to.exists() or to.is_symlink()) and not force:
        raise InvalidInputError(
            f"{to} already exists; nothing was written. Pass --force to replace it.",
            title="Not exported",
        )
    if not to.parent.is_dir():
        raise InvalidInputError(f"no folder {to.parent} to write into", title="Not exported")


def import_(
    ctx: typer.Context,
    source: Path = typer.Argument(..., metavar="FILE-or-DIR", help="The export to import."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would happen; write nothing."),
    fmt: str = typer.Option(
        "auto",
        "--format",
        "-f",
        help="auto, assistant, mem0, chatgpt, chatgpt-memories, claude or markdown.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import memories: this assistant's export, mem0's, ChatGPT's or Claude's data export,
    or a folder of markdown notes. What is already kept is skipped; secrets are redacted."""
    from dataclasses import asdict

    if dry_run:
        from assistant.transfer.preview import preview

        report = preview(state(ctx).settings(), source, fmt)
    else:
        from assistant.transfer.importer import Importer

        report = Importer(state(ctx).open()).run(source, fmt)
    if as_json:
        render.emit_json(asdict(report))
    for warning in report.warnings:
        render.err.print(f"[yellow]warning:[/] {render.shown(warning)}")
    would = "Would import" if dry_run else "Imported"
    lines = [
        f"{would} {render.counted(report.added, 'memory', 'memories')} from "
        f"{render.shown(report.source)} ({report.tool})",
        f"{report.duplicates} already kept, {report.refused} refused, "
        f"{report.redacted} with secrets redacted",
    ]
    if report.conversations or report.seen_conversations:
        learned = (
            "" if dry_run else f", {render.counted(report.learned, 'memory', 'memories')} learned"
        )
        said = render.counted(report.turns, "thing you said", "things you said")
        lines.append(
            f"{render.counted(report.conversations, 'conversation')} ({said}{learned}); "
            f"{report.seen_conversations} imported before"
        )
    render.err.print("; ".join(lines) + ".")
    if dry_run:
        render.err.print("Nothing was written (--dry-run).")
