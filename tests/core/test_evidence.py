"""Evidence: every user turn is kept in a transcript note and found by later questions, even
when nothing was learned from it; it survives a rebuild, can be forgotten, holds no secret."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, paths
from assistant.conversation.context import build_context
from assistant.conversation.reply import InboundMessage, Reply
from assistant.conversation.responder import Responder
from assistant.conversation.session import SessionState
from assistant.evidence import is_turn_id
from assistant.models.chat import ModelInfo
from assistant.models.fakes import EchoModel, HashEmbedder
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.settings import Settings
from assistant.store.conversations import ConversationLog
from assistant.store.evidence import EvidenceTurn, TurnHit
from assistant.vault.conversations import ConversationNotes, Said

DAY = 1_790_000_000.0  # a fixed moment in 2026: no test reads the clock


@pytest.fixture
def responder(assistant: Assistant) -> Iterator[tuple[Responder, EchoModel]]:
    model = EchoModel(ModelInfo("local", "fake", "echo", "local", tools=False))
    registry = ModelRegistry([model], PolicySettings(), BudgetSettings())
    made = Responder(assistant, registry)
    yield made, model
    made.close()


def say(responder: Responder, text: str, at: float) -> None:
    events = list(responder.respond(InboundMessage(text, at=at)))
    assert isinstance(events[-1], Reply)
    responder.learned(wait=30)  # evidence and learning run after the reply, in order
    responder.flush()


def test_a_statement_nothing_was_learned_from_is_found_by_a_later_question(
    responder: tuple[Responder, EchoModel],
) -> None:
    chat, model = responder
    memories = chat.assistant.memories
    said = "ugh the plumber turned up two hours late and left muddy boot prints everywhere"
    say(chat, said, DAY)
    assert memories.list() == [], "the premise: extraction kept nothing from it"
    found = memories.recall("what did I tell you about the plumber?", 5)
    assert [t.turn.text for t in found.turns][:1] == [said]
    assert found.turns[0].turn.date.year == 2026
    say(chat, "what did I tell you about the plumber?", DAY + 3600)
    answers = [c[0].content for c in model.calls if c[0].content.startswith("You are a")]
    system = answers[-1]
    assert "The user said earlier" in system and said in system
    note = next(memories.evidence.notes.notes())
    assert said in note.read_text(encoding="utf-8")


def test_a_turn_is_found_through_the_message_before_it(assistant: Assistant) -> None:
    evidence = assistant.memories.evidence
    evidence.keep(
        "s1",
        DAY,
        "I signed up for the Berlin marathon in September",
        "That's a big goal! How is the training going?",
    )
    evidence.keep("s1", DAY + 60, "slowly, my knees hurt after long runs")
    evidence.keep(
        "s2",
        DAY + 86_400,
        "I booked a table at the tapas place for Friday",
        "Lovely. Who is coming?",
    )
    evidence.keep("s2", DAY + 86_460, "just me and my sister")
    evidence.keep("s3", DAY + 2 * 86_400, "You finished the marathon! How do you feel?")
    found = assistant.memories.said("how is the preparation for my race going?", 3)
    assert found[0].turn.text == "slowly, my knees hurt after long runs"
    assert found[0].turn.before.endswith("How is the training going?")
    found = assistant.memories.said("who is joining me for the tapas dinner?", 3)
    assert found[0].turn.text == "just me and my sister"


def test_evidence_survives_losing_the_index(settings: Settings) -> None:
    with Assistant(settings, embedder=HashEmbedder()) as first:
        first.memories.evidence.keep("s1", DAY, "the electrician quoted four hundred pounds")
        first.memories.evidence.keep("s1", DAY + 30, "### not a heading\nsecond line")
    shutil.rmtree(paths.index_dir(settings.home))
    with Assistant(settings, embedder=HashEmbedder()) as second:
        hits = second.memories.said("electrician quote", 1)
        assert [h.turn.text for h in hits] == ["the electrician quoted four hundred pounds"]
        report = second.memories.reindex()
        assert report.turns == 2
        texts = {h.turn.text for h in second.memories.said("second line heading", 2)}
        assert "### not a heading\nsecond line" in texts


def test_forgetting_a_turn_removes_it_everywhere(
    responder: tuple[Responder, EchoModel],
) -> None:
    chat, _ = responder
    memories = chat.assistant.memories
    say(chat, "my neighbour keeps parking across my driveway", DAY)
    say(chat, "the gutter over the porch is leaking again", DAY + 60)
    hit = memories.said("neighbour parking", 1)[0]
    assert is_turn_id(hit.turn.id) and is_turn_id(hit.turn.id[:8])
    memories.forget_turn(hit.turn.id[:8])
    assert all("driveway" not in h.turn.text for h in memories.said("neighbour parking", 5))
    note = next(memories.evidence.notes.notes()).read_text(encoding="utf-8")
    assert "driveway" not in note and "gutter" in note
    assert all("driveway" not in t.text for t in ConversationLog(chat.assistant.db).recent())
    # The next turn no longer reads after the forgotten one (nor its reply).
    gutter = memories.said("gutter leaking", 1)[0].turn
    assert gutter.before == ""
    memories.reindex()
    assert all("driveway" not in h.turn.text for h in memories.said("neighbour parking", 5))


def test_secrets_never_reach_the_transcript(
    responder: tuple[Responder, EchoModel], tmp_path: Path
) -> None:
    chat, _ = responder
    memories = chat.assistant.memories
    say(chat, "my password is hunter2 and the locksmith comes at noon", DAY)
    memories.evidence.keep("s9", DAY + 5, "card 4111 1111 1111 1111 for the plumber")
    notes = "".join(p.read_text(encoding="utf-8") for p in memories.evidence.notes.notes())
    assert "locksmith" in notes and "plumber" in notes
    assert "hunter2" not in notes and "4111 1111 1111 1111" not in notes
    assert all("hunter2" not in h.turn.text for h in memories.said("locksmith password", 5))


def test_transcript_notes_round_trip(assistant: Assistant) -> None:
    notes = ConversationNotes(assistant.layout)
    said = [
        Said("you", DAY, "line one\n### looks like a heading\n\\### escaped"),
        Said("assistant", DAY + 1, "ok"),
    ]
    notes.append("abc", said)
    path = notes.path_of("abc", DAY + 999_999)
    assert path.name == "2026-09-21 abc.md"
    assert notes.read(path) == ("abc", said)


def test_the_context_labels_what_the_user_said_with_its_date() -> None:
    turn = EvidenceTurn("t0123456789abcde", "s1", DAY, "the vet said Rex needs a tooth out")
    context = build_context(
        "what did the vet say?",
        identity=[],
        session=SessionState("s1", DAY, DAY),
        working=[],
        hits=[],
        said=[TurnHit(turn, 0.8)],
        budget=2000,
        tools=False,
        now=DAY,
    )
    assert "2026-09-21: the vet said Rex needs a tooth out" in context.messages[0].content


def _edit_turn(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_transcript_edited_by_hand_is_searched_in_its_new_words(hashed: Assistant) -> None:
    evidence = hashed.memories.evidence
    evidence.keep("s1", DAY, "the plumber is coming on tuesday", "Noted.")
    evidence.keep("s1", DAY + 60, "and the window cleaner on friday")
    evidence.keep("s2", DAY + 86_400, "my cousin Ravi is visiting in june")
    notes = sorted(evidence.notes.notes())
    _edit_turn(notes[0], "the plumber is coming on tuesday", "the electrician is coming on monday")
    changed = hashed.memories.evidence.resync([hashed.layout.relative(notes[0])])
    assert changed == 1, "only the rewritten turn is indexed again"
    texts = [h.turn.text for h in hashed.memories.said("plumber electrician coming", 5)]
    assert "the electrician is coming on monday" in texts
    assert "the plumber is coming on tuesday" not in texts
    # A turn deleted by hand leaves search; a note deleted by hand takes its turns with it.
    _edit_turn(notes[0], "and the window cleaner on friday", "")
    notes[1].unlink()
    hashed.sync_vault()
    texts = {h.turn.text for h in hashed.memories.said("window cleaner cousin Ravi", 5)}
    assert not texts & {"and the window cleaner on friday", "my cousin Ravi is visiting in june"}
    assert hashed.memories.evidence.index.count() == 1
    assert hashed.memories.evidence.resync() == 0, "nothing changed since"


def test_a_renamed_transcript_keeps_its_turns(hashed: Assistant) -> None:
    evidence = hashed.memories.evidence
    evidence.keep("s1", DAY, "the boiler service is booked for march")
    note = next(evidence.notes.notes())
    moved = note.with_name("boiler chat " + note.name)
    note.rename(moved)
    relative = [hashed.layout.relative(note), hashed.layout.relative(moved)]
    assert hashed.memories.evidence.resync(relative) == 0
    assert [h.turn.text for h in hashed.memories.said("boiler service", 1)] == [
        "the boiler service is booked for march"
    ]


def test_the_watcher_takes_in_a_transcript_edited_in_obsidian(hashed: Assistant) -> None:
    evidence = hashed.memories.evidence
    evidence.keep("s1", DAY, "our landlord is called Mr Okafor")
    note = next(evidence.notes.notes())
    watcher = hashed.watch_vault()
    assert watcher.alive
    _edit_turn(note, "Mr Okafor", "Mrs Adeyemi")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        texts = [h.turn.text for h in hashed.memories.said("landlord name", 1)]
        if texts == ["our landlord is called Mrs Adeyemi"]:
            break
        time.sleep(0.1)
    assert texts == ["our landlord is called Mrs Adeyemi"]


def test_a_greeting_is_kept_but_never_found_as_what_the_user_said(assistant: Assistant) -> None:
    evidence = assistant.memories.evidence
    for n, text in enumerate(["hi there", "hello!", "ok thanks", "Tom's birthday is in March"]):
        evidence.keep("s1", DAY + n, text)
    found = [h.turn.text for h in assistant.memories.said("when is Tom's birthday? hi", 5)]
    assert found == ["Tom's birthday is in March"]
    note = next(evidence.notes.notes()).read_text(encoding="utf-8")
    assert "hi there" in note and "ok thanks" in note, "the transcript keeps every turn"


def test_a_question_asked_again_never_takes_the_place_of_what_was_told(
    assistant: Assistant,
) -> None:
    evidence = assistant.memories.evidence
    evidence.keep("s1", DAY, "the plumber is coming thursday morning to fix the boiler")
    evidence.keep("s1", DAY + 5, "my sister moved to york")
    for n in range(3):
        evidence.keep(f"s{n + 2}", DAY + 60 * (n + 1), "what did I say about the plumber?")
    found = [h.turn.text for h in assistant.memories.said("what did I say about the plumber?", 2)]
    assert found[0] == "the plumber is coming thursday morning to fix the boiler"
    assert "what did I say about the plumber?" not in found


def test_a_memory_taken_back_takes_its_own_turn_not_those_piped_beside_it(
    assistant: Assistant,
) -> None:
    from datetime import UTC, datetime

    from assistant.learning.corrections import forget_about
    from assistant.learning.learner import Learner

    learner = Learner(assistant.memories)
    said = ["my cat is called Miso", "I live in Leeds", "my brother plays the drums"]
    second = datetime.fromtimestamp(DAY, UTC).isoformat(timespec="seconds")
    for n, text in enumerate(said):  # three lines piped in within one second
        assistant.memories.evidence.keep("s1", DAY + 0.1 + n * 0.2, text)
        learner.learn(text, conversation="s1", turn=second)
    forgotten = forget_about(assistant.memories, "my cat", conversation="s1")
    assert [m.text for m in forgotten] == ["My cat's name is Miso."]
    assert not any("Miso" in m.text for m in assistant.memories.list())
    left = {h.turn.text for h in assistant.memories.said("Leeds drums cat", 5)}
    assert left == {"I live in Leeds", "my brother plays the drums"}
