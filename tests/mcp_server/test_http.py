"""``assistant mcp --http``: streamable HTTP on 127.0.0.1, only with the bearer token."""

from __future__ import annotations

import stat
from pathlib import Path

import anyio
import pytest

from tests.mcp_server.harness import CLIENT, data, environ, http, http_server, post

TOKEN = "test-token-5f1c2a"


def test_without_the_token_every_request_is_refused(env: dict[str, str]) -> None:
    with http_server(environ(env, ASSISTANT_MCP_TOKEN=TOKEN)) as (url, lines):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mcp")
        assert TOKEN not in "".join(lines), "a token from the environment is never printed"
        assert post(url, {}).status_code == 401
        refused = post(url, {"Authorization": "Bearer wrong-token"})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert post(url, {"Authorization": TOKEN}).status_code == 401  # no scheme
        assert post(url, {"Authorization": f"Bearer {TOKEN}"}).status_code != 401

        async def main() -> None:
            with pytest.raises(Exception):  # noqa: B017 (the SDK's own error for a 401)
                async with http(url, "wrong-token") as client:
                    await client.list_tools()

        anyio.run(main)


def test_with_the_token_an_agent_remembers_and_searches(env: dict[str, str]) -> None:
    with http_server(environ(env, ASSISTANT_MCP_TOKEN=TOKEN)) as (url, _):

        async def main() -> None:
            async with http(url, TOKEN) as client:
                names = {t.name for t in (await client.list_tools()).tools}
                assert {"search_memories", "remember", "forget"} <= names
                kept = data(
                    await client.call_tool("remember", {"text": "The user plays the cello."})
                )
                assert kept["memory"]["source"] == "agent"
                found = data(await client.call_tool("search_memories", {"query": "cello"}))
                assert [h["id"] for h in found["results"]] == [kept["memory"]["id"]]
                note = Path(env["ASSISTANT_HOME"]) / "vault" / kept["memory"]["note"]
                assert f"sender: {CLIENT}" in note.read_text(encoding="utf-8")

        anyio.run(main)


def test_a_new_token_is_made_once_shown_once_and_kept_private(env: dict[str, str]) -> None:
    values = environ(env)
    with http_server(values) as (_, lines):
        shown = lines[-1].strip()
    kept = Path(env["ASSISTANT_HOME"]) / "mcp-token"
    assert kept.read_text(encoding="utf-8").strip() == shown
    assert len(shown) >= 40
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with http_server(values) as (url, lines):
        assert shown not in "".join(lines)
        assert str(kept) in lines[-1]
        assert post(url, {"Authorization": f"Bearer {shown}"}).status_code != 401
