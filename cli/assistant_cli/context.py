"""Per-invocation state shared by commands: global flags and the opened assistant."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:  # each loads on first use: a command that needs none starts faster
    from assistant import Assistant
    from assistant.conversation.responder import Responder
    from assistant.conversation.tools import Confirm
    from assistant.models.registry import ModelRegistry
    from assistant.records import Kept, Records
    from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class State:
    """Global flags, and the assistant once a command opens it."""

    flags: dict[str, Any] = field(default_factory=dict)
    debug: bool = False
    assistant: Assistant | None = None
    opened_records: Records | None = None
    responder: Responder | None = None
    relog: Callable[[], None] | None = None
    """Sets the log file up again for the current flags (given by the root command)."""
    caught_up: bool = False
    """Whether the vault's edits were taken in by this invocation (:meth:`open`)."""

    def use_home(self, home: Path) -> None:
        """Work on ``home`` from here on (a command's own ``--home``): the settings and the
        log file follow it."""
        self.flags = {**self.flags, "home": str(home)}
        if self.relog is not None:
            self.relog()

    def settings(self) -> Settings:
        """Settings from the flags, the environment and config.toml."""
        from assistant.settings import read_settings

        return read_settings(self.flags, os.environ)

    def open(
        self, *, embeds: bool = True, queries_only: bool = False, current: bool = False
    ) -> Assistant:
        """Open the assistant (once per invocation); it is closed when the command ends. A
        command that never embeds text passes ``embeds=False``: the model is not loaded; one
        that only searches passes ``queries_only``: only the quicker query model loads. One
        that reads memories passes ``current``: the notes edited in the vault since it was
        last synced are taken in first (:meth:`~assistant.core.Assistant.catch_up`), so an
        edit made in Obsidian shows at once."""
        if self.assistant is None:
            from assistant.core import Assistant

            self.assistant = Assistant(self.settings(), warm=embeds, queries_only=queries_only)
        if current and not self.caught_up:
            from assistant.errors import AssistantError

            self.caught_up = True
            try:
                self.assistant.catch_up()
            except (AssistantError, OSError) as exc:  # it goes on with the index as it is
                log.warning("could not take in the vault's latest edits: %s", exc)
        return self.assistant

    def records(self) -> Kept:
        """The conversation log and the cost ledger alone (once per invocation), for a
        command that reads nothing else: no vault, vectors or model are opened."""
        if self.assistant is not None:
            return self.assistant
        if self.opened_records is None:
            from assistant.records import Records

            self.opened_records = Records(self.settings())
        return self.opened_records

    def registry(self) -> ModelRegistry:
        """The configured chat models, with keys from the environment or keys.json."""
        from assistant.models.registry import ModelRegistry, build_model, load_keys

        settings = self.settings()
        keys = load_keys(os.environ, settings.home)
        return ModelRegistry(
            [build_model(m, keys) for m in settings.models],
            settings.policy,
            settings.budget,
            forced=settings.model,
        )

    def respond_with(self, confirm: Confirm | None = None) -> Responder:
        """A responder over the opened assistant (closed with it)."""
        if self.responder is None:
            from assistant.conversation.responder import Responder

            self.responder = Responder(self.open(), self.registry(), confirm=confirm)
        return self.responder

    def close(self) -> None:
        """Close the assistant if a command opened it."""
        if self.responder is not None:
            self.responder.close()
            self.responder = None
        if self.assistant is not None:
            self.assistant.close()
            self.assistant = None
        if self.opened_records is not None:
            self.opened_records.close()
            self.opened_records = None


def state(ctx: typer.Context) -> State:
    """The :class:`State` of the running invocation."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj
