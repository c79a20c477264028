"""The memory browser, driven by Textual's pilot over a real home."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.errors import NoWidget
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from assistant import Assistant, Draft
from assistant_tui.app import MemoryBrowser
from assistant_tui.text import plain
from tests.tui.pilot import SIZE, rows, screen_text, settle


def _seed(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            Draft(
                "My sister Anna lives in Lyon",
                tags=["family"],
                created_at=datetime(2026, 3, 1, tzinfo=UTC),
            ),
            Draft("I play the cello on Tuesdays", created_at=datetime(2026, 4, 2, tzinfo=UTC)),
            Draft(
                "The boiler needs servicing every autumn",
                created_at=datetime(2026, 5, 3, tzinfo=UTC),
            ),
        ]
    )


@pytest.mark.anyio
async def test_search_as_you_type_and_the_detail_explains_why(assistant: Assistant) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(rows(app)) == 3
        await pilot.press("slash", *"where does my sister live")
        await settle(app, pilot)
        assert rows(app)[0] == "My sister Anna lives in Lyon"
        await pilot.press("tab")
        await settle(app, pilot)
        detail = str(app.query_one("#detail", Static).render())
        assert "why it was found" in detail and "score" in detail and "#family" in detail


@pytest.mark.anyio
async def test_forget_asks_then_restore_brings_it_back(assistant: Assistant) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        first = rows(app)[0]
        await pilot.press("f", "n")  # declined: nothing happens
        await settle(app, pilot)
        assert len(assistant.memories.list()) == 3
        await pilot.press("f", "y")
        await settle(app, pilot)
        assert len(assistant.memories.list()) == 2
        archived = assistant.memories.list(statuses=["archived"])
        assert [m.text for m in archived] == [first]
        assert "Archive" in archived[0].path.parts  # type: ignore[union-attr]
        await pilot.press("a")
        await settle(app, pilot)
        table = app.query_one("#list", DataTable)
        index = next(i for i, t in enumerate(rows(app)) if t.startswith(first))
        table.move_cursor(row=index)
        await pilot.press("r")
        await settle(app, pilot)
        assert len(assistant.memories.list()) == 3


@pytest.mark.anyio
async def test_edit_and_important_land_in_the_note(assistant: Assistant) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "i")
        await settle(app, pilot)
        newest = assistant.memories.list()[0]
        assert newest.important
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", *"The boiler is serviced in October", "ctrl+s")
        await settle(app, pilot)
    note = (assistant.settings.vault / newest.path).read_text()  # type: ignore[operator]
    assert "The boiler is serviced in October" in note and "important: true" in note


@pytest.mark.anyio
async def test_an_empty_store_and_a_failing_search_are_shown_not_raised(
    assistant: Assistant,
) -> None:
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "No memories yet." in str(app.query_one("#detail", Static).render())
        app.query_one("#search", Input).value = "x" * (assistant.settings.max_text_chars + 1)
        await settle(app, pilot)
        assert any(n.severity == "error" for n in app._notifications)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mred\x1b[0m b", "a␛[31mred␛[0m b"),
        ("bell\x07 and\nnew line", "bell␇ and new line"),
    ],
)
def test_control_characters_never_reach_the_screen(raw: str, shown: str) -> None:
    assert plain(raw, 100) == shown


NOTES = [
    ("01K0000000000000000000000A", "My sister Anna lives in Lyon", "identity", "[family]"),
    ("01K0000000000000000000000B", "I play the cello on Tuesdays", "semantic", "[music]"),
    ("01K0000000000000000000000C", "The boiler needs servicing every autumn", "procedural", "[]"),
]


def _fixed_notes(assistant: Assistant) -> None:
    """Notes with fixed ids and dates, so screenshots are the same on every run."""
    for n, (memory_id, text, kind, tags) in enumerate(NOTES):
        folder = assistant.settings.assistant_dir / "Memories" / kind.capitalize()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = f"2026-0{n + 3}-01T09:00:00Z"
        (folder / f"{text}.md").write_text(
            f"---\nid: {memory_id}\ntype: {kind}\nimportance: {5 + n}\ntags: {tags}\n"
            f"created: {stamp}\nupdated: {stamp}\nsource: user\n---\n{text}\n"
        )
    assistant.memories.sync()


FIXED_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC).timestamp()


def _browser(assistant: Assistant, **options: Any) -> MemoryBrowser:
    """A browser whose clock stands still (for "3 days ago" in screenshots)."""
    return MemoryBrowser(assistant, clock=lambda: FIXED_NOW, **options)


def _many_notes(assistant: Assistant, count: int = 50) -> None:
    """``count`` notes with fixed ids, dates, types and tags."""
    kinds = ["semantic", "episodic", "procedural", "identity", "emotional"]
    topics = ["climbing", "cello", "work", "family", "garden"]
    for n in range(count):
        kind, topic = kinds[n % 5], topics[(n // 5) % 5]
        folder = assistant.settings.assistant_dir / "Memories" / kind.capitalize()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = f"2026-{1 + n % 9:02d}-{1 + n % 28:02d}T09:00:00Z"
        text = f"Note {n:02d} on {topic}: a {kind} memory worth keeping"
        (folder / f"{text.replace(':', '')}.md").write_text(
            f"---\nid: 01K0000000000000000000{n:04d}\ntype: {kind}\nimportance: {n % 10}\n"
            f"tags: [{topic}]\ncreated: {stamp}\nupdated: {stamp}\nsource: user\n---\n{text}\n"
        )
    assistant.memories.sync()


def _still(app: MemoryBrowser) -> None:
    app.query_one("#search", Input).cursor_blink = False


def test_snapshot_empty_store(assistant: Assistant, snap_compare: object) -> None:
    app = _browser(assistant)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before(app))  # type: ignore[operator]


def test_snapshot_list_and_detail(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        press=["tab"],  # type: ignore[operator]
        run_before=_before(app),
    )


def test_snapshot_search_results(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before(app, query="cello"))  # type: ignore[operator]


def test_snapshot_confirm_and_help(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        press=["tab", "f"],  # type: ignore[operator]
        run_before=_before(app),
    )
    help_app = _browser(assistant)
    assert snap_compare(
        help_app,
        terminal_size=SIZE,
        press=["tab", "question_mark"],  # type: ignore[operator]
        run_before=_before(help_app),
    )


def _before(app: MemoryBrowser, query: str = ""):  # type: ignore[no-untyped-def]
    """Wait for the list (and a search) to be shown, with the cursor not blinking."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        _still(app)
        await settle(app, pilot, delay=0.1)
        if query:
            app.query_one("#search", Input).value = query
            await settle(app, pilot, delay=0.1)

    return run_before


def _before_keys(app: MemoryBrowser, *keys: str):  # type: ignore[no-untyped-def]
    """Wait for the list, press ``keys``, then wait for the screen they open to load."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        _still(app)
        await settle(app, pilot, delay=0.1)
        await pilot.press(*keys)
        await settle(app, pilot, delay=0.1)

    return run_before


def _queue_fixed(assistant: Assistant) -> None:
    item = assistant.reviews.add("contradiction", NOTES[1][0], NOTES[0][0], "a fixed reason")
    assert item is not None


@pytest.mark.anyio
async def test_the_review_screen_settles_a_contradiction_in_the_notes(
    assistant: Assistant,
) -> None:
    old, new = assistant.memories.add_many(
        [
            Draft("My sister's name is Anna.", created_at=datetime(2026, 1, 5, tzinfo=UTC)),
            "My sister's name is Maria.",
        ]
    )
    assistant.reviews.add("contradiction", new.id, old.id, "two names for your sister")
    app = _browser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "v")
        await settle(app, pilot)
        shown = str(app.screen.query_one("#review", Static).render())
        assert "two names for your sister" in shown and "Maria" in shown and "Anna" in shown
        await pilot.press("n")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "Nothing to review." in str(app.screen.query_one("#review", Static).render())
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]
    replaced = assistant.memories.get(old.id)
    assert replaced.status.value == "superseded"
    assert assistant.reviews.open() == []


@pytest.mark.anyio
async def test_the_dashboard_and_the_theme_toggle(assistant: Assistant) -> None:
    _seed(assistant)
    app = _browser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        dark = app.theme
        await pilot.press("tab", "t")
        assert app.theme != dark
        await pilot.press("d")
        await settle(app, pilot)
        shown = str(app.screen.query_one("#dashboard", Static).render())
        for part in (
            "Memories by type",
            "semantic",
            "Learned per month",
            "2026-03",
            "nothing spent",
            "no runs yet",
            "0 changes not yet indexed",
            "Doctor",
            "Mood of Assistant",
            "needs: social",
        ):
            assert part in shown, part


def test_snapshot_review_queue(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    _queue_fixed(assistant)
    app = _browser(assistant)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before_keys(app, "tab", "v"))  # type: ignore[operator]


def test_snapshot_empty_review_queue_and_dashboard(
    assistant: Assistant, snap_compare: object
) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before_keys(app, "tab", "v"))  # type: ignore[operator]
    board = _browser(assistant)
    assert snap_compare(board, terminal_size=SIZE, run_before=_before_keys(board, "tab", "d"))  # type: ignore[operator]


def test_snapshot_fifty_memories(assistant: Assistant, snap_compare: object) -> None:
    _many_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before_keys(app, "tab", "down"))  # type: ignore[operator]


def test_snapshot_filters_with_a_bad_word_at_80_columns(
    assistant: Assistant, snap_compare: object
) -> None:
    _many_notes(assistant)
    app = _browser(assistant)
    query = "memory #cello imp:>=4 type:fish sort:importance"
    assert snap_compare(app, terminal_size=(80, 24), run_before=_before(app, query=query))  # type: ignore[operator]


def test_snapshot_filter_form(assistant: Assistant, snap_compare: object) -> None:
    _many_notes(assistant)
    app = _browser(assistant)
    assert snap_compare(
        app,
        terminal_size=SIZE,  # type: ignore[operator]
        run_before=_before_keys(app, "ctrl+f"),
    )


def test_snapshot_error_when_the_vault_is_gone(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)

    async def run_before(pilot: Any) -> None:
        _still(app)
        await settle(app, pilot, delay=0.1)
        shutil.rmtree(assistant.settings.vault)
        await pilot.press("tab", "i")
        await settle(app, pilot, delay=0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)  # type: ignore[operator]


def test_snapshot_chat_screen(assistant: Assistant, snap_compare: object) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant, open_responder=lambda confirm: None)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before_keys(app, "tab", "c"))  # type: ignore[operator]


@pytest.mark.anyio
async def test_search_scores_fade_to_the_browsers_clock(assistant: Assistant) -> None:
    _fixed_notes(assistant)
    half_life = assistant.settings.retrieval.recency_half_life_days
    app = _browser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one("#search", Input).value = "cello"
        await settle(app, pilot, delay=0.1)
        row = app._rows[NOTES[1][0]]
        assert row.hit is not None
        age_days = (FIXED_NOW - row.memory.created.timestamp()) / 86400
        assert row.hit.breakdown.recency == pytest.approx(0.5 ** (age_days / half_life))


HOSTILE = "Lives in [city] \x1b]0;pwned\x07\x1b[2J\x1b[?1049h\x9b1m [b]bold[/b]"
CONTROLS = {"\x1b", "\x07", "\x9b"}


@pytest.mark.anyio
async def test_memory_text_is_shown_as_written_never_as_markup_or_escapes(
    assistant: Assistant,
) -> None:
    folder = assistant.settings.assistant_dir / "Memories"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Hostile.md").write_text(HOSTILE + "\n", encoding="utf-8")
    assistant.memories.sync()
    assert [m.text for m in assistant.memories.list()] == [HOSTILE]
    app = _browser(assistant)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        await settle(app, pilot)
        shown = screen_text(app)  # the list and the detail pane
        assert not set(shown) & CONTROLS and "Lives in [city] ␛]0;pwned␇␛[2J" in shown
        await pilot.press("f")
        await settle(app, pilot)
        shown = screen_text(app)  # the confirm dialog
        assert not set(shown) & CONTROLS and "Forget “Lives in [city] ␛]0;pwned␇" in shown
        assert "[b]bold[/b]" in shown
        await pilot.press("y")
        await settle(app, pilot, delay=0.1)
        shown = screen_text(app)  # the notification
        assert not set(shown) & CONTROLS and "Forgot: Lives in [city]" in shown
        assert "␛]0;pwned␇" in shown and "[b]bold[/b]" in shown
        await pilot.press("u")
        await settle(app, pilot, delay=0.1)
        await pilot.press("e")
        await settle(app, pilot)
        shown = screen_text(app)  # the editor
        assert not set(shown) & CONTROLS and "Lives in [city] ␛]0;pwned␇" in shown
        await pilot.press("ctrl+s")  # saved unchanged: the note keeps its text
        await settle(app, pilot)
    assert [m.text for m in assistant.memories.list()] == [HOSTILE]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (160, 50)])
@pytest.mark.anyio
async def test_the_memory_text_gets_the_width(assistant: Assistant, size: tuple[int, int]) -> None:
    _many_notes(assistant, 20)
    app = _browser(assistant)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.query_one("#list", DataTable)
        memory = table.columns[ColumnKey("memory")]
        assert memory.width >= size[0] * 2 // 5, memory.width
        assert table.virtual_size.width <= table.scrollable_content_region.width
        detail = app.query_one("#detail-box")
        assert detail.region.height >= 6 and detail.region.width >= 40


DIALOG_KEYS = ["question_mark", "f", "e", "p", "ctrl+f"]
"""Keys that open each dialog of the browser from the list: help, confirm, edit, properties,
filters."""


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.anyio
async def test_every_dialog_fits_the_screen(assistant: Assistant, size: tuple[int, int]) -> None:
    _fixed_notes(assistant)
    app = _browser(assistant)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for key in DIALOG_KEYS:
            app.query_one("#list", DataTable).focus()
            await pilot.press(key)
            await settle(app, pilot)
            dialog = app.screen
            assert dialog is not app.screen_stack[0], key
            buttons = list(dialog.query(Button))
            assert buttons, key
            for button in buttons:
                x, y = button.region.center
                try:
                    found, _ = dialog.get_widget_at(int(x), int(y))
                except NoWidget:
                    found = None
                assert found is button, (key, str(button.label), button.region)
            dialog.dismiss(None)
            await settle(app, pilot)
