"""Corrective actions across the reviews (the tracker: filters, overdue, the dashboard's count, a reminder once),
and the trends: the same action's measured time drill after drill, time to muster, the share on target."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import builders
from sqlalchemy import select

from drillapp.models import ChecklistEntry, CorrectiveAction
from drillapp.models.enums import ActionStatus, Agency, Capability, FindingKind, LogKind, ReminderKind, Role
from drillapp.services import Services
from drillapp.services.action_tracker import ActionFilter
from drillapp.services.context import PortScope
from drillapp.services.trends import MUSTER_KEY


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def plan(services, port):
    return builders.approved_plan(services, port)


def _drill_run(services, port, plan, clock, seal_at: float, muster_at: float) -> int:
    """A finished drill: the hall sealed at `seal_at` minutes, the team mustered at `muster_at`."""
    run = services.runs.start_run(builders.drill(services, port, plan, level=2, starts_in=timedelta(0)))
    start = clock.now
    with services.db.session() as s:
        seal = s.scalar(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run,
                                                        ChecklistEntry.text == "封控旅检大厅"))
    clock.now = start + timedelta(minutes=seal_at)
    services.runs.tick(seal, expected_version=services.runs.version_of(ChecklistEntry, seal))
    clock.now = start + timedelta(minutes=muster_at)
    services.runs.add_log_entry("机动队集结完毕", drill_run_id=run, kind=LogKind.MUSTER)
    clock.now = start + timedelta(minutes=50)
    services.runs.end_run(run)
    clock.now = start + timedelta(days=30)
    return run


def test_trends_of_the_same_action_and_time_to_muster_across_drills(services, port, plan, clock):
    for seal, muster in ((7, 14), (6, 12), (5, 11), (4, 9)):
        _drill_run(services, port, plan, clock, seal, muster)

    trends = {t.key: t for t in services.trends.action_trends()}

    assert [p.minutes for p in trends[MUSTER_KEY].points] == [14, 12, 11, 9]
    seal = next(t for t in trends.values() if t.label == "封控旅检大厅")
    assert seal.key.startswith("lineage:"), "the same action across drills: by its lineage in the plan"
    assert [(p.minutes, p.target, p.late) for p in seal.points] == [(7, 5, True), (6, 5, True), (5, 5, False),
                                                                      (4, 5, False)]
    shares = services.trends.on_target_shares()
    assert [(s.on_target, s.timed) for s in shares] == [(0, 3), (0, 3), (1, 3), (1, 3)]
    assert shares[-1].share == pytest.approx(1 / 3)


def _review_with_actions(services, port, plan, clock) -> dict[str, int]:
    run = _drill_run(services, port, plan, clock, 4, 9)
    review = services.reviews.create_from_run(run)
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室钥匙存放位置不当", plan.plan_id)
    today = services.clock().date()
    return {
        "late": services.reviews.add_corrective_action(
            finding, "钥匙移至检疫值班台", capability=Capability.EQUIPMENT,
            owner_branch_id=port.branches[Agency.QUARANTINE], owner_name="检疫科", start_on=today - timedelta(days=20),
            due_on=today - timedelta(days=3)),
        "soon": services.reviews.add_corrective_action(
            finding, "组织培训", capability=Capability.TRAINING, owner_branch_id=port.branches[Agency.PORT_OFFICE],
            due_on=today + timedelta(days=10)),
        "done": services.reviews.add_corrective_action(
            finding, "修订预案", capability=Capability.PLAN, owner_branch_id=port.branches[Agency.QUARANTINE],
            due_on=today - timedelta(days=30)),
        "review": review,
    }


def test_the_tracker_filters_by_branch_status_due_overdue_and_plan(services, port, plan, clock):
    ids = _review_with_actions(services, port, plan, clock)
    services.reviews.verify_action(ids["done"], "预案第2版已批准", expected_version=services.reviews.version_of(CorrectiveAction, ids["done"]))

    everything = services.tracker.actions()
    assert [a.id for a in everything] == [ids["done"], ids["late"], ids["soon"]], "soonest due first"
    late = next(a for a in everything if a.id == ids["late"])
    assert (late.overdue, late.capability, late.agency, late.owner_name, late.review_id, late.plan_code) == (
        True, Capability.EQUIPMENT, Agency.QUARANTINE, "检疫科", ids["review"], "QH-01")
    done = next(a for a in everything if a.id == ids["done"])
    assert (done.status, done.overdue, done.evidence, done.verified_by) == (ActionStatus.DONE, False,
                                                                           "预案第2版已批准", "admin")
    assert [a.id for a in services.tracker.actions(ActionFilter(overdue=True))] == [ids["late"]]
    assert [a.id for a in services.tracker.actions(ActionFilter(agency=Agency.PORT_OFFICE))] == [ids["soon"]]
    assert [a.id for a in services.tracker.actions(ActionFilter(branch_id=port.branches[Agency.QUARANTINE],
                                                                open_only=True))] == [ids["late"]]
    assert [a.id for a in services.tracker.actions(ActionFilter(status=ActionStatus.DONE))] == [ids["done"]]
    assert [a.id for a in services.tracker.actions(ActionFilter(due_before=services.clock().date()))] == [
        ids["done"], ids["late"]]
    assert services.tracker.actions(ActionFilter(plan_id=plan.plan_id + 100)) == []
    assert [a.id for a in services.tracker.actions(ActionFilter(search="培训"))] == [ids["soon"]]
    assert services.tracker.overdue_count() == 1


def test_overdue_actions_on_the_dashboard_per_port_and_reminded_once(services, port, plan, clock):
    ids = _review_with_actions(services, port, plan, clock)
    services.reviews.set_action_status(ids["done"], ActionStatus.DONE, expected_version=services.reviews.version_of(CorrectiveAction, ids["done"]))
    other = builders.port_with_branches(services, "HC", "珲春口岸")

    assert services.dashboard.load().overdue_action_count == 1
    scoped = Services(services.db, services.actor, clock, PortScope(other.port_id, "HC"))
    assert scoped.dashboard.load().overdue_action_count == 0 and scoped.tracker.overdue_count() == 0

    assert services.reminders.refresh() >= 1
    assert services.reminders.refresh() == 0, "once only"
    coordinator = builders.services_as(services, builders.actor(services, Role.COORDINATOR, "zhao"))
    [reminder] = [r for r in coordinator.reminders.open_for_me() if r.kind is ReminderKind.CORRECTIVE_ACTION]
    assert (reminder.entity, reminder.entity_id) == ("corrective_action", ids["late"])
    assert reminder.heading == "Corrective action overdue: 钥匙移至检疫值班台"
    assert reminder.detail == f"It was due on {date.isoformat(clock.now.date() - timedelta(days=3))}."
    assert coordinator.reminders.claim(reminder.id) is not None
    assert coordinator.reminders.claim(reminder.id) is None
