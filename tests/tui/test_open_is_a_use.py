"""Opening a memory's note from the browser counts as a use; listing and searching do not."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from assistant import Assistant
from assistant_tui.app import MemoryBrowser
from tests.tui.pilot import SIZE, rows, settle


@pytest.mark.anyio
async def test_opening_a_note_is_a_use_and_finding_it_is_not(assistant: Assistant) -> None:
    cello = assistant.memories.add("I play the cello on Tuesdays")
    assistant.memories.add("My sister Anna lives in Lyon")
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#search", Input).value = "cello"
        await settle(app, pilot)
        assert rows(app)[0] == cello.text
        assert assistant.memories.usage(cello.id).access_count == 0
        await pilot.press("tab", "o")
        await settle(app, pilot)
    assert assistant.memories.usage(cello.id).access_count == 1
