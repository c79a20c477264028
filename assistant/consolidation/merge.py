"""Merge: duplicate clusters across the whole store become one canonical memory.

Candidate pairs are each memory's nearest neighbours by embedding and the pairs that share
most of their words; the pair judge (:mod:`assistant.consolidation.judge_pairs`) decides which
are one fact said twice. Precision first: a pair whose numbers, dates, names, people or tense
differ never merges (a number or name that only one side gives is left to the reader, below),
and two episodes of different days never merge (a routine is evidence
for a habit, not a duplicate). A cluster collapses as a whole: the memories joined by pairs
judged the same merge into one survivor, even the two that were not judged against each other,
as long as no two of them differ in a hard way (a number, date, name, person, tense, polarity:
:func:`~assistant.consolidation.differences.veto`). A group where two do is split into stars
instead, every member judged the same fact as its canonical memory itself, so a chain of small
drifts never merges two different facts.

The judge reads features of a pair; pairs it does not merge that are close enough, differ in
no hard way (but :data:`READABLE`, or a number or name only one of them gives:
:func:`~assistant.consolidation.differences.one_sided`) and do not add a detail are read again
by the pair reader
(:mod:`assistant.models.pair_reader`), which reads both texts at once and merges them only
when it is sure (:data:`READ_SURE`; with more detail, :data:`DETAIL_SURE`): "I play five-a-side
football on Thursdays" / "Thursday evenings are for five-a-side" sit at a cosine (0.59) where
two facts of one topic sit too, and "I don't eat pork" / "Pork is off the menu for me" look
to the judge like a negation.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt

from assistant.consolidation.differences import dates, one_sided, tense, veto
from assistant.consolidation.judge_pairs import (
    MERGE_FLOOR,
    REFINEMENT_FLOOR,
    Embed,
    PairJudge,
    adds_detail,
    default_judge,
    hard_difference,
    parts_embedding,
    swap_similarity,
    verdict_memo,
)
from assistant.consolidation.people import People
from assistant.consolidation.view import (
    Action,
    Stopped,
    StoreView,
    link,
    nearest,
    never,
    short,
    watched,
)
from assistant.errors import EmbeddingError
from assistant.learning.sameness import content_words
from assistant.memories import Change, Memories
from assistant.memory_types import Memory, MemoryType, Status
from assistant.models.base import Embedder
from assistant.models.cache import Memo
from assistant.models.minilm import is_minilm
from assistant.models.pair_reader import PairReader, adapter_path, shared_reader
from assistant.paths import READER_MEMO, cache_dir
from assistant.projects.placement import same_space

log = logging.getLogger(__name__)
_AGAIN = re.compile(r"\b(?:again|another|as usual|like every)\b", re.IGNORECASE)
NEIGHBOURS = 8
"""Nearest memories each memory is compared with (a fact said in many notes, a birthday among
a family's birthdays, has its duplicate further down than the fifth)."""
CANDIDATE_SIMILARITY = 0.6
"""MiniLM cosine from which a neighbour is worth judging."""
READ_FLOOR = 0.35
"""MiniLM cosine from which a neighbour the judge does not merge is read by the pair reader."""
READ_SURE = 0.9
"""The pair reader's probability of ``paraphrase`` from which such a pair merges (the mean of
its two readers: one reader alone needed 0.95)."""
JUDGE_BATCH = 128
"""Candidate pairs judged together (their parts embedded in one batch), between two looks at
whether the run must stop (the judging itself takes about 0.1 s; a model call in flight ends
at once when the run stops: :mod:`assistant.models.interrupt`)."""
READ_BATCH = 64
"""Pairs read between two looks at whether the run must stop (a model call in flight ends at
once when the run stops)."""
JUDGE_SURE = 0.9
"""The judge's probability of one fact from which its merge stands alone; below it, and
below :data:`JUDGE_CLOSE`, the pair reader may object (:data:`OBJECTION`)."""
JUDGE_CLOSE = 0.8
"""MiniLM cosine from which the judge's merge stands alone whatever its probability (the
close pairs, most of a store's duplicates, are never read again)."""
OBJECTION = 0.85
"""The pair reader's probability of one fact (plainly or with more detail) below which it
stops a merge the judge was not sure of, as for a merge with more detail
(:data:`DETAIL_SURE`): "Sofi ends up in our bed most nights." / "Sofi's been sleeping the whole
night in her own room for weeks" (judge 0.77, reader 0.76; told with her full name, "Sofía",
0.80 / 0.83: its two readers read such a change 0.7–0.8, other seeds 0.05 to 0.8), "Paid
Sofi's matrícula for jardín." / "Sofi got a 'best helper' certificate at jardín." (0.85 /
0.00)."""
DETAIL_SURE = 0.85
"""The pair reader's probability of one fact, plainly or with more detail, from which a pair
merges where the longer text :func:`covers` the shorter ("I crochet in the evenings." / "User
crochets — mostly scarves and socks", 0.87); lower than :data:`READ_SURE`, since the words
must agree too. At 0.8 "ada is allergic to dust mites" merged into "ada has a severe egg
allergy and carries an epipen"."""
DETAIL_COVER = 0.5
"""Share of the shorter text's words the longer must say for a pair the reader reads as one
fact with more detail to merge: :func:`covers`."""
WORD_CLOSE = 0.7
"""MiniLM cosine from which a word of the longer text says a word of the shorter ("chef" /
"cook" 0.73, "programmer" / "developer" 0.71; "kelpie" / "epilepsy" 0.23)."""
READABLE = frozenset({"polarity"})
"""Differences the judge finds in the words that the reader may still read as one fact: a
negation that says the same ("I don't eat pork" / "Pork is off the menu for me"). A date,
unit, colour, person, thing, tense or ended state that differs is never read: the reader takes
"I collect vintage cameras" / "I sell vintage cameras" for one fact. A number or a name that
only one side gives is read too (:func:`~assistant.consolidation.differences.one_sided`: "My
shoe size is 8." / "wears a size 8 shoe (UK)"); two that differ on both sides never are."""
OVERLAP = 0.5
"""Share of words (Jaccard) from which two memories are judged whatever their cosine."""
COMMON_WORD = 50
"""A word in more memories than this proposes no pairs by overlap (it says too little)."""
BOOST = 0.5
"""Importance added to the canonical memory for each duplicate merged into it."""
WHOLE = 12
"""Largest group of memories joined by judged pairs that may collapse as a whole; a larger one
is split into stars."""
BATCH = 12
"""Clusters merged per batch: small enough that a new message waits at most one batch."""


@dataclass(frozen=True)
class Cluster:
    """A canonical memory and the duplicates that merge into it."""

    canonical: Memory
    others: tuple[Memory, ...]


def mergeable(memory: Memory) -> bool:
    """Whether a memory may take part in a merge (weekly summaries never do)."""
    return not (memory.source == "consolidation" and memory.metadata.get("summarises"))


def may_merge(a: Memory, b: Memory) -> bool:
    """Whether two memories could be one: two episodes of different days are two moments,
    and so are two texts of different days that tell of a moment on a named day, whatever
    type the note was given. Memories of two projects (or of a project and global memory)
    never merge, nor do two the user took apart by restoring one after a merge."""
    if not same_space(a, b) or _kept_apart(a, b) or _kept_apart(b, a):
        return False
    moments = MemoryType.EPISODIC in (a.type, b.type) or (moment(a.text) and moment(b.text))
    return not moments or a.created.date() == b.created.date()


def _kept_apart(a: Memory, b: Memory) -> bool:
    """Whether ``a`` was restored after a merge into ``b`` (the user undid it)."""
    apart = a.metadata.get("kept_apart") or []
    return isinstance(apart, list) and (link(b) in apart or b.id in apart)


def moment(text: str) -> bool:
    """Whether a text tells of a moment on a day ("went climbing saturday", "climbing again
    this saturday"), not a lasting fact or a plan ("I love rainy Sunday afternoons", "the
    half marathon is this autumn")."""
    return bool(dates(text)) and (tense(text) == "past" or bool(_AGAIN.search(text)))


def reader_for(memories: Memories) -> PairReader | None:
    """The pair reader for a store embedded with MiniLM (the one it reads with); None for any
    other embedder, or when the adapters are missing."""
    if not is_minilm(memories.embedder) or not adapter_path().is_file():
        return None
    memo = cache_dir(memories.settings.home) / READER_MEMO
    return shared_reader(memories.settings.model_cache, memo)


def candidates(
    view: StoreView,
    among: np.ndarray,
    stop: Callable[[], bool] = never,
    floor: float = CANDIDATE_SIMILARITY,
) -> dict[tuple[int, int], float]:
    """``{(i, j): cosine}`` with ``i < j``: embedding neighbours from cosine ``floor`` and
    pairs sharing most words."""
    found: dict[tuple[int, int], float] = {}
    for i, j, similarity in nearest(view, NEIGHBOURS, among=among, stop=stop):
        if similarity >= floor:
            found[(min(i, j), max(i, j))] = similarity
    for i, j in _overlapping(view, among):
        if (i, j) not in found:
            found[(i, j)] = float(view.vectors[i] @ view.vectors[j])
    return found


def _overlapping(view: StoreView, among: np.ndarray) -> Iterable[tuple[int, int]]:
    words = [
        content_words(m.text) if among[i] else frozenset() for i, m in enumerate(view.memories)
    ]
    holders: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(words):
        for word in group:
            holders[word].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for positions in holders.values():
        if len(positions) <= COMMON_WORD:
            for x, i in enumerate(positions):
                for j in positions[x + 1 :]:
                    shared[(i, j)] += 1
    for (i, j), count in shared.items():
        if count / len(words[i] | words[j]) >= OVERLAP:
            yield i, j


def find_clusters(
    view: StoreView,
    judge: PairJudge | None = None,
    stop: Callable[[], bool] = never,
    embedder: Embedder | None = None,
    reader: PairReader | None = None,
    memo: tuple[Memo, str] | None = None,
) -> list[Cluster]:
    """Every duplicate cluster among the active memories (raises :class:`Stopped` when
    ``stop()`` turns true); ``embedder`` (the view's) tells a part swapped for another thing
    from one said in other words, ``reader`` reads the close pairs the judge leaves, and
    ``memo`` (with the name of the vectors the judge embeds parts by:
    :func:`~assistant.consolidation.judge_pairs.parts_embedding`) keeps the judge's
    verdicts."""
    judge = judge or default_judge()
    embed = embedder.embed if embedder is not None else None
    parts = parts_embedding(embedder)[0] if embedder is not None else None
    among = np.array([mergeable(m) for m in view.memories], dtype=bool)
    told = told_texts(view, stop)
    same: dict[int, set[int]] = defaultdict(set)
    twins: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, memory in enumerate(watched(view.memories, stop)):
        if among[i]:
            twins[_key(memory)].append(i)
    for group in twins.values():
        for i in group[1:]:  # identical texts: the same without judging
            same[group[0]].add(i)
            same[i].add(group[0])
    unread: list[tuple[int, int]] = []
    doubted: list[tuple[int, int]] = []  # merged by the judge, not sure: the reader may object
    floor = CANDIDATE_SIMILARITY if reader is None else READ_FLOOR

    def settle(batch: list[tuple[int, int, float]]) -> None:
        texts = [(told[i], told[j], s) for i, j, s in batch]
        for (i, j, similarity), (a, b, _), verdict in zip(
            batch, texts, judge.judge_many(texts, parts, memo), strict=True
        ):
            sure = verdict.paraphrase >= JUDGE_SURE or similarity >= JUDGE_CLOSE
            if verdict.merge and (reader is None or sure):
                same[i].add(j)
                same[j].add(i)
            elif verdict.merge:
                doubted.append((i, j))
            elif reader is not None and _may_read(verdict.vetoed, a, b, similarity):
                unread.append((i, j))

    pending: list[tuple[int, int, float]] = []
    for n, ((i, j), similarity) in enumerate(candidates(view, among, stop, floor).items()):
        if n % JUDGE_BATCH == 0 and stop():
            raise Stopped
        a, b = view.memories[i], view.memories[j]
        if not may_merge(a, b):
            continue
        difference = veto(told[i], told[j])
        if difference is not None or similarity < MERGE_FLOOR:
            # the judge never merges a pair that differs in a hard way (its verdict would
            # change nothing here) or one so far apart: only the reader may read it
            if reader is not None and similarity >= READ_FLOOR:
                if difference is None:
                    swap = partial(swap_similarity, told[i], told[j], embed)
                    difference = hard_difference(told[i], told[j], swap)
                if _may_read(difference, told[i], told[j], similarity):
                    unread.append((i, j))
            continue
        pending.append((i, j, similarity))
        if len(pending) == JUDGE_BATCH:
            settle(pending)
            pending = []
            if stop():
                raise Stopped
    settle(pending)
    if stop():
        raise Stopped
    read = _read(told, unread, reader, stop, embed)
    for i, j in read + _not_objected(told, doubted, reader, stop):
        same[i].add(j)
        same[j].add(i)
    found = []
    for group in _groups(same):
        if len(group) <= WHOLE and _whole(view, told, group):
            found += _stars(view, {p: set(group) - {p} for p in group}, same)
        else:
            found += _stars(view, {p: same[p] for p in group}, same)
    return found


def _may_read(difference: str | None, a: str, b: str, similarity: float) -> bool:
    """Whether a pair the judge does not merge may be read: no hard difference but
    :data:`READABLE` or a number or name only one side gives, and neither adds a detail to the
    other."""
    if difference is not None and difference not in READABLE and not one_sided(difference, a, b):
        return False
    return not (similarity < REFINEMENT_FLOOR and adds_detail(a, b))


def told_texts(view: StoreView, stop: Callable[[], bool] = never) -> list[str]:
    """Each memory's text as the pairs are judged: with the name of each of the user's people
    it speaks of by relation only (:class:`~assistant.consolidation.people.People`), so that
    "My husband is a chemistry teacher" and "Marcus teaches chemistry" are one person's fact
    and "My sister is a nurse" and "Ana is a nurse" are never two people's. Raises
    :class:`Stopped` when ``stop()`` turns true."""
    texts = [m.text for m in view.memories]
    people = People.of(watched(texts, stop))
    return [people.told(text) for text in watched(texts, stop)]


def _read(
    told: list[str],
    pairs: list[tuple[int, int]],
    reader: PairReader | None,
    stop: Callable[[], bool] = never,
    embed: Embed | None = None,
) -> list[tuple[int, int]]:
    """The pairs the reader is sure are one fact (paraphrase ≥ :data:`READ_SURE`, or with
    more detail ≥ :data:`DETAIL_SURE` where the longer :func:`covers` the shorter); none when
    it cannot load. What was read is kept in the reader's memo for the next run."""
    if reader is None or not pairs:
        return []
    sure: list[tuple[int, int]] = []
    try:
        for batch, paraphrase, one in _readings(told, pairs, reader, stop):
            sure += [
                (i, j)
                for (i, j), p, d in zip(batch, paraphrase, one, strict=True)
                if p >= READ_SURE or (d >= DETAIL_SURE and covers(told[i], told[j], embed))
            ]
    except EmbeddingError as exc:
        log.warning("duplicates are judged without the pair reader: %s", exc)
        return []
    return sure


def _not_objected(
    told: list[str],
    pairs: list[tuple[int, int]],
    reader: PairReader | None,
    stop: Callable[[], bool] = never,
) -> list[tuple[int, int]]:
    """The pairs the judge merged without being sure that the reader does not read as two
    facts: one fact (or one with more detail) at :data:`OBJECTION` or more. All of them when
    the reader cannot load."""
    if reader is None or not pairs:
        return pairs
    kept: list[tuple[int, int]] = []
    done = 0
    try:
        for batch, _, one in _readings(told, pairs, reader, stop):
            kept += [pair for pair, p in zip(batch, one, strict=True) if p >= OBJECTION]
            done += len(batch)
    except EmbeddingError as exc:
        log.warning("duplicates are judged without the pair reader: %s", exc)
        return kept + pairs[done:]
    return kept


def _readings(
    told: list[str],
    pairs: list[tuple[int, int]],
    reader: PairReader,
    stop: Callable[[], bool],
) -> Iterator[tuple[list[tuple[int, int]], npt.NDArray[np.float32], npt.NDArray[np.float32]]]:
    """The pairs read :data:`READ_BATCH` at a time, each batch with the reader's probability
    of one fact said in other words and of one fact, plainly or with more detail; raises
    :class:`Stopped` between batches when asked, :class:`EmbeddingError` when it cannot load."""
    for start in range(0, len(pairs), READ_BATCH):
        batch = pairs[start : start + READ_BATCH]
        read = reader.probabilities([(told[i], told[j]) for i, j in batch])
        paraphrase = read[:, reader.labels.index("paraphrase")]
        yield batch, paraphrase, paraphrase + read[:, reader.labels.index("more_detail")]
        if stop():
            raise Stopped


def covers(a: str, b: str, embed: Embed | None = None) -> bool:
    """Whether the longer text says at least :data:`DETAIL_COVER` of the shorter one's words
    (a word's forms alike: "diabetes" / "diabetic", "knit" / "knits"; given ``embed``, also a
    word of like meaning, MiniLM cosine ≥ :data:`WORD_CLOSE`: "chef" / "cook"): the same fact
    with more detail ("I play the charango" / "User plays charango in a small folk group"),
    not another fact of the same subject ("has a kelpie called wombat" / "wombat has
    epilepsy")."""
    shorter, longer = sorted((list(content_words(a)), list(content_words(b))), key=len)
    if not shorter:
        return False
    said = [any(_same_word(w, x) for x in longer) for w in shorter]
    if embed is not None and longer and not all(said):
        close = _word_vectors(shorter, embed) @ _word_vectors(longer, embed).T
        said = [s or bool(row.max() >= WORD_CLOSE) for s, row in zip(said, close, strict=True)]
    return sum(said) >= DETAIL_COVER * len(shorter)


def _word_vectors(words: list[str], embed: Embed) -> npt.NDArray[np.float32]:
    """Unit MiniLM vectors of single words."""
    vectors = np.asarray(embed(words), dtype=np.float32)
    unit: npt.NDArray[np.float32] = vectors / np.maximum(
        np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9
    )
    return unit


def _same_word(x: str, y: str) -> bool:
    return (
        x == y
        or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)))
        or (len(x) >= 6 and len(y) >= 6 and x[:5] == y[:5])
    )


def _groups(same: dict[int, set[int]]) -> list[list[int]]:
    """The connected groups of the graph of pairs judged the same."""
    seen: set[int] = set()
    groups = []
    for start in sorted(same):
        if start in seen:
            continue
        seen.add(start)
        group, todo = [], [start]
        while todo:
            p = todo.pop()
            group.append(p)
            for q in same[p] - seen:
                seen.add(q)
                todo.append(q)
        groups.append(sorted(group))
    return groups


def _whole(view: StoreView, told: list[str], group: list[int]) -> bool:
    """Whether a group may collapse as a whole: no two of its memories differ in a hard way
    (as :func:`told_texts` tells them) or could never be one (episodes of two days, two
    projects)."""
    for x, i in enumerate(group):
        for j in group[x + 1 :]:
            if not may_merge(view.memories[i], view.memories[j]):
                return False
            if told[i] != told[j] and veto(told[i], told[j]) is not None:
                return False
    return True


def _stars(view: StoreView, joins: dict[int, set[int]], same: dict[int, set[int]]) -> list[Cluster]:
    """Clusters of a group as stars, each of a lead and the members it ``joins`` (all the
    others, for a group that collapses whole); the lead is the one judged the same as most
    others (``same``)."""
    order = sorted(joins, key=lambda p: _preference(view, view.memories[p]))
    rank = {p: n for n, p in enumerate(order)}
    free = set(order)
    found = []
    for lead in sorted(order, key=lambda p: _lead(view, view.memories[p], len(same[p]))):
        if lead not in free:
            continue
        free.discard(lead)
        others = sorted(joins[lead] & free, key=rank.__getitem__)
        free.difference_update(others)
        if others:
            found.append(Cluster(view.memories[lead], tuple(view.memories[p] for p in others)))
    return found


def _key(memory: Memory) -> tuple[str, object]:
    """Identical texts (a moment's only with its day) are the same without judging."""
    text = " ".join(memory.text.lower().split()).strip(" .!")
    once = memory.type is MemoryType.EPISODIC or moment(memory.text)
    # The project is part of the key: identical texts of two projects stay two memories.
    return f"{memory.project}\n{text}", memory.created.date() if once else None


def _lead(view: StoreView, memory: Memory, judged_same: int) -> tuple[object, ...]:
    """Sort key of the memories that lead a cluster: after those marked important and
    identity, the one judged the same as most others, so that a cluster gathers around the
    text that all its members were judged to say ("Pudding is our old ginger cat" between
    "our cat is called Pudding" and "we have a ginger tom named Pudding"), then
    :func:`_preference`."""
    preference = _preference(view, memory)
    return (*preference[:2], -judged_same, *preference[2:])


def _preference(view: StoreView, memory: Memory) -> tuple[object, ...]:
    """Sort key: the memory to keep comes first (marked important, identity, most often
    stated, most used, saying most, oldest): a fact said once plainly and once with more
    detail keeps the detail."""
    return (
        not memory.important,
        memory.type is not MemoryType.IDENTITY,
        -int(memory.metadata.get("merged_count", 1) or 1),
        -view.access_count(memory),
        -len(content_words(memory.text)),
        memory.created,
        memory.id,
    )


def plan(clusters: list[Cluster]) -> list[Action]:
    """What merging the clusters would do."""
    return [
        Action(
            "merge",
            "merge",
            (c.canonical.id, *(o.id for o in c.others)),
            f"{len(c.others)} duplicate(s) into “{short(c.canonical.text)}”",
        )
        for c in clusters
    ]


def apply(memories: Memories, clusters: list[Cluster]) -> int:
    """Merge clusters; returns the number of duplicates superseded.

    The canonical memories are written first (reinforced, with links to what they absorbed),
    then the duplicates are marked superseded with a link to theirs. A run stopped in between
    leaves duplicates that the next run supersedes without reinforcing twice.
    """
    keep: dict[str, Change] = {}
    retire: dict[str, Change] = {}
    wanted = [m.id for c in clusters for m in (c.canonical, *c.others)]
    now = {m.id: m for m in memories.get_many(wanted)}  # as the notes say now
    for cluster in clusters:
        canonical = now.get(cluster.canonical.id)
        # A note the user edited since the clusters were found is left for the next run.
        others = [now[o.id] for o in cluster.others if _unchanged(o, now.get(o.id))]
        if not _unchanged(cluster.canonical, canonical) or not others:
            continue
        assert canonical is not None
        fresh = [o for o in others if o.id not in set(canonical.supersedes)]
        if fresh:
            keep[canonical.id] = _reinforced(canonical, fresh)
        target = link(canonical)
        for other in others:
            retire[other.id] = Change(
                status=Status.SUPERSEDED, metadata={"superseded_by": target, "merged_into": target}
            )
    # One batch: the canonical notes are written before their duplicates' (dict order).
    memories.update_many({**keep, **retire}, verb="merged")
    return len(retire)


def _unchanged(seen: Memory, current: Memory | None) -> bool:
    return current is not None and current.status is Status.ACTIVE and current.text == seen.text


def _reinforced(canonical: Memory, fresh: list[Memory]) -> Change:
    count = int(canonical.metadata.get("merged_count", 1) or 1)
    count += sum(int(o.metadata.get("merged_count", 1) or 1) for o in fresh)
    sources = [str(s) for s in canonical.metadata.get("sources", []) or []]
    for other in fresh:
        for source in [other.metadata.get("conversation"), *other.metadata.get("sources", [])]:
            if source and str(source) not in sources:
                sources.append(str(source))
    merged_from = list(canonical.metadata.get("merged_from", []) or [])
    importance = max([canonical.importance] + [o.importance for o in fresh])
    return Change(
        importance=min(10.0, importance + BOOST * len(fresh)),
        important=canonical.important or any(o.important for o in fresh),
        tags=_union(canonical.tags, *(o.tags for o in fresh)),
        supersedes=[*canonical.supersedes, *(o.id for o in fresh)],
        metadata={
            "merged_count": count,
            "merged_from": merged_from + [link(o) for o in fresh],
            **({"sources": sources[-20:]} if sources else {}),
        },
    )


def _union(*groups: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for group in groups:
        out += [t for t in group if t not in out]
    return out


def clusters_of(
    memories: Memories, view: StoreView, stop: Callable[[], bool] = never
) -> list[Cluster]:
    """Every duplicate cluster of a store's view, judged with its embedder, read with its
    pair reader, and the judge's verdicts kept in the home's memo (``cache/pair-judge``) so
    that a pair is judged once however many runs meet it."""
    with verdict_memo(memories.settings.home, memories.embedder) as memo:
        return find_clusters(
            view,
            stop=stop,
            embedder=memories.embedder,
            reader=reader_for(memories),
            memo=memo,
        )


def run(memories: Memories, view: StoreView, stop: Callable[[], bool]) -> dict[str, int]:
    """Find and merge every cluster, a few at a time, stopping between batches when asked."""
    clusters = clusters_of(memories, view, stop)
    merged = done = 0
    for start in range(0, len(clusters), BATCH):
        if stop():
            break
        batch = clusters[start : start + BATCH]
        merged += apply(memories, batch)
        done += len(batch)
    return {"clusters": done, "merged": merged}
