"""The memory browser's filters, sorts, forms, undo, links, chat screen and bad days (a vault
that disappears, an index deleted underneath), driven by Textual's pilot over a real home."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import UTC, datetime

import pytest
from textual.widgets import Input, Static

from assistant import Assistant, Draft
from assistant.conversation.responder import Responder
from assistant.memory_types import MemoryType
from assistant.models.chat import ModelInfo
from assistant.models.openai_chat import OpenAIModel
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.vault.notes import parse_note
from assistant_tui.app import MemoryBrowser
from assistant_tui.chat import ChatScreen
from tests.servers import FakeServer, openai_text
from tests.tui.pilot import SIZE, rows, settle


def _seed(assistant: Assistant) -> None:
    assistant.memories.add_many(
        [
            Draft(
                "My sister Anna lives in Lyon",
                tags=["family"],
                importance=8,
                created_at=datetime(2026, 3, 1, tzinfo=UTC),
            ),
            Draft(
                "I play the cello on Tuesdays",
                importance=3,
                created_at=datetime(2026, 4, 2, tzinfo=UTC),
            ),
            Draft(
                "Climbed the Dent Blanche with Anna",
                type=MemoryType.EPISODIC,
                importance=6,
                tags=["family", "climbing"],
                created_at=datetime(2026, 5, 3, tzinfo=UTC),
            ),
        ]
    )


async def _search(app: MemoryBrowser, pilot: object, raw: str) -> None:
    app.query_one("#search", Input).value = raw
    await settle(app, pilot)


def _status(app: MemoryBrowser) -> str:
    return str(app.query_one("#status", Static).render())


@pytest.mark.anyio
async def test_filter_words_narrow_the_list_and_the_sort_key_reorders_it(
    assistant: Assistant,
) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert rows(app)[0] == "Climbed the Dent Blanche with Anna"  # newest first
        await _search(app, pilot, "#family")
        assert sorted(rows(app)) == [
            "Climbed the Dent Blanche with Anna",
            "My sister Anna lives in Lyon",
        ]
        await _search(app, pilot, "#family type:episodic")
        assert rows(app) == ["Climbed the Dent Blanche with Anna"]
        await _search(app, pilot, "imp:>=5 before:2026-05")
        assert rows(app) == ["My sister Anna lives in Lyon"]
        await _search(app, pilot, "anna type:fish")  # a bad word is shown, not applied
        assert "type:fish?" in _status(app) and len(rows(app)) == 2
        await _search(app, pilot, "")
        await pilot.press("tab", "s")  # recent → importance
        await settle(app, pilot)
        assert app.query_one("#search", Input).value == "sort:importance "
        assert [r.split()[0] for r in rows(app)] == ["My", "Climbed", "I"]
        assert "sorted by importance" in _status(app)


@pytest.mark.anyio
async def test_the_filter_form_writes_the_words_into_the_search_box(assistant: Assistant) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _search(app, pilot, "anna")
        await pilot.press("ctrl+f")
        await pilot.pause()
        form = app.screen
        form.query_one("#type", Input).value = "epi"
        form.query_one("#imp", Input).value = ">=5"
        form.query_one("#after", Input).value = "tomorrow"  # not a date: the form says so
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "after:tomorrow?" in str(form.query_one("#problem").render())
        form.query_one("#after", Input).value = "2026-01"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.query_one("#search", Input).value == "anna type:epi after:2026-01 imp:>=5 "
        assert rows(app) == ["Climbed the Dent Blanche with Anna"]


@pytest.mark.anyio
async def test_type_importance_and_tags_change_in_the_note_and_undo_puts_them_back(
    assistant: Assistant,
) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await _search(app, pilot, "cello")
        await pilot.press("tab", "p")
        await pilot.pause()
        form = app.screen
        form.query_one("#type", Input).value = "procedural"
        form.query_one("#importance", Input).value = "11"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not 0 to 10" in str(form.query_one("#problem").render())
        form.query_one("#importance", Input).value = "7.5"
        form.query_one("#tags", Input).value = "music, #weekly"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        cello = next(m for m in assistant.memories.list() if "cello" in m.text)
        note = parse_note((assistant.settings.vault / cello.path).read_text())  # type: ignore[operator]
        assert (note.type, note.importance, note.tags) == (
            MemoryType.PROCEDURAL,
            7.5,
            ("music", "weekly"),
        )
        await pilot.press("u")
        await settle(app, pilot)
        back = assistant.memories.get(cello.id)
        assert (back.type, back.importance, back.tags) == (MemoryType.SEMANTIC, 3, ())
        await pilot.press("u")
        await settle(app, pilot)
        assert app._undo == []  # nothing more to undo, and it said so


@pytest.mark.anyio
async def test_forget_then_undo_restores_the_memory(assistant: Assistant) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await _search(app, pilot, "cello")
        await pilot.press("tab", "f", "y")
        await settle(app, pilot)
        assert [m.text for m in assistant.memories.list(statuses=["archived"])] == [
            "I play the cello on Tuesdays"
        ]
        await pilot.press("u")
        await settle(app, pilot)
        assert not assistant.memories.list(statuses=["archived"])
        assert len(assistant.memories.list()) == 3


@pytest.mark.anyio
async def test_links_lead_along_the_supersession_chain(assistant: Assistant) -> None:
    _seed(assistant)
    old = next(m for m in assistant.memories.list() if "Lyon" in m.text)
    new, _ = assistant.memories.supersede(old.id, Draft("My sister Anna lives in Paris"))
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await _search(app, pilot, "Anna Paris")
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.pause(0.2)
        await settle(app, pilot)
        shown = str(app.query_one("#detail", Static).render())
        assert "replaces: My sister Anna lives in Lyon (superseded)" in shown
        assert "used       0 time(s), last never" in shown
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one("#search", Input).value == f"id:{old.id}"
        assert rows(app) == ["My sister Anna lives in Lyon"]
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert "replaced by: My sister Anna lives in Paris" in str(
            app.query_one("#detail", Static).render()
        )


@pytest.mark.anyio
async def test_the_chat_screen_answers_with_respond_and_shows_the_memories_used(
    assistant: Assistant,
) -> None:
    _seed(assistant)
    server = FakeServer(answer=lambda body: openai_text("She lives in Lyon."))
    model = OpenAIModel(
        ModelInfo("mini", "openai", "gpt-4.1-mini", "cheap", 0.4, 1.6),
        api_key="sk-test",
        base_url=server.url + "/v1",
    )
    responder = Responder(assistant, ModelRegistry([model], PolicySettings(), BudgetSettings()))
    app = MemoryBrowser(assistant, open_responder=lambda confirm: responder)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("tab", "c")
            await pilot.pause()
            assert isinstance(app.screen, ChatScreen)
            await pilot.press(*"where does my sister anna live?", "enter")
            await settle(app, pilot)
            transcript = " ".join(str(w.render()) for w in app.screen.query("#transcript Static"))
            assert "you: where does my sister anna live?" in transcript
            assert "She lives in Lyon." in transcript
            assert "My sister Anna lives in Lyon" in str(app.screen.query_one("#used").render())
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ChatScreen)
        logged = responder.log.recent(2)
        assert [t.channel for t in logged] == ["tui", "tui"]
    finally:
        responder.close()
        model.close()
        server.close()


@pytest.mark.anyio
async def test_an_index_rebuilt_underneath_and_a_vanished_vault_are_notifications_not_crashes(
    assistant: Assistant,
) -> None:
    _seed(assistant)
    app = MemoryBrowser(assistant)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rebuild = threading.Thread(target=assistant.memories.reindex)
        rebuild.start()
        for query in ("anna", "cello", "lyon", "anna sister", ""):
            app.query_one("#search", Input).value = query
            await pilot.pause()
        rebuild.join()
        await _search(app, pilot, "cello")
        assert rows(app) == ["I play the cello on Tuesdays"]  # the rebuilt index answers
        shutil.rmtree(assistant.settings.vault)
        await pilot.press("tab", "i")  # mark important: its note is gone
        await settle(app, pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "no longer exists" in errors[-1].message
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", *"changed", "ctrl+s")
        await settle(app, pilot)
        after = [n for n in app._notifications if n.severity == "error"]
        # a second error, whether or not the first has timed out (5 s) on a slow host
        assert after and after[-1].identity != errors[-1].identity
        assert app.is_running and rows(app) == ["I play the cello on Tuesdays"]


@pytest.mark.anyio
async def test_the_browser_runs_the_runtime_and_shows_a_reminder_when_it_falls_due(
    hashed: Assistant,
) -> None:
    responder = Responder(hashed, ModelRegistry([], PolicySettings(), BudgetSettings()))
    app = MemoryBrowser(hashed, watch=True, open_responder=lambda confirm: responder)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            for _ in range(100):
                if app.runtime is not None and app.runtime.state().started:
                    break
                await pilot.pause(0.05)
            assert app.runtime is not None and app.runtime.state().channels == ["tui"]
            responder.reminders.add("feed the sourdough starter", due=time.time() + 0.5)
            for _ in range(200):
                shown = [n.message for n in app._notifications]
                if any("feed the sourdough starter" in m for m in shown):
                    break
                await pilot.pause(0.05)
            assert any("Reminder: feed the sourdough starter" in m for m in shown)
            assert hashed.watching, "the runtime watches the vault"
    finally:
        responder.close()
