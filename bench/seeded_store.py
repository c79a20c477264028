"""A seeded store with known structure, for measuring consolidation: duplicate clusters
(restatements of one fact), look-alike pairs that must never merge, contradiction pairs, old
episodes, and unrelated filler."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from common import synthetic_texts

from assistant.memories import Draft

NOW = datetime.now(UTC).replace(microsecond=0)

LIKES = [
    "hiking in the mountains",
    "baking sourdough bread",
    "playing the cello",
    "watching old westerns",
    "reading science fiction",
    "swimming in cold lakes",
    "growing tomatoes on the balcony",
    "long train journeys",
    "jazz piano records",
    "spicy Thai curries",
    "early morning runs",
    "board games with friends",
    "black coffee",
    "crossword puzzles",
    "rainy Sunday afternoons",
    "cycling to work",
    "Japanese woodblock prints",
    "strong Earl Grey tea",
    "camping by the sea",
    "learning new languages",
]
SHAPES = ["I love {x}.", "I really love {x}.", "I love {x} so much.", "Honestly, I love {x}."]
FACTS = [
    ("My sister Anna is a nurse in Lyon.", "My sister Anna works as a nurse in Lyon."),
    ("My brother Tom plays the drums.", "My brother Tom plays drums."),
    ("My manager Ines prefers email to calls.", "My manager Ines prefers emails over calls."),
    ("My cat Miso hates the vacuum cleaner.", "My cat Miso really hates the vacuum cleaner."),
    ("My friend Omar lives near the harbour.", "My friend Omar lives close to the harbour."),
    ("My doctor is Dr Weber.", "My doctor is called Dr Weber."),
    ("My car is a blue Volvo.", "My car is a blue Volvo estate."),  # a refinement: never merged
    ("My neighbour Greta has two dogs.", "My neighbour Greta has got two dogs."),
    ("My son Leo is learning to swim.", "My son Leo is learning how to swim."),
    ("My aunt Maya bakes great bread.", "My aunt Maya bakes really great bread."),
]
LOOK_ALIKES = [
    ("I'm allergic to peanuts.", "I'm allergic to peanuts and cashews."),
    ("I have a meeting with Anna on Monday.", "I have a meeting with Ben on Monday."),
    ("My brother Tom lives in Oslo.", "My brother Ben lives in Oslo."),
    ("I like green tea.", "I like green tea with honey."),
    ("The gym opens at 6am.", "The gym opens at 7am on weekends."),
    ("I drink two coffees a day.", "I drink three coffees a day."),
    ("My flat is on the 3rd floor.", "My office is on the 3rd floor."),
    ("I run 5 km on Tuesdays.", "I run 10 km on Sundays."),
    ("Leo's school starts at 8.", "Mia's school starts at 8."),
    ("I want to visit Japan.", "I want to visit Japan and Korea."),
    ("I read before bed.", "I read the news before bed."),
    ("My passport expires in 2027.", "My driving licence expires in 2027."),
]
CONTRADICTIONS = [
    (Draft("I live in Paris.", metadata={"fact": "home"}), Draft("I live in Berlin.")),
    (Draft("I work at Acme."), Draft("I work at Globex.")),
    (Draft("My name is Sam."), Draft("My name is Samuel.")),
    (Draft("I love coffee."), Draft("I don't drink coffee anymore.")),
    (Draft("I smoke a few cigarettes a day."), Draft("I quit smoking.")),
    (Draft("My dentist appointment is on March 3."), Draft("My dentist appointment is on May 3.")),
    (
        Draft("My sister's name is Anna.", type="identity"),
        Draft("My sister's name is Hanna.", type="identity"),
    ),
    (Draft("I love running."), Draft("I hate running.")),
    (Draft("The team offsite is in Lisbon."), Draft("The team offsite is in Porto.")),
    (Draft("My birthday is June 4."), Draft("My birthday is June 14.")),
    (Draft("I eat meat."), Draft("I don't eat meat anymore.")),
    (Draft("I am a strict vegetarian."), Draft("My favourite dinner is a rare steak.")),
    (Draft("I'm afraid of flying."), Draft("I'm no longer afraid of flying.")),
    (Draft("My timezone is CET."), Draft("My timezone is PST.")),
    (Draft("I play tennis every week."), Draft("I stopped playing tennis.")),
]
EPISODE_THINGS = [
    "Lunch with the team at the noodle bar",
    "A long call with Mum",
    "Fixed the bike's back brake",
    "Watched a documentary about octopuses",
    "Walked along the river after work",
    "Tried a new bakery on Rue Vieille",
    "Cleaned out the garage",
    "Coffee with Omar at the harbour",
]


@dataclass
class Seeded:
    """The drafts and what consolidation should find (by index into ``drafts``)."""

    drafts: list[Draft] = field(default_factory=list)
    clusters: list[list[int]] = field(default_factory=list)
    look_alikes: list[tuple[int, int]] = field(default_factory=list)
    contradictions: list[tuple[int, int]] = field(default_factory=list)
    """``(older, newer)``."""
    episodes: list[int] = field(default_factory=list)

    def add(self, draft: Draft) -> int:
        self.drafts.append(draft)
        return len(self.drafts) - 1


def build(seed: int = 5, filler: int = 150) -> Seeded:
    """The seeded store: 30 duplicate clusters, 12 look-alike pairs, 15 contradiction pairs,
    80 old episodes and ``filler`` unrelated memories."""
    rng = random.Random(seed)
    out = Seeded()

    def at(days: float) -> datetime:
        return NOW - timedelta(days=days, minutes=rng.randint(0, 600))

    for thing in LIKES:
        size = rng.randint(2, 4)
        out.clusters.append(
            [
                out.add(
                    Draft(
                        shape.format(x=thing),
                        created_at=at(rng.uniform(1, 80)),
                        source="conversation",
                    )
                )
                for shape in rng.sample(SHAPES, size)
            ]
        )
    for a, b in FACTS:
        pair = [out.add(Draft(a, created_at=at(40))), out.add(Draft(b, created_at=at(10)))]
        if "estate" in b:
            out.look_alikes.append((pair[0], pair[1]))
        else:
            out.clusters.append(pair)
    for a, b in LOOK_ALIKES:
        out.look_alikes.append(
            (out.add(Draft(a, created_at=at(30))), out.add(Draft(b, created_at=at(5))))
        )
    for older, newer in CONTRADICTIONS:
        out.contradictions.append(
            (out.add(replace(older, created_at=at(90))), out.add(replace(newer, created_at=at(3))))
        )
    for n in range(80):
        days = rng.uniform(35, 120)
        out.episodes.append(
            out.add(
                Draft(
                    f"{rng.choice(EPISODE_THINGS)} ({n}).",
                    type="episodic",
                    importance=rng.uniform(3, 6),
                    created_at=at(days),
                )
            )
        )
    for text in synthetic_texts(filler, seed=seed + 100):
        out.add(Draft(text, created_at=at(rng.uniform(1, 30))))
    return out
