"""A clause stored on its own must stand on its own: who "he" and "she" are, what a clause
with no subject of its own continues, and which of two values the user denied.

- "my grandpa passed away. he taught me to fish" → "My grandpa taught me to fish.": a pronoun
  that opens a clause (and "him" inside it) becomes the person the message, or the message
  before it, last named, when the relation agrees ("he" is never "my sister").
- "we just bought our first house!! 3 bed outside columbus, closing on the 18th": a clause
  with no subject of its own ("3 bed…", "due in april", "running 5x a week", "it's 07700…")
  is more of the clause before it, and is kept with it.
- "we named the kitten miso, not tofu" → "we named the kitten miso": the value the user
  denies is not part of the fact.
- "wife's name is Grete" → "my wife's name is Grete": a clause that opens with one of the
  user's people, pets or things, with no word before it, is about the user's own; one that
  opens with what someone did, a lasting state or a liking and names no one ("moved to perth
  in 2019", "lactose intolerant", "can't stand olives") is said of the user.
"""

from __future__ import annotations

import re

ABBREVIATION = re.compile(
    r"(?:^|\s|\()(?:dr|drs|mr|mrs|ms|mx|prof|st|mt|ft|jr|sr|vs|etc|approx|dept|apt|ave|"
    r"rd|e\.g|i\.e|a\.m|p\.m|[a-z])\.$",
    re.IGNORECASE,
)
"""A word ending in a full stop that does not end a sentence ("dr. lindgren", "st. mary's",
"e.g. pasta")."""

UNDECIDED = re.compile(
    r"\b(?:get|getting|buy|buying|choose|choosing|pick|picking|go with|going with|take|"
    r"taking|book|booking|try|trying) either\b|\b(?:torn|deciding|choosing) between\b"
    r"|\bcan'?t decide\b"
    r"|\b(?:not sure|unsure) (?:if|whether)\b|\bon the fence\b|\bweighing up\b"
    r"|\bdebating (?:whether|between|if)\b|\bmake up my mind\b|\bmaybe not\b|\bmight not\b",
    re.IGNORECASE,
)
"""A choice not made yet ("thinking of getting either a kindle or a kobo")."""

_MALE = (
    "brother|bro|dad|father|husband|hubby|son|boyfriend|bf|uncle|grandpa|grandfather|granddad|"
    "grandad|"
    "nephew|fiancé|stepdad|stepson|father-in-law|father in law|brother-in-law|brother in law"
)
_FEMALE = (
    "sister|sis|mom|mum|mother|wife|daughter|girlfriend|gf|aunt|auntie|grandma|grandmother|"
    "gran|granny|nan|nana|niece|fiancée|stepmom|stepmum|stepdaughter|mother-in-law|mother in law|"
    "sister-in-law|sister in law"
)
_EITHER = (
    "friend|best friend|mate|best mate|bestie|bff|cousin|boss|manager|coworker|co-worker|"
    "colleague|partner|roommate|"
    "flatmate|housemate|neighbour|neighbor|dog|cat|puppy|kitten|kid|child|baby|toddler|"
    "therapist|doctor|dentist|teacher|ex|landlord|landlady|skip-level|mentor|tutor|coach|"
    "horse|rabbit|hamster|parrot|bird"
)
PEOPLE = f"{_MALE}|{_FEMALE}|{_EITHER}"
NAME_WORD = r"[^\W\d_][\w'’-]*"
"""A word that may be someone's name ("leah", "O'Neill", "Anne-Marie")."""
"""The words for the user's people and pets, a pronoun's gender told by ``_gender``."""
_RELATION = re.compile(
    rf"\b(?P<owner>my|our)\s+(?P<rel>{PEOPLE})"
    r"(?:(?:'s|’s|s)\s+name\s+is\s+(?P<called>[^\W\d_][\w'-]*)"
    r"|\b(?:,?\s+(?:is\s+called|is\s+named|called|named))?,?\s+(?P<name>[^\W\d_][\w'-]*))?",
    re.IGNORECASE,
)
"""The user's person: "my uncle terry", "my sons name is maks"; in "my daughter's piano
recital" the word after the possessive is hers, not her name."""
_THEIRS = re.compile(
    rf"\b(?:my|our)\s+(?:{PEOPLE})(?:\s+(?P<owner_name>[^\W\d_][\w-]*))?(?:'s|’s)\s+"
    rf"(?P<rel>{PEOPLE})\b(?:,?\s+(?:is\s+called|is\s+named|called|named))?"
    r"(?:,?\s+(?P<name>[^\W\d_][\w'-]*))?",
    re.IGNORECASE,
)
"""A person of one of the user's people: "my friend amy's boyfriend is called mark", "my
sister's husband dave"; "he" after it is him, not the friend or the sister."""
_IS_NAMED = re.compile(
    r"\s+is\s+(?:(?i:dr|mr|mrs|ms|miss)\.?\s+(?=[A-Z]))?(?P<name>[^\W\d_][\w'-]*)"
    r"(?:\s+[A-Z][\w'-]+)?(?=\s*(?:[.,!;]|$))"
)
"""A name said with "is" after the relation, where the clause ends: "my girlfriend is sophie",
"my manager is Tom Baker" (Tom), "my dentist is Dr Patel" (Patel)."""
_NAMED_BEFORE = re.compile(
    r"(?:^|[.,;!?]\s+|\b(?:and|but|so)\s+)(?P<name>[^\W\d_][\w'-]*)(?:\s+[A-Z][\w'-]+)?"
    r"\s+(?:is|was|'s|’s)\s+$"
)
"""A name said before "is my …": "Tom Baker is my manager" (Tom)."""
_BEFORE_SPAN = 80
"""How far before "my manager" a name is looked for (a long text is never read again whole
for each relation it names)."""


def _has_called(kind: str) -> str:
    """A person or pet of ``kind`` (a pattern) and the name they are called by: "a dog
    called biscuit"."""
    return (
        rf"(?:a|an)\s+(?:\w+\s+)?(?P<rel>{kind})(?:\s*,)?\s+(?:called|named)\s+"
        r"(?P<name>[^\W\d_][\w'-]*)"
    )


_HAS_CALLED = _has_called(PEOPLE)
_ANY_KIND = rf"{PEOPLE}|[^\W\d_]{{3,}}"
"""What someone the user has by name is, in any word ("a greyhound called Biscuit")."""
_HAVE_NAMED = re.compile(
    r"\b(?P<who>i|we)(?:'ve|’ve)?(?:\s+(?:just|also|now|have|had|got|adopted|rescued|own))+"
    r"\s+" + _has_called(_ANY_KIND),
    re.IGNORECASE,
)
"""A person or pet the user says they have by name: "we have a dog called biscuit", "I just
adopted a rescue cat named Pickles", "i've got a little sister called Ana", "we adopted a
greyhound called Biscuit" (whatever the word for what they are)."""
_ALSO_NAMED = re.compile(rf"(?:,|\band)\s+{_HAS_CALLED}", re.IGNORECASE)
"""One more of them in the same breath: "… and a cat named pickles"."""
_NOT_A_NAME = re.compile(
    r"^(?:is|was|has|had|and|or|but|who|which|that|just|also|still|now|got|gets|the|a|an|"
    r"in|on|at|to|for|from|with|of|by|so|when|if|because|bc|says|said|keeps|lives|works|loves|"
    r"hates|likes|can|can't|cant|will|won't|would|did|does|doesn't|didn't|isn't|wasn't|"
    r"name|names|birthday|wife|husband|kids|place|house|car|new|old|too|are|were|be|been|"
    r"plays|goes|thinks|wants|needs|makes|takes|turns|starts|runs|comes|visits|calls|knows|"
    r"seems|looks|feels|moves|stays|eats|drinks|sleeps|uses|teaches|wears|finds|tells|told|"
    r"gave|really|always|never|usually|finally|probably|totally|literally|actually|often|"
    r"sometimes|recently|basically|definitely|honestly|apparently|kinda|sorta|mostly|only|"
    r"even|already|then|very|prefers|enjoys|adores|misses|owns|drives|studies|writes|speaks|"
    r"reads|sings|cooks|bakes|swims|walks|talks|helps|hopes|believes|sounds|sends|texts|"
    r"appointment|appointments|appt|surgery|practice|clinic|office|checkup|check-up|"
    r"wedding|funeral|graduation|recital|party|school|job|phone|number|email|address|"
    r"\w+(?:'s|’s))$",
    re.IGNORECASE,
)
"""Words after a relation that are no name ("my sister really likes it", "my son's team")."""
_VERB_FORM = re.compile(r"^\w+(?:ed|ing)$", re.IGNORECASE)
"""A word that is a verb form in lower case ("my sister moved", "my dad loving it") and may
be a name written with a capital ("my brother Ahmed", "my friend Ming")."""


def _named(word: str) -> bool:
    """Whether the word after a relation is its person's name."""
    if _NOT_A_NAME.match(word):
        return False
    return word[:1].isupper() or not _VERB_FORM.match(word)


NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        "a an the not so just here back new fine good ok okay sure sorry glad happy sad "
        "tired done ready home out off in on at up over still also really very too only "
        "going trying looking feeling getting gonna married single retired pregnant busy "
        "free late early lost stuck bored hungry sick ill well alright great nervous excited "
        "worried scared afraid allergic from with into about like irish british english "
        "scottish welsh american canadian australian indian chinese japanese french german "
        "spanish italian polish dutch swedish norwegian danish greek turkish mexican "
        "brazilian nigerian kenyan jewish muslim catholic hindu buddhist sikh atheist vegan "
        "vegetarian",
    )
)
"""Words that follow "I'm" and are no name ("I'm tired", "i'm so…", "hello, I'm Irish")."""
_WHAT_THEY_ARE = re.compile(
    r"(?:ish|ese|ian|ean|ic)$|^(?:amazing|awesome|away|gone|deaf|blind|autistic|adhd|cute|"
    r"nice|kind|mad|cool|hot|sweet|smart|upset|awake|asleep|pissed|furious|lovely|perfect|"
    r"beautiful|gorgeous|wonderful|annoyed|annoying|moving|visiting|staying|working|coming|"
    r"leaving|cheating|abroad|overseas|older|younger|taller|shorter|right|wrong|unwell|fab|"
    r"fantastic|brilliant|terrible|awful|the|a|an|my|so|such|also|still|always|never|not)$",
    re.IGNORECASE,
)
"""Words after "is" that say what the partner is, where or how they are, not who."""
_NOT_A_LOWER_NAME = re.compile(r"(?:y|ed|ing|ful|ous|ive|ble|less|al|ent|ant)$", re.IGNORECASE)
"""Endings of a word in lower case that is a state rather than a name ("my gf is grumpy")."""


def _named_before(word: str) -> bool:
    """Whether the word before "is my manager" is a name ("Tom"), not "this" or "she"."""
    return word[:1].isupper() and word.lower() not in _NOT_BEFORE and named_after_is(word)


_NOT_BEFORE = frozenset(
    re.findall(
        r"\S+",
        "i it this that he she they who what which there here everyone someone nobody one "
        "mine yours hers his theirs ours",
    )
)


def named_after_is(word: str) -> bool:
    """Whether the word after "my girlfriend is" is her name ("leah"), not what she is
    ("sick", "Italian", "pregnant")."""
    if word.lower() in NOT_NAMES or _WHAT_THEY_ARE.search(word):
        return False
    return word[:1].isupper() or not _NOT_A_LOWER_NAME.search(word)


_LEAD_WORDS = "oh|and|but|so|also|anyway|btw|ok|yeah|fyi"
_LEAD = rf"^(?P<opening>\s*(?:(?:{_LEAD_WORDS})\W+)*)"
"""What may open a clause before the words read (``opening``: "btw wife's a vet")."""
_LEAD_SAID = rf"^(?P<opening>\s*(?:(?:{_LEAD_WORDS}|lol|ngl|tbh)\W+)*)"
"""The same, and the asides that may open what the user says of themselves."""
_THINGS = (
    "flight|train|appointment|interview|exam|rent|mortgage|car|bike|phone|laptop|bday|"
    "birthday|anniversary|shift|commute|lease|visa|passport|surgery|op|operation|scan"
)
"""Things of one's own that chat names without "my" ("flight to nairobi is on the 5th")."""
_BARE_RELATION = re.compile(
    rf"{_LEAD}"
    rf"(?P<rel>{PEOPLE}|{_THINGS}|name(?=(?:'s|’s|\s+is)\s+[^\W\d_]))"
    r"(?:\s+(?P<name>(?-i:[A-Z])[\w'’-]+))?"  # "girlfriend Hana is pregnant"
    r"(?=(?:'s|’s|s(?=\s+(?:birthday|bday|name|wedding|funeral|party|appointment|anniversary)\b))\s"
    r"|(?:\s+(?:home|back)|\s+(?:to|from|for|with)\s+[\w\s]{1,30}?)?\s+(?:is|isn't|"
    r"was|wasn't|has|had|just|got|gets|lives|lived|works|worked|loves|hates|likes|wants|needs|"
    r"called|named|turned|turns|started|starts|moved|retired|says|said|thinks|can't|can|doesn't|"
    r"does|"
    r"did|didn't|will|won't|keeps|plays|goes|went|finally|still|never|always|now|lands|leaves|"
    r"departs|ends)\b)",
    re.IGNORECASE,
)
"""A clause that opens with one of the user's people, pets or things, or a name, and no
word that says whose ("wife's name is Grete", "hubby works at tesco", "flight to nairobi is
on the 5th", "name's Tavita"): the user's own, as chat writes it; "a friend said", "the
dentist's" and "teacher training starts" are not."""
_DONE = (
    "moved|started|quit|left|got|been|grew up|studied|went|joined|bought|sold|finished|lost|"
    "broke|switched|became|adopted|graduated|learned|learnt|tore|injured|trained|worked|lived|"
    "passed|booked|signed up|gave up|took up|picked up|ran|completed|won|visited|stopped|began|"
    "founded|launched|turned"
)
"""What the user did, as chat says it without "I"."""
_THEN = "just|finally|recently|officially|actually"
"""Words that may come before what the user did ("just moved to cardiff")."""
_DOING_NOW = (
    "staying|living|working|moving|starting|studying|training|saving|planning|learning|"
    "volunteering|retiring|renting|commuting|teaching|applying|switching"
)
"""What the user is doing these days, as chat says it without "I'm"."""
_SUBJECTLESS = re.compile(
    rf"{_LEAD_SAID}"
    rf"(?=(?:(?:{_THEN})\s+)?(?:{_DONE})\s+"
    r"(?!(?:you|u|it|that|this|away)\b)"
    r"[\w£$€]|(?:live|work|teach|study)\s+(?:in|at|as|for|near)\s+(?!progress|the moment)\w)",
    re.IGNORECASE,
)
"""A clause that opens with what the user did and says no one did it ("moved to perth from
durban in 2019", "been vegetarian since uni"): the user did, as chat leaves "I" out."""
_SUBJECT_PRONOUN = re.compile(r"^(?P<pro>he|she)(?P<contracted>'s|’s|s)?\b", re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"^(?P<pro>his|her)\s+(?=(?:name|surname|(?:last|middle|maiden|full|family)\s+name|nickname|"
    r"birthday|bday|job|age|email|number|phone|address|school|wife|husband|partner|girlfriend|"
    r"boyfriend|son|daughter|kids|allerg\w+)\b)",
    re.I,
)
""""his" or "her" that opens a clause about the person's name, birthday, job, age, contact
details or family ("her name was Dorota", "his surname is reyes")."""
_OPENING = re.compile(r"^(?:(?:oh|and|but|so|also|anyway|btw|lol|haha|ok|yeah)\W+)+", re.I)
_HIM = re.compile(r"\bhim\b", re.IGNORECASE)
_HER = re.compile(
    r"\bher\b(?=\s*(?:$|[^\w\s]|(?:a lot|so|too|loads|every|more|less|already|and|but|"
    r"to bits|dearly)\b))",
    re.IGNORECASE,
)
""""her" as an object ("i miss her a lot"), not as a possessive ("her accounts")."""
_CONTINUES = re.compile(
    r"^(?:\d|(?:in|on|at|from|near|with|without|for|since|until|till|due|out|back|around|"
    r"mostly|still|plus|esp|especially|been|it's|its|it is|like|as in|ie|i\.e\.|eg|e\.g\.)\b"
    r"|(?!(?:some|no|every|any)thing\b|morning|evening|spring|string|king|ring|wedding|"
    r"building|ceiling|darling|sibling|duckling|pudding|during)\w{2,}ing\b)",
    re.IGNORECASE,
)
_GERUND_SUBJECT = re.compile(r"^\w+ing\b.*\b(?:is|are|was|helps|makes|keeps|gives|drives)\b", re.I)
_DENIED = re.compile(
    r",?\s+not\s+(?!(?:just|only|even|really|sure|too|that|a|an|the|so|very|much|yet|at|"
    r"anymore|any|ever|always|quite|exactly|because|bc|to|in|on|for|with|sure)\b)"
    r"(?P<value>[\w'-]+(?:\s+[\w'-]+)?)(?=\s*(?:[^\w\s]|$))",
    re.IGNORECASE,
)
_AUXILIARY = re.compile(
    r"(?:\b(?:am|is|are|was|were|do|does|did|can|could|will|would|should|have|has|had|i|"
    r"it|that|this|why|or|and|if|whether|probably|definitely|still)|'m|'s|'re|’s)$",
    re.IGNORECASE,
)


def _gender(relation: str) -> str:
    relation = relation.lower()
    if re.fullmatch(_MALE, relation):
        return "he"
    if re.fullmatch(_FEMALE, relation):
        return "she"
    return "either"


def people(text: str) -> list[tuple[str, str]]:
    """The people a text names as the user's, in order: ``(as written, "he"|"she"|"either")``,
    e.g. ``("my uncle terry", "he")``; one the user says they have by name is theirs too
    ("we have a dog called biscuit": ``("our dog biscuit", "either")``)."""
    found: list[tuple[int, str, str]] = []
    for match in _RELATION.finditer(text):
        phrase = f"{match.group('owner').lower()} {match.group('rel')}"
        name = match.group("called") or match.group("name")
        said = _IS_NAMED.match(text, match.end("rel"))
        if not (name and _named(name)) and said and named_after_is(said.group("name")):
            name = said.group("name")  # "my girlfriend is sophie, she's a nurse"
        before = _NAMED_BEFORE.search(text[max(0, match.start() - _BEFORE_SPAN) : match.start()])
        if not (name and _named(name)) and before and _named_before(before.group("name")):
            name = before.group("name")  # "Tom Baker is my manager"
        if name and _named(name):
            phrase = f"{phrase} {name}"
        found.append((match.start(), phrase, _gender(match.group("rel"))))
    for match in _THEIRS.finditer(text):
        theirs = text[match.start() : match.end("rel")].lower()
        name = match.group("name")
        if name and _named(name):
            theirs = f"{theirs} {name}"
        found.append((match.start("rel"), theirs, _gender(match.group("rel"))))
    have = _HAVE_NAMED.search(text)
    if have is not None:
        owner = "our" if have.group("who").lower() == "we" else "my"
        for match in (have, *_ALSO_NAMED.finditer(text, have.end())):
            if _named(match.group("name")):
                phrase = f"{owner} {match.group('rel')} {match.group('name')}"
                found.append((match.start(), phrase, _gender(match.group("rel"))))
    return [(phrase, gender) for _, phrase, gender in sorted(found)]


def name_in(phrase: str) -> str:
    """The name a phrase of :func:`people` ends with ("my sister priya" → "priya"); "" for a
    relation alone, in however many words ("my best friend", "our dog")."""
    words = phrase.split()
    if len(words) < 3 or re.fullmatch(PEOPLE, " ".join(words[1:]), re.IGNORECASE):
        return ""
    return words[-1]


def names(text: str) -> tuple[str, ...]:
    """The names of the user's people and pets a text gives beside their relation, as a page
    is named ("my sister priya lives in leeds" → ``("Priya",)``)."""
    found = (name for p, _ in people(text) if (name := name_in(p)))
    return tuple(dict.fromkeys(n[:1].upper() + n[1:] for n in found))


_ONES = (
    r"mum|mom|mam|dad|nan|nana|gran|granny|grandma|grandad|grandpa|wife|husband|hubby|partner|"
    r"boyfriend|girlfriend|bf|gf|fianc[eé]e?"
)
"""The user's people there is one of, whose "s" after them says "is" or "has" ("mums on
furosemide"), never more than one of them."""
_ONES_IS = re.compile(
    rf"{_LEAD}(?:(?P<my>my|our)\s+)?(?P<rel>{_ONES})s(?=\s+(?:moved|on|in|at|been|got|gone|had|"
    r"having|going|doing|started|stopped|back|home|not|still|just|off|out|away|so|really|now)\b)",
    re.IGNORECASE,
)


def owned(clause: str) -> str:
    """``clause`` with "my" before the person, pet or thing it opens with, when no word says
    whose it is ("wife's name is Grete" → "my wife's name is Grete", "mums on furosemide" →
    "my mum's on furosemide"); unchanged otherwise."""
    if (one := _ONES_IS.match(clause)) is not None and not one["rel"].isupper():
        mine = "" if one["my"] else "my "
        return f"{clause[: one.start('rel')]}{mine}{one['rel']}'s{clause[one.end() :]}"
    match = _BARE_RELATION.match(clause)
    if match is None or match.group("rel").isupper():  # "GRANDMA'S SHORTBREAD": a title
        return clause
    if match.group("name") and match.group("rel")[:1].isupper():
        return clause  # "Teacher Training starts monday": a title, not a teacher's name
    return f"{clause[: match.start('rel')]}my {clause[match.start('rel') :]}"


_STATE = re.compile(
    rf"{_LEAD_SAID}"
    r"(?=allergic\s+to\s+\w|on\s+(?:warfarin|insulin|metformin|statins?|the pill|"
    r"antidepressants|blood thinners|meds|medication)\b"
    r"|(?:(?:lactose|gluten|fructose)[\s-]+intolerant|(?:left|right)[\s-]handed|vegetarian|vegan|"
    r"pescatarian|teetotal|diabetic|coeliac|celiac|pregnant|married|engaged|single|divorced|"
    r"widowed|retired|self[\s-]employed|unemployed|dyslexic|autistic|asthmatic|epileptic|"
    r"colou?r[\s-]?blind|deaf|sober)"
    r"(?:\s*$|\s*[,.;:!(]|\s+(?:since|for|and|but|so|btw|lol|now|too|from|after)\b))",
    re.IGNORECASE,
)
"""A clause that opens with a lasting state of the user's and no one it belongs to, as in a
list about oneself ("- lactose intolerant", "allergic to shellfish (proper allergy)")."""
_DOING = re.compile(
    rf"{_LEAD_SAID}"
    rf"(?=(?:{_DOING_NOW})"
    r"\s+(?:put|in|at|as|for|to|up|on|from|near|with|a|an|my|our|the|part|full|remotely|"
    r"abroad|home)\b(?!\s+(?:this|that|it|them|you|u)\b))",
    re.IGNORECASE,
)
"""A clause that opens with what the user is doing these days and says no one is ("staying
put in Bristol for now", "saving for a house", "training for a marathon"): the user is."""
_FEELING = re.compile(
    rf"{_LEAD_SAID}"
    r"(?=(?:can'?t stand|can'?t eat|can'?t have|can'?t drink|hate|love|prefer|adore|"
    r"despise)\s+(?!(?:you|u|it|that|this|when)\b)\w)",
    re.IGNORECASE,
)
"""A clause that opens with a liking or dislike and no one who has it ("can't stand
olives", "hate mornings"): the user's."""


_DONE_WORDS = frozenset(re.findall(r"[a-z]+", f"{_DONE}|{_DOING_NOW}|{_THEN}")) - {"up"}
"""The verbs of :data:`_DONE` and :data:`_DOING_NOW`, one word each ("grew" of "grew up"), and
the words that may come before them ("I Just got the job")."""
_CAPITAL_AFTER_I = re.compile(r"\b(I|I'm|I've) ([A-Z])([a-z]+)\b")


def verb_cased(text: str) -> str:
    """``text`` with a verb chat capitalised at the start of a clause put in lower case once
    "I" stands before it ("I Got the job" → "I got the job"); other capitals stay ("I Love
    NY" is as typed). Read for storing only: the rules see the words as typed."""

    def lowered(match: re.Match[str]) -> str:
        word = match.group(2) + match.group(3)
        if word.lower() not in _DONE_WORDS:
            return match.group(0)
        return f"{match.group(1)} {word.lower()}"

    return _CAPITAL_AFTER_I.sub(lowered, text)


def subjected(clause: str) -> str:
    """``clause`` with "I" before what the user did, is doing, a state of theirs or a liking
    when it says no one's it is ("moved to perth in 2019" → "I moved to perth in 2019",
    "staying put in Bristol" → "I'm staying put in Bristol", "lactose intolerant" → "I'm
    lactose intolerant", "can't stand olives" → "I can't stand olives"); unchanged
    otherwise."""
    for pattern, who in (
        (_SUBJECTLESS, "I"),
        (_DOING, "I'm"),
        (_STATE, "I'm"),
        (_FEELING, "I"),
    ):
        if match := pattern.match(clause):
            rest = clause[match.end("opening") :]
            if rest[:5].lower() == "been ":
                who = "I've"  # "been vegan since uni"
            return f"{clause[: match.end('opening')]}{who} {rest}"
    return clause


def resolve(clause: str, named: list[tuple[str, str]]) -> str:
    """``clause`` with an opening "he"/"she" (and "him") replaced by the last person in
    ``named`` it can refer to, and one of them said by name alone said as whose they are;
    unchanged when none can be."""
    clause = _by_name(clause, named)
    match = _SUBJECT_PRONOUN.match(clause.strip())
    if match is None:
        return _possessed(clause, named)
    pronoun = match.group("pro").lower()
    who = next((p for p, g in reversed(named) if g in (pronoun, "either")), None)
    if who is None:
        return clause
    rest = clause.strip()[match.end() :]
    if match.group("contracted"):
        rest = (" has" if re.match(r"\s+(?:been|got)\b", rest) else " is") + rest
    resolved = who + rest
    return _HIM.sub(who, resolved) if pronoun == "he" else resolved


def _names_opening(verbs: str, surname: bool = False) -> re.Pattern[str]:
    """Words that open a clause (at the start, after a mark or a lead word such as "and" or
    "btw") and are said of someone with one of ``verbs`` or "'s"; read behind each word, so
    a run of marks or spaces is read once. With ``surname``, one more word may stand between
    the name and the verb ("tom baker is leaving"), and a name of two letters opens one ("jo's
    surname"): only the user's people are looked up by it."""
    behind = "|".join(
        [
            r"^",
            r"(?<=[,.;!?])",
            r"(?<=[,.;!?] )",
            *(rf"(?<=\b{w} )" for w in _LEAD_WORDS.split("|")),
        ]
    )
    return re.compile(
        rf"(?:{behind})"
        + (rf"(?!(?:{_LEAD_WORDS}|the|my|our|his|her|their)\b)" if surname else "")
        + (r"(?P<word>[^\W\d_][\w-]+)" if surname else r"(?P<word>[^\W\d_][\w-]{2,})")
        + (r"(?:\s+(?!(?:is|was|has|had)\b)[^\W\d_][\w-]{2,})?" if surname else "")
        + rf"(?=(?:\s+(?:{verbs})|'s|’s)\b)",
        re.IGNORECASE,
    )


_NAME_OPENS = _names_opening("is|was|has|turned|just", surname=True)
"""A name that opens a clause before "is", "has" or "turned" ("biscuit is 3 now")."""
NAMED_ALONE = _names_opening("is|was|has|had|turned|just|got|loves|hates")
"""The same with more that is said of someone, for finding who they are ("biscuit loves
walks")."""


_OPENED_BY = re.compile(
    r"^\W*(?:(?:so|oh|and|also|btw|update|ugh|omg|guess\s+what)\W+)*"
    r"(?P<name>[^\W\d_][\w'’-]*?)(?:['’]s)?\s+(?:just\s+|finally\s+)?"
    r"(?:(?P<person>quit|left|moved|started|joined|works|lives|retired|resigned|graduated|"
    r"got\s+(?:a|the|his|her|their|married|engaged|promoted|fired))|is|was|has|had|turned|"
    r"loves|hates)\b",
    re.IGNORECASE,
)


def opened_by_name(clause: str) -> list[tuple[str, str]]:
    """The one a clause opens with by a name alone ("kofi quit mtn"), as someone a pronoun
    after it may mean ("hes at vodafone now": Kofi, not whoever was named before); none for
    a clause that opens with anything else."""
    m = _OPENED_BY.match(clause)
    if m is None:
        return []
    name = m["name"]
    if not m["person"] and not name[:1].isupper():
        return []  # "work is busy": only what a person does makes a word in lower case one
    if name.lower() in NOT_NAMES or name.lower() in _NOT_BEFORE or not _named(name):
        return []
    if _RELATION.match(clause) or re.fullmatch(PEOPLE, name, re.IGNORECASE):
        return []  # "my sister is…", "mum is…": read with whose they are
    return [(name, "either")]


def _by_name(clause: str, named: list[tuple[str, str]]) -> str:
    """``clause`` with each of the user's people or pets it speaks of by a name alone said as
    whose they are ("biscuit is 3 now, pickles is like 14" after "we have a dog called
    biscuit and a cat named pickles" → "our dog biscuit is 3 now, our cat pickles is like
    14"), so that the fact says whom it is about."""
    phrases = {name.lower(): p for p, _ in named if (name := name_in(p))}
    if not phrases or _RELATION.search(clause):
        return clause  # "kwame is my cousin": the clause says who they are

    def said(match: re.Match[str]) -> str:
        phrase = phrases.get(match.group("word").lower())
        if phrase is None:
            return match.group(0)
        name = match.group(0)
        if name_in(phrase)[:1].isupper():  # "tom baker" of "my manager Tom" is Tom Baker
            name = " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
        return f"{phrase.rsplit(' ', 1)[0]} {name}"

    return _NAME_OPENS.sub(said, clause)


def _possessed(clause: str, named: list[tuple[str, str]]) -> str:
    """``clause`` with an opening "his" or "her" said as the last person it can be ("her
    name was Dorota" → "my grandmother's name was Dorota"); unchanged when none can be."""
    match = _POSSESSIVE.match(clause.strip())
    if match is None:
        return clause
    gender = "he" if match.group("pro").lower() == "his" else "she"
    who = next((p for p, g in reversed(named) if g in (gender, "either")), None)
    return clause if who is None else f"{who}'s {clause.strip()[match.end() :]}"


_NAMING = re.compile(r"\b(?:call|calling|called|name|naming|named)\s+(?:him|her)\b", re.I)
"""A name being given ("we're calling him otis"): "him" is whoever is named, not the last
person said."""


def resolve_objects(clause: str, named: list[tuple[str, str]]) -> str:
    """``clause`` with "him" and "her" replaced by the last man or woman named ("i miss
    him" → "i miss my grandpa"); unchanged when the clause names someone itself."""
    if _RELATION.search(clause) or _NAMING.search(clause):
        return clause  # "calling him otis instead": whom the name is for is not said
    for pattern, gender in ((_HIM, "he"), (_HER, "she")):
        if pattern.search(clause):
            who = next((p for p, g in reversed(named) if g in (gender, "either")), None)
            clause = clause if who is None else pattern.sub(who, clause)
    return clause


def unresolved(clause: str) -> bool:
    """Whether a clause opens with "he" or "she" that no person named before explains."""
    return _SUBJECT_PRONOUN.match(_OPENING.sub("", clause.strip())) is not None


def continues(clause: str) -> bool:
    """Whether a clause has no subject of its own and goes on from the one before it
    ("due in april", "3 bed outside columbus", "running 5x a week rn", "it's 07700 900461",
    "like proper hives")."""
    text = clause.strip()
    return _CONTINUES.match(text) is not None and _GERUND_SUBJECT.match(text) is None


def without_denied(clause: str) -> str:
    """``clause`` without the value it denies ("miso, not tofu" → "miso"); a negated verb
    ("I'm not pregnant", "it's not Naomi") is left alone."""

    def drop(match: re.Match[str]) -> str:
        before = clause[: match.start()].rstrip(" ,")
        return match.group(0) if _AUXILIARY.search(before) else ""

    return _DENIED.sub(drop, clause)
