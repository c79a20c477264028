"""The relational index: where each note is, its checksum, usage stats and links."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from assistant.memory_types import Memory
from assistant.store.database import Database
from assistant.store.usage import Usage, UsageLog
from assistant.vault.notes import link_targets

_SMALL_BATCH = 32


@functools.cache
def _fresh_tables() -> tuple[str, ...]:
    """The statements that make ``notes`` and ``links`` as every migration leaves them."""
    from assistant.store.database import migrate
    from assistant.store.migrations import MIGRATIONS, RECORD_MIGRATIONS

    conn = duckdb.connect(":memory:")
    try:
        conn.execute("ATTACH ':memory:' AS records")  # as an index is opened
        conn.execute("USE records")
        migrate(conn, RECORD_MIGRATIONS, quiet=True)
        conn.execute("USE memory")
        migrate(conn, MIGRATIONS, quiet=True)
        tables = conn.execute(
            "SELECT sql FROM duckdb_tables() WHERE database_name = 'memory' "
            "AND table_name IN ('notes', 'links') ORDER BY table_name DESC"
        ).fetchall()
        indexes = conn.execute(
            "SELECT sql FROM duckdb_indexes() WHERE database_name = 'memory' "
            "AND table_name IN ('notes', 'links') AND sql IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    return tuple(row[0] for row in tables + indexes)


@dataclass(frozen=True)
class NoteRow:
    """What the index records about one note file."""

    id: str
    path: str
    checksum: str
    type: str
    status: str
    created: float
    updated: float
    project: str = ""
    """The project folder the note lies in (``""``: a global note)."""


_COLUMNS = "id, path, checksum, type, status, created, updated, project"


def note_row(memory: Memory, checksum: str) -> NoteRow:
    """The index row for a memory whose note has ``checksum``."""
    assert memory.path is not None, "a memory is indexed only once its note is written"
    return NoteRow(
        id=memory.id,
        path=memory.path.as_posix(),
        checksum=checksum,
        type=memory.type.value,
        status=memory.status.value,
        created=memory.created.timestamp(),
        updated=memory.updated.timestamp(),
        project=memory.project,
    )


class NoteIndex:
    """Notes, usage and links in DuckDB. Usage and links survive a rebuild of the notes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._usage = UsageLog(db)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Keep the index open for a multi-step write, so a busy index fails it up front,
        before any note is written."""
        with self.db.connect():
            yield

    def upsert(self, rows: Sequence[NoteRow]) -> None:
        """Insert or replace note rows (one transaction, bulk through Arrow)."""
        if not rows:
            return
        if len(rows) <= _SMALL_BATCH:  # one statement: executemany costs ~4 ms a row
            columns = [list(c) for c in zip(*(vars(r).values() for r in rows), strict=True)]
            with self.db.connect() as conn:
                conn.execute(
                    f"INSERT OR REPLACE INTO notes ({_COLUMNS}, indexed_at) SELECT unnest(?), "
                    "unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), "
                    "unnest(?), ?",
                    [*columns, time.time()],
                )
            return
        table = pa.table(
            {
                "id": [r.id for r in rows],
                "path": [r.path for r in rows],
                "checksum": [r.checksum for r in rows],
                "type": [r.type for r in rows],
                "status": [r.status for r in rows],
                "created": [r.created for r in rows],
                "updated": [r.updated for r in rows],
                "project": [r.project for r in rows],
                "indexed_at": [time.time()] * len(rows),
            }
        )
        with self.db.transaction() as conn:
            conn.register("incoming_notes", table)
            try:
                conn.execute("DELETE FROM notes WHERE id IN (SELECT id FROM incoming_notes)")
                conn.execute("INSERT INTO notes BY NAME SELECT * FROM incoming_notes")
            finally:
                conn.unregister("incoming_notes")

    def rows(self, ids: Sequence[str]) -> dict[str, NoteRow]:
        """The rows of these ids (unknown ids are left out), in one query."""
        if not ids:
            return {}
        with self.db.connect() as conn:
            found = conn.execute(
                f"SELECT {_COLUMNS} FROM notes WHERE id IN (SELECT unnest(?))",
                [list(ids)],
            ).fetchall()
        return {str(r[0]): NoteRow(*r) for r in found}

    def checksums(self, paths: Sequence[str]) -> dict[str, str]:
        """The checksum indexed for each of these note paths (unknown paths are left out), in
        one query."""
        if not paths:
            return {}
        with self.db.connect() as conn:
            found = conn.execute(
                "SELECT path, checksum FROM notes WHERE path IN (SELECT unnest(?))",
                [list(paths)],
            ).fetchall()
        return {str(path): str(digest) for path, digest in found}

    def get(self, memory_id: str) -> NoteRow | None:
        """The row for one id, or None."""
        with self.db.connect() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM notes WHERE id = ?",
                [memory_id],
            ).fetchone()
        return NoteRow(*row) if row else None

    def find_prefix(self, prefix: str) -> list[str]:
        """Ids starting or ending with ``prefix`` (case-insensitive), so users can type the
        short id shown in listings (its last six characters) or the start of it."""
        bare = prefix.replace("%", "").replace("_", "")
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT id FROM notes WHERE id ILIKE ? OR id ILIKE ? ORDER BY id LIMIT 5",
                [bare + "%", "%" + bare],
            ).fetchall()
        return [r[0] for r in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        """How many notes of each (type, status) are indexed: one small query."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT type, status, count(*) FROM notes GROUP BY ALL").fetchall()
        return {(str(t), str(s)): int(n) for t, s, n in rows}

    def project_counts(self) -> dict[str, int]:
        """How many active memories each project holds (``""``: the global ones)."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT project, count(*) FROM notes WHERE status = 'active' GROUP BY ALL"
            ).fetchall()
        return {str(p): int(n) for p, n in rows}

    def all(self) -> dict[str, NoteRow]:
        """Every note row by id."""
        with self.db.connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM notes").fetchall()
        return {r[0]: NoteRow(*r) for r in rows}

    def remove(self, ids: Iterable[str]) -> None:
        """Drop note rows (usage stats are kept: they are operational records)."""
        ids = list(ids)
        if ids:
            with self.db.connect() as conn:
                conn.execute("DELETE FROM notes WHERE id IN (SELECT unnest(?))", [ids])

    def clear(self) -> None:
        """Drop every note row and link, before a rebuild from the vault. The two tables are
        made anew as a new index has them: a rebuild mends an index whose tables were changed
        by hand or by another version, since they hold nothing the vault does not."""
        with self.db.transaction() as conn:
            conn.execute("DROP TABLE IF EXISTS links")
            conn.execute("DROP TABLE IF EXISTS notes")
            for statement in _fresh_tables():
                conn.execute(statement)

    def usage(self, ids: Sequence[str]) -> dict[str, Usage]:
        """Usage stats for ``ids`` (ids never retrieved are absent)."""
        return self._usage.get(ids)

    def touch(self, ids: Sequence[str], when: float) -> None:
        """Record that ``ids`` were used at ``when`` (written in the background)."""
        self._usage.touch(ids, when)

    def close(self) -> None:
        """Write buffered usage stats."""
        self._usage.flush()

    def set_links(self, memories: Sequence[Memory]) -> None:
        """Replace the outgoing links of each memory with those its note declares: the
        memories it supersedes, related memories (``related: ["[[note]]"]``, resolved by
        file name) and the people it is about (``people: ["[[Name]]"]``)."""
        if not memories:
            return
        rows = [(m.id, dst, "supersedes") for m in memories for dst in m.supersedes]
        related = {m.id: link_targets(m.metadata.get("related")) for m in memories}
        stems = sorted({stem for targets in related.values() for stem in targets})
        by_stem = self.ids_by_stem(stems)
        with self.db.transaction() as conn:
            for m in memories:
                rows += [(m.id, by_stem[t], "related") for t in related[m.id] if t in by_stem]
                rows += [
                    (m.id, f"person:{name}", "person")
                    for name in link_targets(m.metadata.get("people"))
                ]
            conn.execute(
                "DELETE FROM links WHERE src IN (SELECT unnest(?))", [[m.id for m in memories]]
            )
            if rows:
                src, dst, kind = (list(column) for column in zip(*rows, strict=True))
                conn.execute(
                    "INSERT OR IGNORE INTO links SELECT unnest(?), unnest(?), unnest(?)",
                    [src, dst, kind],
                )

    def ids_by_stem(self, stems: Sequence[str]) -> dict[str, str]:
        """The memory id whose note has each file name (without ``.md``), where one does."""
        if not stems:
            return {}
        with self.db.connect() as conn:
            found = conn.execute(
                "SELECT regexp_extract(path, '([^/]+)\\.md$', 1) AS stem, id FROM notes "
                "WHERE stem IN (SELECT unnest(?))",
                [list(stems)],
            ).fetchall()
        return {str(stem): str(memory_id) for stem, memory_id in found}

    def neighbours(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """For each id, the memories one hop away: related either way, or about the same
        person. Superseded chains are not followed (the newer fact is the one to use)."""
        if not ids:
            return {}
        wanted = set(ids)
        pairs: list[tuple[str, str]] = []
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT src, dst, kind FROM links WHERE kind <> 'supersedes' "
                "AND (src IN (SELECT unnest($ids)) OR dst IN (SELECT unnest($ids)))",
                {"ids": list(ids)},
            ).fetchall()
            people: dict[str, list[str]] = {}
            for src, dst, kind in rows:
                if kind == "person":
                    people.setdefault(str(dst), []).append(str(src))
                elif src in wanted:
                    pairs.append((str(src), str(dst)))
                else:
                    pairs.append((str(dst), str(src)))
            if people:
                others = conn.execute(
                    "SELECT dst, src FROM links WHERE kind = 'person' "
                    "AND dst IN (SELECT unnest(?))",
                    [list(people)],
                ).fetchall()
                for person, other in others:
                    pairs += [(o, str(other)) for o in people[str(person)] if o != other]
        found = pairs
        out: dict[str, list[str]] = {}
        for origin, other in found:
            out.setdefault(str(origin), []).append(str(other))
        return out

    def links(self, memory_id: str) -> list[tuple[str, str, str]]:
        """Links from or to ``memory_id`` as ``(src, dst, kind)``."""
        with self.db.connect() as conn:
            return [
                (r[0], r[1], r[2])
                for r in conn.execute(
                    "SELECT src, dst, kind FROM links WHERE src = ? OR dst = ? ORDER BY kind",
                    [memory_id, memory_id],
                ).fetchall()
            ]
