"""Rendering for the CLI: results on stdout, everything else on stderr.

Text the user did not type here (memories, notes, file names, answers) is escaped before it
meets Rich markup, and both consoles show control characters as visible symbols, whichever
command prints them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from assistant.conversation.reply import Notice, Reply, ReplyEvent, Token, ToolUsed
from assistant.errors import AssistantError
from assistant.memory_types import Hit, Memory
from assistant.text import display_safe
from assistant.wire import hit_to_wire, turn_hit_to_wire
from assistant_cli import json_view
from assistant_cli.json_view import emit_json as emit_json  # one output for --json

if TYPE_CHECKING:
    from assistant import TurnHit
    from assistant.observability.health import Check


class _Shown:
    """A renderable whose text reaches the terminal display-safe (Rich's own cursor and
    screen controls, which carry no text, pass as they are)."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control:
                yield segment
            else:
                yield Segment(display_safe(segment.text), segment.style)


class _DisplaySafe(RenderHook):
    """Every renderable a console prints goes through :class:`_Shown`."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Shown(r) for r in renderables]


def _console(**options: Any) -> Console:
    console = Console(highlight=False, **options)
    console.push_render_hook(_DisplaySafe())
    return console


out = _console(soft_wrap=True)
err = _console(stderr=True)


def shown(text: str) -> str:
    """Text from a memory, a note or a model, ready for Rich markup: escaped and
    display-safe."""
    return escape(display_safe(text))


def counted(number: int, one: str, many: str = "") -> str:
    """``number`` with the noun in its form for that number: ``1 note``, ``2 notes``
    (``many``: an irregular plural, as in ``thing you said``/``things you said``)."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def error(exc: AssistantError) -> None:
    """A red panel with the error's title, on stderr."""
    body = Text(display_safe(exc.message), overflow="fold")
    err.print(Panel(body, title=Text(display_safe(exc.title)), border_style="red", expand=False))


def hit_json(hit: Hit) -> dict[str, Any]:
    """A search hit as the ``--json`` object."""
    return json_view.hit_json(hit_to_wire(hit))


def hits(found: Sequence[Hit], *, explain: bool) -> None:
    """Search results as a table."""
    if not found:
        err.print("No matching memories.")
        return
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("type")
    table.add_column("memory")
    for hit in found:
        text = shown(_short(hit.memory.text))
        if explain:
            text += "\n[dim]" + shown(hit.breakdown.explain()) + "[/dim]"
        table.add_row(hit.memory.id, f"{hit.score:.3f}", hit.memory.type.value, text)
    out.print(table)


def said_json(hit: TurnHit) -> dict[str, Any]:
    """A conversation turn found by search, as a ``--json`` object (``kind: said``)."""
    return json_view.said_json(turn_hit_to_wire(hit))


def said(found: Sequence[TurnHit]) -> None:
    """Conversation turns found by search: the user's own words and when they said them."""
    if not found:
        return
    table = Table(show_header=True, header_style="bold", expand=False, title="you said")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("said", no_wrap=True)
    table.add_column("your words")
    for hit in found:
        table.add_row(
            hit.turn.id,
            f"{hit.score:.3f}",
            f"{hit.turn.date:%Y-%m-%d %H:%M}",
            shown(_short(hit.turn.text)),
        )
    out.print(table)


def memories(found: Sequence[Memory]) -> None:
    """A listing of memories as a table."""
    if not found:
        err.print("No memories.")
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("type")
    table.add_column("imp", justify="right")
    table.add_column("created", no_wrap=True)
    mixed = len({m.status for m in found}) > 1  # `list --status all`: say which is which
    if mixed:
        table.add_column("status")
    table.add_column("memory")
    for m in found:
        star = "★ " if m.important else ""
        status = [m.status.value] if mixed else []
        table.add_row(
            m.id,
            m.type.value,
            f"{m.importance:g}",
            m.created.strftime("%Y-%m-%d"),
            *status,
            star + shown(_short(m.text)),
        )
    out.print(table)


def memory(m: Memory, *, access_count: int, links: Sequence[tuple[str, str, str]]) -> None:
    """One memory in full."""
    out.print(f"[bold cyan]{m.id}[/]  [dim]{m.type.value} · {m.status.value}[/]")
    out.print(shown(m.text))
    out.print()
    rows = [
        ("importance", f"{m.importance:g}" + (" (marked important)" if m.important else "")),
        ("emotion", f"{m.emotion:g}"),
        ("tags", ", ".join(m.tags) or "—"),
        ("entities", ", ".join(m.entities) or "—"),
        ("created", m.created.isoformat()),
        ("updated", m.updated.isoformat()),
        ("source", m.source),
        ("used", f"{access_count} times"),
        ("note", m.path.as_posix() if m.path else "—"),
    ]
    rows += [("supersedes", ", ".join(m.supersedes))] if m.supersedes else []
    rows += [(k, json.dumps(v, default=str)) for k, v in m.metadata.items()]
    rows += [(f"link:{kind}", f"{src} → {dst}") for src, dst, kind in links]
    for key, value in rows:
        out.print(f"[dim]{shown(f'{key:>11}')}[/]  {shown(str(value))}")


def checks(found: Sequence[Check]) -> None:
    """Doctor results, one line each with the fix."""
    for check in found:
        mark = "[green]✓[/]" if check.ok else "[yellow]![/]" if check.degrades else "[red]✗[/]"
        out.print(f"{mark} [bold]{shown(check.name)}[/]: {shown(check.detail)}")
        if check.fix:
            out.print(f"    [yellow]fix:[/] {shown(check.fix)}")


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def event(item: ReplyEvent, *, answer: bool = True) -> None:
    """Show one response event: answer tokens on stdout as they arrive, the rest on stderr."""
    if isinstance(item, Token):
        if answer:
            out.file.write(display_safe(item.text))
            out.file.flush()
    elif isinstance(item, Notice):
        notice(item)
    elif isinstance(item, ToolUsed):
        mark = "⚙" if item.ok else "✗"
        err.print(f"[dim]{mark} {shown(item.summary)}[/dim]")
    elif isinstance(item, Reply) and answer and item.text and not item.text.endswith("\n"):
        out.file.write("\n")
        out.file.flush()


def notice(item: Notice) -> None:
    """A one-line status on stderr."""
    err.print(notice_markup(item))


def notice_markup(item: Notice) -> str:
    """The Rich markup of a notice line (its text escaped); a check-in reads as the
    assistant's own words."""
    if item.level == "checkin":
        return f"[bold cyan]assistant:[/] {shown(item.text)}"
    style = "yellow" if item.level == "warning" else "dim"
    return f"[{style}]{shown(item.text)}[/{style}]"
