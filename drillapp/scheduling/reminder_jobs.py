"""APScheduler wiring for reminders, kept thin and free of Qt.

One date job per unshown reminder, with the id `reminder:<id>`, plus a daily `reminders:refresh`. The jobs
live in the scheduler's memory, not in the database: the reminders table is the truth, and `sync_jobs`
rebuilds the jobs from it at every start (and after each refresh), while the start-up sweep shows what
fell due while the app was closed. So nothing of the scheduler's is in the shared database: no table
created at run time (the workstations' role has no right to create one), no table per workstation
(APScheduler 3 cannot share one job store between schedulers: each would run and remove the others'
jobs), and no pickled job that another workstation would load and run (APScheduler's SQLAlchemyJobStore
unpickles what it reads, so anyone who may write that table could run code on every desk). Each reminder
is still shown once in all, by the database claim. The job functions live at module level and only hand
the id to whoever listens; the GUI's listener turns that into a signal for the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

JOB_PREFIX = "reminder:"
REFRESH_JOB_ID = "reminders:refresh"

_fire_listeners: list[Callable[[int], None]] = []
_refresh_listeners: list[Callable[[], None]] = []


def fire_reminder(reminder_id: int) -> None:
    """Job function: a reminder's time has come."""
    for listener in list(_fire_listeners):
        listener(reminder_id)


def refresh_reminders() -> None:
    """Job function: generate new reminders from the data (daily)."""
    for listener in list(_refresh_listeners):
        listener()


def add_listeners(on_fire: Callable[[int], None], on_refresh: Callable[[], None]) -> None:
    _fire_listeners.append(on_fire)
    _refresh_listeners.append(on_refresh)


def remove_listeners(on_fire: Callable[[int], None], on_refresh: Callable[[], None]) -> None:
    if on_fire in _fire_listeners:
        _fire_listeners.remove(on_fire)
    if on_refresh in _refresh_listeners:
        _refresh_listeners.remove(on_refresh)


def job_id(reminder_id: int) -> str:
    return f"{JOB_PREFIX}{reminder_id}"


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def configure(scheduler: Any) -> None:
    """Give a (not yet started) APScheduler scheduler an in-memory job store and the app's defaults."""
    from apscheduler.jobstores.memory import MemoryJobStore

    scheduler.configure(
        jobstores={"default": MemoryJobStore()},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=UTC,
    )


def ensure_refresh_job(scheduler: Any, hour_utc: int = 0) -> None:
    scheduler.add_job(
        refresh_reminders, "cron", hour=hour_utc, minute=5, id=REFRESH_JOB_ID, replace_existing=True
    )


def sync_jobs(scheduler: Any, unfired: Iterable[tuple[int, datetime]]) -> tuple[int, int]:
    """Make the job store hold exactly one job per unfired reminder, at its due time; (added, removed)."""
    wanted = {job_id(rid): (rid, _aware(due)) for rid, due in unfired}
    added = removed = 0
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            job.remove()
            removed += 1
    for jid, (rid, due) in wanted.items():
        job = scheduler.get_job(jid)
        if job is not None and job.next_run_time == due:
            continue
        scheduler.add_job(fire_reminder, "date", run_date=due, args=[rid], id=jid, replace_existing=True)
        added += 1
    return added, removed
