"""DuckDB schema migrations, applied in order and recorded in ``_migrations``."""

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


MIGRATIONS = [
    m001_notes_usage_links,
    m002_conversations_costs_reminders,
    m003_pages,
    m004_reviews_consolidation_runs,
    m005_redact_logged_secrets,
]
