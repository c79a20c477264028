"""The ``assistant`` command: wiring, global options, logging and the one error handler."""

from __future__ import annotations

import contextlib
import errno
import inspect
import logging
import logging.handlers
import os
import sys
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from assistant import paths
from assistant.errors import AssistantError, storage_error
from assistant_cli import coercion, hookspecs, render
from assistant_cli.commands import (
    backup,
    chat,
    checkins,
    consolidate,
    costs,
    doctor,
    history,
    logs,
    mcp,
    memory,
    models,
    pair,
    persona,
    plugins,
    project,
    reindex,
    review,
    serve,
    transfer,
    tui,
    vault,
)
from assistant_cli.context import State, state
from assistant_cli.status import ExitStatus

log = logging.getLogger("assistant_cli")


class _Group(TyperGroup):
    """The one error handler: every failure becomes a red panel on stderr and an exit code,
    never a traceback (``--debug`` shows them)."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context; its click base is vendored
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # usage errors: click's own
            raise
        except KeyboardInterrupt:
            render.err.print("Interrupted.")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except Exception as exc:
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            _report(exc)
            raise typer.Exit(ExitStatus.ERROR) from None
        finally:
            try:
                _close(ctx)
            finally:
                flush_logs()  # the command's lines are in the file when it returns

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, its help wrapped by the terminal rather than by its docstring's lines."""
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            _reflow(found)
        return found


def _reflow(command: Any) -> None:
    """Join the single line breaks of ``command``'s help (and its subcommands'): a docstring
    is wrapped for the source, and rich-mode help would keep every break."""
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)
    for sub in getattr(command, "commands", {}).values():
        _reflow(sub)


def _close(ctx: Any) -> None:
    """Close what the command opened; closing checkpoints the index, which can fail too (a
    full disk), and is reported the same way."""
    if not isinstance(ctx.obj, State):
        return
    try:
        ctx.obj.close()
    except Exception as exc:
        if ctx.obj.debug:
            raise
        _report(exc)
        raise typer.Exit(ExitStatus.ERROR) from None


def _report(exc: Exception) -> None:
    if isinstance(exc, AssistantError):
        render.error(exc)
        return
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        return  # the reader of stdout went away (`assistant list | head`)
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else "a file"
        render.error(storage_error(exc, str(where)))
        return
    log.error("unexpected error", exc_info=exc)
    render.error(
        AssistantError(
            f"{type(exc).__name__}: {exc}\nThis is a bug; the details are in {_log_file()}.",
            title="Unexpected error",
        )
    )


def _log_file() -> str:
    from assistant.observability.logs import BackgroundHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, BackgroundHandler) and isinstance(handler.file, logging.FileHandler):
            return handler.file.baseFilename
    return "the log (run again with --debug to see them)"


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("assistant")
        except PackageNotFoundError:
            installed = "(not installed)"
        render.out.print(f"assistant {installed}", markup=False, highlight=False)
        raise typer.Exit()


def build_app() -> typer.Typer:
    """The Typer application with every command group registered."""
    coercion.install()
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
        version: bool = typer.Option(
            False,
            "--version",
            help="Print the installed version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ) -> None:
        current = state(ctx)
        current.flags = {"home": home, "vault": vault}
        current.debug = debug
        current.relog = lambda: _setup_logging(current, verbose or debug)
        current.relog()

    memory.register(app)
    reindex.register(app)
    doctor.register(app)
    chat.register(app)
    models.register(app)
    costs.register(app)
    history.register(app)
    logs.register(app)
    checkins.register(app)
    persona.register(app)
    project.register(app)
    vault.register(app)
    tui.register(app)
    consolidate.register(app)
    review.register(app)
    plugins.register(app)
    serve.register(app)
    backup.register(app)
    pair.register(app)
    transfer.register(app)
    mcp.register(app)
    _plugin_commands(app)
    return app


def _plugin_commands(app: typer.Typer) -> None:
    """Load the plugins and let them add commands; one that fails is reported, not fatal."""
    from assistant import plugins as loader

    if not hasattr(loader.pm.hook, "register_commands"):
        loader.pm.add_hookspecs(hookspecs)
    for failed in loader.load_plugins():
        render.err.print(
            f"[yellow]plugin {escape(failed.name)} not loaded:[/] {escape(failed.error)}"
        )
    loader.call_each("register_commands", app=app)


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file; a record that cannot be written (a full disk) is dropped, silently:
    the command reports the full disk itself."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass


def flush_logs() -> None:
    """Wait until every log line handed over so far is in the log file."""
    from assistant.observability.logs import BackgroundHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, BackgroundHandler):
            handler.flush()


def _ours_or_warning(record: logging.LogRecord) -> bool:
    """On stderr, a library's record only from a warning up: ``--verbose`` shows what the
    assistant does, not its libraries' debugging (asyncio's selector, git's commands)."""
    return record.levelno >= logging.WARNING or record.name.split(".")[0].startswith("assistant")


def _setup_logging(current: State, verbose: bool) -> None:
    """JSON lines in ``<home>/logs/assistant.log`` (rotated, redacted, at the configured level),
    plus stderr under ``--verbose``."""
    from assistant.observability.logs import LEVELS, LOG_NAME, BackgroundHandler, JsonFormatter

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_assistant", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    file_level = logging.DEBUG if current.debug else logging.INFO
    try:
        settings = current.settings()
        kept = settings.observability
        file_level = logging.DEBUG if current.debug else LEVELS[kept.log_level]
        paths.private_dir(settings.home)  # the first thing written in a new home
        log_dir = paths.private_dir(paths.log_dir(settings.home))
        file = _LogFile(
            log_dir / LOG_NAME,
            maxBytes=int(kept.log_file_mb * 1_000_000),
            backupCount=kept.log_files - 1,
            encoding="utf-8",
        )
        file.setFormatter(JsonFormatter())
        background = BackgroundHandler(file)
        background.setLevel(file_level)
        handlers.append(background)
    except (OSError, AssistantError):
        pass  # an unwritable home or an invalid config is reported by the command itself
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("%(message)s"))
    stderr.addFilter(_ours_or_warning)
    handlers.append(stderr)
    root.setLevel(min(file_level, stderr.level))
    for handler in handlers:
        handler._assistant = True  # type: ignore[attr-defined]
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
