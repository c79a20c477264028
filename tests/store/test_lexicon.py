"""Full-text search in memory: words, stems, BM25 order, appends, odd input, filters."""

from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.memory import Memory, MemoryFilter, Status, new_id
from assistant.models.fakes import HashEmbedder
from assistant.store.lance import LanceIndex
from assistant.store.lexicon import Lexicon, words

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
        "cafe", "creme", "anna", "s", "trip", "uber", "cool", "42x",
    ]  # fmt: skip
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


def test_replaced_copies_never_crowd_out_the_live_memory(tmp_path: Path) -> None:
    embed = HashEmbedder()
    index = LanceIndex(tmp_path / "lance", embed.dim)

    def by_words(text: str, limit: int, statuses: tuple[Status, ...] = ()) -> list[str]:
        where = MemoryFilter(statuses=statuses)
        found = index.search(embed.embed(["-"])[0], text, limit=limit, where=where)
        return [c.id for c in sorted(found, key=lambda c: -c.lexical) if c.lexical > 0]

    old = [
        Memory(id=new_id(), text=f"my dentist is Dr Weber {i}", status=Status.SUPERSEDED)
        for i in range(200)
    ]
    live = Memory(id=new_id(), text="my dentist is now Dr Weber-Lang in Basel")
    items = [*old, live]
    index.add(items, list(embed.embed([m.text for m in items])), new=True)
    active = (Status.ACTIVE,)
    assert by_words("dentist weber", 5, active) == [live.id]
    assert len(by_words("dentist weber", 5)) == 10  # twice the limit, replaced ones included
    # An update (a merge into the table) is seen by the next text search.
    moved = replace(live, text="my dentist moved to Zurich")
    index.add([moved], list(embed.embed([moved.text])))
    assert by_words("zurich", 5, active) == [live.id]
    assert by_words("basel", 5, active) == []
    assert by_words("   ", 5) == []
