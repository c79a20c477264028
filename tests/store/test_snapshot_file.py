"""Reads through the snapshot file: the same results as through LanceDB, without opening it;
a missing, stale or corrupt file falls back to LanceDB and is written again."""

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from assistant.memory_types import Memory, MemoryFilter, Status, new_id
from assistant.models.fakes import HashEmbedder
from assistant.store.evidence import EvidenceIndex, EvidenceTurn
from assistant.store.lance import LanceIndex
from assistant.store.snapshot_file import table_stamp

EMBED = HashEmbedder()
QUERIES = ["apples in the garden", "topic7 fact", "zebras", "number 42", "blue flowerpot key"]


def memories(*texts: str) -> list[Memory]:
    return [
        Memory(id=new_id(), text=t, path=Path(f"Assistant/Memories/{i}.md"))
        for i, t in enumerate(texts)
    ]


def add(index: LanceIndex, items: list[Memory], new: bool = True) -> None:
    index.add(items, list(EMBED.embed([m.text for m in items])), new=new)


def results(index: LanceIndex) -> list[list[tuple[str, float, float]]]:
    """Every query's candidates (id, semantic, lexical), plus a listing and a count."""
    out = []
    for text in QUERIES:
        found = index.search(EMBED.embed([text])[0], text, limit=8, where=MemoryFilter())
        out.append(sorted((c.id, round(c.semantic, 6), round(c.lexical, 6)) for c in found))
    listed = index.memories(MemoryFilter(statuses=(Status.ACTIVE,)), limit=20)
    out.append([(m.id, float(len(m.text)), m.importance) for m in listed])
    out.append([("count", float(index.count()), 0.0)])
    return out


@pytest.fixture
def written(tmp_path: Path) -> Path:
    """A table with appends, replacements and deletes, written by one index."""
    uri = tmp_path / "lance"
    writer = LanceIndex(uri, EMBED.dim)
    items = memories(*(f"fact number {i} about topic{i} and apples" for i in range(120)))
    add(writer, items[:100])
    add(writer, items[100:])
    changed = [Memory(**{**m.__dict__, "text": m.text + " zebras"}) for m in items[5:15]]
    add(writer, changed, new=False)
    writer.delete([m.id for m in items[50:60]])
    add(writer, memories("The spare key is under the blue flowerpot"))
    writer.close()
    return uri


def test_the_stamp_is_lancedbs_own_version(written: Path) -> None:
    index = LanceIndex(written, EMBED.dim)
    stamp = table_stamp(written / "memories.lance")
    assert stamp is not None
    assert stamp.version == index._table.version


def test_reads_through_the_file_equal_reads_through_lancedb(written: Path) -> None:
    from_file = LanceIndex(written, EMBED.dim)
    expected = results(from_file)
    assert not from_file.opened, "a read opened LanceDB although the file was current"
    (written.parent / "memories.snapshot.arrow").unlink()
    through_lancedb = LanceIndex(written, EMBED.dim)
    assert results(through_lancedb) == expected
    assert through_lancedb.opened
    again = LanceIndex(written, EMBED.dim)  # the file was written again by that read
    assert results(again) == expected
    assert not again.opened


def test_another_writers_rows_are_read_from_the_file(written: Path) -> None:
    reader = LanceIndex(written, EMBED.dim)
    assert len(reader.ids()) == 111
    writer = LanceIndex(written, EMBED.dim)
    fresh = memories("written elsewhere about okapis")
    add(writer, fresh)
    writer.close()  # the writer leaves the file at its version
    found = reader.search(EMBED.embed(["okapis"])[0], "okapis", limit=3, where=MemoryFilter())
    assert found[0].id == fresh[0].id or fresh[0].id in [c.id for c in found]
    assert not reader.opened


@pytest.mark.parametrize("damage", ["stale", "corrupt", "truncated"])
def test_a_damaged_file_falls_back_to_lancedb_and_is_repaired(written: Path, damage: str) -> None:
    path = written.parent / "memories.snapshot.arrow"
    expected = results(LanceIndex(written, EMBED.dim))
    if damage == "stale":  # a writer stopped between its LanceDB commit and the file
        kept = path.with_suffix(".kept")
        shutil.copy(path, kept)
        writer = LanceIndex(written, EMBED.dim)
        add(writer, memories("added after the copy about okapis"))
        writer.close()
        shutil.copy(kept, path)
        expected = results(writer)
    elif damage == "corrupt":
        path.write_bytes(b"not arrow at all" * 100)
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    fallback = LanceIndex(written, EMBED.dim)
    assert results(fallback) == expected
    assert fallback.opened
    repaired = LanceIndex(written, EMBED.dim)
    assert results(repaired) == expected
    assert not repaired.opened


def test_evidence_reads_through_the_file_equal_reads_through_lancedb(tmp_path: Path) -> None:
    uri = tmp_path / "lance"
    writer = EvidenceIndex(uri, EMBED.dim)
    said = [f"I talked about topic{i} and the blue flowerpot {i % 7}" for i in range(60)]
    turns = [EvidenceTurn(f"t{i:03d}", "s1", 1000.0 + i, t, "before") for i, t in enumerate(said)]
    vectors = list(EMBED.embed(said))
    writer.add(turns[:40], vectors[:40], vectors[:40], new=True)
    writer.add(turns[40:], vectors[40:], vectors[40:], new=True)
    writer.delete(["t005"])
    writer.close()

    def found(index: EvidenceIndex) -> list[tuple[str, float]]:
        out = []
        for text in QUERIES:
            hits = index.search(EMBED.embed([text])[0], text, 5, semantic_share=0.7, floor=0.0)
            out += [(h.turn.id, round(h.score, 6)) for h in hits]
        return out + [("count", float(index.count()))]

    from_file = EvidenceIndex(uri, EMBED.dim)
    expected = found(from_file)
    assert not from_file.opened
    (uri.parent / "evidence.snapshot.arrow").unlink()
    through_lancedb = EvidenceIndex(uri, EMBED.dim)
    assert found(through_lancedb) == expected
    assert through_lancedb.opened
    assert ("count", 59.0) in expected


def test_the_turns_text_index_is_saved_and_scores_as_a_fresh_one(tmp_path: Path) -> None:
    """The turns' text index is saved beside their snapshot file: the next process loads it
    (no text read again) and finds exactly what an index built from the texts finds; a
    damaged one is built again; a purge leaves neither file holding a purged turn."""
    uri = tmp_path / "lance"
    writer = EvidenceIndex(uri, EMBED.dim)
    said = [f"we spoke of okapis and topic{i} near the blue flowerpot {i % 5}" for i in range(40)]
    turns = [EvidenceTurn(f"t{i:03d}", "s1", 1000.0 + i, t, "earlier") for i, t in enumerate(said)]
    vectors = list(EMBED.embed(said))
    writer.add(turns, vectors, vectors, new=True)
    writer.close()
    saved = uri.parent / "evidence.lexicon.npz"
    assert saved.is_file()

    def found(index: EvidenceIndex) -> list[tuple[str, float]]:
        return [
            (h.turn.id, round(h.score, 6))
            for text in QUERIES + ["okapis", "earlier topic3"]
            for h in index.search(EMBED.embed([text])[0], text, 5, semantic_share=0.3, floor=0.0)
        ]

    loaded = EvidenceIndex(uri, EMBED.dim)
    expected = found(loaded)
    assert not loaded.opened and any(score > 0 for _, score in expected)
    saved.write_bytes(b"not an index")
    assert found(EvidenceIndex(uri, EMBED.dim)) == expected
    assert saved.read_bytes() != b"not an index"  # written again by the reader
    assert found(EvidenceIndex(uri, EMBED.dim)) == expected
    purging = EvidenceIndex(uri, EMBED.dim)
    purging.delete(["t003"])
    purging.scrub()
    purging.close()
    snapshot = uri.parent / "evidence.snapshot.arrow"
    assert not snapshot.exists() or b"topic3 " not in snapshot.read_bytes()
    if saved.exists():
        with np.load(saved) as words:
            assert "topic3" not in set(words["words"].tolist()) | set(words["stems"].tolist())
            assert "topic4" in set(words["words"].tolist())


def test_the_saved_text_index_scores_as_a_fresh_one(written: Path) -> None:
    """A cold read builds the text index once and saves it beside the file; the next
    process loads it and scores every query exactly as an index built from the texts."""
    lexicon = written.parent / "memories.lexicon.npz"
    lexicon.unlink(missing_ok=True)
    built = LanceIndex(written, EMBED.dim)
    expected = results(built)
    assert lexicon.is_file()
    loaded = LanceIndex(written, EMBED.dim)
    assert results(loaded) == expected
    assert not loaded.opened
    writer = LanceIndex(written, EMBED.dim)  # a write leaves a renumbered index
    first = writer.ids()[:3]
    writer.delete(first)
    add(writer, memories("okapis in the garden"))
    results(writer)  # builds the text index the writer then saves, renumbered
    writer.close()
    assert lexicon.is_file()
    after = results(LanceIndex(written, EMBED.dim))
    lexicon.unlink()
    assert results(LanceIndex(written, EMBED.dim)) == after  # built from the texts
    assert lexicon.is_file()


def test_a_purge_leaves_no_snapshot_of_the_purged_rows(written: Path) -> None:
    index = LanceIndex(written, EMBED.dim)
    results(index)
    gone = index.ids()[0]
    index.delete([gone])
    index.scrub()
    index.close()
    for name in ("memories.snapshot.arrow", "memories.lexicon.npz"):
        path = written.parent / name
        assert not path.exists() or gone.encode() not in path.read_bytes()


def _current_soon(index: LanceIndex | EvidenceIndex, uri: Path) -> bool:
    """Whether a fresh reader finds a current file within a few seconds (polled)."""
    for _ in range(100):
        fresh: LanceIndex | EvidenceIndex
        if isinstance(index, LanceIndex):
            fresh = LanceIndex(uri, EMBED.dim)
            fresh.ids()
        else:
            fresh = EvidenceIndex(uri, EMBED.dim)
            fresh.sessions()
        if not fresh.opened:
            return True
        threading.Event().wait(0.05)
    return False


def test_a_long_running_writer_leaves_the_file_current_without_closing(tmp_path: Path) -> None:
    """A process that keeps writing (serve, chat) writes the files shortly after its latest
    write, so the command line reads them instead of opening LanceDB."""
    uri = tmp_path / "lance"
    index = LanceIndex(uri, EMBED.dim, save_after=0.05)
    add(index, memories("written by a long-running process"))
    assert _current_soon(index, uri)
    turns = EvidenceIndex(uri, EMBED.dim, save_after=0.05)
    vector = list(EMBED.embed(["said while serving"]))
    turns.add([EvidenceTurn("t1", "s1", 1.0, "said while serving")], vector, vector, new=True)
    assert _current_soon(turns, uri)
