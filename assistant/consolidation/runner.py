"""A consolidation run: the jobs in order, one process at a time, logged, committed.

Jobs: merge, contradictions, patterns, compaction of old weeks (before decay, so old
episodes are summarised rather than faded one by one), decay and archive, the persona's
night (the mood's baseline drifts, quirks of the replies strengthen or fade), the profile and
pages, then index care (vault ↔ index check, LanceDB compaction, DuckDB checkpoint). Edits
the user makes in the vault reach the index through the watcher and the start-up catch-up.

Each job reads a view of the store (taken again after any job that changed it) and checks
``stop`` between small batches, and a model call in flight ends when ``stop`` is set
(:mod:`assistant.models.interrupt`), so a new message pre-empts a run at once; the jobs
are idempotent, so a stopped or crashed run is simply started again later. Every job writes
a note before indexing it, and the view is read from the indexes: so a run first brings the
indexes up to date with the vault, and a note written by a run killed before indexing it (a
weekly summary, a habit, a merge) is seen by the next run rather than written again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant import paths
from assistant.companion import nightly
from assistant.consolidation import (
    compaction,
    contradictions,
    decay,
    merge,
    patterns,
    upkeep,
)
from assistant.consolidation.judge import ModelJudge
from assistant.consolidation.model import RunModel
from assistant.consolidation.view import Action, Stopped, StoreView
from assistant.errors import AssistantError
from assistant.models.interrupt import Interrupted, interruptible
from assistant.store.companion import CompanionRecords
from assistant.store.filelock import try_file_lock

if TYPE_CHECKING:
    from assistant.core import Assistant

log = logging.getLogger(__name__)

JOBS = (
    "merge",
    "contradictions",
    "patterns",
    "compaction",
    "decay",
    "persona",
    "profile",
    "index",
)


@dataclass
class RunReport:
    """What one run did (or, for a dry run, would do)."""

    status: str
    """``done``, ``preempted``, ``failed``, or ``busy`` (another process is consolidating)."""
    trigger: str = "command"
    dry_run: bool = False
    run_id: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dollars: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        """A short human summary: "merged 4 duplicates, archived 12 stale memories"."""
        return summary_line(self.counts)


def summary_line(counts: dict[str, int]) -> str:
    """Counts of a run in words (empty when it changed nothing)."""
    c = counts.get
    archived = c("decay.archived", 0)
    parts = [
        (c("merge.merged", 0), "merged {} duplicate{s}"),
        (c("contradictions.superseded", 0), "replaced {} outdated fact{s}"),
        (archived, "archived {} stale memor{ies}"),
        (c("compaction.archived", 0), "folded {} old moment{s} into weekly summaries"),
        (c("patterns.learned", 0), "noticed {} habit{s}"),
        (c("contradictions.to review", 0), "{} contradiction{s} to review"),
    ]
    words = []
    for number, text in parts:
        if number:
            plural = number != 1
            words.append(text.format(number, s="s" if plural else "", ies="ies" if plural else "y"))
    return ", ".join(words)


class Consolidator:
    """Runs the consolidation jobs over one assistant's store.

    Usage::

        report = Consolidator(assistant).run()                 # apply
        plan = Consolidator(assistant).run(dry_run=True).actions  # only say what would change
        report = Consolidator(assistant, RunModel(chat_model, budget=0.05)).run()  # with a model
    """

    def __init__(
        self,
        assistant: Assistant,
        model: RunModel | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.assistant = assistant
        self.model = model
        """Judges the pairs the heuristics cannot settle and writes the weekly summaries."""
        self.clock = clock
        self.settings = assistant.settings.consolidation

    def run(
        self,
        *,
        trigger: str = "command",
        dry_run: bool = False,
        stop: threading.Event | None = None,
    ) -> RunReport:
        """Run every job (or plan them with ``dry_run``); returns at once with status
        ``busy`` when another thread or process is consolidating."""
        lock = paths.index_dir(self.assistant.settings.home) / "consolidation.lock"
        with try_file_lock(lock) as taken:
            if not taken:
                return RunReport("busy", trigger, dry_run)
            return self._locked(trigger, dry_run, stop or threading.Event())

    def _locked(self, trigger: str, dry_run: bool, stop: threading.Event) -> RunReport:
        started = time.perf_counter()
        runs = self.assistant.runs
        report = RunReport("done", trigger, dry_run, runs.start(trigger, dry_run=dry_run))
        try:
            if dry_run:
                report.actions = self._plan()
            else:
                with interruptible(stop):  # a model call in flight ends when the user is back
                    self._apply(report, stop)
        except Interrupted:
            report.status = "preempted"
        except AssistantError as exc:
            log.warning("consolidation failed: %s", exc)
            report.status = "failed"
            report.errors.append(str(exc))
        except Exception as exc:  # a bug in a job must never take the process down
            log.exception("consolidation failed")
            report.status = "failed"
            report.errors.append(f"{type(exc).__name__}: {exc}")
        if self.model is not None:
            report.dollars = self.model.spent
            if self.model.problem:
                report.errors.append(f"model: {self.model.problem}")
        report.seconds = time.perf_counter() - started
        runs.finish(report.run_id, report.status, report.counts, report.errors, report.dollars)
        # A pre-empted run leaves the pages and the commit to the next one: the user is back.
        if not dry_run and report.status == "done":
            line = report.line()
            self.assistant.pages.flush()
            self.assistant.commit_history(title=f"Consolidation: {line or 'nothing to change'}")
        log.info(
            "consolidation %s in %.1f s: %s",
            report.status,
            report.seconds,
            report.line() or "nothing to change",
        )
        return report

    def _apply(self, report: RunReport, stop: threading.Event) -> None:
        memories = self.assistant.memories
        c = self.settings
        judge = ModelJudge(self.model) if self.model is not None else None
        steps: list[tuple[str, Callable[[StoreView], dict[str, int]]]] = [
            ("merge", lambda v: merge.run(memories, v, stop.is_set)),
            (
                "contradictions",
                lambda v: contradictions.run(
                    memories,
                    v,
                    stop.is_set,
                    self.assistant.reviews,
                    judge,
                    merge.reader_for(memories),
                ),
            ),
            ("patterns", lambda v: patterns.run(memories, v, stop.is_set)),
            ("compaction", lambda v: compaction.run(memories, v, stop.is_set, self.model)),
            (
                "decay",
                lambda v: decay.run(
                    memories,
                    v,
                    stop.is_set,
                    half_lives=c.half_lives(),
                    archive_below=c.archive_below,
                    unused_days=c.archive_unused_days,
                    archive_share=c.archive_share,
                    reviews=self.assistant.reviews,
                    run_id=report.run_id,
                ),
            ),
        ]
        if self.assistant.settings.persona.enabled:  # the mood's baseline, the quirks
            records = CompanionRecords(self.assistant.db)
            steps.append(("persona", lambda v: nightly.run(records, self.clock())))
        caught_up = upkeep.catch_up(memories, stop.is_set)
        if caught_up is None:
            report.status = "preempted"
            return
        self._count(report, "index", {"fixed": caught_up})
        view: StoreView | None = None
        for name, step in steps:
            if stop.is_set():
                report.status = "preempted"
                return
            try:
                view = view or StoreView.of(memories, self.clock(), stop.is_set)
                counts = step(view)
            except Stopped:
                report.status = "preempted"
                return
            except AssistantError as exc:  # one job failing does not stop the others
                log.warning("consolidation job %s failed: %s", name, exc)
                report.errors.append(f"{name}: {exc}")
                counts = {"failed": 1}
            self._count(report, name, counts)
            if any(counts.values()):
                view = None  # the store changed: the next job looks again
        if stop.is_set():
            report.status = "preempted"
            return
        pages = self.assistant.refresh_pages(everything=True)
        report.counts["profile.pages"] = len(pages.written)
        self._count(report, "index", upkeep.run(memories, self.assistant.db, stop.is_set))
        if stop.is_set():
            report.status = "preempted"

    def _plan(self) -> list[Action]:
        """Every job's planned changes over one view; a memory claimed by an earlier job is
        left out of later ones. The model is not asked in a dry run."""
        memories = self.assistant.memories
        c = self.settings
        view = StoreView.of(memories, self.clock())
        actions = upkeep.plan(memories)
        claimed: set[str] = set()

        def keep(planned: list[Action]) -> None:
            for action in planned:
                if not claimed & set(action.ids):
                    actions.append(action)
                    claimed.update(action.ids)

        keep(merge.plan(merge.clusters_of(memories, view)))
        known = self.assistant.reviews.pairs()
        keep(
            contradictions.plan(
                contradictions.find_conflicts(
                    view, known, embedder=memories.embedder, reader=merge.reader_for(memories)
                )
            )
        )
        known_habits = patterns.known_patterns(memories)
        keep(patterns.plan(patterns.find_patterns(view, known_habits, memories.embedder)))
        keep(compaction.plan(compaction.find_weeks(view)))
        faded = decay.find_faded(
            view,
            c.half_lives(),
            c.archive_below,
            c.archive_unused_days,
            archive_share=c.archive_share,
            embedder=memories.embedder,
            weights_dir=memories.settings.model_cache,
        )
        keep(decay.plan(faded))
        actions.append(Action("profile", "refresh", (), "rewrite the profile and the pages"))
        return actions

    @staticmethod
    def _count(report: RunReport, job: str, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            report.counts[f"{job}.{key}"] = report.counts.get(f"{job}.{key}", 0) + value
