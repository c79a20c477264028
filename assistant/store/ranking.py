"""Re-ranking of hybrid candidates: composite score, then MMR. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.memory_types import ScoreBreakdown
from assistant.settings import RetrievalSettings
from assistant.store.base import Candidate
from assistant.store.usage import Usage

_DAY = 86_400.0


@dataclass(frozen=True)
class Scored:
    """A candidate with its score breakdown."""

    candidate: Candidate
    breakdown: ScoreBreakdown


def score(
    candidates: Sequence[Candidate],
    usage: Mapping[str, Usage],
    now: float,
    weights: RetrievalSettings,
    *,
    about_time: bool = False,
) -> list[Scored]:
    """Score every candidate relevant enough to keep, best first.

    Relevance enters the total relative to the best candidate's, so recency, importance and
    use re-order memories that are about equally relevant but never lift a weak match over a
    clear one; candidates far less relevant than the best are dropped. Recency weighs
    ``weight_recency_time`` when the question is ``about_time`` (recent things, a day),
    otherwise only ``weight_recency``, a tie-breaker.
    """
    weight_recency = weights.weight_recency_time if about_time else weights.weight_recency
    relevances = [
        weights.semantic_share * c.semantic + (1 - weights.semantic_share) * c.lexical
        for c in candidates
    ]
    best = max(relevances, default=0.0)
    floor = max(weights.min_relevance, weights.relative_floor * best)
    scored = []
    for c, relevance in zip(candidates, relevances, strict=True):
        if relevance < floor:
            continue
        stats = usage.get(c.id, Usage())
        created = c.created
        age_days = max(now - created, 0.0) / _DAY
        recency = 0.5 ** (age_days / weights.recency_half_life_days)
        # Importance fades from when it was last set (written, or decayed by consolidation,
        # which stores the faded value) or used: counting from creation would fade it twice.
        last_touch = max(created, c.updated, stats.last_access or 0.0)
        idle_days = max(now - last_touch, 0.0) / _DAY
        importance = (c.importance / 10.0) * 0.5 ** (idle_days / weights.importance_half_life_days)
        if c.important:  # marked important: never decays
            importance = c.importance / 10.0
        reinforcement = min(
            math.log1p(stats.access_count) / math.log1p(weights.reinforcement_saturation), 1.0
        )
        flag = 1.0 if c.important else 0.0
        total = (
            weights.weight_relevance * relevance / best
            + weight_recency * recency
            + weights.weight_importance * importance
            + weights.weight_reinforcement * reinforcement
            + weights.weight_flag * flag
        )
        breakdown = ScoreBreakdown(
            semantic=c.semantic,
            lexical=c.lexical,
            relevance=relevance,
            relative=relevance / best,
            recency=recency,
            importance=importance,
            reinforcement=reinforcement,
            flag=flag,
            total=total,
        )
        scored.append(Scored(c, breakdown))
    scored.sort(key=lambda s: s.breakdown.total, reverse=True)
    return scored


def mmr(scored: Sequence[Scored], k: int, lam: float, floor: float = 0.85) -> list[Scored]:
    """Pick ``k`` results trading score against similarity to those already picked.

    ``lam`` = 1 keeps the score order; lower values push near-duplicates down. Only a
    near-duplicate of a picked result (similarity ``floor`` or more) is redundant, by its
    similarity; anything less similar, such as another fact about the same person or a
    second turn of one conversation, counts as no redundancy at all.
    """
    if lam >= 1.0 or len(scored) <= 1:
        return list(scored[:k])
    pool = list(scored[: max(3 * k, 20)])  # results come from near the top of the ranking
    vectors = np.stack([s.candidate.vector for s in pool])
    totals = np.array([s.breakdown.total for s in pool])
    chosen: list[int] = []
    max_sim = np.full(len(pool), -np.inf)
    while len(chosen) < min(k, len(pool)):
        redundancy = np.where(np.isfinite(max_sim), max_sim, 0.0)
        value = lam * totals - (1 - lam) * redundancy
        value[chosen] = -np.inf
        pick = int(np.argmax(value))
        chosen.append(pick)
        similarity = vectors @ vectors[pick]
        similarity = np.where(similarity >= floor, similarity, 0.0)
        max_sim = np.maximum(max_sim, similarity)
    return [pool[i] for i in chosen]
