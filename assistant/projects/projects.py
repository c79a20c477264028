"""Projects: memory spaces for the things the user works on.

A project is a folder of the vault, ``Assistant/Projects/<Name>/``: the project note
``<Name>.md`` (see :mod:`assistant.projects.note`) and, beside it, the project's memories.
Where a note lies says which project it belongs to, so moving a note into or out of a
project folder in Obsidian moves the memory. A project's id lives in its note and survives
renaming the folder; the project each place works in (the home's own, set by ``assistant
project use`` or ``/project``, or a chat channel's) is operational state, kept in the records
by project id.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from assistant.errors import InvalidInputError, NoteError, NotFoundError, StoreError
from assistant.memory_types import new_id, utcnow
from assistant.projects.names import NONE_WORDS, check_name, name_key
from assistant.projects.note import (
    ACTIVE,
    ARCHIVED,
    PROJECT_TYPE,
    Project,
    parse_project,
    render_project,
)
from assistant.store.database import Database
from assistant.vault.files import storage_error, write_atomic
from assistant.vault.layout import VaultLayout
from assistant.vault.notes import load_properties, split_frontmatter

log = logging.getLogger(__name__)

HOME = ""
"""The place of the home's own project (the terminal, the browser)."""
LOCAL_CHANNELS = frozenset({"", "cli", "tui", "chat", "voice"})
"""Channels that work in the home's own project unless a link says otherwise."""
_FRESH = 2.0
"""Seconds a read of the projects and of the active ones stays fresh (another process may
switch project; this process's own switches are seen at once)."""


def left_notice(name: str) -> str:
    """What the user is told when the project in use stops being used because it was
    archived or its folder is gone (``name``: ``""`` when no longer known)."""
    if not name:
        return "The project you were using is gone; new memories now go to global memory."
    return f"{name} was in use; new memories now go to global memory."


def place_of(channel: str, thread: str = "") -> str:
    """The place a message comes from, as links and ``/project`` name it: ``""`` for the
    terminal and the browser, ``discord:<thread>`` for a Discord channel, ``mcp:<client>``
    for an MCP client."""
    if channel in LOCAL_CHANNELS and not thread:
        return HOME
    return f"{channel}:{thread}" if thread else channel


class Projects:
    """The projects of one home: their folders and notes, and which one each place uses."""

    def __init__(
        self,
        layout: VaultLayout,
        db: Database,
        links: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.layout = layout
        self.db = db
        self.links = dict(links or {})
        """Settings' ``[projects.links]``: place → project name."""
        self._clock = clock
        self._lock = threading.Lock()
        self._listed: tuple[float, list[Project]] | None = None
        self._chosen: tuple[float, dict[str, str]] | None = None
        self._names: dict[str, str] = {}
        """Each project id seen by this process → its name (for a project gone since)."""

    # -- the projects -----------------------------------------------------------------------

    def all(self, *, archived: bool = True) -> list[Project]:
        """Every project, by name (archived ones too unless ``archived`` is false). A folder
        made by hand gets its project note; a note whose folder was renamed takes the new
        name."""
        with self._lock:
            now = time.monotonic()
            if self._listed is None or now - self._listed[0] > _FRESH:
                self._listed = (now, self._scan())
                self._names.update((p.id, p.name) for p in self._listed[1])
            found = list(self._listed[1])
        return [p for p in found if archived or not p.archived]

    def get(self, name_or_id: str) -> Project:
        """The project with this name (any case) or id; :class:`NotFoundError` if none."""
        wanted = name_or_id.strip()
        if not wanted:
            raise InvalidInputError("no project name given")
        every = self.all()
        exact = [p for p in every if p.name == wanted or p.id == wanted]
        if exact:
            return exact[0]
        alike = [p for p in every if name_key(p.name) == name_key(wanted)]
        if len(alike) == 1:
            return alike[0]
        if len(alike) > 1:
            names = ", ".join(p.name for p in alike)
            raise InvalidInputError(
                f"{wanted!r} matches several projects ({names}); type it exactly"
            )
        raise NotFoundError(
            f"no project named {wanted!r}; `assistant project list` shows them",
            title="No such project",
        )

    def new(self, name: str, *, goal: str = "", people: tuple[str, ...] = ()) -> Project:
        """Create the project ``name``: its folder and its note. Refuses a bad name and a
        name that differs only in case from an existing project's."""
        name = check_name(name)
        clash = [p for p in self.all() if name_key(p.name) == name_key(name)]
        if clash or self._folder_taken(name):
            shown = clash[0].name if clash else name
            raise InvalidInputError(
                f"a project named {shown!r} already exists (names are compared without case)",
                title="Project exists",
            )
        now = utcnow()
        project = Project(
            name=name,
            id=new_id(),
            status=ACTIVE,
            goal=goal.strip(),
            created=now,
            updated=now,
            people=people,
            path=self.layout.relative(self.layout.project_note(name)),
        )
        folder = self.layout.project_dir(name)
        try:
            folder.mkdir(parents=True, exist_ok=False)
        except FileExistsError as exc:
            raise InvalidInputError(f"a folder named {name!r} already exists") from exc
        except OSError as exc:
            raise storage_error(exc, folder) from exc
        self._write(project)
        return project

    def archive(self, name: str) -> Project:
        """Mark a project archived: its memories stay where they are and stay searchable,
        it is no longer offered, and no place works in it any more."""
        project = self.get(name)
        done = self._write(replace(project, status=ARCHIVED, updated=utcnow()))
        with self.db.connect() as conn:
            conn.execute("DELETE FROM active_projects WHERE project = ?", [project.id])
        self._forget()
        return done

    def reopen(self, name: str) -> Project:
        """Make an archived project active again (an active one is left as it is: its note
        is not rewritten)."""
        project = self.get(name)
        if not project.archived:
            return project
        return self._write(replace(project, status=ACTIVE, updated=utcnow()))

    def heal(self) -> list[Project]:
        """Find the projects now (a renamed folder's note takes the folder's name)."""
        self._forget()
        return self.all()

    def problems(self) -> list[tuple[Path, str]]:
        """Project folders made or renamed by hand whose names the rules refuse (a bad
        character, a reserved word) or that differ only in case from another project's,
        each with the reason (vault-relative paths). They still work as projects, but
        another home could not import them: the user is asked to rename them."""
        found: list[tuple[Path, str]] = []
        seen: dict[str, str] = {}
        for project in self.all():
            folder = self.layout.relative(self.layout.project_dir(project.name))
            try:
                check_name(project.name)
            except InvalidInputError as exc:
                found.append((folder, f"{exc.message}; rename the folder"))
            twin = seen.setdefault(name_key(project.name), project.name)
            if twin != project.name:
                found.append(
                    (folder, f"the name differs only in case from {twin!r}; rename the folder")
                )
        return found

    def lost(self) -> str | None:
        """After :meth:`heal`: when the project the home worked in was archived or its folder
        deleted by hand, the home works in none from now on and its name is returned (``""``
        if this process never saw it); None when the home's project is still there."""
        chosen = self._choices().get(HOME, "")
        if not chosen or self._found(chosen) is not None:
            return None
        with self.db.connect() as conn:
            conn.execute("DELETE FROM active_projects WHERE place = ?", [HOME])
        self._forget()
        return self._names.get(chosen, "")

    # -- which project each place works in --------------------------------------------------

    def use(self, name: str | None, place: str = HOME) -> Project | None:
        """Work in the project ``name`` at ``place`` (None or ``none``: in none). Returns the
        project; an archived one is refused."""
        if name is None or name.strip().casefold() in NONE_WORDS:
            with self.db.connect() as conn:
                if place == HOME:
                    conn.execute("DELETE FROM active_projects WHERE place = ?", [place])
                else:  # a linked place can leave its link's project too
                    conn.execute(
                        "INSERT OR REPLACE INTO active_projects VALUES (?, '', ?)",
                        [place, self._clock()],
                    )
            self._forget()
            return None
        project = self.get(name)
        if project.archived:
            raise InvalidInputError(
                f"the project {project.name!r} is archived; `assistant project reopen` it first"
            )
        with self.db.connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO active_projects VALUES (?, ?, ?)",
                [place, project.id, self._clock()],
            )
        self._forget()
        return project

    def current(self, place: str = HOME) -> Project | None:
        """The project ``place`` works in: its own choice (``/project`` there), else the
        project its link names (``discord:<channel>``, then all of ``discord``), else the
        home's own."""
        chosen = self._choices()
        channel = place.split(":", 1)[0]
        for here in dict.fromkeys((place, channel)) if place != HOME else ():
            if here in chosen:
                return self._found(chosen[here])
            linked = self.links.get(here)
            if linked:
                try:
                    project = self.get(linked)
                except (NotFoundError, InvalidInputError):
                    log.warning("[projects.links] names %r, which is no project", linked)
                    continue
                return None if project.archived else project
        return self._found(chosen.get(HOME, ""))

    def current_name(self, place: str = HOME) -> str:
        """The name of the project ``place`` works in, ``""`` for none."""
        project = self.current(place)
        return project.name if project is not None else ""

    def counts(self, by_project: Mapping[str, int]) -> dict[str, int]:
        """Per project name, its active memories from the index's counts (every project
        listed, empty ones with 0; ``""``: the global memories)."""
        out = {p.name: by_project.get(p.name, 0) for p in self.all()}
        out[""] = by_project.get("", 0)
        return out

    # -- internals --------------------------------------------------------------------------

    def _found(self, project_id: str) -> Project | None:
        if not project_id:
            return None
        for project in self.all():
            if project.id == project_id:
                return None if project.archived else project
        return None  # its folder was deleted: no project

    def _choices(self) -> dict[str, str]:
        with self._lock:
            now = time.monotonic()
            if self._chosen is not None and now - self._chosen[0] <= _FRESH:
                return self._chosen[1]
        with self.db.connect() as conn:
            rows = conn.execute("SELECT place, project FROM active_projects").fetchall()
        chosen = {str(place): str(project) for place, project in rows}
        with self._lock:
            self._chosen = (time.monotonic(), chosen)
        return chosen

    def _forget(self) -> None:
        with self._lock:
            self._listed = None
            self._chosen = None

    def _folder_taken(self, name: str) -> bool:
        folder = self.layout.projects
        if not folder.is_dir():
            return False
        return any(entry.name.casefold() == name.casefold() for entry in folder.iterdir())

    def _write(self, project: Project) -> Project:
        written = self._write_note(project)
        self._forget()
        return written

    def _write_note(self, project: Project) -> Project:
        note = self.layout.project_note(project.name)
        write_atomic(note, render_project(project))
        return replace(project, path=self.layout.relative(note))

    def _scan(self) -> list[Project]:
        root = self.layout.projects
        if not root.is_dir():
            return []
        found: list[Project] = []
        for folder in sorted(root.iterdir(), key=lambda p: p.name.casefold()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            try:
                found.append(self._read_folder(folder))
            except (NoteError, StoreError) as exc:
                log.warning("project folder %s skipped: %s", folder.name, exc)
        return found

    def _read_folder(self, folder: Path) -> Project:
        """The project of one folder: its note, renamed to the folder's name if the folder
        was renamed; a new note for a folder made by hand."""
        name = folder.name
        note = self._note_in(folder)
        if note is None:
            now = utcnow()
            made = Project(name=name, id=new_id(), created=now, updated=now)
            log.info("project folder %s had no project note; wrote one", name)
            return self._write_note(made)
        text = _read(note)
        project = parse_project(name, text, self.layout.relative(note))
        wanted = self.layout.project_note(name)
        if note.name != wanted.name:
            try:
                os.replace(note, wanted)
            except OSError as exc:
                raise storage_error(exc, note) from exc
            project = replace(project, path=self.layout.relative(wanted))
        return project

    def _note_in(self, folder: Path) -> Path | None:
        """The project note in ``folder``: the note named like it, else the one note
        directly in it whose ``type`` is ``project`` (the folder was renamed)."""
        named = [p for p in folder.glob("*.md") if p.stem.casefold() == folder.name.casefold()]
        if named:
            return named[0]
        for path in sorted(folder.glob("*.md")):
            if path.name.startswith("."):
                continue
            try:
                frontmatter, _ = split_frontmatter(_read(path))
                data = load_properties(frontmatter)
            except (NoteError, StoreError):
                continue
            if isinstance(data, dict) and str(data.get("type", "")).lower() == PROJECT_TYPE:
                return path
        return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from exc


def describe_time(value: datetime | None) -> str:
    """A project date for listings (``""`` when unknown)."""
    return value.astimezone().strftime("%Y-%m-%d") if value else ""
