"""``assistant chat``: a terminal REPL over the memory commands.

Plain messages are answered from memory (the best matching memories are shown); slash
commands store, search and forget. The assistant opens in the background so the prompt
appears at once.
"""

from __future__ import annotations

import concurrent.futures
import contextlib

import typer

from assistant import Assistant
from assistant.errors import AssistantError
from assistant_cli import render
from assistant_cli.context import State, state

HELP = """Commands:
  /remember [important] TEXT   store a memory
  /search QUERY                find memories
  /show ID                     show one memory
  /forget ID                   archive a memory (asks first)
  /restore ID                  bring an archived memory back
  /list                        the newest memories
  /help                        this help
  /exit                        leave (or Ctrl-D)
Anything else is answered from what I remember."""


def register(app: typer.Typer) -> None:
    """Add the chat command to ``app``."""
    app.command()(chat)


def chat(ctx: typer.Context) -> None:
    """Talk to the assistant."""
    current = state(ctx)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    opening = pool.submit(_open_and_catch_up, current)
    told = False
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    render.err.print("[bold]assistant[/] — type /help for commands, Ctrl-D to leave.")
    try:
        while True:
            try:
                line = render.err.input("[bold]you›[/] ").strip()
            except EOFError:
                render.err.print()
                break
            except KeyboardInterrupt:
                render.err.print()
                continue
            if not line:
                continue
            if line in ("/exit", "/quit"):
                break
            try:
                assistant, caught_up = opening.result()
                if caught_up and not told:
                    render.err.print(f"[dim]{caught_up}[/dim]")
                told = True
                handle(line, assistant, current)
            except AssistantError as exc:
                render.error(exc)
    finally:
        pool.shutdown()


def _open_and_catch_up(current: State) -> tuple[Assistant, str]:
    """Open the assistant and index what changed in the vault while nothing ran."""
    assistant = current.open()
    report = assistant.memories.sync()
    assistant.watch_vault(
        lambda problem: render.err.print(f"[yellow]vault:[/] {problem}", markup=True)
    )
    if not report.pending and not report.invalid:
        return assistant, ""
    line = f"Picked up {report.pending} changes made in the vault while I was away."
    if report.invalid:
        line += f" {len(report.invalid)} notes could not be read: `assistant vault status`."
    return assistant, line


def handle(line: str, assistant: Assistant, current: State) -> None:
    """Run one REPL line."""
    command, _, rest = line.partition(" ")
    memories = assistant.memories
    rest = rest.strip()
    if command == "/help":
        render.out.print(HELP, markup=False)
    elif command == "/remember":
        important = rest.startswith("important ")
        text = rest.removeprefix("important ").strip() if important else rest
        memory = memories.add(text, important=important, importance=8.0 if important else 5.0)
        render.out.print(f"Remembered ({memory.id}).")
    elif command == "/search":
        render.hits(memories.search(rest, 5), explain=False)
    elif command == "/show":
        memory = memories.get(rest)
        render.memory(memory, access_count=memories.usage(memory.id).access_count, links=[])
    elif command == "/forget":
        target = memories.get(rest)
        render.out.print(target.text)
        if typer.confirm("Forget this memory?", default=False):
            memories.forget(target.id)
            render.out.print(f"Archived {target.id}; /restore {target.id} brings it back.")
    elif command == "/restore":
        render.out.print(f"Restored {memories.restore(rest).id}.")
    elif command == "/list":
        render.memories(memories.list(limit=20))
    elif command.startswith("/"):
        render.err.print(f"Unknown command {command}; /help lists them.")
    else:
        answer_from_memory(line, assistant, current)


def answer_from_memory(line: str, assistant: Assistant, current: State) -> None:
    """Without a chat model, answer with the memories that match the message."""
    hits = assistant.memories.search(line, 5)
    if not current.flags.get("_told_no_model"):
        render.err.print(
            "[dim]No chat model is configured, so I answer with what I remember. "
            "Use /remember to teach me.[/dim]"
        )
        current.flags["_told_no_model"] = True
    if hits:
        render.out.print("Here is what I remember:")
        for hit in hits:
            render.out.print(f"  • {hit.memory.text}  [dim]({hit.memory.id[-6:]})[/dim]")
    else:
        render.out.print("I don't remember anything about that yet.")
