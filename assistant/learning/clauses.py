"""Clauses of a message: the units facts are kept in, in the user's own words, cleaned.

A message is split into sentences, and a compound sentence at the joints where a second fact
starts (", and I…", "; ", " but ", " and my sister is…", and " and work as…" after "I live
in Leeds", the subject said again: "I work as…"). A self-introduction written as a
list ("I'm Priya, 41, a nurse, living in Leeds") gives one clause per item, each with its
subject ("I'm 41.", "I'm a nurse."). Filler at the edges ("hey,", "btw", "lol", "ugh") is
dropped and the first letter capitalised; nothing else in the wording changes.
"""

from __future__ import annotations

import re

from assistant.learning.context import ABBREVIATION, continues
from assistant.learning.validate import has_predicate

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|;\s*|(?<![ \t])[ \t]+(?:—|–|-)\s+")
"""Where a message's sentences part: after ".", "!" or "?", at a line break or ";", and at a
dash between spaces (the spaces before it read from the first, so a long run of spaces is read
once)."""
_SUBJECT = (
    r"(?:i|i'm|im|i've|ive|i'd|i'll|we|we're|we've|our|she|he|they|she's|he's|shes|hes|"
    r"they're|theyre|it's|my)"
)
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764\ufe0f"
_JOINT = re.compile(
    rf",\s*(?:and|but|so|plus|though)\s+(?={_SUBJECT}\b)"
    rf"|\s+(?:but|although|though|whereas|plus)\s+(?={_SUBJECT}\b)"
    rf"|,?\s+and\s+(?=(?:i|i'm|im|i've|we|we're|we've|she's|he's)\b)"
    r"|,?\s+and\s+(?=(?:she|he|they)\s+(?:is|was|has|works|lives|loves|likes|hates|teaches)\b)"
    r"|,?\s+and\s+(?=my\s+\w+(?:\s+[A-Za-z]\w*)?\s+(?:is|has|lives|works|loves|hates|was|got|"
    r"just|likes|goes|plays|moved|started|'s)\b)"
    rf"|,\s+(?={_SUBJECT}\s+\w+)"
    r"|,\s*(?:and\s+)?then\s+(?=(?:the|my|our|a|an|his|her|their|i|we|he|she|they|it)\s+\w+"
    r"\s+\w)"  # "…on tuesday, then the plumber didn't show", not "…, then to york"
    r"|,\s*(?:and|but|while)\s+(?=[^\W\d_][\w'-]*\s+(?:is|has|hates|loves|likes|lives|works|"
    r"was|goes|plays|needs|can't|won't|doesn't|isn't)\b)"
    r"|,\s*(?=(?:can|could|would|will|pls|please)\s+(?:someone|somebody|anyone|you|u|ya)\b)"
    r"|,?\s+so\s+(?=(?:can|could|should|shall|would|will|do|does|is|am|are)\s+(?:i|we|you|u)\b"
    r"|(?:what|which|how|where|any)\s+\w)"
    r"|,?\s+so\s+(?=(?:no|pls|please|plz|don'?t|do not|never|always|avoid|be|keep)\s+\w)"
    r"|,?\s+and\s+(?=(?:please|pls|plz)\s+(?:always|never|don'?t|do not|use|answer|reply|"
    r"respond|call|keep|be|stop|give|write|talk|speak|avoid)\b)"
    r"|[\s,]+(?=(?:btw|anyway|anyways)\s+(?:what|what's|whats|how|any|where|which|who|can|"
    r"could|do|does|is|are|should)\b)"
    r"|,\s*(?=any\s+(?:\w+\s+)?(?:ideas?|tips|suggestions|recs|recommendations|advice|"
    r"thoughts)\b)"
    rf"|,?\s+(?:cos|coz|cuz|because|bc|since)\s+(?=(?:i|i'm|im|i've|we|we're|my)\s+\w)"
    r"|,\s+(?=[^\W\d_][\w'-]*\s+(?:didn't|doesn't|isn't|wasn't|won't|can't|hasn't)\s)"
    r"|,\s*(?=if\s+(?:i|we|it|it's|its|you|u|he|she|they|there)\b)"
    r"|[\s,]+(?=(?:anyway|anyways)\s+(?:i|i'm|im|i've|we|we're|my)\b)"
    rf"|(?<=[{_EMOJI}])\s+(?=(?!(?:and|or|but|so|too|with|for|lol|haha|xx*)\b)[^\W\d_])",
    re.IGNORECASE,
)
"""Where one clause ends and the next begins: before a subject of its own after "and",
"but" or a comma, and before a request or a question that follows a fact ("my flight
lands at 6:50pm, can someone grab me", "I'm on warfarin so can I take ibuprofen?"), and
before a reason that says a fact of its own ("my wifi is terrible cos I live in Aldbourne"),
a condition ("my birthday's july 14th, if it wasn't on a weekday i'd…"), "anyway" and what
follows a face ("so stressed today 😤 anyway i'm a freelance designer")."""
_ELIDED = re.compile(
    r",?\s+and\s+(?=(?:live|lived|work|worked|teach|teaches|study|studied|have|had|love|like|"
    r"enjoy|hate|play|run|own|drive|speak|cook|volunteer|coach|go|moved|started|use|take|sing|"
    r"write|paint|swim|cycle|walk|grow|keep|make|do|did|commute|rent|share|care|look|"
    r"support|collect|train|practise|practice|attend|belong|wear|read|watch|eat|drink)\b)",
    re.IGNORECASE,
)
"""Where "and" joins a second fact whose subject is left out ("I live in Leeds and work as a
nurse", "we have twins and live in York"): a verb a user says of themselves follows it."""
_ELIDING = re.compile(r"^(i|i'm|im|i am|we|we're|we are)\s+\S+\s+\S", re.IGNORECASE)
"""A clause whose subject a second one may leave out: "I" or "we", with a verb and more."""
_GOVERNED = re.compile(
    r"\b(?:(?:want|wants|wanted|need|needs|needed|try|trying|tried|going|plan|plans|planning|"
    r"hope|hoping|like|love|have|has|had|used|got|able|about)\s+to|can|could|will|would|should|"
    r"might|may|must|i'll|we'll|i'd|we'd|if|when|once|before|after|until|because)\b",
    re.IGNORECASE,
)
"""A clause whose verbs a second one shares ("I want to learn Spanish and travel", "I can
swim and cook", "if I move and work from home"): it is never cut."""
_BACK_REFERRING = re.compile(
    r"^\s*(?:i|we|she|he|they)\s+(?:gave\s+(?:it\s+)?up|quit|stopped|packed\s+it\s+in|"
    r"kicked\s+it|did|do|don't|didn't|still\s+do|never\s+did|can't|won't|used\s+to)"
    r"(?:\s+(?:in|on|at|last|this|a|an|about|around|after|since|ages|years?|months?|"
    r"weeks?|ago|back|then|now|anymore|any\s+more|\d)[\w\s']*)?\W*$"
    r"|^\s*(?:(?:i|we|she|he|they)\s+)?(?:have|has|'ve|’ve)\s+(?:been|done\s+it)\s+"
    r"(?:ever\s+)?(?:since|for)\b[\w\s']*\W*$",
    re.IGNORECASE,
)
"""A clause whose verb needs the one before it to say what ("…but I gave up in 1998", "…but
I don't anymore", "…and have been since 2008"): it is never cut from it."""
_PRONOUN_ONLY = re.compile(r"^\S+\s+(?:it|this|that|them|him|her|one)\W*$", re.IGNORECASE)
_INTRO = re.compile(r"^(?:i'm|im|i am)\s+\S", re.IGNORECASE)
_INTRO_ITEM = re.compile(
    r"^(?:\d{1,3}(?:\s*(?:yo|y/o|years? old))?|an?\s+\S.*|(?:living|working|based|born|from|"
    r"originally|studying|married|single|divorced|retired|engaged|widowed|pregnant|"
    r"expecting|currently)\b.*|(?:[^\W\d_][\w'-]*\s+){1,2}(?:based|living|working)\s+(?:in|at|"
    r"near|from)\b.*|[^\W\d_][\w'-]*)(?:\s*[^\w\s.,!?;:]+)*\s*$",
    re.IGNORECASE,
)
"""An item of a self-introduction written as a list: an age, "a nurse", "living in Leeds",
"freelance dev based in leipzig", a name or one word ("vegan"), an emoji after it or not
("34 🙂"); anything else ("fun times") is not said of the user."""
_FRAGMENT_START = re.compile(
    rf"^(?:{_SUBJECT}|and|but|so|the|this|that|there|if|when|because|who|which|what)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:(?:hey+a?|hi+|hello)\s+there|hey+a?|hiya|howdy|hi+|hello|yo|so|well|"
    r"good (?:morning|evening)|morning|evening|"
    r"oh|ok(?:ay)?|btw|by the way|anyway|also|and|but|fyi|"
    r"yeah|yes|yep|ugh+|lol|haha+|hmm+|um+|uh+|tbh|honestly|ngl|oh and|oh btw|quick one|"
    r"fun fact|also fyi|actually|just so (?:you|u|ya) know|so (?:you|u) know|for the record|"
    r"oh also|if it helps|real talk|heads up|new info|context|basically|update|for real|"
    r"seriously|jok(?:es?|ing) aside|in all seriousness|"
    r"correction(?: to (?:earlier|before|what i said))?|"
    r"note to (?:self|myself)|reminder (?:for|to) (?:self|myself)|for future reference|"
    r"edit|note|ps|p\.s|(?:work|job|career|money|health|family|life)[ -]?wise|as for (?:work|me))"
    r"\b[,!:.]*\s*"
    r"|(?:(?:big|good|great|bad|sad|exciting|happy|huge|some|fun|random) news|guess what|psa|"
    r"(?:quick|small|life|little) update|plot twist|news flash|breaking news|random thought)"
    r"\s*[,!:.—–-]+\s*"
    rf"|[{_EMOJI}:;()\-\s]+)+",
    re.IGNORECASE,
)
EMOTICON = r"(?::-?[()D]|;-?\)|:'\()"
"""A face typed with punctuation (":(", ":-)", ";)"): no word of a fact."""
_TRAILING = re.compile(
    r"(?:[\s,]+(?:lol+|lmao|lmfao|haha+|hehe+|btw|tbh|tho|though|fr|actually|ngl|fyi|ugh+|smh|fml|omg|sigh|yay+|phew|"
    rf"but|and|or|so|because|cos|xd|x+)\b|[\s,]*{EMOTICON}|"
    rf"[\s{_EMOJI}]+|[\s.,!;:~]+)+$",
    re.IGNORECASE,
)


MAX_PIECE = 400
"""Characters of a run-on sentence read at a time: one that goes on for thousands ("…, we
just wandered about and chatted, …, im allergic to wasps") is read in pieces."""


MAX_READ = 12_000
"""Characters of one message read for facts (a chat message of 2,000 words is read whole;
beyond that it is a paste or a flood, kept as what was said but not read for facts)."""


def readable(sentences: list[str]) -> list[str]:
    """The sentences of the first :data:`MAX_READ` characters, each run-on one cut at its
    commas and semicolons into pieces of at most :data:`MAX_PIECE` characters; a piece with
    no place to cut it is left out."""
    read = 0
    kept: list[str] = []
    for sentence in sentences:
        if read >= MAX_READ:
            break
        kept.append(sentence[: MAX_READ - read])
        read += len(sentence)
    sentences = kept
    out: list[str] = []
    for sentence in sentences:
        if len(sentence) <= MAX_PIECE:
            out.append(sentence)
            continue
        piece = ""
        for part in re.split(r"(?<=[,;])\s+", sentence):
            if piece and len(piece) + len(part) + 1 > MAX_PIECE:
                out.append(piece.rstrip(",; "))
                piece = ""
            piece = f"{piece} {part}".strip()
        if piece:
            out.append(piece.rstrip(",; "))
    return [s for s in out if len(s) <= MAX_PIECE]


def sentences(text: str) -> list[str]:
    """The sentences of a message: ., ! and ? end one, and so do line breaks, ";" and dashes;
    the full stop of an abbreviation ("dr.", "st.", "e.g.") does not."""
    out: list[str] = []
    glued = False
    for part in _SENTENCE.split(text):
        part = (part or "").strip()
        if not part:
            continue
        if glued and out and part[:1].isalnum():
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
        glued = ABBREVIATION.search(part) is not None
    return out


def split_sentence(sentence: str) -> list[str]:
    """The clauses of one sentence, raw (not cleaned), each one fact at most; what a joke
    takes back is left out ("i'm not allergic to anything lol jk i'm allergic to bees")."""
    sentence = _TAKEN_BACK.sub("", sentence)
    out: list[str] = []
    for part in (p for joined in _joined(sentence) for p in unelided(joined)):
        part = _LEADING.sub("", part or "").strip()
        if not part:
            continue
        if _INTRO.match(part) and "," in part and not _listed_objects(part):
            items = [i.strip() for i in part.split(",") if i.strip()]
            out.append(items[0])
            for item in items[1:]:
                if _INTRO_ITEM.match(item) and not _FRAGMENT_START.match(item):
                    out.append(f"I'm {item}")
                elif continues(item):  # "i'm a teacher, been teaching 11 years"
                    out[-1] = f"{out[-1]}, {item}"
                else:
                    out.append(item)
        else:
            out.append(part)
    return _allergic_to(out)


_ALLERGIC_ALONE = re.compile(
    r"^\W*(?:i'?m|im|i am)\s+(?:(?:so|very|really|severely|deathly|super|badly)\s+)?"
    r"allergic[\s.!]*$",
    re.IGNORECASE,
)
"""An allergy said with no what ("I'm allergic"), after the clause that names it."""
_WHAT_HARMS = re.compile(
    r"^\W*(?P<what>[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*)?)"
    r"(?:\s+(?:make|makes|give|gives|set|sets|bring|brings)\s+me\b.*|\W*)$",
    re.IGNORECASE,
)
"""What the clause before names as harming the user ("peanuts make me really ill",
"shellfish")."""


def _allergic_to(clauses: list[str]) -> list[str]:
    """The clauses, "I'm allergic" said after what it is to told as "I'm allergic to
    peanuts" ("peanuts make me really ill, I'm allergic"); alone, it says nothing and goes."""
    out: list[str] = []
    for clause in clauses:
        if not _ALLERGIC_ALONE.match(clause):
            out.append(clause)
            continue
        before = _WHAT_HARMS.match(out[-1]) if out else None
        if before is not None and before["what"].lower() not in _NOT_ALLERGENS:
            out.append(f"I'm allergic to {before['what']}")
    return out


_NOT_ALLERGENS = frozenset({"i", "it", "this", "that", "they", "these", "those", "yeah", "yes"})


_OBJECT_HEAD = re.compile(
    r"^(?:i'm|im|i am)\s+.*\b(?:to|of|into|about|at|with|on|by|for)\s+[^\W\d_][\w'-]*$",
    re.IGNORECASE,
)
"""The first item of a list of things said of the user ("i'm allergic to cats", "i'm
scared of spiders", "i'm into climbing")."""
_CLAUSE_WORD = re.compile(
    rf"\b(?:{_SUBJECT}|is|are|was|were|am|have|has|had|do|does|did|will|would|can|could|been)\b",
    re.IGNORECASE,
)
"""A word that makes an item a clause of its own, not one more thing in a list."""
_LAST_OBJECT = re.compile(r"^(?:and|or)\s+\S|\s(?:and|or)\s+\S", re.IGNORECASE)


def _listed_objects(part: str) -> bool:
    """Whether "i'm …, …" lists the objects of its first item ("i'm allergic to cats, dogs
    and penicillin"), not items of a self-introduction ("i'm priya, 41, a nurse"): a few
    words each, no verb and no number, the last joined by "and" or "or"."""
    head, *items = (i.strip() for i in part.split(","))
    return (
        bool(items)
        and _OBJECT_HEAD.match(head) is not None
        and _LAST_OBJECT.search(items[-1]) is not None
        and all(
            i and len(i.split()) <= 4 and not _CLAUSE_WORD.search(i) and not re.search(r"\d", i)
            for i in items
        )
    )


_TAKEN_BACK = re.compile(
    r"^.*?\b(?:lol\s+|haha\s+)?(?:jk|j/k|just\s+kidding|only\s+kidding|kidding)\b[\s,.!]*"
    r"(?=(?:i|i'm|im|i've|ive|we|we're|my|our|actually|really)\b)",
    re.IGNORECASE,
)
"""What a sentence says before "jk" and the truth after it."""


def unelided(part: str) -> list[str]:
    """A clause and the facts joined to it with their subject left out, each with the
    subject said ("I live in Leeds and work as a nurse": "I live in Leeds", "I work as a
    nurse"); the clause alone where its verbs govern what follows (:data:`_GOVERNED`)."""
    subject = _ELIDING.match(_LEADING.sub("", part).strip())
    if subject is None or _GOVERNED.search(part):
        return [part]
    who = "We" if subject.group(1).lower().startswith("we") else "I"
    pieces = _ELIDED.split(part)
    head = _LEADING.sub("", pieces[0]).split()
    said = len(head) - (1 if head[0].lower() in ("i'm", "im", "we're") else 2)
    if len(pieces) == 1 or said < 1 or any(_PRONOUN_ONLY.match(p.strip()) for p in pieces[1:]):
        return [part]  # "I live and work in Leeds": the first verb says nothing alone
    if any(_BACK_REFERRING.match(p) for p in pieces[1:]):
        return [part]  # "im vegan and have been for years": one fact
    return [pieces[0], *(f"{who} {p.strip()}" for p in pieces[1:])]


_COMMA_I = re.compile(r",\s+(?=(?:i|i'm|im|i've|we|we're)\s+(?!and\b|or\b)\w)", re.IGNORECASE)
"""A comma before the user speaking of themselves: a clause begins there even after words
with no verb that speak of no one ("occupational hazard, i play bass in a tribute band"; not
"I dey stay for lekki, I be software engineer", one clause in words no verb list knows)."""
_SELF = re.compile(r"\b(?:i|i'm|im|we)\b", re.IGNORECASE)


def _joined(sentence: str) -> list[str]:
    """A sentence cut at its joints, except after a part with no verb yet (in "my husband
    dev and i are expecting", "my husband dev" is part of the subject, not a clause) or
    before one that says nothing without it ("I used to smoke but I gave up in 1998")."""
    parts: list[str] = []
    start = 0
    joints = list(_JOINT.finditer(sentence))
    for n, joint in enumerate(joints):
        left = sentence[start : joint.start()]
        right = sentence[joint.end() : joints[n + 1].start() if n + 1 < len(joints) else None]
        said = has_predicate(left) or (
            _COMMA_I.match(sentence, joint.start()) is not None and not _SELF.search(left)
        )
        if joint.start() > start and said and not _BACK_REFERRING.match(right):
            parts.append(left)
            start = joint.end()
    parts.append(sentence[start:])
    return parts


_ASIDE = re.compile(r"\s+(?:btw|tbh|ngl|fyi|lol+|haha+|lmao)(?=\s*[,;]\s*\w)", re.IGNORECASE)
"""A filler word said in passing before a comma ("p is a teacher btw, year 4")."""


def clean(clause: str) -> str:
    """A clause as it is stored: filler trimmed at the edges and before a comma, capitalised,
    one full stop; a question keeps its question mark. Empty when nothing but filler was
    left."""
    text = _ASIDE.sub("", " ".join(clause.split()))
    question = re.search(r"\?[^\w]*$", text) is not None
    for _ in range(3):
        text = _LEADING.sub("", text).strip()
        text = _TRAILING.sub("", text).strip().rstrip("?").strip()
    if len(re.findall(r"\w", text)) < 2:
        return ""
    text = text[0].upper() + text[1:]
    return text + ("?" if question else ".")


_APOSTROPHES = {
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "couldnt": "couldn't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "thats": "that's",
    "theyre": "they're",
    "youre": "you're",
    "shes": "she's",
    "hes": "he's",
    "weve": "we've",
    "theyve": "they've",
    "youve": "you've",
}
"""Contractions typed without their apostrophe whose bare spelling is no word of its own
("cant", "wont", "ill", "its", "lets" and "were" are, and stay as typed)."""
_UNMARKED = re.compile(r"\b(?:" + "|".join(_APOSTROPHES) + r")\b", re.IGNORECASE)


_OWNER = re.compile(
    r"\b((?:my|our)\s+(?:sister|brother|mum|mom|mother|dad|father|wife|husband|son|daughter|"
    r"partner|friend|best friend|bestie|boss|baby|grandma|grandpa|grandmother|grandfather|aunt|"
    r"uncle|cousin|niece|nephew|girlfriend|boyfriend|fianc[eé]e?|neighbou?r|dog|cat|puppy|"
    r"kitten))s(?=\s+(?:name|names|birthday|bday|job|car|house|flat|school|wedding)\b)",
    re.IGNORECASE,
)
"""A relation whose possessive chat types without its apostrophe ("my sisters name")."""


def with_apostrophes(text: str) -> str:
    """``text`` with the contractions chat types without an apostrophe spelled out ("Im a
    nurse and ive got 2 kids" → "I'm a nurse and I've got 2 kids"; "I" is always upper case),
    and the possessive of one of the user's people ("my sisters name" → "my sister's name")."""

    def spelled(match: re.Match[str]) -> str:
        word = match.group(0)
        full = _APOSTROPHES[word.lower()]
        if word.isupper() and len(word) > 2:
            return full.upper()
        if full.startswith("i'"):
            return "I" + full[1:]
        return full[0].upper() + full[1:] if word[0].isupper() else full

    text = _WE_ARE.sub(lambda m: f"{m.group(0)[0]}e're", text)
    return _OWNER.sub(r"\1's", _UNMARKED.sub(spelled, text))


_WE_ARE = re.compile(
    r"(?:^|(?<=[.!?,;:(]\s)|(?<=\band\s)|(?<=\bso\s))were(?=\s+(?:\w+ing|in|at|on|back|home|off|"
    r"now|finally|still|all|both|so|not|just|engaged|married|expecting|moving)\b)",
    re.I | re.M,
)
""""were" that opens a clause before a verb in -ing, a place or a state is "we're" without its
apostrophe ("were going to lisbon in two weeks", "were in marple now"); after a subject it is
"were" ("they were going")."""


def clauses(text: str) -> list[str]:
    """The cleaned clauses of a message, in order, without empty ones."""
    out: list[str] = []
    for sentence in sentences(text):
        for part in split_sentence(sentence):
            cleaned = clean(part)
            if cleaned:
                out.append(cleaned)
    return out
