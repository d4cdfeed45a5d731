"""The app's own scheduled jobs besides reminders: the automatic backup and the audit trail's sealing. The
scheduler keeps them in memory, so each start schedules them again from what the data says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from drillapp.scheduling import backup_jobs, reminder_jobs, seal_jobs

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def scheduler():
    sched = BackgroundScheduler()
    reminder_jobs.configure(sched)
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)


def test_the_next_automatic_backup_is_reckoned_from_the_newest_one():
    assert backup_jobs.next_run(24, None, NOW) == NOW + backup_jobs.FIRST_DELAY
    assert backup_jobs.next_run(24, NOW - timedelta(hours=2), NOW) == NOW + timedelta(hours=22)
    assert backup_jobs.next_run(24, NOW - timedelta(hours=30), NOW) == NOW, "overdue: at once"


def test_an_app_restarted_every_morning_still_backs_up_daily(scheduler):
    backup_jobs.ensure_job(scheduler, 24, last=NOW - timedelta(hours=23), now=NOW)

    assert scheduler.get_job(backup_jobs.JOB_ID).next_run_time == NOW + timedelta(hours=1)


def test_sealing_is_scheduled_soon_after_start_and_then_every_few_minutes(scheduler):
    calls: list[str] = []
    seal_jobs.set_listener(lambda: calls.append("seal"))
    try:
        seal_jobs.ensure_job(scheduler, now=NOW)

        job = scheduler.get_job(seal_jobs.JOB_ID)
        assert job.next_run_time == NOW + timedelta(seconds=seal_jobs.FIRST_RUN_SECONDS)
        assert job.trigger.interval == timedelta(minutes=seal_jobs.SEAL_MINUTES)
        seal_jobs.run_seal()
        assert calls == ["seal"]
    finally:
        seal_jobs.set_listener(None)
