"""Rule-based extraction: the facts a careful listener keeps from what the user said.

Precision first: a sentence becomes a memory only when it matches a pattern for a durable
fact about the user or their people — family, health, home, work, preferences, plans with a
date, decisions, life events. Questions, hypotheticals, jokes and instructions are never kept.
Only the user's own words are passed in; the assistant's replies and recalled memories are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.learning.clauses import EMOTICON, readable, split_sentence, with_apostrophes
from assistant.learning.context import ABBREVIATION, NOT_NAMES, named_after_is, owned, subjected
from assistant.learning.deaths import died
from assistant.learning.doses import dose_of
from assistant.list_requests import told
from assistant.memory_types import MemoryType

RELATIONS = (
    "sister|brother|mom|mum|mother|dad|father|wife|husband|partner|son|daughter|boss|manager|"
    "friend|best friend|cousin|aunt|uncle|grandma|grandmother|grandpa|grandfather|niece|nephew|"
    "girlfriend|boyfriend|fiancée?|roommate|flatmate|colleague|neighbou?r|dog|cat|therapist|"
    "doctor|dentist"
)
PET_RELATIONS = ("dog", "cat")
"""The relations above that are animals: their facts are tagged ``pets``, not ``family``."""
_NAME = r"([A-Z][\w'-]+(?:/[A-Z][\w'-]*)?(?: [A-Z][\w'-]+)?)"  # "AC/DC" is one name
_PLACE_WORDS = r"[A-Z][\w'-]+(?:[ -][A-Z][\w'-]+)*"
_PLACE = f"({_PLACE_WORDS})"
_DATE = (
    r"(?:on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"tonight|tomorrow|tmrw|tmr|tomoz|2moro|(?:on|this|next) (?:mon|tues?|wed|weds|thurs?|fri|"
    r"sat|sun)|next week|next month|this weekend|the \d{1,2}(?:st|nd|rd|th)|(?:jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)? "
    r"(?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|\d{4}-\d{2}-\d{2}|"
    r"in \d+ (?:days|weeks|months))"
)
_EVENTS = (
    r"appointment|appt|meeting|interview|flight|exam|wedding|birthday|party|trip|vacation|holiday|"
    r"surgery|concert|dinner|date|deadline|conference|move|operation|check-?up|presentation|"
    r"parents'? evening|scan|smear|mot|driving test|eye test|haircut|funeral|gig|recital|"
    r"graduation|christening|reunion|lunch|brunch|drinks|bbq|barbecue|playdate|sleepover|"
    r"viva|hearing|reservation|booking|lesson|class|match|game|physio|dentist|doctors?|gp|vet|"
    r"optician|therapy|therapist|counsell?ing|massage|chiro(?:practor)?|podiatrist|hygienist|"
    r"midwife|orthodontist|dermatologist|acupuncture|osteo(?:path)?|coffee|catch-?up|meetup|"
    r"hangout|video call|zoom"
)
_OWN_EVENT = re.compile(
    r"^(?:(?:dentist|doctors?|gp|physio|vet|optician|hospital|dental|hair|nail|eye|school|"
    rf"parents'?|job|work|team|\w+'s)\s+)?(?:appointment|appt|interview|scan|check-?up|evening|test|"
    rf"{_EVENTS})\b(?!\s+(?:was|went)\b)",
    re.IGNORECASE,
)
"""An appointment or plan chat names without whose it is ("dentist appt tmrw 9am", "dinner
with jess on friday night", "haircut booked for the 12th"): the user's."""
_GOING = re.compile(
    r"^(?P<subject>(?:i'?m|im|i am|we'?re|we are)\s+)?(?:going\s+to\s+(?!(?:be|do|have|get|make|"
    r"try|cook|watch|see|call|buy|take|go|start|stop|need|sleep|bed|work|think|tell|ask|say|"
    r"give|let|put|keep|stay|wait|die|cry|lose|miss|eat|drink|pass|fail|learn|use|clean|"
    r"finish|order|book|pick|leave|bring|send|write|read|check|ring|text|email)\b)|"
    r"(?:seeing|meeting|visiting)\s+(?!(?:was|is|were|went|got|has|had|will|notes|minutes|room|"
    r"agenda|invite|link|hours)\b)|"
    r"flying\s+to\s+|driving\s+to\s+|heading\s+to\s+|off\s+to\s+)",
    re.IGNORECASE,
)
"""Where the user is going or whom they are seeing, said as a plan ("going to the cinema
tomorrow night with ella", "seeing the gp on tuesday morning"), never what they are going to
do ("going to try the new place")."""
_LIFE_EVENT = re.compile(
    r"\b(?:died|passed away|got (?:engaged|married|divorced|fired|promoted|laid off)|was "
    r"(?:fired|promoted|laid off|diagnosed)|broke up|am pregnant|'m pregnant|is pregnant|"
    r"had a baby|lost my (?:job|mother|father|mom|dad)|retired)\b",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"^(?:if|what if|imagine|suppose|supposing|would|could|should|maybe|perhaps|let's say|"
    r"pretend|hypothetically|tell me|can you|could you|write|give me|help me)\b"
    r"|\b(?:jk|just kidding|lol|lmao|haha)\b",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:so|well|oh|ok(?:ay)?|btw|by the way|anyway|also|and|but|fyi|hey|hi|yeah|yes)[,!]?\s+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:btw|by the way|tbh|ngl|fyi|tho|though|fr|actually))+(?=[\s.!]*$)", re.IGNORECASE
)
"""Filler at the end of a sentence ("i hate coriander btw"); an emoji there may mean the
opposite ("I LOVE mondays 🙃"), so it stays for the checks that read it."""
_EMOTICON_END = re.compile(rf"[\s,]*(?:{EMOTICON}\s*)+$")
"""A face typed at the end ("mochi died last week :("): not kept in the fact's words."""
_VAGUE_OBJECT = re.compile(r"^(?:it|that|this|them|those|these|you|your|the idea|so)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """A fact worth keeping, before dedup and corrections."""

    text: str
    type: MemoryType
    importance: float
    kind: str
    """What the fact is about, e.g. ``relation:sister``, ``home``, ``work``, ``likes:coffee``:
    a newer fact of the same kind supersedes the older one."""
    entities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    emotion: float = 0.0
    negated: bool = False
    people: tuple[str, ...] = ()
    """The people in the user's life the fact is about (they get a page in the vault)."""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        """What the fact is about, without its kind: ``coffee`` for ``likes:coffee``."""
        return self.kind.split(":", 1)[-1]

    @property
    def exclusive(self) -> bool:
        """Whether only one such fact can be true at a time (where the user lives, a name)."""
        return self.kind in ("home", "work", "name", "job", "timezone") or self.kind.startswith(
            ("birthday:", "contact:")
        )


def settle(candidates: list[Candidate]) -> list[Candidate]:
    """Within one message, the last word wins: a repeated fact is kept once, and of two
    facts that cannot both hold ("I live in Paris. No wait, I live in Berlin."; "I love
    coffee. I don't drink coffee anymore.") only the later is kept."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if any(k.kind == candidate.kind and _within(candidate.text, k.text) for k in kept):
            continue  # "I'm allergic to peanuts." after "…peanuts, like epipen level."
        kept = [k for k in kept if k.text != candidate.text and not _conflict(k, candidate)]
        kept.append(candidate)
    return kept


def _within(short: str, long: str) -> bool:
    """Whether ``long`` is ``short`` said with more after it."""
    start = short.rstrip(".!")
    return long != short and long.startswith(start) and long[len(start) : len(start) + 1] in ",;("


def merge(modelled: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """A model's facts plus the rules' facts it missed (neither the same kind nor the same
    text), settled. A rule's fact whose every word a model's fact says ("Tom's birthday is
    march 3rd." in "My partner Tom's birthday is on march 3rd.") is that fact, read by the
    rule: it is kept once, in the model's words, as the rule's kind of fact."""
    kinds = {c.kind for c in modelled}
    texts = {c.text.lower() for c in modelled}
    modelled = list(modelled)
    extra = []
    for c in found:
        if c.kind in kinds or c.text.lower() in texts:
            continue
        words = _words_of(c.text)
        wider = next(
            (
                n
                for n, m in enumerate(modelled)
                if m.kind == "clause" and words <= _words_of(m.text)
            ),
            None,
        )
        if wider is None:
            extra.append(c)
        else:
            modelled[wider] = replace(c, text=modelled[wider].text)
    return settle(modelled + extra)


def _words_of(text: str) -> set[str]:
    """The words of a fact, lower-cased, without "'s" ("tom's" is "tom")."""
    return {re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’]+", text.lower())}


def _conflict(a: Candidate, b: Candidate) -> bool:
    if a.kind == b.kind and a.exclusive:
        return True
    return a.subject == b.subject and a.negated != b.negated and a.kind != "note"


def sentences(text: str) -> list[str]:
    """Sentences of a message (line breaks and ., !, ; end one; ? ends and marks it; the
    full stop of an abbreviation, "dr." or "st.", does not)."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", text)
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if part and out and part[:1].isalnum() and ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        elif part:
            out.append(part)
    return out


MAX_SENTENCES = 200
"""Sentences of one message read for facts: no one tells more in one message; what is beyond
them (a paste, a flood) stays searchable as what was said, but is not read for facts."""


def extract(text: str) -> list[Candidate]:
    """Facts stated in one user message."""
    found: list[Candidate] = []
    for whole in readable(sentences(with_apostrophes(text)))[:MAX_SENTENCES]:  # "i dont…"
        if whole.endswith("?"):
            continue
        # "im dana, 34", "im seeing someone, her name is leah": the clauses alone would not
        # say it is a name
        found += [c for c in (_name(whole), _seeing(whole), _severe(whole)) if c is not None]
        for sentence in split_sentence(whole):  # "I'm vegetarian and my husband is vegan"
            # "sister's bday is 3 may", "moved to perth in 2019": the user's sister, the user
            found += _found(with_apostrophes(owned(subjected(sentence))))
    return settle(found)


def _found(sentence: str) -> list[Candidate]:
    """The fact a rule reads in one clause, if any (and, beside where the user lives, whom
    they live with), in the clause's own words where they say the rule's fact and more."""
    clean = _FILLER.sub("", _TRAILING.sub("", sentence)).strip()
    clean = _FILLER.sub("", clean).strip().rstrip(".!; ")
    if not clean or _SKIP.search(clean):
        return []
    candidate = _match(clean)
    if candidate is None:
        return []
    household = _HOUSEHOLD.search(clean) if candidate.kind == "home" else None
    if household is None:
        said = _sentence(_EMOTICON_END.sub("", clean) or clean)
        if (
            candidate.kind not in ("name", "plan")  # "my name is dana btw, …": the name
            and said.lower().startswith(candidate.text[:-1].lower())
            and len(said) > len(candidate.text)
        ):
            return [replace(candidate, text=said)]  # "I work at Costa as a barista": all of it
        if candidate.kind == "home" and _MOVED_WITH_MORE.match(said):
            return [replace(candidate, text=said)]  # "I moved to perth from durban in 2019"
        return [candidate]
    who = household.group("whom")  # "I live in Paris with my partner Ben and our dog Biscuit"
    we = (household.group("who") or household.group("being"))[:2].lower() == "we"
    return [
        candidate,
        Candidate(
            f"{'We' if we else 'I'} live with {who}.",
            MemoryType.SEMANTIC,
            6.5,
            "household",
            (),
            ("family",),
        ),
    ]


_MOVED_WITH_MORE = re.compile(
    r"^(?:I|we)(?:'ve| have)? (?:just |recently |finally )?moved to \S+(?: \S+)? "
    r"(?:from|for|to be (?:near|with|closer)|with|because|cos)\b",
    re.IGNORECASE,
)
"""A move said with where from, why or with whom ("moved to austin for a job at dell"): the
clause says more than where the user lives."""


def _match(s: str) -> Candidate | None:
    for rule in _RULES:
        candidate = rule(s)
        if candidate is not None:
            return candidate
    return None


def _sentence(s: str) -> str:
    s = s.strip().rstrip(".!;, ")
    return s[0].upper() + s[1:] + "."


def _explicit(s: str) -> Candidate | None:
    m = re.match(
        r"^(?:please )?(?:remember|note|keep in mind|don'?t forget)(?: that)?[:,]?\s+"
        r"(?!to\b)(.{6,})$",
        s,
        re.I,
    )
    if not m:
        return None
    inner = _match(m.group(1))
    if inner is not None:
        return inner
    return Candidate(_sentence(m.group(1)), MemoryType.SEMANTIC, 6.0, "note")


_MY_NAME = re.compile(
    r"\b(?:my name is|my name'?s|my names|i'?m called|i am called|i go by|"
    r"call me(?=\s+(?-i:[A-Z])))\s+"
    r"([^\W\d_][\w'’-]*)(?=\s*$|\s*[,.;!?)]|\s+(?:and|but|btw|lol|haha|by the way|though)\b)",
    re.IGNORECASE,
)
"""The user's own name, in whatever case chat types it ("my name is dana btw"); after "call
me" only a capitalised one ("from now on always call me captain" asks for a nickname)."""
_I_AM = re.compile(
    r"(?:^|\b(?:hi|hey|hello|hiya|heya|yo)(?:\s+(?:there|all|everyone|again))?\W+)"
    r"(?:i'?m|i am|im)\s+([^\W\d_][\w'’-]*)"
    r"(?=\s*,\s*\d|\s*[.!]?\s*$|\s*[^\w\s,]+\s*$|\s*,?\s+(?:and|btw|by the way)\b)",
    re.IGNORECASE,
)
"""A name said as who one is: capitalised after a greeting ("hi, I'm Dana"), or before one's
age in any case ("hey! im dana, 34"), or in lower case after a greeting with nothing after it
but a word no state ("hi im alex"). "I'm Irish", "I'm British and proud" and "hey im
starving" are no name."""


_AGE_AFTER = re.compile(
    r"\s*,\s*\d{1,2}(?:\s*(?:y/?o|yrs?|years? old))?\s*(?:$|[,.!;]|[^\w\s,.!;]+\s*(?:$|[,.!;]))",
    re.I,
)
"""One's age after one's name ("im dana, 34, …", "im sam, 34 🙂")."""


def _name(s: str) -> Candidate | None:
    m = _MY_NAME.search(s)
    if m is None:
        m = _I_AM.search(s)
        if m is None:
            return None
        greeted = m.group(0)[:1].lower() != "i"
        aged = _AGE_AFTER.match(s[m.end() :]) is not None
        alone = greeted and re.match(r"[^\w]*$", s[m.end() :]) is not None
        lower_name = alone and named_after_is(m.group(1))  # "hi im alex", not "hey im starving"
        if not aged and not lower_name and not (greeted and m.group(1)[:1].isupper()):
            return None  # "I'm Irish", "I'm British and proud": no name
    name = m.group(1)
    if name.lower() in NOT_NAMES:
        return None
    name = name[:1].upper() + name[1:]
    if re.match(r"(?:call me|i go by)\b", m.group(0), re.IGNORECASE):
        # "call me Marti": what the user goes by, beside their name, not in its place
        return Candidate(
            f"I go by {name}.", MemoryType.IDENTITY, 8.0, "nickname", (name,), ("identity",)
        )
    return Candidate(
        f"My name is {name}.", MemoryType.IDENTITY, 9.0, "name", (name,), ("identity",)
    )


def _relation_name(s: str) -> Candidate | None:
    m = re.search(
        rf"\b(?i:my ({RELATIONS})(?:(?:'s|’s|s) name is|(?:'s|’s|s) names| is called| is named|"
        r"'s called))\s+(?:" + _NAME + r"|((?-i:[a-z])[\w'’-]+)(?=\s*$|\s*[,.;!)]|\s+(?i:and|but|"
        r"btw|lol)\b))",
        s,
    )
    if not m or (m.group(3) or "").lower() in NOT_NAMES:
        return None
    relation, name = m.group(1).lower(), m.group(2) or m.group(3).capitalize()
    tags = ("pets",) if relation in PET_RELATIONS else ("family",)
    return Candidate(
        f"My {relation}'s name is {name}.",
        MemoryType.IDENTITY,
        7.5,
        f"relation:{relation}",
        (name,),
        tags,
        people=(name,),
    )


def _relation_fact(s: str) -> Candidate | None:
    m = re.search(
        rf"\b(?i:my ({RELATIONS})),? {_NAME},? (?:is|lives|works|has|loves|needs|just|was|got)\b", s
    )
    if not m:
        return None
    tags = ("pets",) if m.group(1).lower() in PET_RELATIONS else ("family",)
    return Candidate(
        _sentence(s),
        MemoryType.SEMANTIC,
        6.0,
        f"about:{m.group(2)}",
        (m.group(2),),
        tags,
        people=(m.group(2),),
    )


_SEEING = re.compile(
    r"\b(?:(?:(?:i'?m|im|i am)\s+)?(?P<verb>seeing|dating)\s+someone(?:\s+new)?(?:\s+now)?,?\s+"
    r"(?:(?:her|his|their)\s+name(?:'s|s|\s+is)|(?:she'?s|he'?s|they'?re)\s+called|called|"
    r"named)\s+(?P<name>[^\W\d_][\w'-]*)"
    r"|(?:i'?m|im|i am|i'?ve been|ive been)\s+(?P<verb_named>dating|seeing)\s+"
    r"(?P<named>(?-i:[A-Z])[\w'-]*)(?=\s*(?:[.,!;]|$|now\b|for\b)))",
    re.IGNORECASE,
)
"""Someone new the user is with: "seeing someone new now, her name is leah", "I've been
dating Sam for a month" (a name in lower case only where it is said to be one)."""


def _seeing(s: str) -> Candidate | None:
    m = _SEEING.search(s)
    if m is None:
        return None
    name = m.group("name") or m.group("named")
    if name.lower() in NOT_NAMES or name.lower() in ("someone", "somebody", "anyone"):
        return None
    name = name[:1].upper() + name[1:]
    verb = m.group("verb") or m.group("verb_named")
    return Candidate(
        f"I'm {verb.lower()} {name}.",
        MemoryType.SEMANTIC,
        7.0,
        "partner",
        (name,),
        ("family",),
        people=(name,),
    )


def _allergy(s: str) -> Candidate | None:
    m = re.search(r"\bI(?:'m| am) (?:severely |very |really )?allergic to ([\w ,'-]+)", s, re.I)
    if not m:
        return None
    what = m.group(1).strip(" ,")
    return Candidate(
        f"I'm allergic to {what}.",
        MemoryType.IDENTITY,
        8.5,
        f"allergy:{what.lower()}",
        (),
        ("health",),
    )


_NOT_ALLERGIC = re.compile(
    r"^(?:(?:so|ok|okay|well|turns out|it turns out|apparently|actually|good news|update)"
    r"[,:!]?\s+)*(?:(?:my\s+|the\s+)?(?:gp|doctor|doc|dr\.?\s+\w+|consultant|nurse|allergist|"
    r"pharmacist|hospital|allergy\s+(?:clinic|team|nurse|tests?)|tests?|results?|blood\s+tests?)"
    r"\s+(?:says|said|confirmed|told\s+me|reckons|thinks|showed|show|came\s+back)\s+)?"
    r"(?:that\s+)?(?:i'?m|i am|im)\s+(?:actually\s+)?(?:not|no longer)\s+(?:actually\s+|really\s+)?"
    r"allergic\s+"
    r"to\s+(?P<what>[^\W\d_][\w' -]{1,40}?)(?:\s+(?:after all|anymore|any more|any longer|now|"
    r"then|at all))*(?:[,;]\s*(?:it was|it's|was|just)\b.*)?[.!]*$",
    re.IGNORECASE,
)
"""An allergy that turned out wrong or is over ("turns out I'm not allergic to penicillin after
all, it was a misdiagnosis", "I'm not allergic to cats anymore"), also as a doctor or a test
said it ("my gp says im not allergic to ibuprofen after all")."""


def _not_allergic(s: str) -> Candidate | None:
    m = _NOT_ALLERGIC.match(s.strip())
    if m is None:
        return None
    what = m.group("what").strip()
    return Candidate(
        f"I'm not allergic to {what}.",
        MemoryType.IDENTITY,
        8.5,
        f"allergy:{what.lower()}",
        (),
        ("health",),
        negated=True,
    )


def _death(s: str) -> Candidate | None:
    """Someone of the user's who died, by name ("pip died last night", "we had to put rex
    down"): kept whatever the classifiers make of it, as a loss matters."""
    name = died(s)
    if (
        not name
        or "?" in s
        or re.match(r"^\W*(?:if|what if|when|did|has|had(?!\s+to\b))\b", s, re.I)
    ):
        return None
    said = _EMOTICON_END.sub("", s.strip()) or s.strip()
    return Candidate(
        _sentence(said), MemoryType.EMOTIONAL, 8.0, f"death:{name.lower()}", (), ("loss",)
    )


_CONTACT = re.compile(
    r"^(?:(?:btw|fyi|oh|and|also|ok)\W+)*(?:(?P<whose>my|our)\s+(?:new\s+)?|new\s+)"
    r"(?P<what>(?:mobile|cell|"
    r"phone|home|work|landline)(?:\s+(?:phone|number|no\.?))?|phone\s+number|number|e-?mail"
    r"(?:\s+address)?|(?:home\s+|postal\s+)?address|post\s?code|zip(?:\s+code)?)"
    r"(?:\s+is|'s|\s*[=:])\s*(?P<value>[\w@+().,' /-]*\d[\w@+().,' /-]*|\S+@\S+)$",
    re.IGNORECASE,
)
"""The user's own contact details ("my phone is 07700 900123", "our postcode is LS6 2AB"):
kept as said, whatever the classifiers make of a line of digits."""


_CONTACT_KINDS = (
    ("mail", "email"),
    ("address", "address"),
    ("post", "postcode"),
    ("zip", "postcode"),
)
"""Which contact detail a name says; any other is a phone number."""


def _contact(s: str) -> Candidate | None:
    m = _CONTACT.match(s.strip().rstrip("."))
    if m is None:
        return None
    said = m["what"].lower()
    what = next(
        (kind for word, kind in _CONTACT_KINDS if word in said),
        "work phone" if said.startswith("work") else "phone",
    )
    if what == "phone" and len(re.findall(r"\d", m["value"])) < 6:
        return None  # "my number is 4": no phone number
    return Candidate(
        _sentence(s.strip()), MemoryType.IDENTITY, 7.0, f"contact:{what}", (), ("contact",)
    )


_DOSE_CHANGE = re.compile(
    r"\b(?:upped|increased|raised|reduced|lowered|changed|doubled|halved|bumped|cut|switched|"
    r"dropped|put me on|started me on|prescribed|(?:i|i'?m|im)\s+(?:now\s+)?(?:take|taking|on))\b",
    re.IGNORECASE,
)


def _dose(s: str) -> Candidate | None:
    """A medicine's dose, taken or changed ("gp upped my sumatriptan to 100mg", "now I take
    40mg omeprazole"): a health fact, whatever the classifiers make of its words."""
    dose = dose_of(s)
    if dose is None or not _DOSE_CHANGE.search(s) or "?" in s:
        return None
    return Candidate(_sentence(s), MemoryType.IDENTITY, 9.0, f"dose:{dose.drug}", (), ("health",))


_SEVERE = re.compile(
    r"\b(?:epi-?pens?|anaphyla\w*|severe(?:ly)?|deadly|life[- ]threatening|hospital|airborne|"
    r"can'?t even (?:touch|smell|be near)|carry an?)\b",
    re.IGNORECASE,
)
"""How bad an allergy is, said beside it ("like epipen level", "carry an epipen")."""


def _severe(s: str) -> Candidate | None:
    """An allergy with how bad it is, kept in the user's words: the clauses alone would keep
    "I'm allergic to peanuts." without "like epipen level"."""
    allergy = _allergy(s)
    m = re.search(r"\bI(?:'m| am)\b", s, re.IGNORECASE)
    if allergy is None or m is None or not _SEVERE.search(s, m.end()):
        return None
    what = allergy.subject.split(",")[0].strip()
    return replace(allergy, text=_sentence(s[m.start() :]), kind=f"allergy:{what}")


_HOUSEHOLD = re.compile(
    r"\b(?:(?P<who>(?i:i|we)) (?i:now )?(?i:live in)"
    r"|(?P<being>(?i:i'm|i am|we're|we are)) (?i:now )?(?i:living in)) "
    rf"(?:{_PLACE_WORDS}|[a-zß-ÿ][a-zß-ÿ'-]{{2,}}),? "
    r"(?i:with) (?P<whom>.{3,120})$"
)
"""Who the user lives with, said beside where ("I live in Paris with my partner Ben")."""


_HOME_LEAD = (
    r"\b(?:(?i:i|we)(?:'ve| have)? (?:just |recently |now |finally )?(?:moved to|live in)"
    r"|(?i:i'm|i am|we're|we are) (?:now )?living in) "
)
"""How the user says where they live or moved to, before the place."""
_LOWER_PLACE = re.compile(
    _HOME_LEAD
    + r"(?!(?:the|a|an|my|our|his|her|their|another|be|get|work|part|full|remote|here|there|"
    r"town|home|tears)\b)([a-zß-ÿ][a-zß-ÿ'-]{2,})(?=\s*$|\s*[,.;!]|\s+(?:in|last|this|on|from|for|with|"
    r"and|since|recently|now|a|about|back|to|when|after|because|cos|so)\b)"
)
"""Where the user lives, named in lower case as chat does ("i moved to bristol last month"):
one word, then the end of the clause or a word that goes on to say when, with whom or why."""


_DWELLING = r"(?:place|house|flat|home|apartment|bungalow|cottage|semi|terrace|new build)"
_MOVED_INTO = re.compile(
    r"\b(?:i|we)(?:'ve|’ve| have)? (?:just |recently |finally |now |officially )?"
    rf"(?:moved into|live in|bought) (?:our|my|the|a|an) (?:(?:new|little|tiny|small|big|lovely) )*"
    rf"(?:{_DWELLING}) in ([a-zß-ÿ][a-zß-ÿ'-]{{2,}}|[A-Z][\w'-]+)\b"
    r"(?! (?:road|street|avenue|lane)\b)"
    r"|\b(?:i|we)(?:'ve|’ve| have)? (?:just |recently |finally |now |officially )?moved into the "
    rf"([a-z][a-z'-]{{2,}}|[A-Z][\w'-]+) {_DWELLING}\b",
    re.IGNORECASE,
)
"""A home said by the place it is in: "we just moved into our new place in bath", "we live in a
flat in bristol", "we've moved into the stockport house"."""
_NOT_TOWNS = frozenset({"the", "town", "city", "centre", "center", "middle", "end", "area"})


_MOVING_LATER = re.compile(
    r"\b(?:(?:we|i)(?:'re|’re| are|'m|’m| am)?\s+)?(?:moving|move|completing|completion|"
    r"move-in|moving\s+in)\b[^.;!?]{0,30}?\b(?:on|in|next|this|from|after|by|day)\b",
    re.IGNORECASE,
)
"""A move still to come ("bought a house in marple, moving on the 20th"): a plan, not yet
where the user lives."""


def _home(s: str) -> Candidate | None:
    m = re.search(_HOME_LEAD + _PLACE, s) or _LOWER_PLACE.search(s)
    if _MOVING_LATER.search(s) and (m is None or not re.search(r"\blive|living\b", m.group(0))):
        return None  # "bought a house in marple, moving on the 20th"; "I live in X" stays
    into = _MOVED_INTO.search(s) if m is None else None
    if into is not None and (into.group(1) or into.group(2)).lower() not in _NOT_TOWNS:
        town = into.group(1) or into.group(2)
        place = town[:1].upper() + town[1:]
        return Candidate(
            f"I live in {place}.", MemoryType.IDENTITY, 7.5, "home", (place,), ("home",)
        )
    if not m:
        return None
    place = _place_cased(m.group(1))
    return Candidate(f"I live in {place}.", MemoryType.IDENTITY, 7.5, "home", (place,), ("home",))


_JOINING = frozenset(
    {"upon", "on", "under", "in", "le", "la", "les", "de", "du", "sur", "am", "an"}
)
"""Words inside a hyphenated place that stay in lower case ("Stratford-upon-Avon")."""


def _place_cased(place: str) -> str:
    """A place as it is written: each part of a hyphenated name capitalised, but the words
    that join them ("leipzig-plagwitz": "Leipzig-Plagwitz"; "Stratford-upon-Avon")."""
    parts = place.split("-")
    return "-".join(
        p if n and p.lower() in _JOINING else p[:1].upper() + p[1:] for n, p in enumerate(parts)
    )


_LOWER_WORK = re.compile(
    r"\b(?i:i)(?: now| still)? work (?:at|for) "
    r"|\b(?i:i)(?:'ve| have)? (?:just |finally )?(?:started (?:a new job|working|work) at "
    r"|(?:got|landed) (?:a |the )?(?:new )?job (?:at|with) )"
)
_LOWER_EMPLOYER = re.compile(
    r"(?!(?:the|a|an|my|our|his|her|their|home|night|nights|weekends|myself|it|this|that|"
    r"least|all|last|first|once|times|work|school|uni|college)\b)([a-z][\w&'-]{1,})"
    r"(?=\s*$|\s*[,.;!]|\s+(?:now|since|as|in|on|part|full|and|but|doing|with|because|cos|so|"
    r"today|yesterday|tomorrow|this|last|next|for)\b)"
)
"""Where the user works, named in lower case as chat does ("i work at tesco", "started a new
job at aldi today"): one word, then the end of the clause or a word that goes on."""


_ROLE = re.compile(
    r"\s+as\s+(?!(?:well|usual|much|many|long|soon|if|though|of|per|part|such|always|ever|"
    r"normal|before|far|good|opposed|it|they|we|i|you|he|she|my|the|a result)\b)"
    r"(?:an?\s+)?([a-z][a-z' -]{2,40}?)\s*(?=$|[,.;!(]|\s+(?:and|but|since|from|"
    r"starting|today|yesterday|tomorrow|this|last|next|on|in|for|at|because|cos|so)\b)",
    re.IGNORECASE,
)
"""The role after where the user works ("started a new job at Figma as a product designer")."""


def _work(s: str) -> Candidate | None:
    m = re.search(r"\bI(?: now)? work (?:at|for) " + _PLACE, s) or re.search(
        r"\bI(?:'ve| have)? (?:just )?(?:started|joined) (?:a new job at |working at )?" + _PLACE,
        s,
    )
    lead = m or _LOWER_WORK.search(s)
    if m is None and lead is not None:
        m = _LOWER_EMPLOYER.match(s, lead.end())
    if m:
        place = m.group(1)[:1].upper() + m.group(1)[1:]
        # "I work at Costa as a barista" is kept whole in the user's words (``_found``)
        working = re.search(r"\bi(?: now)? work (?:at|for)\s+$", s[: m.start(1)], re.I)
        role = None if working else _ROLE.match(s, m.end())
        said = f"I work at {place} as {_article(role.group(1))}." if role else f"I work at {place}."
        return Candidate(said, MemoryType.IDENTITY, 7.5, "work", (place,), ("work",))
    # "I quit Duolingo", "I left London": whether X was a job is the store's to say (learner)
    m = re.search(r"\bI (?:quit|left) (?:my job (?:at|with)|working (?:at|for)) " + _PLACE, s)
    if m:
        return Candidate(
            f"I no longer work at {m.group(1)}.",
            MemoryType.IDENTITY,
            7.0,
            "work",
            (m.group(1),),
            ("work",),
            negated=True,
        )
    if held := _role_at(s):  # "I'm a junior UX designer at brightpath"
        return held
    m = re.search(r"\bI work as (?:an? )?([^\W\d_](?:[^\W\d_]|[' -]){2,40})", s, re.I)
    if m:
        return Candidate(
            f"I work as {_article(m.group(1))}.", MemoryType.IDENTITY, 7.0, "job", (), ("work",)
        )
    return None


_ROLE_AT = re.compile(
    r"\b(?i:i)(?:'m|’m|m| am)\s+(?:(?i:now|currently)\s+)?(?i:an?)\s+"
    r"(?P<role>[A-Za-z][A-Za-z' -]{2,40}?)\s+(?i:at|for|with)\s+"
)
"""A role and where it is held ("I'm a junior UX designer at brightpath"); the place is read
as :func:`_work` reads one."""
_NOT_ROLES = re.compile(
    r"\b(?:student|member|regular|guest|patient|customer|client|volunteer|fan|subscriber|"
    r"visitor|tourist|resident|friend|mum|mom|dad|parent|bit|lot|little|big|huge)\b",
    re.IGNORECASE,
)
"""Roles that say where the user is not employed ("I'm a student at leeds", "I'm a regular
at the crown")."""


def _role_at(s: str) -> Candidate | None:
    """A job told as a role at a place: "I work at Brightpath as a junior UX designer."."""
    lead = _ROLE_AT.search(s)
    if lead is None or _NOT_ROLES.search(lead["role"]):
        return None
    m = re.compile(_PLACE).match(s, lead.end()) or _LOWER_EMPLOYER.match(s, lead.end())
    if m is None:
        return None
    place = m.group(1)[:1].upper() + m.group(1)[1:]
    said = f"I work at {place} as {_article(lead['role'])}."
    return Candidate(said, MemoryType.IDENTITY, 7.5, "work", (place,), ("work",))


def _timezone(s: str) -> Candidate | None:
    m = re.search(r"\bmy time ?zone is ([\w/+:-]+)", s, re.I)
    if not m:
        return None
    return Candidate(f"My timezone is {m.group(1)}.", MemoryType.IDENTITY, 6.0, "timezone")


_NOT_SOMEONE = frozenset({"it", "that", "what", "who", "there", "here", "this", "today"})
"""Words before "'s birthday" that name no one ("it's birthday season")."""


def _birthday(s: str) -> Candidate | None:
    m = re.search(r"\bmy (?:(\w+)'s )?birthday is (?:on )?(.{3,30})$", s, re.I)
    named = re.search(r"^([^\W\d_][\w-]*)'s (?:birthday|bday) is (?:on )?(.{3,30})$", s, re.I)
    if named and named.group(1).lower() not in _NOT_SOMEONE:  # "Ben's birthday is on June 12"
        name = named.group(1)
        return Candidate(
            f"{name[0].upper()}{name[1:]}'s birthday is {named.group(2).rstrip('.!')}.",
            MemoryType.SEMANTIC,
            7.0,
            f"birthday:{name.lower()}",
            (name[0].upper() + name[1:],),
            ("dates",),
        )
    if not m:
        return None
    whose = f"My {m.group(1).lower()}'s" if m.group(1) else "My"
    kind = f"birthday:{(m.group(1) or 'me').lower()}"
    return Candidate(
        f"{whose} birthday is {m.group(2).rstrip('.!')}.",
        MemoryType.IDENTITY,
        7.0,
        kind,
        (),
        ("dates",),
    )


def _stopped(s: str) -> Candidate | None:
    m = re.search(
        r"\bI (?:don't|do not|no longer|stopped|quit|gave up) "
        r"(drink(?:ing)?|eat(?:ing)?|smok(?:e|ing)|lik(?:e|ing)|play(?:ing)?|driv(?:e|ing)) "
        r"([\w' -]{2,40}?)(?P<change> anymore| any more| these days)?"
        r"(?:$|(?(change)\s*[,;:(—–-]\s*\S.*$|(?!)))",
        s,
        re.I,
    )
    if not m or not re.search(r"anymore|any more|no longer|stopped|quit|gave up", s, re.I):
        return None
    what = m.group(2).strip()
    return Candidate(
        _sentence(s[m.start() :]),
        MemoryType.SEMANTIC,
        6.0,
        f"habit:{what.lower()}",
        (),
        ("preferences",),
        negated=True,
        extra={"verb": re.sub(r"(?:ing|e)$", "", m.group(1).lower())},
    )


_GIVEN_UP = re.compile(
    r"^(?:(?:i|i've|ive|i have|i'm|im|i am)\s+|(?P<who>(?:the\s+|my\s+)?"
    r"(?:[^\W\d_][\w]*(?:['’]s|s)\s+)?(?:doc|doctor|gp|"
    r"consultant|specialist|nurse|they|she|he|dr\.?\s+[^\W\d_][\w'-]*)\s+))?"
    r"(?:just\s+|finally\s+|recently\s+)?"
    r"(?:(?:came|come|coming|got)\s+off\s+|(?:stopped|quit|dropped)\s+(?:taking\s+)?"
    r"(?=(?:the|my|her|his|their)\s)|"
    r"stopped\s+taking\s+(?!it\b|them\b)|(?<=m\s)off\s+(?=(?:the|my)\s)|"
    r"(?<=am\s)off\s+(?=(?:the|my)\s)|(?:took|taken|has\s+taken)\s+me\s+off\s+|"
    r"cut\s+out\s+|no\s+longer\s+(?:on|taking)\s+)(?:the\s+|my\s+|her\s+|his\s+|their\s+)?"
    r"(?P<what>[^\W\d_][\w'-]*(?:\s+(?!(?:completely|entirely|now|last|this|a|for|since|in|"
    r"on|at|and|but|so|because|cos|as|after|totally)\b)[\w'-]+){0,2})"
    r"|^no\s+more\s+(?P<none>[^\W\d_][\w'-]*(?:\s+[\w'-]+){0,2}?)\s+for\s+me\b"
    r"|^(?:i'?m\s+|im\s+)?(?:honestly\s+)?not\s+(?:really\s+)?into\s+(?P<into>[^\W\d_][\w'-]*"
    r"(?:\s+[\w'-]+){0,3}?)\s+(?:anymore|any\s+more)\b",
    re.IGNORECASE,
)
"""Something given up, said the ways chat says it: "came off the pill last month", "stopped
the metformin", "i stopped taking vitamin d", "i'm off the aspirin now", "doc took me off the
aspirin", "cut out coffee completely", "no more vitamin d for me", "not into true crime
podcasts anymore"."""


_OFF_NOT_GIVEN_UP = frozenset(
    re.findall(
        r"\w+",
        "hook mark rails grid clock record radar charts boil cuff wall market menu table chain "
        "scale road ground top hinge couch sofa bus train plane phone case list team sick work",
    )
)
"""What "off the …" says without giving anything up ("i'm off the hook now")."""
_GIVEN_UP_END = re.compile(
    r"\s*(?:$|[,.;!(]|(?:now|completely|entirely|totally|last|this|for|since|today|yesterday|"
    r"a\s+(?:week|month|year)|recently|finally)\b)",
    re.IGNORECASE,
)
"""What may follow a thing given up: the end, or when ("came off the pill last month")."""


def _given_up(s: str) -> Candidate | None:
    m = _GIVEN_UP.match(s)
    if m is None:
        return None
    what = (m.group("what") or m.group("none") or m.group("into")).strip().lower()
    if what in ("it", "that", "this", "them", "him", "her", "those", "these"):
        return None  # "not into it anymore": into what?
    if what.split()[0] in _OFF_NOT_GIVEN_UP:
        return None  # "i'm off the hook now", "off the phone": nothing given up
    if m.group("what") and not _GIVEN_UP_END.match(s, m.end()):
        return None  # "i stopped the car on the hard shoulder": a thing done, not given up
    # "doc took me off the aspirin" is said by whom it was, "stopped the metformin" by "I"
    spoken = m.group("who") or re.match(r"^(?:i\b|i'|im\b|no\b)", s, re.IGNORECASE)
    said = s if spoken else f"I {s[0].lower()}{s[1:]}"
    if m.group("into") and not re.match(r"^i", s, re.IGNORECASE):
        said = f"I'm {s[0].lower()}{s[1:]}"
    return Candidate(
        _sentence(said),
        MemoryType.SEMANTIC,
        6.5,
        f"habit:{what}",
        (),
        ("health",) if not m.group("into") else ("preferences",),
        negated=True,
        extra={"ends": "mentions"},
    )


def _preference(s: str) -> Candidate | None:
    m = re.search(
        r"\bI (?:really |absolutely |do )?(love|like|enjoy|prefer|hate|dislike|can't stand|adore) "
        r"([\w' -]{2,60})$",
        s,
        re.I,
    )
    if not m or _VAGUE_OBJECT.match(m.group(2)):
        return None
    what = m.group(2).strip()
    head = what.split()[0].lower() if what.split() else what
    return Candidate(
        _sentence(s[m.start() :]), MemoryType.SEMANTIC, 5.0, f"likes:{head}", (), ("preferences",)
    )


def _habit(s: str) -> Candidate | None:
    m = re.search(r"\bI (drink|eat|play|go|run|swim|cycle|climb)s? ([\w' -]{2,50})$", s)
    if not m or not re.search(r"every|each|usually|always|on (?:\w+day)s?\b|daily|weekly", s):
        return None
    return Candidate(
        _sentence(s[m.start() :]),
        MemoryType.PROCEDURAL,
        5.0,
        f"habit:{m.group(2).split()[0].lower()}",
        (),
        ("routine",),
    )


_KEPT_AT = re.compile(
    r"^(?:I|we)\s+(?:always\s+|usually\s+)?(?:keep|hide|store|leave)\s+(?:my|our|the|a|a\s+spare)\s+"
    r"(?P<what>[\w' -]{2,40}?)\s+(?:in|under|behind|inside|on\s+top\s+of|at|with|by|next\s+to|"
    r"beneath|above|in\s+the\s+back\s+of)\s+(?P<where>[\w' &-]{2,60})$",
    re.IGNORECASE,
)
"""Where the user keeps something ("I keep my spare key under the blue flamingo statue"):
not "I keep forgetting…", whose verb takes no "my" or "the"."""


def _kept_at(s: str) -> Candidate | None:
    m = _KEPT_AT.match(s)
    if m is None or _VAGUE_OBJECT.match(m.group("what")):
        return None
    head = m.group("what").split()[-1].lower()
    return Candidate(_sentence(s), MemoryType.SEMANTIC, 5.5, f"kept:{head}", (), ("home",))


_SO_THEN = re.compile(
    r"(?:,\s*|(?<![\s,])\s+)(?:so|which means|and so)\s+(?:i|i'll|i'm|i will|i am|we|we'll)\b.*$",
    re.IGNORECASE,
)
"""What a plan means for the user's mood or week, said after it: no part of the plan."""


def _plan(s: str) -> Candidate | None:
    going = _GOING.match(s)
    if not re.search(rf"\b{_DATE}\b", s, re.I):
        return None
    if going is None and not re.search(rf"\b(?:{_EVENTS})\b", s, re.I):
        return None
    mine = re.search(r"\b(?:I|I'm|I've|my|we|we're|our)\b", s, re.I)
    if not mine and not _OWN_EVENT.match(s) and going is None:
        return None
    if not mine and re.search(r"\b(?:was|were|went|had|got)\b", s, re.I):
        return None  # "party on saturday was great": told, not planned
    if going is not None and not going.group("subject") and not mine:
        s = f"I'm {s[0].lower()}{s[1:]}"  # "seeing the gp on tuesday": the user is
    s = _SO_THEN.sub("", s)  # "parents' evening is the 28th so I'll be wiped that week"
    return Candidate(_sentence(s), MemoryType.EPISODIC, 6.0, "plan", (), ("plans",))


def _decision(s: str) -> Candidate | None:
    m = re.search(
        r"\b(?:I|we)(?:'ve| have)? (?:finally |just |now )?decided (?:to|that|on) (.{4,})", s, re.I
    )
    if not m:
        return None
    return Candidate(
        _sentence(s[m.start() :]), MemoryType.SEMANTIC, 6.5, "decision", (), ("decisions",)
    )


def _life_event(s: str) -> Candidate | None:
    if not _LIFE_EVENT.search(s) or not re.search(r"\b(?:I|my|we)\b", s, re.I):
        return None
    return Candidate(_sentence(s), MemoryType.EMOTIONAL, 7.5, "event", (), ("life",), 0.8)


def _article(words: str) -> str:
    """``words`` after "a" or "an" as they are said ("an engineer", "an SRE", "a UX lead")."""
    words = words.strip()
    first = words.split()[0]
    said_by_letter = len(first) > 1 and first.isupper()
    return (
        "an " if words[0] in ("AEFHILMNORSX" if said_by_letter else "aeiouAEIOU") else "a "
    ) + words


def _told_list(s: str) -> Candidate | None:
    """A list told with its items ("my shopping list: eggs, milk", "our packing list for
    lisbon - boots and a map"): one note the list requests then edit."""
    m = told(s)
    if m is None:
        return None
    name, items = m["name"].lower(), m["items"].strip().rstrip(".!")
    return Candidate(
        f"{_sentence(f'my {name}: {items}')}", MemoryType.SEMANTIC, 5.0, f"list:{name}"
    )


_RULES = [
    _told_list,
    _explicit,
    _name,
    _relation_name,
    _not_allergic,
    _allergy,
    _home,
    _work,
    _timezone,
    _birthday,
    _life_event,
    _stopped,
    _given_up,
    _death,
    _dose,
    _contact,
    _decision,
    _plan,
    _relation_fact,
    _habit,
    _kept_at,
    _preference,
]
