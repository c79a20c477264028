"""Evidence: nothing the user said is lost.

Every user turn of a conversation is kept, in the user's words, as searchable evidence beside
the memories extracted from it, so a question finds what was said even when extraction kept
nothing. The vault's transcript notes (``Assistant/Conversations/``) are the truth and the
evidence index is rebuilt from them; forgetting a turn removes it from both. Evidence is not
a memory: consolidation, decay, the generated pages and the browser never see it.

Usage::

    evidence.keep(session, at, "the plumber comes on thursday", reply="Noted!")
    evidence.search("when is the plumber coming?", 3)   # [TurnHit(turn=..., score=...)]
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from assistant.errors import NotFoundError
from assistant.learning.pii import redact_secrets
from assistant.models.base import Embedder
from assistant.store.base import Vector
from assistant.store.evidence import EvidenceIndex, EvidenceTurn, TurnHit
from assistant.store.filelock import file_lock
from assistant.vault.conversations import ASSISTANT, USER, ConversationNotes, Said

log = logging.getLogger(__name__)

_TURN_ID = re.compile(r"t[0-9a-f]{5,15}")
BEFORE_CHARS = 300
"""How much of the previous message is read with a turn (its end, nearest the turn)."""


def turn_id(session: str, at: float) -> str:
    """The stable id of the turn said at ``at`` in ``session`` (the same after a rebuild)."""
    digest = hashlib.sha1(f"{session}|{round(at * 1000)}".encode(), usedforsecurity=False)
    return "t" + digest.hexdigest()[:15]


def is_turn_id(text: str) -> bool:
    """Whether ``text`` is a turn id, or the start of one (memory ids are upper case)."""
    return _TURN_ID.fullmatch(text.strip()) is not None


class Evidence:
    """The user's turns: transcript notes in the vault plus their index."""

    def __init__(
        self,
        notes: ConversationNotes,
        index: EvidenceIndex,
        embedder: Embedder,
        *,
        lock: Path | None = None,
    ) -> None:
        self.notes = notes
        self.index = index
        self.embedder = embedder
        self._lock = threading.Lock()
        self._lock_path = lock
        """A lock file shared with other processes writing the same transcripts."""

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock:
            if self._lock_path is None:
                yield
            else:
                with file_lock(self._lock_path):
                    yield

    def keep(self, session: str, at: float, text: str, reply: str = "") -> EvidenceTurn | None:
        """Write a user turn (and the reply to it) to the session's note and index the turn,
        read after the message before it. Secrets are redacted again here, whatever the
        caller did. Returns the turn, or None for an empty one."""
        text, at = redact_secrets(text).strip(), round(at, 3)
        if not text:
            return None
        said = [Said(USER, at, text)]
        if reply.strip():
            said.append(Said(ASSISTANT, at + 0.001, redact_secrets(reply).strip()))
        with self._writing():
            before = self.notes.append(session, said)
            turn = EvidenceTurn(
                turn_id(session, at), session, at, text, _tail(before[-1].text) if before else ""
            )
            self._index([turn], new=True)  # its id holds the time it was said: never seen
        return turn

    def search(
        self,
        query: str,
        k: int,
        *,
        semantic_share: float = 0.75,
        floor: float = 0.18,
        recency: float = 0.0,
        half_life_days: float = 30.0,
        now: float = 0.0,
        vector: Vector | None = None,
    ) -> list[TurnHit]:
        """The ``k`` turns most relevant to ``query``, best first; ``recency`` (for a question
        about time) gives that share of the ranking to turns said shortly before ``now``.
        ``vector``: the query's embedding, when the caller has it."""
        if vector is None:
            vector = self.embedder.embed([query])[0]
        found = self.index.search(
            vector,
            query,
            k + _GREETINGS_SKIPPED,
            semantic_share=semantic_share,
            floor=floor,
            recency=recency,
            half_life_days=half_life_days,
            now=now,
        )
        return [h for h in found if not _NOTHING_SAID.match(h.turn.text)][:k]

    def warm_up(self) -> None:
        """Load the index into memory (before the first question needs it)."""
        self.index.warm_up()

    def get(self, turn: str) -> EvidenceTurn:
        """A turn by id, or by a unique start of its id."""
        found = self.index.get(turn.strip())
        if found is None:
            raise NotFoundError(f"no conversation turn with id {turn!r}")
        return found

    def forget(self, turn: str) -> EvidenceTurn:
        """Remove a turn, and the reply to it, from its note and from search; the turn after
        it is indexed again without them."""
        found = self.get(turn)
        with self._writing():
            path = self.notes.path_of(found.session, found.at)
            if path.exists():
                session, said = self.notes.read(path)
                kept = _without(said, found)
                self.notes.rewrite(path, session, kept)
                self._index(_turns(session, kept, only_after=found.at, limit=1))
            self.index.delete([found.id])
        return found

    def rebuild(self) -> int:
        """Index every turn of every transcript note again, from the vault alone."""
        turns: list[EvidenceTurn] = []
        for path in self.notes.notes():
            try:
                session, said = self.notes.read(path)
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("skipped %s: %s", path.name, exc)
                continue
            turns.extend(_turns(session, said))
        alone, paired = self._vectors(turns)
        self.index.rebuild(turns, alone, paired)
        return len(turns)

    def resync(self, paths: Iterable[Path] | None = None) -> int:
        """Take in transcript notes edited or deleted in the vault: a turn rewritten by hand is
        indexed in its new words, a turn or a note removed by hand leaves search. Only the
        notes at ``paths`` (vault-relative files or folders, as the watcher gives them) are
        read when given, else every note. Returns how many turns were indexed or removed."""
        layout = self.notes.layout
        folder = layout.relative(layout.conversations)
        if paths is None:
            notes, whole = set(self.notes.notes()), True
        else:
            wanted = [Path(p) for p in paths]
            whole = any(folder.is_relative_to(p) for p in wanted)
            notes = (
                set(self.notes.notes())
                if whole
                else {layout.vault / p for p in wanted if p.parent == folder and p.suffix == ".md"}
            )
        if not notes and not whole:
            return 0
        with self._writing():
            indexed = self.index.sessions()
            stale: list[str] = []
            fresh: list[EvidenceTurn] = []
            seen: set[str] = set()
            present: set[str] = set()
            for path in sorted(notes):
                if not path.is_file():
                    session = path.stem.split(" ", 1)[-1]
                    stale.extend(indexed.get(session, {}))
                    continue
                try:
                    session, said = self.notes.read(path)
                except (OSError, UnicodeDecodeError) as exc:
                    log.warning("transcript %s not read: %s", path.name, exc)
                    seen.add(path.stem.split(" ", 1)[-1])
                    continue
                seen.add(session)
                known = indexed.get(session, {})
                turns = _turns(session, said)
                present.update(t.id for t in turns)
                fresh.extend(t for t in turns if known.get(t.id) != t)
                stale.extend(set(known) - {t.id for t in turns})
            if whole:  # a session whose note is gone altogether
                stale.extend(i for s, turns in indexed.items() if s not in seen for i in turns)
            stale = sorted(set(stale) - present)  # a renamed note still holds its turns
            self.index.delete(stale)
            self._index(fresh)
        if stale or fresh:
            log.info("transcripts: %d turns indexed again, %d removed", len(fresh), len(stale))
        return len(fresh) + len(stale)

    def _index(self, turns: Sequence[EvidenceTurn], *, new: bool = False) -> None:
        alone, paired = self._vectors(turns)
        self.index.add(turns, alone, paired, new=new)

    def _vectors(self, turns: Sequence[EvidenceTurn]) -> tuple[list[Vector], list[Vector]]:
        """Each turn alone, and after the message before it: one batch for both."""
        if not turns:
            return [], []
        texts = [t.text for t in turns] + [f"{t.before}\n{t.text}".strip() for t in turns]
        vectors = list(self.embedder.embed(texts))
        return vectors[: len(turns)], vectors[len(turns) :]


_NOTHING_SAID = re.compile(
    r"^\W*(?:(?:hi|hey|hello|hiya|heya|yo|ok(?:ay)?|k|thanks?|thank\s+you|ty|cheers|lol|haha+|"
    r"yes|yeah|yep|no|nope|cool|nice|great|bye|good\s+(?:morning|night|evening|afternoon))"
    r"(?:\s+there)?\W*)+$",
    re.IGNORECASE,
)
"""A turn that says nothing but a greeting, thanks or "ok": kept in the transcript, never
found as what the user said about anything."""
_GREETINGS_SKIPPED = 3
"""Turns asked of the index beyond ``k``, for the greetings left out."""


def _tail(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= BEFORE_CHARS else "…" + flat[-BEFORE_CHARS:]


def _turns(
    session: str, said: Sequence[Said], *, only_after: float | None = None, limit: int = 0
) -> list[EvidenceTurn]:
    """The user's turns of a transcript, each with the end of the message before it."""
    found: list[EvidenceTurn] = []
    for position, message in enumerate(said):
        if message.role != USER or (only_after is not None and message.at <= only_after):
            continue
        before = _tail(said[position - 1].text) if position else ""
        found.append(
            EvidenceTurn(turn_id(session, message.at), session, message.at, message.text, before)
        )
        if limit and len(found) >= limit:
            break
    return found


def _without(said: Sequence[Said], turn: EvidenceTurn) -> list[Said]:
    """The transcript without ``turn`` and the assistant's reply right after it."""
    kept: list[Said] = []
    dropping = False
    for message in said:
        if message.role == USER:
            dropping = turn_id(turn.session, message.at) == turn.id
        if not dropping:
            kept.append(message)
        elif message.role == ASSISTANT:
            dropping = False
    return kept
