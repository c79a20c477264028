"""Learned extraction: the clauses of the user's own words that a classifier keeps.

Each message is reduced to the user's own words (pasted documents, quoted lines and text
addressed to an AI are data, not facts), split into clauses, and every clause is classified
in one batch: keep or not, memory type and importance. A clause a rule recognises is stored
as the rule writes it (the rules stay as high-precision features); a clause only the
classifier keeps is stored in the user's words, cleaned. Questions, hypotheticals and
instructions for this reply are never kept, whatever the classifier says.
"""

from __future__ import annotations

import re

from assistant.learning.classifier import KEEP_THRESHOLD, ClauseClassifier
from assistant.learning.clauses import clean as clean_clause
from assistant.learning.clauses import sentences, split_sentence
from assistant.learning.extract import Candidate, extract, merge
from assistant.learning.injection import addressed_to_ai, looks_like_injection, own_words
from assistant.memory import MemoryType

_NEVER = re.compile(
    r"^(?:if|what if|imagine|suppose|supposing|let's say|pretend|hypothetically|"
    r"can you|could you|would you|will you|can u|tell me|write|give me|help me|show me|"
    r"find me|remind me|set (?:a|an)|for example|assume)\b"
    r"|\b(?:jk|just kidding|lmao|only joking)\b|\[[^\]]*\]",
    re.IGNORECASE,
)
_TAGS = {
    MemoryType.IDENTITY: ("identity",),
    MemoryType.PROCEDURAL: ("routine",),
    MemoryType.EPISODIC: ("events",),
    MemoryType.EMOTIONAL: ("feelings",),
    MemoryType.REFLECTIVE: ("reflection",),
}
MAX_CLAUSE = 300


def storable(clause: str) -> bool:
    """Whether a cleaned clause may be stored at all: not a question, a hypothetical, a
    request, a placeholder, a joke marker, an instruction to an AI or an injection."""
    return (
        bool(clause)
        and len(clause) <= MAX_CLAUSE
        and not clause.endswith("?")
        and _NEVER.search(clause) is None
        and not addressed_to_ai(clause)
        and not looks_like_injection(clause)
    )


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


class LearnedExtractor:
    """Facts in one message by the clause classifiers, with the rules' facts merged in.

    Usage::

        extractor = LearnedExtractor(ClauseClassifier(embedder, settings.model_cache))
        [c.text for c in extractor.extract("hey, I'm Priya, 41, a nurse")]
    """

    def __init__(self, classifier: ClauseClassifier) -> None:
        self.classifier = classifier

    def extract(self, text: str) -> list[Candidate]:
        """Facts stated in the user's own words in one message."""
        own = own_words(text)
        if not own:
            return []
        rules = extract(own)
        pending: dict[str, str] = {}
        """Each clause as stored, cleaned, and as written (what the classifiers read: "lol"
        and "haha" at the edges say something about a clause)."""
        for sentence in sentences(own):
            if len(sentence) > 1000:
                continue
            covered = [_plain(c.text) for c in extract(sentence)]
            for raw in split_sentence(sentence):
                cleaned = clean_clause(raw)
                if not storable(cleaned) or extract(cleaned):
                    continue
                if not any(_plain(cleaned) in rule for rule in covered):
                    pending.setdefault(cleaned, " ".join(raw.split()))  # no rule kept it
        learned: list[Candidate] = []
        verdicts = self.classifier.classify(list(pending.values()))
        for clause, verdict in zip(pending, verdicts, strict=True):
            if verdict.keep < KEEP_THRESHOLD:
                continue
            emotional = verdict.type is MemoryType.EMOTIONAL
            learned.append(
                Candidate(
                    clause,
                    verdict.type,
                    verdict.importance,
                    "clause",
                    tags=_TAGS.get(verdict.type, ()),
                    emotion=0.6 if emotional else 0.0,
                )
            )
        return merge(learned, rules)
