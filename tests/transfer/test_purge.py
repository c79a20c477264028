"""Forgetting for real: after a purge, no file under the home holds the memory's words (the
vault's git objects aside), databases included once compacted."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant import Actions, Assistant, Origin
from assistant.companion.checkins import journal
from assistant.conversation.reply import InboundMessage
from assistant.conversation.responder import Responder
from assistant.conversation.session import WorkingItem, WorkingMemory
from assistant.inbox import Inbox, Outbox
from assistant.memories import Draft
from assistant.memory_types import Status
from assistant.models.cache import Memo
from assistant.models.registry import ModelRegistry
from assistant.models.settings import BudgetSettings, PolicySettings
from assistant.paths import MEMOS, cache_dir, input_history
from assistant.settings import Settings
from assistant.store.checkins import CheckIn
from assistant.store.conversations import Turn
from assistant.store.purges import PurgeRecords
from assistant.transfer.purge import purge

SECRET = "Quillon Bassendean keeps the spare key under the blue heron statue"
NEEDLES = ["bassendean", "heron statue", "quillon"]
SESSION = "01JPURGETESTSESSION0000000"
AT = 1_760_000_000.0


def holding(home: Path, needles: list[str]) -> dict[str, list[str]]:
    """Files under ``home`` (outside git objects) whose bytes hold one of ``needles``."""
    found: dict[str, list[str]] = {}
    for path in home.rglob("*"):
        if not path.is_file() or ".git" in path.relative_to(home).parts:
            continue
        data = path.read_bytes().lower()
        hits = [n for n in needles if n.encode() in data]
        if hits:
            found[str(path.relative_to(home))] = hits
    return found


def fill(home: Assistant) -> str:
    """The secret said in a conversation, learned as a memory, reviewed, on pages, logged,
    cached, and archived once; returns its id."""
    memories = home.memories
    memories.evidence.keep(SESSION, AT, f"by the way, {SECRET}", reply="Noted, heron statue.")
    memories.evidence.keep(SESSION, AT + 60, "what should I cook tonight?", reply="Pasta!")
    turn = datetime.fromtimestamp(AT, UTC).isoformat()
    memory = memories.add(
        SECRET,
        tags=["home"],
        entities=["Quillon"],
        source="conversation",
        metadata={"conversation": SESSION, "turn": turn, "people": ["[[Quillon]]"]},
    )
    other = memories.add("My sister Anna lives in Lyon", tags=["home"])
    home.conversations.append(
        [
            Turn(SESSION, "user", f"by the way, {SECRET}", at=AT),
            Turn(SESSION, "assistant", "Noted, heron statue.", at=AT + 1),
            Turn(SESSION, "user", "what should I cook tonight?", at=AT + 60),
            Turn(SESSION, "assistant", "Pasta!", at=AT + 61),
        ]
    )
    home.reviews.add("conflict", memory.id, other.id, f"differs from {SECRET}")
    inbox, outbox = Inbox(home.db, "sms"), Outbox(home.db, "sms")
    inbox.accept("SM1", "+15550100", f"remember: {SECRET}")
    inbox.answer(inbox.pending()[0], ["Noted: the heron statue."], outbox)
    for message in outbox.due():
        outbox.sent(message)
    journal(home).claim(
        CheckIn(
            "",
            0.0,
            "follow_up",
            "heron",
            "Did the heron statue key work out?",
            "",
            0.8,
            details={"memory": memory.id},
        ),
        now=AT + 3600,
        gap=0.0,
    )
    working = WorkingMemory(cache_dir(home.settings.home) / "session")
    working.add(WorkingItem("user", SECRET))  # live now: working items expire
    working.add(WorkingItem("user", "what should I cook tonight?"))
    working.close()
    typed = ["hello", f"by the way, {SECRET}", "what should I cook tonight?"]
    input_history(home.settings.home).write_text("\n".join(typed) + "\n")
    memories.forget(memory.id)
    memories.restore(memory.id)
    home.refresh_pages(everything=True)
    assert (home.settings.vault / "Assistant/People/Quillon.md").is_file()
    return memory.id


def test_purge_leaves_no_trace_under_the_home(settings: Settings, hashed: Assistant) -> None:
    memory_id = fill(hashed)
    hashed.close()
    before = holding(settings.home, NEEDLES)
    stores = ("records/", "index/assistant", "index/lance/memories", "index/lance/evidence")
    assert all(any(path.startswith(s) for path in before) for s in stores), before
    with Assistant(settings, embedder=hashed.embedder.inner) as home:
        report = purge(home, [memory_id], clock=lambda: 1_770_000_000.0)
        assert (report.memories, report.turns) == (1, 1)
        assert report.logged == 2 and report.pages >= 1
        left = [m.text for m in home.memories.list(statuses=list(Status))]
        assert left == ["My sister Anna lives in Lyon"]
        sessions = home.memories.evidence.index.sessions().values()
        assert [t.text for turns in sessions for t in turns.values()] == [
            "what should I cook tonight?"
        ]
        assert [t.text for t in home.conversations.recent()] == [
            "what should I cook tonight?",
            "Pasta!",
        ]
        assert home.reviews.open() == []
        assert journal(home).recent() == []
        working = WorkingMemory(cache_dir(settings.home) / "session")
        assert [i.text for i in working.items()] == ["what should I cook tonight?"]
        working.close()
        typed = input_history(settings.home).read_text().splitlines()
        assert typed == ["hello", "what should I cook tonight?"]
        logged = PurgeRecords(home.db).purges()
        assert [(p.at, p.memories, p.turns) for p in logged] == [(1_770_000_000.0, 1, 1)]
    assert holding(settings.home, NEEDLES) == {}


def test_purge_through_the_action_layer_asks_first(hashed: Assistant) -> None:
    memory = hashed.memories.add(SECRET)
    actions = Actions(hashed, origin=Origin("user", "cli"))
    questions: list[str] = []
    assert actions.purge(memory.id, confirm=lambda q: questions.append(q) or False) is None
    assert "cannot be restored" in questions[0]
    assert [m.id for m in hashed.memories.list()] == [memory.id]
    report = actions.purge(memory.id, confirm=lambda q: True)
    assert report is not None and report.notes == 1
    assert hashed.memories.list(statuses=list(Status)) == []


def test_purge_removes_other_notes_links_to_it(hashed: Assistant) -> None:
    old = hashed.memories.add("I work at Globex")
    new, old = hashed.memories.supersede(old.id, Draft("I work at Initech since the spring"))
    assert old.metadata["superseded_by"].startswith("[[I work at Initech")
    purge(hashed, [new.id])
    kept = hashed.memories.get(old.id)
    assert "superseded_by" not in kept.metadata and kept.text == "I work at Globex"
    assert kept.path is not None
    note = (hashed.settings.vault / kept.path).read_text()
    assert "Initech" not in note


def test_purge_empties_the_memos_keyed_by_pairs_of_texts(hashed: Assistant) -> None:
    """The pair judge's and reader's memos hold hashes of pairs of texts, never the texts:
    a purge cannot find a memory's entries there, so it empties them."""
    memory = hashed.memories.add(SECRET)
    for name in MEMOS:
        memo = Memo(cache_dir(hashed.settings.home) / name, name)
        memo.remember([("a pair", b"an answer")])
        memo.close()
    purge(hashed, [memory.id])
    for name in MEMOS:
        memo = Memo(cache_dir(hashed.settings.home) / name, name)
        assert memo.recall(["a pair"]) == [None]
        memo.close()


def test_purge_drops_the_turn_from_working_memory_when_the_fact_was_said_otherwise(
    settings: Settings, hashed: Assistant
) -> None:
    """The memory keeps the fact ("I hate okra."), the turn said more ("i hate okra tbh and
    im vegetarian since 2019"): the turn leaves working memory too."""
    said = "i hate okra tbh and im vegetarian since 2019"
    hashed.memories.evidence.keep(SESSION, AT, said, reply="Noted.")
    turn = datetime.fromtimestamp(AT, UTC).isoformat()
    memory = hashed.memories.add(
        "I hate okra.", source="conversation", metadata={"conversation": SESSION, "turn": turn}
    )
    working = WorkingMemory(cache_dir(settings.home) / "session")
    working.add(WorkingItem("user", said))
    working.add(WorkingItem("user", "what should I cook tonight?"))
    working.close()
    report = purge(hashed, [memory.id])
    assert report.turns == 1
    working = WorkingMemory(cache_dir(settings.home) / "session")
    assert [i.text for i in working.items()] == ["what should I cook tonight?"]
    working.close()
    hashed.close()
    assert holding(settings.home, ["okra"]) == {}


def test_a_memory_whose_note_lost_its_text_by_hand_is_purged_too(
    settings: Settings, hashed: Assistant
) -> None:
    """Its note can no longer be read ("no text below its properties"): the purge takes the
    memory as the index kept it and removes the note with it."""
    memory = hashed.memories.add(SECRET)
    assert memory.path is not None
    note = settings.vault / memory.path
    head, rule, _ = note.read_text().rpartition("---\n")
    note.write_text(head + rule + "\n")
    actions = Actions(hashed, origin=Origin("user", "cli"))
    report = actions.purge(memory.id, confirm=lambda q: "Quillon" in q)
    assert report is not None and report.notes == 1
    assert not note.exists()
    hashed.close()
    assert holding(settings.home, NEEDLES) == {}


def test_purging_a_list_removes_every_turn_that_edited_it(
    settings: Settings, assistant: Assistant
) -> None:
    """A list is edited over several turns ("add snorkelgear to my packing list", "oh and
    flipperzilla"); none holds the whole list, and each is removed with the list."""
    responder = Responder(assistant, ModelRegistry([], PolicySettings(), BudgetSettings()))
    for text in [
        "my packing list: passport, charger",
        "add snorkelgear to my packing list",
        "oh and flipperzilla",
        "what's on my packing list?",
        "what should I cook tonight?",
    ]:
        list(responder.respond(InboundMessage(text)))
        responder.flush()
    responder.learned(wait=30)
    packing = next(m for m in assistant.memories.list() if m.metadata.get("list"))
    assert "flipperzilla" in packing.text
    responder.close()
    purge(assistant, [packing.id])
    history = [t.text for t in assistant.conversations.recent(50)]
    assert "what should I cook tonight?" in history
    assistant.close()
    assert holding(settings.home, ["snorkelgear", "flipperzilla"]) == {}
