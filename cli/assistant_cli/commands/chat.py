"""``assistant chat`` (the REPL) and ``assistant ask`` (one question, pipe-safe)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING

import typer

from assistant.conversation.reply import InboundMessage, Notice, Reply
from assistant.errors import AssistantError
from assistant_cli import render
from assistant_cli.commands import forget_prompt
from assistant_cli.commands.line_input import LineReader
from assistant_cli.commands.memory import read_text
from assistant_cli.context import State, state
from assistant_cli.status import ExitStatus

if TYPE_CHECKING:
    from assistant.conversation.responder import Responder
    from assistant.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    """Add the chat and ask commands to ``app``."""
    app.command()(chat)
    app.command()(ask)


def chat(
    ctx: typer.Context,
    model: str = typer.Option(None, "--model", "-m", help="Use this model for every message."),
) -> None:
    """Talk to the assistant (Ctrl-C stops an answer, Ctrl-D leaves)."""
    current = state(ctx)
    if model:
        current.flags["model"] = model
    _hear_ctrl_c()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    reader = LineReader(current.settings().home / "history")
    opening = pool.submit(_open, current)
    starting = pool.submit(_start, opening, reader)
    news = [starting]
    render.err.print(
        "[bold]assistant[/] — /help for commands, Ctrl-C stops an answer, Ctrl-D leaves."
    )
    try:
        while True:
            _show_news(news)
            line = reader.read("you› ")
            if line is None:
                break
            if not line.strip():
                continue
            if line.strip() in ("/exit", "/quit"):
                break
            try:
                responder = opening.result()
            except AssistantError as exc:
                render.error(exc)
                raise typer.Exit(ExitStatus.ERROR) from None
            _show_news(news)
            if starting.done():  # the start reports what waited; after it, only what is new
                for notice in responder.while_away(only_news=True):  # consolidated while idle
                    render.notice(notice)
            _turn(responder, line)
    finally:
        reader.save()
        pool.shutdown()
        _show_news(news)
        if opening.done() and opening.exception() is None:
            with contextlib.suppress(KeyboardInterrupt):  # what the last messages taught
                for notice in opening.result().learned(wait=LEARNING_AT_EXIT):
                    render.notice(notice)
        if starting.done() and starting.exception() is None:
            runtime = starting.result()[0]
            runtime.clock.tick()  # what fell due after the last prompt, shown before leaving
            for notice in runtime.stop():  # the session's moments are kept
                render.notice(notice)
        reader.flush()


LEARNING_AT_EXIT = 30.0
"""Seconds chat waits, when it ends, for the learning still under way, to say what it kept
(messages piped in faster than they are learned from)."""


def _hear_ctrl_c() -> None:
    """Ctrl-C stops an answer even when the chat was started with SIGINT ignored (a script's
    or a shell's background job passes that on, and Python keeps it): at a terminal, the
    person typing Ctrl-C means it."""
    if sys.stdin.isatty() and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _open(current: State) -> Responder:
    """Open the assistant and warm the router (in the background: the prompt never waits)."""
    responder = current.respond_with(confirm=_confirm)
    responder.warm_up()
    return responder


def _start(
    opening: concurrent.futures.Future[Responder], reader: LineReader
) -> tuple[Runtime, list[Notice]]:
    """Start the runtime once the first answer can be given: catch up with the vault, keep
    watching it and its history, consolidate when idle, and show reminders as they fall due
    (above the prompt)."""
    from assistant.runtime import Runtime

    runtime = Runtime(
        opening.result(),
        on_problem=lambda problem: reader.interject(f"[yellow]{render.shown(problem)}[/]"),
    )
    found = runtime.start()
    runtime.attach("cli", lambda notice: reader.interject(render.notice_markup(notice)))
    return runtime, found


def _show_news(pending: list[concurrent.futures.Future[tuple[Runtime, list[Notice]]]]) -> None:
    """Print the notices of background start-up work that has finished, once each."""
    for future in [f for f in pending if f.done()]:
        pending.remove(future)
        try:
            _, found = future.result()
        except AssistantError:
            continue  # reported when the first message needs the assistant
        for notice in found:
            render.notice(notice)


def _turn(responder: Responder, line: str) -> None:
    """One message: forget prompts locally, everything else through respond()."""
    if line.startswith("/forget ") and forget_prompt.run(responder, line[8:].strip()):
        return
    events = responder.respond(InboundMessage(line, channel="cli"))
    try:
        for event in events:
            render.event(event)
    except KeyboardInterrupt:
        events.close()  # the partial answer is kept and logged as interrupted
        render.err.print("\n[dim](stopped)[/dim]")
    except AssistantError as exc:
        render.error(exc)
    except Exception as exc:  # a bug must not end the session; the log has the traceback
        log.exception("unexpected error while answering")
        render.err.print(f"[red]Something went wrong ({type(exc).__name__}); see the log.[/red]")
    with contextlib.suppress(KeyboardInterrupt):
        for notice in responder.learned(wait=1.5):
            render.notice(notice)


def _confirm(question: str) -> bool:
    return typer.confirm(question, default=False, err=True)


def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., help='The question ("-" reads it from stdin).'),
    as_json: bool = typer.Option(False, "--json", help="Print route, model, tokens, cost too."),
    model: str = typer.Option(None, "--model", "-m", help="Use this model."),
) -> None:
    """Ask one question; stdout carries only the answer."""
    current = state(ctx)
    if model:
        current.flags["model"] = model
    text = read_text(question)
    if not text.strip():
        render.err.print("Nothing to ask: give a question.")
        raise typer.Exit(ExitStatus.USAGE)
    responder = current.respond_with()
    responder.assistant.sync_vault()
    reply: Reply | None = None
    for event in responder.respond(InboundMessage(text, channel="cli")):
        if isinstance(event, Reply):
            reply = event
        render.event(event, answer=not as_json)
    for notice in responder.learned(wait=10.0):
        render.notice(notice)
    if reply is None or not reply.text:
        raise typer.Exit(ExitStatus.ERROR)
    if as_json:
        render.emit_json(reply.to_json())
