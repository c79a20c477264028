"""The ``assistant`` command: wiring, global options, logging and the one error handler."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from assistant import paths
from assistant.errors import AssistantError
from assistant_cli import render
from assistant_cli.commands import browse, chat, maintenance, memory, models, sleep, vault
from assistant_cli.context import State, state
from assistant_cli.status import ExitStatus


class _Group(TyperGroup):
    """Turns core errors into a red panel on stderr and an exit code; no tracebacks."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context; its click base is vendored
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            render.error(exc)
            raise typer.Exit(ExitStatus.ERROR) from None
        except KeyboardInterrupt:
            render.err.print("Interrupted.")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


def build_app() -> typer.Typer:
    """The Typer application with every command group registered."""
    app = typer.Typer(
        cls=_Group,
        no_args_is_help=True,
        add_completion=False,
        help="A local-first personal assistant that remembers, with its memory in Obsidian.",
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def main(
        ctx: typer.Context,
        home: str = typer.Option(None, "--home", help="Data directory (default: ASSISTANT_HOME)."),
        vault: str = typer.Option(None, "--vault", help="Obsidian vault (default: <home>/vault)."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log to stderr too."),
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    ) -> None:
        current = state(ctx)
        current.flags = {"home": home, "vault": vault}
        current.debug = debug
        _setup_logging(current, verbose or debug)

    memory.register(app)
    maintenance.register(app)
    chat.register(app)
    models.register(app)
    vault.register(app)
    browse.register(app)
    sleep.register(app)
    return app


def _setup_logging(current: State, verbose: bool) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if current.debug else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_assistant", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    try:
        log_dir = paths.log_dir(current.settings().home)
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir / "assistant.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
            )
        )
    except (OSError, AssistantError):
        pass  # an unwritable home is reported by the command itself
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("%(message)s"))
    handlers.append(stderr)
    for handler in handlers:
        handler._assistant = True  # type: ignore[attr-defined]
        if handler is not stderr:
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
        root.addHandler(handler)


def run() -> None:
    """Console-script entry point."""
    code: int | str | None = 0
    try:
        build_app()(prog_name="assistant")
    except SystemExit as exc:
        code = exc.code
    _exit_now(code)


def _exit_now(code: int | str | None) -> None:
    """Exit without the interpreter's teardown.

    Every command has closed the assistant (indexes checkpointed, caches closed, threads
    joined) before this point; what teardown would still do is free thousands of objects
    one by one, about 0.2 s that every command would otherwise pay.
    """
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = ExitStatus.ERROR
    for stream in (sys.stdout, sys.stderr):
        # stdout may be closed early by the reader (`assistant list | head`).
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    logging.shutdown()
    os._exit(int(code or 0))
