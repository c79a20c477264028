"""Decay never archives what matters (health, identity, the user's people, importance ≥ 7),
archives at most a small share of the store per run, and every archive can be undone from the
review queue. Every run here is on a fixed clock."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from assistant import Assistant
from assistant.consolidation import Consolidator, decay
from assistant.consolidation.review import open_items, settle
from assistant.consolidation.view import StoreView
from assistant.errors import InvalidInputError
from assistant.memories import Draft
from assistant.memory_types import Status
from assistant.settings import read_settings
from assistant.store.reviews import ARCHIVED, Resolution
from assistant_cli.main import build_app

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def clock() -> float:
    return NOW.timestamp()


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def consolidate(assistant: Assistant) -> dict[str, int]:
    report = Consolidator(assistant, clock=clock).run()
    assert report.status == "done", report.errors
    return report.counts


def status(assistant: Assistant, memory_id: str) -> Status:
    return assistant.memories.get(memory_id).status


# What must survive: each carries a different signal, and each would be archived by the
# half-lives alone (faded below 1.5 and unused for far longer than 60 days). The moments are
# weeks apart, so no weekly summary folds them away.
KEPT = {
    "allergy of importance 9": Draft(
        "Found out I'm allergic to penicillin.",
        type="episodic",
        importance=9,
        created_at=ago(400),
    ),
    "health by meaning only": Draft(
        "Shellfish makes my lips swell up badly.", importance=6, created_at=ago(900)
    ),
    "health by tag": Draft(
        "Takes 20 mg of citalopram each morning.",
        importance=5,
        tags=["health"],
        created_at=ago(900),
    ),
    "a person by the learner's people link": Draft(
        "Tomas is coming over on Sunday.",
        type="episodic",
        importance=4,
        metadata={"people": ["[[Tomas]]"]},
        created_at=ago(415),
    ),
    "a person the user named before": Draft(
        "mira's flute recital went really well.",
        type="episodic",
        importance=4,
        created_at=ago(430),
    ),
    "importance 8": Draft(
        "The spare key is under the blue pot.", importance=8, created_at=ago(900)
    ),
}


def test_what_matters_is_never_archived_by_decay_though_it_may_fade(
    assistant: Assistant,
) -> None:
    memories = assistant.memories
    daughter = Draft(
        "My daughter's name is Mira.",
        type="identity",
        importance=8,
        tags=["family"],
        metadata={"fact": "relation:daughter"},
        created_at=ago(900),
    )
    stale = Draft(
        "Watched a film about whales.", type="episodic", importance=3, created_at=ago(445)
    )
    added = memories.add_many([daughter, *KEPT.values(), stale])
    kept = dict(zip(KEPT, added[1:-1], strict=True))

    counts = consolidate(assistant)

    assert status(assistant, added[-1].id) is Status.ARCHIVED, "decay still archives"
    assert counts["decay.archived"] == 1
    for why, memory in kept.items():
        assert status(assistant, memory.id) is Status.ACTIVE, why
    allergy = memories.get(kept["allergy of importance 9"].id)
    assert allergy.importance < 9, "it still fades in ranking"
    # A later run, when they have faded further, still keeps them.
    later_view = StoreView.of(memories, clock() + 400 * 86_400)
    half_lives = assistant.settings.consolidation.half_lives()
    faded = decay.find_faded(later_view, half_lives, 1.5, 60, embedder=memories.embedder)
    assert not {f.memory.id for f in faded if f.archive} & {m.id for m in kept.values()}
    later = Consolidator(assistant, clock=lambda: clock() + 400 * 86_400).run()
    assert later.status == "done"
    for why, memory in kept.items():
        assert status(assistant, memory.id) is Status.ACTIVE, f"{why}, a year later"


def _mundane(n: int) -> str:
    places = ["the park", "the shop", "work", "the station", "town", "the library"]
    things = ["a coffee", "a sandwich", "the paper", "a bus ticket", "some stamps", "a pen"]
    return f"Picked up {things[n % 6]} near {places[(n // 6) % 6]}, errand {n}."


def test_one_run_archives_at_most_a_small_share_of_the_store(hashed: Assistant) -> None:
    hashed.memories.add_many(
        [Draft(_mundane(n), importance=2 + (n % 3), created_at=ago(300 + n)) for n in range(200)]
    )
    share = hashed.settings.consolidation.archive_share
    assert 0 < share <= 0.1
    first = consolidate(hashed)
    assert 1 <= first["decay.archived"] <= int(200 * share)
    left = 200 - first["decay.archived"]
    second = Consolidator(hashed, clock=lambda: clock() + 86_400).run()
    assert 1 <= second.counts["decay.archived"] <= int(left * share)


def test_an_archived_memory_waits_in_the_review_queue_and_undoing_restores_it(
    hashed: Assistant,
) -> None:
    memories, reviews = hashed.memories, hashed.reviews
    film, walk = memories.add_many(
        [
            Draft(
                "Watched a film about whales.", type="episodic", importance=3, created_at=ago(400)
            ),
            Draft(
                "Went for a walk by the canal.", type="episodic", importance=2, created_at=ago(500)
            ),
        ]
    )
    report = Consolidator(hashed, clock=clock).run()
    assert report.counts["decay.archived"] == 1
    gone = walk.id  # the most faded goes first
    assert status(hashed, gone) is Status.ARCHIVED
    assert reviews.archived_in([report.run_id]) == {report.run_id: [gone]}
    assert memories.get(gone).metadata["archived_in_run"] == report.run_id

    items = open_items(memories, reviews)
    assert [(i.kind, i.new_id) for i in items] == [(ARCHIVED, gone)]
    assert "canal" in items[0].reason
    with pytest.raises(InvalidInputError, match="restored or dismissed"):
        settle(memories, reviews, items[0], Resolution.BOTH)
    done = settle(memories, reviews, items[0], Resolution.RESTORE)
    assert "Restored" in done
    restored = memories.get(gone)
    assert restored.status is Status.ACTIVE and restored.importance == 2
    assert open_items(memories, reviews) == []
    # Once brought back, decay never archives it again.
    again = Consolidator(hashed, clock=lambda: clock() + 90 * 86_400).run()
    assert status(hashed, gone) is Status.ACTIVE
    assert status(hashed, film.id) is Status.ARCHIVED
    assert reviews.archived_in([again.run_id]) == {again.run_id: [film.id]}
    dismissed = settle(memories, reviews, open_items(memories, reviews)[0], Resolution.DISMISS)
    assert "stays in the archive" in dismissed
    assert status(hashed, film.id) is Status.ARCHIVED and open_items(memories, reviews) == []


def test_a_memory_restored_elsewhere_leaves_the_queue_by_itself(hashed: Assistant) -> None:
    walk = hashed.memories.add(
        "Went for a walk by the canal.", type="episodic", importance=2, created_at=ago(500)
    )
    consolidate(hashed)
    assert [i.new_id for i in hashed.reviews.open()] == [walk.id]
    assert hashed.reviews.count_open(ARCHIVED) == 1
    assert hashed.reviews.count_open() == 0, "it is not a possible contradiction"
    hashed.memories.restore(walk.id)  # from the browser or `assistant restore`
    assert open_items(hashed.memories, hashed.reviews) == []
    assert hashed.reviews.count_open(ARCHIVED) == 0


@pytest.fixture
def hash_home(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    yield


def test_the_cli_lists_what_a_run_archived_and_restores_it_from_review(
    hash_home: None,
) -> None:
    with Assistant(read_settings({}, os.environ)) as assistant:
        walk = assistant.memories.add(
            "Went for a walk by the canal.", type="episodic", importance=2, created_at=ago(500)
        )
        run_id = Consolidator(assistant, clock=clock).run().run_id
    runner = CliRunner()
    history = runner.invoke(build_app(), ["consolidate", "--history", "--json"])
    assert history.exit_code == 0, history.output
    assert json.loads(history.stdout)[0]["archived"] == [walk.id]
    table = runner.invoke(build_app(), ["consolidate", "--history"])
    assert walk.id in table.stdout
    listed = runner.invoke(build_app(), ["review", "--list"])
    assert "canal" in listed.stdout and "archived" in listed.stdout
    answered = runner.invoke(build_app(), ["review"], input="3\nr\n")
    assert answered.exit_code == 0, answered.output
    assert "Answer with one of: r, d, s, q." in answered.stderr, "an unknown answer asks again"
    with Assistant(read_settings({}, os.environ)) as assistant:
        assert assistant.memories.get(walk.id).status is Status.ACTIVE
        assert assistant.reviews.archived_in([run_id]) == {run_id: [walk.id]}
        assert assistant.reviews.count_open(ARCHIVED) == 0
