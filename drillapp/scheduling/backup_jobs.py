"""The scheduled automatic backup (SQLite): a job in the app's scheduler that only calls its listeners.

The scheduler keeps its jobs in memory (see reminder_jobs), so the next backup is reckoned from the newest
automatic backup at each start: an app restarted every morning still makes its daily copy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

JOB_ID = "backup:auto"
#: With no automatic backup yet, the first one comes this long after start.
FIRST_DELAY = timedelta(minutes=10)
_listeners: list[Callable[[], None]] = []


def run_auto_backup() -> None:
    """Job function (module level, as APScheduler stores a reference to it)."""
    for listener in list(_listeners):
        listener()


def set_listener(listener: Callable[[], None] | None) -> None:
    _listeners.clear()
    if listener is not None:
        _listeners.append(listener)


def next_run(every_hours: float, last: datetime | None, now: datetime) -> datetime:
    """When the next backup is due: `every_hours` after the last one (aware UTC), at the earliest now."""
    if last is None:
        return now + FIRST_DELAY
    return max(now, last + timedelta(hours=every_hours))


def ensure_job(scheduler: Any, every_hours: float, last: datetime | None = None, now: datetime | None = None) -> None:
    start = next_run(every_hours, last, now or datetime.now(UTC))
    scheduler.add_job(run_auto_backup, "interval", hours=every_hours, id=JOB_ID, replace_existing=True,
                      next_run_time=start)


def remove_job(scheduler: Any) -> None:
    if scheduler.get_job(JOB_ID) is not None:
        scheduler.remove_job(JOB_ID)
