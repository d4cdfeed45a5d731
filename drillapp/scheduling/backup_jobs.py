"""The scheduled automatic backup (SQLite): a job in the app's scheduler that only calls its listeners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JOB_ID = "backup:auto"
_listeners: list[Callable[[], None]] = []


def run_auto_backup() -> None:
    """Job function (module level, as APScheduler stores a reference to it)."""
    for listener in list(_listeners):
        listener()


def set_listener(listener: Callable[[], None] | None) -> None:
    _listeners.clear()
    if listener is not None:
        _listeners.append(listener)


def ensure_job(scheduler: Any, every_hours: float) -> None:
    scheduler.add_job(run_auto_backup, "interval", hours=every_hours, id=JOB_ID, replace_existing=True)


def remove_job(scheduler: Any) -> None:
    if scheduler.get_job(JOB_ID) is not None:
        scheduler.remove_job(JOB_ID)
