"""The browser's ``project:`` filter, parsed and driven through Textual's pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from assistant import Assistant, Draft
from assistant_tui.app import MemoryBrowser
from assistant_tui.query import parse, with_projects
from tests.tui.pilot import SIZE, rows, settle


def test_project_words_parse_into_the_filter() -> None:
    query = parse("deadline project:Q3_report project:none")
    assert query.text == "deadline"
    assert query.where.projects == ("Q3 report", "")
    assert "project:Q3_report" in query.filters


def test_names_resolve_whatever_their_case_and_unknown_ones_are_problems() -> None:
    known = {"apollo": "Apollo"}

    def name_of(typed: str) -> str:
        return known[typed.lower()]

    found = with_projects(parse("project:APOLLO"), name_of)
    assert found.where.projects == ("Apollo",) and not found.problems
    unknown = with_projects(parse("project:Nowhere"), name_of)
    assert unknown.problems == ("project:Nowhere? no such project",)
    assert unknown.where.projects and "" not in unknown.where.projects


@pytest.mark.anyio
async def test_the_browser_lists_one_project_s_memories(hashed: Assistant) -> None:
    hashed.projects.new("Apollo")
    hashed.projects.new("Zephyr")
    hashed.memories.add_many(
        [
            Draft("Apollo ships in May", project="Apollo"),
            Draft("Zephyr ships in June", project="Zephyr"),
            Draft("Taxes are due in April", project=""),
        ]
    )
    app = MemoryBrowser(hashed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(rows(app)) == 3
        app.query_one("#search", Input).value = "project:apollo"
        await settle(app, pilot)
        assert rows(app) == ["Apollo ships in May"]
        app.query_one("#search", Input).value = "ships project:zephyr"
        await settle(app, pilot)
        assert rows(app) == ["Zephyr ships in June"]
        app.query_one("#search", Input).value = "project:none"
        await settle(app, pilot)
        assert rows(app) == ["Taxes are due in April"]
        app.query_one("#search", Input).value = "project:Mars"
        await settle(app, pilot)
        assert rows(app) == [] and "no such project" in str(
            app.query_one("#status", Static).render()
        )
