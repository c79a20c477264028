"""DuckDB schema migrations, applied in order and recorded in ``_migrations``.

Two files, one connection: the index (``index/assistant.duckdb``, ``MIGRATIONS``) holds only
what ``reindex`` rebuilds from the vault; the records (``records/records.duckdb``, attached as
``records``, ``RECORD_MIGRATIONS``) hold what nothing can rebuild. ``RECORD_TABLES`` is the
one list of which tables are records.
"""

from __future__ import annotations

import duckdb


def m001_notes_usage_links(conn: duckdb.DuckDBPyConnection) -> None:
    """Note index (rebuildable from the vault), usage stats and links."""
    conn.execute(
        """
        CREATE TABLE notes (
            id VARCHAR PRIMARY KEY,
            path VARCHAR NOT NULL,
            checksum VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            created DOUBLE NOT NULL,
            updated DOUBLE NOT NULL,
            indexed_at DOUBLE NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE usage (
            id VARCHAR PRIMARY KEY,
            access_count INTEGER NOT NULL DEFAULT 0,
            last_access DOUBLE
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE links (
            src VARCHAR NOT NULL,
            dst VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            PRIMARY KEY (src, dst, kind)
        )
        """
    )


def m002_conversations_costs_reminders(conn: duckdb.DuckDBPyConnection) -> None:
    """Operational records: conversation turns, the cost ledger and reminders."""
    conn.execute(
        """
        CREATE TABLE turns (
            session VARCHAR NOT NULL,
            occurred DOUBLE NOT NULL,
            channel VARCHAR NOT NULL,
            sender VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            route VARCHAR,
            model VARCHAR,
            memories VARCHAR[],
            interrupted BOOLEAN NOT NULL DEFAULT false
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE costs (
            occurred DOUBLE NOT NULL,
            model VARCHAR NOT NULL,
            provider VARCHAR NOT NULL,
            route VARCHAR NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            dollars DOUBLE NOT NULL,
            strong_dollars DOUBLE NOT NULL,
            latency_ms DOUBLE NOT NULL,
            ok BOOLEAN NOT NULL,
            error VARCHAR
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE reminders (
            id VARCHAR PRIMARY KEY,
            text VARCHAR NOT NULL,
            due DOUBLE,
            created DOUBLE NOT NULL,
            done DOUBLE,
            shown DOUBLE
        )
        """
    )


def m003_pages(conn: duckdb.DuckDBPyConnection) -> None:
    """What the assistant last wrote to each generated vault page, to tell the user's edits
    from its own."""
    conn.execute(
        """
        CREATE TABLE pages (
            path VARCHAR PRIMARY KEY,
            checksum VARCHAR NOT NULL,
            items JSON NOT NULL
        )
        """
    )


def m004_reviews_consolidation_runs(conn: duckdb.DuckDBPyConnection) -> None:
    """The review queue (conflicts waiting for the user) and the log of consolidation runs."""
    conn.execute(
        """
        CREATE TABLE reviews (
            id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            new_id VARCHAR NOT NULL,
            old_id VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            created DOUBLE NOT NULL,
            resolved DOUBLE,
            resolution VARCHAR
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE consolidation_runs (
            id VARCHAR PRIMARY KEY,
            started DOUBLE NOT NULL,
            ended DOUBLE,
            status VARCHAR NOT NULL,
            trigger VARCHAR NOT NULL,
            dry_run BOOLEAN NOT NULL,
            counts JSON NOT NULL,
            errors JSON NOT NULL,
            dollars DOUBLE NOT NULL DEFAULT 0,
            seen BOOLEAN NOT NULL DEFAULT false
        )
        """
    )


def m005_redact_logged_secrets(conn: duckdb.DuckDBPyConnection) -> None:
    """Secrets in turns logged before messages were redacted where they enter."""
    from assistant.learning.pii import redact_secrets

    rows = conn.execute("SELECT rowid, text FROM turns").fetchall()
    changed = [(clean, rowid) for rowid, text in rows if (clean := redact_secrets(text)) != text]
    if changed:
        conn.executemany("UPDATE turns SET text = ? WHERE rowid = ?", changed)


RECORD_TABLES = (
    "usage",
    "turns",
    "costs",
    "reminders",
    "reviews",
    "consolidation_runs",
    "bridge_owners",
    "pairing_codes",
    "bridge_refusals",
    "bridge_optouts",
    "inbox",
    "outbox",
    "purges",
    "imports",
    "checkins",
    "checkin_pauses",
    "backup_runs",
    "active_projects",
)
"""Tables that live in the records file: usage stats, conversations, the cost ledger,
reminders, the review queue, the log of consolidation runs, and the bridges' owners, pairing
codes, refusals, opt-outs, inbox and outbox; the log of purges and what imports took in; the
companion's persona, mood, quirks and needs; the check-ins and the owner's pauses of them;
the project each place works in."""


def r001_records(conn: duckdb.DuckDBPyConnection) -> None:
    """The records tables, as the index held them before they moved out of it."""
    m001_notes_usage_links(conn)
    conn.execute("DROP TABLE notes")
    conn.execute("DROP TABLE links")
    m002_conversations_costs_reminders(conn)
    m004_reviews_consolidation_runs(conn)


def m006_records_apart(conn: duckdb.DuckDBPyConnection) -> None:
    """Move the records out of the index into the records file (attached as ``records``),
    so that deleting ``index/`` loses none of them.

    One DuckDB transaction writes to one file, so the copy commits before the drop; a table
    is copied only into an empty records table, so a move cut short between the two is not
    copied twice when it runs again."""
    catalog = conn.execute("SELECT current_database()").fetchone()
    here = {
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
            [catalog[0] if catalog else ""],
        ).fetchall()
    }
    moving = [t for t in RECORD_TABLES if t in here]
    for table in moving:
        empty = conn.execute(f"SELECT count(*) FROM records.{table}").fetchone() == (0,)
        if empty:
            conn.execute(f"INSERT INTO records.{table} BY NAME SELECT * FROM {table}")
    conn.execute("COMMIT")  # the copies, in the records file
    conn.execute("BEGIN")  # the drops, with the migration's own record, in the index
    for table in moving:
        conn.execute(f"DROP TABLE {table}")


def r002_bridges(conn: duckdb.DuckDBPyConnection) -> None:
    """Who a bridge answers (owners by allow-list live in config.toml; paired ones here), the
    live pairing codes (hashed), when each stranger was last refused (hashed), who said STOP,
    and the durable inbox and outbox of every bridge."""
    conn.execute(
        "CREATE TABLE bridge_owners (channel VARCHAR NOT NULL, sender VARCHAR NOT NULL, "
        "paired DOUBLE NOT NULL, PRIMARY KEY (channel, sender))"
    )
    conn.execute(
        "CREATE TABLE pairing_codes (digest VARCHAR PRIMARY KEY, channel VARCHAR NOT NULL, "
        "created DOUBLE NOT NULL, expires DOUBLE NOT NULL, used DOUBLE)"
    )
    conn.execute(
        "CREATE TABLE bridge_refusals (channel VARCHAR NOT NULL, sender_digest VARCHAR NOT NULL, "
        "refused DOUBLE NOT NULL, PRIMARY KEY (channel, sender_digest))"
    )
    conn.execute(
        "CREATE TABLE bridge_optouts (channel VARCHAR NOT NULL, sender VARCHAR NOT NULL, "
        "since DOUBLE NOT NULL, PRIMARY KEY (channel, sender))"
    )
    conn.execute(
        """
        CREATE TABLE inbox (
            channel VARCHAR NOT NULL,
            message_id VARCHAR NOT NULL,
            sender VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            received DOUBLE NOT NULL,
            state VARCHAR NOT NULL,
            done DOUBLE,
            PRIMARY KEY (channel, message_id)
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE outbox (
            id VARCHAR PRIMARY KEY,
            channel VARCHAR NOT NULL,
            recipient VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            created DOUBLE NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try DOUBLE NOT NULL,
            state VARCHAR NOT NULL,
            error VARCHAR,
            done DOUBLE
        )
        """
    )


def r006_purges(conn: duckdb.DuckDBPyConnection) -> None:
    """The log of purges (when, and how much went: never what) and the keys of what imports
    already took in (a file's memories and conversations), so a second import adds nothing."""
    conn.execute(
        "CREATE TABLE purges (purged DOUBLE NOT NULL, memories INTEGER NOT NULL, "
        "turns INTEGER NOT NULL)"
    )
    conn.execute("CREATE TABLE imports (key VARCHAR PRIMARY KEY, imported DOUBLE NOT NULL)")


def r004_checkins(conn: duckdb.DuckDBPyConnection) -> None:
    """The check-ins the assistant wrote (what, why, when it reached the owner) and the
    pauses the owner asked for (``/quiet``)."""
    conn.execute(
        """
        CREATE TABLE checkins (
            id VARCHAR PRIMARY KEY,
            created DOUBLE NOT NULL,
            kind VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            score DOUBLE NOT NULL,
            details JSON NOT NULL,
            model VARCHAR,
            expires DOUBLE NOT NULL,
            delivered DOUBLE,
            channels VARCHAR[]
        )
        """
    )
    conn.execute("CREATE TABLE checkin_pauses (set_at DOUBLE NOT NULL, until DOUBLE)")


def r003_companion(conn: duckdb.DuckDBPyConnection) -> None:
    """The companion's state with its history: the personas chosen, every mood step and
    baseline drift, the quirks of its replies, and each need's level when an exchange met it."""
    conn.execute(
        "CREATE TABLE persona_history (occurred DOUBLE NOT NULL, name VARCHAR NOT NULL, "
        "preset VARCHAR NOT NULL, traits JSON NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE mood_history (occurred DOUBLE NOT NULL, kind VARCHAR NOT NULL, "
        "pleasure DOUBLE NOT NULL, arousal DOUBLE NOT NULL, dominance DOUBLE NOT NULL, "
        "label VARCHAR NOT NULL, heard VARCHAR)"
    )
    conn.execute(
        "CREATE TABLE quirks (key VARCHAR PRIMARY KEY, description VARCHAR NOT NULL, "
        "strength DOUBLE NOT NULL, first_seen DOUBLE NOT NULL, last_seen DOUBLE NOT NULL, "
        "dropped DOUBLE)"
    )
    conn.execute(
        "CREATE TABLE need_history (occurred DOUBLE NOT NULL, need VARCHAR NOT NULL, "
        "level DOUBLE NOT NULL, cause VARCHAR NOT NULL)"
    )


def r005_backups(conn: duckdb.DuckDBPyConnection) -> None:
    """The log of backups: when each was made, by what, where it went and how it ended."""
    conn.execute(
        """
        CREATE TABLE backup_runs (
            id VARCHAR PRIMARY KEY,
            started DOUBLE NOT NULL,
            ended DOUBLE NOT NULL,
            status VARCHAR NOT NULL,
            trigger VARCHAR NOT NULL,
            archive VARCHAR NOT NULL,
            size BIGINT NOT NULL,
            remote VARCHAR NOT NULL,
            error VARCHAR
        )
        """
    )


def m007_notes_project(conn: duckdb.DuckDBPyConnection) -> None:
    """Each note's project (the ``Assistant/Projects/<Name>/`` folder it lies in, ``''`` for
    a global note), so a search scoped to a project filters on a column."""
    conn.execute("ALTER TABLE notes ADD COLUMN project VARCHAR NOT NULL DEFAULT ''")
    conn.execute(
        "UPDATE notes SET project = regexp_extract(path, '^Assistant/Projects/([^/]+)/.', 1)"
    )


def r007_projects(conn: duckdb.DuckDBPyConnection) -> None:
    """The project each place works in: ``''`` for the home's own (``assistant project
    use``), by project id (the id in the project note, which survives renames)."""
    conn.execute(
        "CREATE TABLE active_projects (place VARCHAR PRIMARY KEY, project VARCHAR NOT NULL, "
        "since DOUBLE NOT NULL)"
    )


def r008_reminder_repeats(conn: duckdb.DuckDBPyConnection) -> None:
    """How a reminder comes back (``assistant.repeats``: "daily", "weekly:0"); ``''`` for one
    that comes once."""
    conn.execute("ALTER TABLE reminders ADD COLUMN repeat VARCHAR NOT NULL DEFAULT ''")


def r009_reminder_came(conn: duckdb.DuckDBPyConnection) -> None:
    """When a reminder last came (kept when one that comes back is set to its next time):
    what "snooze that" puts off."""
    conn.execute("ALTER TABLE reminders ADD COLUMN came DOUBLE")


RECORD_MIGRATIONS = [
    r001_records,
    r002_bridges,
    r006_purges,
    r004_checkins,
    r003_companion,
    r005_backups,
    r007_projects,
    r008_reminder_repeats,
    r009_reminder_came,
]

MIGRATIONS = [
    m001_notes_usage_links,
    m002_conversations_costs_reminders,
    m003_pages,
    m004_reviews_consolidation_runs,
    m005_redact_logged_secrets,
    m006_records_apart,
    m007_notes_project,
]
