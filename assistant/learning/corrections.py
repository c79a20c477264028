"""Corrections and retractions, in the ways people write them.

A message may fix what the user said before ("ugh autocorrect, it's Thomas. T-H-O-M-A-S lol",
"update: gus moved to denver, not boulder", "typo, I meant 7pm", "not tuesday, wednesday") or
take it back ("scrap that, forget what I said about the dentist", "never mind the thing about
the gym"). Whether it does is decided by a classifier over the message's MiniLM embedding,
trained on ``assistant/data/acts.tsv``, with cue phrases as features; a message with no cue at
all is never embedded for this. What a correction replaces, and what a retraction is about,
is then read from the words.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from assistant.errors import AssistantError
from assistant.learning.clauses import clean
from assistant.learning.context import name_in, people
from assistant.learning.labelled import LabelledClassifier
from assistant.list_requests import list_request
from assistant.memories import Memories
from assistant.memory_types import Hit, Memory
from assistant.models.base import Embedder

log = logging.getLogger(__name__)

LABELS = ("other", "correction", "retraction")
THRESHOLD = 0.5
"""Probability from which a message is read as a correction or a retraction."""
MAX_CHARS = 300
"""Longer messages are told as they are, never read as a correction."""
TYPO_SIMILARITY = 0.7
"""How alike a misspelt word and its correction are (difflib ratio)..."""
TYPO_SAME_START = 0.55
"""... or, when both start with the same letter ("Jakub", "Jacob"), at least this alike."""
SAME_TOPIC = 0.6
"""MiniLM cosine from which a memory is about what a retraction names, word or not."""
SAME_KIND = 0.3
"""MiniLM cosine from which a word of the last fact is the one a value said alone replaces
("tesco" for "sainsbury's" 0.40, "vegetarian" for "pescatarian" 0.40, "sertraline" for
"citalopram" 0.32, "jim" for "james" 0.61; the fact's other words 0.2 or less)."""
SAME_KIND_MARGIN = 0.1
"""How much nearer than any other word of the fact that word must be."""
MAX_FORGOTTEN = 5
"""Memories a retraction forgets for their meaning alone; every one that names what it is
about is forgotten ("forget everything about sophie")."""
NAMED_SEARCH = 50
"""Memories searched for those that name what a retraction is about."""
MAX_SENTENCES = 3
STARRED_WORDS = 6
"""Words from which "*word …" is more than a typo fixed."""
"""A message of more sentences tells things; it is not read as a correction."""

_RETRACT_CUE = re.compile(
    r"(?<!let me )(?<!don't )(?<!dont )(?<!not )(?<!never )(?<!before i )(?<!always )(?<!i )"
    r"(?<!you )(?<!u )\b(?!forget\s+(?:all\s+)?(?:your|the|previous|prior|any)\s+(?:rules|"
    r"instructions|prompt|guidelines)\b)(?:forget|scrap|scratch|ignore|never ?mind|nvm|disregard|"
    r"delete|remove|erase|wipe|"
    r"drop|strike|unsay|unremember|take back|don'?t (?:keep|store|save|remember)|"
    r"pretend i never)\b",
    re.IGNORECASE,
)
_CORRECT_CUE = re.compile(
    r"\b(?:actually|correction|correct myself|update|typo|autocorrect\w*|i meant|i mean|meant to"
    r" say|should (?:be|say|read|have said)|make that|not|instead of|spel(?:led|t|ling)|wrong|"
    r"(?:my |stupid |phone )?(?:keyboard|phone)|fat fingers?|"
    r"my bad|my mistake|misspoke|misspel+ed|mixed (?:them|it) up|oops|no wait|wait no|"
    r"to clarify|fix(?=\s*:)|let me fix|fix that|err|nope|no no|edit|pardon|sorry|hang on|"
    r"hold on)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[:.]\d+)?(?:st|nd|rd|th|am|pm)?")
_SPELLED = re.compile(r"(?<![\w-])[A-Za-z](?:[-. ][A-Za-z]){2,}(?![\w-])")
_WORD = r"[\w'’:]+(?:\s?(?:am|pm)|\s\d{1,2}(?:st|nd|rd|th)?\b)?"
_TAIL = r"[\w'’: ]+?"
_ARTICLE = re.compile(r"^(?:the|my|a|an|on|in|at)\s+", re.IGNORECASE)
_PAIRS = [  # (pattern, group of the new word, group of the old one)
    (
        re.compile(
            r"\b(?:it'?s|its|it\s+is|it\s+was)\s+not\s+(?:the\s+|my\s+)?([^\W\d_][\w'-]*)\b"
            r"[^,;.]{0,40}[,;.]\s*(?:but\s+|rather\s+)?(?:it'?s|its|it\s+is)\s+(?:the\s+|my\s+)?"
            r"([^\W\d_][\w'-]*)",
            re.I,
        ),
        2,
        1,
    ),
    (
        re.compile(
            rf"\b(?:i )?(?:said|wrote|typed|put) ({_WORD}),? (?:but )?(?:i )?(?:meant|"
            rf"should (?:be|say|read|have said)|it should be) ({_WORD})",
            re.I,
        ),
        2,
        1,
    ),
    (
        re.compile(
            rf"^\W*(?:not|rather than|instead of) ({_TAIL})\s*(?:,|;|but|-|—)\s*(?:it'?s |"
            rf"it is )?(?:now )?({_TAIL})\s*[.!]*$",
            re.I,
        ),
        2,
        1,
    ),
    (
        re.compile(
            rf"({_WORD})(?:,|\.|;|\s[—–-])?\s+(?:not|rather than|instead of)\s+({_TAIL})\s*"
            r"(?:[.,!;]|$)",
            re.I,
        ),
        1,
        2,
    ),
]
_NEW_ONLY = re.compile(
    rf"\b(?:it'?s|it is|i meant|i mean|meant to say|make (?:that|it)|should (?:be|say|read|have "
    rf"said)|the name is|(?:her|his|their) name is|name'?s|spel(?:led|t)|it was)\s+({_WORD})",
    re.IGNORECASE,
)
_NOT_A_VALUE = frozenset({"my", "our", "his", "her", "their", "your", "the", "a", "an", "that"})
"""Words "I meant …" may go on with that are no value of their own."""
_STARRED = re.compile(r"^\W*?\*\s*([^\W\d_][\w'’-]*)|^\W*([^\W\d_][\w'’-]*)\*(?!\w)")
"""The chat convention for a fixed typo: "*penicillin" or "sligo*" says the word as it should
be."""
_STATEMENT_TAIL = re.compile(
    r",?\s+(?:not|rather than|instead of)\s+[\w'’: ]+?\s*(?=[.,!;]|$)", re.IGNORECASE
)
_NO_STATEMENT = re.compile(
    r"^\W*(?:it'?s|it is|i meant|i mean|meant|make that|should|(?:the|her|his|their) name"
    r"(?:'s| is)|name'?s|not\b|spel|"
    r"wrong|typo|oops|sorry|my bad|no\b|nope|err|that'?s wrong|that was)",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|am|'m|'s|'re|moved|lives?|works?|has|have|had|got|goes|go|started|"
    r"quit|left|loves?|hates?|likes?|plays?|teaches|studies|went|will|comes?|coming)\b",
    re.IGNORECASE,
)
_CUE_PREFIX = re.compile(
    r"^\W*(?:(?:ugh|ok(?:ay)?|hmm|oh|so|well|lol|sorry|oops|no+|nope|wait|actually|update|"
    r"correction|edit|typo|small fix|slight correction|just to correct myself|to clarify|"
    r"my (?:bad|mistake)|autocorrect\w*(?: strikes again)?|damn autocorrect|that'?s wrong)"
    r"\b[\s,:;.!-]*)+",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"\b(?:about|regarding|re:|on the subject of)\s+(.+)$", re.IGNORECASE)
_OBJECT = re.compile(
    r"\b(?:forget|scrap|scratch|ignore|never ?mind|nvm|disregard|delete|remove|erase|wipe|drop|"
    r"strike)\s+(?:the|my)?\s*(?:thing|bit|part|stuff|memory|one)?\s*(?:about|on|with)?\s*(.+)$",
    re.IGNORECASE,
)
_TOPIC_END = re.compile(
    r"\s*(?:[,.;!?]|\bit'?s\b|\bit is\b|\bisn'?t\b|\bplease\b|\bjust\b).*$", re.IGNORECASE
)
_LATEST = re.compile(
    r"\b(?:that|this|(?:the |my )?last (?:thing|bit|message|part|one)|what i (?:just )?(?:said|"
    r"told you|wrote)|i never mentioned)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the my me i i'm i've it its it's that this these those what which who said told "
        "you your from memory memories last thing things bit part stuff everything anything all "
        "about wrote mentioned just please now one of to in on at and or for with message "
        "she he they her his him them we our us is are was were be been pls plz thanks thx ty",
    )
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_CLASSES = [
    rf"{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?",
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    r"january|february|march|april|may|june|july|august|september|october|november|december",
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}",
    r"\d{1,2}(?:st|nd|rd|th)",
    r"\d+",
]


_DAY_WORD = re.compile(
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|mon|tues?|wed|thurs?|fri|sat|sun)"
    r"|(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?",
    re.IGNORECASE,
)
"""A month or a weekday, in full or cut short: never a misspelt name ("jan" is no "Joanne")."""


@dataclass(frozen=True)
class Correction:
    """What a correction says: a word that replaces another, or a restated fact, or both."""

    new: str = ""
    """The right word, as the user wrote it (spelled-out letters joined)."""
    old: str = ""
    """The wrong word, when the user named it ("not boulder")."""
    statement: str = ""
    """The corrected fact in the user's words, cleaned ("Gus moved to denver.")."""
    alone: bool = False
    """Whether the right word was said alone after a slip ("sorry, sainsbury's"): the word of
    the fact it replaces is then the one that means the same kind of thing."""


@dataclass(frozen=True)
class Retraction:
    """What the user takes back: memories about ``topic``, or the latest one when empty."""

    topic: str = ""


Act = Correction | Retraction


_OPENER = re.compile(
    r"^\W*(?:ugh|oops|sorry|wait|no|nope|typo|edit|correction|actually|update|my bad|err|"
    r"hang on|hold on|not)\b",
    re.IGNORECASE,
)
"""How a correction often opens ("oops, make that may 4", "not tuesday, thursday")."""
RELATION = (
    r"(?:son|daughter|wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|brother|sister|"
    r"mum|mom|mother|dad|father|gran|grandma|grandmother|nan|grandad|granddad|grandpa|"
    r"grandfather|aunt|auntie|uncle|cousin|niece|nephew|stepson|stepdaughter|friend|"
    r"best friend|boss|colleague|flatmate|roommate|neighbour|neighbor)"
)
"""The people a correction may mean by relation ("I meant my son")."""
_VALUE = re.compile(rf"\d|(?<=\s)[A-Z]\w+|\b(?:my|our|his|her)\s+{RELATION}\b")
"""A value a correction may give: a number, a name, someone by relation."""
SHORT_WORDS = 8
"""Words up to which a message is short: a correction is often a few words ("*Siobhán")."""


def cues(text: str) -> list[float]:
    """High-precision surface features of a message for the act classifier."""
    return [
        1.0 if _RETRACT_CUE.search(text) else 0.0,
        1.0 if _CORRECT_CUE.search(text) else 0.0,
        1.0 if _SPELLED.search(text) else 0.0,
        1.0 if any(p.search(text) for p, _, _ in _PAIRS) else 0.0,
        1.0 if re.search(r"\b(?:about|the (?:thing|bit|part|stuff))\b", text, re.I) else 0.0,
        1.0 if text.rstrip().endswith("?") else 0.0,
        1.0 if _NEW_ONLY.search(text) else 0.0,
        1.0 if len(text.split()) <= SHORT_WORDS else 0.0,
        1.0 if _OPENER.search(text) else 0.0,
        1.0 if _VALUE.search(text) else 0.0,
    ]


class Acts:
    """Reads corrections and retractions from messages.

    Usage::

        acts = Acts(embedder, settings.model_cache)
        acts.read("update: gus moved to denver, not boulder")
        # Correction(new='denver', old='boulder', statement='Gus moved to denver.')
    """

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.classifier = LabelledClassifier(embedder, "acts.tsv", LABELS, cues, weights_dir)

    def read(self, text: str) -> Act | None:
        """The correction or retraction ``text`` makes; None for anything else."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_CHARS or text.endswith("?"):
            return None
        if len(re.findall(r"[.!?](?:\s|$)", text)) > MAX_SENTENCES:
            return None
        if _STARRED.match(text) and len(text.split()) <= STARRED_WORDS:
            return parse_correction(text)  # "*penicillin lol": the convention says it all
        if list_request(text) is not None:
            return None  # "remove bananas from the shopping list" edits a list
        if slip_value(text):
            return parse_correction(text)  # "sorry, sainsbury's": a value in place of one
        retracts, corrects = _RETRACT_CUE.search(text), _corrects(text)
        spelled = _SPELLED.search(text)
        if not (retracts or corrects or spelled):
            return None
        probs = self.classifier.probabilities([text])[0]
        if retracts and probs["retraction"] >= THRESHOLD:
            about = topic(text)
            return Retraction(about) if about or _LATEST.search(text) else None
        if probs["correction"] >= THRESHOLD:
            return parse_correction(text)
        return None

    def revises(self, text: str) -> bool:
        """Whether ``text`` fixes or takes back what was just said, whether or not it names
        the words it changes ("sorry he's in Accra now actually", "scratch that, got a Ford
        now"): what it says then replaces what the message before taught."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_CHARS or text.endswith("?"):
            return False
        if not (_RETRACT_CUE.search(text) or _corrects(text)) or list_request(text) is not None:
            return False
        if _CUE_AND_VALUE.match(text) or _NO_RESTATED.match(text) or _SELF_REPAIR.match(text):
            return True  # "sorry, sunday", "lol no im 30": a value in place of one of its kind
        probs = self.classifier.probabilities([text])[0]
        return probs["correction"] + probs["retraction"] >= THRESHOLD


_SELF_REPAIR = re.compile(
    r"^\W*(?:(?:oh|ah|um+|er+|hmm+|ok(?:ay)?)[\s,]+)?(?:wait[\s,.!-]+no(?:pe)?|no+[\s,.!-]+wait|"
    r"sorry[\s,.!-]+no|actually[\s,.!-]+no|oops[\s,.!-]+no"
    r"|(?:sorry|oops|my bad)[\s,.!-]+(?:he|she|they)(?:'?s|'?re|\s+is|\s+are)\s+(?:in|at|now))\b",
    re.IGNORECASE,
)
"""A message that opens by owning a slip in what was just said ("oh wait no she's a lab-collie
cross actually", "no wait, he works at meta", "sorry hes in accra now")."""
_CUE_AND_VALUE = re.compile(
    r"^\W*(?:(?:sorry|oops|whoops|oh|ugh|err+|wait|no|nope|i mean|i meant|typo|my bad)"
    r"[\s,.!:—–-]+)+(?:it'?s\s+|make (?:that|it)\s+)?(?:on\s+|at\s+|the\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?{_MONTH})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    r"|\d+(?:\.\d+)?)[\s.!]*$",
    re.IGNORECASE,
)
"""A message that is a cue of a slip and one value, nothing else ("sorry, sunday", "oops 8pm",
"wait, the 14th"): it fixes the value of that kind in what was just said."""
_BEFORE_NO = r"^\W*(?:(?:ugh|oh|uh|um|hmm|argh|lol|haha|lmao|omg)[\s,.!]+)?"
"""What may come before a "no" that opens a message ("ugh no", "lol no")."""
_NO = _BEFORE_NO + r"(?:(?:no|nope|nah)(?:\s+(?:sorry|wait))?|wait,?\s+no)\s*[,.!—–-]"
_OPENING_NO = re.compile(_NO, re.IGNORECASE)
"""A message that opens by saying no ("ugh no, 22 august", "nope, Miso"): a cue to read it
as a correction."""
_NAME_AFTER_NO = re.compile(
    _NO + r"+\s*(?:(?:it'?s|it is|(?:her|his|their|the) name(?:'s| is)|called)\s+)?"
    r"([^\W\d_][\w'’-]*)\W*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"(?:thanks|thank|thx|ty|sorry|never|nothing|nevermind|fine|ok|okay|worries|problem|"
    r"idea|way|lol|haha|wait|stop|not|that|this|it|one|more|again|worry|need|yes|yeah|"
    r"yep|sure|thats|that's|i|i'm|im|you|we|they|he|she|him|her|them|it's|its|there|"
    r"here|later|now|today|tomorrow|tonight)",
    re.IGNORECASE,
)
"""Words a reply may say after "no" that are not the name it means."""


def _corrects(text: str) -> bool:
    """Whether a message has a cue of a correction (:data:`_CORRECT_CUE`, or opens with "no,"
    or with "no" and the user saying what is so: "lol no im 30")."""
    return bool(_CORRECT_CUE.search(text) or _OPENING_NO.match(text) or _NO_RESTATED.match(text))


_NO_RESTATED = re.compile(
    _BEFORE_NO + r"(?:no|nope|nah)\s+"
    r"(?=(?:i'?m|im|i am|it'?s|its|he'?s|she'?s|they'?re|we'?re|my|our)\b)",
    re.IGNORECASE,
)
"""A message that says no and then what is so, with no mark between ("lol no im 30")."""


_MEANT_NAME = re.compile(
    r"^\W*(?:(?:ugh|oh|oops|sorry|soz|my bad|wait|no|nope)[\s,.!]+)+i\s+mea?nt\s+"
    r"([^\W\d_][\w'’-]*)\W*$",
    re.IGNORECASE,
)
"""A name said in place of another after an apology ("sorry, I meant Tom")."""


def name_after_no(text: str) -> str:
    """The one name a message says in place of another after saying no or sorry ("no.
    Miso", "nope, it's Miso", "sorry, I meant Tom"); "" for anything else ("no, thanks", "sorry,
    I meant tuesday": a day, which corrects as a value)."""
    said = " ".join(text.split())
    m = _NAME_AFTER_NO.match(said) or _MEANT_NAME.match(said)
    if m is None or _NOT_A_NAME.fullmatch(m.group(1)):
        return ""
    if any(re.fullmatch(c, m.group(1), re.IGNORECASE) for c in _CLASSES):
        return ""
    return m.group(1)


_EMOTE = re.compile(
    r"(?:sigh|sighs|hug|hugs|shrug|shrugs|facepalm|gasp|gasps|cough|coughs|ahem|yawn|yawns|"
    r"sob|sobs|cries|cry|laughs|grins|winks|wink|hides|screams|blushes|smiles|nods|waves|"
    r"headdesk|eyeroll|\w+ing)",
    re.IGNORECASE,
)
"""Words a star puts round an action rather than a fixed word ("*sigh", "*hugs")."""


def starred(text: str) -> str:
    """The word a message fixes by the chat convention for a typo ("sligo* — autocorrect",
    "*Kathryn. phone keeps mangling her name"); "" for anything else: an action in stars
    ("*sigh*", "*hugs"), a longer message, or emphasis."""
    text = " ".join(text.split())
    m = _STARRED.match(text)
    if m is None or len(text.split()) > STARRED_WORDS or re.match(r"^\W*\*[^*\s]+\*", text):
        return ""
    word = next((g for g in m.groups() if g), "")
    return "" if _EMOTE.fullmatch(word) or word.lower() in _NOT_A_VALUE else word


_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\S+", "to it for with at in on of from about up too that this them him her me us by"
    )
)
"""Words before ", not …" that are no value of their own ("… i react to, not penicillin")."""
_NEGATED_VERB = frozenset(
    re.findall(
        r"\S+",
        "i'm im i’m am do does did he's she's they're we're you're i'd i we they he she",
    )
)
"""Words before "not" that make it a negated verb ("I'm not allergic to cats anymore"),
never a value corrected ("it's not Naomi" still corrects a value)."""
_SAID_OF = re.compile(r"\s+(?:i|we|you|he|she|they|that|which|who)\b", re.IGNORECASE)
"""Where a new value ends and what is said of it begins ("codeine | i react to")."""


_FILLER_BEFORE_NOT = frozenset(
    {"now", "btw", "then", "too", "lol", "though", "tho", "actually", "anymore", "instead"}
    | {"obviously", "sorry", "haha", "ok", "okay", "really", "x"}
)
"""Words said between a new value and "not …" that are no value ("in may now, not april")."""


def _of_its_kind(before: str, old: str, new: str) -> str:
    """The new value "X, not Y" gives, read before "not": the last word of the old one's
    kind where it is a day, a month or a time ("monday nights not tuesday": monday), else the
    last word that is no filler ("wednesdays now btw not thursdays": wednesdays)."""
    kind = _DAY_WORD if _DAY_WORD.fullmatch(old) else None
    words: list[str] = re.findall(r"[\w'’:]+", before)
    if kind is not None:
        same: list[str] = [w for w in words if kind.fullmatch(w)]
        if same:
            return same[-1]
    while words and words[-1].lower() in _FILLER_BEFORE_NOT and len(words) > 1:
        words.pop()
    if new.lower() in _FILLER_BEFORE_NOT and words:
        return words[-1]
    return new


_NAMED_NOT = re.compile(
    r"\b(?:(?:we|i)\s+(?:don'?t|do\s+not|dont)\s+have\s+(?:an?|any)\s+[\w\s-]{1,30}?\s+"
    r"(?:called|named)|(?:his|her|its|their)\s+name\s+(?:isn'?t|is\s+not))\s+"
    r"(?P<old>[^\W\d_][\w'-]*)\W+(?:(?:s?he|it|they)(?:'s|’s|s|\s+is|\s+are|'re)\s+"
    r"(?:called|named)|it'?s|its|it\s+is)\s+(?P<new>[^\W\d_][\w'-]*)",
    re.IGNORECASE,
)
"""A name said wrong and then right: "we dont have a dog called bramble, shes called
brambles", "her name isn't jane, it's jen"."""


def without_not(text: str) -> str:
    """``text`` without the value it says is not so ("on 28 January, not the 26th": "on 28
    January"), whose words must not be read as new."""
    return _STATEMENT_TAIL.sub("", text)


def said_instead(text: str) -> Correction | None:
    """The new and old words of a statement that says what is so in place of what is not
    ("my allergy is to nickel btw, not latex": nickel for latex), with the statement without
    its "not …" tail; or of a name said wrong and then right (no statement); None for a
    message that says neither."""
    if (named := _NAMED_NOT.search(text)) is not None:
        return Correction(named["new"], named["old"]) if named["new"] != named["old"] else None
    m = _PAIRS[3][0].search(text)
    if m is None or _NO_STATEMENT.match(text):
        return None
    correction = parse_correction(text)
    if correction is None or not correction.old or not correction.new:
        return None
    statement = clean(_STATEMENT_TAIL.sub("", text).strip())
    return replace(correction, statement=statement) if statement else None


def parse_correction(text: str) -> Correction | None:
    """The new and old words and the restated fact in a message already known to correct;
    None when it names nothing to change."""
    new = old = ""
    for pattern, new_group, old_group in _PAIRS:
        if m := pattern.search(text):
            new, old = _bare(m.group(new_group)), _bare(m.group(old_group))
            if pattern is _PAIRS[3][0] and new.lower() in _NEGATED_VERB:
                new = old = ""  # "turns out I'm not allergic to penicillin": no value fixed
                continue
            if len(new.split()) > 1 and len(old.split()) == 1 and pattern is _PAIRS[3][0]:
                # "it's codeine i react to, not penicillin": the word before what is said of it
                new = _SAID_OF.split(new, maxsplit=1)[0].split()[-1]
            if new.lower() in _FUNCTION_WORDS and (named := _NEW_ONLY.search(text)):
                new = _bare(named.group(1))  # "it's codeine i react to, not penicillin"
            if _NUMBER.search(old) and not _NUMBER.search(new):
                # "it's 41 elm grove not 14": a number is corrected by the number said
                said = _NUMBER.findall(text[: m.start(old_group)])
                new = said[-1] if said else new
            elif pattern is _PAIRS[3][0]:
                new = _of_its_kind(text[: m.end(new_group)], old, new)
            break
    if spelled := _SPELLED.search(text):
        letters = re.sub(r"[-. ]", "", spelled.group(0))
        new = letters.title() if letters.isupper() else letters
    elif not new and (m := _STARRED.match(text) or _NEW_ONLY.search(text)):
        new = _bare(next((g for g in m.groups() if g), ""))
        if new.lower() in _NOT_A_VALUE:
            new = ""  # "I meant my son": the person it meant, read by the slots
    said_alone = "" if old else _value_alone(text)  # "sorry, sainsbury's", "wait no, it's X"
    new = new or said_alone
    alone = bool(said_alone) and new.lower() == said_alone.lower()
    statement = ""
    body = _CUE_PREFIX.sub("", _STATEMENT_TAIL.sub("", text)).strip()
    first = _first_sentence(body)
    if new:  # the clause that says the new word: "my phone, her name is X" -> "her name is X"
        chunks = [c for c in re.split(r",\s+", first) if new.lower() in c.lower()]
        first = chunks[-1] if chunks else first
    if (
        first
        and not _NO_STATEMENT.match(first)
        and len(first.split()) >= 3
        and _VERB.search(first)
        and (not new or re.search(rf"\b{re.escape(new)}\b", first, re.IGNORECASE))
    ):
        statement = clean(first)
    if not (new or statement) or new.lower() == old.lower():
        return None
    return Correction(new, old, statement, alone)


_HEDGE = re.compile(
    r"(?:\s+(?:technically|really|actually|please|pls|plz|tho|though|i think|sorry|lol|haha|"
    r"even|then|instead|now))+\W*$",
    re.IGNORECASE,
)
"""Words after a value said alone that say how, not what ("pescatarian technically")."""
_SAYS_IT = re.compile(r"^(?:it'?s|it is|it was|make that|make it|i meant|i mean)\s+", re.I)
_ALONE = re.compile(r"^[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?$")


_SLIP = re.compile(
    r"^\W*(?:(?:ugh|oh|lol|um+|hmm+)[\s,.!]+)?(?:(?:sorry|soz|oops|whoops|wait|no|nope|nah|"
    r"actually|typo|my bad|my mistake|correction|err+|i mean|i meant)[\s,.!:—–-]+)+"
    r"|^\W*well[\s,]+[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?\s+(?:technically|actually)\b",
    re.IGNORECASE,
)
"""How a message that gives a value in place of one just said opens: a slip owned ("sorry,
sainsbury's", "wait no, aspirin"), or "well" with the value said to be more exact ("well,
pescatarian technically")."""


def slip_value(text: str) -> str:
    """The value a message gives alone after owning a slip ("sorry, sainsbury's", "actually,
    james please"); "" for any other message."""
    return _value_alone(text) if _SLIP.match(text) else ""


def _value_alone(text: str) -> str:
    """The value a correction says with nothing but a cue before it and perhaps why after it
    ("sorry, sainsbury's, i moved over in may", "actually, james please"); "" when it says
    more than a word or two before its first comma or full stop."""
    if _CUE_PREFIX.match(text) is None:
        return ""
    said = _SAYS_IT.sub("", _CUE_PREFIX.sub("", text).strip())
    first = re.split(r"[,.;!—–]\s*|\s+-\s+", said, maxsplit=1)[0]
    value = _bare(_HEDGE.sub("", first.strip()))
    if not _ALONE.match(value) or _VERB.search(re.sub(r"['’]s$", "", value)):
        return ""
    if any(w.lower() in _NOT_A_VALUE | _STOP or _NOT_A_NAME.fullmatch(w) for w in value.split()):
        return ""
    return value


def uncued(text: str) -> str:
    """A correction's words without the cue that opens it or the hedge that ends it ("oh wait
    no she's a lab-collie cross actually" → "she's a lab-collie cross")."""
    return _HEDGE.sub("", _CUE_PREFIX.sub("", text)).strip() or text


def _bare(words: str) -> str:
    """The words without the article before them and the hedge after them ("leeds lol")."""
    return _ARTICLE.sub("", _HEDGE.sub("", words.strip(" ,.!;:'\"")).strip(" ,.!;:'\"")).strip()


def _first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!])\s+", text)
    return parts[0].strip() if parts else ""


_SCRATCHED = re.compile(r"(?:scratch|scrap|strike)\s+(?:that|this)\s", re.IGNORECASE)


def topic(text: str) -> str:
    """What a retraction is about ("the dentist"); empty for "that", "the last thing"."""
    m = _ABOUT.search(text)
    found = m.group(1) if m else ""
    if not content_words(_TOPIC_END.sub("", found)):
        found = ""
        for m in _OBJECT.finditer(text):
            if _SCRATCHED.match(m.group(0)):
                continue  # "scratch that she moved to perth": "that" is what was just said
            if content_words(_TOPIC_END.sub("", m.group(1))):
                found = m.group(1)
                break
    found = _TOPIC_END.sub("", found).strip()
    return found if content_words(found) else ""


def content_words(text: str) -> list[str]:
    """The words of ``text`` that say what it is about (not "the", "that", "thing")."""
    return [w for w in re.findall(r"[\w']+", text.lower()) if w not in _STOP and len(w) > 1]


_TAKES_BACK = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|no+|nope|wait|actually|sorry|oops|hmm|ugh|lol|haha+)\b[\s,.!-]*)*"
    r"(?:(?:scratch|scrap|forget|ignore|disregard|strike|never ?mind)\s+(?:that|this)\b"
    r"|jk\b|j/k\b|just (?:kidding|joking)\b|(?:only )?(?:kidding|joking)\b)"
    r"|\bi was (?:just |only )?(?:testing you|kidding|joking|messing with you|pulling your leg)\b",
    re.IGNORECASE,
)


_CALLED_OFF = re.compile(
    r"\b(?:fell through|falls through|(?:is|'s|are|got|was|were|been) (?:off|cancell?ed|called "
    r"off|scrapped|shelved)|called (?:it|that|the \w+) off|cancell?ed (?:it|that|the \w+)|"
    r"(?:isn't|is not|aren't|are not|won't be|not) happening|didn't (?:work out|happen)|"
    r"not \w+ing after all)\b",
    re.IGNORECASE,
)
"""Words that call a plan off ("the plan fell through", "the trip's off", "we're not moving
after all")."""
_PLANNED = re.compile(
    r"\b(?:going to|gonna|will|plan(?:ning)? to|planned|booked|next (?:week|month|year|\w+day)|"
    r"this (?:weekend|summer|winter|spring|autumn|fall|year)|tomorrow|soon|in (?:january|"
    r"february|march|april|may|june|july|august|september|october|november|december)|"
    r"(?:i'm|im|we're|i am|we are|is|are) \w+ing)\b",
    re.IGNORECASE,
)
"""What a plan says: a time to come, or "I'm moving", "we're getting married"."""


def calls_off(text: str, before: Sequence[str]) -> bool:
    """Whether a message calls off a plan the message before made ("actually the plan fell
    through, staying put in Bristol" after "I'm moving to Manchester in September"; not "the
    trip fell through" after "I love sushi")."""
    return _CALLED_OFF.search(text) is not None and any(_PLANNED.search(b) for b in before)


def takes_back_latest(text: str) -> bool:
    """Whether a message takes back what was just said ("scratch that, sold it in may. got a
    ford ranger now", "lol jk, born 2 jan", "no I don't, I was testing you. I'm a product
    manager"): what it says besides replaces it."""
    return _TAKES_BACK.search(text) is not None


def remainder(text: str, about: str) -> str:
    """What a message that takes something back says besides ("scrap that, we renamed her
    mochi" → "we renamed her mochi"; "forget what I said about Bristol. we're staying in
    Reading" → "we're staying in Reading"): the sentences that neither take back nor name
    what was taken back, what follows "that" in one that takes back the latest, and the parts
    of one that calls the latest plan off that do not ("the plan fell through, staying put in
    Bristol" → "staying put in Bristol")."""
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        opening = _TAKES_BACK.match(sentence)
        if opening is not None:  # "lol jk, I'm a Capricorn": what follows the taking back
            sentence = sentence[opening.end() :].lstrip(" ,;:.!-")
            if not sentence:
                continue
        if not about and _CALLED_OFF.search(sentence):  # "the plan fell through, staying put…"
            parts = re.split(r"\s*[,;]\s*|\s+(?:so|but)\s+", sentence)
            sentence = ", ".join(p for p in parts if not _CALLED_OFF.search(p))
            if not sentence:
                continue
        cue = _RETRACT_CUE.search(sentence)
        if cue is not None:
            if not about:
                rest = re.split(r"\b(?:that|this)\b[\s,;:.!-]*", sentence[cue.end() :], maxsplit=1)
                if len(rest) == 2 and len(content_words(rest[1])) >= 2:
                    kept.append(rest[1])
            continue
        if not (about and mentions(sentence, about)):
            kept.append(sentence)
    return " ".join(kept).strip()


def mentions(text: str, about: str) -> bool:
    """Whether ``text`` names something ``about`` names ("dentist" in "the dentist's on
    Monday")."""
    words = content_words(about)
    return bool(words) and all(
        re.search(rf"\b{re.escape(_stem(w))}", text, re.IGNORECASE) is not None for w in words
    )


def _stem(word: str) -> str:
    """A word without the ending its other forms do not share ("smoking" and "smoked" name
    what "I used to smoke" does), where four letters or more are left; a long word without
    its last three letters ("pregnancy", "pregnant")."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    if len(word) >= 8:  # "pregnancy" names what "pregnant" does
        return word[: len(word) - 3]
    return word


def word_pattern(
    correction: Correction, memories: Sequence[Memory], embedder: Embedder | None = None
) -> re.Pattern[str] | None:
    """What the correction replaces in the user's recent memories: the word it names, a word
    of the same kind (a weekday, a month, a time, a number), the word it is a typo of, or,
    for a word said alone after a slip and given ``embedder``, the one word of the latest
    memory that means the same kind of thing ("sainsbury's" for "tesco", "pescatarian" for
    "vegetarian")."""
    if correction.old:
        if correction.old.isdigit():  # "not 20" names the 20 of "20mg" too
            return re.compile(rf"(?<![\d.,]){correction.old}(?![\d,]|\.\d|\w*\d)", re.IGNORECASE)
        if day := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", correction.old, re.IGNORECASE):
            # "not the 26th" names the 26 of "26 January" too
            return re.compile(rf"(?<![\d.,]){day[1]}(?:st|nd|rd|th)?(?![\d,]|\.\d)", re.I)
        return re.compile(rf"\b{re.escape(correction.old)}\b", re.IGNORECASE)
    new = correction.new
    if not new:
        return None
    kind = next((c for c in _CLASSES if re.fullmatch(c, new, re.IGNORECASE)), None)
    if kind is not None:
        return re.compile(rf"\b(?:{kind})\b", re.IGNORECASE)
    best, score = "", 0.0
    for memory in memories:
        for word in set(re.findall(r"[^\W\d_][\w'-]*", memory.text)):
            if word.lower() == new.lower() or _DAY_WORD.fullmatch(word):
                continue  # a month or a weekday is no misspelt name ("jan" for "Joanne")
            if len(word) < 3:
                if word[:1].isupper() and new.lower().startswith(word.lower()) and score < 1:
                    best, score = word, 1.0  # "Jo" spelled out as "Joanne"
                continue
            ratio = SequenceMatcher(None, word.lower(), new.lower()).ratio()
            typo = ratio >= TYPO_SIMILARITY or (
                ratio >= TYPO_SAME_START and word[0].lower() == new[0].lower()
            )
            if typo and ratio > score:
                best, score = word, ratio
    if not best and correction.alone and embedder is not None and memories:
        best = _same_kind(new, max(memories, key=lambda m: (m.created, m.id)).text, embedder)
    return re.compile(rf"\b{re.escape(best)}\b", re.IGNORECASE) if best else None


def _same_kind(new: str, text: str, embedder: Embedder) -> str:
    """The word of ``text`` whose embedding is nearest ``new``'s, when it is near enough and
    clearly the nearest (a shop for a shop, a diet for a diet); "" otherwise."""
    found = nearest_word(new, [text], embedder)
    return found[1] if found else ""


_FRAME = frozenset(
    {"name", "names", "named", "called", "live", "lives", "living", "lived", "work", "works"}
    | {"working", "worked", "have", "has", "had"}
)
"""Words that frame a fact rather than hold its value ("lives in", "is called")."""


def nearest_word(new: str, texts: Sequence[str], embedder: Embedder) -> tuple[int, str] | None:
    """Of the words of ``texts`` (no word of grammar, no relation, no weekday or month), the
    one whose embedding is nearest ``new``'s, with the index of its text, when it is near
    enough and clearly the nearest: "auditor" takes the place of "accountant" in "I work as
    an accountant in leeds", "teacher" of "nurse" in "I'm a nurse." beside "I live in Bath.";
    None when no word is clearly the one."""
    words = list(
        dict.fromkeys(
            (index, w)
            for index, text in enumerate(texts)
            for w in re.findall(r"[^\W\d_][\w'’-]*", text)
            if len(w) >= 3
            and w.lower() not in _FUNCTION_WORDS | _NEGATED_VERB | _STOP
            and w.lower() != new.lower()
            and not re.fullmatch(RELATION, w, re.IGNORECASE)
            and not _DAY_WORD.fullmatch(w)
            and w.lower() not in _FRAME
        )
    )
    if not words:
        return None
    vectors = embedder.embed([new, *dict.fromkeys(w for _, w in words)])
    score = dict(zip(dict.fromkeys(w for _, w in words), vectors[1:] @ vectors[0], strict=True))
    near = sorted(((float(score[w]), i, w) for i, w in words), reverse=True)
    others = [s for s, _, w in near if w.lower() != near[0][2].lower()]
    best, index, word = near[0]
    runner_up = others[0] if others else 0.0
    return (index, word) if best >= SAME_KIND and best - runner_up >= SAME_KIND_MARGIN else None


def as_written(new: str, old: str) -> str:
    """``new`` in the case ``old`` was written in: "thomas" replacing "Tomas" is "Thomas"."""
    if old[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def forget_about(memories: Memories, about: str, conversation: str = "") -> list[Memory]:
    """Forget (archive, restorably) what the user said about ``about``, or, when it is
    empty, the latest memory of ``conversation``; the turns those memories were learned from
    leave the searchable evidence too. Returns the memories forgotten."""
    if about:
        hits = memories.search(about, NAMED_SEARCH, touch=False)
        found = [h.memory for h in hits if mentions(h.memory.text, about)]
        found = found or _mostly_mentioning(hits, about)  # "dan works at sage": "…dev at sage"
        for name in _names_of(about, found):  # "everything about my ex": Marco's notes too
            seen = {m.id for m in found}
            named = memories.search(name, NAMED_SEARCH, touch=False)
            found += [
                h.memory for h in named if h.memory.id not in seen and mentions(h.memory.text, name)
            ]
        close = [
            h.memory
            for h in hits
            if h.breakdown.semantic >= SAME_TOPIC and not mentions(h.memory.text, about)
        ]
        found = found or close[:1]  # the one that plainly says it, in other words
    else:
        recent = [
            m
            for m in memories.list(limit=50)
            if not conversation or m.metadata.get("conversation") == conversation
        ]
        found = [max(recent, key=lambda m: (m.created, m.id))] if recent else []
    forgotten = [memories.forget(m.id) for m in found]
    for memory in _with_earlier_versions(memories, forgotten):
        _forget_source_turn(memories, memory)
    return forgotten


MOSTLY = 2 / 3
"""The share of the words a retraction names that a memory must name when none names them
all ("dan works at sage": "My partner dan is a software dev at sage." names two of three)."""


def _mostly_mentioning(hits: Sequence[Hit], about: str) -> list[Memory]:
    """The memories that name the most of the words ``about`` names, where that is at least
    :data:`MOSTLY` of them and two or more; none otherwise."""
    words = content_words(about)
    if len(words) < 3:
        return []
    counts = [(sum(mentions(h.memory.text, w) for w in words), h.memory) for h in hits]
    best = max((n for n, _ in counts), default=0)
    if best < 2 or best < MOSTLY * len(words):
        return []
    return [m for n, m in counts if n == best]


def _names_of(about: str, found: list[Memory]) -> list[str]:
    """The names of the person ``about`` names by relation ("my ex"), as the notes found
    say them ("My ex is called marco." → "marco")."""
    relation = re.fullmatch(r"\s*(?:my|our)\s+([\w' -]+?)\s*", about, re.IGNORECASE)
    if relation is None:
        return []
    said = relation.group(1).lower()
    return list(
        dict.fromkeys(
            name_in(phrase)
            for memory in found
            for phrase, _ in people(memory.text)
            if name_in(phrase) and " ".join(phrase.split()[1:-1]).lower() == said
        )
    )


def _with_earlier_versions(memories: Memories, found: list[Memory]) -> list[Memory]:
    """``found`` and the memories each replaced, and those they replaced ("the dentist is
    thursday" replaced "dentist appt next friday at 3": forgetting the dentist forgets the
    turn that said friday too)."""
    seen = {m.id for m in found}
    out = list(found)
    for memory in out:  # grows as earlier versions are found
        earlier = [i for i in memory.supersedes if i not in seen]
        seen.update(earlier)
        out += memories.get_many(earlier)
    return out


def _forget_source_turn(memories: Memories, memory: Memory) -> None:
    """Drop the evidence turn a forgotten memory was learned from: of the session's turns said
    in that second, the one most like the memory (lines piped in arrive several a second; the
    others stay)."""
    session, said = memory.metadata.get("conversation"), memory.metadata.get("turn")
    if not session or not said or not isinstance(said, str | datetime):
        return
    try:
        at = (said if isinstance(said, datetime) else datetime.fromisoformat(said)).timestamp()
        for hit in memories.said(memory.text, 5):  # best first
            if hit.turn.session == session and abs(hit.turn.at - at) < 2:
                memories.forget_turn(hit.turn.id)
                return
    except (ValueError, AssistantError) as exc:
        log.warning("the turn behind a forgotten memory was kept: %s", exc)
