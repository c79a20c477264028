"""The LanceDB index: writes, deletes, compaction, and seeing another writer's rows."""

from pathlib import Path

from assistant.memory_types import Memory, MemoryFilter, new_id
from assistant.models.fakes import HashEmbedder
from assistant.store.lance import LanceIndex

EMBED = HashEmbedder()


def memories(*texts: str) -> list[Memory]:
    return [
        Memory(id=new_id(), text=t, path=Path(f"Assistant/Memories/{i}.md"))
        for i, t in enumerate(texts)
    ]


def add(index: LanceIndex, items: list[Memory], new: bool = True) -> None:
    index.add(items, list(EMBED.embed([m.text for m in items])), new=new)


def ids(index: LanceIndex, text: str) -> list[str]:
    vector = EMBED.embed([text])[0]
    found = index.search(vector, text, limit=10, where=MemoryFilter())
    return [c.id for c in sorted(found, key=lambda c: -(c.semantic + c.lexical))]


def test_delete_and_replace(tmp_path: Path) -> None:
    index = LanceIndex(tmp_path / "lance", EMBED.dim)
    a, b = memories("alpha apples", "beta bananas")
    add(index, [a, b])
    index.delete([a.id])
    assert [m.id for m in index.memories(MemoryFilter())] == [b.id]
    changed = Memory(**{**b.__dict__, "text": "beta blueberries"})
    add(index, [changed], new=False)
    assert index.count() == 1
    assert index.get_many([b.id])[0].text == "beta blueberries"
    assert ids(index, "blueberries")[0] == b.id


def test_compaction_keeps_every_row_searchable(tmp_path: Path) -> None:
    index = LanceIndex(tmp_path / "lance", EMBED.dim, compact_every=8)
    items = memories(*(f"fact number {i} about topic{i}" for i in range(30)))
    for item in items:  # single-row appends, compacted in the background every 8
        add(index, [item])
    index.close()  # waits for the last compaction
    index.compact()
    assert index.count() == 30
    assert ids(index, "topic17")[0] == items[17].id


def test_rows_written_by_another_index_are_seen(tmp_path: Path) -> None:
    mine = LanceIndex(tmp_path / "lance", EMBED.dim)
    other = LanceIndex(tmp_path / "lance", EMBED.dim)  # as another process would
    add(mine, memories("my own note"))
    assert len(mine.memories(MemoryFilter())) == 1
    theirs = memories("written elsewhere about zebras")
    add(other, theirs)
    assert ids(mine, "zebras")[0] == theirs[0].id
    assert len(mine.memories(MemoryFilter())) == 2


def test_own_replacements_and_deletes_read_as_a_fresh_load_does(tmp_path: Path) -> None:
    index = LanceIndex(tmp_path / "lance", EMBED.dim)
    items = memories(*(f"fact {i} about topic{i}" for i in range(40)))
    add(index, items)
    assert ids(index, "topic3")[0] == items[3].id  # the snapshot and its text index are built
    changed = [
        Memory(**{**m.__dict__, "text": f"changed {n} about subject{n}"})
        for n, m in enumerate(items)
        if n % 3 == 0
    ]
    for memory in changed:  # one by one, as learning updates memories
        add(index, [memory], new=False)
    index.delete([items[1].id, items[2].id])
    fresh = LanceIndex(tmp_path / "lance", EMBED.dim)  # reads the table from disk
    assert sorted(index.ids()) == sorted(fresh.ids()) and len(index.ids()) == 38
    texts = {m.id: m.text for m in index.memories(MemoryFilter())}
    assert texts == {m.id: m.text for m in fresh.memories(MemoryFilter())}
    assert texts[items[3].id] == "changed 3 about subject3"
    for query, expected in [("subject3", 3), ("topic4", 4), ("subject39", 39)]:
        assert ids(index, query)[0] == ids(fresh, query)[0] == items[expected].id
    assert items[1].id not in ids(index, "topic1") and ids(index, "topic3")[0] != items[3].id
    assert index.vectors_of([items[3].id]).tolist() == fresh.vectors_of([items[3].id]).tolist()
    assert [m.text for m in index.get_many([items[6].id])] == ["changed 6 about subject6"]


def test_a_text_index_left_by_an_earlier_release_is_dropped_at_compaction(
    tmp_path: Path,
) -> None:
    import lancedb
    from lancedb.index import FTS

    index = LanceIndex(tmp_path / "lance", EMBED.dim)
    items = memories("alpha apples", "beta bananas")
    add(index, items)
    table = lancedb.connect(str(tmp_path / "lance")).open_table("memories")
    table.create_index("text", config=FTS())
    assert [i.index_type for i in table.list_indices()] == ["FTS"]
    index.compact()
    assert lancedb.connect(str(tmp_path / "lance")).open_table("memories").list_indices() == []
    assert ids(index, "bananas")[0] == items[1].id
