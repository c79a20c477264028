"""Modal screens of the memory browser: confirm, edit text, pick a link, help.

Each dialog fits the screen: its body scrolls when the terminal is small, and its buttons
stay in view at the bottom. Text in a dialog is shown as written, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from assistant_tui.detail import Link
from assistant_tui.text import plain

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Dialog {{
    width: 70; max-width: 90%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} Horizontal {{ dock: bottom; height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 1; }}
"""


class Dialog(VerticalScroll, can_focus=False):
    """A dialog's frame: its body scrolls on a small screen (focus moves into it, never onto
    it, so the first field or button has the keys)."""


class Confirm(ModalScreen[bool]):
    """Yes or no; Escape and ``n`` mean no."""

    DEFAULT_CSS = MODAL_CSS.format(name="Confirm")
    BINDINGS = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Dialog():
            yield Label(plain(self.question), markup=False)
            with Horizontal():
                yield Button("No", id="no")
                yield Button("Yes", id="yes", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class EditText(ModalScreen[str | None]):
    """Edit a memory's text; Ctrl-S saves, Escape cancels."""

    DEFAULT_CSS = MODAL_CSS.format(name="EditText") + "EditText TextArea { height: 12; }"
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str) -> None:
        """``text`` is shown (and saved, once changed) with its control characters as
        visible symbols."""
        super().__init__()
        self.text = plain(text)

    def compose(self) -> ComposeResult:
        with Dialog():
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
        text = self.query_one("#editor", TextArea).text
        self.dismiss(text if text != self.text else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinkPicker(ModalScreen[str | None]):
    """Pick one of a memory's links; answers the linked memory's id."""

    DEFAULT_CSS = MODAL_CSS.format(name="LinkPicker") + (
        "LinkPicker OptionList { height: auto; max-height: 20; }"
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, links: Sequence[Link]) -> None:
        super().__init__()
        self.links = list(links)

    def compose(self) -> ComposeResult:
        with Dialog():
            yield Label("Open a linked memory (Enter opens, Escape cancels)")
            yield OptionList(
                *(
                    Option(Text(f"{link.label}: {plain(link.memory.text, 60)}"), id=link.memory.id)
                    for link in self.links
                ),
                id="links",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Help(ModalScreen[None]):
    """The keys of the browser."""

    DEFAULT_CSS = MODAL_CSS.format(name="Help") + "Help > Dialog { width: 84; }"
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, bindings: Sequence[BindingType]) -> None:
        super().__init__()
        self.keys = [b for b in bindings if isinstance(b, Binding)]

    def compose(self) -> ComposeResult:
        names = {"slash": "/", "question_mark": "?", "u,ctrl+z": "u"}
        lines = [f"{names.get(b.key, b.key):>6}  {b.description}" for b in self.keys]
        extra = [
            "",
            "   ↑ ↓  move in the list (↓ or Enter from the search box goes to the list)",
            "   Tab  switch between search and list",
            "",
            "Search box filters:  type:episodic  #tag  is:forgotten  is:important",
            "  after:2026-03  before:30d  imp:>=7  sort:importance  id:01K…",
        ]
        with Dialog(can_focus=True):  # the arrow keys scroll the keys
            yield Label("Keys\n\n" + "\n".join(lines + extra), markup=False)
            with Horizontal():
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
