"""The chat REPL over memory commands (until a chat model answers)."""

from typer.testing import CliRunner

from assistant_cli.main import build_app


def test_chat_remembers_searches_and_answers_from_memory(minilm: object) -> None:
    lines = [
        "/help",
        "/remember important My sister Anna lives in Lyon",
        "/remember I play the cello on Tuesdays",
        "/search sister",
        "where does Anna live?",
        "/bogus",
        "/show 01NOSUCHID",
        "/exit",
    ]
    result = CliRunner().invoke(build_app(), ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "/remember [important] TEXT" in out
    assert out.count("Remembered (") == 2
    assert "Here is what I remember:" in out and "My sister Anna lives in Lyon" in out
    assert "No chat model is configured" in result.stderr
    assert "Unknown command /bogus" in result.stderr
    assert "no memory with id" in result.stderr


def test_chat_ends_on_end_of_input(minilm: object) -> None:
    result = CliRunner().invoke(build_app(), ["chat"], input="")
    assert result.exit_code == 0


def test_chat_picks_up_vault_edits_made_while_closed(minilm: object, env: dict[str, str]) -> None:
    from pathlib import Path

    runner = CliRunner()
    runner.invoke(build_app(), ["remember", "My sister Anne lives in Lyon"])
    note = next((Path(env["ASSISTANT_HOME"]) / "vault").rglob("My sister*.md"))
    note.write_text(note.read_text().replace("Anne lives in Lyon", "Anna lives in Marseille"))
    result = runner.invoke(build_app(), ["chat"], input="/search Marseille\n/exit\n")
    assert result.exit_code == 0
    assert "Picked up 1 changes" in result.stderr
    assert "Marseille" in result.stdout and "Anna lives in" in result.stdout
