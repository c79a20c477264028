"""What the browser's pilot tests share: waiting for the workers, and reading the list."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from rich.console import Console
from textual.widgets import DataTable, Input
from textual.worker import WorkerCancelled

from assistant_tui.app import MemoryBrowser

SIZE = (100, 30)


async def settle(app: MemoryBrowser, pilot: Any, rounds: int = 3, delay: float = 0.0) -> None:
    """Wait until no worker runs (a search cancelled by a newer one, and the detail's read
    after a highlight, included); cursors stop blinking, for screenshots."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause(delay or None)
        for box in app.screen.query(Input):
            box.cursor_blink = False


def rows(app: MemoryBrowser) -> list[str]:
    """The texts listed, in the list's order."""
    table = app.query_one("#list", DataTable)
    return [app._rows[str(key.value)].memory.text for key in table.rows]


def screen_text(app: MemoryBrowser) -> str:
    """What the terminal shows now (every layer: dialogs and notifications included), as
    text: the characters the browser sends, without its colours."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)
