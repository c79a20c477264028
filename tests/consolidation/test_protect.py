"""What a memory's meaning says about keeping it from decay, read by the classifier trained
on ``assistant/data/keep.tsv`` over the real MiniLM; none of these texts is in that data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.consolidation.keep import Keeper
from assistant.consolidation.protect import DATA, LABELS, Protection
from assistant.consolidation.view import StoreView
from assistant.learning.labelled import load_rows
from assistant.memories import Draft
from assistant.models.minilm import MiniLMEmbedder

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
READ = {
    "Sertraline 100mg every morning": "health",
    "can't eat eggs - they make me throw up": "health",
    "Grandad Joe turns 85 in May": "about your people",
    "my eldest, Tayo, starts secondary school in september": "about your people",
    "Ate a bagel on the train": None,
    "The printer jammed again": None,
    "bought a new doormat": None,
    "fav podcast atm = the rest is history": None,
}


def test_unseen_memories_are_read_by_meaning(minilm: MiniLMEmbedder, tmp_path: Path) -> None:
    shipped = {text.lower() for _, text in load_rows(DATA)}
    assert not {text.lower() for text in READ} & shipped, "the texts are new to the classifier"
    assert {label for label, _ in load_rows(DATA)} == set(LABELS)
    protection = Protection(minilm, tmp_path)
    assert dict(zip(READ, protection.reasons(list(READ)), strict=True)) == READ
    vectors = np.asarray(minilm.embed(list(READ)), dtype=np.float32)
    assert protection.reasons(list(READ), vectors) == list(READ.values())
    assert protection.reasons([]) == []


def test_cached_weights_are_read_back_and_a_broken_cache_is_trained_again(
    minilm: MiniLMEmbedder, tmp_path: Path
) -> None:
    first = Protection(minilm, tmp_path).classifier._load_or_train()
    cached = next(tmp_path.glob("keep-*.npy"))
    assert np.allclose(np.load(cached), first)
    assert np.allclose(Protection(minilm, tmp_path).classifier._load_or_train(), first)
    assert first.shape == (len(LABELS), minilm.embed(["x"]).shape[1] + 1)
    cached.write_bytes(b"not an array")
    again = Protection(minilm, tmp_path).classifier._load_or_train()
    assert np.allclose(again, first), "a broken cache is trained again"
    assert np.allclose(np.load(cached), first), "and written anew"


@pytest.mark.parametrize("fixture", ["assistant", "hashed"])
def test_meaning_counts_only_with_minilm(fixture: str, request: pytest.FixtureRequest) -> None:
    """A hashing fallback reads words, not meaning: only MiniLM's reading keeps a memory."""
    assistant: Assistant = request.getfixturevalue(fixture)
    assistant.memories.add_many(
        [Draft("Sertraline 100mg every morning", importance=3, created_at=NOW - timedelta(900))]
    )
    view = StoreView.of(assistant.memories, NOW.timestamp())
    keeper = Keeper(view, assistant.memories.embedder, assistant.settings.model_cache)
    expected = "health" if fixture == "assistant" else None
    assert keeper.reason(0) == expected
