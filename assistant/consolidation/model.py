"""The chat model a consolidation run may consult: every call schema-constrained, billed and
capped by the run's dollar budget. The first failure or nonsense answer ends the model's part
of the run; the jobs then go on with their rules alone."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from assistant.errors import ModelError
from assistant.learning.model_extract import UsageHook
from assistant.models.chat import ChatMessage, ChatModel, ToolSpec
from assistant.models.structured import call_tool

log = logging.getLogger(__name__)


class RunModel:
    """A chat model with a per-run budget.

    Usage::

        model = RunModel(chat_model, budget=0.05)
        data = model.ask(system_prompt, listing, TOOL, max_tokens=400)  # None: go without
    """

    def __init__(self, model: ChatModel, budget: float, on_usage: UsageHook | None = None) -> None:
        self.model = model
        self.budget = budget
        self._on_usage = on_usage
        self.spent = 0.0
        self.calls = 0
        self.problem = ""

    @property
    def available(self) -> bool:
        """Whether another call may be made (budget left and no failure so far)."""
        return not self.problem and not (self.spent >= self.budget > 0)

    def ask(
        self, system: str, user: str, tool: ToolSpec, max_tokens: int
    ) -> Mapping[str, Any] | None:
        """The arguments of the model's ``tool`` call; None once the budget is spent or
        after a failure (recorded in :attr:`problem`)."""
        if not self.available:
            return None
        messages = [ChatMessage("system", system), ChatMessage("user", user)]
        try:
            answer = call_tool(self.model, messages, tool, max_tokens=max_tokens)
            self.calls += 1
            self.spent += self.model.info.cost(answer.usage)
            if self._on_usage is not None:
                self._on_usage(self.model.info, answer.usage, answer.latency_ms)
            return answer.data(self.model.info.name)
        except ModelError as exc:
            self.fail(str(exc))
            return None

    def fail(self, problem: str) -> None:
        """End the model's part of the run (an answer was unusable)."""
        self.problem = problem
        log.warning("the model's part of consolidation ended: %s", problem)


def quoted(text: str, limit: int = 300) -> str:
    """A memory's text on one line, cut at ``limit`` characters, as a JSON string (so quotes
    and newlines in it cannot break out of the listing)."""
    line = " ".join(text.split())
    return json.dumps(line[:limit] + ("…" if len(line) > limit else ""), ensure_ascii=False)
