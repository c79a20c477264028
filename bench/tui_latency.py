"""The memory browser over 10k memories: first paint (the full list shown) and the time from
the last keystroke of a search to the first frame that shows its results (the screen's
compositor refresh after the list was filled). Headless, through Textual's pilot; the
frame times come from wrapping ``Screen._compositor_refresh``, which renders every frame.

python bench/tui_latency.py [HOME]      (default: the seeded 10k home)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from common import queries, seeded_home, summary
from textual.screen import Screen
from textual.widgets import DataTable, Input

from assistant import Assistant
from assistant_tui.app import MemoryBrowser

FRAMES: list[float] = []
_refresh = Screen._compositor_refresh


def _recorded(self: Screen[object]) -> None:
    _refresh(self)
    FRAMES.append(time.perf_counter())


Screen._compositor_refresh = _recorded  # type: ignore[method-assign]


async def measure(assistant: Assistant) -> tuple[float, list[float]]:
    started = time.perf_counter()
    app = MemoryBrowser(assistant)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one("#list", DataTable)
        while table.row_count == 0:
            await asyncio.sleep(0.005)
        painted = time.perf_counter() - started
        search = app.query_one("#search", Input)
        millis = []
        for query in queries(30):
            typed = time.perf_counter()
            search.value = query
            while app.sub_title != f"{table.row_count} found" or app._query != query:
                await asyncio.sleep(0.001)
            filled = time.perf_counter()
            while not FRAMES or FRAMES[-1] < filled:
                await asyncio.sleep(0.001)
            millis.append((FRAMES[-1] - typed) * 1000)
            await pilot.pause()
            search.value = ""
            await app.workers.wait_for_complete()
    return painted, millis


def assistant_ids(home: Path) -> list[str]:
    """The ids of the memories in ``home`` (to name its size)."""
    with Assistant.open(home) as assistant:
        return assistant.vectors.ids()


def main(home: Path | None = None) -> None:
    home = home or seeded_home(10_000)
    size = f"{len(assistant_ids(home)):,} memories"
    with Assistant.open(home) as assistant:
        paints, all_millis = [], []
        for _ in range(3):
            painted, millis = asyncio.run(measure(assistant))
            paints.append(painted)
            all_millis += millis
    print(
        f"first paint, {size} listed: median {statistics.median(paints):.2f} s "
        f"(runs {', '.join(f'{p:.2f}' for p in paints)})"
    )
    print(summary(f"typing stops → results on screen ({size})", all_millis))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
