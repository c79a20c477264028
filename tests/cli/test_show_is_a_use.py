"""Opening a memory with `assistant show` counts as a use (reinforcement); searching does not."""

from __future__ import annotations

from typer.testing import CliRunner

from assistant import Assistant
from assistant.models.minilm import MiniLMEmbedder
from assistant_cli.main import build_app


def test_show_counts_as_a_use_and_search_does_not(minilm: MiniLMEmbedder) -> None:
    def uses(memory_id: str) -> int:
        with Assistant.open(embedder=minilm) as assistant:
            return assistant.memories.usage(memory_id).access_count

    runner = CliRunner()
    app = build_app()
    added = runner.invoke(app, ["remember", "My sister Anna lives in Lyon"])
    assert added.exit_code == 0, added.stderr
    memory_id = added.stdout.strip()
    assert runner.invoke(app, ["search", "where does my sister live"]).exit_code == 0
    assert uses(memory_id) == 0
    shown = runner.invoke(app, ["show", memory_id[:10]])
    assert shown.exit_code == 0 and "Anna lives in Lyon" in shown.stdout
    assert uses(memory_id) == 1
