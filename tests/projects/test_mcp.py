"""An MCP client linked to a project works in it: what it remembers goes there, its searches
look there first and see no other project's memories."""

from __future__ import annotations

from pathlib import Path

import anyio

from assistant import Assistant
from assistant.memories import Draft
from assistant.models.fakes import HashEmbedder
from assistant.settings import read_settings
from tests.mcp_server.harness import CLIENT, data, environ, stdio


def test_a_linked_mcp_client_works_in_its_project(env: dict[str, str], tmp_path: Path) -> None:
    home = Path(env["ASSISTANT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[projects.links]\n"mcp:{CLIENT}" = "Apollo"\n')
    values = environ(env)
    with Assistant(read_settings({}, values), embedder=HashEmbedder()) as a:
        a.projects.new("Apollo")
        a.projects.new("Zephyr")
        a.memories.add_many([Draft("The Zephyr deadline is in June", project="Zephyr")])

    async def main() -> None:
        async with stdio(values, tmp_path / "stderr.log") as client:
            kept = data(
                await client.call_tool("remember", {"text": "The Apollo deadline is in May."})
            )
            assert kept["memory"]["note"].startswith("Assistant/Projects/Apollo/")
            found = data(await client.call_tool("search_memories", {"query": "deadline"}))
            assert [h["text"] for h in found["results"]] == ["The Apollo deadline is in May."]

    anyio.run(main)
