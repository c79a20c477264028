"""The pair judge on pairs it was not trained on (``data/pair_probe.tsv``): a look-alike or a
contradiction never merges; most paraphrases do."""

from __future__ import annotations

from pathlib import Path

from assistant.consolidation.judge_pairs import default_judge, load_pairs
from assistant.models.minilm import MiniLMEmbedder

PROBE = Path(__file__).parent / "data" / "pair_probe.tsv"


def test_the_judge_never_merges_a_look_alike_or_a_contradiction_it_never_saw(
    minilm: MiniLMEmbedder,
) -> None:
    judge = default_judge()
    rows = load_pairs(PROBE.read_text("utf-8"))
    assert len(rows) >= 30
    merged: dict[str, list[str]] = {}
    for label, a, b in rows:
        va, vb = minilm.embed([a, b])
        if judge.judge(a, b, float(va @ vb), minilm.embed).merge:
            merged.setdefault(label, []).append(f"{a} / {b}")
    assert not merged.get("look_alike") and not merged.get("contradiction"), merged
    paraphrases = sum(1 for label, _, _ in rows if label == "paraphrase")
    assert len(merged.get("paraphrase", [])) >= paraphrases // 3, merged
