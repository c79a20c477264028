"""Which archives to keep: the newest of each of the last N days, weeks and months that have
one (7 daily, 4 weekly, 12 monthly by default), as borg and restic prune.

Retention is for the scheduled backups only: it counts and removes the archives the daily
backup made (their names end in ``-scheduled``) and nothing else. A manual archive (``assistant
backup create``) neither counts toward the policy nor is ever removed by it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime

from assistant.backup.manifest import archive_order, is_scheduled
from assistant.backup.settings import BackupSettings


def kept(names: Iterable[str], now: datetime, policy: BackupSettings) -> set[str]:
    """The scheduled archive names to keep out of ``names`` at ``now``; names that are not
    scheduled archives are never returned (nor ever deleted by callers: they remove only
    what :func:`expired` names)."""
    ordered = sorted(
        (
            (order, name)
            for name in names
            if is_scheduled(name) and (order := archive_order(name)) is not None
        ),
        reverse=True,
    )
    if not ordered:
        return set()
    dated = [(order[0], name) for order, name in ordered]
    keep = {dated[0][1]}  # the newest, whatever the policy
    keep |= {name for when, name in dated if when > now}  # from a clock ahead of this one
    periods: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (policy.keep_daily, lambda when: when.date()),
        (policy.keep_weekly, lambda when: when.isocalendar()[:2]),
        (policy.keep_monthly, lambda when: (when.year, when.month)),
    ]
    for count, period in periods:
        seen: set[Hashable] = set()
        for when, name in dated:
            if len(seen) >= count:
                break
            key = period(when)
            if key not in seen:
                seen.add(key)
                keep.add(name)
    return keep


def expired(names: Iterable[str], now: datetime, policy: BackupSettings) -> list[str]:
    """The scheduled archive names that retention removes at ``now``, oldest first (never
    a manual archive)."""
    names = list(names)
    keep = kept(names, now, policy)
    gone = [n for n in names if is_scheduled(n) and n not in keep]
    return sorted(gone, key=lambda n: archive_order(n) or (now, 0))
