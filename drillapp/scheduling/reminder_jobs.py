"""APScheduler wiring for reminders, kept thin and free of Qt.

Jobs are persisted in the app's own database (SQLAlchemyJobStore), one job per unshown reminder with
the id `reminder:<id>`, plus a daily `reminders:refresh`. Each workstation (host and user) keeps its
jobs in a table of its own, `apscheduler_jobs_<hash>`: APScheduler 3 does not support several
schedulers on one job store (each would run and remove the others' jobs), while the reminders
themselves are shared and shown once thanks to the database claim. The job functions
live at module level (APScheduler stores a reference to them) and only hand the id to whoever listens;
the GUI's listener turns that into a signal for the GUI thread. The database, not the job store, is the
truth: `sync_jobs` rebuilds the jobs from the reminders whenever the two disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

JOB_PREFIX = "reminder:"
REFRESH_JOB_ID = "reminders:refresh"
JOBSTORE_PREFIX = "apscheduler_jobs"

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


def workstation_id(username: str) -> str:
    import socket

    return f"{socket.gethostname()}/{username}"


def jobstore_table(workstation: str) -> str:
    """The job table of one workstation (a short hash keeps the name portable and under 63 characters)."""
    import hashlib

    return f"{JOBSTORE_PREFIX}_{hashlib.sha1(workstation.encode()).hexdigest()[:12]}"


def make_jobstore(engine: Any, workstation: str) -> Any:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    return SQLAlchemyJobStore(engine=engine, tablename=jobstore_table(workstation))


def configure(scheduler: Any, engine: Any, workstation: str) -> None:
    """Give a (not yet started) APScheduler scheduler this workstation's job store and defaults."""
    scheduler.configure(
        jobstores={"default": make_jobstore(engine, workstation)},
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
