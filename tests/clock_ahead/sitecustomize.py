"""Moves the clock ``TEST_CLOCK_DAYS_AHEAD`` days ahead in every Python process a test starts.

``pytest --days-ahead N`` puts this folder on ``PYTHONPATH``, so the CLI processes that tests
spawn read the same shifted clock as the test process itself.
"""

import os

_days = os.environ.get("TEST_CLOCK_DAYS_AHEAD")
if _days:
    from datetime import UTC, datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(days=float(_days)), tick=True).start()
