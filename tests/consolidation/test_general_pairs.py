"""Error kinds of consolidation on text nobody tuned it for: names in lower case, slang and
short forms, swapped things and units, subjects, third-person changes, routines with no
activity word or on several days, essentials kept from decay (real MiniLM and store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant import Assistant
from assistant.consolidation import Consolidator, contradictions, decay, merge, patterns
from assistant.consolidation.differences import veto
from assistant.consolidation.judge_pairs import default_judge
from assistant.consolidation.view import StoreView
from assistant.memories import Draft
from assistant.memory_types import MemoryType, Status
from assistant.models.minilm import MiniLMEmbedder

NOW = datetime(2026, 5, 9, 12, 0, tzinfo=UTC)
"""A fixed Saturday (never the wall clock)."""


def never() -> bool:
    return False


def view(assistant: Assistant) -> StoreView:
    return StoreView.of(assistant.memories, NOW.timestamp())


def judged(minilm: MiniLMEmbedder, a: str, b: str) -> tuple[bool, str | None]:
    va, vb = minilm.embed([a, b])
    verdict = default_judge().judge(a, b, float(va @ vb), minilm.embed)
    return verdict.merge, verdict.vetoed


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a name in lower case is the same name
        ("My favourite podcast is Radiolab.", "fave podcast = radiolab"),
        ("Our vet is Dr. Nkemelu.", "vet: dr nkemelu"),
        # slang for a relation, a place said more precisely
        ("My brother Idris lives in Austin.", "my bro idris lives in austin, texas"),
        # a month or a day said short, a birthday said as a birth
        ("Hal's birthday is September 5.", "hal bday sept 5th"),
        ("Hal's birthday is September 5.", "Hal was born on 5 September."),
        # being against a thing without a negation
        ("I don't eat shellfish.", "no shellfish for me"),
        # emphasis in capitals is no name
        ("Our cat Tofu only drinks from the tap.", "tofu will ONLY drink from the tap"),
        # "left" as a side, not as leaving
        ("I'm left-handed.", "im a leftie"),
    ],
)
def test_no_hard_difference_where_the_words_only_look_different(a: str, b: str) -> None:
    assert veto(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("My favourite podcast is Radiolab.", "fave podcast = radiolab"),
        ("My brother Idris lives in Austin.", "my bro idris lives in austin, texas"),
        ("I'm afraid of wasps.", "wasps terrify me"),
    ],
)
def test_lower_case_and_slang_paraphrases_merge(minilm: MiniLMEmbedder, a: str, b: str) -> None:
    assert judged(minilm, a, b) == (True, None)


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        # one thing swapped for another in the same sentence
        ("Ada's son started nursery.", "Ada's son started judo classes.", "thing"),
        ("The new fridge cost $480.", "The new microwave cost $480.", "thing"),
        ("Gus's wedding is June 6.", "Gus's graduation is June 6.", "thing"),
        # the same number in other units
        ("The parcel weighs 12 kilos.", "The parcel is 12 inches wide.", "unit"),
        # the user and someone else
        ("I got a bonus in April.", "Femi got a bonus in April.", "name"),
        # more names, not the same name said more precisely
        ("Kit's tutor is Ms. Lowe.", "Kit's tutor is Ms. Lowe, and the coach is Mr. Dale.", "name"),
        # a state and the report that it ended
        (
            "Ade coaches the under-12s.",
            "Someone else took over the under-12s, Ade helps.",
            "change",
        ),
        ("We keep bees.", "We gave the bees away to a farm.", "change"),
        # a full name with another surname is another person
        ("Ana Silva is our dentist.", "Ana Costa is our dentist.", "name"),
    ],
)
def test_look_alikes_never_merge(minilm: MiniLMEmbedder, a: str, b: str, why: str) -> None:
    assert judged(minilm, a, b) == (False, why)


def test_a_run_collapses_paraphrases_in_any_case_and_keeps_look_alikes(
    assistant: Assistant,
) -> None:
    texts = [
        "My favourite podcast is Radiolab.",
        "fave podcast = radiolab",
        "Ada's son started nursery.",
        "Ada's son started judo classes.",
        "I got a bonus in April.",
        "Femi got a bonus in April.",
    ]
    ids = [m.id for m in assistant.memories.add_many(texts)]
    assert merge.run(assistant.memories, view(assistant), never)["merged"] == 1
    states = [assistant.memories.get(i).status for i in ids]
    assert states[:2].count(Status.ACTIVE) == 1
    assert states[2:] == [Status.ACTIVE] * 4


def test_a_change_reported_about_someone_else_is_a_contradiction(assistant: Assistant) -> None:
    older = Draft("Tunde works at Halcyon Labs as a chemist.", created_at=NOW - timedelta(90))
    newer = Draft(
        "Tunde left Halcyon Labs in March and now teaches at a college.",
        created_at=NOW - timedelta(3),
    )
    aside = Draft("I spent the weekend in Hull visiting Tunde.", created_at=NOW - timedelta(40))
    added = assistant.memories.add_many([older, newer, aside])
    pairs = {
        frozenset((c.newer.id, c.older.id)) for c in contradictions.find_conflicts(view(assistant))
    }
    assert frozenset((added[0].id, added[1].id)) in pairs
    # The same person, but nothing in common about them: no question for the user.
    assert frozenset((added[1].id, added[2].id)) not in pairs


def conflicts_among(assistant: Assistant, aged: list[tuple[str, int]]) -> list[tuple[str, str]]:
    """The ``(older, newer)`` texts of the conflicts found among texts added so many days
    ago."""
    assistant.memories.add_many([Draft(t, created_at=NOW - timedelta(days)) for t, days in aged])
    found = contradictions.find_conflicts(view(assistant), embedder=assistant.memories.embedder)
    return [(c.older.text, c.newer.text) for c in found]


def test_two_past_moments_with_other_values_are_no_contradiction(assistant: Assistant) -> None:
    found = conflicts_among(
        assistant,
        [
            ("I ran the Leeds 10k in 2022.", 60),
            ("I ran the Leeds 10k in 2024.", 2),
            ("I pay 40 a month for the gym.", 60),
            ("I pay 45 a month for the gym.", 2),
        ],
    )
    assert found == [("I pay 40 a month for the gym.", "I pay 45 a month for the gym.")]


def test_a_value_only_one_side_gives_is_no_contradiction(assistant: Assistant) -> None:
    found = conflicts_among(
        assistant,
        [
            ("We have a cat called Miso.", 30),
            ("Our cat Miso is 4.", 2),
            ("We have a cat called Mochi and a dog named Biscuit.", 40),
            ("Our dog Biscuit is 5 now.", 1),
        ],
    )
    assert found == []


def test_a_value_changed_of_someone_both_name_is_a_contradiction(assistant: Assistant) -> None:
    """ "Nala weighs 18 kg" / "Nala weighs 15 kg": one subject, a changed value; "Omar
    recommended the dentist" / "Farid recommended the dentist" are two people."""
    found = conflicts_among(
        assistant,
        [
            ("Nala weighs 18 kg.", 90),
            ("Nala weighs 15 kg.", 3),
            ("Omar recommended the dentist on Elm Road.", 80),
            ("Farid recommended the dentist on Elm Road.", 4),
        ],
    )
    assert found == [("Nala weighs 18 kg.", "Nala weighs 15 kg.")]


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("Tunde left Halcyon Labs in March.", True),
        ("We ditched the gym membership.", True),
        ("The spare room is an office now.", True),
        ("Femi and I got married in June.", False),
        ("I'm left-handed.", False),
    ],
)
def test_only_a_reported_change_replaces_what_it_disagrees_with(text: str, changed: bool) -> None:
    assert contradictions.reports_change(text) is changed


def _weeks(texts: list[str], weekday: int | None) -> list[Draft]:
    """One episode a week going back from NOW, on ``weekday`` (else Monday to Friday in
    turn)."""
    monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=8)
    return [
        Draft(
            text,
            type="episodic",
            created_at=monday
            - timedelta(weeks=len(texts) - n)
            + timedelta(days=weekday if weekday is not None else n % 5),
        )
        for n, text in enumerate(texts)
    ]


def test_a_routine_with_no_activity_word_becomes_a_habit(assistant: Assistant) -> None:
    assistant.memories.add_many(
        _weeks(
            [
                "Made waffles for everyone this morning.",
                "Waffles again, the kids wanted strawberries on them.",
                "Burnt the first batch of waffles, the rest were fine.",
                "Waffle breakfast in pyjamas, nobody was in a hurry.",
            ],
            weekday=6,
        )
    )
    found = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert [(p.day, len(p.evidence)) for p in found] == [("sunday", 4)]
    assert "waffle" in found[0].text.lower()


def test_a_routine_that_no_word_names_in_most_episodes_is_named_by_the_words_of_several(
    assistant: Assistant,
) -> None:
    """Pizza in two episodes, a film in others, the kids in two: the habit is still learned,
    named by what several of its episodes say."""
    assistant.memories.add_many(
        _weeks(
            [
                "homemade pizza + a movie w the kids",
                "We watched Moana again and ate pizza.",
                "Family film night, the little one picked.",
                "Kids and I had our flick night, popcorn everywhere.",
                "Dough from scratch, then Totoro on the couch.",
                "movie nite, the youngest asleep 20 min in",
            ],
            weekday=4,
        )
    )
    found = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert [(p.day, len(p.evidence)) for p in found] == [("friday", 6)]
    assert {"pizza", "movie", "kids"} & set(found[0].activity.split(" and "))
    typical = {"homemade pizza + a movie w the kids", "We watched Moana again and ate pizza"}
    assert found[0].text.startswith("Most Fridays: ")
    assert found[0].text.removeprefix("Most Fridays: ").rstrip(".") in typical, found[0].text


def test_a_habit_no_pastime_names_is_said_in_the_words_of_its_most_typical_episode(
    assistant: Assistant,
) -> None:
    """Not "Usually goes fishing" for trips to the fish market, nor "A routine on Mondays:
    mam.": the day, label and asides of the episode are left out."""
    assistant.memories.add_many(
        _weeks(
            [
                "Tuesday: fish market with Joy, karimeen was 450 a kilo",
                "tues morning — fish market w/ Joy again, bought sardines",
                "Fish market with Joy this Tuesday, prawns were too dear",
                "Tue: fish market run with Joy; the usual stall was shut",
            ],
            weekday=1,
        )
    )
    (found,) = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert found.day == "tuesday" and "fishing" not in found.text
    assert found.text.startswith("Most Tuesdays: ") and "market" in found.text
    assert not any(w in found.text for w in ("450", "sardines", "prawns", "stall", "this Tues"))


def test_a_habit_is_not_said_in_the_words_of_an_exception(assistant: Assistant) -> None:
    """The week the film was skipped is an episode of the routine, not what the routine is."""
    assistant.memories.add_many(
        _weeks(
            [
                "Friday pizza and movie night: we watched Moana for about the tenth time.",
                "Ordered pizza for Friday movie night and the kids chose Paddington 2.",
                "Movie night Friday, Mia picked a nature documentary and we had pepperoni pizza.",
                "Skipped the movie this Friday but still did pizza, the kids would have revolted.",
                "Friday again: pizza on the couch and The Iron Giant.",
            ],
            weekday=4,
        )
    )
    (found,) = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert found.day == "friday" and "skipped" not in found.text.lower(), found.text
    assert "pizza" in found.text.lower() and "movie" in found.text.lower(), found.text


def test_a_routine_told_in_different_words_each_week_is_a_habit(assistant: Assistant) -> None:
    """No two of these are close enough to start a routine (one pair at 0.4); all are close to
    what they share."""
    assistant.memories.add_many(
        _weeks(
            [
                "thurs ceramics, threw four cups, one survived",
                "Thursday evening glazing at the studio",
                "clay night thursday — trimmed the bases",
                "On Thursday the wheel finally behaved",
                "thursday: kiln day at the studio, pots go in next week",
            ],
            weekday=3,
        )
    )
    (found,) = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert found.day == "thursday" and len(found.evidence) >= 4


def test_unrelated_episodes_of_one_weekday_are_no_habit(assistant: Assistant) -> None:
    assistant.memories.add_many(
        _weeks(
            [
                "Thursday: the car failed its MOT, brake pads.",
                "dentist on thursday, no fillings needed",
                "thursday — rained all day, stayed in with a book",
                "Met Ana for coffee on Thursday, she's moving to Leeds.",
                "Thursday: paid the council tax at last",
            ],
            weekday=3,
        )
    )
    assert patterns.find_patterns(view(assistant), set(), assistant.memories.embedder) == []


def test_a_routine_is_found_among_chores_of_its_day_that_share_its_words(
    assistant: Assistant,
) -> None:
    """Grown among them, "climbing with Jess" takes in the bike chain, bought and fixed on any
    day, and is no habit: the core of its own alike episodes is."""
    climbing = [
        "Climbing at the wall with Jess, sent the blue route.",
        "Bouldering session with Jess.",
        "Climbed with Jess, new overhang problems.",
        "Climbing at the wall with Jess, sore fingers.",
        "Bouldering with Jess, finally topped the yellow one.",
        "Climbed with Jess, new overhang problems again.",
    ]
    chores = [
        "Bought a new bike chain for the flat, Anna helped carry it.",
        "Fixed the bike chain finally, took most of the afternoon.",
        "Rainy walk to the market, forgot the bike chain anyway.",
    ]
    monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=18)
    drafts = _weeks(climbing, weekday=5)
    for n in range(21):  # a chore every few days, Saturdays among them
        when = monday - timedelta(days=3 * n + 1)
        drafts.append(Draft(chores[n % 3], type="episodic", created_at=when))
    assistant.memories.add_many(drafts)
    found = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert [(p.day, len(p.evidence)) for p in found] == [("saturday", 6)]


def test_a_routine_of_two_weekdays_is_one_habit(assistant: Assistant) -> None:
    texts = [
        "Rowing machine session at the gym before lunch, 5k.",
        "Did 5k on the rowing machine at lunch.",
        "Lunchtime rowing machine, legs like jelly after.",
        "Rowed 5k on the erg at lunch, new best time.",
        "Rowing machine at lunch again, slow today.",
        "Lunch break row on the machine, 4k only.",
    ]
    drafts = _weeks(texts[0::2], weekday=1) + _weeks(texts[1::2], weekday=3)
    assistant.memories.add_many(drafts)
    found = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert [(p.day, len(p.evidence)) for p in found] == [("tuesday+thursday", 6)]
    assert found[0].text.endswith("on Tuesdays and Thursdays.")


def test_a_routine_on_every_weekday_is_a_habit(assistant: Assistant) -> None:
    assistant.memories.add_many(
        _weeks(
            [
                "Walked Rolo round Victoria Park before work.",
                "Early walk with Rolo in Victoria Park, very muddy.",
                "Rolo chased squirrels in Victoria Park on our morning walk.",
                "Quick walk in Victoria Park with Rolo before logging on.",
                "Rolo and I did the long loop of Victoria Park before work.",
            ],
            weekday=None,
        )
    )
    found = patterns.find_patterns(view(assistant), set(), assistant.memories.embedder)
    assert [(p.day, len(p.evidence)) for p in found] == [("weekday", 5)]


def test_something_done_on_any_day_is_no_weekday_habit(assistant: Assistant) -> None:
    """Eight of ten trips on a weekday is what five days in seven give by chance."""
    texts = [
        "Popped to the corner shop for milk.",
        "Corner shop run, milk and bread.",
        "Went to the corner shop, they were out of milk.",
        "Quick trip to the corner shop for milk and eggs.",
        "Corner shop for milk again.",
        "Ran to the corner shop, milk and a paper.",
        "Corner shop: milk, butter, biscuits.",
        "Got milk from the corner shop on the way back.",
        "Corner shop for milk, chatted to the owner.",
        "Another corner shop trip for milk.",
    ]
    monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=18)
    weekdays = [0, 1, 2, 3, 4, 5, 0, 2, 6, 3]  # two at the weekend, no day holds most
    assistant.memories.add_many(
        [
            Draft(text, type="episodic", created_at=monday - timedelta(weeks=10 - n, days=-day))
            for n, (text, day) in enumerate(zip(texts, weekdays, strict=True))
        ]
    )
    assert patterns.find_patterns(view(assistant), set(), assistant.memories.embedder) == []


@pytest.mark.parametrize(
    "text",
    [
        "The spare car key is in the blue jar in the pantry.",
        "If the fuse box trips, flip the red switch back up.",
        "Our home insurance papers are in the top drawer of the desk.",
    ],
)
def test_essentials_of_low_importance_are_never_archived_by_decay(
    assistant: Assistant, text: str
) -> None:
    memories = assistant.memories
    essential, stale = memories.add_many(
        [
            Draft(text, importance=4, created_at=NOW - timedelta(900)),
            Draft("Watched a film about trains.", importance=3, created_at=NOW - timedelta(900)),
        ]
    )
    half_lives = assistant.settings.consolidation.half_lives()
    faded = decay.find_faded(view(assistant), half_lives, 1.5, 60, embedder=memories.embedder)
    going = {f.memory.id: f for f in faded}
    assert going[stale.id].archive
    assert not going[essential.id].archive and going[essential.id].kept == "essential"


def test_habits_and_merges_in_one_run_keep_every_episode(assistant: Assistant) -> None:
    ids = [
        m.id
        for m in assistant.memories.add_many(
            _weeks(["Pancakes for breakfast with the twins."] * 4, weekday=6)
        )
    ]
    report = Consolidator(assistant, clock=NOW.timestamp).run()
    assert report.status == "done", report.errors
    assert all(assistant.memories.get(i).status is Status.ACTIVE for i in ids)
    habits = [m for m in assistant.memories.list() if m.type is MemoryType.PROCEDURAL]
    assert len(habits) == 1 and habits[0].metadata.get("pattern")


def test_a_role_the_user_has_one_of_named_again_is_asked_about(assistant: Assistant) -> None:
    """ "My boss at the depot is Mr Okafor" / "My boss is Linda Hart": a new boss, or two?
    Asked, never applied; the same person in other words and someone else's dentist are no
    conflict."""
    found = conflicts_among(
        assistant,
        [
            ("My boss at the depot is Mr Okafor.", 90),
            ("My boss is Linda Hart.", 3),
            ("My dentist is Dr. Moreau.", 80),
            ("My dentist is Moreau, the one on Quay Street.", 4),
            ("My sister's dentist is Dr. Patel.", 2),
        ],
    )
    assert found == [("My boss at the depot is Mr Okafor.", "My boss is Linda Hart.")]
    boss = contradictions.find_conflicts(view(assistant))
    assert [c.clear for c in boss] == [False]


def test_a_favourite_of_one_kind_named_again_is_asked_about(assistant: Assistant) -> None:
    """ "My favourite colour is blue" / "My favorite color is green": a new favourite? Asked,
    never applied; the same favourite in other words, and a favourite of another kind, are
    no conflict."""
    found = conflicts_among(
        assistant,
        [
            ("My favourite colour is blue.", 90),
            ("My favorite color is green.", 3),
            ("My favourite band is Radiohead.", 80),
            ("Radiohead is my all-time favourite band.", 4),
            ("My favourite film is Paddington 2.", 2),
        ],
    )
    assert found == [("My favourite colour is blue.", "My favorite color is green.")]
    assert [c.clear for c in contradictions.find_conflicts(view(assistant))] == [False]
