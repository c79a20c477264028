"""The chat's line input: a line shown from another thread while a prompt waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant_cli.commands.line_input import LineReader


def test_a_reminder_shown_while_piped_draws_no_prompt_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = LineReader(tmp_path / "history")
    reader._prompt, reader._waiting = "you› ", True  # a prompt is waiting for input
    reader.interject("Reminder: floss")
    out = capsys.readouterr()
    assert "Reminder: floss" in out.err
    assert "\x1b" not in out.out and "you›" not in out.out, "escape codes in piped output"
