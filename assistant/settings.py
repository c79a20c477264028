"""Settings: one frozen dataclass, built by one pure function."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from assistant import paths
from assistant.backup.settings import BackupSettings, validate_backup
from assistant.config_lines import located, syntax_error
from assistant.errors import ConfigError
from assistant.memory_types import MemoryType
from assistant.models.settings import (
    BudgetSettings,
    ModelSettings,
    PolicySettings,
    parse_budget,
    parse_flag,
    parse_models,
    parse_policy,
)
from assistant.observability.settings import ObservabilitySettings, parse_observability


@dataclass(frozen=True)
class RetrievalSettings:
    """How search candidates are fused, scored and diversified (``[retrieval]`` in config.toml)."""

    weight_relevance: float = 0.60
    """Weight of query relevance (fused vector and full-text similarity) in the final score."""
    weight_recency: float = 0.02
    """Weight of recency (how long ago the memory was created) for a question not about time:
    a tie-breaker between about equally relevant memories, so relevance decides."""
    weight_recency_time: float = 0.35
    """Weight of recency for a question about time or recent things ("what did I do last
    week?", "the latest", "yesterday", a day or a date); it also orders conversation turns."""
    weight_importance: float = 0.15
    """Weight of importance, decayed by time since the memory was created or last used."""
    weight_reinforcement: float = 0.05
    """Weight of reinforcement: how often the memory was used (put into an answer, opened,
    confirmed); a search hit alone does not count."""
    weight_flag: float = 0.10
    """Weight of the user's "important" flag."""
    semantic_share: float = 0.75
    """Share of relevance taken from vector similarity; the rest comes from full-text (BM25)."""
    recency_half_life_days: float = 30.0
    """Days after which the recency component halves."""
    importance_half_life_days: float = 90.0
    """Days without access after which the importance component halves."""
    reinforcement_saturation: int = 20
    """Access count at which reinforcement reaches its maximum."""
    mmr_lambda: float = 0.7
    """MMR trade-off: 1.0 ranks by score only, lower values favour diverse results."""
    mmr_similarity_floor: float = 0.85
    """Similarity from which two memories are near-duplicates (MiniLM cosine: paraphrases of
    one fact score 0.85 and up, distinct facts about one person or topic below); under it
    they are not redundant at all, so MMR never costs a related fact its place."""
    candidates: int = 60
    """Candidates taken from each of vector and full-text search before re-ranking."""
    min_relevance: float = 0.18
    """Candidates less relevant than this are dropped, so unrelated memories never surface."""
    relative_floor: float = 0.5
    """Candidates less relevant than this share of the best candidate's relevance are dropped."""
    link_damping: float = 0.5
    """A memory linked to a result (related, or about the same person) joins the results with
    that result's score times this; 0 turns the one-hop expansion off."""


@dataclass(frozen=True)
class ConsolidationSettings:
    """When and how the store is consolidated while the user is idle (``[consolidation]``)."""

    idle_minutes: float = 10.0
    """Minutes without a message after which a running chat or browser consolidates; 0: only
    on ``assistant consolidate``."""
    budget: float = 0.05
    """Dollars a run may spend on model calls (a local model costs nothing)."""
    model: str = "auto"
    """The model that judges possible contradictions: ``auto`` (a ready local model), a model
    name, or ``none`` (heuristics only)."""
    archive_below: float = 1.5
    """Importance under which a faded, unused memory moves to the archive."""
    archive_unused_days: float = 60.0
    """Days without being retrieved before a faded memory may be archived."""
    archive_share: float = 0.05
    """The most of the store one run archives by decay (0.05: one memory in twenty, at least
    one; 0: none). Health and safety facts, identity, facts about the user's people and
    memories of importance 7 or more are never archived by decay."""
    half_life_semantic: float = 180.0
    """Days for the importance of a semantic memory to halve when unused (0: never)."""
    half_life_episodic: float = 30.0
    """Days for an episodic memory (a moment, an event)."""
    half_life_procedural: float = 365.0
    """Days for a procedural memory (a habit, how something is done)."""
    half_life_emotional: float = 60.0
    """Days for an emotional memory."""
    half_life_reflective: float = 120.0
    """Days for a reflective memory (an insight about oneself)."""

    def half_lives(self) -> dict[MemoryType, float]:
        """Half-life in days by memory type; identity facts never fade."""
        return {
            t: float(getattr(self, f"half_life_{t.value}"))
            for t in MemoryType
            if t is not MemoryType.IDENTITY
        }


@dataclass(frozen=True)
class CheckinSettings:
    """When the assistant may write first (``[checkins]``): check-ins are rare by design."""

    enabled: bool = True
    """Whether the assistant ever writes first; reminders arrive either way."""
    quiet_hours: str = "22:00-08:00"
    """Local hours with no check-ins, ``HH:MM-HH:MM`` (may wrap past midnight; empty: none)."""
    per_day: int = 2
    """Check-ins a day at most (a local day); 0 turns them off too."""
    every_minutes: float = 5.0
    """Minutes between two looks at whether to write, while a chat, the browser or
    ``assistant serve`` runs."""
    threshold: float = 0.5
    """Score (0–1) from which a check-in is sent; higher means rarer."""
    conversation_minutes: float = 30.0
    """Minutes after the last message during which a conversation counts as going on (no
    check-in interrupts it)."""
    model: str = "auto"
    """What writes a check-in: ``auto`` (a ready local model, else templates filled from
    memory), ``none`` (templates only), or a model name (a cloud model costs a small call)."""

    def quiet(self) -> tuple[int, int] | None:
        """The quiet hours as minutes after midnight (start, end); None when there are none.
        Raises ValueError when the setting is not ``HH:MM-HH:MM``."""
        if not self.quiet_hours.strip():
            return None
        start, sep, end = self.quiet_hours.partition("-")
        if not sep:
            raise ValueError(self.quiet_hours)
        return _minutes(start), _minutes(end)


def _minutes(clock: str) -> int:
    """``HH:MM`` as minutes after midnight (ValueError when it is not a time of day)."""
    hours, sep, minutes = clock.strip().partition(":")
    value = int(hours) * 60 + (int(minutes) if sep else 0)
    if not 0 <= int(hours) <= 24 or not 0 <= int(minutes or 0) <= 59 or value > 24 * 60:
        raise ValueError(clock)
    return value % (24 * 60)


@dataclass(frozen=True)
class PersonaSettings:
    """The assistant's character (``[persona]``); its name and traits live in the vault note
    ``Assistant/Persona.md``."""

    enabled: bool = True
    """Whether the assistant has a persona: traits shaping its style, a mood that colours its
    tone, quirks and needs. Off: a plain assistant, and no mood or needs are tracked."""


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to run, resolved once and passed down explicitly."""

    home: Path
    """Data directory: config.toml, index/, cache/, logs/ and, by default, the vault."""
    vault: Path
    """The Obsidian vault root. The assistant writes only inside its ``Assistant/`` folder."""
    model_cache: Path
    """Cache of derived model files (the ONNX export of MiniLM), shared between homes."""
    embedder: str = "minilm"
    """Embedding backend: ``minilm`` (all-MiniLM-L6-v2 via ONNX Runtime) or ``hash`` (no model)."""
    lock_timeout: float = 15.0
    """Seconds to wait for another assistant process to release the index before giving up."""
    lock_linger: float = 0.5
    """Seconds an idle process keeps the index open before releasing it to other processes."""
    max_text_chars: int = 100_000
    """Longest memory text accepted, in characters."""
    editor: str = "vi"
    """Command used by ``assistant edit`` (from ``$VISUAL`` or ``$EDITOR`` when set)."""
    git_autocommit: bool = True
    """When the vault is a git repository, commit the assistant's changes as each command or
    chat session ends (only files under ``Assistant/``)."""
    git_remote: str = ""
    """A git remote to pull from and push to after each commit (empty: local history only)."""
    git_whole_vault: bool = False
    """Commit every file of the vault, not only those under ``Assistant/`` (for a vault that
    is itself kept in step across machines by the assistant)."""
    git_sync_minutes: float = 15.0
    """While an assistant process runs, commit its changes and (with ``git_remote``) pull and
    push every this many minutes; 0: only when the process ends."""
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    """Retrieval weights and limits."""
    consolidation: ConsolidationSettings = field(default_factory=ConsolidationSettings)
    """Idle consolidation: schedule, budget, decay."""
    checkins: CheckinSettings = field(default_factory=CheckinSettings)
    """Check-ins: whether, when and how often the assistant writes first (``[checkins]``)."""
    persona: PersonaSettings = field(default_factory=PersonaSettings)
    """The persona, mood and needs (``[persona]``)."""
    backup: BackupSettings = field(default_factory=BackupSettings)
    """Backups: folder, schedule, retention and the remote copy (``[backup]``)."""
    models: tuple[ModelSettings, ...] = ()
    """Chat models: the built-in cloud catalogue plus ``[models.*]`` from config.toml."""
    policy: PolicySettings = field(default_factory=PolicySettings)
    """Which models answer each route, in order (``[policy]``)."""
    budget: BudgetSettings = field(default_factory=BudgetSettings)
    """Daily and monthly spending limits (``[budget]``)."""
    model: str = ""
    """Use this model for every route (``--model``, ``/model``); empty: follow the policy."""
    context_tokens: int = 3000
    """Token budget of the context sent with each message (memories, recent turns)."""
    answer_tokens: int = 1024
    """Longest answer requested from a model, in tokens."""
    extractor: str = "auto"
    """What picks facts out of messages: ``rules``; ``auto`` (a ready local model, else the
    rules); or the name of a model (a cloud model costs one small call per message)."""
    bridges: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """``[bridges.<name>]`` tables: the bridges ``assistant serve`` runs (a plugin's, by its
    name), each with its own settings (``enabled``, ``owner``, …; never a secret)."""
    observability: ObservabilitySettings = field(default_factory=ObservabilitySettings)
    """Metrics and health endpoints of ``assistant serve``, and the log files
    (``[observability]``)."""
    project_links: Mapping[str, str] = field(default_factory=dict)
    """``[projects.links]``: places linked to a project, e.g. ``"discord:<channel id>" =
    "Apollo"`` or ``"mcp:<client name>" = "Apollo"`` (a whole channel: ``"discord"``)."""

    @property
    def assistant_dir(self) -> Path:
        """The folder inside the vault that the assistant owns."""
        return self.vault / "Assistant"


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "embedder": str,
    "lock_timeout": float,
    "lock_linger": float,
    "max_text_chars": int,
    "editor": str,
    "git_autocommit": parse_flag,
    "git_whole_vault": parse_flag,
    "git_remote": str,
    "git_sync_minutes": float,
    "model": str,
    "context_tokens": int,
    "answer_tokens": int,
    "extractor": str,
}
_EMBEDDERS = ("minilm", "hash")
T = TypeVar("T")


def load_settings(
    flags: Mapping[str, Any], environ: Mapping[str, str], config_text: str | None
) -> Settings:
    """Build the settings from CLI flags, the environment and the text of ``config.toml``.

    Precedence, highest first: **CLI flag > ``ASSISTANT_*`` env > ``config.toml`` > defaults**.
    ``home`` comes from the flag, ``ASSISTANT_HOME`` or the platform data dir (config.toml lives
    in the home, so it cannot move it). ``vault`` defaults to ``<home>/vault``. Reads nothing
    itself: the caller passes ``os.environ`` and the file's text (``None`` when absent).
    """
    home = paths.home_dir(environ, flags.get("home"))
    config = _parse_config(config_text)
    values: dict[str, Any] = {}
    for key, convert in _SCALARS.items():
        raw = _pick(key, flags, environ, config)
        if raw is not None:
            from_file = flags.get(key) is None and not environ.get(f"ASSISTANT_{key.upper()}")
            values[key] = _convert(key, raw, convert, (key,) if from_file else ())
    if "editor" not in values and (environ.get("VISUAL") or environ.get("EDITOR")):
        values["editor"] = environ.get("VISUAL") or environ.get("EDITOR")
    vault_raw = _pick("vault", flags, environ, config)
    vault = Path(str(vault_raw)).expanduser() if vault_raw else home / "vault"
    if not vault.is_absolute():
        vault = (home / vault).resolve()
    settings = Settings(
        home=home,
        vault=vault,
        model_cache=paths.model_cache_dir(environ),
        retrieval=_section(RetrievalSettings, "retrieval", config, environ),
        consolidation=_section(ConsolidationSettings, "consolidation", config, environ),
        checkins=_section(CheckinSettings, "checkins", config, environ),
        persona=_section(PersonaSettings, "persona", config, environ),
        backup=validate_backup(_section(BackupSettings, "backup", config, environ)),
        models=parse_models(config.get("models")),
        policy=parse_policy(config.get("policy")),
        budget=parse_budget(config.get("budget"), environ),
        bridges=_bridges(config.get("bridges")),
        observability=parse_observability(config.get("observability"), environ),
        project_links=_project_links(config.get("projects")),
        **values,
    )
    return _validate(settings)


def _project_links(raw: Any) -> dict[str, str]:
    """The ``[projects.links]`` table: place → project name."""
    links = raw.get("links", {}) if isinstance(raw, dict) else raw
    if links is None:
        return {}
    if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
        raise ConfigError(
            '[projects.links] maps places to project names, e.g. "discord:1234" = "Apollo"'
        )
    return {str(place).strip(): name.strip() for place, name in links.items()}


def _bridges(raw: Any) -> dict[str, dict[str, Any]]:
    """The ``[bridges.<name>]`` tables, each kept as written (its bridge checks it)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ConfigError(
            "[bridges] holds one table per bridge, e.g. [bridges.discord]",
            key=("bridges",),
        )
    return {str(name): dict(table) for name, table in raw.items()}


def read_settings(flags: Mapping[str, Any], environ: Mapping[str, str]) -> Settings:
    """Resolve the home, read its ``config.toml`` if present, and call :func:`load_settings`.

    An error in the file names the file, the line and the fix."""
    home = paths.home_dir(environ, flags.get("home"))
    config = paths.config_file(home)
    try:
        text = config.read_text(encoding="utf-8") if config.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read {config}: {exc}",
            fix="make it a readable UTF-8 text file, or move it aside to use the defaults",
        ) from exc
    try:
        return load_settings(flags, environ, text)
    except ConfigError as exc:
        if text is None or not (exc.key or exc.line):
            raise
        raise located(exc, config, text) from exc


def _parse_config(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(exc, text) from exc


def _pick(
    key: str, flags: Mapping[str, Any], environ: Mapping[str, str], config: Mapping[str, Any]
) -> Any:
    if flags.get(key) is not None:
        return flags[key]
    env_value = environ.get(f"ASSISTANT_{key.upper()}")
    if env_value:
        return env_value
    return config.get(key)


def _convert(key: str, raw: Any, convert: Callable[[Any], Any], where: tuple[str, ...] = ()) -> Any:
    try:
        return convert(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {key!r} has an invalid value {raw!r}", key=where) from exc


def _section(kind: type[T], name: str, config: Mapping[str, Any], environ: Mapping[str, str]) -> T:
    """A settings section from its ``[name]`` table, each key overridable by
    ``ASSISTANT_<NAME>_<KEY>``; values take the type of the field's default."""
    table = config.get(name, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"[{name}] in config.toml must be a table", key=(name,))
    defaults = kind()
    known = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"unknown [{name}] settings: {', '.join(unknown)}",
            key=(name, unknown[0]),
            fix=f"remove it, or use one of: {', '.join(sorted(known))}",
        )
    values: dict[str, Any] = {}
    for key in known:
        from_env = environ.get(f"ASSISTANT_{name.upper()}_{key.upper()}")
        raw = from_env or table.get(key)
        if raw is None:
            continue
        where = () if from_env else (name, key)
        default = getattr(defaults, key)
        convert = parse_flag if isinstance(default, bool) else type(default)
        values[key] = _convert(f"{name}.{key}", raw, convert, where)
    return replace(defaults, **values)  # type: ignore[type-var]


def _validate(settings: Settings) -> Settings:
    if settings.embedder not in _EMBEDDERS:
        raise ConfigError(
            f"embedder must be one of {', '.join(_EMBEDDERS)}, not {settings.embedder!r}"
        )
    if settings.max_text_chars < 1 or settings.lock_timeout < 0 or settings.lock_linger < 0:
        raise ConfigError("max_text_chars, lock_timeout and lock_linger must be positive")
    names = [m.name for m in settings.models]
    if settings.model and settings.model not in names:
        raise ConfigError(f"no model named {settings.model!r}; configured: {', '.join(names)}")
    if settings.context_tokens < 200 or settings.answer_tokens < 16:
        raise ConfigError("context_tokens must be at least 200 and answer_tokens at least 16")
    r = settings.retrieval
    shares = (r.mmr_lambda, r.semantic_share, r.mmr_similarity_floor, r.relative_floor)
    if not all(0.0 <= v <= 1.0 for v in shares):
        raise ConfigError(
            "retrieval.mmr_lambda, semantic_share, mmr_similarity_floor and relative_floor "
            "must be in [0, 1]"
        )
    if r.candidates < 1 or r.recency_half_life_days <= 0 or r.importance_half_life_days <= 0:
        raise ConfigError("retrieval candidates and half-lives must be positive")
    c = settings.consolidation
    numbers = [getattr(c, f.name) for f in fields(c) if f.name != "model"]
    if any(value < 0 for value in numbers):
        raise ConfigError("[consolidation] numbers must not be negative")
    if c.archive_share > 1:
        raise ConfigError("[consolidation] archive_share must be in [0, 1]")
    _validate_checkins(settings.checkins)
    return settings


def _validate_checkins(checkins: CheckinSettings) -> None:
    try:
        checkins.quiet()
    except ValueError:
        raise ConfigError(
            f"checkins.quiet_hours must be HH:MM-HH:MM, not {checkins.quiet_hours!r}",
            key=("checkins", "quiet_hours"),
            fix='for example quiet_hours = "22:00-08:00", or "" for none',
        ) from None
    if checkins.per_day < 0 or checkins.every_minutes <= 0 or checkins.conversation_minutes < 0:
        raise ConfigError(
            "[checkins] per_day and conversation_minutes must not be negative, and "
            "every_minutes must be positive"
        )
    if not 0.0 <= checkins.threshold <= 1.0:
        raise ConfigError("[checkins] threshold must be in [0, 1]", key=("checkins", "threshold"))
