"""The project note, ``Assistant/Projects/<Name>/<Name>.md``: the project's properties (id,
status, goal, dates, people as links) and the user's own words below them.

The assistant writes the properties; the body (the ``## Your notes`` section and anything
else the user writes) is kept word for word on every rewrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import NoteError
from assistant.vault.notes import (
    _dump_pair,  # one YAML style for every note
    format_time,
    link_targets,
    load_properties,
    parse_time,
    split_frontmatter,
    wikilink,
)

PROJECT_TYPE = "project"
"""The ``type`` property of a project note (a memory note's type is a memory type)."""
YOUR_NOTES = "## Your notes"
ACTIVE = "active"
ARCHIVED = "archived"


@dataclass(frozen=True)
class Project:
    """One project: its folder's name and what its note says."""

    name: str
    id: str
    status: str = ACTIVE
    goal: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    people: tuple[str, ...] = ()
    body: str = ""
    """The note below its properties, as the user left it."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Other properties of the note, kept as they are."""
    path: Path | None = None
    """The note's vault-relative path."""

    @property
    def archived(self) -> bool:
        """Whether the project was archived (its memories stay, and stay searchable)."""
        return self.status == ARCHIVED

    @property
    def notes(self) -> str:
        """The text of the ``## Your notes`` section."""
        head, found, rest = self.body.partition(YOUR_NOTES)
        if not found:
            return ""
        section = rest.split("\n## ", 1)[0]
        return section.strip()

    def summary(self) -> str:
        """The project as a few lines for the model's context: name, status, goal,
        people and the user's notes."""
        lines = [f"Project: {self.name} ({self.status})"]
        if self.goal:
            lines.append(f"Goal: {self.goal}")
        if self.people:
            lines.append("People: " + ", ".join(self.people))
        if self.notes:
            lines.append("Notes: " + self.notes)
        return "\n".join(lines)


def render_project(project: Project) -> str:
    """The text of a project note (the body kept as it is; a new note gets a heading and an
    empty ``## Your notes`` section)."""
    values: dict[str, Any] = {
        "id": project.id,
        "type": PROJECT_TYPE,
        "status": project.status,
        "goal": project.goal,
        "created": format_time(project.created) if project.created else None,
        "updated": format_time(project.updated) if project.updated else None,
        "people": [wikilink(p) for p in project.people],
    }
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    for key, value in project.extra.items():
        values.setdefault(key, value)
    lines = ["---", *(_dump_pair(k, v) for k, v in values.items()), "---"]
    body = project.body if project.body.strip() else f"# {project.name}\n\n{YOUR_NOTES}\n\n"
    return "\n".join(lines) + "\n" + body


def parse_project(name: str, text: str, path: Path | None = None) -> Project:
    """The project ``name`` as its note's ``text`` describes it; :class:`NoteError` when the
    note is not a project note."""
    where = f"{path}: " if path else ""
    frontmatter, body = split_frontmatter(text, where)
    data = load_properties(frontmatter, where)
    if not isinstance(data, dict) or str(data.get("type", "")).lower() != PROJECT_TYPE:
        raise NoteError(f"{where}not a project note (no `type: project` property)")
    if not data.get("id"):
        raise NoteError(f"{where}project note has no id")
    known = {"id", "type", "status", "goal", "created", "updated", "people"}
    status = str(data.get("status") or ACTIVE).lower()
    return Project(
        name=name,
        id=str(data["id"]),
        status=ARCHIVED if status == ARCHIVED else ACTIVE,
        goal=str(data.get("goal") or ""),
        created=_time(data.get("created")),
        updated=_time(data.get("updated")),
        people=tuple(link_targets(data.get("people"))),
        body=body,
        extra={k: v for k, v in data.items() if k not in known},
        path=path,
    )


def with_people(project: Project, people: Sequence[str]) -> Project:
    """``project`` with ``people`` added to its people (once each)."""
    merged = tuple(dict.fromkeys([*project.people, *people]))
    return replace(project, people=merged)


def _time(value: object) -> datetime | None:
    try:
        return parse_time(value) if value else None
    except ValueError:
        return None
