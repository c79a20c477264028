"""Full-text search in memory: words, stems, BM25 order, appends, odd input, filters, and
the index carried over a reload."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from assistant.memory_types import Memory, MemoryFilter, Status, new_id
from assistant.models.fakes import HashEmbedder
from assistant.store.lance import LanceIndex
from assistant.store.lexicon import Lexicon, words
from assistant.store.snapshot import Snapshot, memory_to_row

EMBED = HashEmbedder()

TEXTS = [
    "I go climbing on Saturdays with Anna",
    "Anna lives in Lyon",
    "Our café serves crème brûlée",
    "The climbers climbed the north face",
    "Meeting about the budget on Monday",
]


def lexicon(texts: list[str]) -> Lexicon:
    built = Lexicon()
    built.extend(texts)
    return built


def test_words_fold_case_and_accents_and_split_on_punctuation() -> None:
    assert words("Café CRÈME, Anna's trip—über_cool 42x!") == [
        "cafe",
        "creme",
        "anna",
        "s",
        "trip",
        "uber",
        "cool",
        "42x",
    ]
    assert words("") == []
    assert words("東京に住んでいます 🙂") == ["東京に住んでいます"]


def test_stems_accents_and_stop_words() -> None:
    index = lexicon(TEXTS)
    climbing = index.scores("climb")
    assert {int(i) for i in np.flatnonzero(climbing)} == {0, 3}
    assert np.flatnonzero(index.scores("cafe creme")).tolist() == [2]
    assert not index.scores("the on with").any()  # stop words only
    assert not index.scores("").any()
    assert not index.scores("zebra").any()


def test_rarer_words_and_shorter_texts_score_higher() -> None:
    index = lexicon(TEXTS)
    scores = index.scores("anna lyon")
    assert scores[1] > scores[0] > 0  # Lyon is rarer than Anna, and text 1 is shorter
    long = lexicon(["budget", "budget " + "filler " * 50])
    first, second = long.scores("budget")
    assert first > second > 0


def test_many_small_appends_score_as_one_build() -> None:
    texts = [f"note {i} about topic{i % 7} and {'shared ' * (i % 3)}words" for i in range(60)]
    whole = lexicon(texts)
    grown = Lexicon()
    for text in texts:  # 60 batches: merged along the way
        grown.extend([text])
    grown.extend([])
    assert len(grown) == len(whole) == 60
    for query in ("topic3", "shared words", "note 17", "nothing here"):
        np.testing.assert_allclose(grown.scores(query), whole.scores(query), rtol=1e-5)


def test_queries_leave_the_vocabulary_alone_and_odd_input_is_harmless() -> None:
    index = lexicon(TEXTS)
    for query in ("unseen words galore", "\x00\x01\ufffd", "x" * 100_000, "🙂" * 50):
        assert not index.scores(query).any()
    assert index.scores("galore").sum() == 0
    index.extend(["", "\x00 binary \x07 bytes", "a" * 500, "galore"])
    assert np.flatnonzero(index.scores("galore")).tolist() == [8]
    assert np.flatnonzero(index.scores("binary")).tolist() == [6]
    assert not index.scores("a" * 500).any()  # over-long "words" are not indexed


def by_words(
    index: LanceIndex, text: str, limit: int = 3, statuses: tuple[Status, ...] = ()
) -> list[str]:
    """The ids a search finds by their words (lexical score > 0), best first."""
    where = MemoryFilter(statuses=statuses)
    found = index.search(EMBED.embed(["-"])[0], text, limit=limit, where=where)
    return [c.id for c in sorted(found, key=lambda c: -c.lexical) if c.lexical > 0]


def test_replaced_copies_never_crowd_out_the_live_memory(tmp_path: Path) -> None:
    index = LanceIndex(tmp_path / "lance", EMBED.dim)
    old = [
        Memory(id=new_id(), text=f"my dentist is Dr Weber {i}", status=Status.SUPERSEDED)
        for i in range(200)
    ]
    live = Memory(id=new_id(), text="my dentist is now Dr Weber-Lang in Basel")
    items = [*old, live]
    index.add(items, list(EMBED.embed([m.text for m in items])), new=True)
    active = (Status.ACTIVE,)
    assert by_words(index, "dentist weber", 5, active) == [live.id]
    assert len(by_words(index, "dentist weber", 5)) == 10  # twice the limit, replaced ones included
    # An update (a merge into the table) is seen by the next text search.
    moved = replace(live, text="my dentist moved to Zurich")
    index.add([moved], list(EMBED.embed([moved.text])))
    assert by_words(index, "zurich", 5, active) == [live.id]
    assert by_words(index, "basel", 5, active) == []
    assert by_words(index, "   ", 5) == []


def test_a_lexicon_keeps_only_the_live_documents_as_a_fresh_build_would() -> None:
    texts = [f"entry {i} about topic{i % 5} with words{i % 3}" for i in range(30)]
    index = lexicon(texts)
    keep = np.array([i % 4 != 0 for i in range(30)])
    kept = index.kept(keep)
    fresh = lexicon([t for t, k in zip(texts, keep, strict=True) if k])
    assert len(kept) == len(fresh) == 22
    for query in ("topic3", "words1 entry", "entry 8", "entry 4"):
        np.testing.assert_allclose(kept.scores(query), fresh.scores(query), rtol=1e-5)
    kept.extend(["a new topic3 entry"])  # still grows like any other
    assert np.flatnonzero(kept.scores("new")).tolist() == [22]


def test_a_reload_carries_the_text_index_over_when_the_rows_still_match(
    tmp_path: Path,
) -> None:
    mine = LanceIndex(tmp_path / "lance", EMBED.dim)
    items = [Memory(id=new_id(), text=f"note {i} about topic{i}") for i in range(20)]
    mine.add(items, list(EMBED.embed([m.text for m in items])), new=True)

    assert by_words(mine, "topic7") == [items[7].id]
    changed = replace(items[3], text="note 3 now about gardening")
    mine.add([changed], list(EMBED.embed([changed.text])))  # in place: a row gone
    mine.delete([items[4].id])
    other = LanceIndex(tmp_path / "lance", EMBED.dim)  # another process appends
    extra = Memory(id=new_id(), text="written elsewhere about zebras")
    other.add([extra], list(EMBED.embed([extra.text])), new=True)
    mine.compact()
    assert by_words(mine, "zebras") == [extra.id]  # reloaded: the other process's row is there
    assert by_words(mine, "gardening") == [items[3].id]
    assert by_words(mine, "topic4") == [] and by_words(mine, "topic9") == [items[9].id]
    assert by_words(mine, "zebras") == by_words(other, "zebras")


def _table(items: list[Memory]) -> pa.Table:
    rows = [memory_to_row(m) for m in items]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    vectors = np.asarray(EMBED.embed([m.text for m in items]), dtype=np.float32)
    columns["vector"] = pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), EMBED.dim)
    return pa.table(columns)


def test_a_snapshot_takes_over_the_text_index_only_while_the_rows_match() -> None:
    items = [Memory(id=new_id(), text=f"note {i} about topic{i}") for i in range(12)]
    first = Snapshot.of(1, _table(items), EMBED.dim)
    first.lexicon()
    first.remove(2, [items[5].id])  # as an own delete does
    later = [m for m in items if m is not items[5]] + [Memory(id=new_id(), text="zebras")]
    second = Snapshot.of(3, _table(later), EMBED.dim, previous=first)
    assert second.text_index_built
    fresh = Lexicon()
    fresh.extend([m.text for m in later])
    for query in ("topic5", "topic6", "zebras", "note"):
        np.testing.assert_allclose(second.lexicon().scores(query), fresh.scores(query))
    edited = [replace(later[0], text="note 0 edited elsewhere"), *later[1:]]
    third = Snapshot.of(4, _table(edited), EMBED.dim, previous=second)
    assert not third.text_index_built  # a text changed underneath: indexed afresh
    assert np.flatnonzero(third.lexicon().scores("edited")).tolist() == [0]


def test_a_saved_index_carries_its_stop_words() -> None:
    """A text index saved by a version with other stop words is not adopted (its words
    would still match "I" and "my"): loading it says so, and the caller builds it again."""
    lexicon = Lexicon()
    lexicon.extend(TEXTS)
    saved = lexicon.arrays()
    again = Lexicon.from_arrays(saved)
    assert np.array_equal(again.scores("climbing anna"), lexicon.scores("climbing anna"))
    older = {name: value for name, value in saved.items() if name != "stop_words"}
    with pytest.raises(ValueError, match="stop words"):
        Lexicon.from_arrays(older)
    assert not lexicon.scores("what do I have").any()
