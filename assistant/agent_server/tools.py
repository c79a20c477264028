"""The MCP tools: one thin adapter over the action layer each.

A tool parses its arguments (the SDK validates them against the JSON schema built from the
signature), calls one :class:`~assistant.actions.Actions` method with the agent's origin and
returns a JSON object. An :class:`~assistant.errors.AssistantError` becomes a tool error whose
message says what was wrong; nothing else of the core's internals reaches the agent.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from assistant.actions import Actions, Origin
from assistant.agent_server.views import evidence_view, hit_view, memory_view, reminder_view
from assistant.errors import AssistantError
from assistant.projects import HOME, place_of

Kind = Literal["identity", "semantic", "episodic", "procedural", "emotional", "reflective"]
"""The memory types an agent may name."""

MemoryId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="A memory's id, as search_memories or list_recent return it (or its last "
        "6+ characters).",
    ),
]
Text = Annotated[str, Field(min_length=1, description="One fact, in a sentence or two.")]
Tags = Annotated[list[str], Field(max_length=20, description="Tags, without '#'.")]
Types = Annotated[list[Kind], Field(description="Only memories of these types (any when empty).")]
Importance = Annotated[
    float | None, Field(ge=0, le=10, description="0-10; 5 when not given, 8 when important.")
]
UNKNOWN_CLIENT = "unknown agent"


class MemoryTools:
    """The tools, over the actions that ``actions()`` returns once the home is open (the
    first call waits for it)."""

    def __init__(self, actions: Callable[[], Actions]) -> None:
        self._actions = actions
        # Writes are serialised: two agents' calls never interleave inside one action.
        self._writing = threading.Lock()

    # -- plumbing -----------------------------------------------------------------------------

    def origin(self, ctx: Context | None) -> Origin:
        """The agent's origin: source ``agent``, channel ``mcp``, the client's name."""
        name = ""
        try:
            params = ctx.session.client_params if ctx is not None else None
            name = params.client_info.name if params is not None else ""
        except (AttributeError, ValueError):  # a context outside a request
            name = ""
        return Origin("agent", "mcp", (name or UNKNOWN_CLIENT).strip()[:100])

    @contextmanager
    def acting(self, *, write: bool = False, ctx: Context | None = None) -> Iterator[Actions]:
        """The actions, with a core error turned into a tool error the agent can read. With
        the request's ``ctx``, they work in the project the client is linked to
        (``[projects.links] "mcp:<client name>"``), else the home's own."""
        try:
            actions = self._actions()
            place = place_of("mcp", self.origin(ctx).sender) if ctx is not None else HOME
            project = actions.assistant.projects.current_name(place)
            with actions.memories.scoped(project):
                if not write:
                    yield actions
                    return
                with self._writing:
                    yield actions
        except AssistantError as exc:
            raise ToolError(f"{exc.title}: {exc}") from None

    # -- reading ------------------------------------------------------------------------------

    def search_memories(
        self,
        query: Annotated[str, Field(min_length=1, description="What to look for, in words.")],
        k: Annotated[int, Field(ge=1, le=50, description="How many results.")] = 10,
        types: Types = [],  # noqa: B006 (never mutated; the SDK reads the default)
        tags: Tags = [],  # noqa: B006
        since: Annotated[
            datetime | None, Field(description="Only memories created at or after (ISO 8601).")
        ] = None,
        until: Annotated[
            datetime | None, Field(description="Only memories created at or before (ISO 8601).")
        ] = None,
        ctx: Context | None = None,
    ) -> dict[str, Any]:
        """Search the user's long-term memory by meaning and words, best first. Each result
        has the memory's id, text, type, date and score, and, when it was learned in a
        conversation, the evidence: what the user said."""
        with self.acting(ctx=ctx) as actions:
            hits = actions.search(query, k, types=types, tags=tags, since=since, until=until)
            return {"results": [hit_view(h, actions) for h in hits]}

    def get_memory(self, id: MemoryId) -> dict[str, Any]:
        """One memory by id, with all its properties and the evidence it was learned from."""
        with self.acting() as actions:
            memory = actions.get(id)
            view = memory_view(memory)
            view["supersedes"] = list(memory.supersedes)
            view["evidence"] = evidence_view(actions, memory)
            return view

    def list_recent(
        self,
        limit: Annotated[int, Field(ge=1, le=200, description="How many memories.")] = 20,
        types: Types = [],  # noqa: B006
        tags: Tags = [],  # noqa: B006
    ) -> dict[str, Any]:
        """The newest active memories, newest first."""
        with self.acting() as actions:
            return {
                "memories": [memory_view(m) for m in actions.recent(limit, types=types, tags=tags)]
            }

    def profile(self) -> dict[str, Any]:
        """What the assistant always knows about the user: their identity facts (name,
        family, work, home, preferences), their own notes on their profile page, and how they
        asked to be answered every time (their standing instructions: follow them)."""
        with self.acting() as actions:
            facts, notes = actions.profile()
            return {
                "facts": [memory_view(m) for m in facts],
                "notes": notes,
                "instructions": actions.instructions(),
            }

    # -- writing ------------------------------------------------------------------------------

    def remember(
        self,
        text: Text,
        type: Annotated[Kind, Field(description="identity: a stable fact about the user.")] = (
            "semantic"
        ),
        tags: Tags = [],  # noqa: B006
        importance: Importance = None,
        ctx: Context | None = None,
    ) -> dict[str, Any]:
        """Remember a durable fact about the user, in their own words ("I live in Lille"):
        stored as a note in their vault, marked as written by this agent. Secrets are redacted
        and text that gives instructions is refused. A fact already known is reinforced
        instead of stored twice, and a newer fact of the same kind (where the user lives,
        works) replaces the older one, which is kept as superseded. Returns what was done:
        remembered, reinforced or corrected."""
        with self.acting(write=True, ctx=ctx) as actions:
            kept = actions.keep(
                text, type=type, tags=tags, importance=importance, origin=self.origin(ctx)
            )
            done: dict[str, Any] = {"action": kept.action, "memory": memory_view(kept.memory)}
            if kept.replaced is not None:
                done["replaced"] = memory_view(kept.replaced)
            return done

    def update_memory(
        self,
        id: MemoryId,
        text: Annotated[str | None, Field(min_length=1, description="The new text.")] = None,
        type: Annotated[Kind | None, Field(description="A new type.")] = None,
        tags: Annotated[
            list[str] | None, Field(max_length=20, description="Replaces the tags.")
        ] = None,
        importance: Annotated[float | None, Field(ge=0, le=10, description="0-10.")] = None,
        important: Annotated[bool | None, Field(description="Pin or unpin it.")] = None,
        ctx: Context | None = None,
    ) -> dict[str, Any]:
        """Correct a memory in place: its text or properties (the new text passes the same
        checks as remember). An identity fact the user marked important stays important."""
        if all(v is None for v in (text, type, tags, importance, important)):
            raise ToolError("nothing to change: give text, type, tags, importance or important")
        with self.acting(write=True) as actions:
            memory = actions.update(
                id,
                text=text,
                type=type,
                tags=tags,
                importance=importance,
                important=important,
                origin=self.origin(ctx),
            )
            return memory_view(memory)

    def forget(self, id: MemoryId) -> dict[str, Any]:
        """Forget a memory: its note moves to the vault's archive, out of search. Nothing is
        deleted; restore_memory brings it back."""
        with self.acting(write=True) as actions:
            return memory_view(actions.forget(id))

    def restore_memory(self, id: MemoryId) -> dict[str, Any]:
        """Bring back a forgotten (archived) memory."""
        with self.acting(write=True) as actions:
            return memory_view(actions.restore(id))

    def reminders(
        self,
        action: Annotated[
            Literal["list", "add", "complete"],
            Field(description="list the open reminders, add one, or complete one."),
        ] = "list",
        text: Annotated[
            str | None, Field(min_length=1, description="add: what to remind the user of.")
        ] = None,
        when: Annotated[
            str | None,
            Field(description="add: when, in words ('tomorrow at 9') or ISO 8601; none: undated."),
        ] = None,
        id: Annotated[
            str | None, Field(min_length=1, description="complete: the reminder's id (or words).")
        ] = None,
        ctx: Context | None = None,
    ) -> dict[str, Any]:
        """The user's reminders: list the open ones (soonest first), add one, or mark one
        done. The assistant delivers them on time wherever the user is (chat, phone)."""
        if action == "add" and not text:
            raise ToolError("add needs the text of the reminder")
        if action == "complete" and not id:
            raise ToolError("complete needs the reminder's id")
        with self.acting(write=action != "list") as actions:
            if action == "add":
                assert text is not None
                added = actions.set_reminder(text, when=when, origin=self.origin(ctx))
                return {"reminder": reminder_view(added)}
            if action == "complete":
                assert id is not None
                return {"reminder": reminder_view(actions.complete_reminder(id))}
            return {"reminders": [reminder_view(r) for r in actions.open_reminders()]}
