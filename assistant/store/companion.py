"""The companion's records: persona choices, mood and baseline history, quirks, needs.

All of it is an operational record with history (the records file, backed up with the
rest; never ``index/``): every mood step, baseline drift, persona change and met need is a
row, and the current state is the latest row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.companion.mood import Mood
from assistant.companion.traits import TRAITS, Traits
from assistant.store.database import Database


@dataclass(frozen=True)
class MoodRow:
    """One point of the mood history."""

    at: float
    kind: str
    """``mood`` (after an exchange) or ``baseline`` (after a night's drift)."""
    mood: Mood
    heard: str = ""
    """The emotion heard in the user's message (``mood`` rows), never the message."""


@dataclass(frozen=True)
class PersonaRow:
    """A persona the user chose (or the first one), as last read without a problem."""

    at: float
    name: str
    preset: str
    traits: Traits


@dataclass
class Quirk:
    """A habit of the assistant's replies."""

    key: str
    """What is matched, e.g. ``opener:great question`` or ``emoji``."""
    description: str
    strength: float
    first_seen: float
    last_seen: float
    """When a reply last showed it."""
    dropped: float | None = None


class CompanionRecords:
    """Reads and writes the companion tables.

    Usage::

        records = CompanionRecords(assistant.db)
        records.add_mood(MoodRow(now, "mood", Mood(0.2, 0.1, 0.0), heard="happy"))
        records.latest("mood")
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_mood(self, row: MoodRow) -> None:
        """Append a point to the mood history."""
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO mood_history VALUES (?, ?, ?, ?, ?, ?, ?)",
                [row.at, row.kind, *row.mood.point, row.mood.label, row.heard or None],
            )

    def latest(self, kind: str) -> MoodRow | None:
        """The newest point of one kind."""
        rows = self.history(kind, limit=1)
        return rows[0] if rows else None

    def history(
        self, kind: str = "mood", *, since: float | None = None, limit: int = 50
    ) -> list[MoodRow]:
        """Points of one kind, newest first."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT occurred, kind, pleasure, arousal, dominance, heard FROM mood_history "
                "WHERE kind = ? AND occurred >= ? ORDER BY occurred DESC, rowid DESC LIMIT ?",
                [kind, since if since is not None else float("-inf"), limit],
            ).fetchall()
        return [MoodRow(at, k, Mood(p, a, d), h or "") for at, k, p, a, d, h in rows]

    def add_persona(self, row: PersonaRow) -> None:
        """Record a persona read from the note (or chosen)."""
        with self._db.connect() as conn:
            conn.execute(
                "INSERT INTO persona_history VALUES (?, ?, ?, ?)",
                [row.at, row.name, row.preset, json.dumps(row.traits.as_dict())],
            )

    def persona(self) -> PersonaRow | None:
        """The newest persona recorded."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT occurred, name, preset, traits FROM persona_history "
                "ORDER BY occurred DESC, rowid DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        values = json.loads(row[3])
        return PersonaRow(row[0], row[1], row[2], Traits(*(float(values[t]) for t in TRAITS)))

    def began(self) -> float | None:
        """When the first persona was recorded (None: never)."""
        with self._db.connect() as conn:
            row = conn.execute("SELECT min(occurred) FROM persona_history").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def quirks(self, *, dropped: bool = False) -> list[Quirk]:
        """The quirks, strongest first; with ``dropped``, the dropped ones too."""
        where = "" if dropped else "WHERE dropped IS NULL"
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT key, description, strength, first_seen, last_seen, dropped FROM quirks "
                f"{where} ORDER BY strength DESC, key"
            ).fetchall()
        return [Quirk(*row) for row in rows]

    def save_quirks(self, quirks: Sequence[Quirk]) -> None:
        """Insert or update quirks by key."""
        if not quirks:
            return
        with self._db.transaction() as conn:
            for q in quirks:
                conn.execute("DELETE FROM quirks WHERE key = ?", [q.key])
                conn.execute(
                    "INSERT INTO quirks VALUES (?, ?, ?, ?, ?, ?)",
                    [q.key, q.description, q.strength, q.first_seen, q.last_seen, q.dropped],
                )

    def add_exchange(self, mood: MoodRow, needs: dict[str, float], cause: str) -> None:
        """Append the mood after an exchange and the new level of each need it met, at once."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO mood_history VALUES (?, ?, ?, ?, ?, ?, ?)",
                [mood.at, mood.kind, *mood.mood.point, mood.mood.label, mood.heard or None],
            )
            conn.executemany(
                "INSERT INTO need_history VALUES (?, ?, ?, ?)",
                [[mood.at, need, level, cause] for need, level in needs.items()],
            )

    def needs(self) -> dict[str, tuple[float, float]]:
        """Each need's latest ``(at, level)``."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT need, max(occurred), arg_max(level, occurred) FROM need_history "
                "GROUP BY need"
            ).fetchall()
        return {need: (float(at), float(level)) for need, at, level in rows}

    def replies(self, since: float, limit: int = 400) -> list[tuple[float, str]]:
        """The assistant's own words (answers a model wrote) since ``since``, oldest first."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT occurred, text FROM turns WHERE role = 'assistant' AND model IS NOT NULL "
                "AND NOT interrupted AND occurred >= ? "
                "ORDER BY occurred DESC, rowid DESC LIMIT ?",
                [since, limit],
            ).fetchall()
        return [(float(at), str(text)) for at, text in reversed(rows)]
