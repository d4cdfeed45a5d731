"""Reminders: generated once from the data, claimed (shown) once, addressed to the right people, and
delivered by the ReminderDesk on real APScheduler schedulers sharing one database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import audit_trail, builders, databases
from helpers.reminder_desks import DeskFactory, ShownLog, wait_until
from sqlalchemy import select

from drillapp import i18n
from drillapp.clock import utcnow
from drillapp.db import Database
from drillapp.models import Reminder
from drillapp.models.enums import Agency, ReminderKind, ReminderStatus, Role
from drillapp.scheduling import reminder_jobs
from drillapp.services.errors import DomainError
from drillapp.services.reminders import ReminderRow, ReminderService

# -- generation and claiming, on a clock that stands still ------------------------------------------------


@pytest.fixture
def due_world(services, clock):
    """A plan due for review in 20 days and a first-aid certificate expiring in 26 (both reminders are due
    now: 30 days' notice), a plan due in 35 days (its reminder falls due in 5 days), and data that calls
    for no reminder yet."""
    today = clock.now.date()
    port = builders.port_with_branches(services)
    services.team.create_skill("first_aid", "急救", certificate_required=True)
    soon = builders.approved_plan(services, port, "QH-01", review_due_on=today + timedelta(days=20))
    later = builders.approved_plan(services, port, "QH-02", review_due_on=today + timedelta(days=35))
    builders.approved_plan(services, port, "QH-03", review_due_on=today + timedelta(days=200))
    builders.draft_plan(services, port, "QH-04")
    member_id = builders.member(services, port, "刘洋", Agency.QUARANTINE)
    services.team.set_member_skill(member_id, "first_aid", expires_on=today + timedelta(days=26), expected_version=builders.member_skill_version(services.team, member_id, "first_aid"))
    other = builders.member(services, port, "陈杰")
    services.team.set_member_skill(other, "first_aid", expires_on=today + timedelta(days=300), expected_version=builders.member_skill_version(services.team, other, "first_aid"))
    return {"soon": soon, "later": later, "member": member_id}


def test_eight_workstations_refreshing_at_once_are_quiet_and_create_each_reminder_once(services, due_world):
    """Every desk reads what exists before any of them inserts (held at a barrier on its first INSERT), so
    all eight try to create the same three reminders: each must end quietly, with each reminder made once."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import event

    desks = [Database.open(services.db.url) for _ in range(8)]
    all_read = threading.Barrier(len(desks), timeout=60)
    held = threading.local()

    def hold_first_insert(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith("INSERT INTO REMINDER") and not getattr(held, "done", False):
            held.done = True
            all_read.wait()

    for desk in desks:
        event.listen(desk.engine, "before_cursor_execute", hold_first_insert)

    def refresh(desk: Database) -> int:
        return ReminderService(desk, services.actor, services.clock).refresh()

    try:
        with ThreadPoolExecutor(len(desks)) as pool:
            created = list(pool.map(refresh, desks))  # a DomainError ("conflicts with existing data") fails here
    finally:
        for desk in desks:
            desk.dispose()

    assert sum(created) == 3
    keys = [r.dedupe_key for r in _reminders(services.db)]
    assert len(keys) == len(set(keys)) == 3
    inserts = audit_trail.entries(services.db, entity="reminder", action="insert")
    assert sorted(e["entity_id"] for e in inserts) == sorted(r.id for r in _reminders(services.db))


def _reminders(db) -> list[Reminder]:
    with db.session() as s:
        return list(s.scalars(select(Reminder).order_by(Reminder.id)))


def _by_entity(db, entity: str, entity_id: int) -> int:
    [rid] = [r.id for r in _reminders(db) if (r.entity, r.entity_id) == (entity, entity_id)]
    return rid


def test_refresh_creates_plan_review_and_certificate_reminders_once(services, due_world):
    assert services.reminders.refresh() == 3
    counts = databases.row_counts(services.db)

    assert services.reminders.refresh() == 0

    assert databases.row_counts(services.db) == counts
    rows = {(r.kind, r.entity, r.entity_id): r for r in _reminders(services.db)}
    assert set(rows) == {
        (ReminderKind.PLAN_REVIEW, "plan_version", due_world["soon"].version_id),
        (ReminderKind.PLAN_REVIEW, "plan_version", due_world["later"].version_id),
        (ReminderKind.CERTIFICATE_EXPIRY, "member", due_world["member"]),
    }
    review = rows[(ReminderKind.PLAN_REVIEW, "plan_version", due_world["soon"].version_id)]
    review_due = services.clock().date() + timedelta(days=20)
    assert (review.role, review.due_at, review.status, review.fired_at) == (
        Role.COORDINATOR, datetime.combine(review_due - timedelta(days=30), datetime.min.time()),
        ReminderStatus.PENDING, None,
    )
    assert review.title == "旅检大厅暴力恐怖袭击事件联合处置预案", "the subject is stored, not a sentence in one language"
    shown = ReminderRow.of(review)
    assert shown.heading == "Plan due for review: 旅检大厅暴力恐怖袭击事件联合处置预案"
    assert shown.detail == f"Due for review on {review_due.isoformat()}."
    i18n.set_language("zh_CN")
    try:
        assert shown.heading != "Plan due for review: 旅检大厅暴力恐怖袭击事件联合处置预案", "worded when shown"
        assert "旅检大厅暴力恐怖袭击事件联合处置预案" in shown.heading
    finally:
        i18n.set_language("en")
    assert review.dedupe_key == f"plan_review:{due_world['soon'].version_id}:{review_due.isoformat()}"
    certificate = rows[(ReminderKind.CERTIFICATE_EXPIRY, "member", due_world["member"])]
    assert certificate.role is Role.TEAM_LEAD
    assert "刘洋" in certificate.title and "急救" in certificate.title
    expiring = ReminderRow.of(certificate)
    assert expiring.heading == "Certificate expiring: 刘洋, 急救"
    i18n.set_language("zh_CN")
    try:  # Chinese punctuation in Chinese text, not the stored ASCII comma
        assert expiring.heading == "证书即将到期：刘洋（急救）"
        assert "," not in expiring.heading + expiring.detail
    finally:
        i18n.set_language("en")


def test_claim_returns_a_due_reminder_once(services, due_world, clock):
    services.reminders.refresh()
    rid = _by_entity(services.db, "plan_version", due_world["soon"].version_id)

    row = services.reminders.claim(rid)
    again = services.reminders.claim(rid)

    assert row is not None and (row.id, row.fired_at, row.kind) == (rid, clock.now, ReminderKind.PLAN_REVIEW)
    assert again is None
    assert [e["after"] for e in audit_trail.entries(services.db, entity="reminder", entity_id=rid, action="note")] == [
        {"note": "shown"}
    ]
    assert rid not in services.reminders.due_unfired()


def test_a_reminder_not_yet_due_is_not_claimed(services, due_world, clock):
    services.reminders.refresh()
    rid = _by_entity(services.db, "plan_version", due_world["later"].version_id)

    assert services.reminders.claim(rid) is None
    assert rid not in services.reminders.due_unfired()
    assert rid in dict(services.reminders.unfired())

    clock.advance(days=5)
    assert rid in services.reminders.due_unfired()
    assert services.reminders.claim(rid) is not None


def test_a_reminder_for_another_role_is_not_claimed(services, due_world):
    services.reminders.refresh()
    review = _by_entity(services.db, "plan_version", due_world["soon"].version_id)
    certificate = _by_entity(services.db, "member", due_world["member"])
    viewer = builders.services_as(services, builders.actor(services, Role.VIEWER))
    coordinator = builders.services_as(services, builders.actor(services, Role.COORDINATOR))
    team_lead = builders.services_as(services, builders.actor(services, Role.TEAM_LEAD))

    assert viewer.reminders.claim(review) is None
    assert viewer.reminders.unfired() == [] and viewer.reminders.open_for_me() == []
    assert coordinator.reminders.claim(certificate) is None
    assert [r.id for r in coordinator.reminders.open_for_me()] == [review]

    assert coordinator.reminders.claim(review) is not None
    assert team_lead.reminders.claim(certificate) is not None


def test_a_reminder_for_one_user_reaches_only_that_user(services):
    coordinators = [builders.actor(services, Role.COORDINATOR, name) for name in ("zhang", "li")]
    rid = services.reminders.create(
        ReminderKind.GENERAL, "给张科长", services.clock(), user_id=coordinators[0].user_id, role=Role.COORDINATOR
    )
    zhang, li = (builders.services_as(services, c) for c in coordinators)

    assert li.reminders.claim(rid) is None
    assert zhang.reminders.claim(rid) is not None


def test_close_a_reminder(services, clock):
    first = services.reminders.create(ReminderKind.GENERAL, "检查应急物资", clock.now - timedelta(hours=1))
    second = services.reminders.create(ReminderKind.GENERAL, "更新联系人", clock.now - timedelta(hours=2))
    clock.advance(minutes=5)

    services.reminders.close(first)
    services.reminders.close(second, ReminderStatus.DISMISSED)
    services.reminders.close(first, ReminderStatus.DISMISSED)  # already closed: nothing changes

    states = {r.id: (r.status, r.closed_at) for r in _reminders(services.db)}
    assert states == {first: (ReminderStatus.DONE, clock.now), second: (ReminderStatus.DISMISSED, clock.now)}
    assert services.reminders.open_for_me() == [] and services.reminders.unfired() == []
    assert services.reminders.claim(first) is None
    with pytest.raises(DomainError, match="done or dismissed"):
        services.reminders.close(first, ReminderStatus.PENDING)


def test_open_reminders_newest_due_first(services, clock):
    older = services.reminders.create(ReminderKind.GENERAL, "旧", clock.now - timedelta(days=2))
    newer = services.reminders.create(ReminderKind.GENERAL, "新", clock.now - timedelta(hours=1))
    services.reminders.create(ReminderKind.GENERAL, "未到期", clock.now + timedelta(hours=1))

    assert [r.id for r in services.reminders.open_for_me()] == [newer, older]


# -- the desk: real schedulers, real time -----------------------------------------------------------------


@pytest.fixture
def desks():
    factory = DeskFactory()
    yield factory
    factory.stop_all()


def _create(db, actor, title: str, due_in: timedelta, **kwargs) -> int:
    """A reminder due relative to the real clock (the desk runs on real time)."""
    return ReminderService(db, actor).create(ReminderKind.GENERAL, title, utcnow() + due_in, **kwargs)


def _reminder_jobs(desks: DeskFactory) -> set[str]:
    """The reminder jobs of every running desk (each keeps its jobs in its scheduler's memory)."""
    return {i for i in desks.job_ids() if i.startswith(reminder_jobs.JOB_PREFIX)}


def test_a_reminder_missed_while_closed_is_shown_once_and_never_again(db, admin, desks):
    rid = _create(db, admin, "昨天就该提醒", -timedelta(days=1))
    shown = ShownLog()

    desks.start(db, admin, shown)
    assert wait_until(lambda: shown.counts[rid] == 1)
    assert wait_until(lambda: _reminder_jobs(desks) == set())  # its job ran too, and found it already shown
    desks.stop_all()

    shown_again = ShownLog()
    desks.start(db, admin, shown_again)
    assert not wait_until(lambda: shown_again.rows != [], timeout=0.5)
    assert shown.counts == {rid: 1}


def test_a_reminder_falling_due_while_running_is_shown_once(db, admin, desks):
    rid = _create(db, admin, "一秒后提醒", timedelta(seconds=1))
    shown = ShownLog()

    desk = desks.start(db, admin, shown)
    assert _reminder_jobs(desks) == {reminder_jobs.job_id(rid)}
    assert shown.rows == []

    assert wait_until(lambda: shown.counts[rid] >= 1, timeout=10)
    assert wait_until(lambda: _reminder_jobs(desks) == set())
    assert shown.counts == {rid: 1}
    assert desk.scheduler.running


def test_a_desk_keeps_its_jobs_in_memory_and_creates_nothing_in_the_database(db, admin, desks):
    """The workstations' database role may not create tables, and a job table shared through the database
    would let anyone who can write it run code on every desk (APScheduler unpickles its jobs)."""
    rid = _create(db, admin, "一小时后", timedelta(hours=1))
    tables, counts = databases.table_names(db), databases.row_counts(db)

    desk = desks.start(db, admin, ShownLog())

    assert _reminder_jobs(desks) == {reminder_jobs.job_id(rid)}
    assert desk.scheduler.get_job(reminder_jobs.REFRESH_JOB_ID) is not None
    assert databases.table_names(db) == tables
    assert databases.row_counts(db) == counts
    desks.stop_all()

    again = desks.start(db, admin, ShownLog())  # the next start rebuilds the jobs from the reminders
    assert again.scheduler.get_job(reminder_jobs.job_id(rid)) is not None


def test_sync_rebuilds_the_jobs_from_the_reminders(db, admin, desks):
    ids = [_create(db, admin, f"一小时后 {i}", timedelta(hours=1, minutes=i)) for i in range(3)]
    desk = desks.start(db, admin, ShownLog())
    wanted = {reminder_jobs.job_id(i) for i in ids}
    assert _reminder_jobs(desks) == wanted

    desk.scheduler.remove_job(reminder_jobs.job_id(ids[0]))  # the job store lost one job ...
    desk.scheduler.add_job(  # ... holds one for a reminder that does not exist ...
        reminder_jobs.fire_reminder, "date", run_date=utcnow() + timedelta(hours=2), args=[999],
        id=reminder_jobs.job_id(999),
    )
    desk.scheduler.modify_job(reminder_jobs.job_id(ids[1]), next_run_time=utcnow() + timedelta(days=3))  # ... and one is late

    assert desk.sync() == (2, 1)

    assert _reminder_jobs(desks) == wanted
    due = dict(desk.service.unfired())
    for rid in ids:
        job = desk.scheduler.get_job(reminder_jobs.job_id(rid))
        assert job.next_run_time.replace(tzinfo=None) == due[rid]
    assert desk.scheduler.get_job(reminder_jobs.REFRESH_JOB_ID) is not None
    assert desk.sync() == (0, 0)


def test_two_desks_on_one_database_show_each_reminder_once_in_total(db, admin, desks, tmp_path):
    second_workstation = Database.open(db.url)  # the same database, its own engine
    try:
        missed = [_create(db, admin, f"错过的 {i}", -timedelta(minutes=10 + i)) for i in range(2)]
        coming = [_create(db, admin, f"马上到 {i}", timedelta(seconds=1)) for i in range(2)]
        shown = ShownLog()

        first = desks.start(db, admin, shown)
        second = desks.start(second_workstation, admin, shown)

        everything = set(missed + coming)
        assert wait_until(lambda: set(shown.counts) == everything, timeout=10)
        assert wait_until(lambda: _reminder_jobs(desks) == set(), timeout=5)
        assert shown.counts == {rid: 1 for rid in everything}
        # Both schedulers ran the same due jobs; the second to remove a job must not die of it (APScheduler's
        # loop thread ends on JobLookupError, and that workstation shows no reminder any more).
        assert first.scheduler.running and second.scheduler.running
        threads = [d.scheduler._thread for d in (first, second)]  # private, but the only way to see it
        assert all(t.is_alive() for t in threads), "a scheduler thread died (JobLookupError)"
    finally:
        desks.stop_all()
        second_workstation.dispose()


def test_a_viewers_desk_does_not_drop_the_coordinators_reminders(db, admin, services, desks, tmp_path):
    """Two workstations share the job table; each must keep the jobs of reminders it does not show."""
    coordinator = builders.actor(services, Role.COORDINATOR, "coordinator")
    viewer = builders.actor(services, Role.VIEWER, "viewer")
    rid = _create(db, admin, "评审预案", timedelta(seconds=1.5), role=Role.COORDINATOR)
    viewer_db = Database.open(db.url)
    try:
        coordinator_saw = ShownLog()
        desks.start(db, coordinator, coordinator_saw)
        desks.start(viewer_db, viewer, ShownLog())

        assert wait_until(lambda: coordinator_saw.counts[rid] == 1, timeout=4), (
            "the coordinator's reminder was never shown: the viewer's desk removed its job"
        )
    finally:
        desks.stop_all()
        viewer_db.dispose()


def test_desk_start_generates_reminders_from_the_data(services, db, admin, desks):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port, review_due_on=utcnow().date() + timedelta(days=10))
    shown = ShownLog()

    desks.start(db, admin, shown)

    assert wait_until(lambda: len(shown.rows) == 1)
    # Let the scheduler run the (already shown) reminder's job before the desk stops: APScheduler 3 itself
    # crashes its thread when shut down in the middle of running a job (see the report).
    assert wait_until(lambda: _reminder_jobs(desks) == set())
    [row] = shown.rows
    assert (row.kind, row.entity, row.entity_id) == (ReminderKind.PLAN_REVIEW, "plan_version", plan.version_id)


def test_a_prepared_start_touches_only_the_scheduler(services, db, admin):
    """The desktop's desk reads and claims on a worker (`prepare`) and starts the scheduler on the GUI thread
    with what was read: that start never calls the database."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from drillapp.scheduling.reminder_desk import ReminderDesk

    reminders = ReminderService(db, admin, services.clock)
    now = services.clock()
    missed = reminders.create(ReminderKind.GENERAL, "missed <while> closed & gone", now - timedelta(hours=1))
    later = reminders.create(ReminderKind.GENERAL, "later", now + timedelta(days=1))
    shown: list[int] = []
    desk = ReminderDesk(reminders, BackgroundScheduler(), lambda row: shown.append(row.id))
    prepared = desk.prepare(refresh=False)
    assert [r.id for r in prepared.due] == [missed]

    class NoDatabase:
        def __getattr__(self, name: str) -> None:
            raise AssertionError(f"the scheduler's thread asked the database: {name}")

    desk.service = NoDatabase()  # type: ignore[assignment]
    try:
        desk.start(prepared=prepared)
        assert shown == [missed]
        assert desk.scheduler.get_job(reminder_jobs.job_id(later)) is not None
    finally:
        desk.stop()
