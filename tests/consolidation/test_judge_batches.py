"""The pair judge over many pairs at once: the parts of a few hundred pairs embedded in one
batch give the verdicts one pair at a time gives, and a memo on disk keeps them for the next
run (real MiniLM, real diskcache in a temp directory)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from assistant.consolidation.judge_pairs import Verdict, default_judge, load_pairs
from assistant.models.cache import Memo
from assistant.models.minilm import MiniLMEmbedder


@pytest.fixture(scope="module")
def pairs(minilm: MiniLMEmbedder) -> list[tuple[str, str, float]]:
    rows = load_pairs()[::20]
    vectors = minilm.embed([t for _, a, b in rows for t in (a, b)])
    return [(a, b, float(vectors[2 * n] @ vectors[2 * n + 1])) for n, (_, a, b) in enumerate(rows)]


def same(x: Verdict, y: Verdict) -> bool:
    return (x.label, x.vetoed) == (y.label, y.vetoed) and abs(x.paraphrase - y.paraphrase) < 1e-4


def test_judged_together_is_judged_as_one_by_one(
    minilm: MiniLMEmbedder, pairs: list[tuple[str, str, float]]
) -> None:
    judge = default_judge()
    together = judge.judge_many(pairs, minilm.embed)
    alone = [judge.judge(a, b, cosine, minilm.embed) for a, b, cosine in pairs]
    assert len(pairs) > 50
    assert all(same(x, y) for x, y in zip(together, alone, strict=True))
    assert {v.label for v in together} >= {"paraphrase", "look_alike", "unrelated"}


def test_verdicts_kept_in_the_memo_are_recalled_not_judged_again(
    minilm: MiniLMEmbedder, pairs: list[tuple[str, str, float]], tmp_path: Path
) -> None:
    judge = default_judge()
    memo = Memo(tmp_path / "judge", "The pair judge's memo")
    first = judge.judge_many(pairs, minilm.embed, (memo, minilm.name))

    def no_model(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise AssertionError(f"embedded again: {list(texts)[:3]}")

    again = judge.judge_many(pairs, no_model, (memo, minilm.name))
    assert all(same(x, y) for x, y in zip(first, again, strict=True))
    with pytest.raises(AssertionError, match="embedded again"):  # another embedder's: afresh
        judge.judge_many(pairs, no_model, (memo, "another-embedder"))
    memo.close()
    stored = b"".join(f.read_bytes() for f in (tmp_path / "judge").rglob("*") if f.is_file())
    assert pairs[0][0].encode() not in stored


def test_a_memo_that_cannot_be_used_leaves_the_judge_judging(
    minilm: MiniLMEmbedder,
    pairs: list[tuple[str, str, float]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "judge"
    blocked.write_text("a file where the memo's folder should be")
    memo = Memo(blocked, "The pair judge's memo")
    verdicts = default_judge().judge_many(pairs[:5], minilm.embed, (memo, minilm.name))
    alone = [default_judge().judge(a, b, c, minilm.embed) for a, b, c in pairs[:5]]
    assert all(same(x, y) for x, y in zip(verdicts, alone, strict=True))
    assert "The pair judge's memo is off" in caplog.text
