"""Sealing the audit trail in the background: a job in the app's scheduler that only calls its listener.

It runs a moment after start and then every few minutes (the job runs on the scheduler's worker thread,
never the GUI's). A new entry is thus sealed within SEAL_MINUTES while a desk runs; `drillapp audit
verify` seals too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

JOB_ID = "audit:seal"
SEAL_MINUTES = 5
FIRST_RUN_SECONDS = 20  # after start, once the dashboard is in
_listeners: list[Callable[[], None]] = []


def run_seal() -> None:
    """Job function (module level, as APScheduler stores a reference to it)."""
    for listener in list(_listeners):
        listener()


def set_listener(listener: Callable[[], None] | None) -> None:
    _listeners.clear()
    if listener is not None:
        _listeners.append(listener)


def ensure_job(scheduler: Any, every_minutes: float = SEAL_MINUTES, now: datetime | None = None) -> None:
    first = (now or datetime.now(UTC)) + timedelta(seconds=FIRST_RUN_SECONDS)
    scheduler.add_job(run_seal, "interval", minutes=every_minutes, id=JOB_ID, replace_existing=True,
                      next_run_time=first)
