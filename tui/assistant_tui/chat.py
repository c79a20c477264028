"""The chat screen: talk to the assistant through the same ``respond()`` as ``assistant chat``,
with the memories each answer used listed beside it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from assistant.conversation.reply import InboundMessage, Notice, Reply, Token, ToolUsed
from assistant.conversation.responder import Responder
from assistant.errors import AssistantError
from assistant.memory_types import Hit
from assistant_tui.screens import Confirm
from assistant_tui.text import plain

Ask = Callable[[str], bool]
OpenResponder = Callable[[Ask], Responder]
"""Builds the responder (once), given how to ask the user to confirm a tool's action."""

REDRAW_SECONDS = 0.05
"""A streamed answer is redrawn at most this often."""


class ChatScreen(Screen[None]):
    """Messages on the left, the memories behind the last answer on the right."""

    DEFAULT_CSS = """
    ChatScreen #chat-body { height: 1fr; }
    ChatScreen #transcript { width: 3fr; padding: 0 1; }
    ChatScreen #used { width: 2fr; border-left: tall $primary; padding: 0 1; }
    ChatScreen #message { dock: bottom; margin: 0 1; }
    ChatScreen .you { color: $accent; margin-top: 1; }
    ChatScreen .notice { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Stop / back"),
        Binding("ctrl+l", "clear", "Clear"),
    ]

    def __init__(self, open_responder: OpenResponder) -> None:
        super().__init__()
        self._open = open_responder
        self._answering = threading.Event()
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        with Horizontal(id="chat-body"):
            yield VerticalScroll(id="transcript")
            yield Static("Memories used by the answer appear here.", id="used")
        yield Input(
            placeholder="Message the assistant…  (Enter sends, Escape goes back)", id="message"
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#message", Input).focus()

    @on(Input.Submitted, "#message")
    def _send(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self._answering.is_set():
            return
        event.input.value = ""
        self._add(Text(f"you: {plain(text)}"), "you")
        answer = self._add(Text("…", style="dim"))
        self._answering.set()
        self._stop.clear()
        self.answer(text, answer)

    def _add(self, text: Text, classes: str = "") -> Static:
        widget = Static(text, classes=classes)
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(widget)
        transcript.scroll_end(animate=False)
        return widget

    @work(thread=True, group="chat")
    def answer(self, text: str, shown: Static) -> None:
        """Stream one answer into ``shown``; Escape stops it (what was said is kept)."""
        try:
            responder = self._open(self._confirm)
            events = responder.respond(InboundMessage(text, channel="tui"))
            parts: list[str] = []
            drawn = 0.0
            for item in events:
                if self._stop.is_set():
                    events.close()  # logged as interrupted, like Ctrl-C in the terminal
                    parts.append(" (stopped)")
                    break
                if isinstance(item, Token):
                    parts.append(item.text)
                    if time.monotonic() - drawn > REDRAW_SECONDS:
                        drawn = time.monotonic()
                        self.app.call_from_thread(shown.update, Text(plain_answer(parts)))
                elif isinstance(item, Notice | ToolUsed):
                    line = item.text if isinstance(item, Notice) else f"⚙ {item.summary}"
                    self.app.call_from_thread(self._add, Text(plain(line)), "notice")
                elif isinstance(item, Reply):
                    parts = [item.text] if item.text else parts
                    self.app.call_from_thread(self._show_used, item.memories)
            self.app.call_from_thread(shown.update, Text(plain_answer(parts) or "(no answer)"))
            for notice in responder.learned(wait=1.5):
                self.app.call_from_thread(self._add, Text(plain(notice.text)), "notice")
        except AssistantError as exc:
            self.app.call_from_thread(shown.update, Text(plain(str(exc)), style="red"))
        finally:
            self._answering.clear()

    def _show_used(self, hits: list[Hit]) -> None:
        out = Text()
        out.append("memories used\n", style="bold")
        if not hits:
            out.append("none: this answer did not need any\n", style="dim")
        for hit in hits:
            out.append(f"{hit.score:.2f} ", style="dim")
            out.append(plain(hit.memory.text, 120) + "\n")
        self.query_one("#used", Static).update(out)

    def _confirm(self, question: str) -> bool:
        """Ask on the screen (called from the answering thread, which waits)."""
        return confirm_on(self.app, question)

    def action_leave(self) -> None:
        if self._answering.is_set():
            self._stop.set()
        else:
            self.app.pop_screen()

    def action_clear(self) -> None:
        self.query_one("#transcript", VerticalScroll).remove_children()


def plain_answer(parts: list[str]) -> str:
    """The streamed answer so far, safe to show (no escape sequences from a model)."""
    return plain("".join(parts)) if parts else ""


def confirm_on(app: App[None], question: str) -> bool:
    """Ask ``question`` in a dialog over ``app`` and wait for the answer (from a worker
    thread, never the app's own)."""
    answered = threading.Event()
    result: list[bool] = []

    def done(yes: bool | None) -> None:
        result.append(bool(yes))
        answered.set()

    app.call_from_thread(app.push_screen, Confirm(question), done)
    answered.wait()
    return result[0]
