"""Recall with the 8-bit query model against the full model, on the blind retrieval set.

python bench/query_model_quality.py [--set v4|v1]

The sessions of the set's retrieval questions are loaded as chat keeps them (every user turn
kept as evidence, memories learned from them), then every question is asked twice over the
same home: with its vector from the full MiniLM and from the query model that searches the
user asks for use. Printed: recall@10 of the evidence turns both ways (through
``Memories.said``, and through learned memories alone), the mean and least cosine between the
two vectors of a question, and how many of the ten results the two share. Figures only: no
question or turn of the set is printed. The target (issue 22): recall within one point.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from blind_quality import SETS, embedder, load_sessions, said_and_learned, sources_of, start_of

from assistant import Assistant


def main(name: str) -> None:
    data = json.loads((SETS[name] / "retrieval.json").read_text())
    sessions, questions = data["sessions"], data["questions"]
    model = embedder()
    root = Path(tempfile.mkdtemp(prefix="query-model-"))
    try:
        with Assistant.open(root / "home", embedder=model) as assistant:
            number = load_sessions(assistant, sessions, said_and_learned)
            source = sources_of(assistant, sessions, number)
            memories = assistant.memories
            turns: dict[str, list[float]] = {"full": [], "query": []}
            learned: dict[str, list[float]] = {"full": [], "query": []}
            cosines, shared = [], []
            for question in questions:
                text = question["question"]
                evidence = {tuple(e) for e in question["evidence"]}
                vectors = {"full": model.embed([text])[0], "query": model.embed_query(text)}
                cosines.append(float(vectors["full"] @ vectors["query"]))
                tops: list[set[Any]] = []
                for kind, vector in vectors.items():
                    said = memories.said(text, 10, vector=vector)
                    reached = {
                        (
                            number[t.turn.session],
                            round((t.turn.at - start_of(sessions[number[t.turn.session]])) / 60),
                        )
                        for t in said
                        if t.turn.session in number
                    }
                    turns[kind].append(len(evidence & reached) / len(evidence))
                    hits = memories.search(text, 10, touch=False, vector=vector)
                    found = {source(h.memory) for h in hits}
                    learned[kind].append(len(evidence & found) / len(evidence))
                    tops.append({t.turn.id for t in said} | {h.memory.id for h in hits})
                shared.append(len(tops[0] & tops[1]) / max(len(tops[0] | tops[1]), 1))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"retrieval set: bench/{SETS[name].name}/, {len(questions)} questions")
    for label, figures in (
        ("evidence turns (Memories.said)", turns),
        ("learned memories", learned),
    ):
        full, quick = statistics.fmean(figures["full"]), statistics.fmean(figures["query"])
        print(
            f"  recall@10, {label}: full model {full:.3f}, query model {quick:.3f} "
            f"(difference {100 * (quick - full):+.1f} points; target within 1)"
        )
    print(
        f"  cosine between a question's two vectors: mean {statistics.fmean(cosines):.3f}, "
        f"least {min(cosines):.3f}"
    )
    print(f"  results shared by the two searches (Jaccard): mean {np.mean(shared):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=["v4", "v1"], default="v4")
    main(parser.parse_args().set)
