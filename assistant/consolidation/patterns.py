"""Patterns → identity: a habit seen again and again across episodes becomes a fact.

Episodes that say much the same thing (close by embedding, whatever the words: "bouldering
with Jess", "climbing session at the wall") and fall on the same weekday in at least
``MIN_WEEKS`` different weeks, with at least ``CONFIDENCE`` of such episodes on that day,
become a procedural memory linked to the episodes: "Usually goes climbing on Saturdays" where
most of them name the pastime, else in the words of the most typical one ("Most Mondays:
video-called mamá after dinner").
Only what the user lived counts: generated notes (weekly summaries, habits, anything written
by consolidation) are never evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from assistant.consolidation.view import Action, StoreView, link
from assistant.learning.clauses import sentences
from assistant.memories import Draft, Memories
from assistant.memory_types import Memory, MemoryType, Status
from assistant.models.base import Embedder

CONFIDENCE = 0.7
MIN_WEEKS = 3
ROUTINE_SIMILARITY = 0.4
"""MiniLM cosine from which an episode may join a routine (to one of it, or to its centre)."""
SEED_SIMILARITY = 0.22
"""MiniLM cosine from which episodes of one weekday left by the routines seeded at
:data:`ROUTINE_SIMILARITY` may seed one ("thurs pottery, threw 3 bowls" / "clay class
thursday - trimming feet", 0.27; / "Thursday night at the studio glazing mugs", 0.22): grown
and kept by their centre as any other. Never across weekdays, where episodes that far apart
are any two of a busy week."""
DAY_FLOORS = (ROUTINE_SIMILARITY, SEED_SIMILARITY)
JOIN = 0.4
"""MiniLM cosine between the centres of a routine seeded at :data:`SEED_SIMILARITY` and one of
the same days seeded before, from which the later is the rest of the earlier."""
ROUTINE_CORE = 0.5
"""MiniLM cosine to the centre of a grown routine from which an episode belongs to it."""
ACTIVITIES = (
    "swimming",
    "climbing",
    "running",
    "cycling",
    "yoga",
    "gym",
    "chess",
    "football",
    "tennis",
    "piano",
    "guitar",
    "dancing",
    "hiking",
    "reading",
    "cooking",
    "baking",
    "gardening",
    "choir",
    "pottery",
    "boxing",
    "volunteering",
    "pilates",
    "walking",
    "rowing",
    "skating",
    "surfing",
    "painting",
    "knitting",
    "fishing",
    "golf",
    "basketball",
    "badminton",
    "squash",
    "karate",
    "meditation",
    "shopping",
    "cleaning",
)
"""Names a routine can be given by meaning when its episodes share no activity word."""
NAMED = 0.4
"""MiniLM cosine from a routine's centre to an activity's name from which it is named so."""
MARGIN = 0.05
"""How much closer the best name must be than the next."""
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_VERBS = {
    "gym": "goes to the",
    "class": "goes to",
    "choir": "goes to",
    "swim": "goes for a",
    **dict.fromkeys(
        ("tennis", "football", "soccer", "basketball", "chess", "piano", "guitar"), "plays"
    ),
}
_DAY = re.compile(r"\b(" + "|".join(_DAYS) + r")s?\b", re.I)
_ACTIVITY = re.compile(
    r"\b(?!(?:morning|evening|nothing|something|anything|everything|thing|during|being|king|"
    r"ring|spring|bring|sing|wing|string|ceiling|feeling|building|wedding|meeting|"
    r"interesting|amazing|boring|exciting|going|getting|doing|having|making|saying|thinking|"
    r"coming|looking|taking|trying|telling|feeling|evening|lightning)\b)([a-z]{3,}ing)\b"
    r"|\b(yoga|tennis|football|soccer|basketball|chess|piano|guitar|choir|pilates|gym|"
    r"swim|karate|judo|boxing|dance|class)\b",
    re.I,
)


@dataclass(frozen=True)
class Pattern:
    """A habit found across episodes."""

    activity: str
    day: str
    evidence: tuple[Memory, ...]
    confidence: float
    gist: str = ""
    """What the routine is, in the words of its most typical episode, where most of them name
    no pastime ("our weekly call with my mum"): the fact says that, not a name read by meaning,
    which may be wrong ("fish market" is no fishing), nor a word they share ("mam")."""

    @property
    def key(self) -> str:
        """Identifies the pattern in the note's ``pattern`` property."""
        return f"{self.activity}:{self.day}"

    @property
    def text(self) -> str:
        """The fact, as the memory states it."""
        days = " and ".join(
            "weekdays" if d == "weekday" else f"{d.capitalize()}s" for d in self.day.split("+")
        )
        if self.gist:
            return f"Most {days}: {self.gist}."
        if self.activity.endswith("ing") and " " not in self.activity:
            return f"Usually goes {self.activity} on {days}."
        if self.activity in _VERBS or self.activity in ACTIVITIES:
            return f"Usually {_VERBS.get(self.activity, 'does')} {self.activity} on {days}."
        return f"A routine on {days}: {self.activity}."


def generated(memory: Memory) -> bool:
    """Whether a note was written by the assistant (a summary, a habit, a merge result)."""
    return (
        memory.source == "consolidation"
        or bool(memory.metadata.get("summarises"))
        or bool(memory.metadata.get("pattern"))
    )


def _day(memory: Memory) -> str:
    named = _DAY.search(memory.text)
    return named.group(1).lower() if named else _DAYS[memory.created.astimezone().weekday()]


def _activity(evidence: list[Memory]) -> str:
    """The activity word most of the episodes name ("climbing"), the earliest in their texts
    on a tie; else ``""``."""
    counts: dict[str, int] = defaultdict(int)
    places: dict[str, int] = defaultdict(int)
    for memory in evidence:
        seen: dict[str, int] = {}
        for match in _ACTIVITY.finditer(memory.text):
            seen.setdefault((match.group(1) or match.group(2)).lower(), match.start())
        for word, place in seen.items():
            counts[word] += 1
            places[word] += place
    if not counts:
        return ""
    best = min(counts, key=lambda w: (-counts[w], places[w] / counts[w], w))
    return best if counts[best] * 2 >= len(evidence) else ""


_NAMES: dict[str, np.ndarray] = {}


def _named(centre: np.ndarray, embedder: Embedder | None) -> str:
    """The activity whose name is closest in meaning to a routine ("did my laps in the pool",
    "swim at the lido": ``swimming``); ``""`` when none is clearly closest."""
    if embedder is None:
        return ""
    if embedder.name not in _NAMES:
        _NAMES[embedder.name] = np.asarray(embedder.embed(list(ACTIVITIES)), dtype=np.float32)
    scores = _NAMES[embedder.name] @ (centre / np.linalg.norm(centre))
    first, second = np.sort(scores)[::-1][:2]
    return ACTIVITIES[int(np.argmax(scores))] if first >= NAMED and first - second >= MARGIN else ""


def find_patterns(
    view: StoreView, known: set[str], embedder: Embedder | None = None
) -> list[Pattern]:
    """Habits among the episodic memories not yet recorded (``known`` pattern keys); with
    ``embedder`` (the one that embedded the view), a routine whose episodes share no activity
    word is named by meaning.

    Routines of one weekday are looked for a weekday at a time; the episodes left over (the
    most recent ``ACROSS_DAYS``) are then grouped by meaning whatever their day, for routines
    of two weekdays ("swims on Mondays and Wednesdays") or of every weekday ("walks the dog
    before work")."""
    rows = [
        i for i, m in enumerate(view.memories) if m.type is MemoryType.EPISODIC and not generated(m)
    ]
    if len(rows) < MIN_WEEKS:
        return []
    memories = [view.memories[i] for i in rows]
    vectors = view.vectors[rows]
    days = np.array([_day(m) for m in memories])
    found: list[Pattern] = []
    used = np.zeros(len(rows), dtype=bool)
    for day in _DAYS:  # one weekday at a time: memory stays linear in the episodes
        on_day = np.nonzero(days == day)[0]
        found += _routines(memories, vectors, days, on_day, used, embedder, DAY_FLOORS)
    left = np.nonzero(~used)[0]
    left = left[np.argsort([memories[i].created.timestamp() for i in left], kind="stable")][
        -ACROSS_DAYS:
    ]
    found += _routines(memories, vectors, days, left, used, embedder)
    return [p for p in found if p.key not in known]


ACROSS_DAYS = 2000
"""Most recent leftover episodes grouped across weekdays (the comparison is quadratic)."""


def _routines(
    memories: list[Memory],
    vectors: np.ndarray,
    days: np.ndarray,
    among: np.ndarray,
    used: np.ndarray,
    embedder: Embedder | None,
    floors: tuple[float, ...] = (ROUTINE_SIMILARITY,),
) -> list[Pattern]:
    """Routines among the episodes ``among`` (row numbers), marking those they take in
    ``used``: seeded at each of ``floors`` in turn, from the episodes the last left.
    ``days`` holds each episode's weekday."""
    if len(among) < MIN_WEEKS:
        return []
    taken = np.zeros(len(among), dtype=bool)
    found: list[Pattern] = []
    row = {memories[i].id: i for i in among}
    tried: set[bytes] = set()

    def centre(pattern: Pattern) -> np.ndarray:
        mean = vectors[[row[m.id] for m in pattern.evidence]].mean(axis=0)
        return np.asarray(mean / np.linalg.norm(mean))

    for n, floor in enumerate(floors):
        seeded_before = list(found) if n else []
        seeded = _seeded(memories, vectors, days, among, used, embedder, taken, floor, tried)
        for pattern in seeded:
            # the rest of a routine seeded at a higher floor ("koottayma at Thresiamma's" /
            # "went for the family unit prayer"): its evidence, not a second habit
            same = [
                known
                for known in seeded_before
                if known.day == pattern.day and float(centre(known) @ centre(pattern)) >= JOIN
            ]
            if same:
                at = found.index(same[0])
                found[at] = replace(found[at], evidence=found[at].evidence + pattern.evidence)
            else:
                found.append(pattern)
    return found


def _seeded(
    memories: list[Memory],
    vectors: np.ndarray,
    days: np.ndarray,
    among: np.ndarray,
    used: np.ndarray,
    embedder: Embedder | None,
    taken: np.ndarray,
    floor: float,
    tried: set[bytes],
) -> list[Pattern]:
    """The routines started from an episode with at least :data:`MIN_WEEKS` others at cosine
    ``floor`` or more among the episodes ``among`` not yet ``taken``.

    A lead's routine is grown from its alike episodes; where that one is found wanting, the
    core of those episodes alone is judged: grown among a year of Saturday chores, "climbing
    with Jess" took in "bought a new bike chain", done on any day, and was no habit.
    Leads of one group of alike episodes mostly come to the same routine: one judged before
    (its members' bytes in ``tried``) is not judged again, nor named before it is known to be
    kept. In a year of episodes that form no routine, nearly every lead fails the same way."""
    local = vectors[among]
    close = (local @ local.T >= floor) & ~taken
    order = sorted(range(len(among)), key=lambda i: -int(close[i].sum()))
    found = []
    for lead in order:
        if close[lead].sum() < MIN_WEEKS:
            break  # too few alike episodes to start a routine, here or after
        if taken[lead]:
            continue
        seed = close[lead] & ~taken
        for members in (_routine(local, seed, ~taken), _core(local, seed)):
            key = members.tobytes()
            if key in tried:
                continue
            tried.add(key)
            pattern = _judged(memories, vectors, days, among, local, members, embedder)
            if pattern is not None:
                taken |= members
                used[among[np.nonzero(members)[0]]] = True
                found.append(pattern)
                break
    return found


def _judged(
    memories: list[Memory],
    vectors: np.ndarray,
    days: np.ndarray,
    among: np.ndarray,
    local: np.ndarray,
    members: np.ndarray,
    embedder: Embedder | None,
) -> Pattern | None:
    """The habit the episodes ``members`` (of ``among``) make, if they fall on one day, two or
    every weekday in :data:`MIN_WEEKS` weeks, the episodes like them fall on those days
    (:data:`CONFIDENCE`) and something names them; else None."""
    rows = np.nonzero(members)[0]
    when = _when([str(d) for d in days[among[rows]]])
    if when is None:
        return None
    on_days = [i for i in rows if days[among[i]] in when[1]]
    evidence = [memories[among[i]] for i in on_days]
    if len({m.created.isocalendar()[:2] for m in evidence}) < MIN_WEEKS:
        return None
    centre = local[members].mean(axis=0)
    # Of the episodes like these, the share on the routine's days: a fact about the same
    # thing ("I took up pottery") is no episode on another day.
    alike = int((vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_CORE).sum())
    confidence = len(evidence) / max(len(evidence), alike)
    if confidence < CONFIDENCE:
        return None
    worded = _activity(evidence)
    activity = worded or _named(centre, embedder) or _shared(evidence)
    if not activity:
        return None
    named = worded in ACTIVITIES or worded in _VERBS  # a pastime, not "pudding"
    gist = "" if named else _gist(evidence, local[on_days], embedder)
    return Pattern(activity, when[0], tuple(evidence), round(confidence, 2), gist)


_PART = r"(?:\s+(?:morning|afternoon|evening|night|nite))"
_PREFIX = re.compile(
    rf"^\s*(?:on\s+|this\s+|last\s+)?(?:(?:{'|'.join(_DAYS)})s?\b|"
    rf"(?:mon|tues?|weds?|thurs?|fri|sat|sun)\.?(?=\s*[:,=—–-]|{_PART}\b))"
    rf"{_PART}?(?:,?\s*\d{{1,2}}(?::\d\d)?\s*(?:am|pm)?)?\s*(?:[:,=—–-]+\s*|\s+(?=\w))"
    r"|^\s*[^\s:—–]{1,12}(?:\s+[^\s:—–]{1,12})?\s*[:—–]\s+",
    re.IGNORECASE,
)
"""What opens an episode before what happened: its day and time ("Monday, 9pm:", "mon night —",
"Sat:", "saturday ") or a short label ("Lunes:")."""
GIST_WORDS = 10
"""The most words of an episode a habit repeats."""


def _gist(evidence: list[Memory], vectors: np.ndarray, embedder: Embedder | None) -> str:
    """What the routine is, in the opening words of one of its episodes without its day,
    label or asides ("Lunes: our weekly call with my mum. Her hip's sore…" → "our weekly call
    with my mum"); ``""`` when nothing is left.

    With ``embedder``, the opening that is most like the others and like the episodes as a
    whole ("pizza and movie night", not "Skipped the movie", the opening of an exception);
    an opening cut at :data:`GIST_WORDS` counts for a little less. Without, the opening of the
    episode most like the others."""
    if not evidence:
        return ""
    if embedder is None or len(evidence) < 2:
        return _opening(evidence[int(np.argmax((vectors @ vectors.T).sum(axis=1)))].text)
    openings = [_opening(m.text) for m in evidence]
    said = np.asarray(
        embedder.embed([o or m.text for o, m in zip(openings, evidence, strict=True)])
    )
    centre = vectors.mean(axis=0)
    alike = ((said @ said.T).sum(axis=1) - 1) / (len(openings) - 1)
    cut = np.array([len(o.split()) >= GIST_WORDS for o in openings])
    score = alike + GIST_CENTRE * (said @ (centre / np.linalg.norm(centre))) - GIST_CUT * cut
    return openings[int(np.argmax(score))]


GIST_CENTRE = 0.5
"""How much an opening's likeness to the episodes as a whole counts beside its likeness to the
other openings."""
GIST_CUT = 0.05
"""What an opening cut at :data:`GIST_WORDS` loses."""


def _opening(text: str) -> str:
    """An episode's opening words without its day, label or asides."""
    said = _PREFIX.sub("", text, count=1).strip()
    first = next(iter(sentences(said)), said)
    chunk = _ASIDE.split(first, maxsplit=1)[0]
    words = (chunk if len(chunk.split()) >= 2 else first).split()[:GIST_WORDS]
    return _TAIL.sub("", " ".join(words)).strip()


_ASIDE = re.compile(
    r"\s*[,;(]\s*|:\s+|\s+(?:while|but|because|cos|so|when|though)\s+", re.IGNORECASE
)
"""Where an episode goes on to say more than what happened ("…, she was tired", "… while
Marcus slept in")."""


_TAIL = re.compile(
    rf"(?:\s+(?:again|lol|haha|today|tonight|this\s+(?:morning|afternoon|evening)))*"
    rf"(?:\s+(?:on\s+|this\s+|last\s+)?"
    rf"(?:{'|'.join(_DAYS)})s?{_PART}?)?(?:\s+(?:again|lol|haha))*[^\w)'’\"]*$",
    re.IGNORECASE,
)
"""What closes a gist and says nothing of the routine: "again", its day, punctuation."""


def _when(days: list[str]) -> tuple[str, frozenset[str]] | None:
    """The day or days a routine's episodes fall on: one weekday or two holding at least
    ``CONFIDENCE`` of them, or every weekday (``("weekday", {...})``) holding ``WEEKDAYS``;
    None when they spread otherwise."""
    counts = sorted(((days.count(d), -_DAYS.index(d), d) for d in set(days)), reverse=True)
    top = [d for _, _, d in counts[:2]]
    if counts[0][0] >= CONFIDENCE * len(days):
        return top[0], frozenset(top[:1])
    if len(top) == 2 and counts[0][0] + counts[1][0] >= CONFIDENCE * len(days):
        pair = sorted(top, key=_DAYS.index)
        return "+".join(pair), frozenset(pair)
    weekdays = frozenset(_DAYS[:5])
    if len(set(days) & weekdays) >= 3 and sum(d in weekdays for d in days) >= WEEKDAYS * len(days):
        return "weekday", weekdays
    return None


WEEKDAYS = 0.9
"""The share of a routine's episodes on Monday to Friday from which it is one of every
weekday: five days in seven put 71 % of things done on any day there, so ``CONFIDENCE`` would
make a habit of whatever the user does often ("Most weekdays: rainy walk to the shop")."""


_TIME_WORDS = frozenset(
    _DAYS
    + [d + "s" for d in _DAYS]
    + [
        "morning",
        "evening",
        "night",
        "afternoon",
        "lunch",
        "lunchtime",
        "week",
        "weekend",
        "today",
        "again",
        "time",
        "usual",
        "early",
        "late",
        "first",
        "last",
        "this",
    ]
)


SHARED_BY = 4
"""Where no word is named by most of a routine's episodes, the share of them (one in this
many, and two at least) whose words name it."""


def _shared(evidence: list[Memory]) -> str:
    """What most of a routine's episodes name, when no activity word or name fits them
    ("pancakes" from "banana pancakes with the kids…", "Sunday pancakes again…"); else the
    words that several of them name."""
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for n, memory in enumerate(evidence):
        for place, word in enumerate(
            dict.fromkeys(re.findall(r"[a-z][a-z'-]+", memory.text.lower()))
        ):
            if word in _TIME_WORDS or word in _COMMON or len(word) < 3:
                continue
            counts[word] += 1
            first.setdefault(word, n * 1000 + place)
    shared = [w for w in counts if counts[w] * 2 >= len(evidence)]
    if not shared:  # "pizza and movie" from "homemade pizza + movie w the kids", "ate pizza"…
        shared = [w for w in counts if counts[w] >= max(2, len(evidence) / SHARED_BY)]
    shared.sort(key=lambda w: (-counts[w], first[w]))
    return " and ".join(sorted(shared[:2], key=first.__getitem__))


_COMMON = frozenset(
    [
        "the",
        "and",
        "with",
        "for",
        "our",
        "had",
        "did",
        "was",
        "were",
        "went",
        "got",
        "made",
        "took",
        "have",
        "has",
        "his",
        "her",
        "she",
        "him",
        "they",
        "them",
        "this",
        "that",
        "then",
        "than",
        "from",
        "into",
        "onto",
        "out",
        "off",
        "about",
        "just",
        "again",
        "also",
        "all",
        "after",
        "before",
        "when",
        "while",
        "who",
        "what",
        "one",
        "two",
        "some",
        "there",
        "their",
        "its",
        "it's",
        "i'm",
        "we're",
        "you",
        "your",
        "are",
        "not",
        "but",
        "too",
        "very",
        "really",
        "so",
        "like",
        "over",
        "around",
        "back",
    ]
)


def _routine(vectors: np.ndarray, seed: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Grow a routine from the ``seed`` rows: add ``candidates`` rows close to the routine's
    centre, then keep only the rows close to the final centre."""
    members = seed.copy()
    for _ in range(10):
        centre = vectors[members].mean(axis=0)
        near = vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_SIMILARITY
        grown = members | (near & candidates)
        if (grown == members).all():
            break
        members = grown
    return _core(vectors, members)


def _core(vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The rows close to their own centre (:data:`ROUTINE_CORE`)."""
    centre = vectors[rows].mean(axis=0)
    core: np.ndarray = rows & (vectors @ (centre / np.linalg.norm(centre)) >= ROUTINE_CORE)
    return core


def known_patterns(memories: Memories) -> set[str]:
    """Pattern keys already recorded (active, replaced or archived: never learned twice)."""
    statuses = [Status.ACTIVE, Status.SUPERSEDED, Status.ARCHIVED]
    return {
        str(m.metadata["pattern"])
        for m in memories.list(types=[MemoryType.PROCEDURAL], statuses=statuses)
        if m.metadata.get("pattern")
    }


def plan(patterns: list[Pattern]) -> list[Action]:
    """What learning the patterns would do."""
    return [
        Action(
            "patterns",
            "learn",
            tuple(m.id for m in p.evidence),
            f"“{p.text}” from {len(p.evidence)} episodes ({p.confidence:.0%})",
        )
        for p in patterns
    ]


def run(memories: Memories, view: StoreView, stop: Callable[[], bool]) -> dict[str, int]:
    """Record each new habit as a procedural memory linked to its episodes."""
    patterns = find_patterns(view, known_patterns(memories), memories.embedder)
    if stop() or not patterns:
        return {"learned": 0}
    drafts = [
        Draft(
            p.text,
            type=MemoryType.PROCEDURAL,
            importance=6.0,
            tags=("routine",),
            source="consolidation",
            metadata={
                "fact": f"habit:{p.activity}",
                "pattern": p.key,
                "confidence": p.confidence,
                "related": [link(m) for m in p.evidence][:20],
            },
        )
        for p in patterns
    ]
    memories.add_many(drafts)
    return {"learned": len(drafts)}
