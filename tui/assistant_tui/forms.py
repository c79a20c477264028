"""Forms of the memory browser: the filter form and the properties form (type, importance,
tags). Each returns its answer on dismissal and never writes anything itself."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label

from assistant.memory_types import Memory, MemoryType
from assistant_tui.query import Sort, parse
from assistant_tui.screens import MODAL_CSS, Dialog
from assistant_tui.text import plain

_FORM_CSS = """
{name} Grid {{ grid-size: 2; grid-columns: 12 1fr; grid-rows: auto; grid-gutter: 0;
                height: auto; margin-top: 1; }}
{name} Checkbox {{ margin-top: 1; }}
{name} #problem {{ color: $error; height: auto; }}
"""

_STATUSES = ["active", "replaced", "forgotten", "all"]
_SYNONYMS = {"current": "active", "superseded": "replaced", "archived": "forgotten"}


def _field(
    name: str, value: str, placeholder: str, choices: list[str] | None = None
) -> ComposeResult:
    """A label and a one-line input (completing ``choices`` as they are typed)."""
    yield Label(name)
    suggester = SuggestFromList(choices, case_sensitive=False) if choices else None
    yield Input(value, placeholder=placeholder, id=name, suggester=suggester, compact=True)


class FilterForm(ModalScreen[str | None]):
    """Filters and order as a form; answers the search box's new text (its filter words
    rewritten, the free text kept)."""

    DEFAULT_CSS = MODAL_CSS.format(name="FilterForm") + _FORM_CSS.format(name="FilterForm")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Apply")]

    def __init__(self, raw: str) -> None:
        super().__init__()
        self.query_now = parse(raw)

    def compose(self) -> ComposeResult:
        q, where = self.query_now, self.query_now.where
        words = {w.split(":", 1)[0].lower(): w.split(":", 1)[1] for w in q.filters if ":" in w}
        statuses = [
            _SYNONYMS.get(w[3:].lower(), w[3:].lower())
            for w in q.filters
            if w.lower().startswith("is:") and w[3:].lower() != "important"
        ]
        types = [t.value for t in MemoryType]
        with Dialog():
            yield Label("Filter and sort (Enter or Ctrl-S applies, Escape cancels)")
            with Grid():
                yield from _field(
                    "type",
                    " ".join(t.value for t in where.types),
                    "any: " + ", ".join(types),
                    types,
                )
                yield from _field(
                    "status",
                    " ".join(statuses),
                    "current and replaced; or: " + ", ".join(_STATUSES),
                    _STATUSES,
                )
                yield from _field("tag", " ".join(where.tags), "work family")
                yield from _field(
                    "after", words.get("after", words.get("since", "")), "2026-03, today, 30d"
                )
                yield from _field(
                    "before", words.get("before", words.get("until", "")), "2026-06-01"
                )
                yield from _field(
                    "imp", words.get("imp", words.get("importance", "")), ">=7, <3 or 3-6"
                )
                orders = [s.value for s in Sort]
                yield from _field("sort", q.sort.value if q.sort else "", ", ".join(orders), orders)
            yield Checkbox(
                "only memories marked important", where.important is True, id="flag", compact=True
            )
            yield Label("", id="problem", markup=False)
            with Horizontal():
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Apply", id="apply", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(self.query_now.text)
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        words = [self.query_now.text] if self.query_now.text else []
        for key in ("type", "status", "tag", "after", "before", "imp", "sort"):
            for value in self.query_one(f"#{key}", Input).value.replace(",", " ").split():
                word = {"status": "is", "tag": "tag"}.get(key, key)
                words.append(f"{word}:{value.lstrip('#')}")
        if self.query_one("#flag", Checkbox).value:
            words.append("is:important")
        if self.query_now.memory_id:
            words.append(f"id:{self.query_now.memory_id}")
        raw = " ".join(words)
        problems = parse(raw).problems
        if problems:
            self.query_one("#problem", Label).update(plain("\n".join(problems)))
            return
        self.dismiss(raw + " ")

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Properties:
    """What the properties form answers."""

    type: MemoryType
    importance: float
    tags: tuple[str, ...]


class PropertiesForm(ModalScreen[Properties | None]):
    """Change a memory's type, importance and tags."""

    DEFAULT_CSS = MODAL_CSS.format(name="PropertiesForm") + _FORM_CSS.format(name="PropertiesForm")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Save")]

    def __init__(self, memory: Memory) -> None:
        super().__init__()
        self.memory = memory

    def compose(self) -> ComposeResult:
        m = self.memory
        with Dialog():
            yield Label("Type, importance and tags (Enter or Ctrl-S saves, Escape cancels)")
            with Grid():
                yield from _field(
                    "type",
                    m.type.value,
                    ", ".join(t.value for t in MemoryType),
                    [t.value for t in MemoryType],
                )
                yield from _field("importance", f"{m.importance:g}", "0 to 10")
                yield from _field("tags", " ".join(m.tags), "work family")
            yield Label("", id="problem", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_apply()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        name = self.query_one("#type", Input).value.strip().lower()
        kinds = [t for t in MemoryType if t.value.startswith(name)] if name else []
        if len(kinds) != 1:
            self.query_one("#problem", Label).update(
                plain(f"type: {name!r}? one of {', '.join(t.value for t in MemoryType)}")
            )
            return
        kind = kinds[0]
        raw = self.query_one("#importance", Input).value.strip()
        try:
            importance = float(raw)
        except ValueError:
            importance = -1.0
        if not 0 <= importance <= 10:
            self.query_one("#problem", Label).update(plain(f"importance: {raw!r} is not 0 to 10"))
            return
        tags = self.query_one("#tags", Input).value.replace(",", " ").split()
        self.dismiss(Properties(kind, importance, tuple(t.lstrip("#") for t in tags)))

    def action_cancel(self) -> None:
        self.dismiss(None)
