"""The home's database opened for what was said and spent only: the conversation log and the
cost ledger, without the vault, the vectors or the embedding model.

A command that lists the history or the costs needs nothing else, and opening the whole
assistant would import numpy, pyarrow and the learning modules for it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from assistant import paths
from assistant.errors import storage_error
from assistant.settings import Settings
from assistant.store.conversations import ConversationLog
from assistant.store.database import Database
from assistant.store.ledger import CostLedger
from assistant.store.migrations import MIGRATIONS, RECORD_MIGRATIONS


def open_database(settings: Settings) -> Database:
    """The home's database (index with the records attached), as the assistant opens it."""
    return Database(
        paths.duckdb_file(settings.home),
        MIGRATIONS,
        records=paths.records_file(settings.home),
        record_migrations=RECORD_MIGRATIONS,
        timeout=settings.lock_timeout,
        linger=settings.lock_linger,
    )


class Kept(Protocol):
    """What was said and spent: :class:`Records`, or an opened assistant."""

    conversations: ConversationLog
    ledger: CostLedger


class Records:
    """The conversation log and the cost ledger of one home.

    Usage::

        with Records(read_settings({}, os.environ)) as records:
            turns = records.conversations.recent(20)
    """

    def __init__(self, settings: Settings) -> None:
        try:
            for folder in (settings.home, paths.index_dir(settings.home)):
                paths.private_dir(folder)
        except OSError as exc:
            raise storage_error(exc, settings.home, doing="create") from exc
        self.db = open_database(settings)
        self.conversations = ConversationLog(self.db)
        """Every turn, with the memories each one taught."""
        self.ledger = CostLedger(self.db)
        """What every model call cost."""

    def close(self) -> None:
        """Release the database file."""
        self.db.close()

    def __enter__(self) -> Records:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
