"""The instructions page, ``Assistant/Instructions.md``: bullets are the instructions, the
user's edits take effect on the next read, and nothing else on the page is touched."""

from __future__ import annotations

from pathlib import Path

from assistant.vault.instructions import MAX_INSTRUCTIONS, MAX_LENGTH, InstructionsPage


def test_an_instruction_is_written_once_as_a_bullet(tmp_path: Path) -> None:
    page = InstructionsPage(tmp_path / "Assistant" / "Instructions.md")
    assert page.all() == [] and page.prompt() == ""
    assert page.add("Always give recipes in metric.")
    assert not page.add("always  give recipes in METRIC"), "the same words in another case"
    assert page.add("Please be direct with me.")
    assert page.all() == ["Always give recipes in metric.", "Please be direct with me."]
    text = page.path.read_text()
    assert text.startswith("# Instructions") and text.count("- Always give recipes") == 1
    assert "- Always give recipes in metric.\n" in page.prompt() + "\n"


def test_edits_on_the_page_are_read_and_other_lines_kept(tmp_path: Path) -> None:
    page = InstructionsPage(tmp_path / "Instructions.md")
    page.add("Always give recipes in metric.")
    assert page.all() == ["Always give recipes in metric."]
    page.path.write_text(
        "# Mine\n\nSome words of my own.\n\n* Use British spelling.\n- [ ] No emoji, ever.\n"
    )
    assert page.all() == ["Use British spelling.", "No emoji, ever."]
    page.add("Call me Kate.")
    text = page.path.read_text()
    assert "Some words of my own." in text and text.endswith("- Call me Kate.\n")
    assert page.remove("use british spelling")
    assert page.all() == ["No emoji, ever.", "Call me Kate."]
    assert "Some words of my own." in page.path.read_text()


def test_forgetting_about_a_topic_drops_the_bullets_that_name_it(tmp_path: Path) -> None:
    page = InstructionsPage(tmp_path / "Instructions.md")
    for text in ("Please stop using bullet points.", "Always give recipes in metric.", "Be brief."):
        page.add(text)
    assert page.forget_about("bullets") == ["Please stop using bullet points."]
    assert page.forget_about("the weather") == []
    assert page.forget_about("the recipe thing") == ["Always give recipes in metric."]
    assert page.forget_about("it") == [] and page.all() == ["Be brief."]


def test_a_missing_huge_or_binary_page_loses_nothing_and_fails_nothing(tmp_path: Path) -> None:
    page = InstructionsPage(tmp_path / "Instructions.md")
    assert not page.add("   ")
    page.path.write_bytes(b"- Be brief.\n\x00\xff\xfe junk\n- " + b"x" * 5000 + b"\n")
    assert page.all() == ["Be brief.", "x" * MAX_LENGTH]
    for n in range(MAX_INSTRUCTIONS):
        page.add(f"Instruction number {n}.")
    assert len(page.all()) == MAX_INSTRUCTIONS
    assert not page.add("One too many.")
