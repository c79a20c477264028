"""Contradictions: two active memories that cannot both be true.

Found by heuristics, and by a model when one is configured:

- the same one-valued attribute (where you live, work, your name, a birthday) with two values;
- the same subject liked and disliked, done and no longer done ("I love coffee" / "I don't
  drink coffee anymore");
- the same sentence with a different detail ("dentist on March 3" / "dentist on May 3");
- a negation of a very similar statement;
- a newer memory that reports a change and that the pair reader (which reads both texts at
  once) is sure disagrees with an older neighbour ("internet provider is telstra" / "switched
  the internet over to aussie broadband"), or one that reports none and that the reader is
  surer still of ("phone is a pixel 6" / "upgraded to an iphone 15"), asked about, never
  superseded on its word alone;
- pairs a model judges contradictory.

A clear case, a newer explicit statement of a one-valued attribute or a reported change of
state, supersedes the older memory. Anything else waits in the review queue for the user.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.consolidation.attributes import (
    attribute,
    opposed,
    states_a_way_of_living,
    their_home,
)
from assistant.consolidation.differences import (
    SWITCH,
    dates,
    numbers,
    opening,
    shared_topic,
    tense,
)
from assistant.consolidation.judge_pairs import (
    Embed,
    Verdict,
    default_judge,
    parts_embedding,
    verdict_memo,
)
from assistant.consolidation.view import Action, StoreView, link, nearest, never, short
from assistant.errors import EmbeddingError
from assistant.learning.ages import age_of
from assistant.learning.dates import plain
from assistant.learning.extract import extract
from assistant.learning.sameness import (
    changes_state,
    content_words,
    details,
    negated,
    same_fact,
    value_slots,
)
from assistant.memories import Change, Memories
from assistant.memory_types import Memory, MemoryType, Status
from assistant.models.base import Embedder
from assistant.models.cache import Memo
from assistant.models.pair_reader import PairReader
from assistant.projects.placement import same_space
from assistant.store.reviews import ReviewQueue

log = logging.getLogger(__name__)

SLOT_SIMILARITY = 0.75
"""Cosine from which two statements differing only in a detail are about the same thing."""
NEGATION_SIMILARITY = 0.7
"""Cosine from which a statement and a negated one are about the same thing."""
JUDGED_CONTRADICTION = 0.55
"""Probability from which the pair judge's "contradiction" is worth asking the user about."""
READ_CONTRADICTION = 0.9
"""The pair reader's probability of "contradiction" from which a newer memory that reports a
change is asked about as replacing its neighbour."""
READ_PLAIN = 0.97
"""The pair reader's probability of "contradiction" from which a newer memory that reports
no change is asked about as replacing its neighbour ("kayak club launches from cornelian bay"
/ "the kayak club relocated to kangaroo bay this season", 0.99; "emeka is single" / "emeka
got engaged to tolu over christmas", 0.98): surer than for a told change, since two lasting
facts of one topic usually hold together."""
PLAIN_SIMILARITY = 0.45
"""Cosine from which a neighbour whose newer memory reports no change is read for a
contradiction (a told change is read from :data:`JUDGED_SIMILARITY`)."""
PLAIN_READS = 256
"""Close pairs whose newer memory reports no change that one run reads, those of the newest
memories (what a conversation just told): the seeded store of 10k memories
(``bench/consolidation_run.py``) has some 30k such pairs, seven minutes' reading on two cores.
The memo keeps what was read, so the next run reads again only the pairs new memories bring."""
READ_BATCH = 64
"""Pairs read between two looks at whether the run must stop."""
JUDGE_BATCH = 128
"""Neighbours judged together (their parts embedded in one batch)."""
JUDGED_SIMILARITY = 0.4
"""Cosine from which a neighbour is shown to the pair judge ("I'm single" / "my wife Jo")."""
_CHANGED_VALUE = ("number", "date")
"""Hard differences that, between two statements about the user, are a value that changed
("my sister is 30" / "my sister is 32")."""
_VALUE = re.compile(
    r"^(?:\d[\w.:]*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|weekend|morning|"
    r"evening|afternoon|tonight|today|tomorrow|yesterday)$"
)
MAX_QUEUED = 25
"""Review items a run adds at most: nobody wants a queue of hundreds; the rest come later."""
NEIGHBOURS = 6
"""Nearest memories compared with each memory."""
SETTLE_SECONDS = 60.0
"""A newer statement replaces an older one automatically only if made this much later."""
_PERSONAL = re.compile(r"\b(?:my|i|i'm|i’m|our|we|the)\b", re.I)
"""A statement about the user or their things: one different detail is a changed value (in
"Omar recommended…" / "Farid recommended…" it is two people, not a contradiction)."""


def _one_subject(newer: str, older: str) -> bool:
    """Whether two statements are about one subject: the user or their things ("My boss
    is…"), or one someone both open with ("Canela weighs 18 kg" / "Canela weighs 15 kg")."""
    return bool(_PERSONAL.match(newer)) or _named_subject(newer, older)


def _named_subject(a: str, b: str) -> bool:
    """Whether two statements open with the same name ("Canela …" / "Canela …")."""
    return bool(opening(a)) and opening(a) == opening(b)


_DISLIKE = re.compile(r"\b(?:hate|dislike|can't stand|cannot stand|loathe)\b", re.I)
_EXCLUSIVE = ("home", "work", "name", "job", "timezone")
_ASKED = {
    "role": "two names for your {} (or a new one?)",
    "favourite": "two favourite {}s (a new one?)",
}
"""One-valued facts whose second value is asked about, never applied, by what the question
says."""
_ATTRIBUTE = {
    "home": "where you live",
    "work": "where you work",
    "name": "your name",
    "job": "your job",
    "timezone": "your time zone",
}


@dataclass(frozen=True)
class Conflict:
    """Two memories that contradict each other."""

    newer: Memory
    older: Memory
    reason: str
    clear: bool
    """Whether the newer one replaces the older without asking."""
    doubt: int = 0
    """How likely the pair is two facts rather than one changed: with more conflicts than a
    run queues, the least doubtful are asked about first."""
    sureness: float = 1.0
    """How sure the reading that found it is, where a model read it (the judge's or the
    reader's probability of a contradiction)."""


@dataclass(frozen=True)
class _Fact:
    kind: str
    polarity: int


_UNTYPED = frozenset({"clause", "correction"})
"""Kinds learning stores for a fact it kept by meaning alone, or fixed: no kind of fact, so it
is read from the words as for a fact told with no kind ("My dentist is Dr Patel.", learned in
chat as a ``clause``, is a dentist's name)."""


@lru_cache(maxsize=65536)
def _fact_of(text: str, stored: str) -> _Fact:
    kind = "" if stored in _UNTYPED else stored
    read = attribute(text) if not kind else None
    kind = read[0] if read else kind
    found = extract(text) if not kind else []
    if found:
        kind = found[0].kind
    polarity = -1 if (negated(text) or _DISLIKE.search(text)) else 1
    return _Fact(kind, polarity)


def fact(memory: Memory) -> _Fact:
    """What a memory is about (its ``fact`` property, else what the rules read in its text)
    and whether it affirms or denies it."""
    return _fact_of(memory.text, str(memory.metadata.get("fact", "")))


def find_conflicts(
    view: StoreView,
    known: set[frozenset[str]] = frozenset(),  # type: ignore[assignment]
    stop: Callable[[], bool] = never,
    embedder: Embedder | None = None,
    reader: PairReader | None = None,
    memo: tuple[Memo, str] | None = None,
) -> list[Conflict]:
    """Contradicting pairs among the active memories, skipping ``known`` pairs (already
    queued or settled by the user); ``embedder`` (the view's) lets the pair judge tell a
    part swapped for another thing from one said in other words, ``reader`` reads the
    neighbours that nothing else settled, and ``memo``
    (with the name of the vectors the judge embeds parts by: :func:`parts_embedding`) keeps
    the judge's verdicts."""
    embed = parts_embedding(embedder)[0] if embedder is not None else None
    found: dict[frozenset[str], Conflict] = {}

    def offer(conflict: Conflict) -> None:
        pair = frozenset((conflict.newer.id, conflict.older.id))
        if not same_space(conflict.newer, conflict.older):
            return  # a project's facts never replace another project's or global ones
        if pair not in known and pair not in found:
            found[pair] = conflict

    for conflict in _by_attribute(view.memories):
        offer(conflict)
    for conflict in _by_their_home(view.memories):
        offer(conflict)
    unread: list[tuple[Memory, Memory]] = []
    plain: list[tuple[Memory, Memory, float]] = []
    left = (unread, plain) if reader else None
    for conflict in _by_similarity(view, stop, embed, left, memo):
        offer(conflict)
    to_read = [(*pair, READ_CONTRADICTION) for pair in unread]
    to_read += [(newer, older, READ_PLAIN) for newer, older in _newest(plain)]
    for conflict in _read(to_read, reader, stop):
        offer(conflict)
    return _likeliest(list(found.values()))


PER_CHANGE = 2
"""Older memories a model's reading may find one newer memory replaces."""
READ_REASON = "the newer seems to replace the older"
JUDGED_REASON = "they seem to disagree"


def _likeliest(conflicts: list[Conflict]) -> list[Conflict]:
    """The conflicts, of those a model read for one newer memory only the :data:`PER_CHANGE`
    it is surest of: a change ("Olav can't mind Bamse anymore – Nora is my cat sitter now")
    replaces an older fact, not every neighbour of its topic ("Bamse is a forest cat")."""
    read: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.reason in (READ_REASON, JUDGED_REASON):
            read[conflict.newer.id].append(conflict)
    kept = {
        id(c)
        for found in read.values()
        for c in sorted(found, key=lambda c: -c.sureness)[:PER_CHANGE]
    }
    return [c for c in conflicts if c.reason not in (READ_REASON, JUDGED_REASON) or id(c) in kept]


def _read(
    pairs: list[tuple[Memory, Memory, float]],
    reader: PairReader | None,
    stop: Callable[[], bool],
) -> Iterable[Conflict]:
    """Of the ``(newer, older, sure)`` pairs, those the reader is at least ``sure`` disagree
    (:data:`READ_CONTRADICTION` where the newer reports a change, else :data:`READ_PLAIN`;
    none when it cannot load)."""
    if reader is None:
        return
    for start in range(0, len(pairs), READ_BATCH):
        if stop():
            return
        batch = pairs[start : start + READ_BATCH]
        try:
            p = reader.probability("contradiction", [(n.text, o.text) for n, o, _ in batch])
        except EmbeddingError as exc:
            log.warning("contradictions are found without the pair reader: %s", exc)
            return
        for (newer, older, needed), sure in zip(batch, p, strict=True):
            if sure >= needed:
                yield Conflict(newer, older, READ_REASON, False, sureness=float(sure))


def _newest(plain: list[tuple[Memory, Memory, float]]) -> list[tuple[Memory, Memory]]:
    """Of the close pairs whose newer memory reports no change, the :data:`PLAIN_READS`
    whose newer memory is newest (the closer first among equals), ``(newer, older)``."""
    plain.sort(key=lambda p: (p[0].created, p[2]), reverse=True)
    return [(newer, older) for newer, older, _ in plain[:PLAIN_READS]]


def _by_their_home(memories: list[Memory]) -> Iterable[Conflict]:
    """Two places where someone the user speaks of lives ("Mum lives in Enugu" / "Mum moved
    to Lagos"), however far apart in meaning; asked about, never applied by itself. A text
    that names both places ("moved out to Texas, still in Houston") says no other place."""
    homes: dict[str, list[tuple[Memory, str]]] = defaultdict(list)
    for memory in memories:
        if stateful(memory) and (found := their_home(memory.text)) is not None:
            homes[found[0]].append((memory, found[1]))
    for who, group in homes.items():
        group.sort(key=lambda item: (item[0].created, item[0].id))
        newest, place = group[-1]
        for older, was in group[:-1]:
            if was == place or _names(newest.text, was) or _names(older.text, place):
                continue
            yield Conflict(newest, older, f"two answers to where {who} lives", False, doubt=1)


def _names(text: str, place: str) -> bool:
    return re.search(rf"\b{re.escape(place)}\b", text, re.IGNORECASE) is not None


def _by_attribute(memories: list[Memory]) -> Iterable[Conflict]:
    groups: dict[str, list[Memory]] = defaultdict(list)
    for memory in memories:
        kind = fact(memory).kind
        if kind in _EXCLUSIVE or kind.startswith(("birthday:", "relation:", "role:", "favourite:")):
            groups[kind].append(memory)
        elif kind.startswith(("likes:", "habit:", "allergy:")):
            groups["subject:" + kind.split(":", 1)[1]].append(memory)
    for kind, group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda m: (m.created, m.id))
        newest = group[-1]
        for older in group[:-1]:
            if older.text.strip().lower() == newest.text.strip().lower():
                continue
            conflict = _judge(kind, newest, older)
            if conflict is not None:
                yield conflict


def _judge(kind: str, newer: Memory, older: Memory) -> Conflict | None:
    later = (newer.created - older.created).total_seconds() >= SETTLE_SECONDS
    explicit = newer.source not in ("import", "consolidation")
    if kind in _EXCLUSIVE or kind.startswith(("birthday:", "role:", "favourite:")):
        values = attribute(newer.text), attribute(older.text)
        if values[0] is not None and values[0] == values[1]:
            return None  # the same value in other words
        head, _, what = kind.partition(":")
        if head in _ASKED:  # "my boss is Patricio" / "… is Marcela": a new one, or two?
            return Conflict(newer, older, _ASKED[head].format(what), False)
        what = _ATTRIBUTE.get(kind, "a birthday")
        return Conflict(newer, older, f"two answers to {what}", later and explicit)
    if kind.startswith("relation:"):
        if details(newer.text)[0] == details(older.text)[0]:
            return None
        who = kind.split(":", 1)[1]
        return Conflict(newer, older, f"two names for your {who} (or two of them?)", False)
    a, b = fact(newer), fact(older)
    if a.polarity == b.polarity:
        return None
    subject = kind.split(":", 1)[1]
    clear = later and explicit and changes_state(newer.text)
    return Conflict(newer, older, f"for and against {subject}", clear)


def _by_similarity(
    view: StoreView,
    stop: Callable[[], bool],
    embed: Embed | None = None,
    left: tuple[list[tuple[Memory, Memory]], list[tuple[Memory, Memory, float]]] | None = None,
    memo: tuple[Memo, str] | None = None,
) -> Iterable[Conflict]:
    """Near neighbours that differ in a detail, by a negation, or that the pair judge calls
    contradictory; and states broken by another memory, however far apart in meaning. Of the
    pairs left, ``(unread, plain)``, those whose newer memory reports a change go to
    ``unread``, ``(newer, older)``, and the others that are close (:data:`PLAIN_SIMILARITY`)
    to ``plain``, ``(newer, older, cosine)``.
    The judge reads :data:`JUDGE_BATCH` pairs at a time (``memo``: its verdicts kept)."""
    pending: list[tuple[Memory, Memory, float]] = []

    def settle() -> Iterable[Conflict]:
        texts = [(newer.text, older.text, similarity) for newer, older, similarity in pending]
        verdicts = default_judge().judge_many(texts, embed, memo)
        for (newer, older, similarity), verdict in zip(pending, verdicts, strict=True):
            conflict = _pair(newer, older, similarity, verdict)
            if conflict is not None:
                yield conflict
            elif left is not None and reports_change(newer.text):
                left[0].append((newer, older))
            elif left is not None and similarity >= PLAIN_SIMILARITY:
                left[1].append((newer, older, similarity))
        pending.clear()

    for i, j, similarity in nearest(view, NEIGHBOURS, stop=stop):
        if j < i and similarity >= JUDGED_SIMILARITY:
            a, b = view.memories[i], view.memories[j]
            if not (stateful(a) and stateful(b)):
                continue
            newer, older = newer_first(a, b)
            if same_fact(newer.text, older.text, similarity):
                continue  # a duplicate: merged, not contradicting
            pending.append((newer, older, similarity))
            if len(pending) == JUDGE_BATCH:
                yield from settle()
    yield from settle()
    yield from _broken_states(view)


def _broken_states(view: StoreView) -> Iterable[Conflict]:
    """ "I'm vegetarian" / "I eat steak every week": a way of living and a memory that breaks
    it (the states are few, so each is checked against every memory)."""
    live = [m for m in view.memories if stateful(m)]
    for a in (m for m in live if states_a_way_of_living(m.text)):
        for b in live:
            if b.id != a.id and opposed(a.text, b.text):
                newer, older = newer_first(a, b)
                yield Conflict(newer, older, "one breaks what the other says", False)


def newer_first(a: Memory, b: Memory) -> tuple[Memory, Memory]:
    """``(newer, older)`` of two memories (by creation, then id)."""
    return (a, b) if (a.created, a.id) > (b.created, b.id) else (b, a)


def _pair(newer: Memory, older: Memory, similarity: float, verdict: Verdict) -> Conflict | None:
    """How two stateful memories that are not one fact conflict, given the judge's
    ``verdict`` on them, or None."""
    if verdict.merge:
        return None  # one fact in other words ("hates olives" / "can't stand olives")
    # Two moments of the past with other values are two moments ("ran it in 2021" / "2023").
    moments = tense(newer.text) == tense(older.text) == "past"
    slots = value_slots(older.text, newer.text) if similarity >= SLOT_SIMILARITY else None
    if slots and len(slots) == 1 and _one_subject(newer.text, older.text) and not moments:
        was, now = slots[0]
        return Conflict(newer, older, f"“{was}” or “{now}”?", False, doubt=1)
    words_a, words_b = content_words(newer.text), content_words(older.text)
    overlap = len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))
    opposite = negated(newer.text) != negated(older.text)
    if similarity >= NEGATION_SIMILARITY and opposite and overlap >= 0.6:
        clear = negated(newer.text) and changes_state(newer.text)
        later = (newer.created - older.created).total_seconds() >= SETTLE_SECONDS
        return Conflict(newer, older, "one says the opposite of the other", clear and later)
    if (
        verdict.vetoed in _CHANGED_VALUE
        and not moments
        and similarity >= SLOT_SIMILARITY
        and _one_value(newer.text, older.text)
        and (
            (_PERSONAL.search(newer.text) and _PERSONAL.search(older.text))
            or _named_subject(newer.text, older.text)
        )
    ):
        return Conflict(newer, older, f"two values of one thing ({verdict.vetoed})", False, 2)
    if (
        verdict.label == "contradiction"
        and verdict.probability >= JUDGED_CONTRADICTION
        and shared_topic(newer.text, older.text)
        and reports_change(newer.text)
        and not _age_added(newer.text, older.text)
    ):
        return Conflict(newer, older, JUDGED_REASON, False, sureness=verdict.probability)
    return None


_NOW = re.compile(r"\b(?:now|turned into|is gone|are gone|arrived|not any ?more)\b", re.I)


def reports_change(text: str) -> bool:
    """Whether a text tells of something that changed ("left", "moved", "new", "now"…): only
    such a newer memory is asked about as replacing an older one the judge finds it
    disagrees with (two statements of a lasting fact are not a change)."""
    return bool(SWITCH.search(text) or _NOW.search(text))


def _age_added(newer: str, older: str) -> bool:
    """Whether ``newer`` gives an age ``older`` does not ("Our dog Biscuit is 5 now." after
    "We have a cat called Mochi and a dog named Biscuit."): more said, nothing changed."""
    return age_of(plain(newer)) is not None and age_of(plain(older)) is None


def _one_value(a: str, b: str) -> bool:
    """Whether two statements differ in one value (a number, a date) and at most one word
    added ("my sister is 30" / "my sister is 32", "my dog is 4" / "my dog turned 6")."""
    values_a, values_b = numbers(a) | dates(a), numbers(b) | dates(b)
    if not (values_a and values_b):
        return False  # "We have a cat called Miso." / "Our cat Miso is 4.": one says more
    if len(values_a - values_b) > 1 or len(values_b - values_a) > 1:
        return False
    plain_a = {w for w in content_words(a) if not _VALUE.match(w)}
    plain_b = {w for w in content_words(b) if not _VALUE.match(w)}
    return len(plain_a ^ plain_b) <= 1 and len(plain_a & plain_b) >= 1


def stateful(memory: Memory) -> bool:
    """Whether a memory states something that can stop being true: not a moment in the past
    (two episodes on different days never contradict), though a planned event can move."""
    return memory.type is not MemoryType.EPISODIC or memory.metadata.get("fact") == "plan"


def plan(conflicts: list[Conflict]) -> list[Action]:
    """What settling the conflicts would do."""
    return [
        Action(
            "contradictions",
            "supersede" if c.clear else "review",
            (c.newer.id, c.older.id),
            (
                f"“{short(c.older.text)}” replaced by “{short(c.newer.text)}”"
                if c.clear
                else f"ask: “{short(c.older.text)}” vs “{short(c.newer.text)}” ({c.reason})"
            ),
        )
        for c in conflicts
    ]


def replace_older(memories: Memories, newer: Memory, older: Memory, why: str) -> None:
    """Mark ``older`` superseded by ``newer``, both notes linking to each other."""
    newer = memories.get(newer.id)
    memories.update_many(
        {
            older.id: Change(
                status=Status.SUPERSEDED,
                metadata={"superseded_by": link(newer), "superseded_because": why},
            ),
            newer.id: Change(supersedes=[*newer.supersedes, older.id]),
        },
        verb="superseded",
    )


def run(
    memories: Memories,
    view: StoreView,
    stop: Callable[[], bool],
    queue: ReviewQueue,
    extra: Callable[[StoreView, set[frozenset[str]]], list[Conflict]] | None = None,
    reader: PairReader | None = None,
) -> dict[str, int]:
    """Supersede the clear cases, queue the rest for review; ``extra`` finds more pairs
    (a model's judgement), given the pairs already known, and ``reader`` (the pair reader)
    reads the neighbours where the newer reports a change."""
    known = queue.pairs()
    with verdict_memo(memories.settings.home, memories.embedder) as memo:
        conflicts = find_conflicts(view, known, stop, memories.embedder, reader, memo)
    if extra is not None and not stop():
        seen = known | {frozenset((c.newer.id, c.older.id)) for c in conflicts}
        conflicts += extra(view, seen)
    superseded = queued = 0
    replaced: set[str] = set()
    for conflict in sorted(conflicts, key=lambda c: (not c.clear, c.doubt)):
        if stop():
            break
        if conflict.older.id in replaced or conflict.newer.id in replaced:
            continue
        if conflict.clear:
            replace_older(memories, conflict.newer, conflict.older, conflict.reason)
            replaced.add(conflict.older.id)
            superseded += 1
        elif queued < MAX_QUEUED:
            queue.add(
                "contradiction", conflict.newer.id, conflict.older.id, conflict.reason, known=known
            )
            queued += 1
    return {"superseded": superseded, "to review": queued}
