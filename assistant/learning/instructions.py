"""Standing instructions in what the user writes: what they ask of every later answer
("always give recipes in metric", "im autistic so pls be direct", "going forward no emojis"),
told apart from a request for this answer only ("give me that recipe in metric"), a fact
about their own habits ("I always cycle to work") and an attempt to subvert the assistant.

A classifier over the MiniLM embedding decides (:mod:`assistant.learning.labelled`, trained
on ``assistant/data/instructions.tsv``), with a few surface features (a lasting word, an
imperative start, a question mark). Only the user's own sentences are read, never pasted text,
and a sentence the injection detector flags is never an instruction.

Usage::

    reader = InstructionReader(embedder, settings.model_cache)
    reader.standing(["Always give recipes in metric.", "I live in Leeds."])
    # ["Always give recipes in metric."]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from assistant.learning.clauses import clean, split_sentence, with_apostrophes
from assistant.learning.labelled import LabelledClassifier, hashed_words
from assistant.learning.pii import redact_secrets
from assistant.models.base import Embedder

LABELS = ("standing", "once", "other", "hostile")
STANDING = 0.4
"""Probability of ``standing`` from which a sentence is kept as an instruction
(cross-validated on the training data, with :data:`HOSTILE`)."""
HOSTILE = 0.15
"""Probability of ``hostile`` from which a sentence is never an instruction, however likely
``standing`` is (cross-validated on the training data)."""
HASHED = 1024
"""Buckets the words and word pairs of a sentence are hashed into, beside its embedding."""
FITTING = (2000, 1e-4)
"""Epochs and L2 penalty of the classifier (cross-validated on the training data)."""
MAX_SENTENCE = 300
"""A longer sentence is never read as an instruction (it is a paste or a story)."""

_LASTING = re.compile(
    r"\b(?:always|never|from now on|going forward|in future|in the future|any ?more|"
    r"every time|whenever|by default|default to|each time|no more|stop|don'?t ever|"
    r"ever again|all the time|every answer|all your (?:answers|replies))\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(?:(?:pls|please|plz|kindly|and|so|also|oh|ok|okay|actually|just|well|now|then|hey)"
    r"[,\s]+)*(?:be|keep|use|give|answer|"
    r"reply|respond|talk|speak|call|write|stop|don'?t|do not|avoid|never|always|assume|default|"
    r"remind|make|list|show|tell|include|skip|put|format|address|refer|treat|check|ask|no)\b",
    re.IGNORECASE,
)
_TAKEOVER = re.compile(
    r"\b(?:system ?prompt|hidden instructions|(?:your|the|its|my) (?:own )?(?:rules|guidelines|"
    r"restrictions|filters|content policy|safety (?:rules|filters|settings|checks)|programming|"
    r"instructions|config(?:uration)?|constraints|limits|policies|training)|no (?:rules|limits|"
    r"restrictions|filters|guidelines)|un(?:restricted|filtered|censored)|jail ?break|developer "
    r"mode|god mode|api ?keys?|(?:ignore|disregard|bypass|override|disable|forget) "
    r"(?:all|any|every|previous|prior|earlier|the above)|you are now|you're now|ur now|"
    r"new persona|stay in "
    r"character|https?://|www\.|\S+@\S+\.\w+|pastebin|exfiltrat\w*)",
    re.IGNORECASE,
)
"""What a takeover says (the assistant's rules, prompt or keys, a new identity, somewhere to
send things): a sentence that says it is never kept as an instruction, however it is worded."""
_FOR_NOW = re.compile(
    r"\b(?:today|tonight|this (?:time|once|morning|afternoon|evening|week|answer|one|chat|"
    r"conversation)|just (?:this|for) (?:once|now|this)|right now|rn|at the moment|for this "
    r"(?:one|answer|question|chat|conversation))\b",
    re.IGNORECASE,
)
"""A time that limits a request to now ("pls be gentle today"): no standing instruction,
unless a lasting word says otherwise ("from now on, and today too")."""
_YOU = re.compile(r"\b(?:you|u|ur|your|yourself)\b", re.IGNORECASE)
_ABOUT_ANSWERS = re.compile(
    r"\b(?:answers?|repl(?:y|ies)|responses?|respond|emojis?|bullet(?:s| points?)?|"
    r"formatting|jargon|when i ask|check with me|ask me (?:first|before))\b",
    re.IGNORECASE,
)
_ME = re.compile(r"\b(?:me|my|i|i'?m|im)\b", re.IGNORECASE)


def cues(text: str) -> list[float]:
    """Surface features: a lasting word, an imperative start, "you", "me", a question mark,
    and the length."""
    return [
        *_cues(text),
        *hashed_words(text, HASHED).tolist(),
    ]


def _cues(text: str) -> list[float]:
    return [
        1.0 if _LASTING.search(text) else 0.0,
        1.0 if _IMPERATIVE.search(text.strip()) else 0.0,
        1.0 if _YOU.search(text) else 0.0,
        1.0 if _ME.search(text) else 0.0,
        1.0 if text.rstrip().endswith("?") else 0.0,
        min(len(text.split()), 40) / 40.0,
        1.0 if _TAKEOVER.search(text) else 0.0,
        1.0 if _ABOUT_ANSWERS.search(text) else 0.0,
    ]


def _cued(text: str) -> bool:
    """Whether ``text`` has what an instruction has: a lasting word, an imperative start,
    "you", or words about answers ("I prefer short answers")."""
    found = _cues(text)
    return any(found[:3]) or bool(found[-1])


class InstructionReader:
    """Which of the user's own sentences are standing instructions (only a sentence with a
    lasting word, an imperative start or "you", in one of its clauses at least, is
    embedded)."""

    def __init__(self, embedder: Embedder, weights_dir: Path | None = None) -> None:
        self.classifier = LabelledClassifier(
            embedder, "instructions.tsv", LABELS, cues, weights_dir, True, FITTING
        )

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        """For each sentence, the probability that it is a standing instruction (0 for one
        that reads as a takeover, by its words or by the classifier, or that
        :func:`never_standing` rules out)."""
        return [
            0.0 if _takeover(s, p) or never_standing(s) else p["standing"]
            for s, p in zip(sentences, self.classifier.probabilities(list(sentences)), strict=True)
        ]

    def standing(self, sentences: Sequence[str]) -> list[str]:
        """The sentences of one message that are standing instructions (whole, or in one of
        their clauses), as they are kept: cleaned, with any secret redacted. A message with a
        takeover anywhere in it (a sentence or clause that reads as one) gives none: its
        harmless-looking part is no instruction either."""
        if any(_TAKEOVER.search(s) for s in sentences):
            return []
        readable = [
            said
            for s in sentences
            if 0 < len(s) <= MAX_SENTENCE and _LETTERS.search(s) and not s.rstrip().endswith(":")
            if (said := _BULLET.sub("", s))  # "- always answer in British spelling"
        ]  # "Stuff you should know about me:" heads a list and asks nothing itself
        every = {sentence: _pieces(sentence) for sentence in readable}
        pieces = {s: found for s, found in every.items() if any(_cued(p) for p in found)}
        read = sorted({p for found in pieces.values() for p in found})
        probs = dict(zip(read, self.classifier.probabilities(read), strict=True))
        if any(_takeover(p, prob) for p, prob in probs.items()):
            return []
        standing = {
            p for p, prob in probs.items() if prob["standing"] >= STANDING or _CALL_ME.search(p)
        }
        return [
            text
            for sentence, found in pieces.items()
            if not never_standing(sentence) and standing.intersection(found)
            if (text := kept_as(sentence))
        ]

    def revoking(self, sentences: Sequence[str]) -> list[str]:
        """The sentences of one message that may take back or change a standing instruction
        ("actually emojis are fine", "you can give longer answers now"), as they would be
        kept; what they change is for the caller to find. None from a takeover."""
        cued = [
            s
            for s in sentences
            if 0 < len(s) <= MAX_SENTENCE and _REVOKING.search(s) and not _TAKEOVER.search(s)
        ]
        probs = self.classifier.probabilities(cued)
        if any(p["hostile"] >= 0.5 for p in probs):  # it only ever changes what is there
            return []
        return [text for s in cued if (text := kept_as(s))]


_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+")
"""A list item's mark, at the start of a line."""
_CALL_ME = re.compile(
    r"\b(?:call|address)\s+me\s+(?!(?:back|later|tomorrow|tonight|when|if|at|on|in|after|"
    r"before|asap|now|soon|whenever|sometime|once|a|an|the|it|that|this)\b)"
    r"(?P<name>[^\W\d_][\w'-]*)"
    r"\s*(?:$|[,.!;)]|\s+(?:from now on|instead|please|pls|going forward|now|not|rather)\b)",
    re.IGNORECASE,
)
"""A name to be called by ("call me Katie", "from now on call me kate"): an instruction
however the rest of the sentence reads; not "call me back" or "call me at 6"."""


def called(text: str) -> str:
    """The name an instruction says to call the user ("Call me jim." → "jim"); "" for none."""
    found = _CALL_ME.search(text)
    return found["name"] if found else ""


def changes_how(text: str) -> bool:
    """Whether a message changes how the assistant answers ("you can give longer answers
    now", "emojis are fine again"): noted after the reply, never a request for now."""
    return bool(_REVOKING.search(text) and (_YOU.search(text) or _ABOUT_ANSWERS.search(text)))


def names_what_to_call(text: str) -> bool:
    """Whether an instruction says what to call the user ("call me mags"): a newer one
    ("actually call me maggie") takes its place however alike the names are."""
    return _CALL_ME.search(text) is not None


_REVOKING = re.compile(
    r"\b(?:(?:are|is|'re|'s)\s+(?:fine|ok|okay|allowed|good|alright)|again|you can|u can|"
    r"no need|(?:don'?t|do not) (?:need|have) to|any ?more|no longer|not anymore|after all)\b",
    re.IGNORECASE,
)
"""What a sentence that takes an instruction back says ("emojis are fine", "you can use
emojis again", "no need to keep it short anymore")."""
_POLITE = re.compile(
    r"^(?:(?:can|could|would|will)\s+(?:you|u)\s+|(?:please|pls|plz)\s+)+(?=\w)", re.IGNORECASE
)
"""A request's polite opening ("can you always use celsius?"), not kept in the instruction."""


def kept_as(sentence: str) -> str:
    """An instruction as it is kept: cleaned, without a polite question's opening, with any
    secret redacted ("can you always use celsius?" → "Always use celsius.")."""
    text = clean(with_apostrophes(redact_secrets(sentence)))
    if text.endswith("?"):
        text = _POLITE.sub("", text).rstrip("?")
        text = text[:1].upper() + text[1:] + "." if text else ""
    return text


def _takeover(text: str, probs: dict[str, float]) -> bool:
    """Whether ``text`` reads as a takeover: by its words, or by the classifier."""
    return probs["hostile"] >= HOSTILE or _TAKEOVER.search(text) is not None


def _for_now(text: str) -> bool:
    """Whether ``text`` limits itself to now and says nothing lasting."""
    return _FOR_NOW.search(text) is not None and _LASTING.search(text) is None


def takes_over(text: str) -> bool:
    """Whether ``text`` names what a takeover names (the assistant's rules, prompt or keys, a
    new identity, somewhere to send things). An address is somewhere to send things only
    where the text asks for something sent: "my email is sam@example.com" tells a fact."""
    return any(
        not _ADDRESS.fullmatch(m.group(0)) or _SENDS.search(text) for m in _TAKEOVER.finditer(text)
    )


_ADDRESS = re.compile(r"https?://|www\.|\S+@\S+\.\w+", re.IGNORECASE)
_SENDS = re.compile(
    r"\b(?:send|sent|forward|post|upload|share|mail|cc|bcc|leak|submit|exfiltrate)\b"
    r"|\be-?mail\s+(?:it|them|this|that|everything|all|every|my|the|me|a copy)\b",
    re.IGNORECASE,
)


def lasting(text: str) -> bool:
    """Whether ``text`` says something lasting ("always", "from now on", "never")."""
    return _LASTING.search(text) is not None


def never_standing(text: str) -> bool:
    """Whether ``text`` can never be a standing instruction, whatever the classifier says:
    it says what a takeover says, limits itself to now and says nothing lasting, says what
    always or never will be ("never gonna give you up"), which asks nothing, fixes what was
    just said ("no i meant every other wednesday"), or asks a question as a request ("tell me
    about my allotment")."""
    return (
        _TAKEOVER.search(text) is not None
        or _for_now(text)
        or _FORETOLD.search(text) is not None
        or _MEANT.match(text) is not None
        or (_ASKS_ABOUT.match(text) is not None and not lasting(text))
    )


_ASKS_ABOUT = re.compile(
    r"^\W*(?:(?:ok|so|hey|pls|please|can\s+you|could\s+you)\W+)*(?:tell|remind|show|give)\s+me\s+"
    r"(?:about|what|when|where|who|how|if|whether|everything|all|my|the)\b",
    re.IGNORECASE,
)
"""A question put as a request ("tell me about my allotment", "remind me what the plumber
said"): it asks now, and says nothing lasting."""


_MEANT = re.compile(
    r"^\W*(?:(?:no|nope|sorry|oops|whoops|ugh|wait|my bad|typo)[\s,.!]+)*i\s+mea?nt\b", re.I
)
"""A message fixing what was just said ("no i meant every other wednesday"): the fact it
corrects says what happens every other week, not how to answer."""


_FORETOLD = re.compile(
    r"\b(?:always|never)\s+(?:gonna|gunna|going\s+to|will|would|wanna|want\s+to)\b", re.IGNORECASE
)
"""What always or never will be, not what to do: "never gonna give you up"."""


def _pieces(sentence: str) -> list[str]:
    """A sentence, and its clauses when it has several ("im autistic, so pls be direct" is
    read whole and as "so pls be direct"), and a polite question without its opening ("can
    you always use celsius?" as "always use celsius"): an instruction is often one part of a
    sentence, and the sentence is what is kept."""
    clauses = split_sentence(sentence)
    pieces = [sentence, *clauses] if len(clauses) > 1 else [sentence]
    asked = sentence.strip()
    if asked.endswith("?") and _POLITE.match(asked):  # "can you always use celsius?"
        pieces.append(_POLITE.sub("", asked).rstrip("? "))
    return pieces


_LETTERS = re.compile(r"[^\W\d_]{2}")
