"""The pair reader: MiniLM reading two memory texts at once with the shipped adapters (real
model, real ONNX export in the shared model cache), in the merge job on a real store, and
its training on a few rows."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.consolidation import contradictions, merge
from assistant.consolidation.judge_pairs import LABELS
from assistant.consolidation.reader_training import examples, save, train, training_pairs
from assistant.consolidation.view import Stopped, StoreView
from assistant.errors import EmbeddingError
from assistant.memories import Draft
from assistant.memory_types import Memory
from assistant.models.minilm import MiniLMEmbedder, model_source
from assistant.models.pair_reader import PairReader, adapter_digest, adapter_path, shared_reader
from assistant.models.reader_fit import fit, pack, read_examples, write_examples
from tests.conftest import MODEL_CACHE

NOW = datetime(2026, 8, 14, 9, 0, tzinfo=UTC)
"""A fixed Friday (never the wall clock)."""

ONE_FACT = [
    ("I play five-a-side football on Thursdays.", "Thursday evenings are for five-a-side."),
    ("my bro Dev is a chef", "My brother Dev cooks professionally."),
    ("Priya hates olives.", "Olives taste awful to Priya, she can't stand them."),
]
TWO_FACTS = [
    ("I'm teetotal.", "I don't drink coffee."),
    ("Ines plays the cello.", "Ines teaches primary school."),
    ("My dentist appointment is on March 3.", "My dentist appointment is on May 3."),
    ("I like olives.", "I don't like olives."),
    ("I have a dog named Rex.", "I have a cat named Rex."),
]


@pytest.fixture(scope="module")
def reader(minilm: MiniLMEmbedder) -> PairReader:
    return shared_reader(MODEL_CACHE)


def test_one_fact_in_other_words_is_read_as_one(reader: PairReader) -> None:
    paraphrase = reader.probability("paraphrase", ONE_FACT)
    assert paraphrase.min() >= 0.9, paraphrase


def test_two_facts_that_look_alike_are_not(reader: PairReader) -> None:
    paraphrase = reader.probability("paraphrase", TWO_FACTS)
    assert paraphrase.max() < 0.5, paraphrase


def test_the_reading_is_the_same_in_either_order_and_sums_to_one(reader: PairReader) -> None:
    forwards = reader.probabilities(ONE_FACT + TWO_FACTS)
    backwards = reader.probabilities([(b, a) for a, b in ONE_FACT + TWO_FACTS])
    assert np.allclose(forwards, backwards, atol=1e-5)
    assert np.allclose(forwards.sum(axis=1), 1.0, atol=1e-5)
    assert reader.probabilities([]).shape == (0, len(reader.labels))


def view(assistant: Assistant) -> StoreView:
    return StoreView.of(assistant.memories, NOW.timestamp())


def one_a_day(assistant: Assistant, texts: list[str]) -> list[Memory]:
    """The texts added a day apart, the last yesterday."""
    return assistant.memories.add_many(
        [Draft(t, created_at=NOW - timedelta(days=len(texts) - n)) for n, t in enumerate(texts)]
    )


def read_in_a_store(
    assistant: Assistant, texts: list[str]
) -> tuple[list[str], list[frozenset[str]], list[frozenset[str]]]:
    """The ids of ``texts`` added a day apart, and the clusters found among them (as sets of
    ids) by the judge alone and with the reader."""
    added = one_a_day(assistant, texts)
    embedder = assistant.memories.embedder
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    found = [
        merge.find_clusters(view(assistant), embedder=embedder, reader=use)
        for use in (None, reader)
    ]
    without, with_reader = (
        [frozenset({c.canonical.id, *(o.id for o in c.others)}) for c in clusters]
        for clusters in found
    )
    return [m.id for m in added], without, with_reader


def test_the_merge_job_merges_what_only_the_reader_reads_as_one(assistant: Assistant) -> None:
    """The feature judge leaves the two pairs (few words in common; what looks like a
    negation); the reader merges them. The look-alikes beside them stay, with the reader or
    without, and so does a thing done swapped for another, which the reader itself would take
    for one fact."""
    texts = [
        "I play five-a-side football on Thursdays.",
        "Thursday evenings are for five-a-side.",
        "I don't eat pork.",
        "Pork is off the menu for me.",
        "My dentist appointment is on March 3.",
        "My dentist appointment is on May 3.",
        "I like olives.",
        "I don't like olives.",
        "I collect vintage cameras.",
        "I sell vintage cameras.",
    ]
    ids, without, with_reader = read_in_a_store(assistant, texts)
    assert without == []
    assert sorted(with_reader, key=min) == sorted(
        [frozenset(ids[0:2]), frozenset(ids[2:4])], key=min
    )
    assert merge.run(assistant.memories, view(assistant), lambda: False)["merged"] == 2


def test_the_reader_reads_past_a_number_or_name_on_one_side_only(assistant: Assistant) -> None:
    """A size said with its system on one side only is one fact, which the judge vetoes and
    the reader merges; a place added to a trip is read and left (another fact). A number or
    a place that differs on both sides is never read, though the reader may take it for one
    fact (Lisbon / Porto)."""
    texts = [
        "My shoe size is 8.",
        "wears a size 8 shoe (UK)",
        "wears a size 9 shoe",
        "I went to Kyoto.",
        "I went to Kyoto and Osaka.",
        "Sis is in Lisbon, Portugal.",
        "My sister lives in Porto, Portugal.",
    ]
    ids, without, with_reader = read_in_a_store(assistant, texts)
    assert without == [] and with_reader == [frozenset(ids[0:2])]
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    both_sides = reader.probability("paraphrase", [(texts[5], texts[6])])
    assert both_sides.min() >= 0.95, both_sides  # only the difference keeps them apart


def test_a_pair_read_once_is_recalled_from_the_memo_which_holds_no_text(
    minilm: MiniLMEmbedder, tmp_path: Path
) -> None:
    import diskcache

    memo = tmp_path / "memo"
    pairs = ONE_FACT + TWO_FACTS
    first = PairReader(MODEL_CACHE, memo=memo).probabilities(pairs)
    assert np.allclose(first, PairReader(MODEL_CACHE).probabilities(pairs), atol=1e-6)
    with diskcache.Cache(str(memo)) as cache:
        assert len(cache) == len(pairs)
    stored = b"".join(f.read_bytes() for f in memo.rglob("*") if f.is_file())
    assert b"five-a-side" not in stored and b"Priya" not in stored
    again = PairReader(MODEL_CACHE, memo=memo)
    assert np.array_equal(again.probabilities([(b, a) for a, b in pairs]), first)
    with diskcache.Cache(str(memo)) as cache:
        assert len(cache) == len(pairs)  # either order is one pair


def test_a_memo_that_cannot_open_leaves_the_reader_reading(
    minilm: MiniLMEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "memo"
    blocked.write_text("a file where the memo's folder should be")
    with caplog.at_level(logging.WARNING):
        p = PairReader(MODEL_CACHE, memo=blocked).probability("paraphrase", ONE_FACT[:1])
    assert p[0] >= 0.9
    assert "memo is off" in caplog.text


def test_a_run_asked_to_stop_stops_while_reading_and_keeps_what_it_read(
    assistant: Assistant,
) -> None:
    """300 memories, each said twice in other words, give more pairs to read than one batch;
    the run stops after the first batch that was read."""
    import diskcache

    every = training_pairs()
    said = [t for label, a, b in every if label == "paraphrase" for t in (a, b)][:300]
    drafts = [Draft(t, created_at=NOW - timedelta(days=n % 20 + 1)) for n, t in enumerate(said)]
    assistant.memories.add_many(drafts)
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    memo = assistant.settings.home / "cache" / "pair-reader"

    def read_something() -> bool:
        if not memo.is_dir():
            return False
        with diskcache.Cache(str(memo)) as cache:
            return len(cache) > 0

    with pytest.raises(Stopped):
        merge.find_clusters(
            view(assistant),
            embedder=assistant.memories.embedder,
            reader=reader,
            stop=read_something,
        )
    with diskcache.Cache(str(memo)) as cache:
        assert 0 < len(cache) <= merge.READ_BATCH


def test_a_store_not_embedded_with_minilm_has_no_reader(hashed: Assistant) -> None:
    assert merge.reader_for(hashed.memories) is None


def test_a_damaged_adapter_is_a_clear_error_and_the_judge_goes_on_alone(
    assistant: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "pair_reader.npz"
    broken.write_bytes(b"\x00not an archive")
    reader = PairReader(tmp_path / "cache", adapter=broken)
    with pytest.raises(EmbeddingError, match="pair reader"):
        reader.probabilities([("a", "b")])
    assistant.memories.add_many([Draft(a) for a in ONE_FACT[0]])
    with caplog.at_level(logging.WARNING):
        clusters = merge.find_clusters(
            view(assistant), embedder=assistant.memories.embedder, reader=reader
        )
    assert clusters == []
    assert "without the pair reader" in caplog.text


def test_a_damaged_export_in_the_cache_names_the_reader(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    export = cache / f"pair-reader-{adapter_digest(adapter_path())}" / "model.onnx"
    export.parent.mkdir(parents=True)
    export.write_bytes(b"\x00not a model" * 100)
    with pytest.raises(EmbeddingError, match="cannot load the pair reader from"):
        PairReader(cache).probabilities([("a", "b")])


def test_training_on_a_few_rows_gives_adapters_the_reader_loads(
    minilm: MiniLMEmbedder, tmp_path: Path
) -> None:
    """Deterministic: the same rows and seed give the same adapters."""
    every = training_pairs()
    rows = every[:: len(every) // 24][:24]
    first = train(rows, minilm, epochs=1)
    again = train(rows, minilm, epochs=1)
    assert first.keys() == again.keys()
    assert all(np.array_equal(first[k], again[k]) for k in first)
    path = tmp_path / "pair_reader.npz"
    save(first, path)
    reader = PairReader(tmp_path / "cache", adapter=path)
    p = reader.probabilities([("I'm teetotal.", "I don't drink alcohol at all.")])
    assert p.shape == (1, 5) and abs(float(p.sum()) - 1.0) < 1e-5
    assert reader.labels[0] == "paraphrase"


def test_readers_packed_into_one_file_answer_as_their_mean(
    minilm: MiniLMEmbedder, tmp_path: Path
) -> None:
    """The shipped file holds readers fitted with different seeds; their answers are averaged.
    The pairs they are fitted to go through a file unchanged (for fitting on another machine)."""
    every = training_pairs()
    rows = every[:: len(every) // 16][:16]
    prepared = examples(rows, minilm)
    write_examples(LABELS, prepared, tmp_path / "pairs.tsv")
    assert read_examples(tmp_path / "pairs.tsv") == (list(LABELS), prepared)
    readers = [fit(prepared, LABELS, model_source(), seed=seed, epochs=1) for seed in (7, 8)]
    pairs = [("I'm teetotal.", "I don't drink alcohol at all."), ("I have a dog.", "I'm a nurse.")]
    answers = []
    for n, arrays in enumerate([*readers, pack(readers)]):
        save(arrays, tmp_path / f"{n}.npz")
        answers.append(
            PairReader(tmp_path / "cache", adapter=tmp_path / f"{n}.npz").probabilities(pairs)
        )
    assert not np.allclose(answers[0], answers[1], atol=1e-4)
    assert np.allclose(answers[2], (answers[0] + answers[1]) / 2, atol=1e-5)
    assert (
        tmp_path / "cache" / f"pair-reader-{adapter_digest(tmp_path / '2.npz')}" / "model-1.onnx"
    ).is_file()


def test_the_reader_asks_about_a_newer_memory_that_replaces_an_older_one(
    assistant: Assistant,
) -> None:
    """A reported change the rules cannot place (the bus given up for bikes) is found by the
    reader and asked about, never superseded on its word alone. A newer memory that adds to
    the older one ("a second cat") the reader also reads as a change (0.94): it is asked
    about too, and nothing is superseded."""
    texts = [
        "the kids get the bus to school",
        "our cat is called tofu",
        "the kids cycle to school now",
        "we now have a second cat, miso",
    ]
    ids = [m.id for m in one_a_day(assistant, texts)]
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    embedder = assistant.memories.embedder
    found = [
        {
            (c.newer.id, c.older.id): c
            for c in contradictions.find_conflicts(view(assistant), embedder=embedder, reader=use)
        }
        for use in (None, reader)
    ]
    bikes, cat = (ids[2], ids[0]), (ids[3], ids[1])
    assert bikes in found[1] and bikes not in found[0]
    assert not found[1][bikes].clear
    assert cat not in found[0]
    assert not any(c.clear for c in found[1].values())


def test_a_change_is_asked_about_against_the_facts_it_most_likely_replaces(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer memory that reports a change is read against its neighbours; of those a model
    reads as replaced (here two: the sitter, 0.96, and the cat, 0.95), only the likeliest
    :data:`~contradictions.PER_CHANGE` are asked about, not every fact of its topic."""
    texts = [
        "Olav minds Bamse when I travel.",
        "Bamse is my forest cat, a big grey tabby born in 2019.",
        "Bamse has to stay in at night because of the foxes.",
        "Bamse gets wet food twice a day.",
        "Bamse hates the vet and hides under the bed.",
        "Olav can't mind Bamse anymore, his granddaughter Nora is my cat sitter now",
    ]
    added = one_a_day(assistant, texts)
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    read = (contradictions.READ_REASON, contradictions.JUDGED_REASON)
    olders = []
    for most in (2, 1):
        monkeypatch.setattr(contradictions, "PER_CHANGE", most)
        found = contradictions.find_conflicts(
            view(assistant), embedder=assistant.memories.embedder, reader=reader
        )
        olders.append(
            {c.older.id for c in found if c.newer.id == added[-1].id and c.reason in read}
        )
    assert len(olders[0]) == 2 and olders[1] == {added[0].id}, "the sitter it replaces"


def test_a_newer_fact_that_tells_no_change_is_asked_about_when_the_reader_is_surer(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "upgraded to an iphone 15" tells no change in words the rules know, and the reader
    reads it as replacing "phone is a pixel 6" (0.99 or more): asked about, not superseded.
    Two facts of one topic that hold together ("phone is a pixel 6" / "the phone case is
    green") are not. With no close pair left to read in a run (:data:`PLAIN_READS` 0), the
    change goes unasked."""
    texts = [
        "phone is a pixel 6",
        "the kayak club launches from cornelian bay",
        "upgraded to an iphone 15, handed the pixel down to chidi",
        "the kayak club relocated to kangaroo bay this season",
        "my phone case is green",
    ]
    ids = [m.id for m in one_a_day(assistant, texts)]
    found = read_conflicts(assistant)
    phone, kayak = (ids[2], ids[0]), (ids[3], ids[1])
    assert phone in found and not found[phone].clear
    assert found[phone].reason == contradictions.READ_REASON
    assert kayak in found
    assert (ids[4], ids[0]) not in found and (ids[4], ids[2]) not in found
    monkeypatch.setattr(contradictions, "PLAIN_READS", 0)
    assert phone not in read_conflicts(assistant)


def read_conflicts(assistant: Assistant) -> dict[tuple[str, str], contradictions.Conflict]:
    """The conflicts found with the pair reader, by ``(newer id, older id)``."""
    reader = merge.reader_for(assistant.memories)
    assert reader is not None
    return {
        (c.newer.id, c.older.id): c
        for c in contradictions.find_conflicts(
            view(assistant), embedder=assistant.memories.embedder, reader=reader
        )
    }
