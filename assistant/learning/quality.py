"""Scoring extraction against a labelled set of conversations (precision first)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.learning.extract import extract
from assistant.learning.injection import looks_like_injection


@dataclass
class ExtractionScore:
    """How an extractor did on a labelled set."""

    kept: int = 0
    junk: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    expected: int = 0

    @property
    def precision(self) -> float:
        """Share of extracted facts that a careful human would keep."""
        total = self.kept + len(self.junk)
        return self.kept / total if total else 1.0

    @property
    def recall(self) -> float:
        """Share of the facts to keep that were extracted."""
        return (self.expected - len(self.missed)) / self.expected if self.expected else 1.0


def rules(text: str) -> list[str]:
    """The rule-based extractor as the scorer calls it: texts of the facts in one message."""
    return [] if looks_like_injection(text) else [c.text for c in extract(text)]


def score(
    conversations: Sequence[Mapping[str, Any]],
    extractor: Callable[[str], list[str]] = rules,
) -> ExtractionScore:
    """Score ``extractor`` on conversations shaped ``{"messages", "keep", "reject"}``: a fact
    counts as kept when it contains one of the ``keep`` phrases."""
    result = ExtractionScore()
    for conversation in conversations:
        keep = [k.lower() for k in conversation["keep"]]
        found = list(dict.fromkeys(f for m in conversation["messages"] for f in extractor(m)))
        for fact in found:
            if any(k in fact.lower() for k in keep):
                result.kept += 1
            else:
                result.junk.append(fact)
        result.expected += len(keep)
        result.missed += [k for k in keep if not any(k in f.lower() for f in found)]
    return result
