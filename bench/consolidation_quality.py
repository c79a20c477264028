"""Consolidation on a seeded store with known answers: duplicate clusters collapsed, wrong
merges, contradictions found; without a model, and with a loopback model that answers as an
oracle (the ceiling of the model path: which true conflicts ever reach the model).

python bench/consolidation_quality.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ROOT
from seeded_store import Seeded, build

from assistant import Assistant
from assistant.consolidation import Consolidator
from assistant.consolidation.model import RunModel
from assistant.memory_types import Status
from assistant.models.chat import ModelInfo
from assistant.models.openai_chat import OpenAIModel

sys.path.insert(0, str(ROOT))
from tests.servers import Canned, FakeServer, openai_tool_call  # noqa: E402

_PAIR = re.compile(r'^(\d+)\. A: (".*")\n   B: (".*")$', re.M)
_WEEK = re.compile(r"^Week (\d+) \(.*\):\n((?:- .*\n?)+)", re.M)
_MOMENT = re.compile(r'^- \w+: (".*")$', re.M)


def oracle(truth: set[frozenset[str]]) -> Any:
    """A model that calls exactly the seeded contradiction pairs contradictions, and sums up
    each week it is asked about with its first two moments, faithfully."""

    def answer(body: dict[str, Any]) -> Canned:
        listing = body["messages"][-1]["content"]
        if body["tools"][0]["function"]["name"] == "write_summaries":
            summaries = [
                {
                    "week": int(n),
                    "summary": " ".join(
                        json.loads(m).rstrip(".") + "." for m in _MOMENT.findall(moments)[:2]
                    ),
                }
                for n, moments in _WEEK.findall(listing)
            ]
            return openai_tool_call("write_summaries", json.dumps({"summaries": summaries}), 600)
        verdicts = [
            {
                "pair": int(n),
                "verdict": "contradiction"
                if frozenset((json.loads(a), json.loads(b))) in truth
                else "compatible",
            }
            for n, a, b in _PAIR.findall(listing)
        ]
        return openai_tool_call("judge_pairs", json.dumps({"verdicts": verdicts}), 400)

    return answer


def measure(seeded: Seeded, with_model: bool) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-consolidation-")) / "home"
    texts = [d.text for d in seeded.drafts]
    truth = {frozenset((texts[a], texts[b])) for a, b in seeded.contradictions}
    server = FakeServer(oracle(truth)) if with_model else None
    try:
        with Assistant.open(home) as assistant:
            ids = [m.id for m in assistant.memories.add_many(seeded.drafts)]
            run_model = None
            if server is not None:
                info = ModelInfo("mini", "openai", "gpt-4.1-mini", "cheap", 0.4, 1.6)
                model = OpenAIModel(info, api_key="sk-bench", base_url=server.url + "/v1")
                run_model = RunModel(model, budget=0.05)
            report = Consolidator(assistant, run_model).run()
            status = {m.id: m for m in assistant.memories.list(statuses=list(Status))}
            queued = assistant.reviews.pairs()
            collapsed = sum(
                1
                for cluster in seeded.clusters
                if sum(status[ids[i]].status is Status.ACTIVE for i in cluster) == 1
            )
            cluster_of = {ids[i]: n for n, c in enumerate(seeded.clusters) for i in c}
            stem_to_id = {m.path.stem: m.id for m in status.values() if m.path}
            wrong = 0
            for memory in status.values():
                into = str(memory.metadata.get("merged_into", "")).strip("[]")
                if into:
                    target = stem_to_id.get(into)
                    same = cluster_of.get(memory.id) is not None and (
                        cluster_of.get(memory.id) == cluster_of.get(target or "")
                    )
                    wrong += not same
            found = 0
            for older, newer in seeded.contradictions:
                pair = frozenset((ids[older], ids[newer]))
                replaced = status[ids[older]].status is Status.SUPERSEDED
                found += replaced or pair in queued
            return {
                "clusters": len(seeded.clusters),
                "collapsed": collapsed,
                "wrong merges": wrong,
                "contradictions": len(seeded.contradictions),
                "found": found,
                "auto-superseded": report.counts.get("contradictions.superseded", 0),
                "queued for review": report.counts.get("contradictions.to review", 0),
                "archived (decay + compaction)": report.counts.get("decay.archived", 0)
                + report.counts.get("compaction.archived", 0),
                "weekly summaries": report.counts.get("compaction.summaries", 0),
                "of them by the model": report.counts.get("compaction.summaries by the model", 0),
                "model calls": run_model.calls if run_model else 0,
                "model dollars": round(run_model.spent, 5) if run_model else 0.0,
                "seconds": round(report.seconds, 1),
                "errors": report.errors,
            }
    finally:
        if server is not None:
            server.close()
        shutil.rmtree(home.parent, ignore_errors=True)


def main() -> None:
    seeded = build()
    print(
        f"seeded store: {len(seeded.drafts)} memories, {len(seeded.clusters)} duplicate "
        f"clusters, {len(seeded.look_alikes)} look-alike pairs, "
        f"{len(seeded.contradictions)} contradiction pairs, "
        f"{len(seeded.episodes)} old episodes"
    )
    for with_model in (False, True):
        result = measure(seeded, with_model)
        label = "with a loopback oracle model" if with_model else "without a model"
        print(f"\n{label}:")
        print(
            f"  duplicate clusters collapsed: {result['collapsed']}/{result['clusters']} "
            f"({result['collapsed'] / result['clusters']:.0%})"
        )
        print(f"  wrong merges: {result['wrong merges']}")
        print(
            f"  contradictions found: {result['found']}/{result['contradictions']} "
            f"({result['found'] / result['contradictions']:.0%}; "
            f"{result['auto-superseded']} superseded, {result['queued for review']} "
            "to review)"
        )
        for key in (
            "archived (decay + compaction)",
            "weekly summaries",
            "of them by the model",
            "model calls",
            "model dollars",
            "seconds",
            "errors",
        ):
            print(f"  {key}: {result[key]}")


if __name__ == "__main__":
    main()
