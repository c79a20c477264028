"""Consolidation ("sleep"): merge duplicates, settle contradictions, let stale memories fade,
learn habits, compact old episodes and look after the indexes, while the user is idle."""

from assistant.consolidation.runner import Consolidator, RunReport, summary_line
from assistant.consolidation.scheduler import IdleScheduler, consolidate_when_idle

__all__ = ["Consolidator", "IdleScheduler", "RunReport", "consolidate_when_idle", "summary_line"]
