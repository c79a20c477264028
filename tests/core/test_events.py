"""Change events: pages and the vault's history follow every change to the store, whoever
made it, without the writer refreshing or recording anything."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from assistant import Assistant
from assistant.events import Changed
from assistant.learning.learner import Learner
from tests.vault.test_watch import wait_for


def test_pages_follow_a_change_by_themselves(hashed: Assistant) -> None:
    page = hashed.settings.assistant_dir / "People" / "Anna.md"
    Learner(hashed.memories).learn("My sister Anna lives in Lyon.", conversation="c", turn="t")
    assert hashed.memories.list(), "the premise: something was learned"
    wait_for(lambda: page.is_file() and "lives in Lyon" in page.read_text(), timeout=10)
    memory = hashed.memories.list()[0]
    hashed.memories.update(memory.id, text="My sister Anna lives in Paris.")
    wait_for(lambda: "lives in Paris" in page.read_text(), timeout=10)


def test_the_history_records_each_change_once(hashed: Assistant) -> None:
    vault = hashed.settings.vault
    subprocess.run(["git", "init", "-q", str(vault)], check=True)
    kept = hashed.memories.add("The spare key is under the blue pot")
    hashed.memories.forget(kept.id)
    hashed.commit_history()
    log = subprocess.run(
        ["git", "-C", str(vault), "log", "--format=%B"], check=True, capture_output=True, text=True
    ).stdout
    assert log.count("The spare key is under the blue pot") == 2, log  # remembered, forgot
    assert hashed.commit_history() is None, "nothing changed since: nothing to commit"


def test_a_failing_subscriber_never_fails_the_write(hashed: Assistant) -> None:
    seen: list[str] = []

    def broken(changes: Sequence[Changed]) -> None:
        raise RuntimeError("a follower crashed")

    hashed.memories.changes.subscribe(broken)
    hashed.memories.changes.subscribe(lambda changes: seen.extend(c.verb for c in changes))
    memory = hashed.memories.add("I take the 7:40 train")
    hashed.memories.restore(hashed.memories.forget(memory.id).id)
    assert seen == ["remembered", "forgot", "restored"]
