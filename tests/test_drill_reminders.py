"""Drill reminders on the reminder machinery: made at the port's leads (a setting in the database), "drill
starts now" for the owner, the linked controller and the duty officers, coverage cells falling due for the
coordinators; each shown exactly once across scheduler restarts (the clock held by the test), and moved
when the drill is postponed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from helpers import builders
from helpers.reminder_desks import ShownLog
from sqlalchemy import select

from drillapp.models import ContingencyPlan, Drill, Reminder
from drillapp.models.enums import ReminderKind, ReminderStatus, Role
from drillapp.scheduling.reminder_desk import ReminderDesk
from drillapp.services.reminders import ReminderService


@pytest.fixture
def world(services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    sv = builders.on_port(services, port)
    drill = builders.drill(sv, port, plan, starts_in=timedelta(days=2))
    return {"port": port, "plan": plan, "sv": sv, "drill": drill}


def _drill_reminders(db) -> list[Reminder]:
    with db.session() as s:
        return list(s.scalars(select(Reminder).where(Reminder.kind == ReminderKind.DRILL).order_by(Reminder.due_at,
                                                                                                  Reminder.id)))


def test_reminders_at_the_ports_leads_and_starts_now(world, clock):
    sv = world["sv"]
    start = clock.now + timedelta(days=2)
    sv.reminders.refresh()
    sv.reminders.refresh()

    rows = _drill_reminders(sv.db)
    assert sorted(((r.due_at, r.user_id, r.role) for r in rows), key=lambda x: (x[0], x[1] or 0)) == [
        (start - timedelta(days=7), sv.actor.user_id, None), (start - timedelta(days=1), sv.actor.user_id, None),
        (start - timedelta(hours=1), sv.actor.user_id, None), (start, None, Role.DUTY_OFFICER),
        (start, sv.actor.user_id, None)]
    assert len({r.dedupe_key for r in rows}) == 5

    assert sv.port_settings.set_reminder_leads([30, 180], expected_version=builders.port_setting_version(sv.port_settings, )) == (180, 30)
    other = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=3))
    dues = sorted(r.due_at for r in _drill_reminders(sv.db) if r.entity_id == other)
    begins = clock.now + timedelta(days=3)
    assert dues == [begins - timedelta(minutes=180), begins - timedelta(minutes=30), begins, begins]


def test_each_drill_reminder_is_shown_once_across_restarts(world, clock, admin):
    sv = world["sv"]
    shown = ShownLog()
    sv.coverage.set_interval(world["plan"].plan_id, 36, expected_version=sv.coverage.version_of(ContingencyPlan, world["plan"].plan_id))  # (no coverage cell falls due in these days)

    def start_and_stop() -> None:
        desk = ReminderDesk(ReminderService(sv.db, admin, clock), BackgroundScheduler(), shown)
        try:
            desk.start()
        finally:
            desk.stop()

    start_and_stop()  # the 7-day reminder is already due: shown by the start-up sweep
    assert [r.detail for r in shown.rows] and len(shown.rows) == 1
    start_and_stop()  # a restart shows nothing again
    assert len(shown.rows) == 1

    clock.advance(days=1, minutes=1)
    start_and_stop()
    assert len(shown.rows) == 2
    clock.advance(days=1)
    start_and_stop()  # one hour before, and "starts now" to the owner and to the duty officers
    start_and_stop()
    assert len(shown.rows) == 5
    assert sorted(shown.counts.values()) == [1] * 5
    assert all(r.heading.startswith("Drill: ") for r in shown.rows)


def test_postponing_moves_the_pending_reminders(world, clock):
    sv = world["sv"]
    sv.reminders.refresh()
    old = {r.id for r in _drill_reminders(sv.db)}
    sv.drills.move_drill(world["drill"], clock.now + timedelta(days=10), postpone=True, reason="暴雪", expected_version=sv.drills.version_of(Drill, world["drill"]))
    sv.reminders.refresh()

    rows = {r.id: r for r in _drill_reminders(sv.db)}
    assert all(rows[i].status is ReminderStatus.DISMISSED for i in old)
    pending = [r for r in rows.values() if r.status is ReminderStatus.PENDING]
    new_start = (clock.now + timedelta(days=10)).isoformat(timespec="minutes")
    assert pending and all(new_start in r.dedupe_key for r in pending)
    assert min(r.due_at for r in pending) == clock.now + timedelta(days=3)


def test_coverage_cells_falling_due_remind_the_coordinators(world, clock, services):
    sv = world["sv"]
    sv.drills.cancel_drill(world["drill"], expected_version=sv.drills.version_of(Drill, world["drill"]))
    # a completed drill a year ago less three weeks: its cells fall due in three weeks
    past = builders.drill(sv, world["port"], world["plan"], starts_in=-timedelta(days=365 - 21), level=2)
    from drillapp.models.enums import DrillScope  # noqa: F401 - the drill below names every branch
    design = sv.drills.design(past)
    from dataclasses import replace

    sv.drills.save_design(past, design.row_version, replace(design.content, scope=DrillScope.COMPREHENSIVE))
    run = sv.runs.start_run(past)
    sv.runs.end_run(run)

    sv.reminders.refresh()

    with sv.db.session() as s:
        [row] = s.scalars(select(Reminder).where(Reminder.entity == "coverage")).all()
    assert (row.role, row.entity_id) == (Role.COORDINATOR, world["plan"].plan_id)
    assert row.due_at.date() == (clock.now + timedelta(days=21 - 30)).date()
    assert ReminderService(sv.db, builders.actor(services, Role.COORDINATOR, "zhao")).claim(row.id) is not None


def test_reminder_settings_give_the_version_a_screen_saves_against(world):
    sv = world["sv"]
    shown = sv.port_settings.reminder_settings()
    assert shown.minutes == (7 * 24 * 60, 24 * 60, 60) and shown.row_version is None, "the defaults, no row yet"
    sv.port_settings.set_reminder_leads([120, 24 * 60], expected_version=shown.row_version)
    again = sv.port_settings.reminder_settings()
    assert again.minutes == (24 * 60, 120) and again.row_version is not None
    sv.port_settings.set_reminder_leads([60], expected_version=again.row_version)
    assert sv.port_settings.reminder_leads() == (60,)
