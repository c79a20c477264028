"""A dry run of an import that creates no home.

Opening a home prepares it (its folders, its databases, the vault's template notes), so a
dry run into a home not made yet would leave one behind. There, the import is tried on an
empty home in a temporary folder, deleted afterwards: an empty home keeps nothing the
import could duplicate, so the report is the same. A home already in use is read as it is.

Usage::

    report = preview(settings, Path("mem0-export.json"))
    report.added, report.duplicates
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from assistant import paths
from assistant.core import Assistant
from assistant.models.base import Embedder
from assistant.settings import Settings
from assistant.transfer.importer import Importer, ImportReport


def preview(
    settings: Settings, source: Path, fmt: str = "auto", *, embedder: Embedder | None = None
) -> ImportReport:
    """What importing ``source`` into the home of ``settings`` would do, writing nothing
    there (see the module)."""
    if made(settings):
        with Assistant(settings, embedder=embedder, warm=False) as assistant:
            return Importer(assistant).run(source, fmt, dry_run=True)
    with tempfile.TemporaryDirectory(prefix="assistant-dry-run-") as scratch:
        home = Path(scratch)
        trial = replace(settings, home=home, vault=home / "vault", git_autocommit=False)
        with Assistant(trial, embedder=embedder, warm=False) as assistant:
            return Importer(assistant).run(source, fmt, dry_run=True)


def made(settings: Settings) -> bool:
    """Whether the home of ``settings`` exists already: its index, or its vault."""
    return paths.duckdb_file(settings.home).exists() or settings.vault.exists()
