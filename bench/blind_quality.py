"""Quality on the blind evaluation sets (bench/blind/, never edited), without a model: each
section prints its figures beside the target it is held to.

- extraction: the rule extractor scored as ``assistant.learning.quality.score`` does, then the
  same conversations through the real ``Learner``, each in its own temp home (what a chat
  stores, corrections and repeats included). A reject hit is a stored fact holding one of the
  conversation's ``reject`` phrases.
- router: the real MiniLM router, trained in a temp directory on the shipped examples.
- consolidation: the set's memories seeded in a temp home with ``add_many``, one run of
  ``Consolidator`` without a model on a fixed clock, then scored from the memories' statuses
  and links and the review queue. Ages as in seeded_store.py: duplicates 1-80 days old,
  look-alikes 30 and 5, contradictions 90 (older) and 3 (newer), fillers 1-30; keepers get
  their type, importance and age; a routine's episodes (episodic) fall on successive weeks up
  to last week, on the weekday an episode names, else the first its habit names, else Monday
  to Friday in turn. A routine yields a habit when a learned habit links half its episodes.
- retrieval: a later question reaches a past conversation two ways, through the user's own
  turns kept as evidence (``Memories.evidence.keep``, as chat does after each reply, the reply
  included) and through the memories learned from them, each of which records the turn it came
  from (``conversation``, ``turn``). The sessions are written to the log with
  ``ConversationLog.append`` (the lowest public store API: chat stamps turns with the wall
  clock, this gives them the session's date), each user turn is kept as evidence at its time
  and goes through the ``Learner`` as chat does after a reply, a session's emotional turns are
  kept as moments as chat does when it closes. The headline searches the evidence turns with
  ``Memories.said`` (one turn per result); the memory lines search with ``Memories.search``,
  where a result counts for the turn it was learned from. The memories' own creation time is the
  wall clock (the learner takes none), so recency cannot tell the sessions apart. The
  "relevance only" lines reopen the home with ``[retrieval]`` weights that leave relevance
  alone (no recency, importance, reinforcement, flag, MMR diversity or link expansion). A
  diagnostic that is no chat path follows: every user turn stored verbatim as a memory at its
  time, the ceiling of search alone on these questions.

python bench/blind_quality.py [--only extraction|router|consolidation|retrieval]
    [--set v1|...|v10] [--details]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import ROOT

from assistant import Assistant, Draft
from assistant.consolidation import Consolidator
from assistant.conversation.router import ROUTES, Router, load_examples
from assistant.conversation.session import estimate_emotion
from assistant.learning.learner import Learner
from assistant.learning.pii import redact_secrets
from assistant.learning.quality import ExtractionScore, rules, score
from assistant.memory_types import Memory, MemoryType, Status, new_id
from assistant.models.minilm import MiniLMEmbedder
from assistant.store.conversations import ConversationLog, Turn

TRAINING_ROUTES = ROOT / "assistant" / "data" / "routes.tsv"
NEAR_TRAINING = 0.85
"""MiniLM cosine to a training message from which a router message counts as one already seen
(another writer's near-copy: "what's on my shopping list" / "whats on my shopping list?")."""
SETS = {
    "v1": ROOT / "bench" / "blind",
    "v2": ROOT / "bench" / "blind2",
    "v3": ROOT / "bench" / "blind3",
    "v4": ROOT / "bench" / "blind4",
    "v5": ROOT / "bench" / "blind5",
    "v6": ROOT / "bench" / "blind6",
    "v7": ROOT / "bench" / "blind7",
    "v8": ROOT / "bench" / "blind8",
    "v9": ROOT / "bench" / "blind9",
    "v10": ROOT / "bench" / "blind10",
    "v11": ROOT / "bench" / "blind11",
    "v12": ROOT / "bench" / "blind12",
    "v13": ROOT / "bench" / "blind13",
    "v14": ROOT / "bench" / "blind14",
    "v15": ROOT / "bench" / "blind15",
    "v16": ROOT / "bench" / "blind16",
    "v17": ROOT / "bench" / "blind17",
    "v19": ROOT / "bench" / "blind19",
    "v20": ROOT / "bench" / "blind20",
    "v21": ROOT / "bench" / "blind21",
}
"""The sets by version, each written after the previous one's figures were seen (which then
became a development set): v8 is the blind set, and v4 to v7 were (measured, never read, never
printed item by item); v2, v3 and v5 to v8 have extraction and consolidation only, v1 and v4
retrieval too (v5's to v8's retrieval figures come from v4). v9 and v10 are development sets
of consolidation only, written the same way as v8 and read from the start. v11 is a router and
retrieval set: its retrieval part is blind (never read); its router part printed ten of its
misses on its first measurement (its details are refused all the same, for the retrieval
part). v12 is a router set, blind. v13 is an extraction set, read from the start. v14
(extraction and consolidation) is the blind set now: written by a writer who read no code and
no earlier set, committed before it was first measured, never read. v15 (consolidation only)
was written the same way and measured once, blind; then read, it is a development set. v16
(consolidation only), written and kept the same way, is the blind set for consolidation. v17
(extraction only: conversations that correct, update or take back what they said, and a few
that only look as if they do), written and kept the same way, is the blind set for
corrections (``bench/correction_quality.py --set v17``). v19 (extraction only, most of it
what must not be stored) is a development set, written the same way and read from the start.
v20 (extraction only: everyday chat, a third of it with nothing to keep) was written the same
way and measured once, blind, before it was read; then a development set. v21 (extraction
only: the same kinds, other voices) was written and measured the same way."""
UNREAD = ("v4", "v5", "v6", "v7", "v8", "v11", "v12", "v14", "v16", "v17")
"""The sets whose contents are never printed."""
BLIND = SETS["v14"]
BORROWS = {
    **{name: {"retrieval.json": "v4"} for name in ("blind5", "blind6", "blind7", "blind8")},
    "blind14": {"router.tsv": "v12", "retrieval.json": "v11"},
    **{
        name: {"extraction.json": "v14", "router.tsv": "v12", "retrieval.json": "v11"}
        for name in ("blind15", "blind16")
    },
    **{
        name: {"router.tsv": "v12", "retrieval.json": "v11", "consolidation.json": "v15"}
        for name in ("blind19", "blind20", "blind21")
    },
}
"""Where a set that has no file of a section takes it from (any other: v1)."""
DETAILS = False
"""Whether to print what each section got wrong, item by item: never on the blind set (its
contents must stay unseen by whoever tunes the code), always on a development set."""


def borrowed(file: str) -> Path:
    """The folder whose ``file`` a section reads: the set's own, else the one it borrows
    (:data:`BORROWS`)."""
    if (BLIND / file).exists():
        return BLIND
    return SETS[BORROWS.get(BLIND.name, {}).get(file, "v1")]


def detail(line: str) -> None:
    """Print one item a section got wrong, where the set's contents may be seen."""
    if DETAILS:
        print(line)


NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
"""The consolidation run's fixed clock (the day the sets were written)."""
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY = re.compile(r"\b(" + "|".join(DAYS) + r")s?\b", re.I)
RELEVANCE_ONLY = """[retrieval]
weight_relevance = 1.0
weight_recency = 0.0
weight_importance = 0.0
weight_reinforcement = 0.0
weight_flag = 0.0
mmr_lambda = 1.0
link_damping = 0.0
"""


def verdict(ok: bool) -> str:
    """The mark printed after a figure: whether it meets its target."""
    return "meets target" if ok else "BELOW TARGET"


def embedder() -> MiniLMEmbedder:
    """The real MiniLM, loaded once and shared by every temp home."""
    model = MiniLMEmbedder(ROOT / ".cache" / "models")
    model.load()
    return model


@contextmanager
def temp_home(model: MiniLMEmbedder, prefix: str) -> Iterator[Assistant]:
    """An assistant on a fresh home in a temp directory, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        with Assistant.open(root / "home", embedder=model) as assistant:
            yield assistant
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- extraction ---------------------------------------------------------------------------------


def rejected(conversation: dict[str, Any], facts: list[str]) -> list[str]:
    """The facts holding one of the conversation's reject phrases."""
    phrases = [r.lower() for r in conversation["reject"]]
    return [f for f in facts if any(p in f.lower() for p in phrases)]


def learned(model: MiniLMEmbedder, messages: list[str]) -> list[str]:
    """The active memories a chat keeps from ``messages`` (the learner on a fresh home)."""
    with temp_home(model, "blind-learn-") as assistant:
        learner = Learner(assistant.memories)
        session = new_id()
        for message in messages:
            learner.learn(redact_secrets(message), conversation=session)
        return [m.text for m in assistant.memories.list()]


def scored(conversations: list[dict[str, Any]], facts: list[list[str]]) -> ExtractionScore:
    """``quality.score`` of facts already stored: conversation n "says" ``facts[n]``."""
    return score(
        [{"messages": [str(n)], "keep": c["keep"]} for n, c in enumerate(conversations)],
        lambda n: facts[int(n)],
    )


def extraction(model: MiniLMEmbedder) -> None:
    """Precision, recall and reject hits of the rules, then of the learner end to end."""
    if not (BLIND / "extraction.json").is_file():
        print(f"extraction: bench/{BLIND.name}/ has no extraction set")
        return
    conversations = json.loads((BLIND / "extraction.json").read_text())
    expected = sum(len(c["keep"]) for c in conversations)
    print(
        f"extraction: {len(conversations)} conversations, {expected} facts to keep, "
        f"{sum(len(c['reject']) for c in conversations)} reject phrases"
    )
    print("  target: precision >= 0.85, recall >= 0.60, no reject phrase stored")
    stored_by = {
        "rules (quality.score)": lambda c: list(
            dict.fromkeys(f for m in c["messages"] for f in rules(m))
        ),
        "learner on a temp home": lambda c: learned(model, c["messages"]),
    }
    for how, stored in stored_by.items():
        facts = [stored(c) for c in conversations]
        result = scored(conversations, facts)
        hits = [(c, r) for c, f in zip(conversations, facts, strict=True) for r in rejected(c, f)]
        ok = result.precision >= 0.85 and result.recall >= 0.60 and not hits
        print(
            f"  {how}: precision {result.precision:.2f} ({result.kept} kept, "
            f"{len(result.junk)} junk), recall {result.recall:.2f} "
            f"({result.expected - len(result.missed)}/{result.expected}), "
            f"reject hits {len(hits)} — {verdict(ok)}"
        )
        for conversation, fact in hits:
            detail(f"    stored a reject phrase: {fact!r} ({conversation['note']})")
        for junk in result.junk:
            detail(f"    kept but should not: {junk}")
        for missed in result.missed:
            detail(f"    missed: {missed}")


# -- router -------------------------------------------------------------------------------------


def router(model: MiniLMEmbedder) -> None:
    """Accuracy, recall by route and the confusion matrix of the MiniLM router."""
    source = borrowed("router.tsv")
    examples = load_examples(source / "router.tsv")
    print(f"router set: bench/{source.name}/")
    confusion = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
    wrong: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="blind-router-") as weights:
        routes = Router(model, Path(weights))
        vectors = model.embed([text for _, text in examples])
        for (label, text), vector in zip(examples, vectors, strict=True):
            got = routes.route(text, vector).route
            confusion[label][got] += 1
            if got != label:
                wrong.append((label, got, text))
    right = sum(confusion[r][r] for r in ROUTES)
    recall = {r: confusion[r][r] / max(1, sum(confusion[r].values())) for r in ROUTES}
    accuracy = right / len(examples)
    print(f"router: {len(examples)} messages")
    print("  target: accuracy >= 0.90, tool recall >= 0.90")
    print(f"  accuracy: {right}/{len(examples)} = {accuracy:.1%} — {verdict(accuracy >= 0.9)}")
    for route in ROUTES:
        mark = f" — {verdict(recall[route] >= 0.9)}" if route == "tool" else ""
        print(
            f"  {route} recall: {confusion[route][route]}/{sum(confusion[route].values())}"
            f" = {recall[route]:.1%}{mark}"
        )
    print("  confusion (rows: true route, columns: predicted):")
    print(f"    {'':8}" + "".join(f"{r:>9}" for r in ROUTES))
    for route in ROUTES:
        print(f"    {route:8}" + "".join(f"{confusion[route][p]:>9}" for p in ROUTES))
    for label, got, text in wrong:
        detail(f"    {label} → {got}: {text}")
    # Short generic messages ("hi", "tell me a joke") were also written into the training data,
    # and writers who never saw each other's sets still write some of the same messages.
    training = [text for _, text in load_examples(TRAINING_ROUTES)]
    trained = {text.strip().lower() for text in training}
    nearest = (vectors @ model.embed(training).T).max(axis=1)
    missed = {txt for lab, got, txt in wrong}
    for label, keep in (
        ("not also in the training data", [t.strip().lower() not in trained for _, t in examples]),
        (
            f"with no training message within cosine {NEAR_TRAINING}",
            [float(n) < NEAR_TRAINING for n in nearest],
        ),
    ):
        unseen = [txt for (_, txt), k in zip(examples, keep, strict=True) if k]
        tools = [txt for (lab, txt), k in zip(examples, keep, strict=True) if k and lab == "tool"]
        print(
            f"  on the {len(unseen)} messages {label}: accuracy "
            f"{sum(txt not in missed for txt in unseen) / max(1, len(unseen)):.1%}, tool recall "
            f"{sum(txt not in missed for txt in tools) / max(1, len(tools)):.1%}"
        )


# -- consolidation ------------------------------------------------------------------------------


def routine_dates(texts: list[str], habit: str) -> list[datetime]:
    """Successive weeks up to the week before ``NOW``, on the day an episode names, else the
    first day its habit names, else Monday to Friday in turn."""
    habit_day = _DAY.search(habit)
    this_monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=10, minute=0)
    dates = []
    for n, text in enumerate(texts):
        named = _DAY.search(text) or habit_day
        weekday = DAYS.index(named.group(1).lower()) if named else n % 5
        dates.append(this_monday - timedelta(weeks=len(texts) - n) + timedelta(days=weekday))
    return dates


def seed(data: dict[str, Any]) -> tuple[list[Draft], dict[str, Any]]:
    """The drafts to add and, by index into them, what consolidation should do."""
    rng = random.Random(11)
    drafts: list[Draft] = []

    def add(text: str, days: float, **kw: Any) -> int:
        drafts.append(Draft(text, created_at=NOW - timedelta(days=days), **kw))
        return len(drafts) - 1

    def jitter() -> float:
        return rng.uniform(0, 0.4)

    truth: dict[str, Any] = {
        "clusters": [
            [add(t, rng.uniform(1, 80), source="conversation") for t in d["texts"]]
            for d in data["duplicates"]
        ],
        "look_alikes": [
            (add(d["texts"][0], 30 + jitter()), add(d["texts"][1], 5 + jitter()))
            for d in data["look_alikes"]
        ],
        "contradictions": [
            (add(d["older"], 90 + jitter()), add(d["newer"], 3 + jitter()))
            for d in data["contradictions"]
        ],
        "keepers": [
            add(k["text"], k["days_old"] + jitter(), type=k["type"], importance=k["importance"])
            for k in data["keepers"]
        ],
        "routines": [],
    }
    for routine in data["routine_episodes"]:
        indexes = []
        for text, date in zip(
            routine["texts"], routine_dates(routine["texts"], routine["habit"]), strict=True
        ):
            days = (NOW - date).total_seconds() / 86_400
            indexes.append(add(text, days, type="episodic", importance=rng.uniform(3, 6)))
        truth["routines"].append(indexes)
    for text in data["filler"]:
        add(text, rng.uniform(1, 30))
    return drafts, truth


def consolidation(model: MiniLMEmbedder) -> None:
    """Clusters collapsed, look-alikes merged, contradictions found, keepers archived and
    habits learned after one run without a model."""
    data = json.loads((BLIND / "consolidation.json").read_text())
    drafts, truth = seed(data)
    with temp_home(model, "blind-consolidation-") as assistant:
        ids = [m.id for m in assistant.memories.add_many(drafts)]
        report = Consolidator(assistant, None, clock=NOW.timestamp).run()
        every = {m.id: m for m in assistant.memories.list(statuses=list(Status))}
        queued = assistant.reviews.pairs()
    by_stem = {m.path.stem: m.id for m in every.values() if m.path}

    def target(memory: Memory, key: str) -> str:
        return by_stem.get(str(memory.metadata.get(key, "")).strip("[]"), "")

    def merged_into(index: int) -> str:
        return target(every[ids[index]], "merged_into")

    clusters = truth["clusters"]
    collapsed = sum(sum(every[ids[i]].status is Status.ACTIVE for i in c) == 1 for c in clusters)
    cluster_of = {ids[i]: n for n, c in enumerate(clusters) for i in c}
    wrong = [
        (m.text, every[into].text)
        for m in every.values()
        if (into := target(m, "merged_into"))
        and (m.id not in cluster_of or cluster_of[m.id] != cluster_of.get(into))
    ]
    look_alikes = [
        (a, b)
        for a, b in truth["look_alikes"]
        if merged_into(a) in (ids[b], merged_into(b) or "-")
        or merged_into(b) in (ids[a], merged_into(a) or "-")
    ]
    found = []
    for older, newer in truth["contradictions"]:
        replaced = target(every[ids[older]], "superseded_by") == ids[newer]
        found.append(replaced or frozenset((ids[older], ids[newer])) in queued)
    archived = [
        (
            every[ids[i]].text,
            "compaction" if every[ids[i]].metadata.get("summarised_in") else "decay",
        )
        for i in truth["keepers"]
        if every[ids[i]].status is Status.ARCHIVED
    ]
    habits = [
        m for m in every.values() if m.type is MemoryType.PROCEDURAL and m.metadata.get("pattern")
    ]
    linked = {
        h.id: {by_stem.get(str(r).strip("[]"), "") for r in h.metadata.get("related", []) or []}
        for h in habits
    }
    yielded = []
    for routine in truth["routines"]:
        episodes = {ids[i] for i in routine}
        yielded.append([h for h in habits if len(linked[h.id] & episodes) * 2 >= len(episodes)])
    merged_routine = sum(bool(merged_into(i)) for r in truth["routines"] for i in r)

    n_clusters, n_pairs = len(clusters), len(truth["contradictions"])
    print(
        f"consolidation without a model: {len(drafts)} memories, {n_clusters} duplicate "
        f"clusters, {len(truth['look_alikes'])} look-alike pairs, {n_pairs} contradiction "
        f"pairs, {len(truth['keepers'])} keepers, {len(truth['routines'])} routines "
        f"({sum(map(len, truth['routines']))} episodes); clock {NOW:%Y-%m-%d %H:%M} UTC"
    )
    print(
        "  target: >= 70% of clusters collapsed, 0 look-alikes merged, >= 60% of "
        "contradictions found, no keeper archived by decay, a habit for each routine"
    )
    print(
        f"  duplicate clusters collapsed: {collapsed}/{n_clusters} ({collapsed / n_clusters:.0%})"
        f" — {verdict(collapsed >= 0.7 * n_clusters)}"
    )
    print(
        f"  look-alike pairs merged: {len(look_alikes)}/{len(truth['look_alikes'])} — "
        f"{verdict(not look_alikes)}"
    )
    print(f"  wrong merges (into a memory of another cluster, or of none): {len(wrong)}")
    print(
        f"  contradictions found: {sum(found)}/{n_pairs} ({sum(found) / n_pairs:.0%}; "
        f"{report.counts.get('contradictions.superseded', 0)} superseded, "
        f"{report.counts.get('contradictions.to review', 0)} to review in all) — "
        f"{verdict(sum(found) >= 0.6 * n_pairs)}"
    )
    by_decay = [text for text, how in archived if how == "decay"]
    print(
        f"  keepers archived: {len(archived)}/{len(truth['keepers'])}, by decay "
        f"{len(by_decay)} — {verdict(not by_decay)}"
    )
    print(
        f"  routines that yield a habit: {sum(map(bool, yielded))}/{len(yielded)} — "
        f"{verdict(all(yielded))}"
    )
    print(
        f"  routine episodes merged away as duplicates: {merged_routine}/"
        f"{sum(map(len, truth['routines']))}"
    )
    print(
        f"  habits learned: {len(habits)}; run: {report.status}, {report.seconds:.1f} s, "
        f"counts {dict(sorted(report.counts.items()))}, errors {report.errors}"
    )
    for routine, found_habits in zip(data["routine_episodes"], yielded, strict=True):
        got = "; ".join(h.text for h in found_habits) or "none"
        detail(f"    routine {routine['habit']!r}: {got}")
    for habit in habits:
        detail(f"    habit {habit.text!r} from {len(linked[habit.id])} episodes")
    for text, how in archived:
        detail(f"    keeper archived by {how}: {text}")
    for a, b in look_alikes:
        detail(f"    look-alikes merged: {drafts[a].text!r} / {drafts[b].text!r}")
    for text, into in wrong:
        detail(f"    wrongly merged: {text!r} into {into!r}")
    for n, cluster in enumerate(clusters):
        active = [drafts[i].text for i in cluster if every[ids[i]].status is Status.ACTIVE]
        if len(active) > 1:
            detail(f"    cluster {n} not collapsed: {active}")
    for (older, newer), ok in zip(truth["contradictions"], found, strict=True):
        if not ok:
            detail(f"    contradiction missed: {drafts[older].text!r} → {drafts[newer].text!r}")


# -- retrieval ----------------------------------------------------------------------------------


Sources = Callable[[Memory], tuple[int, int] | None]
Fill = Callable[[Assistant, str, list[Turn]], None]


def start_of(session: dict[str, Any]) -> float:
    """When a session's first turn was written (19:00 UTC on its date); a turn a minute."""
    return datetime.fromisoformat(session["date"]).replace(hour=19, tzinfo=UTC).timestamp()


def learn(assistant: Assistant, conversation: str, turns: list[Turn]) -> None:
    """What chat does with a session: each user turn goes to the learner after its reply, and
    the emotional ones are kept as moments when the session closes."""
    learner = Learner(assistant.memories)
    for turn in turns:
        if turn.role == "user":
            at = datetime.fromtimestamp(turn.at, UTC).isoformat(timespec="seconds")
            learner.learn(turn.text, conversation=conversation, turn=at)
    for turn in turns:
        emotion = estimate_emotion(turn.text)
        if turn.role == "user" and emotion > 0.6:
            learner.keep_moment(turn.text, emotion, conversation=conversation)


def said_and_learned(assistant: Assistant, conversation: str, turns: list[Turn]) -> None:
    """What chat does: each user turn is kept as evidence with the reply to it, then learned
    from (moments included)."""
    for position, turn in enumerate(turns):
        if turn.role == "user":
            following = turns[position + 1] if position + 1 < len(turns) else None
            reply = following.text if following and following.role == "assistant" else ""
            assistant.memories.evidence.keep(conversation, turn.at, turn.text, reply=reply)
    learn(assistant, conversation, turns)


def verbatim(assistant: Assistant, conversation: str, turns: list[Turn]) -> None:
    """Not what chat does: every user turn stored as a memory of its own, at its time, with
    its provenance (a ceiling for search on these questions)."""
    assistant.memories.add_many(
        Draft(
            t.text,
            created_at=datetime.fromtimestamp(t.at, UTC),
            source="conversation",
            metadata={
                "conversation": conversation,
                "turn": datetime.fromtimestamp(t.at, UTC).isoformat(timespec="seconds"),
            },
        )
        for t in turns
        if t.role == "user"
    )


def load_sessions(
    assistant: Assistant, sessions: list[dict[str, Any]], fill: Fill
) -> dict[str, int]:
    """Log every session's turns at their times and ``fill`` the store from them; returns the
    session number of each conversation id."""
    log = ConversationLog(assistant.db)
    number: dict[str, int] = {}
    for n, session in enumerate(sessions):
        start = start_of(session)
        conversation = new_id(start)
        number[conversation] = n
        turns = [
            Turn(conversation, t["role"], redact_secrets(t["text"]), at=start + 60 * i)
            for i, t in enumerate(session["turns"])
        ]
        log.append(turns)
        fill(assistant, conversation, turns)
    return number


def sources_of(
    assistant: Assistant, sessions: list[dict[str, Any]], number: dict[str, int]
) -> Sources:
    """The ``(session, turn)`` a memory was learned from, if it came from one."""
    log = ConversationLog(assistant.db)

    def source(memory: Memory) -> tuple[int, int] | None:
        conversation = memory.metadata.get("conversation")
        if not isinstance(conversation, str) or conversation not in number:
            return None
        n = number[conversation]
        turns = log.source_of(memory.metadata)
        if turns and turns[0].role == "user":
            return n, round((turns[0].at - start_of(sessions[n])) / 60)
        texts = [redact_secrets(t["text"]) for t in sessions[n]["turns"]]
        return (n, texts.index(memory.text)) if memory.text in texts else None  # a moment

    return source


def recall_at_10(
    assistant: Assistant, questions: list[dict[str, Any]], source: Sources
) -> tuple[float, list[tuple[str, float]]]:
    """Mean recall@10 of the evidence turns, and each question's recall."""
    each = []
    for question in questions:
        hits = assistant.memories.search(question["question"], 10, touch=False)
        reached = {source(h.memory) for h in hits}
        evidence = {tuple(e) for e in question["evidence"]}
        each.append((question["question"], len(evidence & reached) / len(evidence)))
    return sum(r for _, r in each) / len(each), each


def turns_at_10(
    assistant: Assistant,
    questions: list[dict[str, Any]],
    sessions: list[dict[str, Any]],
    number: dict[str, int],
) -> tuple[float, list[tuple[str, float]]]:
    """Mean recall@10 of the evidence turns among the ten turns ``Memories.said`` returns."""
    each = []
    for question in questions:
        turns = assistant.memories.said(question["question"], 10)
        reached = {
            (
                number[t.turn.session],
                round((t.turn.at - start_of(sessions[number[t.turn.session]])) / 60),
            )
            for t in turns
            if t.turn.session in number
        }
        evidence = {tuple(e) for e in question["evidence"]}
        each.append((question["question"], len(evidence & reached) / len(evidence)))
    return sum(r for _, r in each) / len(each), each


def print_misses(each: list[tuple[str, float]]) -> None:
    """How many questions reached an evidence turn; the misses, one a line, where they are
    the exception."""
    reached = sum(share > 0 for _, share in each)
    print(f"    questions with an evidence turn in their top 10: {reached}/{len(each)}")
    if reached * 2 >= len(each):
        for text, share in each:
            if share < 1:
                detail(f"      {share:.2f} {text}")


def measure_turns(model: MiniLMEmbedder, data: dict[str, Any]) -> None:
    """Keep and learn from the sessions as chat does, and print recall@10 of the turn search."""
    sessions, questions = data["sessions"], data["questions"]
    root = Path(tempfile.mkdtemp(prefix="blind-retrieval-"))
    try:
        with Assistant.open(root / "home", embedder=model) as assistant:
            number = load_sessions(assistant, sessions, said_and_learned)
            mean, each = turns_at_10(assistant, questions, sessions, number)
            source = sources_of(assistant, sessions, number)
            learned, _ = recall_at_10(assistant, questions, source)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("  chat as shipped: every user turn kept as evidence, memories learned from them")
    print(
        f"    recall@10 of the evidence turns (Memories.said, one turn a result): {mean:.2f} — "
        f"{verdict(mean >= 0.75)}"
    )
    print(f"    recall@10 through learned memories alone (Memories.search): {learned:.2f}")
    print_misses(each)


def measure(model: MiniLMEmbedder, data: dict[str, Any], fill: Fill, label: str) -> None:
    """Fill a temp home from the sessions and print recall@10, as shipped and on relevance."""
    sessions, questions = data["sessions"], data["questions"]
    evidence = {tuple(e) for q in questions for e in q["evidence"]}
    root = Path(tempfile.mkdtemp(prefix="blind-retrieval-"))
    try:
        with Assistant.open(root / "home", embedder=model) as assistant:
            number = load_sessions(assistant, sessions, fill)
            source = sources_of(assistant, sessions, number)
            memories = assistant.memories.list()
            became = len(evidence & {source(m) for m in memories})
            mean, each = recall_at_10(assistant, questions, source)
        (root / "home" / "config.toml").write_text(RELEVANCE_ONLY)
        with Assistant.open(root / "home", embedder=model) as assistant:
            plain, _ = recall_at_10(assistant, questions, sources_of(assistant, sessions, number))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        f"  {label}: {len(memories)} active memories; evidence turns that became one: "
        f"{became}/{len(evidence)}"
    )
    print(f"    recall@10 (search as shipped): {mean:.2f} — {verdict(mean >= 0.75)}")
    print(f"    recall@10 (relevance only): {plain:.2f} — {verdict(plain >= 0.75)}")
    print_misses(each)


def retrieval(model: MiniLMEmbedder) -> None:
    """Recall@10 of the evidence turns for the questions asked after the sessions."""
    source = borrowed("retrieval.json")
    data = json.loads((source / "retrieval.json").read_text())
    print(f"retrieval set: bench/{source.name}/")
    sessions, questions = data["sessions"], data["questions"]
    evidence = {tuple(e) for q in questions for e in q["evidence"]}
    print(
        f"retrieval: {len(sessions)} sessions "
        f"({sum(len(s['turns']) for s in sessions)} turns), {len(questions)} questions, "
        f"{len(evidence)} distinct evidence turns"
    )
    print("  target: recall@10 of the evidence turns >= 0.75")
    measure_turns(model, data)
    measure(model, data, learn, "memories the learner keeps, without evidence turns")
    measure(model, data, verbatim, "diagnostic, not a chat path (every user turn remembered)")


SECTIONS = {
    "extraction": extraction,
    "router": router,
    "consolidation": consolidation,
    "retrieval": retrieval,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=list(SECTIONS), help="run one section")
    parser.add_argument(
        "--set",
        choices=list(SETS),
        default="v14",
        help="the set (router: v12 for v14, else v1 where it has none; retrieval: v4 for v5 "
        "to v8, v11 for v14, else v1)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="print each miss (refused on the unread sets: v4 to v8, v11, v12, v14, v16, v17)",
    )
    args = parser.parse_args()
    global BLIND, DETAILS
    BLIND = SETS[args.set]
    if args.details and args.set in UNREAD:
        parser.error("--details would show the blind set's contents")
    DETAILS = args.details
    print(f"extraction and consolidation: bench/{BLIND.name}/ ({args.set})\n")
    model = embedder()
    for name, section in SECTIONS.items():
        if args.only in (None, name):
            section(model)
            print()


if __name__ == "__main__":
    main()
