"""The companion: one object that holds the assistant's persona, mood, needs and quirks.

It reads the persona from the vault note (re-read whenever the note changes, keeping the
last good one when an edit is malformed), hears the emotion of each finished turn from the
embedding the turn already computed and moves the mood and needs after the reply (on its
own worker thread), and says how the persona and mood should colour the next answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from assistant.companion import quirks as quirk_rules
from assistant.companion.emotion import EmotionClassifier, strongest
from assistant.companion.mood import NEUTRAL, Mood, decay, step, tone_instruction
from assistant.companion.needs import NEEDS, START, Needs, exchange_kinds, fade, meet
from assistant.companion.persona_note import (
    Persona,
    PersonaNoteError,
    default_persona,
    parse,
    render,
)
from assistant.companion.traits import PRESETS, Traits, check_traits, preset_of
from assistant.companion.traits import style_instructions as style_of
from assistant.conversation.turns import FinishedTurn
from assistant.conversation.work_queue import WorkQueue
from assistant.errors import AssistantError, InvalidInputError
from assistant.learning.classifier import Array
from assistant.store.companion import CompanionRecords, MoodRow, PersonaRow, Quirk
from assistant.vault.files import write_atomic

if TYPE_CHECKING:
    from assistant.core import Assistant

log = logging.getLogger(__name__)

REFRESH = 30.0
"""Seconds the mood, needs and quirks read from the records are reused by this process
(other processes' writes show after this)."""


def temperament(traits: Traits) -> Mood:
    """The resting mood a personality starts from (Mehrabian's mapping of the Big Five to
    PAD, kept mild)."""
    o, c, e, a = (
        2 * v - 1
        for v in (
            traits.openness,
            traits.conscientiousness,
            traits.extraversion,
            traits.agreeableness,
        )
    )
    s = 1 - 2 * traits.neuroticism  # emotional stability
    return Mood.of(
        (
            0.3 * (0.21 * e + 0.59 * a + 0.19 * s),
            0.3 * (0.15 * o + 0.30 * a - 0.57 * s),
            0.3 * (0.25 * o + 0.17 * c + 0.60 * e - 0.32 * a),
        )
    )


class Companion:
    """The assistant's character and inner state.

    Usage::

        companion = Companion(assistant)
        companion.traits.extraversion          # 0..1, fixed
        companion.mood().label                 # "calm"
        companion.needs().unmet()              # ["social"]
        companion.instructions()               # what the system prompt adds
    """

    def __init__(self, assistant: Assistant, clock: Callable[[], float] = time.time) -> None:
        self.settings = assistant.settings
        self.enabled = assistant.settings.persona.enabled
        """False when ``[persona] enabled = false``: no character, mood or needs."""
        self.clock = clock
        self.path = assistant.layout.persona
        self.records = CompanionRecords(assistant.db)
        self.emotions = EmotionClassifier(assistant.embedder, assistant.settings.model_cache)
        self.problem = ""
        """Why the persona note was not read (empty when it was)."""
        self._lock = threading.RLock()
        self._updating = threading.Lock()
        self._persona: Persona | None = None
        self._seen: tuple[int, int] | None = None
        self._cached: dict[str, tuple[float, object]] = {}
        self._queue = WorkQueue("companion")

    # -- persona ----------------------------------------------------------------------------

    def persona(self) -> Persona:
        """The persona in use: the note's when it reads, else the last good one."""
        with self._lock:
            if self._persona is None:
                row = self.records.persona()
                self._persona = (
                    default_persona() if row is None else Persona(row.name, row.preset, row.traits)
                )
                if row is None and self.enabled:
                    self._record(self._persona, first=True)
            if self.enabled:
                self._read_note()
            return self._persona

    @property
    def traits(self) -> Traits:
        """The Big Five traits (fixed once chosen)."""
        return self.persona().traits

    @property
    def name(self) -> str:
        """What the assistant calls itself."""
        return self.persona().name

    @property
    def preset(self) -> str:
        """The preset the traits come from, or ``custom``."""
        return self.persona().preset

    def choose(
        self,
        *,
        preset: str | None = None,
        traits: dict[str, float] | None = None,
        name: str | None = None,
    ) -> Persona:
        """Choose a preset, custom traits (any left out keep their value) or a name; written
        to the persona note and recorded."""
        current = self.persona()
        values = current.traits.as_dict()
        if preset is not None:
            if preset not in PRESETS:
                raise InvalidInputError(
                    f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}"
                )
            values = PRESETS[preset].as_dict()
        values.update(traits or {})
        try:
            chosen = check_traits(values)
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from exc
        label = (name if name is not None else current.name).strip() or current.name
        persona = Persona(" ".join(label.split())[:60], preset_of(chosen), chosen)
        with self._lock:
            self._write_note(persona)
            self._adopt(persona)
        return persona

    def _read_note(self) -> None:
        """Re-read the note when it changed on disk (or create it)."""
        assert self._persona is not None
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._write_note(self._persona)
            return
        except OSError as exc:
            self.problem = f"cannot read {self.path.name}: {exc}"
            return
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen == self._seen:
            return
        self._seen = seen
        try:
            text = self.path.read_text(encoding="utf-8")
            persona, body, outdated = parse(text, self._persona)
        except (OSError, UnicodeDecodeError) as exc:
            self._refuse(f"Persona.md cannot be read ({exc})")
            return
        except PersonaNoteError as exc:
            self._refuse(exc.message)
            return
        self.problem = ""
        if outdated:  # a preset switch, or traits left out: show the traits in use
            self._write_note(persona, body)
        if persona != self._persona:
            self._adopt(persona)

    def _refuse(self, problem: str) -> None:
        if problem != self.problem:
            log.warning("%s; keeping the last good persona", problem)
        self.problem = problem

    def _write_note(self, persona: Persona, body: str | None = None) -> None:
        if body is None and self.path.is_file():
            try:
                from assistant.vault.notes import split_frontmatter

                body = split_frontmatter(self.path.read_text(encoding="utf-8"))[1]
            except (OSError, UnicodeDecodeError, AssistantError):
                body = None
        write_atomic(self.path, render(persona, body))
        stat = self.path.stat()
        self._seen = (stat.st_mtime_ns, stat.st_size)
        self.problem = ""

    def _adopt(self, persona: Persona) -> None:
        """Use ``persona`` from now on and record it (a new temperament resets the baseline)."""
        before = self._persona
        self._persona = persona
        self._record(persona, first=before is None or before.traits != persona.traits)

    def _record(self, persona: Persona, *, first: bool) -> None:
        now = self.clock()
        self.records.add_persona(PersonaRow(now, persona.name, persona.preset, persona.traits))
        if first:
            self.records.add_mood(MoodRow(now, "baseline", temperament(persona.traits)))
        self._cached.clear()

    # -- mood and needs ---------------------------------------------------------------------

    def baseline(self) -> Mood:
        """The resting mood the mood returns to."""
        row = self._read("baseline", lambda: self.records.latest("baseline"))
        return row.mood if isinstance(row, MoodRow) else temperament(self.traits)

    def mood(self, now: float | None = None) -> Mood:
        """The mood at ``now`` (default: the clock), decayed toward the baseline since the
        last exchange; neutral when the persona is off."""
        if not self.enabled:
            return NEUTRAL
        now = self.clock() if now is None else now
        row = self._read("mood", lambda: self.records.latest("mood"))
        baseline = self.baseline()
        if not isinstance(row, MoodRow):
            return baseline
        return decay(row.mood, baseline, now - row.at, self.traits)

    def mood_history(self, limit: int = 20) -> list[MoodRow]:
        """The latest mood steps, newest first."""
        return self.records.history("mood", limit=limit)

    def needs(self, now: float | None = None) -> Needs:
        """Each need's level at ``now``; all met when the persona is off."""
        if not self.enabled:
            return Needs({n: 1.0 for n in NEEDS})
        now = self.clock() if now is None else now
        stored = self._read("needs", self.records.needs)
        assert isinstance(stored, dict)
        levels = {}
        for need in NEEDS:
            at, level = stored.get(need, (self._since(), START))
            levels[need] = round(fade(level, now - at, need), 4)
        return Needs(levels)

    def quirks(self, now: float | None = None) -> list[Quirk]:
        """The quirks of the assistant's replies, strongest first (strength as faded now)."""
        now = self.clock() if now is None else now
        found = self._read("quirks", self.records.quirks)
        assert isinstance(found, list)
        shown = [
            Quirk(
                q.key,
                q.description,
                round(quirk_rules.current_strength(q, now), 4),
                q.first_seen,
                q.last_seen,
            )
            for q in found
        ]
        return sorted(shown, key=lambda q: -q.strength)

    def hear(
        self,
        text: str,
        vector: Sequence[float] | Array | None = None,
        *,
        route: str = "",
        now: float | None = None,
    ) -> str:
        """Take in one exchange: the emotion of the user's ``text`` (from its embedding when
        given) moves the mood, its kind meets needs. Returns the emotion heard."""
        now = self.clock() if now is None else now
        heard = self.emotions.hear(text, vector)
        emotion = strongest(heard)
        with self._updating:  # one update at a time; readers never wait for the write
            row = MoodRow(now, "mood", step(self.mood(now), heard, self.traits), emotion)
            levels = self.needs(now).levels
            met = {
                need: meet(levels[need], amount)
                for need, amount in exchange_kinds(text, route, emotion).items()
            }
            stored = self._read("needs", self.records.needs)
            assert isinstance(stored, dict)
            self.records.add_exchange(row, met, route or "turn")
            self._remember("mood", row)
            self._remember("needs", {**stored, **{n: (now, v) for n, v in met.items()}})
        return emotion

    def on_turn(self, turn: FinishedTurn) -> None:
        """After-turn listener: hears the exchange on the companion's own thread."""
        if not self.enabled or turn.command or not turn.text.strip():
            return
        vector = turn.vector
        self._queue.submit(
            "mood not updated", lambda: self.hear(turn.text, vector, route=turn.route)
        )

    # -- what the model is told ---------------------------------------------------------------

    def instructions(self, now: float | None = None) -> str:
        """The persona's part of the system prompt: who it is, how it talks, its mood's tone
        and its habits (empty when the persona is off). Never facts."""
        if not self.enabled:
            return ""
        now = self.clock() if now is None else now
        persona = self.persona()
        lines = [f"Your name is {persona.name}. How you talk:"]
        lines += [f"- {line}" for line in style_of(persona.traits)]
        if tone := tone_instruction(self.mood(now)):
            lines.append(f"- {tone}")
        if habits := quirk_rules.habit_instruction(self.quirks(now), now):
            lines.append(f"- {habits}")
        return "\n".join(lines)

    def warm_up(self) -> None:
        """Train or load the emotion classifier and read the persona note now."""
        if self.enabled:
            self.persona()
            self.emotions.warm_up()

    def flush(self) -> None:
        """Wait until the exchanges heard so far have moved the mood and needs."""
        self._queue.flush()

    def close(self) -> None:
        """Finish the pending updates and stop the worker."""
        self._queue.close()

    def _since(self) -> float:
        """When the companion began (its first persona), where needs start from."""
        began = self._read("began", self.records.began)
        return began if isinstance(began, float) else self.clock()

    def _remember(self, key: str, value: object) -> None:
        """Keep what this process just wrote as the freshest read."""
        with self._lock:
            self._cached[key] = (time.monotonic(), value)

    def _read(self, key: str, read: Callable[[], object]) -> object:
        """A record read, reused for :data:`REFRESH` seconds (of real time: it is a cache)."""
        now = time.monotonic()
        with self._lock:
            hit = self._cached.get(key)
            if hit is not None and now - hit[0] < REFRESH:
                return hit[1]
            value = read()
            self._cached[key] = (now, value)
            return value
