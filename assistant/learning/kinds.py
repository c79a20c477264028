"""What a memory's words say it is about, by kind: pets, kids, medication, a partner, where
the user lives, where they work ("two rescue guinea pigs", "my son leo is 4", "I take metformin
500mg twice a day", "Ellie and I broke up", "started at aldi monday"). Chat reads them to answer
a question that names only the kind ("do i have pets?"), the profile to place a fact under its
heading.

Usage::

    kinds_said("my son leo is 4")  # ["kids"]
"""

from __future__ import annotations

import re

SAID: dict[str, re.Pattern[str]] = {
    "pets": re.compile(
        r"\b(?:dogs?|pupp(?:y|ies)|cats?|kittens?|guinea\s+pigs?|hamsters?|rabbits?|bunn(?:y|ies)|"
        r"fish|goldfish|parrots?|budgies?|tortoises?|turtles?|snakes?|lizards?|geckos?|"
        r"horses?|pon(?:y|ies)|ferrets?|chinchillas?|rats?|mice|gerbils?|hedgehogs?|"
        r"chickens?|hens?|ducks?|goats?|bearded\s+dragons?|axolotls?|pets?|spaniels?|labs?|"
        r"labradors?|retrievers?|terriers?|collies?|poodles?|cockapoos?|beagles?|greyhounds?|"
        r"whippets?|lurchers?|dachshunds?|sausage\s+dogs?|pugs?|huskies|husky|bulldogs?|"
        r"chihuahuas?|schnauzers?|boxers?|alsatians?|vets?)\b",
        re.IGNORECASE,
    ),
    "kids": re.compile(
        r"\b(?:my|our)\s+(?:\w+\s+)?(?:sons?|daughters?|kids?|children|twins|baby|boys?|"
        r"girls?|little\s+ones?|step(?:son|daughter)s?)\b"
        r"|\b(?:have|got|'ve|has)\s+(?:\w+\s+){0,3}?(?:kids|children|sons?|daughters?|twins)\b",
        re.IGNORECASE,
    ),
    "medication": re.compile(
        r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ug|iu|ml|puffs?)\b|\b(?:meds|medications?|"
        r"medicines?|prescri\w+|inhalers?|insulin|tablets?|pills?|antibiotics?|"
        r"antidepressants?|statins?|epipens?|jabs?|injections?)\b|\b(?:take|takes|taking|on)\s+"
        r"(?:\w+\s+)?[a-z]+(?:pril|sartan|statin|olol|azole|oxetine|aline|amine|cillin|mycin|"
        r"cycline|triptan|azepam|zolam|parin|formin|thyroxine|gliptin|afil|tidine|profen|"
        r"cetamol|aspirin)\b",
        re.IGNORECASE,
    ),
    "partner": re.compile(
        r"\b(?:girl\s?friend|boy\s?friend|gf|bf|partner|wife|husband|hubby|spouse|"
        r"fianc[eé]e?|married|engaged|wedding|dating|seeing\s+(?:some|any)one|broke\s+up|"
        r"split\s+up|divorced?|separated|single|anniversary|together\s+(?:for\s+)?"
        r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:years?|months?))\b",
        re.IGNORECASE,
    ),
    "home": re.compile(
        r"\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|recently\s+|now\s+|finally\s+)?(?:live|living|"
        r"moved|relocated|am based|'?m based|settled)\b|\b(?:my|our)\s+(?:home|address|flat|"
        r"house|apartment)\s+(?:is|in)\b",
        re.IGNORECASE,
    ),
    "work": re.compile(
        r"\b(?:work|working|worked)\s+(?:at|for|as|in)\b|\bnew\s+job\b|\bmy\s+(?:job|employer|boss)\b"
        r"|^\W*(?:i(?:'ve| have)?\s+)?(?:just\s+)?(?:joined|started\s+at)\b"
        r"|\bstart(?:ing|ed|s)?\s+(?:a\s+new\s+(?:job|role|position)|(?:at|with)\s+(?!\d))",
        re.IGNORECASE,
    ),
}
"""Each kind, and the words that say a memory is about it."""


def kinds_said(text: str) -> list[str]:
    """The kinds ``text`` says it is about, in the order of :data:`SAID`."""
    return [kind for kind, said in SAID.items() if said.search(text)]
