"""What the assistant learns from one user message: new facts, repeats, corrections.

Runs after the reply, in the background. Each extracted fact is redacted if it holds a secret,
then compared with what is already stored: a near-duplicate reinforces the existing memory, a
newer fact of the same kind (where the user lives, works, a name) supersedes the old one, and
anything else becomes a new memory with its provenance.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from assistant.errors import AssistantError, ModelError
from assistant.learning.classifier import ClauseClassifier
from assistant.learning.clauses import sentences
from assistant.learning.extract import Candidate, extract, merge
from assistant.learning.injection import looks_like_injection, own_words
from assistant.learning.learned import LearnedExtractor
from assistant.learning.model_extract import ModelExtractor, worth_asking
from assistant.learning.pii import find_pii, redact
from assistant.learning.sameness import DUPLICATE_SIMILARITY, same_fact
from assistant.memories import Draft, Memories
from assistant.memory import Hit, Memory
from assistant.vault.notes import link_targets, wikilink

log = logging.getLogger(__name__)

SAME_KIND_SIMILARITY = 0.45
"""Below this, a stored fact of the same kind is about something else."""
RELATED_SIMILARITY = 0.8
"""MiniLM cosine from which a new memory links to an existing one."""
MAX_RELATED = 5

_CORRECTION = re.compile(
    r"^(?:actually|no|nope|sorry|oops|correction|wait)\b[,:!.]?\s*(?:it'?s|it is|that'?s|"
    r"the name is|i meant|i mean|make that)\s+([\w'-]+)[,.]?\s+not\s+([\w'-]+)",
    re.IGNORECASE,
)
_MEANT = re.compile(
    r"^(?:actually|no|nope|sorry|oops|wait)?[,:!.]?\s*(?:i meant|i mean|make that|it'?s)\s+"
    r"([\w'-]+)\s*[.!]?$",
    re.IGNORECASE,
)
_CLASSES = [
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    r"january|february|march|april|may|june|july|august|september|october|november|december",
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}",
    r"\d+",
]


@dataclass(frozen=True)
class Learned:
    """One change the learner made, for a one-line notice."""

    action: str
    """``remembered``, ``reinforced``, ``corrected``, ``redacted`` or ``ignored``."""
    text: str
    memory_id: str = ""


class Learner:
    """Turns user messages into memories.

    Usage::

        learner = Learner(assistant.memories)
        for change in learner.learn("My sister's name is Anna.", conversation=session_id):
            print(change.action, change.text)
    """

    def __init__(
        self,
        memories: Memories,
        extractor: ModelExtractor | None = None,
        classifier: ClauseClassifier | None = None,
    ) -> None:
        self.memories = memories
        self.extractor = extractor
        self.learned = LearnedExtractor(
            classifier or ClauseClassifier(memories.embedder, memories.settings.model_cache)
        )

    def candidates(self, text: str) -> list[Candidate]:
        """The facts in the user's own words in one message: the model's, when one extracts,
        plus what the rules find that the model did not; without a model, or when it fails,
        the clauses the classifiers keep plus the rules' facts."""
        text = own_words(text)
        if self.extractor is None or not worth_asking(text):
            return self.learned.extract(text)
        try:
            modelled = self.extractor.extract(text)
        except ModelError as exc:
            log.warning("model extraction failed (%s); using the classifiers", exc)
            return self.learned.extract(text)
        return merge(modelled, extract(text))

    def learn(self, text: str, *, conversation: str = "", turn: str = "") -> list[Learned]:
        """Learn from one message the user wrote (never from the assistant's replies).

        Pasted text is data: only the user's own words are learned from, and a sentence
        that tries to instruct the assistant is dropped, not the rest of the message."""
        provenance = {"conversation": conversation, "turn": turn} if conversation else {}
        changes: list[Learned] = []
        own = own_words(text)
        hostile = [s for s in sentences(own) if looks_like_injection(s)]
        if hostile or looks_like_injection(text):
            log.warning("message in conversation %s looks like prompt injection", conversation)
            changes.append(Learned("ignored", "a message that gives me instructions"))
            own = "\n".join(s for s in sentences(own) if not looks_like_injection(s))
        text = own
        if not text:
            return changes
        try:
            corrected = self._correction(text, conversation, provenance)
            if corrected is not None:
                return [*changes, *corrected]
            for candidate in self.candidates(text):
                changes.extend(self._store(candidate, provenance))
        except AssistantError as exc:
            log.warning("learning failed: %s", exc)
        return changes

    def keep_moment(self, text: str, emotion: float, *, conversation: str = "") -> Learned | None:
        """Keep an emotional moment of a session as an episodic memory, unless a memory
        already says the same."""
        if looks_like_injection(text):
            return None
        findings = find_pii(text)
        text = redact(text, findings)
        hits = self.memories.search(text, 3, touch=False)
        if any(h.breakdown.semantic >= DUPLICATE_SIMILARITY for h in hits):
            return None
        memory = self.memories.add(
            text,
            type="episodic",
            importance=6.0 + 2.0 * emotion,
            emotion=emotion,
            source="conversation",
            metadata={"conversation": conversation, "fact": "moment"} if conversation else None,
        )
        return Learned("remembered", memory.text, memory.id)

    def _store(self, candidate: Candidate, provenance: dict[str, str]) -> list[Learned]:
        changes: list[Learned] = []
        findings = find_pii(candidate.text)
        text = redact(candidate.text, findings)
        if text != candidate.text:  # text redacted where it entered was announced there
            changes.append(Learned("redacted", "a secret (use /remember to keep it as written)"))
        hits = self.memories.search(text, 5, touch=False)
        duplicate = next((h for h in hits if is_duplicate(text, h)), None)
        if duplicate is not None:
            memory = self.memories.reinforce(
                duplicate.memory.id, source=provenance.get("conversation", "")
            )
            return [*changes, Learned("reinforced", memory.text, memory.id)]
        older = _same_kind(candidate, hits)
        related = [
            wikilink(h.memory.path.stem)
            for h in hits
            if h.breakdown.semantic >= RELATED_SIMILARITY
            and h.memory.path is not None
            and (older is None or h.memory.id != older.id)
        ][:MAX_RELATED]
        draft = Draft(
            text,
            type=candidate.type,
            importance=candidate.importance,
            tags=candidate.tags,
            entities=candidate.entities,
            emotion=candidate.emotion,
            source="conversation",
            metadata={
                **provenance,
                "fact": candidate.kind,
                **({"people": [wikilink(p) for p in candidate.people]} if candidate.people else {}),
                **({"related": related} if related else {}),
                **({"pii": sorted({f.kind for f in findings})} if findings else {}),
            },
        )
        if older is not None:
            new, old = self.memories.supersede(older.id, draft)
            return [*changes, Learned("corrected", f"{old.text} → {new.text}", new.id)]
        memory = self.memories.add_many([draft])[0]
        return [*changes, Learned("remembered", memory.text, memory.id)]

    def _correction(
        self, text: str, conversation: str, provenance: dict[str, str]
    ) -> list[Learned] | None:
        """ "actually, it's Anna not Anne" and "no, I meant Tuesday": rewrite the fact. A
        corrected name is corrected in every fact of this conversation that uses it."""
        text = text.strip()
        others: list[Memory] = []
        if m := _CORRECTION.match(text):
            new_word, old_word = m.group(1), m.group(2)
            target = self._containing(old_word, conversation)
            pattern = re.compile(rf"\b{re.escape(old_word)}\b", re.IGNORECASE)
            if target is not None and conversation:
                others = [
                    memory
                    for memory in self.memories.list(limit=50)
                    if memory.id != target.id
                    and memory.metadata.get("conversation") == conversation
                    and pattern.search(memory.text)
                ]
        elif m := _MEANT.match(text):
            new_word = m.group(1)
            word_class = next((c for c in _CLASSES if re.fullmatch(c, new_word, re.I)), None)
            if word_class is None:
                return None
            pattern = re.compile(rf"\b(?:{word_class})\b", re.IGNORECASE)
            target = self._latest_matching(pattern, conversation)
        else:
            return None
        if target is None:
            return None
        changes = [self._rewrite(t, pattern, new_word, provenance) for t in [target, *others]]
        found = [c for c in changes if c is not None]
        return found or None

    def _rewrite(
        self, target: Memory, pattern: re.Pattern[str], new_word: str, provenance: dict[str, str]
    ) -> Learned | None:
        fixed = pattern.sub(new_word, target.text, count=1)
        if fixed == target.text:
            return None

        def fix(name: str) -> str:
            return new_word if pattern.fullmatch(name) else name

        people = [wikilink(fix(p)) for p in link_targets(target.metadata.get("people"))]
        draft = Draft(
            fixed,
            type=target.type,
            importance=target.importance,
            tags=target.tags,
            entities=tuple(fix(e) for e in target.entities),
            emotion=target.emotion,
            source="conversation",
            metadata={
                **provenance,
                "fact": pattern.sub(new_word, str(target.metadata.get("fact", "correction"))),
                **({"people": people} if people else {}),
            },
        )
        new, old = self.memories.supersede(target.id, draft)
        return Learned("corrected", f"{old.text} → {new.text}", new.id)

    def _containing(self, word: str, conversation: str) -> Memory | None:
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        hits = [h.memory for h in self.memories.search(word, 10, touch=False)]
        found = [m for m in hits if pattern.search(m.text)]
        if not found:
            return self._latest_matching(pattern, conversation)
        return _prefer_conversation(found, conversation)

    def _latest_matching(self, pattern: re.Pattern[str], conversation: str) -> Memory | None:
        recent = self.memories.list(limit=50)
        found = [m for m in recent if pattern.search(m.text)]
        return _prefer_conversation(found, conversation) if found else None


def _prefer_conversation(found: list[Memory], conversation: str) -> Memory:
    same = [m for m in found if conversation and m.metadata.get("conversation") == conversation]
    return max(same or found, key=lambda m: m.created)


def is_duplicate(text: str, hit: Hit) -> bool:
    """Same fact: very similar meaning and the same details (names, numbers, dates, negation),
    and neither says more than the other.

    "Dentist on March 3" and "dentist on May 3" are similar in meaning but not duplicates;
    nor are "allergic to peanuts" and "allergic to peanuts and cashews".
    """
    return same_fact(text, hit.memory.text, hit.breakdown.semantic)


def _same_kind(candidate: Candidate, hits: list[Hit]) -> Memory | None:
    """An active stored fact this candidate replaces: same kind (home, work, a relation's
    name), or, for "I don't … anymore", any fact about the same thing."""
    subject, exclusive = candidate.subject, candidate.exclusive
    for hit in hits:
        fact = str(hit.memory.metadata.get("fact", ""))
        if hit.breakdown.semantic < SAME_KIND_SIMILARITY or not fact:
            continue
        if exclusive and fact == candidate.kind:
            return hit.memory
        if candidate.negated and fact.split(":", 1)[-1] == subject and fact != "work":
            return hit.memory
    return None
