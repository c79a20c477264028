"""Where notes live inside the vault, and creating the vault from the template."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import StoreError
from assistant.memory_types import MemoryType
from assistant.vault.files import storage_error


class VaultLayout:
    """Folders of the ``Assistant/`` area of a vault; the assistant writes nowhere else."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.root = vault / "Assistant"

    @property
    def memories(self) -> Path:
        """Active and superseded memories, one sub-folder per type."""
        return self.root / "Memories"

    @property
    def archive(self) -> Path:
        """Forgotten memories, restorable."""
        return self.root / "Archive"

    @property
    def projects(self) -> Path:
        """One folder per project: its project note and its memories."""
        return self.root / "Projects"

    def project_dir(self, name: str) -> Path:
        """The folder of the project ``name``: ``Assistant/Projects/<name>``."""
        return self.projects / name

    def project_note(self, name: str) -> Path:
        """The project note of ``name``: ``Assistant/Projects/<name>/<name>.md``."""
        return self.project_dir(name) / f"{name}.md"

    def is_project_note(self, relative: Path) -> bool:
        """Whether a vault-relative path is a project note (the note named like its project
        folder, directly in it): a page about the project, never a memory."""
        parts = relative.parts
        return (
            len(parts) == 4
            and parts[:2] == (self.root.name, self.projects.name)
            and relative.suffix == ".md"
            and relative.stem.casefold() == parts[2].casefold()
        )

    @property
    def people(self) -> Path:
        """One generated page per person in the user's life."""
        return self.root / "People"

    @property
    def topics(self) -> Path:
        """One generated page per tag."""
        return self.root / "Topics"

    @property
    def daily(self) -> Path:
        """One generated digest per conversation day."""
        return self.root / "Daily"

    @property
    def conversations(self) -> Path:
        """One transcript note per session: what the user said, kept as evidence."""
        return self.root / "Conversations"

    @property
    def identity(self) -> Path:
        """The user's profile page."""
        return self.root / "Identity.md"

    @property
    def persona(self) -> Path:
        """The assistant's persona: its name and traits, for the user to read and edit."""
        return self.root / "Persona.md"

    @property
    def instructions(self) -> Path:
        """The user's standing instructions, one bullet each, for them to read and edit."""
        return self.root / "Instructions.md"

    def read_where_used(self, relative: Path) -> bool:
        """Whether a vault-relative path is a note read each time it is used (the persona,
        the instructions): never a memory or a page."""
        return relative in (self.relative(self.persona), self.relative(self.instructions))

    def type_dir(self, memory_type: MemoryType) -> Path:
        """The folder for new memories of one type, e.g. ``Assistant/Memories/Semantic``."""
        return self.memories / memory_type.value.capitalize()

    def relative(self, path: Path) -> Path:
        """``path`` relative to the vault root."""
        return path.relative_to(self.vault)

    def absolute(self, relative: Path) -> Path:
        """A vault-relative path made absolute, refusing anything that escapes the vault."""
        full = (self.vault / relative).resolve()
        if not full.is_relative_to(self.vault.resolve()):
            raise StoreError(f"{relative} points outside the vault")
        return full

    def note_files(self) -> Iterator[Path]:
        """Every memory note: markdown files under ``Memories/``, ``Archive/`` and the
        project folders (``Projects/<Name>/``), skipping hidden files and folders and the
        project notes. Generated pages (people, topics, days) are not memories."""
        for folder in (self.memories, self.archive, self.projects):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*.md")):
                rel = path.relative_to(folder)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if folder == self.projects and (
                    len(rel.parts) < 2 or self.is_project_note(self.relative(path))
                ):
                    continue
                if path.is_file() or path.is_symlink():
                    yield path

    def holds_notes(self, relative: Path) -> bool:
        """Whether a vault-relative path lies where memory notes live."""
        parts = relative.parts
        if len(parts) >= 4 and parts[:2] == (self.root.name, self.projects.name):
            return not self.is_project_note(relative)
        return (
            len(parts) >= 3
            and parts[0] == self.root.name
            and parts[1] in (self.memories.name, self.archive.name)
        )

    def is_page(self, relative: Path) -> bool:
        """Whether a vault-relative path is one of the generated pages."""
        parts = relative.parts
        if relative == self.relative(self.identity):
            return True
        return (
            len(parts) == 3
            and parts[0] == self.root.name
            and parts[1] in (self.people.name, self.topics.name, self.daily.name)
            and relative.suffix == ".md"
        )

    def ensure(self, template: Path) -> None:
        """Create the vault from ``template`` if it does not exist, then the ``Assistant/`` folders.

        An existing vault (the user's own Obsidian vault) is left untouched except for the
        ``Assistant/`` folder.
        """
        try:
            if not self.vault.exists() and template.is_dir():
                # Copy beside the target, then rename: a second process starting at the same
                # moment either wins the rename or finds the finished vault.
                staging = self.vault.with_name(f".{self.vault.name}.{os.getpid()}.tmp")
                shutil.copytree(template, staging, ignore=shutil.ignore_patterns(".gitkeep"))
                try:
                    staging.rename(self.vault)
                except OSError:
                    shutil.rmtree(staging, ignore_errors=True)
            for folder in (self.memories, self.archive, self.projects):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, self.vault) from exc
