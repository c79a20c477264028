"""``add_many`` stores exactly what adding the memories one by one stores, in one batch."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant, Draft, Status
from assistant.errors import InvalidInputError
from assistant.models.fakes import HashEmbedder

CREATED = datetime(2025, 3, 14, 9, 21, 7, tzinfo=UTC)
KINDS = ["semantic", "episodic", "procedural", "identity", "emotional"]


def drafts(count: int) -> list[Draft]:
    """Varied drafts: types, tags, entities, metadata, projects and repeated titles."""
    out = []
    for n in range(count):
        text = f"Fact number {n % 40}" if n % 7 == 0 else f"Anna's note {n}: climbing in Lyon"
        out.append(
            Draft(
                text + ("\nmore on a second line" if n % 11 == 0 else ""),
                type=KINDS[n % len(KINDS)],
                importance=float(n % 10),
                tags=[f"tag{n % 3}", "#bulk"] if n % 2 else (),
                created_at=CREATED,
                metadata={"batch": n % 4, "note": "x: y"} if n % 5 == 0 else None,
                important=n % 13 == 0,
                emotion=0.5 if n % 17 == 0 else 0.0,
                entities=["Anna"] if n % 3 == 0 else (),
                project="Apollo" if n % 9 == 0 else None,
            )
        )
    return out


def stored(assistant: Assistant) -> dict[str, Any]:
    """Everything a home stores about its memories, ids and write times aside."""
    vault = assistant.settings.vault
    notes: dict[str, list[str]] = {}
    for path in sorted(assistant.layout.note_files()):
        text = re.sub(r"^(id|updated): .*\n", "", path.read_text(), flags=re.MULTILINE)
        notes.setdefault(_named(path.relative_to(vault)), []).append(text)
    with assistant.db.connect() as conn:
        rows = conn.execute(
            "SELECT path, type, status, created, project FROM notes ORDER BY ALL"
        ).fetchall()
        links = conn.execute("SELECT count(*) FROM links").fetchone()
    memories = assistant.memories.list(statuses=list(Status))
    vectors = assistant.vectors.vectors_of([m.id for m in memories])
    kept = sorted(
        (
            m.text,
            m.type.value,
            m.importance,
            m.emotion,
            m.important,
            m.tags,
            m.entities,
            m.created,
            m.source,
            sorted(m.metadata.items()),
            m.project,
            _named(m.path) if m.path else None,
            tuple(float(x) for x in v),
        )
        for m, v in zip(memories, vectors, strict=True)
    )
    return {
        "notes": {k: sorted(v) for k, v in notes.items()},
        "rows": sorted((_named(Path(r[0])), *r[1:]) for r in rows),
        "links": links,
        "memories": kept,
    }


def _named(path: Path) -> str:
    """A note's path with the id suffix a repeated title gets (``<title> <id end>.md``)
    made generic."""
    return re.sub(r" [0-9a-z]{6}\.md$", " <id>.md", path.as_posix())


def test_add_many_stores_what_adding_one_by_one_stores(tmp_path: Path) -> None:
    many = drafts(300)
    with (
        Assistant.open(tmp_path / "batch", embedder=HashEmbedder()) as batch,
        Assistant.open(tmp_path / "single", embedder=HashEmbedder()) as single,
    ):
        for home in (batch, single):
            home.projects.new("Apollo")
        added = batch.memories.add_many(many)
        for draft in many:
            single.memories.add_many([draft])
        assert len(added) == len(many) == len(single.memories.list(statuses=list(Status)))
        assert [m.text for m in added] == [d.text for d in many]
        assert stored(batch) == stored(single)


def test_add_many_refuses_every_draft_when_one_is_invalid(hashed: Assistant) -> None:
    many = [*drafts(50), Draft("fine", importance=11)]
    with pytest.raises(InvalidInputError, match="importance"):
        hashed.memories.add_many(many)
    assert hashed.memories.list(statuses=list(Status)) == []
    assert not list((hashed.settings.vault / "Assistant" / "Memories").rglob("*.md"))


def test_add_many_asks_for_the_project_in_use_once(hashed: Assistant) -> None:
    asked: list[int] = []

    def scope() -> str:
        asked.append(1)
        return ""

    hashed.memories.scope = scope
    hashed.memories.add_many([f"Fact {n}" for n in range(100)])
    assert len(asked) == 1
