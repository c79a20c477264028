"""Text made safe to show: what a terminal would act on becomes a visible symbol."""

from __future__ import annotations

import pytest

from assistant.text import display_safe


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", "␛]0;pwned␇"),  # window title
        ("\x1b[2J\x1b[?1049h", "␛[2J␛[?1049h"),  # clear, alternate screen
        (
            "\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\",
            "␛]8;;https://x.example␛\\link␛]8;;␛\\",
        ),
        ("\x9b2J \x85 \x7f", "�2J � ␡"),  # C1 controls (an 8-bit CSI) and DEL
        ("over\rwrite\x08", "over␍write␈"),
        ("a\tb\nc\r\nd", "a\tb\nc\nd"),  # the layout's tabs and newlines are kept
        ("Zoë lives in 東京 [city] 🎻", "Zoë lives in 東京 [city] 🎻"),
        ("pay \u202egnp.exe\u202c now", "pay �gnp.exe� now"),  # a right-to-left override
        ("\u2067abc\u2069 👩\u200d💻", "�abc� 👩\u200d💻"),  # isolates go, emoji joiners stay
    ],
)
def test_control_characters_become_visible_symbols(raw: str, shown: str) -> None:
    assert display_safe(raw) == shown


def test_a_stream_made_safe_piece_by_piece_reads_as_the_whole() -> None:
    pieces = ["Hello \x1b", "]0;x", "\x07 there\x1b[", "2J"]
    assert "".join(display_safe(p) for p in pieces) == display_safe("".join(pieces))
