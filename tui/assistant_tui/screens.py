"""Modal screens of the memory browser: confirm, edit text, help."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

_MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; max-width: 90%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 1; }}
"""


class Confirm(ModalScreen[bool]):
    """Yes or no; Escape and ``n`` mean no."""

    DEFAULT_CSS = _MODAL_CSS.format(name="Confirm")
    BINDINGS = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            with Horizontal():
                yield Button("No", id="no")
                yield Button("Yes", id="yes", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class EditText(ModalScreen[str | None]):
    """Edit a memory's text; Ctrl-S saves, Escape cancels."""

    DEFAULT_CSS = _MODAL_CSS.format(name="EditText") + "EditText TextArea { height: 12; }"
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Edit the memory (Ctrl-S saves, Escape cancels)")
            yield TextArea(self.text, id="editor", soft_wrap=True)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.query_one("#editor", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Help(ModalScreen[None]):
    """The keys of the browser."""

    DEFAULT_CSS = _MODAL_CSS.format(name="Help")
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, bindings: Sequence[BindingType]) -> None:
        super().__init__()
        self.keys = [b for b in bindings if isinstance(b, Binding)]

    def compose(self) -> ComposeResult:
        names = {"slash": "/", "question_mark": "?"}
        lines = [f"{names.get(b.key, b.key):>6}  {b.description}" for b in self.keys]
        extra = ["", "  ↑ ↓  move in the list", "  Tab  switch between search and list"]
        with Vertical():
            yield Label("Keys\n\n" + "\n".join(lines + extra))
            with Horizontal():
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
