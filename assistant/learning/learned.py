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
from dataclasses import replace

from assistant.learning.classifier import KEEP_THRESHOLD, ClauseClassifier
from assistant.learning.clauses import clean as clean_clause
from assistant.learning.clauses import readable, sentences, split_sentence, with_apostrophes
from assistant.learning.context import (
    opened_by_name,
    owned,
    people,
    resolve,
    resolve_objects,
    subjected,
    unresolved,
    without_denied,
)
from assistant.learning.continuation import Continuations
from assistant.learning.extract import MAX_SENTENCES, Candidate, extract, merge
from assistant.learning.injection import addressed_to_ai, looks_like_injection, own_words
from assistant.learning.validate import is_fact, problem, turned_round
from assistant.memory_types import MemoryType

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
MAX_NAMED = 24
"""The people named last that "he", "she" and a name alone are read against: a message that
names thousands reads each clause against the latest only."""
_LETTER = re.compile(r"[^\W\d_]")


_IN_EARNEST = re.compile(
    r"^\W*(?:(?:but|ok|okay|no|anyway)\W+)?(?:for\s+real|jok(?:es?|ing)\s+aside|in\s+all\s+"
    r"seriousness|seriously(?:\s+though)?|real\s+talk|srsly)\b",
    re.IGNORECASE,
)
"""A clause that turns from a joke to what is so ("but for real I work from home as a UX
designer"): it never goes on from the clause before."""
JOIN_FLOOR = 0.02
"""A clause read alone as this plainly no fact ("just trying this thing out") never goes on a
fact told before it, however the two read together."""
_DO_NOT_USE = re.compile(
    r"\b(?:don'?t|do\s+not|never|stop)\s+(?:use|using|call|calling|ring|text|email|send)\b", re.I
)
"""A clause that tells the reader what no longer to use ("the old one's dead, don't use 0412
118 002"): the old value it names never joins the new one told before."""


def storable(clause: str, said: str = "") -> bool:
    """Whether a cleaned clause may be stored at all: not a question, a hypothetical, a
    request, a placeholder, a joke, an instruction to an AI or an injection, small talk or
    a fragment (``said``: the sentence as written, read for the marks of a joke)."""
    return (
        bool(clause)
        and len(clause) <= MAX_CLAUSE
        and not clause.endswith("?")
        and _NEVER.search(clause) is None
        and not addressed_to_ai(clause)
        and not looks_like_injection(clause)
        and is_fact(clause, said)
    )


def _latest(named: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The :data:`MAX_NAMED` people named last, each once, in the order last named."""
    latest = dict.fromkeys(reversed(named))
    return list(reversed(list(latest)[:MAX_NAMED]))


_DETAIL = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\b(?:next|last|this)\s+(?:week|month|year)\b"
    r"|\b(?:tomorrow|tonight|spring|summer|autumn|fall|winter|christmas|easter)\b"
    r"|(?<=\w )[A-Z][a-z]",
)
"""A detail that a fact a rule read may go on with: a number, a date or a name ("due in
March", "3 bed outside Columbus"); a rule's fact is not grown by what only colours it
("finally out of the flat")."""


def _grows(clause: str) -> bool:
    """Whether a clause that goes on may go on from a fact a rule read: it gives a detail
    (:data:`_DETAIL`) and is no fact a rule reads itself ("no, I live in Berlin")."""
    return bool(_DETAIL.search(clause)) and not extract(clause)


def _ruled(ruled: dict[str, Candidate], clause: str, read: list[Candidate]) -> str:
    """Note the one fact a rule read in ``clause`` (as stored), which what goes on from the
    clause goes on from; ``""`` where the rule read several or none."""
    if len(read) != 1:
        return ""
    ruled[clause] = read[0]
    return clause


_OPENS_A_NAME = re.compile(r"^(?:I\b|I['’]|[A-Z]{2,}\b)")


def _joined(before: str, going_on: str, named: list[tuple[str, str]]) -> str:
    """A clause and one that goes on from it, as one: "I'm pregnant" and "Due in March." →
    "I'm pregnant, due in March." (a capital that only opens a sentence is dropped, not that
    of "I", a short form in capitals or someone named)."""
    going_on = " ".join(going_on.split())
    first = going_on.split(" ", 1)[0].strip(".,!?;:'’")
    names = {word for said, _ in named for word in said.lower().split()}
    if not _OPENS_A_NAME.match(going_on) and first.lower() not in names:
        going_on = going_on[:1].lower() + going_on[1:]
    return f"{before.rstrip(' .!?,;:')}, {going_on}"


def plain_words(text: str) -> str:
    """A text's words, in lower case, one space apart: the same sentence said again in
    another case or with other punctuation reads the same."""
    return " ".join(re.findall(r"[\w']+", text.lower()))


class LearnedExtractor:
    """Facts in one message by the clause classifiers, with the rules' facts merged in.

    Usage::

        extractor = LearnedExtractor(ClauseClassifier(embedder, settings.model_cache))
        [c.text for c in extractor.extract("hey, I'm Priya, 41, a nurse")]
    """

    def __init__(self, classifier: ClauseClassifier) -> None:
        self.classifier = classifier
        self.continuations = Continuations(classifier.embedder, classifier.weights_dir)

    def extract(self, text: str, context: str = "") -> list[Candidate]:
        """Facts stated in the user's own words in one message; ``context`` is the message
        before it, read for the people "he" and "she" refer to."""
        own = own_words(text)
        if not own:
            return []
        rules = extract(own)
        named = _latest(people(own_words(context))) if context else []
        pending: dict[str, str] = {}
        """Each clause as stored, cleaned, and as written (what the classifiers read: "lol"
        and "haha" at the edges say something about a clause)."""
        last = ""
        """The clause before, as stored, while it waits for the classifiers."""
        joins: dict[str, tuple[str, list[str]]] = {}
        """A clause, as stored, and the clauses that go on from it ("3 bed outside columbus,
        closing on the 18th" after "we just bought our first house"): all together as
        written, and the others as stored."""
        ruled: dict[str, Candidate] = {}
        """A clause a rule read as one fact, and that fact: the clauses that go on from it
        ("I'm pregnant! Due in March.") go on from the rule's words."""
        steps: list[tuple[str, list[str], str, str, list[Candidate]]] = []
        """Each clause: its sentence, the facts the rules find in that sentence (as plain
        words), the clause as written and with the people it names resolved, and those facts."""
        for sentence in readable(sentences(own))[:MAX_SENTENCES]:  # a run-on one in pieces
            by_rule = extract(sentence)
            covered = [plain_words(c.text) for c in by_rule]
            for clause in split_sentence(sentence):
                if not _LETTER.search(clause):
                    continue  # "..." or "1 2 3": nothing to read, nothing to embed
                raw = owned(subjected(clause))  # "wife's name is Grete": the user's wife
                written = without_denied(resolve_objects(resolve(raw, named), named))
                named = _latest([*named, *opened_by_name(raw), *people(raw)])
                steps.append((sentence, covered, raw, written, by_rule))
        going = self.continuations.on([written for *_, written, _ in steps])
        for (sentence, covered, raw, written, by_rule), goes_on in zip(steps, going, strict=True):
            cleaned = clean_clause(written)
            head = ""
            """The clause this one went on from, which the next may go on from too."""
            if (
                (last in pending or (last in ruled and _grows(cleaned)))
                and goes_on
                and problem(cleaned) in (None, "fragment")
                and not _IN_EARNEST.match(written)
                and not _DO_NOT_USE.search(written)
            ):
                start = pending[last] if last in pending else ruled[last].text
                before, others = joins.get(last, (start, []))
                joined = _joined(before, written, named)
                if storable(clean_clause(joined), sentence):
                    joins[last] = (joined, [*others, cleaned])
                    head = last
            if unresolved(written):
                last = head
                continue  # "he's obsessed with trains", and nobody named: about whom?
            said = plain_words(clean_clause(raw))
            if not storable(cleaned, sentence):
                last = head
                continue  # not a fact
            read = [
                c
                for c, rule in zip(by_rule, covered, strict=True)
                if said in rule or _introduced_as(said, c)  # "im jonas": "My name is Jonas."
            ]
            if read:  # a rule kept the sentence it is part of
                last = head or _ruled(ruled, cleaned, read)
                continue
            if written == raw and (found := extract(cleaned)):
                rules.extend(found)  # a rule reads the cleaned clause ("i go" → "I go")
                last = head or _ruled(ruled, cleaned, found)
            else:
                pending.setdefault(cleaned, " ".join(written.split()))
                last = head or cleaned
        batch = self.classifier.classify(  # read with chat's apostrophes put back ("im")
            [with_apostrophes(t) for t in [*pending.values(), *(j for j, _ in joins.values())]]
        )
        verdicts = dict(zip(pending, batch[: len(pending)], strict=True))
        kept = {c: v for c, v in verdicts.items() if v.keep >= KEEP_THRESHOLD}
        together = batch[len(pending) :]
        grown: list[Candidate] = []
        """Facts a rule read, with what went on from them."""
        for (clause, (joined, others)), verdict in zip(joins.items(), together, strict=True):
            if verdict.keep < KEEP_THRESHOLD or any(
                part in verdicts and verdicts[part].keep < JOIN_FLOOR for part in others
            ):
                continue  # "I'm 31, just trying this thing out": the aside is no part of it
            for part in (clause, *others):  # one fact, kept together
                kept.pop(part, None)
            if clause in ruled:
                fact = ruled[clause]
                rules = [c for c in rules if c.text != fact.text]
                grown.append(replace(fact, text=clean_clause(joined)))
            else:
                kept[clean_clause(joined)] = verdict
        learned = [
            Candidate(
                clause,
                verdict.type,
                verdict.importance,
                "clause",
                tags=_TAGS.get(verdict.type, ()),
                emotion=0.6 if verdict.type is MemoryType.EMOTIONAL else 0.0,
            )
            for clause, verdict in kept.items()
        ]
        found = [replace(c, text=without_denied(c.text)) for c in merge(grown + learned, rules)]
        closing = (sentences(text) or [""])[-1]
        return [c for c in found if is_fact(c.text) and not turned_round(c.text, closing)]

    def kinds(self, text: str) -> list[tuple[MemoryType, tuple[str, ...]]]:
        """The type and tags learning gives each fact in ``text``; when it keeps none,
        the classifier's type for the whole text (what decides whether a fact stored by
        an explicit action is about the user in general)."""
        found = [(c.type, tuple(c.tags)) for c in self.extract(text)]
        if found:
            return found
        verdict = self.classifier.classify([text])[0]
        return [(verdict.type, _TAGS.get(verdict.type, ()))]


_I_AM_NAMED = re.compile(r"^(?:i'?m|im|i am) (?P<name>[^\W\d_][\w'’-]*)$", re.IGNORECASE)


def _introduced_as(said: str, fact: Candidate) -> bool:
    """Whether a clause ("im jonas", in plain words) is who a rule's fact of the user's name
    says they are: that fact says it."""
    m = _I_AM_NAMED.match(said)
    return (
        m is not None
        and fact.kind in ("name", "nickname")
        and m["name"].lower() in (e.lower() for e in fact.entities)
    )
