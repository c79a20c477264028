"""What the assistant learns from one user message: new facts, repeats, corrections.

Runs after the reply, in the background. Each extracted fact is redacted if it holds a secret,
then compared with what is already stored: a near-duplicate reinforces the existing memory, a
newer fact of the same kind (where the user lives, works, a name) supersedes the old one, and
anything else becomes a new memory with its provenance.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from assistant.errors import AssistantError, ModelError
from assistant.learning.ages import age_of, reaged
from assistant.learning.allergies import withdrawn_allergy
from assistant.learning.asked import as_told
from assistant.learning.changes import called_off, changed_before, rescheduled
from assistant.learning.classifier import ClauseClassifier
from assistant.learning.clauses import clean, sentences, with_apostrophes
from assistant.learning.context import NAMED_ALONE, name_in, names, people, verb_cased
from assistant.learning.corrections import (
    RELATION,
    SAME_KIND,
    Acts,
    Correction,
    Retraction,
    as_written,
    calls_off,
    content_words,
    forget_about,
    name_after_no,
    nearest_word,
    remainder,
    said_instead,
    slip_value,
    starred,
    takes_back_latest,
    uncued,
    without_not,
    word_pattern,
)
from assistant.learning.dates import anchored, plain
from assistant.learning.deaths import replaced_by_death
from assistant.learning.doses import (
    anothers,
    changes_dose,
    dose_before,
    doses,
    doses_before,
    its_new_dose,
    redosed,
    redosed_by,
    same_dose,
    switch_of,
    switched,
    switched_before,
)
from assistant.learning.extract import Candidate, extract, merge
from assistant.learning.injection import InjectionDetector, looks_like_injection, own_words
from assistant.learning.instructions import (
    InstructionReader,
    called,
    changes_how,
    names_what_to_call,
)
from assistant.learning.introduced import introduced
from assistant.learning.kinds import SAID
from assistant.learning.learned import LearnedExtractor, plain_words
from assistant.learning.model_extract import ModelExtractor, worth_asking
from assistant.learning.partners import replaced_partner
from assistant.learning.pii import find_pii, redact
from assistant.learning.repair import repaired, restarted
from assistant.learning.restated import restatement
from assistant.learning.sameness import DUPLICATE_SIMILARITY, negated, said_within, same_fact
from assistant.learning.slots import (
    PERSON_SAID,
    renamed,
    retyped,
    substitute,
    without_old_value,
)
from assistant.learning.slots import values as slot_values
from assistant.learning.spellings import Spellings
from assistant.learning.validate import is_fact
from assistant.memories import Draft, Memories
from assistant.memory_types import Hit, Memory, MemoryType, Status
from assistant.models.base import Embedder
from assistant.vault.instructions import InstructionsPage
from assistant.vault.notes import link_targets, wikilink

log = logging.getLogger(__name__)

SAME_KIND_SIMILARITY = 0.45
"""Below this, a stored fact of the same kind is about something else."""
SAME_PLACE_SIMILARITY = 0.2
"""Below this, even a stored fact of a kind the user has one of (where they live, their name)
is not the one a new fact of that kind replaces: a move said with more ("I moved to perth from
durban in 2019, still miss the curry") sits at 0.23 from "I live in Leeds."."""
SAME_INSTRUCTION = 0.55
"""MiniLM cosine from which a new standing instruction is on the topic of one already kept
and takes its place ("give recipes in imperial" / "always give recipes in metric" 0.59;
"always give temperatures in celsius" / the metric one 0.40)."""
RELATED_SIMILARITY = 0.8
"""MiniLM cosine from which a new memory links to an existing one."""
MAX_RELATED = 5
VALUE_WORDS = 5
"""Words up to which a value said alone after a slip ("sorry, london") is the whole message:
when it fixes nothing, nothing in it is learned either."""
MAX_CONVERSATIONS = 64
"""Conversations whose last message the learner remembers (for "he" and "she")."""
ASIDE_WORDS = 4
"""Words up to which a message that teaches nothing is an aside ("well. were.", "ugh"): the
fact taught before it is still the one a fix after it fixes ("scrap that…")."""
CONTEXT_MESSAGES = 2
"""Messages before the one learned from that "he" and "she" may refer back to."""
RESTATED_SIMILARITY = 0.5
"""MiniLM cosine from which a restated fact replaces a stored one it names no word of."""
ABOUT_ANOTHER = 0.15
"""How much nearer in meaning (MiniLM cosine) a correction must be to an older fact holding
the value it replaces than to the latest such fact to fix the older one."""
CORRECTED_SIMILARITY = 0.3
"""MiniLM cosine from which a fact in a correction ("sorry, he's in Accra now") replaces one
the message before taught ("my brother Kwame lives in Kumasi"): only those are compared."""


Retract = Callable[[str, str], list[Memory]]
"""Forgets the memories about a topic (or the latest of a conversation) and returns them."""


@dataclass(frozen=True)
class Learned:
    """One change the learner made, for a one-line notice."""

    action: str
    """``remembered``, ``reinforced``, ``corrected``, ``forgot``, ``redacted``, ``ignored``,
    or for a standing instruction ``instructed``, ``instructed again``, ``reinstructed`` or
    ``uninstructed``."""
    text: str
    memory_id: str = ""


@dataclass(frozen=True)
class Provenance:
    """Where a learned fact came from: the memory's ``source`` and its metadata."""

    source: str
    metadata: dict[str, str]
    said: datetime
    """When the message was written, in local time: the day its "tomorrow" is dated from."""


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
        *,
        retract: Retract | None = None,
        instructions: InstructionsPage | None = None,
    ) -> None:
        self.memories = memories
        self.instructions = instructions
        """Where standing instructions are written ("always give recipes in metric"); None:
        they are not kept."""
        self.reader = (
            InstructionReader(memories.embedder, memories.settings.model_cache)
            if instructions is not None
            else None
        )
        self.retract: Retract = retract or (lambda about, c: forget_about(memories, about, c))
        """Forgets what a message takes back (the action layer's ``forget_about``)."""
        self.extractor = extractor
        self.learned = LearnedExtractor(
            classifier or ClauseClassifier(memories.embedder, memories.settings.model_cache)
        )
        self.acts = Acts(memories.embedder, memories.settings.model_cache)
        self.injection = InjectionDetector(memories.embedder, memories.settings.model_cache)
        self._before: dict[str, tuple[str, ...]] = {}
        """The messages before, per conversation: the last :data:`CONTEXT_MESSAGES`."""
        self._learned: dict[str, list[str]] = {}
        """The ids of what the last message of each conversation taught, for a correction
        in the next one ("sorry, he's in Accra now")."""
        self.spellings = Spellings()
        """The names corrected in each conversation ("tomas" typed again means Thomas)."""

    def candidates(self, text: str, context: str = "") -> list[Candidate]:
        """The facts in the user's own words in one message: the model's, when one extracts,
        plus what the rules find that the model did not; without a model, or when it fails,
        the clauses the classifiers keep plus the rules' facts (``context``: the message
        before, for the people a pronoun refers to)."""
        text = introduced(repaired(own_words(text)))
        if self.extractor is None or not worth_asking(text):
            return self.learned.extract(text, context)
        try:
            modelled = self.extractor.extract(text)
        except ModelError as exc:
            log.warning("model extraction failed (%s); using the classifiers", exc)
            return self.learned.extract(text, context)
        return merge(modelled, extract(text))

    def learn(
        self,
        text: str,
        *,
        conversation: str = "",
        turn: str = "",
        source: str = "conversation",
        at: datetime | None = None,
    ) -> list[Learned]:
        """Learn from one message the user wrote (never from the assistant's replies);
        what is kept records ``source`` (``conversation``, ``voice``, a bridge) and, with
        ``conversation``, the conversation and ``turn`` it came from. ``at``: when it was
        written (now when None); the days a fact names relative to it are dated
        (:mod:`assistant.learning.dates`).

        Pasted text is data: only the user's own words are learned from, and a sentence
        that tries to instruct the assistant is dropped, not the rest of the message."""
        metadata = {"conversation": conversation, "turn": turn} if conversation else {}
        provenance = Provenance(source, metadata, (at or datetime.now(UTC)).astimezone())
        changes: list[Learned] = []
        text = _SPACES.sub(" ", text)  # a run of spaces reads as one, and reads once
        mine = own_words(text)
        kept_as_told = as_told(mine)  # "can you remember that im allergic to…"
        asked_to_keep = kept_as_told != mine
        own = introduced(repaired(kept_as_told))
        own, replaced = restarted(own)  # "my sister lives in york, no wait she moved…"
        said = sentences(own)
        hostile = self.injection.hostile(said)
        if any(hostile) or looks_like_injection(text):
            log.info("message in conversation %s looks like prompt injection", conversation)
            own = "\n".join(s for s, bad in zip(said, hostile, strict=True) if not bad)
            what = (
                "the part that gives me instructions"
                if own
                else "a message that gives me instructions"
            )
            changes.append(Learned("ignored", what))
        noted: set[str] = set()  # the words of each instruction noted, to be no fact too
        if not any(hostile) and not looks_like_injection(text):  # none from a takeover
            if renamed := self._called_instead(own):
                return [*changes, renamed]
            instructed, noted = self._instructed(said)
            changes.extend(instructed)
        text = self.spellings.respelled(own, conversation)
        if not text:
            return changes
        before = self._before.pop(conversation, ()) if conversation else ()
        said_before = [
            *self._who_they_are(text, before),
            *before,
            *([replaced] if replaced else []),
        ]
        context = "\n".join(said_before)
        if conversation:  # "sligo*" between "my mum…" and "she's 67" leaves "she" to mum
            self._before[conversation] = (*before, text)[-CONTEXT_MESSAGES:]
            while len(self._before) > MAX_CONVERSATIONS:
                self._before.pop(next(iter(self._before)))
        previous = self._learned.pop(conversation, []) if conversation else []
        try:
            told = restatement(text)  # "i said my flight was at 6:40 but it's 8:40"
            # the new value goes into the fact that holds the old
            act = self.acts.read(text) if told is None else Correction(told.new, told.old, "")
            act = act or self._said_instead(text)  # "my allergy is to nickel, not latex"
            revises = isinstance(act, Correction) or (
                previous
                and (
                    self.acts.revises(text)
                    or bool(name_after_no(text))
                    or bool(its_new_dose(text))  # "the doctor raised it to 10mg"
                )
            )
            fixing = told.new if told is not None else text
            acted = self._substituted(fixing, previous, provenance) if revises else None
            named = (  # "forget that dan works at sage", not "scratch that she moved to…"
                isinstance(act, Retraction) and bool(act.topic) and not _SCRATCH.match(text)
            )
            if acted is None and previous and not named and self._takes_back(text, previous):
                act = Retraction()  # "scratch that, got a ford ranger now"
            if acted is None:
                acted = self._act(act, conversation, provenance, text, context)
            if acted is None and previous and (star := starred(text)):
                acted = self._starred(star, previous, provenance)  # "sligo*"
            if acted is not None:
                return [*changes, *acted, *self._after_fix(act, text, context, provenance, acted)]
            if isinstance(act, Correction) and act.alone and len(text.split()) <= VALUE_WORDS:
                return changes  # "sorry, london" fixing nothing said here is no fact either
            replaces = previous if revises else []
            found: list[Candidate] = []
            if isinstance(act, Correction) and act.statement:
                # "update: gus moved to denver, not boulder": the fact without the old value
                found = self.candidates(act.statement, context)
                if found and (rest := _after_first(text)):  # "… my mums name is margaret"
                    found += self.candidates(rest, context)
            if told is not None and not found:  # no fact held the old value: told again
                fact = clean(told.fact)
                found = self.candidates(fact, context) or (
                    [self._restated(fact)] if is_fact(fact) else []
                )
            # "oh wait no she's a lab-collie cross actually": what it says, of whom said before
            found = found or self.candidates(uncued(text) if replaces else text, context)
            found = found or self._aged(text)  # "biscuit is 5 now", Biscuit's age stored
            found = found or self._redosed(text)  # "gp put my ramipril up to 10mg"
            found = found or self._moved_plan(text)  # "the vet cancelled, moved to monday"
            found = self._switched(text, found)  # "stopped her X and put her on Y"
            if not found and asked_to_keep and is_fact(fact := clean(text)):
                found = [self._restated(fact)]  # "make a note: spare key is under the pot"
            found = self._told_off(text, found)  # "cancelled the dentist", "kofi quit mtn"
            # "I prefer short answers", noted for every answer, is no fact about the user too
            found = [c for c in found if plain_words(c.text) not in noted]
            for candidate in found:
                here = {c.memory_id for c in changes if c.memory_id}
                changes.extend(self._store(candidate, provenance, replaces=replaces, told=here))
        except AssistantError as exc:
            log.warning("learning failed: %s", exc)
        if conversation:
            taught = [c.memory_id for c in changes if c.memory_id and c.action != "reinforced"]
            if taught:
                self._learned[conversation] = taught
            elif previous and not changes and len(text.split()) <= ASIDE_WORDS:
                self._learned[conversation] = previous  # "well. were." between a fact and its fix
            while len(self._learned) > MAX_CONVERSATIONS:
                self._learned.pop(next(iter(self._learned)))
        return changes

    def _said_instead(self, text: str) -> Correction | None:
        """The correction a statement makes that says what is so in place of a word a stored
        fact holds ("my allergy is to nickel, not latex" after "I'm allergic to latex"): that
        fact with the new word in place of the old says what the statement says, in other
        words at most; None when no stored fact is so (then the statement is a fact of its
        own, "I like tea, not coffee" beside "I hate coffee")."""
        correction = said_instead(text)
        if correction is None:
            return None
        old = re.compile(rf"\b{re.escape(correction.old)}\b", re.IGNORECASE)
        new = re.compile(rf"\b{re.escape(correction.new)}\b", re.IGNORECASE)
        for hit in self.memories.search(correction.statement or correction.old, 5, touch=False):
            held = hit.memory.text
            if not old.search(held) or new.search(held):
                continue
            if not correction.statement:  # "…, shes called brambles": the name it holds
                return correction
            fixed = old.sub(correction.new, held, count=1)
            if _says_as(fixed, correction.statement, self.memories.embedder):
                return correction
        return None

    def _after_fix(
        self,
        act: Correction | Retraction | None,
        text: str,
        context: str,
        provenance: Provenance,
        acted: list[Learned],
    ) -> list[Learned]:
        """What the sentences after a correction's own say, learned as usual ("brambles is
        the dog, not my mum. my mums name is margaret": her name too)."""
        rest = _after_first(text) if isinstance(act, Correction) else ""
        if not rest:
            return []
        told = {c.memory_id for c in acted if c.memory_id}
        pairs = [c.text.split(" → ", 1) for c in acted if c.action == "corrected"]
        before = "\n".join([context, *(p[-1] for p in pairs)])  # "she" is whom it fixed
        candidates = self.candidates(rest, before)
        wrong = [p[0] for p in pairs if len(p) == 2]
        if candidates and wrong:  # "my daughter's totally fine with dairy": why it was wrong
            vectors = self.memories.embedder.embed([*wrong, *(c.text for c in candidates)])
            olds, news = vectors[: len(wrong)], vectors[len(wrong) :]
            candidates = [
                c for c, v in zip(candidates, news, strict=True) if max(olds @ v) < EXPLAINS_FIX
            ]
        found: list[Learned] = []
        for candidate in candidates:
            found.extend(self._store(candidate, provenance, told=told))
        return found

    def _told_off(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """``found`` with the sentence that calls a stored plan off, or says someone left
        where the store says they work, kept as said in place of what was read from it
        ("kofi quit mtn, hes at vodafone now" replaces "my brother kofi works at mtn")."""
        said = next((s for s in sentences(text) if called_off(s)), "")
        fact = clean(said) if said else ""
        if not fact or not is_fact(fact) or changed_before(self.memories, fact) is None:
            return found  # "if the dentist is cancelled…" calls nothing off
        words = set(content_words(fact))
        others = [c for c in found if len(words & set(content_words(c.text))) < 2]
        return [self._restated(fact), *others]

    def _restated(self, fact: str) -> Candidate:
        """A fact the user told again to set it right, kept whatever the classifier says of
        it alone ("My flight was at 8:40."), with its type and importance."""
        verdict = self.learned.classifier.classify([fact])[0]
        tags = next(iter(self.learned.kinds(fact)), (verdict.type, ()))[1]
        return Candidate(fact, verdict.type, max(verdict.importance, 5.0), "clause", tags=tags)

    def _takes_back(self, text: str, previous: Sequence[str]) -> bool:
        """Whether a message takes back what the message before taught: "scratch that", "jk",
        or a plan it made called off ("actually the plan fell through")."""
        if takes_back_latest(text):
            return True
        before = [m.text for m in self.memories.get_many(list(previous))]
        if any(_about_else(text, fact, ()) for fact in before):
            return False  # "isla's birthday is …, a phone? lol not happening": not the flights
        return calls_off(text, before)

    def keep_moment(self, text: str, emotion: float, *, conversation: str = "") -> Learned | None:
        """Keep an emotional moment of a session as an episodic memory, unless a memory
        already says the same, or the text is no moment: a paste or a flood longer than
        :data:`MAX_MOMENT` characters, or the same sentence over and over."""
        if looks_like_injection(text) or len(text) > MAX_MOMENT or _repetitive(text):
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

    def _store(
        self,
        candidate: Candidate,
        provenance: Provenance,
        *,
        replaces: Sequence[str] = (),
        told: Collection[str] = (),
    ) -> list[Learned]:
        """Keep ``candidate`` (or reinforce the memory it repeats); it replaces an older fact
        of the same kind, or, for a correction, the closest of ``replaces`` (what the message
        before taught). ``told``: what this message taught already; a partner named there is
        not replaced by another named in it ("kwame... wait no. bf is kofi")."""
        changes: list[Learned] = []
        candidate = self._job_left(candidate) or candidate
        ended = (
            replaced_partner(self.memories, candidate.text)
            or replaced_by_death(self.memories, candidate.text)
            or withdrawn_allergy(self.memories, candidate.text)
        )  # "we broke up", "mochi died yesterday", "not allergic to penicillin after all"
        if ended is not None and ended.replaced is not None and ended.replaced.id in told:
            ended = None
        if ended is not None:
            who = (ended.partner,) if ended.partner else candidate.people
            candidate = replace(candidate, text=ended.text, people=who)
        if ended is not None and ended.remaining is not None:  # "mochi died": the note of
            shared, rest = ended.remaining  # mochi and biscuit says biscuit alone now
            fact = str(shared.metadata.get("fact", "correction"))
            gone = ended.partner.lower()
            kept = replace(
                shared,
                metadata={
                    **shared.metadata,
                    "people": [
                        wikilink(p)
                        for p in link_targets(shared.metadata.get("people"))
                        if p.lower() != gone
                    ],
                },
            )
            changes.append(self._replace(kept, rest, lambda name: name, fact, provenance))
        # "moved from X to Y" keeps only Y; "tomorrow" is dated
        said = _as_stored(without_old_value(candidate.text), provenance.said)
        findings = find_pii(said)
        text = redact(said, findings)
        if text != said:  # text redacted where it entered was announced there
            changes.append(Learned("redacted", "a secret (use /remember to keep it as written)"))
        hits = self.memories.search(text, 5, touch=False)
        duplicate = next(
            (
                h
                for h in hits
                if is_duplicate(text, h) or said_within(text, h.memory.text, h.breakdown.semantic)
            ),
            None,
        )
        again = (
            duplicate.memory
            if duplicate is not None
            else same_dose(self.memories, plain(text))  # "upped my ramipril to 10mg", 10mg kept
        )
        if again is not None and again.id in told:
            return changes  # said twice in this message ("my dog is called rex" twice over)
        if again is not None:  # said again, or with less than the first time
            memory = self.memories.reinforce(
                again.id, source=provenance.metadata.get("conversation", "")
            )
            return [*changes, Learned("reinforced", memory.text, memory.id)]
        shorter = next(
            (h.memory for h in hits if said_within(h.memory.text, text, h.breakdown.semantic)),
            None,
        )
        read_from = candidate.extra.get("replaces")  # the fact a change was read from
        older = (
            (ended.replaced if ended is not None else None)
            or (next(iter(self.memories.get_many([read_from])), None) if read_from else None)
            or same_kind(candidate, hits)
            or self._stated_before(candidate)
            or self._corrected(text, replaces)
            or shorter  # "I have a dog." told again as "I have a dog called Rex"
            or self._age_before(text, hits)  # "I'm 34." and now "just turned 35"
            or dose_before(self.memories, plain(text))  # "gp increased my omeprazole to 40mg"
            or switched_before(self.memories, plain(text))  # "switched me from X to Y"
            or changed_before(self.memories, plain(text))  # "they moved my physio to weds"
        )
        if (
            older is not None
            and not replaces  # "sorry, just a dog": a fix that says less takes something back
            and older.status is Status.ACTIVE
            and _says_less(text, older.text)
        ):
            memory = self.memories.reinforce(  # "Emily's birthday is 14 March." told again
                older.id, source=provenance.metadata.get("conversation", "")
            )
            return [*changes, Learned("reinforced", memory.text, memory.id)]
        if older is not None and age_of(plain(older.text)) is not None:
            text = _as_stored(reaged(plain(older.text), plain(text)), provenance.said)
        if older is not None:  # "gp upped my sumatriptan to 100mg": the fact at its new dose
            text = redosed(older.text, text)
        if older is not None and rescheduled(plain(text)):  # "dentist moved to the 16th"
            moved = substitute(plain(older.text), plain(text))
            text = _as_stored(moved, provenance.said) if moved else text
        related = [
            wikilink(h.memory.path.stem)
            for h in hits
            if h.breakdown.semantic >= RELATED_SIMILARITY
            and h.memory.path is not None
            and (older is None or h.memory.id != older.id)
        ][:MAX_RELATED]
        named = candidate.people or names(text)  # "my sister priya": her page too
        draft = Draft(
            text,
            type=candidate.type,
            importance=candidate.importance,
            tags=candidate.tags,
            entities=candidate.entities,
            emotion=candidate.emotion,
            source=provenance.source,
            metadata={
                **provenance.metadata,
                "fact": candidate.kind,
                **({"people": [wikilink(p) for p in named]} if named else {}),
                **({"related": related} if related else {}),
                **({"pii": sorted({f.kind for f in findings})} if findings else {}),
            },
        )
        if older is not None:
            if older is shorter:  # the same fact with more: what the user said of it stays
                draft = replace(
                    draft,
                    important=draft.important or older.important,
                    importance=max(draft.importance, older.importance),
                )
            kept, old = self.memories.supersede(older.id, draft)
            changes.append(Learned("corrected", f"{old.text} → {kept.text}", kept.id))
        else:
            kept = self.memories.add_many([draft])[0]
            changes.append(Learned("remembered", kept.text, kept.id))
        ending = [
            *(ended.stale if ended is not None else ()),
            *self._given_up(candidate),
            *(doses_before(self.memories, plain(text)) if older is not None else ()),
        ]
        done = {kept.id, *([older.id] if older is not None else [])}
        for stale in ending:  # "we've been together 2 years", "stopped the ramipril"
            if stale.id not in done:
                done.add(stale.id)
                retired = self.memories.superseded_by(stale.id, kept)
                changes.append(Learned("corrected", f"{retired.text} → {kept.text}", kept.id))
        return changes

    def _given_up(self, candidate: Candidate) -> list[Memory]:
        """Every active fact that does what ``candidate`` says was given up ("I take ramipril
        5mg" and "the gp upped my ramipril to 10mg" for "i stopped the ramipril"), of the
        same person's: the user's for "I stopped…", another's for "her doctor stopped her…"."""
        if candidate.extra.get("ends") != "mentions" or not candidate.subject:
            return []
        other = anothers(candidate.text)
        found: list[Memory] = []
        for hit in self.memories.search(candidate.subject, MAX_RELATED, touch=False):
            text = plain(hit.memory.text)
            if hit.memory.status is not Status.ACTIVE or negated(text):
                continue
            said = _stops(candidate, text) or candidate.subject in doses(text)
            if said and anothers(text) == other:
                found.append(hit.memory)
        return found

    def _who_they_are(self, text: str, before: Sequence[str]) -> list[str]:
        """Stored facts that say whose a name is when the message speaks of someone by name
        alone and the messages before do not say ("biscuit is 5 now" a week after "we have a
        dog called biscuit")."""
        said = "\n".join(before).lower()
        found: list[str] = []
        for name in dict.fromkeys(m.group("word") for m in NAMED_ALONE.finditer(text)):
            if name.lower() in said or name.lower() in _NOT_NAMED or len(found) >= MAX_RELATED:
                continue
            for hit in self.memories.search(name, 5, touch=False):
                if any(name_in(p).lower() == name.lower() for p, _ in people(hit.memory.text)):
                    found.append(hit.memory.text)
                    break
        return found

    def _age_before(self, text: str, hits: list[Hit]) -> Memory | None:
        """The stored age of whom ``text`` gives an age for, when it says another: a fact that
        gives that age alone (one number), so that another's age said beside it stays."""
        now = age_of(plain(text))
        if now is None:
            return None
        found = hits + self.memories.search(f"{now.who} is {now.age}", 5, touch=False)
        for hit in found:
            said = plain(hit.memory.text)
            before = age_of(said)
            if (
                before is not None
                and before.who == now.who
                and before.age != now.age
                and len(re.findall(r"\d+", said)) == 1
                and hit.memory.status is Status.ACTIVE
            ):
                return hit.memory
        return None

    def _aged(self, text: str) -> list[Candidate]:
        """A new age of someone whose age the store holds ("biscuit is 5 now" where it says
        "Biscuit is a 4 year old beagle"), as a fact of theirs, though the message says
        nothing else; none for anyone else."""
        fact = clean(text)
        now = age_of(plain(fact))
        if now is None or now.who == "i" or not is_fact(fact):
            return []
        older = self._age_before(fact, [])
        if older is None:
            return []
        return [_like(fact, older)]

    def _moved_plan(self, text: str) -> list[Candidate]:
        """A change of what the store holds, where the message says nothing else the
        classifiers keep: a plan moved ("actually the vet cancelled, moved to next monday"
        where it says "Pepper has the vet on thursday at 4"), kept as that plan; someone's new
        job or baby ("dan got a new job!! hes at the bbc now"), kept as said, in place of the
        old; none where the store holds nothing it changes."""
        fact = clean(text)  # "if the dentist is cancelled ill go shopping" changes nothing
        older = changed_before(self.memories, plain(fact)) if is_fact(fact) else None
        if older is None:
            return []
        return [replace(_like(fact, older), extra={"replaces": older.id})]  # found once

    def _redosed(self, text: str) -> list[Candidate]:
        """A new dose of a medicine the store holds at another ("gp put my ramipril up to
        10mg" where it says "I take ramipril 5mg"), as that fact, though the message says
        nothing else; none for a medicine the store does not hold."""
        fact = clean(text)  # "put my lantus up to 20 units" reads as an order, and is none
        if fact.endswith("?") or not changes_dose(plain(fact)):
            return []
        older = dose_before(self.memories, plain(fact))
        if older is None:
            return []
        return [_like(fact, older)]

    def _switched(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """``found`` with a medicine the store holds changed for another ("they stopped her
        furosemide and put her on bumetanide 1mg" where it says "My mum takes furosemide
        80mg") read as that fact with the new medicine, replacing it, in place of what was
        read of either medicine; ``found`` as it is where the store holds no such fact of the
        same person's."""
        said = plain(clean(text))
        older = None if said.endswith("?") else switched_before(self.memories, said)
        if older is None or anothers(said) != anothers(older.text):
            return found
        fact = switched(plain(older.text), said)
        if fact is None:
            return found
        medicines = set(switch_of(said) or ())
        others = [c for c in found if not medicines & set(content_words(c.text))]
        return [replace(_like(fact, older), extra={"replaces": older.id}), *others]

    def _job_left(self, candidate: Candidate) -> Candidate | None:
        """ "i quit deloitte" as "I no longer work at Deloitte." where the user works at
        Deloitte as the store says; None otherwise ("I quit Duolingo": a thing given up)."""
        match = _QUIT.match(candidate.text)
        if match is None or candidate.kind == "work":
            return None
        place = match.group("place").lower()
        hits = [
            *self.memories.search(_ONE_OF["work"], 5, touch=False),
            *self.memories.search(f"{_ONE_OF['job']} {place}", 5, touch=False),
        ]
        for hit in hits:
            work, kind = hit.memory, str(hit.memory.metadata.get("fact", ""))
            if kind in ("work", "job") and (
                place in (e.lower() for e in work.entities)
                or re.search(
                    rf"^i work (?:as [^.,]+? )?(?:at|for) {re.escape(place)}\b", work.text, re.I
                )
            ):  # "I work at Tesco.", "I work as a data analyst at Aviva."
                named = next((e for e in work.entities if e.lower() == place), place.title())
                if match.group("next"):  # "i quit tesco, starting at aldi monday": said so
                    nxt = match.group("next")
                    return Candidate(
                        candidate.text, MemoryType.IDENTITY, 7.0, kind, (named, nxt), ("work",)
                    )
                return Candidate(
                    f"I no longer work at {named}.",
                    MemoryType.IDENTITY,
                    7.0,
                    kind,
                    (named,),
                    ("work",),
                    negated=True,
                )
        return None

    def _stated_before(self, candidate: Candidate) -> Memory | None:
        """The stored fact of a kind the user has one of (where they live, work, their name)
        that a new one replaces, when what the new one says besides hides it from a search
        by its words ("I moved to perth from durban in 2019, still miss the curry")."""
        asked = _ONE_OF.get(candidate.kind)
        if asked is None:
            return None
        return same_kind(candidate, self.memories.search(asked, 5, touch=False))

    def _corrected(self, text: str, replaces: Sequence[str]) -> Memory | None:
        """Of the facts the message before taught, the one a correction restates: the closest
        in meaning, when it is close enough to be the same fact told again."""
        found = [m for m in self.memories.get_many(list(replaces)) if m.status is Status.ACTIVE]
        found = [
            m for m in found if not _more_of_a_name(text, m.text) and not _of_another(text, m.text)
        ]
        if not found:
            return None
        vectors = self.memories.embedder.embed([text, *(m.text for m in found)])
        scores = [float(vectors[0] @ v) for v in vectors[1:]]
        best = max(range(len(found)), key=scores.__getitem__)
        return found[best] if scores[best] >= CORRECTED_SIMILARITY else None

    def _substituted(
        self, text: str, previous: Sequence[str], provenance: Provenance
    ) -> list[Learned] | None:
        """A correction that gives new values ("wait no, thursday the 16th", "ugh typo, 39")
        applied to the latest fact the message before taught that holds old values of the
        same kinds; None when it gives none or no such fact was taught. The first sentence
        alone is read too, where the rest explains ("ugh no, 22 august. july was the old
        booking" names both months). A name said alone after no ("no. Miso") takes the place
        of the one name the fact holds."""
        said = sentences(without_not(text))  # "on 28 January, not the 26th": not the 26th
        readings = [without_not(text), said[0]] if len(said) > 1 else [without_not(text)]
        name = name_after_no(text)
        taught = self._taught(previous)
        others = [
            h.memory.text
            for h in self.memories.search(text, 5, touch=False)
            if h.memory.id not in {t.id for t in taught}
        ]
        if name and (
            near := nearest_word(name, [plain(t.text) for t in taught], self.memories.embedder)
        ):
            meant, word = taught[near[0]], near[1]  # "sorry i meant auditor": the accountant
            old = re.compile(rf"\b{re.escape(word)}\b")
            respelled = old.sub(as_written(name, word), plain(meant.text), count=1)
            return self._renamed(meant, respelled, word, name, provenance)
        for target in taught:
            if _about_else(text, target.text, others):
                continue  # "the metformin is 1000mg…, not 1000 twice": not the dog's age
            fixed = next(
                (
                    _counted_as_said(f, t)  # "2 sugars", not "2 sugar"
                    for t in readings
                    if (f := substitute(plain(target.text), t)) is not None
                ),
                None,
            )
            fact = plain(target.text)
            if fixed is None and (dose := its_new_dose(text)):  # "the gp raised it to 10mg"
                fixed = redosed_by(fact, dose)
            if fixed is None and name and (swapped := renamed(fact, name) or retyped(fact, name)):
                return self._renamed(target, *swapped, name, provenance)  # "no. Miso"
            if fixed is not None and fixed != plain(target.text):
                fact = str(target.metadata.get("fact", "correction"))
                return [self._replace(target, fixed, _same, fact, provenance)]
        return None

    def _starred(
        self, word: str, previous: Sequence[str], provenance: Provenance
    ) -> list[Learned] | None:
        """A word fixed by a star that is spelled like no word said ("sligo*" after "my mum
        lives in galway") in place of the one name the latest fact the message before taught
        holds, or else of the last thing it names; None when that fact has none."""
        for target in self._taught(previous):
            people = link_targets(target.metadata.get("people"))
            fact = plain(target.text)
            if swapped := renamed(fact, word, people) or retyped(fact, word):
                return self._renamed(target, *swapped, word, provenance)
        return None

    def _taught(self, previous: Sequence[str]) -> list[Memory]:
        """The facts the message before taught that are still active, the latest first."""
        found = [m for m in self.memories.get_many(list(previous)) if m.status is Status.ACTIVE]
        return sorted(found, key=lambda m: (m.created, m.id), reverse=True)

    def _renamed(
        self, target: Memory, fixed: str, old: str, new: str, provenance: Provenance
    ) -> list[Learned]:
        """Supersede ``target`` by ``fixed``, which says ``new`` where it said ``old``, in its
        people and entities too; where ``old`` is a name, every other fact of the
        conversation that names it is corrected as well ("*thomas" after two facts about
        tomas)."""

        def fix(said: str) -> str:
            return as_written(new, said) if said.lower() == old.lower() else said

        fact = str(target.metadata.get("fact", "correction"))
        changes = [self._replace(target, fixed, fix, fact, provenance)]
        pattern = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
        conversation = str(provenance.metadata.get("conversation", ""))
        for other in self._also_naming(pattern, old, old[:1].isupper(), conversation, target.id):
            changes += [c for c in [self._rewrite(other, pattern, new, provenance)] if c]
        return changes

    def _also_naming(
        self, pattern: re.Pattern[str], old: str, named: bool, conversation: str, skip: str
    ) -> list[Memory]:
        """The other facts of ``conversation`` that say ``old``, where it is a name: written
        capitalised (``named``) or linked as a person by a fact of the conversation."""
        if not conversation:
            return []
        recent = self.memories.list(limit=50)
        mine = [m for m in recent if m.metadata.get("conversation") == conversation]
        linked = {p.lower() for m in mine for p in link_targets(m.metadata.get("people"))}
        if not (named or old.lower() in linked):
            return []
        return [m for m in mine if m.id != skip and pattern.search(m.text) is not None]

    def _called_instead(self, text: str) -> Learned | None:
        """ "actually, james please" after "call me jim": the name said alone after a slip,
        near the one the user asked to be called, takes its place; None otherwise."""
        value, page = slip_value(text), self.instructions
        if not value or page is None:
            return None
        calls = [said for said in page.all() if names_what_to_call(said)]
        if not calls or value.casefold() == called(calls[-1]).casefold():
            return None
        vectors = self.memories.embedder.embed([value, called(calls[-1])])
        if float(vectors[0] @ vectors[1]) < SAME_KIND:
            return None
        new = f"Call me {value}."
        if not page.replace(calls[-1], new):
            return None
        return Learned("reinstructed", f"{new} (in place of: {calls[-1]})")

    def _instructed(self, sentences: list[str]) -> tuple[list[Learned], set[str]]:
        """The standing instructions among the user's own ``sentences``, written to the
        instructions page (none without one), and the words of each (:func:`plain_words`).
        One on the topic of an instruction there ("give recipes in imperial from now on" after
        "always give recipes in metric", "call me Katie" after "call me Kate") takes its
        place, and so does a sentence that takes one back ("actually emojis are fine" after
        "no emojis from now on")."""
        page, reader = self.instructions, self.reader
        if page is None or reader is None:
            return [], set()
        standing = reader.standing(sentences)
        changing = standing or reader.revoking(sentences)
        current = page.all()
        if not changing or not current:  # "you can give longer answers now": a way to answer
            new = standing or [text for text in changing if changes_how(text)]
            noted = [self._instruct(page, text) for text in new]
            return noted, {plain_words(text) for text in new}
        vectors = self.memories.embedder.embed([*changing, *current])
        similar = vectors[: len(changing)] @ vectors[len(changing) :].T
        out: list[Learned] = []
        written: set[str] = set()
        calls = [n for n, said in enumerate(current) if names_what_to_call(said)]
        for row, text in zip(similar, changing, strict=True):
            best = int(row.argmax())
            calling = names_what_to_call(text) and bool(calls)
            if calling:  # "call me maggie" after "call me mags": one topic, however alike
                best = calls[-1]
            if text.casefold() == current[best].casefold():
                out.append(self._instruct(page, text))  # said again
            elif (calling or row[best] >= SAME_INSTRUCTION) and page.replace(current[best], text):
                out.append(Learned("reinstructed", f"{text} (in place of: {current[best]})"))
            elif standing or changes_how(text):
                out.append(self._instruct(page, text))
            else:
                continue
            written.add(plain_words(text))
        return out, written

    @staticmethod
    def _instruct(page: InstructionsPage, text: str) -> Learned:
        return Learned("instructed" if page.add(text) else "instructed again", text)

    def _act(
        self,
        act: Correction | Retraction | None,
        conversation: str,
        provenance: Provenance,
        text: str = "",
        context: str = "",
    ) -> list[Learned] | None:
        """A correction or retraction applied; None when the message is neither, or corrects
        nothing the user said in words it names (then it is learned from as usual, and what
        it says replaces what the message before taught, when it is the same kind of fact).
        What a retraction says besides taking something back is learned as usual."""
        if isinstance(act, Retraction):
            if not act.topic and (renamed := self._named_again(text, conversation, provenance)):
                return [renamed]
            forgotten = self.retract(act.topic, conversation)
            changes = [Learned("forgot", m.text, m.id) for m in forgotten]
            if act.topic and self.instructions is not None:
                dropped = self.instructions.forget_about(act.topic)
                changes += [Learned("uninstructed", said) for said in dropped]
            if not changes:
                about = act.topic or "that"
                changes = [Learned("ignored", f"a request to forget {about}: nothing matched")]
            rest = remainder(text, act.topic)
            retired = _renamed_from(rest, forgotten)
            for candidate in self.candidates(rest, context) if rest else []:
                if not retired or not re.search(rf"\b{retired}\b", candidate.text, re.I):
                    changes.extend(self._store(candidate, provenance))
            return changes
        if isinstance(act, Correction):
            return self._correct(act, conversation, provenance, text)
        return None

    def _named_again(self, text: str, conversation: str, provenance: Provenance) -> Learned | None:
        """ "scrap that, we're calling her daisy" after "we got a rabbit called bella": the
        latest fact of this conversation that gave a name keeps all it said, with the new
        name; None where the message renames nothing or no such fact was just said."""
        new = _RENAMED.search(text)
        mine = [
            m
            for m in self.memories.list(limit=50)
            if conversation and m.metadata.get("conversation") == conversation
        ]
        if new is None or not mine:
            return None
        latest = max(mine, key=lambda m: (m.created, m.id))
        old = _NAME_GIVEN.search(latest.text)
        if old is None or old["name"].lower() == new["name"].lower():
            return None
        pattern = re.compile(rf"\b{re.escape(old['name'])}\b", re.IGNORECASE)
        return self._rewrite(latest, pattern, new["name"], provenance, text)

    def _correct(
        self, correction: Correction, conversation: str, provenance: Provenance, said: str = ""
    ) -> list[Learned] | None:
        """ "actually, it's Anna not Anne", "typo, I meant Tuesday", "update: gus moved to
        denver, not boulder": the fact is rewritten, or replaced by the restated one. A
        corrected name is corrected in every fact of this conversation that uses it."""
        if correction.old and _who_they_are(correction.new):
            return None  # "bramble is the dog, not marguerite": who is what, no name changed
        recent = self.memories.list(limit=50)
        mine = [m for m in recent if m.metadata.get("conversation") == conversation]
        pattern = word_pattern(
            correction,
            (mine if conversation else []) or recent,
            self.memories.embedder if mine else None,  # a value alone fixes what was just said
        )
        if pattern is not None:
            target = self._containing(pattern, correction.old or correction.new, conversation, said)
        elif correction.statement:
            target = self._about(correction.statement, conversation)
        else:
            return None
        if target is None or _more_of_a_name(said, target.text):
            return None  # "marguerite's surname is spelled d-o-u-g-l-a-s-s": more, not a fix
        if correction.statement and (
            pattern is None or _restates(correction.statement, pattern, correction.new, target)
        ):
            return [
                self._restate(target, correction.statement, pattern, correction.new, provenance)
            ]
        assert pattern is not None
        old = correction.old or next((m.group(0) for m in pattern.finditer(target.text)), "")
        named = correction.new[:1].isupper() or old[:1].isupper()
        others = self._also_naming(pattern, old, named, conversation, target.id)
        changes = [
            self._rewrite(t, pattern, correction.new, provenance, said) for t in [target, *others]
        ]
        found = [c for c in changes if c is not None]
        return found or None

    def _restate(
        self,
        target: Memory,
        statement: str,
        pattern: re.Pattern[str] | None,
        new_word: str,
        provenance: Provenance,
    ) -> Learned:
        """Replace a fact with the user's restatement of it."""

        def fix(name: str) -> str:
            return new_word if pattern is not None and pattern.fullmatch(name) else name

        fact = str(target.metadata.get("fact", "correction"))
        return self._replace(target, statement, fix, fact, provenance, provenance.said)

    def _about(self, statement: str, conversation: str) -> Memory | None:
        hits = self.memories.search(statement, 5, touch=False)
        close = [h.memory for h in hits if h.breakdown.semantic >= RESTATED_SIMILARITY]
        return _prefer_conversation(close, conversation) if close else None

    def _rewrite(
        self,
        target: Memory,
        pattern: re.Pattern[str],
        new_word: str,
        provenance: Provenance,
        message: str = "",
    ) -> Learned | None:
        said = plain(target.text)
        fixed = pattern.sub(lambda m: as_written(new_word, m.group(0)), said, count=1)
        if fixed == said:
            return None
        fixed = _counted_as_said(fixed, message)  # "2 sugars", not "2 sugar"

        def fix(name: str) -> str:
            return as_written(new_word, name) if pattern.fullmatch(name) else name

        fact = pattern.sub(new_word, str(target.metadata.get("fact", "correction")))
        return self._replace(target, fixed, fix, fact, provenance)

    def _replace(
        self,
        target: Memory,
        text: str,
        fix: Callable[[str], str],
        fact: str,
        provenance: Provenance,
        said: datetime | None = None,
    ) -> Learned:
        """Supersede ``target`` by ``text``, its people and entities renamed by ``fix``;
        the days ``text`` names are dated from ``said``, or where they come from ``target``,
        from when it was learned."""
        text = _as_stored(plain(text), said or target.created.astimezone())
        linked = link_targets(target.metadata.get("people"))
        conversation = str(provenance.metadata.get("conversation", ""))
        for person in linked:  # "tomas" typed again later in this conversation is Thomas
            self.spellings.corrected(conversation, person, fix(person))
        people = [wikilink(fix(p)) for p in linked]
        draft = Draft(
            text,
            type=target.type,
            importance=target.importance,
            tags=target.tags,
            entities=tuple(fix(e) for e in target.entities),
            emotion=target.emotion,
            source=provenance.source,
            metadata={
                **provenance.metadata,
                "fact": fact,
                **({"people": people} if people else {}),
            },
        )
        new, old = self.memories.supersede(target.id, draft)
        return Learned("corrected", f"{old.text} → {new.text}", new.id)

    def _containing(
        self, pattern: re.Pattern[str], query: str, conversation: str, said: str = ""
    ) -> Memory | None:
        """The fact a correction changes, of those that hold what it replaces: the latest
        (of this conversation first), unless the message ``said`` is plainly about another
        ("ugh you've got my mums bday wrong, it's the 16th of march" fixes the birthday, not
        the move on the 1st told since)."""
        latest = self._latest_matching(pattern, conversation)
        hits = [h.memory for h in self.memories.search(said or query, 10, touch=False)]
        found = [m for m in hits if pattern.search(m.text)]
        if latest is None:
            return _prefer_conversation(found, conversation) if found else None
        others = [m for m in found if m.id != latest.id]
        if not said or not others:
            return latest
        vectors = self.memories.embedder.embed([said, latest.text, *(m.text for m in others)])
        scores = vectors[1:] @ vectors[0]
        best = int(scores[1:].argmax())
        if float(scores[1 + best]) - float(scores[0]) >= ABOUT_ANOTHER:
            return others[best]
        return latest

    def _latest_matching(self, pattern: re.Pattern[str], conversation: str) -> Memory | None:
        recent = self.memories.list(limit=50)
        found = [m for m in recent if pattern.search(m.text)]
        return _prefer_conversation(found, conversation) if found else None


_RENAMED = re.compile(
    r"\b(?:renamed|re-named|calling|called|named|naming|changed)\s+(?:him|her|it|them)\s+"
    r"(?:to\s+)?(?P<name>[^\W\d_][\w'-]*)",
    re.IGNORECASE,
)
_NAME_GIVEN = re.compile(
    r"\b(?:called|named|name\s+is|name's)\s+(?:(?:him|her|it|them)\s+)?"
    r"(?P<name>[^\W\d_][\w'-]*)",
    re.IGNORECASE,
)
"""The name a fact gives someone ("We got a rabbit called bella.")."""


def _renamed_from(rest: str, forgotten: Sequence[Memory]) -> str:
    """The old name a retraction retires by renaming ("scrap that, we renamed her mochi,
    biscuit didn't suit her" after "our kitten is called biscuit": "biscuit", which the rest
    of the message names only as the name given up), as a pattern; "" when nothing was
    renamed."""
    new = _RENAMED.search(rest)
    if new is None or not forgotten:
        return ""
    named = str(new["name"]).lower()
    for word in re.findall(r"[^\W\d_][\w'-]+", rest):
        lowered = str(word).lower()
        if lowered != named and any(
            re.search(rf"\b(?:called|named|name is)\s+{re.escape(lowered)}\b", m.text, re.I)
            for m in forgotten
        ):
            return re.escape(lowered)
    return ""


def _same(name: str) -> str:
    return name


def _prefer_conversation(found: list[Memory], conversation: str) -> Memory:
    same = [m for m in found if conversation and m.metadata.get("conversation") == conversation]
    return max(same or found, key=lambda m: m.created)


MAX_MOMENT = 1000
"""The longest text kept as a moment: one felt thing said in a message or two."""


def _repetitive(text: str) -> bool:
    """Whether a text says the same sentence over and over (half its sentences or more are
    repeats)."""
    said = [" ".join(s.lower().split()) for s in sentences(text)]
    return len(said) >= 4 and len(set(said)) * 2 <= len(said)


def _restates(statement: str, pattern: re.Pattern[str], new_word: str, target: Memory) -> bool:
    """Whether a correction's restatement replaces the old fact, rather than the corrected
    word being fixed in place: it says more than the fact with the word replaced ("gus moved
    to denver" over "gus lives in denver"; not "the party is on friday" over "the party is on
    friday at Jo's") and leaves out at most a word of it ("sorry, Ana lives in Lisbon, not
    Porto" fixes "My sister Ana is a vet in Porto" in place: "sister" and "vet" would be
    lost)."""
    rewritten = set(content_words(pattern.sub(new_word, target.text)))
    said = set(content_words(statement))
    return not said <= rewritten and len(rewritten - said) <= 1


def is_duplicate(text: str, hit: Hit) -> bool:
    """Same fact: very similar meaning and the same details (names, numbers, dates, negation),
    and neither says more than the other.

    "Dentist on March 3" and "dentist on May 3" are similar in meaning but not duplicates;
    nor are "allergic to peanuts" and "allergic to peanuts and cashews".
    """
    return same_fact(text, hit.memory.text, hit.breakdown.semantic)


def _as_stored(text: str, said: datetime) -> str:
    """A fact as it is kept: chat's missing apostrophes and capitalised verbs set right, and
    the days it names dated from ``said``; "i" is "I"."""
    return anchored(verb_cased(_LONE_I.sub("I", with_apostrophes(text))), said)


_LONE_I = re.compile(r"(?<![\w'’.-])i(?![\w'’.-])")
"""The word "i" ("sophie and i broke up"), not the i of "i.e." or "wi-fi"."""


_NOT_NAMED = frozenset(
    re.findall(
        r"\w+",
        "she he it that this there what who which everything nothing mine work life today "
        "tomorrow weather rent traffic",
    )
)
_SPACES = re.compile(r"[^\S\n]{2,}")
"""Runs of spaces and tabs, not line breaks (they end a sentence or a pasted line)."""
_QUIT = re.compile(
    r"^I (?:just |finally |have |'ve )?(?:quit|left)(?: my job (?:at|with)| working (?:at|for))? "
    r"(?P<place>[\w&'-]+(?: [\w&'-]+)??)(?: (?:today|yesterday|last week|last month|this week))?"
    r"(?:,? (?:and |so )?(?:I'm |im |I am )?(?:starting|start|started|moving|going)"
    r"(?: a new job)? (?:at|with|for) (?P<next>[\w&'-]+)(?: (?!on\b|in\b|next\b)[\w&'-]+)??"
    r"(?: (?:on |next |this |in )?\w+(?: \(\d[^)]*\))?)?)?"
    r"[.!]*$",
    re.IGNORECASE,
)
"""Leaving somewhere, said in a word ("i quit deloitte", "I left my job at tesco today"), and
where to next ("i quit tesco, starting at aldi monday")."""
_ONE_OF = {"home": "I live in", "work": "I work at", "job": "I work as", "name": "My name is"}
"""What finds the stored fact of a kind the user has one of."""


def _about_else(correction: str, fact: str, others: Sequence[str]) -> bool:
    """Whether a correction speaks of something else than ``fact``: a word of its own,
    besides its values and cue, that another stored fact holds and ``fact`` does not ("wait
    no, the metformin is 1000mg in the morning and 500mg at night" names the metformin of
    another fact, not "Bracken is 7 now."). A correction that says only the new value and why
    ("nope, garage just rang, they can only do the 16th") is about the fact just told."""
    whose = _POSSESSOR.search(correction)  # "isla's birthday is 22 january": not the flights
    if (
        whose
        and whose.group(1).lower() not in _NOT_POSSESSORS
        and not re.search(rf"\b{re.escape(whose.group(1))}\b", fact, re.IGNORECASE)
    ):
        return True
    values = {w for v in slot_values(correction, correction=True) for w in content_words(v.text)}
    own = {
        w[:5]
        for w in content_words(uncued(correction))
        if w not in values and not w[0].isdigit() and len(w) > 3
    } - _NOT_TOPICS
    if not own:
        return False
    stems = {w[:5] for w in content_words(fact)}
    elsewhere = {w[:5] for text in others for w in content_words(text)} - stems
    return bool(own & elsewhere)


_RELATION_OR_BABY = re.compile(rf"(?:{RELATION}|baby)s?", re.IGNORECASE)


def _who_they_are(word: str) -> bool:
    """Whether ``word`` says who or what someone is (a relation, a kind of pet): never a name
    put in place of one."""
    return _RELATION_OR_BABY.fullmatch(word) is not None or SAID["pets"].fullmatch(word) is not None


_POSSESSOR = re.compile(r"(?:^|[.!?,;]\s*)\W*([^\W\d_][\w-]{1,})['’]s\s+(?=[a-z])", re.I)
"""Whose thing a sentence opens on ("isla's birthday is …")."""
_NOT_POSSESSORS = frozenset(
    {"it", "that", "what", "he", "she", "there", "here", "let", "who", "where", "how", "when"}
    | {"this", "everyone", "everything", "nobody", "today", "tomorrow", "one", "mine", "name"}
)
_NOT_TOPICS = frozenset(
    {"not", "no", "wait", "actually", "sorry", "meant", "mean", "said", "typo", "oops", "it's"}
)
"""Words of a correction that say it corrects, not what it is about."""


def same_kind(candidate: Candidate, hits: list[Hit]) -> Memory | None:
    """An active stored fact this candidate replaces: same kind (home, work, a relation's
    name), or, for "I don't … anymore", any fact about the same thing."""
    subject, exclusive = candidate.subject, candidate.exclusive
    for hit in hits:
        fact = str(hit.memory.metadata.get("fact", ""))
        if not fact or hit.breakdown.semantic < SAME_PLACE_SIMILARITY:
            continue
        if exclusive and fact == candidate.kind:
            return hit.memory  # one home, one name: "I moved to perth from durban in 2019"
        said = _SAID_AS_WHO.match(plain(hit.memory.text))
        if (
            candidate.kind == "name"
            and said
            and re.search(rf"\b{re.escape(said['name'])}\b", candidate.text, re.I)
        ):
            return hit.memory  # "I'm marta." kept as said, now "My name is Marta."
        if hit.breakdown.semantic < SAME_KIND_SIMILARITY:
            continue
        if candidate.negated and fact != "work" and _about(subject, fact, hit.memory.text):
            return hit.memory
        if _stops(candidate, hit.memory.text):  # "I drink way too much coffee."
            return hit.memory
    return None


_SCRATCH = re.compile(
    r"^\W*(?:(?:actually|oh|ok|sorry|no|wait)\W+)*(?:scratch|scrap|strike|ignore)\s+that\b",
    re.IGNORECASE,
)
"""A message that takes back what was just said and goes on ("actually scratch that she moved
to perth"): "that" is the message before, not a topic."""
_SAID_AS_WHO = re.compile(r"^\W*I(?:'m| am) (?P<name>[^\W\d_][\w'’-]*)\W*$", re.IGNORECASE)
"""A name kept as a clause of who one is ("I'm marta."): the same name stated later as a name
("My name is Marta.") replaces it."""
_DOES = "take|takes|taking|took|on|using|use|uses|love|loves|like|likes|enjoy|into|drink|eat|have"
"""What a fact says the user does with a thing a later fact says they gave up."""


def _stops(candidate: Candidate, text: str) -> bool:
    """Whether a habit given up ("I don't drink coffee anymore") ends a stored fact that
    does it, in any words: the same verb with the same thing ("I drink way too much
    coffee.", "I'm a heavy smoker." for "I don't smoke anymore")."""
    verb = candidate.extra.get("verb", "")
    if not candidate.negated or negated(text):
        return False
    if candidate.extra.get("ends") == "mentions":  # "came off the pill": "I'm on the pill."
        does = rf"\b(?:{_DOES})\b[^.;]{{0,30}}?\b{re.escape(candidate.subject)}\b"
        return re.search(does, text, re.IGNORECASE) is not None
    if not verb:
        return False
    said = re.search(rf"\b{re.escape(verb)}\w*\b", text, re.IGNORECASE)
    return said is not None and bool(
        re.search(rf"\b{re.escape(candidate.subject)}\b", text[said.end() :], re.IGNORECASE)
        or verb == "smok"
    )


def _about(subject: str, fact: str, text: str) -> bool:
    """Whether a stored fact of kind ``fact`` is about ``subject``: the same subject, or a
    liking or habit whose text names it ("I love thai food otherwise." for "thai food"; a
    liking's kind keeps only its first word, "likes:thai")."""
    kind, _, about = fact.partition(":")
    if about == subject:
        return True
    said = re.search(rf"\b{re.escape(subject)}\b", text, re.IGNORECASE)
    return kind in ("likes", "habit") and bool(subject) and said is not None


def _counted_as_said(fixed: str, message: str) -> str:
    """``fixed`` with the word after each number the correction gives in the form it gives it
    ("I take 2 sugar" after "sorry, I meant 2 sugars, not 1" reads "I take 2 sugars"; "We have
    1 kids" after "sorry 1 kid not 3" reads "We have 1 kid"); a word the correction does not
    write as a form of the stored one is left."""
    for told in _COUNTED.finditer(message):
        value, new = told.group(1), told.group(2)
        at = rf"(?<![\w.,]){re.escape(value)}\s+([^\W\d_]+)"
        stored = re.search(at, fixed)
        if stored is None:
            continue
        old = stored.group(1)
        a, b = new.lower(), old.lower()
        if a != b and (a.startswith(b) or b.startswith(a)) and abs(len(a) - len(b)) <= 2:
            fixed = fixed[: stored.start(1)] + new + fixed[stored.end(1) :]
    return fixed


_COUNTED = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s+([^\W\d_]+)")
"""A number and the word it counts ("2 sugars")."""


_NAME_PART = re.compile(
    r"\b(?:surname|(?:last|middle|maiden|family|full)\s+name|nickname)\b", re.IGNORECASE
)
"""A part of someone's name that adds to their name, never replaces it."""


def _more_of_a_name(text: str, fact: str) -> bool:
    """Whether ``text`` gives a part of a name ``fact`` does not speak of ("jo's surname is
    okafor, my sister i mean" after "My sister's name is Jo."): more about them, not the same
    fact corrected."""
    return _NAME_PART.search(text) is not None and _NAME_PART.search(fact) is None


_THIRD_PERSON = re.compile(
    r"\b(?:he|she|they|his|her|hers|their|him|them|he'?s|she'?s|they'?re)\b", re.I
)


def _of_another(text: str, fact: str) -> bool:
    """Whether ``fact`` is about one of the user's people ("My mum's birthday is the 16th of
    march") and ``text`` about the user, naming nobody ("My birthday was yesterday"): not the
    same fact told again, however alike the words. "sorry, he's in Accra now" may be."""
    return (
        PERSON_SAID.search(fact) is not None
        and PERSON_SAID.search(text) is None
        and _THIRD_PERSON.search(text) is None
    )


EXPLAINS_FIX = 0.6
"""Cosine to the fact a correction replaced from which a sentence after the correction says
why it was wrong ("my daughter's totally fine with dairy"), not a fact of its own."""
INSTEAD_SIMILARITY = 0.85
"""Cosine from which a stored fact with a word put right says what a statement says."""
_STEM = 4
"""Letters two words share at the start to be one word in another form ("allergy" /
"allergic", "sister's" / "sisters")."""


def _says_as(fixed: str, statement: str, embedder: Embedder) -> bool:
    """Whether ``fixed`` says what ``statement`` says: close in meaning, and every word of the
    statement in ``fixed`` in some form ("my dog is called rex" is not "my cat is called
    rex")."""
    held = {w[:_STEM] for w in content_words(fixed)}
    if any(w[:_STEM] not in held for w in content_words(statement)):
        return False
    a, b = embedder.embed([fixed, statement])
    return float(a @ b) >= INSTEAD_SIMILARITY


def _like(fact: str, older: Memory) -> Candidate:
    """``fact`` kept as the kind of fact ``older`` is (a new age, dose or medicine of it)."""
    return Candidate(
        fact,
        older.type,
        older.importance,
        str(older.metadata.get("fact", "clause")),
        tags=older.tags,
        people=tuple(link_targets(older.metadata.get("people"))),
    )


def _after_first(text: str) -> str:
    """The sentences of a message after its first ("" for a message of one)."""
    said = sentences(text)
    return " ".join(said[1:]) if len(said) > 1 else ""


_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_FORM_WORDS = frozenset({"the", "of", "on", "is", "a", "an"})


def _says_less(new: str, old: str) -> bool:
    """Whether ``new`` says nothing ``old`` does not, in the same values: every number and
    every word of it is in ``old`` ("Emily's birthday is 14 March." of "Emily's birthday is
    the 14th of March, she'll be 9."), so it is the fact told again, not a change."""

    def words(text: str) -> set[str]:
        said = _ORDINAL.sub(r"\1", plain(text).lower())
        return set(re.findall(r"[\w']+", said)) - _FORM_WORDS

    told, held = words(new), words(old)
    return bool(told) and told <= held and told != held
