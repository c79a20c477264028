"""Where the assistant keeps its files. Computed when called, never at import."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "assistant"
PRIVATE = 0o700
"""The mode of the folders the assistant makes for its data: its owner's only."""


def home_dir(environ: Mapping[str, str], override: str | Path | None = None) -> Path:
    """The data directory: ``override`` (a flag), else ``ASSISTANT_HOME``, else the platform's."""
    if override:
        return Path(override).expanduser().resolve()
    if environ.get("ASSISTANT_HOME"):
        return Path(environ["ASSISTANT_HOME"]).expanduser().resolve()
    import platformdirs  # only here: a command given its home starts without it

    return platformdirs.user_data_path(APP_NAME).resolve()


def model_cache_dir(environ: Mapping[str, str]) -> Path:
    """Shared cache of derived model files (the ONNX export of MiniLM), reused across homes."""
    if environ.get("ASSISTANT_MODEL_CACHE"):
        return Path(environ["ASSISTANT_MODEL_CACHE"]).expanduser().resolve()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME).resolve() / "models"


def config_file(home: Path) -> Path:
    """``config.toml`` in the home: settings only, never secrets."""
    return home / "config.toml"


def index_dir(home: Path) -> Path:
    """Derived indexes (DuckDB, LanceDB): only what ``reindex`` rebuilds from the vault, so
    deleting it loses nothing."""
    return home / "index"


def duckdb_file(home: Path) -> Path:
    """The relational index: notes, links, generated pages (rebuildable)."""
    return index_dir(home) / "assistant.duckdb"


def records_dir(home: Path) -> Path:
    """Operational records, which nothing can rebuild and backups must carry."""
    return home / "records"


def records_file(home: Path) -> Path:
    """The records database (tables in ``store.migrations.RECORD_TABLES``): conversations,
    reminders, costs, the review queue, consolidation runs and usage stats."""
    return records_dir(home) / "records.duckdb"


def lance_dir(home: Path) -> Path:
    """The LanceDB database holding every memory's text, properties and vector."""
    return index_dir(home) / "lance"


def cache_dir(home: Path) -> Path:
    """diskcache directories (embedding cache); safe to delete."""
    return home / "cache"


JUDGE_MEMO = "pair-judge"
"""The folder of :func:`cache_dir` keeping the pair judge's verdicts."""
READER_MEMO = "pair-reader"
"""The folder of :func:`cache_dir` keeping the pair reader's answers."""
MEMOS = (JUDGE_MEMO, READER_MEMO)
"""The memos keyed by hashes of pairs of memory texts (a purge empties them)."""


def input_history(home: Path) -> Path:
    """The lines typed at the chat prompt (readline's history file), for the up arrow."""
    return home / "history"


def log_dir(home: Path) -> Path:
    """Rotating log files."""
    return home / "logs"


def template_vault() -> Path:
    """The vault template shipped at the top of the source tree (``vault/``)."""
    return Path(__file__).resolve().parent.parent / "vault"


def private_dir(folder: Path) -> Path:
    """Make ``folder`` (and any missing folder above it) readable by its owner only; returns
    it. An existing folder others may enter is tightened once, with a log line; a mode
    stricter than 0700 is never loosened; a file in its place is left as it is. Raises
    OSError when it cannot be made."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(mode=PRIVATE, exist_ok=True)  # each level, not only the last
    folder = missing[0] if missing else folder
    if not folder.is_dir():  # a file where the folder should be: not ours to change
        raise NotADirectoryError(f"{folder} is not a folder")
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077 and not missing:
        import logging  # (a command that only reads its home never loads it)

        log = logging.getLogger(__name__)
        try:
            os.chmod(folder, mode & ~0o077)
        except OSError as exc:  # not its owner: leave it, and say so
            log.warning("could not make %s private (mode %04o): %s", folder, mode, exc)
        else:
            log.warning(
                "made %s private to its owner: mode %04o is now %04o", folder, mode, mode & ~0o077
            )
    return folder
