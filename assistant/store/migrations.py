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


MIGRATIONS = [m001_notes_usage_links]
