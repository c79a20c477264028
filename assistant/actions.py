"""The memory and reminder actions, written once for every front-end.

The CLI's commands, the slash commands, the model's tools, "remember that…" said in chat, the
browser and the bridges are thin adapters over :class:`Actions`: they parse their input, call
one method and show what it returns. One policy is applied inside, whoever calls:

- **Secrets** (cards, bank accounts, passports, API keys, passwords, PINs) are redacted,
  except when the user stores their own words by an explicit action (``Origin("user")``:
  ``assistant remember``, ``/remember`` typed in a terminal chat, the browser).
- **PII**: every memory written records the kinds of sensitive data its text held, in its
  ``pii`` property.
- **Prompt injection**: text that tries to instruct the assistant is refused, except when the
  user stores their own words.
- **Provenance**: every memory records its ``source`` (user, conversation, vault, import,
  agent, bridge, voice) and, when known, the ``channel`` and ``sender`` it came from.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, overload

from assistant.errors import InvalidInputError, NotFoundError
from assistant.learning.pii import SECRET_KINDS, Finding, find_pii, redact
from assistant.memories import Draft, Recall, clean_text, parse_type
from assistant.memory_types import Hit, Memory, MemoryFilter, MemoryType
from assistant.repeats import first_time, repeat_and_time
from assistant.store.base import Vector
from assistant.store.evidence import EvidenceTurn, TurnHit
from assistant.store.reminders import Reminder, Reminders
from assistant.store.reviews import Resolution, ReviewItem
from assistant.when import unreadable_time

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.learning.injection import InjectionDetector
    from assistant.learning.keeping import Kept
    from assistant.learning.learned import LearnedExtractor
    from assistant.store.conversations import Turn
    from assistant.transfer.purge import PurgeReport

SOURCES = ("user", "conversation", "vault", "import", "agent", "bridge", "voice")
"""Where a memory comes from: the user's explicit action, a conversation (learned, or stored
by the model's tool), a note edited in the vault, an import, an outside agent, a bridge, a
phone call (its transcript and analysis)."""
LOCAL_CHANNELS = frozenset({"cli", "tui"})
"""Channels on the user's own machine: a command typed there is the user's explicit action."""

Confirm = Callable[[str], bool]
"""Asks the user a yes/no question (``Forget “…”?``); True when they said yes."""


@dataclass(frozen=True)
class Origin:
    """Who asks for an action, and where: the provenance every memory written records."""

    source: str = "user"
    """One of :data:`SOURCES`."""
    channel: str = ""
    """``cli``, ``tui``, ``sms``, ``discord``…; empty when not known."""
    sender: str = ""
    """Who wrote on that channel (a phone number, a user id); empty when not known."""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise InvalidInputError(f"unknown source {self.source!r}; one of {', '.join(SOURCES)}")

    @classmethod
    def command(cls, channel: str, sender: str = "") -> Origin:
        """The origin of a command typed on ``channel``: the user's own on a local channel,
        a bridge's elsewhere."""
        return cls("user" if channel in LOCAL_CHANNELS else "bridge", channel, sender)

    @property
    def own_words(self) -> bool:
        """Whether text is kept exactly as written (secrets and all): only the user's own
        explicit action."""
        return self.source == "user"

    def metadata(self) -> dict[str, str]:
        """The channel and sender, for a memory's properties (only those known)."""
        return {k: v for k, v in (("channel", self.channel), ("sender", self.sender)) if v}


@dataclass(frozen=True)
class Checked:
    """Text as the policy lets it be stored."""

    text: str
    pii: tuple[str, ...]
    """The kinds of sensitive data the text held (before any redaction)."""
    redacted: bool
    """Whether secrets were taken out."""


class Actions:
    """Remember, forget, restore, update, mark important, search, reminders: one method each,
    one policy for every caller.

    Usage::

        actions = Actions(assistant, origin=Origin("user", "cli"))
        memory = actions.remember("My locker PIN is 4521")       # kept as written
        agent = Origin("conversation", "cli")
        actions.remember("my PIN is 4521", origin=agent).text    # "my PIN is [redacted password]"
        actions.forget(memory.id, confirm=lambda question: True)
    """

    def __init__(
        self,
        assistant: Assistant,
        *,
        origin: Origin | None = None,
        reminders: Reminders | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.assistant = assistant
        self.memories = assistant.memories
        self.origin = origin or Origin()
        """The origin of calls that name none."""
        self.reminders = reminders or Reminders(assistant.db)
        self.clock = clock
        self._detector: InjectionDetector | None = None
        self._extractor: LearnedExtractor | None = None
        self._detector_lock = threading.Lock()

    # -- the policy ---------------------------------------------------------------------------

    def check(self, text: str, origin: Origin | None = None) -> Checked:
        """``text`` as the policy lets ``origin`` store it: secrets redacted and injection
        refused (:class:`InvalidInputError`), unless it is the user's own explicit action."""
        result = self.check_many([text], origin)[0]
        if isinstance(result, InvalidInputError):
            raise result
        return result

    def check_many(
        self, texts: Sequence[str], origin: Origin | None = None
    ) -> list[Checked | InvalidInputError]:
        """:meth:`check` of each text, the injection classifier run once over all of their
        sentences (one embedding batch): each text as it may be stored, or the error that
        refuses it."""
        origin = origin or self.origin
        out: list[Checked | InvalidInputError] = []
        valid: list[tuple[int, Checked, list[Finding]]] = []
        for text in texts:
            try:
                # The length first: a megabyte of text is refused before any check reads it.
                text = clean_text(text, self.memories.settings.max_text_chars)
            except InvalidInputError as exc:
                out.append(exc)
                continue
            findings = find_pii(text)
            checked = Checked(text, tuple(sorted({f.kind for f in findings})), False)
            valid.append((len(out), checked, findings))
            out.append(checked)
        if origin.own_words:
            return out
        instructs = self._instructs([checked.text for _, checked, _ in valid])
        for (place, checked, findings), refused in zip(valid, instructs, strict=True):
            if refused:
                out[place] = InvalidInputError(
                    "that reads as instructions to the assistant, not something to remember",
                    title="Not stored",
                )
            else:
                kept = redact(checked.text, findings, SECRET_KINDS)
                out[place] = Checked(kept, checked.pii, kept != checked.text)
        return out

    def _instructs(self, texts: Sequence[str]) -> list[bool]:
        """For each text, whether it tries to instruct the assistant: a listed phrase, or a
        sentence the classifier reads as one (every text's sentences in one batch)."""
        # Imported here: the user's own words never reach this check, and the classifier's
        # modules are a tenth of a second of every command's start-up.
        from assistant.learning.clauses import sentences
        from assistant.learning.injection import InjectionDetector, looks_like_injection

        verdicts = [looks_like_injection(text) for text in texts]
        pending = [n for n, flagged in enumerate(verdicts) if not flagged]
        if not pending:
            return verdicts
        with self._detector_lock:
            if self._detector is None:
                self._detector = InjectionDetector(
                    self.memories.embedder, self.memories.settings.model_cache
                )
            detector = self._detector
        groups = [sentences(texts[n]) or [texts[n]] for n in pending]
        hostile = iter(detector.hostile([s for group in groups for s in group]))
        for n, group in zip(pending, groups, strict=True):
            verdicts[n] = any([next(hostile) for _ in group])
        return verdicts

    def _provenance(self, origin: Origin, checked: Checked) -> dict[str, Any]:
        return {**origin.metadata(), **({"pii": list(checked.pii)} if checked.pii else {})}

    # -- memories -----------------------------------------------------------------------------

    def remember(
        self,
        text: str,
        *,
        important: bool = False,
        importance: float | None = None,
        type: MemoryType | str | None = None,
        tags: Sequence[str] = (),
        origin: Origin | None = None,
        provenance: Mapping[str, Any] | None = None,
    ) -> Memory:
        """Store a memory as the policy allows (see the module); importance defaults to 5,
        or 8 when ``important``. ``provenance``: more of where it came from (a call's id and
        time), kept in the note's properties. Text that repeats an active memory word for word
        (of the same type, when ``type`` is given) reinforces that memory (flag, tags and
        importance given here added to it) instead of writing a second note.

        Without a ``type`` it is stored as semantic, and while a project is in use the
        classifier that types learned facts decides whether it is about the user in general
        (identity, health, family, pets, home: kept global) or goes into the project."""
        origin = origin or self.origin
        checked = self.check(text, origin)
        draft = Draft(
            checked.text,
            type=type or MemoryType.SEMANTIC,
            tags=tags,
            important=important,
            importance=importance if importance is not None else (8.0 if important else 5.0),
            source=origin.source,
            metadata={**(provenance or {}), **self._provenance(origin, checked)} or None,
            project="" if type is None and self._personal(checked.text, tags) else None,
        )
        same = self.memories.repeat_of(draft.text, type)  # of any type when none is given
        if same is not None:  # said before, word for word: that memory counts it
            return self.memories.reinforce(
                same.id,
                source=origin.source,
                at_least=draft.importance if importance is not None else 0.0,
                important=important,
                tags=tags,
            )
        return self.memories.add_many([draft])[0]

    def _personal(self, text: str, tags: Sequence[str]) -> bool:
        """Whether learning would keep ``text`` out of the project in use (no project in
        use: nothing to decide)."""
        if not self.memories.project_in_use():
            return False
        from assistant.learning.classifier import ClauseClassifier
        from assistant.learning.learned import LearnedExtractor
        from assistant.projects.placement import stays_global

        with self._detector_lock:
            if self._extractor is None:
                settings = self.memories.settings
                classifier = ClauseClassifier(self.memories.embedder, settings.model_cache)
                self._extractor = LearnedExtractor(classifier)
            extractor = self._extractor
        return any(stays_global(kind, (*found, *tags)) for kind, found in extractor.kinds(text))

    def keep(
        self,
        text: str,
        *,
        important: bool = False,
        importance: float | None = None,
        type: MemoryType | str = MemoryType.SEMANTIC,
        tags: Sequence[str] = (),
        origin: Origin | None = None,
    ) -> Kept:
        """Store a fact someone else asserts (an outside agent) as the learner keeps what the
        user says: the policy first, the days it names relative to now dated ("tomorrow (6
        December 2026)"), then a repeat reinforces the stored memory and a newer fact of the
        same kind supersedes the older one (keeping its important flag)."""
        from assistant.learning.dates import anchored
        from assistant.learning.keeping import keep

        origin = origin or self.origin
        checked = self.check(text, origin)
        draft = Draft(
            anchored(checked.text, datetime.now().astimezone()),
            type=type,
            importance=importance if importance is not None else (8.0 if important else 5.0),
            tags=tags,
            important=important,
            source=origin.source,
            metadata=self._provenance(origin, checked) or None,
        )
        return keep(self.memories, draft, reinforced_by=origin.sender or origin.source)

    def get(self, memory_id: str) -> Memory:
        """The memory with this id (or an unambiguous end of it)."""
        return self.memories.get(memory_id)

    def learned_from(self, memory: Memory) -> list[Turn]:
        """The exchange of a conversation ``memory`` was learned from (empty when none)."""
        return self.assistant.conversations.source_of(memory.metadata, memory.text)

    def candidates(self, key: str, k: int = 5, *, every: bool = False) -> list[Memory]:
        """The memory ``key`` names by id, else the ``k`` best matches for its words (none
        of them counted as a use): what a forget request may mean. With ``every``, archived
        and replaced memories are matched too (what a purge may mean), and those that say
        each word of ``key`` come first."""
        if key and " " not in key and len(key) >= 6:
            try:
                return [self.memories.get(self.memories.resolve_id(key))]
            except (NotFoundError, InvalidInputError):
                pass
        found = [
            h.memory
            for h in self.memories.search(
                key, k, touch=False, include_archived=every, include_superseded=every
            )
        ]
        if every:
            found.sort(key=lambda m: not says_each_word(m.text, key))
        return found

    @overload
    def forget(self, memory_id: str) -> Memory: ...

    @overload
    def forget(self, memory_id: str, *, confirm: Confirm) -> Memory | None: ...

    def forget(self, memory_id: str, *, confirm: Confirm | None = None) -> Memory | None:
        """Archive a memory (restorably). With ``confirm``, the user is asked first and None
        is returned when they say no."""
        target = self.memories.get(memory_id)
        if confirm is not None and not confirm(f"Forget “{target.text}”?"):
            return None
        return self.memories.forget(target.id)

    def purge(self, memory_id: str, *, confirm: Confirm | None = None) -> PurgeReport | None:
        """Remove a memory for good, everywhere it was written (its note and copies, the
        indexes, caches, the turns that stated it, the pages that listed it); only the fact
        that a purge happened is kept. With ``confirm``, the user is asked first and None is
        returned when they say no. The vault's git history keeps older commits."""
        from assistant.transfer.purge import purge, purge_target

        target = purge_target(self.memories, memory_id)
        question = f"Purge “{target.text}” everywhere? It cannot be restored."
        if confirm is not None and not confirm(question):
            return None
        return purge(self.assistant, [target.id])

    def forget_about(self, topic: str, conversation: str = "") -> list[Memory]:
        """Forget what the user takes back: the memories about ``topic``, or the latest one
        of ``conversation`` when the topic is empty (with the turns they were learned from)."""
        from assistant.learning.corrections import forget_about

        return forget_about(self.memories, topic, conversation)

    def forget_turn(self, turn_id: str) -> EvidenceTurn:
        """Forget one conversation turn for good: gone from the transcript and from search."""
        return self.memories.forget_turn(turn_id)

    def turn(self, turn_id: str) -> EvidenceTurn:
        """One conversation turn, by id."""
        return self.memories.evidence.get(turn_id)

    def restore(self, memory_id: str) -> Memory:
        """Bring a forgotten memory back."""
        return self.memories.restore(memory_id)

    def settle_review(
        self, item: ReviewItem, resolution: Resolution, text: str | None = None
    ) -> str:
        """Settle an item of the review queue as the user decided (the newer or the older
        statement is right, both are, merge them as ``text``; restore or dismiss a memory
        decay archived); returns what was done, in words."""
        from assistant.consolidation.review import settle

        return settle(self.memories, self.assistant.reviews, item, resolution, text)

    def update(
        self,
        memory_id: str,
        *,
        text: str | None = None,
        type: MemoryType | str | None = None,
        importance: float | None = None,
        tags: Sequence[str] | None = None,
        important: bool | None = None,
        origin: Origin | None = None,
    ) -> Memory:
        """Change a memory's text or properties; new text passes the policy and its ``pii``
        property follows it. Only the user takes an identity fact's important flag away
        (or the fact out of identity)."""
        self._keep_identity(memory_id, origin or self.origin, type, important)
        metadata: dict[str, Any] | None = None
        if text is not None:
            checked = self.check(text, origin)
            text = checked.text
            if checked.pii or "pii" in self.memories.get(memory_id).metadata:
                metadata = {"pii": list(checked.pii)}
        return self.memories.update(
            memory_id,
            text=text,
            type=type,
            importance=importance,
            tags=tags,
            important=important,
            metadata=metadata,
        )

    def _keep_identity(
        self, memory_id: str, origin: Origin, type: MemoryType | str | None, important: bool | None
    ) -> None:
        if origin.source != "agent" or (important is not False and type is None):
            return
        memory = self.memories.get(memory_id)
        moved = type is not None and parse_type(type) is not MemoryType.IDENTITY
        if memory.type is MemoryType.IDENTITY and memory.important and (moved or not important):
            raise InvalidInputError(
                "an identity fact marked important stays important and stays an identity "
                "fact; only the user can change that",
                title="Not changed",
            )

    def mark_important(self, memory_id: str, important: bool = True) -> Memory:
        """Mark a memory important (pinning it counts as a use), or no longer important."""
        memory = self.memories.update(memory_id, important=important)
        if important:
            self.memories.used([memory.id])
        return memory

    def reload(self, memory_id: str) -> Memory:
        """Read a memory back from its note after the user edited it by hand."""
        return self.memories.reload(memory_id)

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        types: Sequence[MemoryType | str] = (),
        tags: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        include_superseded: bool = False,
        include_archived: bool = False,
        where: MemoryFilter | None = None,
        touch: bool = False,
        now: float | None = None,
        vector: Vector | None = None,
    ) -> list[Hit]:
        """The ``k`` memories that best match ``query``, best first, created between
        ``since`` and ``until`` when given (``where`` replaces the other filters; with
        ``touch``, every result counts as used). The query is embedded by the quicker query
        model unless its ``vector`` is given."""
        if k < 1:
            raise InvalidInputError("k must be at least 1")
        return self.memories.search(
            query,
            k,
            types=types,
            tags=tags,
            since=since,
            until=until,
            include_superseded=include_superseded,
            include_archived=include_archived,
            where=where,
            touch=touch,
            now=now,
            vector=self.memories.query_vector(query) if vector is None else vector,
        )

    def recent(
        self, limit: int = 20, *, types: Sequence[MemoryType | str] = (), tags: Sequence[str] = ()
    ) -> list[Memory]:
        """The ``limit`` newest active memories (of these types, with these tags)."""
        if limit < 1:
            raise InvalidInputError("limit must be at least 1")
        return self.memories.list(types=types, tags=tags, limit=limit)

    def profile(self) -> tuple[list[Memory], str]:
        """What the assistant always knows about the user: the identity facts, most recent
        first, and what the user wrote on their profile page."""
        facts = self.memories.list(types=[MemoryType.IDENTITY], limit=200)
        return facts, self.assistant.page_writer.profile_notes()

    def instructions(self) -> list[str]:
        """How the user asked to be answered, every time (``Assistant/Instructions.md``)."""
        return self.assistant.instructions.all()

    def said(self, query: str, k: int = 3, *, vector: Vector | None = None) -> list[TurnHit]:
        """The ``k`` conversation turns in which the user said what is most relevant."""
        if k < 1:
            return []
        if vector is None:
            vector = self.memories.query_vector(query)
        return self.memories.said(query, k, vector=vector)

    def find(
        self,
        query: str,
        k: int = 10,
        *,
        types: Sequence[MemoryType | str] = (),
        tags: Sequence[str] = (),
        everything: bool = False,
        turns: int = 3,
    ) -> Recall:
        """What ``assistant search`` shows: the ``k`` best memories (superseded and archived
        ones too with ``everything``), then the ``turns`` things the user said most relevant
        to ``query``, what they told before what they asked (none when filtering by type or
        tag: a turn has neither)."""
        if k < 1:
            raise InvalidInputError("k must be at least 1")
        vector = self.memories.query_vector(query)
        hits = self.search(
            query,
            k,
            types=types,
            tags=tags,
            include_superseded=everything,
            include_archived=everything,
            vector=vector,
        )
        said = [] if types or tags else self.said(query, turns * 3, vector=vector)
        # what the user told, before what they asked ("what did I tell you about my sister?")
        said = sorted(said, key=lambda t: t.turn.text.rstrip().endswith("?"))[:turns]
        return Recall(hits, said)

    def recall(self, query: str, k: int = 5, *, turns: int = 3) -> Recall:
        """Memories and things the user said about ``query``, for an answer: the memories
        found count as used."""
        found = self.memories.recall(
            query, k, turns=turns, vector=self.memories.query_vector(query)
        )
        self.memories.used([h.memory.id for h in found.memories])
        return found

    # -- reminders ----------------------------------------------------------------------------

    def set_reminder(
        self,
        text: str,
        *,
        when: str | None = None,
        due: datetime | None = None,
        repeat: str = "",
        origin: Origin | None = None,
    ) -> Reminder:
        """Create a reminder, at ``due``, or at ``when`` (plain words or an ISO date and time,
        perhaps repeating: "every monday at 8am"; :class:`InvalidInputError` when they name
        no time), or undated; ``repeat`` (``assistant.repeats``) brings it back."""
        if when is not None and when.strip():
            if why := unreadable_time(when, self.clock()):
                raise InvalidInputError(f"cannot set a reminder for {when!r}: {why}")
            repeat, due, _ = repeat_and_time(when, self.clock())
            if due is None and not repeat:
                raise InvalidInputError(f"cannot understand the time {when!r}")
        if repeat:
            due = first_time(repeat, due, self.clock())
        checked = self.check(text, origin)
        return self.reminders.add(checked.text, due.timestamp() if due else None, repeat)

    def open_reminders(self) -> list[Reminder]:
        """Reminders not yet done, soonest first (undated last)."""
        return self.reminders.open()

    def snooze_reminder(self, due: float) -> Reminder | None:
        """The reminder that came last, again at ``due`` (epoch seconds); None when none
        came lately."""
        return self.reminders.snooze(due)

    def reminder_came(self) -> Reminder | None:
        """The open reminder that came last, lately; None when none did."""
        return self.reminders.came_last()

    def skip_reminder(self, reminder_id: str) -> Reminder:
        """A reminder that comes back, its next time skipped when it falls within a day (done
        ahead of it); returned at its next time. A one-off is returned as it is."""
        return self.reminders.skip(reminder_id)

    def complete_reminder(self, key: str) -> Reminder:
        """Mark done the reminder with this id (or end of it), or the one whose text has
        these words."""
        return self.reminders.complete(key)


def says_each_word(text: str, key: str) -> bool:
    """Whether ``text`` holds every word of ``key`` (case aside): "Fizzbuzzco" in "I work at
    Fizzbuzzco." and in "I quit Fizzbuzzco, starting at Quuxcorp monday"."""
    said = set(re.findall(r"\w+", text.lower()))
    words = re.findall(r"\w+", key.lower())
    return bool(words) and all(w in said for w in words)
