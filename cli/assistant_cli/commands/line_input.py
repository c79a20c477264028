"""Line input for the REPL: readline editing and history, and multi-line pastes."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
from pathlib import Path
from types import ModuleType

from assistant import redact_secrets
from assistant_cli import render


class LineReader:
    """Reads one message at a time from the terminal.

    A paste of several lines arrives as one message: after a line is read, any input already
    waiting is read too. A line of three double quotes starts an explicit block that ends
    at the next such line.
    """

    def __init__(self, history: Path) -> None:
        self._history = history
        self._readline: ModuleType | None = None
        self._prompt = ""
        self._waiting = False
        self._held: list[str] = []
        self._lock = threading.Lock()
        with contextlib.suppress(ImportError):
            import readline

            self._readline = readline
            with contextlib.suppress(OSError):
                readline.read_history_file(history)
            readline.set_history_length(1000)

    def read(self, prompt: str) -> str | None:
        """The next message, or None at end of input (Ctrl-D)."""
        while True:
            try:
                line = self._input(prompt)
            except EOFError:
                render.err.print()
                return None
            except KeyboardInterrupt:
                render.err.print()
                continue
            if line.strip() == '"""':
                return self._block()
            return "\n".join([line, *self._pending()])

    def interject(self, markup: str) -> None:
        """Show a line (Rich markup) from another thread: above the prompt while one waits
        for input, with what was typed so far drawn again; else before the next prompt."""
        with self._lock:
            if not self._waiting:
                self._held.append(markup)
                return
            if sys.stderr.isatty():
                render.err.print("\r\x1b[K", end="")  # over the prompt drawn
            render.err.print(markup)
            if not sys.stdout.isatty():
                return  # piped: the prompt drawn again would be escape codes in the output
            typed = self._readline.get_line_buffer() if self._readline is not None else ""
            sys.stdout.write(f"\x1b[1m{self._prompt}\x1b[0m{typed}")
            sys.stdout.flush()

    def flush(self) -> None:
        """Show the lines held for the next prompt now (the chat is ending): a reminder
        delivered to it is never dropped unseen."""
        with self._lock:
            for markup in self._held:
                render.err.print(markup)
            self._held.clear()

    def _input(self, prompt: str) -> str:
        with self._lock:
            for markup in self._held:
                render.err.print(markup)
            self._held.clear()
            self._prompt, self._waiting = prompt, True
        try:
            if self._readline is not None and sys.stdin.isatty() and sys.stdout.isatty():
                # readline draws the prompt itself, once the terminal is in its mode; \001
                # and \002 mark the escape codes so line editing measures the prompt right.
                return input(f"\001\x1b[1m\002{prompt}\001\x1b[0m\002")
            return render.err.input(f"[bold]{prompt}[/]")
        finally:
            with self._lock:
                self._waiting = False

    def _block(self) -> str:
        lines: list[str] = []
        while True:
            try:
                line = input()
            except (EOFError, KeyboardInterrupt):
                break
            if line.strip() == '"""':
                break
            lines.append(line)
        return "\n".join(lines)

    def _pending(self) -> list[str]:
        """Lines already typed or pasted after the first one."""
        more: list[str] = []
        if not sys.stdin.isatty():
            return more
        while len(more) < 10_000 and _ready(0.03):
            try:
                more.append(input())
            except (EOFError, KeyboardInterrupt):
                break
        return more

    def save(self) -> None:
        """Write the input history back (readable by you only), every secret in it redacted:
        the file keeps what you typed, never a password or a key."""
        if self._readline is None:
            return
        readline = self._readline
        entries = [
            readline.get_history_item(i)
            for i in range(1, readline.get_current_history_length() + 1)
        ]
        readline.clear_history()
        for entry in entries:
            if entry:
                readline.add_history(redact_secrets(entry))
        with contextlib.suppress(OSError):
            self._history.parent.mkdir(parents=True, exist_ok=True)
            self._readline.write_history_file(self._history)
            os.chmod(self._history, 0o600)


def _ready(timeout: float) -> bool:
    try:
        readable, _, _ = select.select([sys.stdin], [], [], timeout)
    except (OSError, ValueError):
        return False
    return bool(readable)
