"""What differs between two memory texts: numbers, dates, how often, names (in any case),
people, one word swapped for another, tense, polarity and a state that ended.

The pair judge (:mod:`assistant.consolidation.judge_pairs`) reads these as features, and any
hard difference (:func:`veto`) forbids a merge whatever it says: "dentist on march 3" and
"dentist on may 3", "my sister ana" and "my sister anna" are look-alikes, never one fact.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.consolidation.forms import MONTHS, digit_dates, initialised, settled, worded
from assistant.learning.sameness import content_words, negated

VERSION = 7
"""Raised whenever what these rules read changes, so that verdicts kept under older rules
(:mod:`assistant.consolidation.judge_pairs` keeps them) are judged again."""
WORD = re.compile(r"[\w'’-]+")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASONS = (
    "spring",
    "summer",
    "autumn",
    "winter",
    "morning",
    "afternoon",
    "evening",
    "tonight",
    "today",
    "tomorrow",
    "yesterday",
    "weekend",
    "noon",
    "midnight",
    "lunchtime",
)
_COLOURS = {
    "red",
    "orange",
    "yellow",
    "green",
    "blue",
    "purple",
    "pink",
    "black",
    "white",
    "grey",
    "gray",
    "brown",
    "silver",
    "gold",
    "beige",
    "navy",
}
_CAPITAL_ONLY = {"may", "march"}
"""Months that are also common words: a month only when capitalised."""
_SHORT = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "tues": "tuesday",
    "weds": "wednesday",
    "thurs": "thursday",
    "fri": "friday",
}
"""Short forms of months and days ("oct 2nd", "every weds")."""
_SHORT_BY_A_NUMBER = {"jan", "mar", "jun", "dec", "sep"}
"""Short forms that are also words or names: a date only next to a number ("jan 5")."""
_NUMBERS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
    "dozen": "12",
    "half": "0.5",
    "once": "1x",
    "twice": "2x",
    "third": "3",
}
_RELATIONS = {
    "mum": "mother",
    "mom": "mother",
    "mother": "mother",
    "mam": "mother",
    "mummy": "mother",
    "dad": "father",
    "father": "father",
    "papa": "father",
    "daddy": "father",
    "wife": "wife",
    "husband": "husband",
    "partner": "partner",
    "boyfriend": "partner",
    "girlfriend": "partner",
    "fiance": "partner",
    "fiancé": "partner",
    "fiancee": "partner",
    "son": "son",
    "daughter": "daughter",
    "kid": "child",
    "kids": "child",
    "child": "child",
    "children": "child",
    "baby": "child",
    "brother": "brother",
    "sister": "sister",
    "sibling": "sibling",
    "aunt": "aunt",
    "auntie": "aunt",
    "uncle": "uncle",
    "cousin": "cousin",
    "niece": "niece",
    "nephew": "nephew",
    "grandma": "grandmother",
    "grandmother": "grandmother",
    "nan": "grandmother",
    "granny": "grandmother",
    "grandpa": "grandfather",
    "grandfather": "grandfather",
    "grandad": "grandfather",
    "friend": "friend",
    "boss": "boss",
    "manager": "boss",
    "colleague": "colleague",
    "coworker": "colleague",
    "neighbour": "neighbour",
    "neighbor": "neighbour",
    "roommate": "flatmate",
    "flatmate": "flatmate",
    "housemate": "flatmate",
    "twins": "child",
    "stepson": "son",
    "stepdaughter": "daughter",
    "sis": "sister",
    "bro": "brother",
    "hubby": "husband",
    "wifey": "wife",
    "bf": "partner",
    "gf": "partner",
    "mama": "mother",
    "mommy": "mother",
    "bestie": "friend",
    "bff": "friend",
}
USER = "user"
"""How a note in the third person names the user ("User is an agronomist"): the user, no
name."""
_STARTERS = {
    USER,
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "my",
    "me",
    "we",
    "we're",
    "we've",
    "our",
    "the",
    "a",
    "an",
    "he",
    "she",
    "they",
    "it",
    "it's",
    "this",
    "that",
    "these",
    "there",
    "his",
    "her",
    "their",
    "your",
    "you",
    "usually",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "on",
    "in",
    "at",
    "every",
    "honestly",
    "also",
    "then",
    "after",
    "before",
    "when",
    "if",
    "so",
    "and",
    "but",
    "or",
    "no",
    "not",
    "yes",
    "just",
    "still",
    "now",
    "always",
    "never",
    "ugh",
    "oh",
    "well",
    "update",
    "btw",
    "actually",
    "some",
    "most",
    "all",
    "one",
    "what",
    "who",
    "spiders",
    "dr",
    "mr",
    "mrs",
    "ms",
    "went",
    "had",
    "got",
    "visiting",
    "going",
}
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going to|gonna|next|tomorrow|soon|upcoming|planning|plan to|"
    r"this (?:week|weekend|month|year|summer|winter|spring|autumn|fall|evening|"
    + "|".join(_DAYS + MONTHS)
    + r"))\b|\w'll\b|\b(?:am|is|are|'re|'m|'s|’re|’m|’s)\s+(?:\w+ing)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|bought|met|ran|made|took|saw|left|grew|wrote|flew|gave|"
    r"last|ago|yesterday|used to)\b",
    re.IGNORECASE,
)
_BORN = re.compile(r"\b(?:was|were)\s+born\b", re.IGNORECASE)
_ED = re.compile(r"\b(\w+)\s+(\w+ed)\b", re.IGNORECASE)
_NOT_PAST_BEFORE = {
    "am",
    "is",
    "are",
    "'m",
    "'s",
    "'re",
    "be",
    "been",
    "get",
    "got",
    "feel",
    "i'm",
    "i’m",
    "he's",
    "she's",
    "we're",
    "they're",
    "it's",
    "so",
    "very",
}
_ADJECTIVE_ED = {
    "married",
    "tired",
    "interested",
    "obsessed",
    "based",
    "called",
    "retired",
    "scared",
    "bored",
    "excited",
    "located",
    "named",
    "used",
    "allergic",
    "terrified",
    "worried",
    "related",
    "qualified",
    "need",
    "seed",
}
_DISLIKE = re.compile(
    r"\b(?:hate|hates|hated|dislike|dislikes|can['’]?t stand|cannot stand|can['’]?t bear|"
    r"cannot bear|loathe|loathes|despise|despises|awful|terrible|disgusting|gross|detest|"
    r"unbearable|horrible|revolting|nasty|the worst|drives? (?:me|him|her|them) "
    r"(?:mad|crazy|nuts|up the wall)|least favourite|nightmare|hopeless|useless|bad at|"
    r"bad with|rubbish at|can['’]?t bear)\b",
    re.IGNORECASE,
)
_AGAINST = re.compile(
    r"\b(?:(?:refuses?|refused)(?! anything (?:but|except|other than))|avoids?|avoided|"
    r"avoiding|won['’]?t touch|zero tolerance|"
    r"too much for me|not for me|not a fan|stress(?:es)? (?:me|him|her|them) out|"
    r"destroys (?:me|him|her|them)|can['’]?t handle|cannot handle|can['’]?t do|"
    r"afraid|scared|terrif(?:y|ies|ied)|fear|phobia|frighten\w*|freaks? (?:me|him|her) out|"
    r"no more|no [\w-]+(?: [\w-]+)? for (?:me|him|her|us|them))\b",
    re.IGNORECASE,
)
"""Being against a thing without a negation or a word of dislike ("refuses to eat it",
"no pork for me", "flying terrifies me")."""
CHANGE = re.compile(
    r"\b(?:anymore|any more|no longer|stopped|quit|gave up|now|again|these days|switched)\b",
    re.IGNORECASE,
)


_TITLES = {"dr", "mr", "mrs", "ms", "st", "prof", "mt", "jr", "sr"}


SWITCH = re.compile(
    r"\b(?:anymore|any more|no longer|no more|stopped|quit|quitting|gave up|given up|"
    r"left(?= (?:the|his|her|their|my|our|a|an|for|to|in|at|(?-i:[A-Z])))|"
    r"moved|moving|switched|changed|new|these days|since|cancel(?:l)?ed|called off|"
    r"ditched|dropped|sold|retired|stepped down|took over|taken over|handed in|broke up|"
    r"split up|fell out|went off|back (?:in|to)|instead|replaced|died|passed away|"
    r"was born|arrived|again|not .{0,20}anymore)\b",
    re.IGNORECASE,
)
"""Words that report a change of state ("left the company", "moved to Bend", "no more…")."""


ENDED = re.compile(
    r"\b(?:no longer|anymore|any more|no more|stopped|quit|gave up|given up|cut out|"
    r"left(?= (?:the|his|her|their|my|our|a|an|for|to|in|at|(?-i:[A-Z])))|"
    r"moved (?:to|out|away|back)|switched|cancel(?:l)?ed|called off|ditched|sold|retired|retd|"
    r"(?<![\w-])ex-(?=\w)|used to|"
    r"stepped down|took over|taken over|handed in|broke up|split up|fell out|died|"
    r"passed away|got rid of|gave (?:\w+ ){0,3}away)\b",
    re.IGNORECASE,
)
"""Words that report a state ended or handed on: such a report is never the same fact as
the state it ends ("coaches the team" / "someone else took over the team"); two that both
report it may be ("retired as a chemistry teacher in 2019" / "ex-chem teacher, retd 2019")."""


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[tuple[str, bool], ...]:
    """Words with whether each opens a sentence (possessive ``'s`` trimmed)."""
    out: list[tuple[str, bool]] = []
    start = True
    for match in re.finditer(r"[\w'’-]+|[.!?]", text):
        word = match.group(0)
        if word in ".!?":
            start = start or not (out and out[-1][0].lower() in _TITLES)  # "Mr. Ruiz"
            continue
        out.append((re.sub(r"['’]s?$", "", word), start))
        start = False
    return tuple(out)


_ONCE = re.compile(
    r"\b(?:once|one time)\s+(?:a|an|per|each|every)\s+"
    r"(?=(?:day|night|week|fortnight|month|year)\b)",
    re.IGNORECASE,
)
"""A "once" before a period: "once a month" says what "monthly" says, with no number."""
_PERIODS = (
    ("d", r"daily|nightly|(?:every|each|per|a) (?:day|night)"),
    (
        "2wk",
        r"fortnightly|biweekly|(?:every|each|per|a) fortnight"
        r"|every (?:other|second|two) weeks?",
    ),
    ("wk", r"weekly|(?:every|each|per|a) week"),
    ("mo", r"monthly|(?:every|each|per|a) month"),
    ("y", r"yearly|annually|(?:every|each|per|a) year"),
)
_PERIOD = re.compile(
    "|".join(f"(?P<p{n}>\\b(?:{words})\\b)" for n, (_, words) in enumerate(_PERIODS)),
    re.IGNORECASE,
)
_NOT_A_PERIOD = re.compile(r"^\s*(?:ago|old|or|off|later|earlier|before|after|in advance)\b", re.I)


@lru_cache(maxsize=65536)
def periods(text: str) -> frozenset[str]:
    """How often a text says something happens: ``d``, ``wk``, ``2wk``, ``mo`` or ``y``
    ("weekly", "once a month", "3 days a week", "every other week"); not "a week ago"."""
    found = set()
    for match in _PERIOD.finditer(text):
        if match.group(0).lower().startswith("a ") and _NOT_A_PERIOD.match(text[match.end() :]):
            continue
        found.add(_PERIODS[int(str(match.lastgroup)[1:])][0])
    return frozenset(found)


_DECIMAL_COMMA = re.compile(r"(?<![\d,.])(\d+),(\d{1,2})(?![\d,])")
"""A decimal comma ("7,8 kilo" is 7.8)."""
_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")
"""A number grouped by thousands ("1,500" is 1500)."""
_LABELLED_ONE = re.compile(
    r"\b(?:type|stage|grade|level|size|class|tier|phase|step|number|year|gen)[\s-]+one\b", re.I
)
""""One" after a word that labels a number ("Type One diabetic" is type 1); alone, "one" is
rarely a value ("no one", "one day")."""
_ON_THE_HOUR = re.compile(r"(?<![\d:])(\d{1,2}):00(?![\d:])")
"""A time on the hour ("10:00" says what "10am" says: 10)."""


def _letter_at(text: str, place: int) -> bool:
    return 0 <= place < len(text) and text[place].isalpha()


@lru_cache(maxsize=65536)
def numbers(text: str, in_words: bool = True) -> frozenset[str]:
    """Numbers in digits or words ("two", "2", "2nd" all read ``2``; "once a month" none,
    as "monthly"; "7,8 kg" reads ``7.8``, "+2.0" ``2``, "1,500" ``1500``, "10:00" ``10``
    and "Type One" ``1``); a digit inside a word ("T2DM", "HbA1c") only ``in_words``."""
    text = _ONCE.sub("", text)
    rest, written = digit_dates(text)  # "21/06/2014": the day and the year, the month a date
    rest = _ON_THE_HOUR.sub(r"\1", rest)
    rest = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), rest)
    rest = _DECIMAL_COMMA.sub(r"\1.\2", rest)
    found = {
        _plain(m.group(0))
        for m in re.finditer(r"\d+(?:\.\d+)?", rest)
        if in_words or not (_letter_at(rest, m.start() - 1) and _letter_at(rest, m.end()))
    }
    if _LABELLED_ONE.search(text):
        found.add("1")
    found |= {part for day, _, year in written for part in (day, year) if part}
    for word in re.findall(r"[a-z]+", text.lower()):  # "half-marathon" names "half"
        if word in _NUMBERS:
            found.add(_NUMBERS[word])
    return frozenset(found)


def _plain(number: str) -> str:
    """A number as its value is written: no leading zeros, no zeros after the point ("+2.0"
    and "+2" are one strength, "07" is 7)."""
    whole, _, fraction = number.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


_UNITS = {
    "pound": "lb",
    "lb": "lb",
    "lbs": "lb",
    "kilo": "kg",
    "kg": "kg",
    "kilogram": "kg",
    "gram": "g",
    "g": "g",
    "stone": "st",
    "inch": "in",
    "inche": "in",
    "cm": "cm",
    "centimetre": "cm",
    "centimeter": "cm",
    "foot": "ft",
    "feet": "ft",
    "ft": "ft",
    "metre": "m",
    "meter": "m",
    "m": "m",
    "mile": "mi",
    "km": "km",
    "kilometre": "km",
    "kilometer": "km",
    "minute": "min",
    "min": "min",
    "hour": "h",
    "hr": "h",
    "day": "d",
    "week": "wk",
    "month": "mo",
    "year": "y",
    "yr": "y",
    "litre": "l",
    "liter": "l",
    "gallon": "gal",
    "degree": "deg",
    "calorie": "kcal",
    "step": "step",
    "percent": "%",
    "mg": "mg",
    "mcg": "mcg",
    "ml": "ml",
}
"""Units of measure (a plural ``s`` trimmed): "44 pounds" and "44 inches" measure two things."""


@lru_cache(maxsize=65536)
def units(text: str) -> frozenset[str]:
    """The units a text measures in, read after a number ("44 pounds" reads ``lb``)."""
    found = set()
    words = [w.lower().rstrip(".") for w in re.findall(r"\d+\.\d+|[\w.]+|%", text)]
    for before, word in zip(words, words[1:], strict=False):
        if re.fullmatch(r"\d+(?:\.\d+)?", before) or before in _NUMBERS:
            key = word[:-1] if len(word) > 3 and word.endswith("s") else word
            if key in _UNITS:
                found.add(_UNITS[key])
    return frozenset(found)


@lru_cache(maxsize=65536)
def dates(text: str) -> frozenset[str]:
    """Weekdays and months named ("Saturdays" reads ``saturday``; "may" and "march" are months
    when capitalised or next to a number: "on may 3"), and a week or month told from now
    ("next week")."""
    found = {month for _, month, _ in digit_dates(text)[1]}
    tokens = _tokens(text)
    for place, (word, _) in enumerate(tokens):
        low = word.lower().rstrip(".")
        by_a_number = any(
            re.match(r"\d", tokens[n][0]) for n in (place - 1, place + 1) if 0 <= n < len(tokens)
        )
        if low in _SHORT and (low not in _SHORT_BY_A_NUMBER or by_a_number):
            low = word = _SHORT[low]
        day = low if low in _DAYS else low.rstrip("s")
        if day in _DAYS:
            found.add(day)
        elif (
            low in _SEASONS
            or (low in MONTHS and (low not in _CAPITAL_ONLY or word[0].isupper()))
            or (low in _CAPITAL_ONLY and by_a_number)
        ):
            found.add(low)
    found |= {f"{m.group(1)} {m.group(2)}".lower() for m in _RELATIVE_WEEK.finditer(text)}
    return frozenset(found)


_RELATIVE_WEEK = re.compile(r"\b(this|next|last)\s+(week|weekend|month)\b", re.IGNORECASE)
"""A week or a month told from now: "works nights this week" and "works days next week" are
two weeks."""


@lru_cache(maxsize=65536)
def relations(text: str) -> frozenset[str]:
    """The people relations a text speaks of ("my mum" and "my mother" read ``mother``; not
    "mother tongue")."""
    words = [w.lower() for w, _ in _tokens(text)]
    return frozenset(
        _RELATIONS[w]
        for w, after in zip(words, [*words[1:], ""], strict=True)
        if w in _RELATIONS and after not in _NOT_KIN
    )


_NOT_KIN = frozenset({"tongue", "nature", "ship", "board", "land", "country", "figure"})
"""Words after which a relation's word names no one ("mother tongue", "motherboard")."""


_ABBREVIATIONS = frozenset(
    [
        "tv",
        "pc",
        "ok",
        "diy",
        "bbq",
        "gp",
        "bp",
        "icu",
        "er",
        "id",
        "am",
        "pm",
        "lol",
        "omg",
        "btw",
        "asap",
        "fyi",
        "aka",
        "etc",
        "ps",
        "rn",
        "tbh",
    ]
)
"""Capitalised short forms of common things, never someone's or somewhere's name."""


@lru_cache(maxsize=65536)
def names(text: str, other: str = "") -> frozenset[str]:
    """Proper names: capitalised words after a sentence's first word, and a first word that
    ``other`` capitalises after its first ("Radiohead is…" / "…band is Radiohead")."""
    elsewhere = {w.lower() for w, opens in _tokens(other) if not opens and w[:1].isupper()}
    out = set()
    for word, opens in _tokens(text):
        low = word.lower()
        if not word[0].isupper() or low in _RELATIONS or low in _NUMBERS:
            continue
        if len(word) > 3 and word.isupper():
            continue  # emphasis ("will ONLY eat"), not a name
        if low in _ABBREVIATIONS:
            continue  # "on TV", "my GP": a thing, not a name
        if low.rstrip("s") in _DAYS or low in MONTHS or low in _SEASONS:
            continue
        if _SHORT.get(low.rstrip(".")) in dates(text):
            continue  # "the 3rd of Nov", "every Thurs": a date
        if low in {"i", "i'm", "i've", "i'd", "i'll", "dr", "mr", "mrs", "ms", USER}:
            continue
        if not opens or low in elsewhere:
            out.add(low)
    return frozenset(out)


def _subjects_differ(a: str, b: str) -> bool:
    """Both open with a name-like word, different and absent from the other ("Tom plays…" /
    "Ben plays…")."""
    first_a, first_b = opening(a), opening(b)
    words_a = {w.lower() for w, _ in _tokens(a)}
    words_b = {w.lower() for w, _ in _tokens(b)}
    if bool(first_a) != bool(first_b) and _names_a_subject(a if first_a else b):
        # "I got a raise" / "Marcus got a raise"
        named, other, words = (first_a, b, words_b) if first_a else (first_b, a, words_a)
        return _about_user(other) and named not in words
    if not first_a or not first_b or first_a == first_b:
        return False
    return first_a not in words_b and first_b not in words_a


_SUBJECT_VERB = {"is", "was", "has", "had", "got", "gets", "and", "will", "can", "does", "did"}


def _names_a_subject(text: str) -> bool:
    """Whether the word a text opens with reads as a name doing something ("Marcus got…",
    "Dana teaches…"), not a common word ("Planes make me…", "Getting up…", "Anything…")."""
    tokens = _tokens(text)
    first = tokens[0][0].lower()
    if len(tokens) < 2 or first.endswith(("ing", "thing", "one", "body")) or first == "been":
        return False
    verb = tokens[1][0].lower()
    return verb in _SUBJECT_VERB or (verb.endswith(("s", "ed")) and not verb.endswith("ss"))


def _about_user(text: str) -> bool:
    """Whether a sentence opens with the user as its subject ("I…", "I'm…", "We…", "User…")."""
    tokens = _tokens(text)
    return bool(tokens) and tokens[0][0].lower() in {
        USER,
        "i",
        "i'm",
        "i've",
        "i'd",
        "we",
        "we're",
        "we've",
        "im",
        "ive",
    }


def opening(text: str) -> str:
    """The name-like word a text opens with ("Tom plays…" reads ``tom``), else ``""``."""
    tokens = _tokens(text)
    if not tokens or not tokens[0][0][:1].isupper():
        return ""
    low = tokens[0][0].lower()
    if low in _STARTERS or low in _RELATIONS or low in _NUMBERS or low.rstrip("s") in _DAYS:
        return ""
    return low


@lru_cache(maxsize=65536)
def _colours(text: str) -> frozenset[str]:
    """The colours a text gives: words, and hyphened words that end in a colour
    ("navy-blue"), not those that only open with one ("white-knuckle", "blue-collar")."""
    out: set[str] = set()
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()):
        parts = word.split("-")
        if parts[-1] in _COLOURS:
            out.update(p for p in parts if p in _COLOURS)
    return frozenset(out)


_SAME = {
    "movie": "film",
    "favorite": "favourite",
    "fave": "favourite",
    "fav": "favourite",
    "bday": "birthday",
    "b-day": "birthday",
    "adore": "love",
    "loathe": "hate",
    "detest": "hate",
    "near": "close",
    "nearby": "close",
    "color": "colour",
    "kid": "child",
    "children": "child",
    "automobile": "car",
    "job": "work",
    "office": "work",
    "pal": "friend",
    "mate": "friend",
    "buddy": "friend",
    "big": "large",
    "huge": "large",
    "small": "little",
    "tiny": "little",
    "begin": "start",
    "commence": "start",
}
"""Words that say the same thing: swapping one for the other is no new detail."""
_SUFFIXES = {
    "",
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "er",
    "ly",
    "ment",
    "y",
    "ic",
    "ies",
    "ion",
    "al",
    "ity",
    "ian",
    "ical",
    "ness",
    "nes",
    "ied",
    "ful",
}


def _word_key(word: str) -> str:
    word = word.rstrip("'’")
    word = _RELATIONS.get(word, word)
    return _SAME.get(word, word)


def _variants(x: str, y: str) -> bool:
    """Two forms of one word ("learn" / "learning", "allergy" / "allergic"), not two names
    ("ana" / "anna", "tom" / "tomas")."""
    stem = 0
    while stem < min(len(x), len(y)) and x[stem] == y[stem]:
        stem += 1
    stem -= x[:stem].endswith("e") and stem > 4
    return stem >= 3 and x[stem:] in _SUFFIXES | {"e"} and y[stem:] in _SUFFIXES | {"e"}


@lru_cache(maxsize=65536)
def swapped(a: str, b: str) -> tuple[str, str] | None:
    """The one word of ``a`` swapped for another in ``b`` when all the rest is the same
    ("sister ana" / "sister anna", "elm street" / "oak street", "priya hates…" / "jo hates…"):
    a look-alike, whatever the case of the words. None when they differ otherwise."""
    wa = {_word_key(w) for w in content_words(a)}
    wb = {_word_key(w) for w in content_words(b)}
    if len(wa) != len(wb) or len(wa) < 2 or len(wa ^ wb) != 2:
        return None
    x, y = next(iter(wa - wb)), next(iter(wb - wa))
    return None if _variants(x, y) else (x, y)


_BEFORE_NAME = {"dr", "mr", "mrs", "ms", "miss", "called", "named", "name", "nicknamed"}
_PLACE = {"at", "in", "to", "from", "near", "into", "outside", "behind"}
_AFTER_NAME = {
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "close",
    "drive",
    "park",
    "square",
    "gardens",
    "crescent",
    "terrace",
}


def _slots(word: str, text: str) -> list[tuple[str, str, str, int]]:
    """``(before, after, before that, place)`` around each place ``word`` stands in ``text``."""
    words = [w.lower() for w, _ in _tokens(text)]
    out = []
    for place, token in enumerate(words):
        if _word_key(token.removesuffix("s") if len(token) > 3 else token) == word:
            before = words[place - 1] if place else ""
            earlier = words[place - 2] if place > 1 else ""
            after = words[place + 1] if place + 1 < len(words) else ""
            out.append((before, after, earlier, place))
    return out


def _in_name_slot(word: str, text: str, subject: bool = True) -> bool:
    """Whether ``word`` stands where a name or a place stands: the sentence's subject (unless
    not ``subject``), after a relation or title ("sister ana", "dr okafor"), before a street
    word ("elm road"), after a preposition of place ("at the station")."""
    for before, after, earlier, place in _slots(word, text):
        opens = subject and place == 0 and word not in _STARTERS and after not in _DETERMINERS
        if opens or before in _RELATIONS:  # "drives a subaru" opens with a verb, not a name
            return True
        if before in _BEFORE_NAME or after in _AFTER_NAME:
            return True
        if before in _PLACE or (before in ("the", "a", "an", "my", "our") and earlier in _PLACE):
            return True
    return False


def name_swapped(a: str, b: str) -> bool:
    """One word swapped for a name-like other: spelt alike ("ana" / "anna", "sami" / "sam")
    or standing where names stand ("priya hates…" / "jo hates…", "elm road" / "oak road")."""
    pair = swapped(a, b)
    if pair is None:
        return False
    x, y = pair
    if min(len(x), len(y)) >= 3 and SequenceMatcher(None, x, y).ratio() >= 0.6:
        return True
    return _in_name_slot(x, a) and _in_name_slot(y, b)


_DETERMINERS = {"my", "our", "the", "his", "her", "their", "your", "a", "an", "this", "that"}


def thing_swapped(a: str, b: str) -> bool:
    """The same sentence about another thing: a few words after "my", "the"… swapped for
    others ("My passport expires in 2027" / "My driving licence expires in 2027")."""
    x = [_word_key(w.lower()) for w in WORD.findall(a)]
    y = [_word_key(w.lower()) for w in WORD.findall(b)]
    head = 0
    while head < min(len(x), len(y)) and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < min(len(x), len(y)) - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    middle_x, middle_y = x[head : len(x) - tail], y[head : len(y) - tail]
    if not middle_x or not middle_y or max(len(middle_x), len(middle_y)) > 3 or tail == 0:
        return False
    return head > 0 and x[head - 1] in _DETERMINERS


_PLAIN = {
    "no",
    "not",
    "never",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "doing",
    "done",
    "making",
    "make",
    "having",
    "going",
    "go",
    "taking",
    "take",
    "getting",
    "usually",
    "always",
    "often",
    "generally",
    "ever",
    "only",
    "will",
    "would",
    "can",
    "could",
    "does",
    "did",
    "do",
    "has",
    "have",
    "had",
    "get",
    "gets",
    "got",
    "one",
    "thing",
    "like",
    "these",
    "those",
    "this",
    "that",
    "their",
    "his",
    "her",
    "he",
    "she",
    "they",
    "them",
    "him",
    "us",
    "you",
    "your",
    "from",
    "for",
    "with",
    "w",
    "about",
    "every",
    "each",
    "all",
    "any",
    "some",
    "new",
    "old",
    "now",
    "here",
}
"""Words that carry no thing of their own: never the two sides of a swap."""


def _things(text: str) -> list[str]:
    """The words of a text that name things, in order (compounds split, plurals trimmed, a
    date in digits read in words)."""
    out = []
    for word in WORD.findall(worded(text).lower().replace("-", " ")):
        word = re.sub(r"['’]s?$", "", word)
        if word in _PLAIN or not content_words(word):
            continue
        out.append(_word_key(word[:-1] if len(word) > 3 and word.endswith("s") else word))
    return out


@lru_cache(maxsize=65536)
def swap_spans(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """The things one text swaps for others in the same sentence ("Rosa started
    kindergarten" / "Rosa started swimming lessons" swap ``kindergarten`` for ``swimming
    lesson``): the replaced spans of two texts that share most of their words, each side
    naming something and the two sharing no word. Empty when the texts are not one sentence
    with a part swapped."""
    x, y = _things(a), _things(b)
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    kept = sum(size for _, _, size in matcher.get_matching_blocks())
    if not kept or kept * 2 < min(len(x), len(y)):
        return ()
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    replaced = [op for op in changes if op[0] == "replace"]
    besides = sum(i2 - i1 + j2 - j1 for op, i1, i2, j1, j2 in changes if op != "replace")
    if len(replaced) != 1 or besides:
        return ()  # reworded, not one part swapped
    _, i1, i2, j1, j2 = replaced[0]
    left, right = x[i1:i2], y[j1:j2]
    if (
        max(len(left), len(right)) > 2
        or set(left) & set(right)
        or any(_variants(u, v) for u in left for v in right)
    ):
        return ()
    return ((" ".join(left), " ".join(right)),)


_NO_TOPIC = {
    "new",
    "now",
    "need",
    "like",
    "got",
    "get",
    "just",
    "since",
    "again",
    "still",
    "thing",
    "time",
    "day",
    "year",
    "week",
    "lot",
    "way",
    "one",
    "people",
    "if",
    "or",
    "up",
    "down",
    "out",
    "not",
    "must",
    "right",
    "away",
    "together",
    "doesn't",
    "don't",
    "can't",
    "won't",
    "isn't",
    "we've",
    "i've",
    "mother",
    "father",
    "child",
    "son",
    "daughter",
    "brother",
    "sister",
    "wife",
    "husband",
    "partner",
    "sibling",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "cousin",
    "niece",
    "nephew",
}
"""Words that name no topic of their own (people by their relation are whom, not what)."""


def shared_topic(a: str, b: str) -> bool:
    """Whether two texts say something about one thing besides whom they are about: a word
    in common (in any form: "drives" / "driver's") other than the person they open with and
    the words that report a change ("Owen and Tess split up" / "visiting Owen" share none;
    "Priya is at Tidewater" / "Priya left Tidewater" share ``tidewater``)."""
    who = set(_things(" ".join([opening(a), opening(b), _first_word(a), _first_word(b)])))
    x = {w for w in _things(a) if w not in who and w not in _NO_TOPIC and not SWITCH.fullmatch(w)}
    y = {w for w in _things(b) if w not in who and w not in _NO_TOPIC and not SWITCH.fullmatch(w)}
    return any(u == v or _variants(u, v) for u in x for v in y)


def _first_word(text: str) -> str:
    tokens = _tokens(text)
    return tokens[0][0].lower() if tokens else ""


def one_swap(a: str, b: str) -> bool:
    """The same words but one, swapped for another ("colour is blue" / "colour is yellow")."""
    return swapped(a, b) is not None


_RUN = re.compile(r"[A-Z][\w'’-]*(?:(?:,\s*|\s+)[A-Z][\w'’-]*)*")


@lru_cache(maxsize=65536)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w, _ in _tokens(text))


def _unmatched(text: str, other: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names of ``text`` that ``other`` does not write in any case: those standing alone,
    and those in a run of capitalised words that ``other`` shares a word of ("Denver,
    Colorado" / "denver", "Roosevelt High School" / "roosevelt hs")."""
    theirs = _lower_words(other) | initialised(text, other)
    named = names(other, text)
    missing = {
        n
        for n in names(text, other)
        if n not in theirs and not any(short_form(n, m) for m in named)
    }
    extended: set[str] = set()
    for run in _RUN.findall(text):
        words = {re.sub(r"['’]s?$", "", w).lower() for w in re.findall(r"[\w'’-]+", run)}
        if words & theirs:
            extended |= missing & words
    return frozenset(missing - extended), frozenset(extended)


def short_form(x: str, y: str) -> bool:
    """Whether one name is a short form of the other, accents aside: it keeps the other's
    first letter and some of its letters in order, four or more, and leaves out two or more
    ("Conce" / "Concepción", "Stgo" / "Santiago", "Valpo" / "Valparaíso"), not "Sara" /
    "Sarah" or "Jon" / "John"."""
    short, long = sorted((_folded(x), _folded(y)), key=len)
    if len(short) < 4 or len(long) - len(short) < 2 or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(letter in rest for letter in short)


def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def names_differ(a: str, b: str) -> bool:
    """Whether a name of one text is missing from the other, in any case ("Wilco" / "wilco"
    are one name; "Kyoto" / "Kyoto and Osaka" differ), or their subjects differ. A name only
    said more precisely on one side is the same ("Denver" / "Denver, Colorado"); on both
    sides it is two ("Ana Silva" / "Ana Costa")."""
    alone_a, extended_a = _unmatched(a, b)
    alone_b, extended_b = _unmatched(b, a)
    if alone_a or alone_b or (extended_a and extended_b):
        return True
    return _subjects_differ(a, b)


@lru_cache(maxsize=65536)
def tense(text: str) -> str:
    """``future`` (plans, "is moving", "next July"), ``past`` ("rented", "last July") or
    ``none``."""
    text = _BORN.sub("born", text)  # "was born in May" is a lasting fact, not an event
    if _FUTURE.search(text):
        return "future"
    if _PAST.search(text):
        return "past"
    for before, word in _ED.findall(text):
        if before.lower() not in _NOT_PAST_BEFORE and word.lower() not in _ADJECTIVE_ED:
            return "past"
    if re.match(r"^\s*(\w+ed)\b", text) and text.split()[0].lower() not in _ADJECTIVE_ED:
        return "past"
    return "none"


_ASIDE = re.compile(
    r"\([^)]*\)|^\s*(?:(?:please\s+)?(?:don['’]?t|do not|never) forget|reminder)\b[\s:,-]*",
    re.IGNORECASE,
)
"""What a statement says beside the fact: a remark in brackets ("… (don't ask)") and a
reminder it opens with ("don't forget mum's birthday")."""


@lru_cache(maxsize=65536)
def polarity(text: str) -> int:
    """-1 for a negated or disliking statement, else 1 (its asides aside: "Gloria is my
    sourdough starter (don't ask)" is no negation)."""
    text = _ASIDE.sub(" ", text)
    return -1 if negated(text) or _DISLIKE.search(text) or _AGAINST.search(text) else 1


PHONE_DIGITS = 6
"""Digits from which a number is one however it is grouped ("07911 402 377" / "07911
402377"), not several."""


def same_long_number(a: str, b: str) -> bool:
    """Whether two texts give one long number grouped in other ways (a phone number, an
    account): the same digits in the same order, at least :data:`PHONE_DIGITS` of them."""
    x, y = ("".join(re.findall(r"\d", t)) for t in (a, b))
    return len(x) >= PHONE_DIGITS and x == y


_OWNERS = {"my", "our", "her", "his", "their", "your"}
_NO_NAME = frozenset(
    [
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "do",
        "did",
        "does",
        "don't",
        "doesn't",
        "didn't",
        "is",
        "isn't",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "has",
        "have",
        "had",
        "go",
        "went",
        "gone",
        "get",
        "got",
        "just",
        "always",
        "never",
        "often",
        "still",
        "also",
        "really",
        "usually",
        "sometimes",
        "now",
        "then",
        "soon",
        "again",
        "too",
        "only",
        "even",
        "already",
        "recently",
        "finally",
        "from",
        "at",
        "in",
        "on",
        "with",
        "for",
        "to",
        "of",
        "by",
        "about",
        "over",
        "after",
        "before",
        "and",
        "or",
        "but",
        "so",
        "who",
        "which",
        "that",
        "when",
        "where",
        "while",
        "because",
        "if",
        "than",
        "as",
        "like",
        "here",
        "there",
        "not",
        "no",
        "yes",
        "very",
        "much",
        "more",
        "most",
        "less",
        "one",
        "two",
        "three",
        "all",
        "both",
        "each",
        "every",
        "some",
        "any",
        "lives",
        "works",
        "loves",
        "likes",
        "hates",
        "wants",
        "needs",
        "says",
        "said",
        "took",
        "made",
        "make",
        "take",
        "come",
        "came",
        "say",
        "tell",
        "told",
        "think",
        "know",
        "new",
        "old",
        "little",
        "big",
    ]
)
"""Words that follow a relation without naming the person ("my son can swim", "my kids go
to school", "my friend from work")."""


def _name_like(word: str, a: str, b: str) -> bool:
    """A word that reads as someone's name: capitalised in either text, or, in texts written
    all in lower case, a word that is no verb form ("lachlan", not "lives" or "moving") or
    the word ``b`` opens with ("ines works as a paramedic")."""
    low = word.lower()
    if low in _RELATIONS or low in _OWNERS or low in _NUMBERS or low in _NO_NAME:
        return False
    if not content_words(low):
        return False
    if any(re.search(rf"\b{re.escape(low.capitalize())}\b", t) for t in (a, b)):
        return True
    lower = a == a.lower() or b == b.lower()
    return lower and (not low.endswith(("s", "ed", "ing")) or low == _first_word(b))


def bound_names(text: str, other: str = "") -> frozenset[str]:
    """The names a text gives its people next to the relation ("my wife Mairi", "husband
    lachlan", "Ngozi (my mum)", "my oldest friend is Kirsty;"), not whose they are ("Noor's
    brother")."""
    return frozenset(name for _, name, _ in bound_people(text, other))


_MINE = {"my", "our"}
_SOMEONES = {"a", "an", "the", "some", "one", "any", "another", "every", "no"}


def relation_of(word: str) -> str | None:
    """The relation a word names ("mum" and "mother": ``mother``), or None."""
    return _RELATIONS.get(word.lower())


def users_own(words: list[str], n: int) -> bool:
    """Whether the relation at ``words[n]`` (lower case) is the user's own: it opens the text
    ("husband lachlan…"), perhaps after a word ("best friend bday"), or follows "my" / "our",
    perhaps with a word between ("my oldest friend"), not someone else's ("Owen's wife", "her
    husband", "my sister's husband", "a friend")."""
    before = words[n - 1] if n else ""
    earlier = words[n - 2] if n > 1 else ""
    owned = before in _OWNERS or before.endswith(("'s", "’s"))
    opening = n == 1 and before not in _SOMEONES  # "best friend bday", not "a friend said"
    return n == 0 or before in _MINE or ((earlier in _MINE or opening) and not owned)


@lru_cache(maxsize=65536)
def bound_people(text: str, other: str = "") -> frozenset[tuple[str, str, bool]]:
    """``(relation, name, mine)`` for each name a text gives next to a relation (as
    :func:`bound_names` finds them), ``mine`` when the relation is the user's own ("my wife
    Mairi", "husband lachlan is a carpenter", "Ngozi (my mum)"), not someone else's ("Owen's
    wife is Bea", "Jo and her husband Tom")."""
    words = list(re.finditer(r"[\w’'-]+", text))
    lower = [w.group(0).lower() for w in words]
    out: set[tuple[str, str, bool]] = set()
    for n, word in enumerate(words):
        relation = _RELATIONS.get(lower[n])
        if relation is None:
            continue
        before = lower[n - 1] if n else ""
        mine = users_own(lower, n)
        if n + 1 < len(words):
            gap = text[word.end() : words[n + 1].start()].strip()
            if gap in ("", ",", "("):
                out.add((relation, words[n + 1].group(0), mine))
        if n + 2 < len(words) and words[n + 1].group(0).lower() == "is":
            rest = text[words[n + 2].end() :].lstrip()
            if not rest or rest[0] in ".;,!":
                out.add((relation, words[n + 2].group(0), mine))
        owner = n - 1 if n and before in _OWNERS else n
        if owner:
            gap = text[words[owner - 1].end() : words[owner].start()].strip()
            if gap in (",", "(", "-"):
                out.add((relation, words[owner - 1].group(0), before in _MINE))
    bare = ((relation, re.sub(r"['’]s$", "", name), mine) for relation, name, mine in out)
    return frozenset(  # "husband joseph's deaf in the left ear": joseph
        (relation, name.lower(), mine)
        for relation, name, mine in bare
        if name and _name_like(name, text, other or text)
    )


def persons_conflict(a: str, b: str) -> bool:
    """Whether the texts speak of other people: other relations on each side ("my brother" /
    "my cousin"), or a relation on one side only unless the other names the person it is
    ("my oldest friend is Kirsty" / "Kirsty and I"), not whose it is ("Noor's brother" /
    "Noor")."""
    x, y = relations(a), relations(b)
    if x == y:
        return False
    if x and y:
        return True
    bound, other = (bound_names(a, b), b) if x else (bound_names(b, a), a)
    return not (bound & _lower_words(other))


_QUANTITY = frozenset(
    [
        "one",
        "first",
        "second",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "couple",
        "few",
        "several",
        "once",
        "twice",
        "daily",
        "weekly",
        "fortnightly",
        "monthly",
        "yearly",
        "annually",
    ]
)
"""Words that give an amount or an order without a digit: a text with one of them has a value
of its own, not nothing ("3rd floor" / "fourth floor", "two sugars" / "one sugar")."""


def one_sided(kind: str, a: str, b: str) -> bool:
    """Whether a hard difference of ``kind`` (a number or a name) is only one text saying
    more: the other has no number and no name that the first lacks, no number at all when the
    first has one, no word of amount, and no word of its own where a name or a place stands
    ("type 1 diabetic since I was 14" / "I'm diabetic", "shoe size 8 (AU)" / "wears a size 8
    shoe"). Values on both sides ("3pm" / "3:30pm", "8am and 8pm" / "8am and 2pm", "vitamin
    D" / "vitamin B12", "neighbour sven" / "neighbour Lars", "in kyoto" / "in Nara", "one
    sugar" / "2 sugars") never are."""
    if kind == "colour":  # "our brown desi dog, rescued as a pup" / "an indie dog"
        return not (_colours(a) and _colours(b)) and veto(_uncoloured(a), _uncoloured(b)) is None
    if kind not in ("number", "name") or _like_swap(a, b):
        return False
    if _subjects_differ(a, b) or name_swapped(a, b) or persons_conflict(a, b):
        return False  # "my brother Tom is a teacher" / "marcus teaches": two people
    if dates(a) != dates(b):
        return False  # a date that differs is never read past, beside a number or not:
        # "a meeting with Ben on Monday" / "… on Thursday, week 41"
    x, y = numbers(a), numbers(b)
    if x != y and numbers(a, in_words=False) == numbers(b, in_words=False):
        x, y = numbers(a, in_words=False), numbers(b, in_words=False)  # "HbA1c 52" / "52"
    if x and y and x != y and not (_years(x - y) and y <= x) and not (_years(y - x) and x <= y):
        return False  # values on both sides; a year only one side adds is a detail

    def more(first: str, second: str, own: frozenset[str], others: frozenset[str]) -> bool:
        # a name said more precisely ("the Casablanca Valley" / "in Casablanca") is no more
        return bool(own - others) or bool(_unmatched(first, second)[0])

    more_a, more_b = more(a, b, x, y), more(b, a, y, x)
    if more_a == more_b:
        return False
    bare, other = (b, a) if more_a else (a, b)
    words = [w.lower() for w, _ in _tokens(bare)]
    if set(words) & _QUANTITY:
        return False
    own = set(words) - _lower_words(other) - _DETERMINERS
    own = {w for w in own if not dates(w)}  # "in oct" / "in October": the dates agree
    keys = (_word_key(w.removesuffix("s") if len(w) > 3 else w) for w in own)
    return not any(_in_name_slot(key, bare, subject=False) for key in keys)


def _like_swap(a: str, b: str) -> bool:
    """One word swapped for another of its kind, both names or neither ("colour is blue" /
    "colour is yellow", "Tom plays chess" / "Ben plays chess"); not a name on one side for a
    word of the other's own ("shoe size is 8 (AU)" / "wears a size 8 shoe": "AU" for
    "wears", one text saying more)."""
    pair = swapped(a, b)
    if pair is None:
        return False
    named = {_word_key(n) for n in names(a, b) | names(b, a)}
    return (pair[0] in named) == (pair[1] in named)


def _uncoloured(text: str) -> str:
    """The text without its colour words ("navy-blue" too)."""
    return re.sub(
        r"[A-Za-z]+(?:-[A-Za-z]+)*",
        lambda m: "" if _colours(m.group(0)) else m.group(0),
        text,
    )


def _years(found: frozenset[str]) -> bool:
    """Whether numbers are all years ("1956", "2012")."""
    return bool(found) and all(re.fullmatch(r"(?:19|20)\d\d", n) for n in found)


_NOTE = re.compile(r"[:=→]|->|\s[–—-]\s|\s@\s")
_TOLD_NOW = re.compile(
    r"\b(?:is|are|am|isn't|aren't|has|have|do|does|will|shall|'s|’s|'re|’re|'m|’m)\b|\w+ing\b",
    re.IGNORECASE,
)


def _verbless(text: str) -> bool:
    """Whether a text is a note that tells no time ("Bamse wt Nov: 7.8 kg", "Jonas → bhg fra
    august"): it says what happened as well as what will."""
    return bool(_NOTE.search(text)) and not _TOLD_NOW.search(text)


def veto(a: str, b: str) -> str | None:
    """Why two texts can never be one fact: a differing number, date, colour,
    name (in any case), person (unless one side names who the other's relation is), tense or
    polarity; None when nothing hard differs. A date in digits that reads either way is read
    the way the other text names it ("bday 03-10" / "birthday is October 3":
    :func:`~assistant.consolidation.forms.settled`)."""
    a, b = settled(a, b), settled(b, a)
    if (
        numbers(a) != numbers(b)
        and numbers(a, in_words=False) != numbers(b, in_words=False)  # "HbA1c 52" / "52"
        and not same_long_number(a, b)
    ):
        return "number"
    if dates(a) != dates(b):
        return "date"
    if units(a) and units(b) and units(a) != units(b):
        return "unit"
    if periods(a) and periods(b) and periods(a) != periods(b):
        return "unit"  # "weekly" / "once a month"
    if _colours(a) != _colours(b):
        return "colour"
    if names_differ(a, b):
        return "name"
    if persons_conflict(a, b):
        return "person"
    if name_swapped(a, b):
        return "name"
    if thing_swapped(a, b):
        return "thing"
    ta, tb = tense(a), tense(b)
    told_when = not (_verbless(a) if ta == "none" else _verbless(b) if tb == "none" else False)
    if {ta, tb} == {"past", "future"} or (
        "past" in (ta, tb) and ta != tb and dates(a) and told_when
    ):
        return "tense"  # a plan and what happened ("the party is on saturday" / "was")
    if bool(ENDED.search(a)) != bool(ENDED.search(b)):
        return "change"  # before polarity: "quit the book club" is no negation said otherwise
    if polarity(a) != polarity(b):
        return "polarity"
    return None
