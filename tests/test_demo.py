"""The demo port: one audited transaction with a believable port in it, which the dashboard then shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import audit_trail, databases
from sqlalchemy import func, select

from drillapp.demo import DEMO_PORT, DemoService, _Builder
from drillapp.models import (
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    DrillRun,
    Member,
    OnCallShift,
    PlanVersion,
    Port,
)
from drillapp.models.enums import ActionStatus, Agency, DrillStatus, PlanStatus, RunStatus
from drillapp.paths import bundled_plan_files
from drillapp.services.dashboard import DashboardService


@pytest.fixture
def demo(db, admin, clock):
    assert DemoService(db, admin, clock).load_demo() is True
    return db


def test_demo_port_contents(demo, clock):
    now = clock.now
    with demo.session() as s:
        ports = s.scalars(select(Port).order_by(Port.id)).all()
        assert len(ports) == 4 and ports[0].code == DEMO_PORT
        assert all({b.agency for b in p.branches} == set(Agency) for p in ports)

        assert 55 <= s.scalar(select(func.count()).select_from(Member)) <= 65

        plans = s.scalars(select(ContingencyPlan)).all()
        assert len(plans) == len(bundled_plan_files()) >= 8  # every file of plans/
        for plan in plans:
            [version] = plan.versions
            assert version.status is PlanStatus.APPROVED
            assert {a.agency for a in version.actions} == set(Agency), plan.code

        drills = s.scalars(select(Drill)).all()
        past = [d for d in drills if d.scheduled_start < now]
        future = [d for d in drills if d.scheduled_start > now]
        assert past and future
        assert all(d.status is DrillStatus.PLANNED for d in future)
        runs = s.scalars(select(DrillRun)).all()
        assert runs and all(r.status is RunStatus.ENDED for r in runs)

        on_now = s.scalars(select(OnCallShift).where(OnCallShift.starts_at <= now, OnCallShift.ends_at > now)).all()
        assert len(on_now) == 1 and on_now[0].assignments

        open_actions = s.scalars(
            select(CorrectiveAction).where(CorrectiveAction.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]))
        ).all()
        assert open_actions
        assert any(a.due_on < now.date() for a in open_actions)  # something for the dashboard to flag


def test_demo_is_one_audited_operation(demo, admin, clock):
    entries = audit_trail.entries(demo, operation="data.load_demo")
    counts = databases.row_counts(demo)

    assert {(e["username"], e["at"]) for e in entries} == {("admin", clock.now)}
    assert len([e for e in entries if e["entity"] == "member" and e["action"] == "insert"]) == counts["member"]
    assert len([e for e in entries if e["entity"] == "plan_action" and e["action"] == "insert"]) == counts["plan_action"]


def test_demo_loads_in_one_transaction(db, admin, clock, monkeypatch):
    counts = databases.row_counts(db)

    def fail(self):
        raise OSError("disk full while building the shifts")

    monkeypatch.setattr(_Builder, "_shifts", fail)
    with pytest.raises(OSError, match="disk full"):
        DemoService(db, admin, clock).load_demo()

    assert databases.row_counts(db) == counts


def test_loading_the_demo_twice_changes_nothing(demo, admin, clock):
    counts = databases.row_counts(demo)
    clock.advance(days=1)

    assert DemoService(demo, admin, clock).load_demo() is False

    assert databases.row_counts(demo) == counts


def test_dashboard_after_the_demo(demo, admin, clock):
    board = DashboardService(demo, admin, clock).load()

    assert board.next_drills
    starts = [d.starts_at for d in board.next_drills]
    assert starts == sorted(starts) and starts[0] >= clock.now

    assert board.on_call
    assert all(p.shift_ends_at > clock.now and p.name for p in board.on_call)
    assert {p.agency for p in board.on_call} >= {Agency.BORDER_INSPECTION, Agency.CUSTOMS}

    assert len(board.plans_due) >= 2
    assert all(p.review_due_on <= clock.now.date() + timedelta(days=60) for p in board.plans_due)

    assert board.overdue_action_count >= 1
    assert len(board.overdue_actions) == min(board.overdue_action_count, 8)
    assert all(a.due_on < clock.now.date() and a.agency in Agency for a in board.overdue_actions)
    assert len({a.text for a in board.overdue_actions}) > 1, "the demo's corrective actions differ"


def test_dashboard_shows_open_reminders_after_a_refresh(demo, admin, clock):
    from drillapp.services.reminders import ReminderService

    assert ReminderService(demo, admin, clock).refresh() >= 3

    board = DashboardService(demo, admin, clock).load()

    assert {r.kind.value for r in board.reminders} >= {"plan_review", "certificate_expiry"}
    assert all(r.due_at <= clock.now for r in board.reminders)


def test_dashboard_moves_with_the_clock(demo, admin, clock):
    """Half a year on, more corrective actions are overdue, plans are past review, and nobody is rostered."""
    clock.advance(days=200)

    board = DashboardService(demo, admin, clock).load()

    earlier = DashboardService(demo, admin, lambda: clock.now - timedelta(days=200)).load()
    assert board.overdue_action_count > earlier.overdue_action_count
    assert board.on_call == []  # the demo rosters four weeks around the day it was loaded
    with demo.session() as s:
        overdue_plans = s.scalar(select(func.count()).select_from(PlanVersion).where(
            PlanVersion.review_due_on < clock.now.date()
        ))
    assert overdue_plans >= 2
    assert [p.overdue for p in board.plans_due].count(True) >= 2


def test_the_demo_roster_keeps_its_own_rules_with_a_leader_on_every_shift(demo, admin, clock):
    """Issue 14 item 7: the dashboard's legend says "★ squad leader" but nobody on call was starred: the demo's
    hand-made roster put all six squad leaders on its first day and none on most others. Its rules now ask
    for a leader on every shift, and the roster keeps them, as the checker and the on-call view both see."""
    from drillapp.services import Services

    services = Services(demo, admin, clock)
    port_id = services.oncall.default_port_id()
    [period] = services.roster.periods(port_id)
    assert period.rules["leader_required"] is True
    assert services.roster.check_assignment(period.id) == []  # every hard rule, the leader among them
    first, last = period.starts_on, period.ends_on
    shifts = services.oncall.shifts_between(clock.now - timedelta(days=60), clock.now + timedelta(days=60), port_id)
    assert len(shifts) == (last - first).days + 1 == 28
    assert all(sum(m.leader for m in shift.members) >= 1 for shift in shifts)
    for shift in (services.oncall.current_shift(None, port_id), services.oncall.next_shift(None, port_id)):
        assert shift is not None and any(m.leader for m in shift.members)


def test_the_demos_past_runs_have_intact_chained_records_and_hseep_reviews(demo, admin, clock):
    from drillapp.models import AfterActionReview, ObjectiveRating
    from drillapp.models.enums import Capability, Rating, ReviewStatus
    from drillapp.services import Services

    services = Services(demo, admin, clock)
    with demo.session() as s:
        runs = list(s.scalars(select(DrillRun.id)))
        ratings = set(s.scalars(select(ObjectiveRating.rating)))
        capabilities = set(s.scalars(select(CorrectiveAction.capability)))
        statuses = set(s.scalars(select(AfterActionReview.status)))
    assert runs
    for run_id in runs:
        report = services.console.verify_log(run_id)
        assert report.intact and report.records > 5, report.message()
    assert ratings <= set(Rating) and Rating.S in ratings
    assert None not in capabilities and Capability.TRAINING in capabilities
    assert statuses == {ReviewStatus.DRAFT, ReviewStatus.SIGNED_OFF}
    doc = services.review_docs.document(services.reviews.review_of_run(runs[0]))
    isolation = [m for m in doc.record.measures if "隔离" in m.text and m.timed and m.minutes_taken is not None]
    assert all(m.late for m in isolation), "the isolation room is late in the demo, as in scenario 4"


def test_each_demo_drill_plays_the_scenario_of_its_plan(demo):
    """Screenshots showed every demo drill, the fire drill included, briefed with the passenger-hall knife attack
    and its MSEL. Each drill now has the scenario, the live inject or the tabletop's MSEL of its plan's kind (the
    third tabletop inject still asks for the initial report), and its past runs log the inject it had."""
    from drillapp.demo_scenarios import SCENARIOS, demo_scenario
    from drillapp.models import LogEntry
    from drillapp.models.enums import DrillKind, LogKind, Scenario

    knife = SCENARIOS[Scenario.VIOLENT_ATTACK]
    with demo.session() as s:
        plans = {p.id: p for p in s.scalars(select(ContingencyPlan))}
        drills = [d for d in s.scalars(select(Drill)) if d.plan_id is not None]
        assert {plans[d.plan_id].scenario for d in drills} >= {Scenario.VIOLENT_ATTACK, Scenario.FIRE_EVACUATION,
                                                               Scenario.IT_OUTAGE}
        for drill in drills:
            setting = demo_scenario(plans[drill.plan_id].scenario)
            assert setting is SCENARIOS[plans[drill.plan_id].scenario], "every drilled kind of plan has its own"
            assert drill.scenario_text == setting.text, drill.title
            messages = [(i.number, i.message) for i in drill.injects]
            if drill.kind is DrillKind.TABLETOP:
                assert messages == [(n, row[5]) for n, row in enumerate(setting.tabletop, start=1)]
                assert drill.injects[2].objective_id == drill.objectives[-1].id
            else:
                assert messages == [(1, setting.live[3])], drill.title
        fire = [d for d in drills if plans[d.plan_id].scenario is Scenario.FIRE_EVACUATION]
        assert {d.kind for d in fire} == {DrillKind.LIVE} and len(fire) > 6, "the fire plan's drills and its series"
        for drill in fire:
            assert "起火" in drill.scenario_text and "持刀" not in drill.scenario_text
            assert drill.injects and not {i.message for i in drill.injects} & {knife.live[3]}
        assert len({d.scenario_text for d in drills}) == len({plans[d.plan_id].scenario for d in drills})

        for run in s.scalars(select(DrillRun)):
            logged = [e.text for e in s.scalars(select(LogEntry).where(LogEntry.drill_run_id == run.id,
                                                                       LogEntry.kind == LogKind.INJECT))]
            inject = s.get(Drill, run.drill_id).injects[0]
            assert logged == [f"导调注入1已下达 / Inject 1 delivered: {inject.message}"]
