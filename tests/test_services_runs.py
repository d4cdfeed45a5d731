"""Drills, drill runs, incidents and after-action reviews: scheduling, the live checklist built from the
approved plan, the log, and corrective actions to closure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import select

from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    CorrectiveAction,
    Drill,
    DrillRun,
    Finding,
    Incident,
    LogEntry,
    PlanVersion,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    DrillKind,
    DrillScope,
    DrillStatus,
    FindingKind,
    IncidentStatus,
    LogKind,
    ResponsePhase,
    RunStatus,
)
from drillapp.services.errors import ConflictError, DomainError, NotFoundError


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def plan(services, port):
    """An approved plan with the standard actions: two at every level, one at level 2, one at level 4."""
    return builders.approved_plan(services, port)


def _checklist(db, *, run_id=None, incident_id=None) -> list[ChecklistEntry]:
    with db.session() as s:
        q = select(ChecklistEntry).order_by(ChecklistEntry.position)
        q = q.where(ChecklistEntry.drill_run_id == run_id) if run_id else q.where(ChecklistEntry.incident_id == incident_id)
        return list(s.scalars(q))


def _log(db, *, run_id=None, incident_id=None) -> list[tuple[LogKind, str]]:
    with db.session() as s:
        q = select(LogEntry).order_by(LogEntry.id)
        q = q.where(LogEntry.drill_run_id == run_id) if run_id else q.where(LogEntry.incident_id == incident_id)
        return [(e.kind, e.text) for e in s.scalars(q)]


# -- drills -----------------------------------------------------------------------------------------------


def test_schedule_a_drill_with_objectives_and_injects(services, port, plan, clock):
    starts = clock.now + timedelta(days=10)

    drill_id = services.drills.schedule_drill(
        port.port_id, "旅检大厅反恐实战演练", DrillKind.FULL_SCALE, starts, plan_id=plan.plan_id, level=1,
        duration_minutes=90, scope=DrillScope.COMPREHENSIVE, location="旅检大厅",
        objectives=["5分钟内集结", "30分钟内报送初报"], injects=[(12, "发现第二名可疑人员"), (0, "报警")],
    )

    with services.db.session() as s:
        d = s.get(Drill, drill_id)
        assert (d.title, d.kind, d.scope, d.level, d.scheduled_start, d.duration_minutes, d.location, d.status) == (
            "旅检大厅反恐实战演练", DrillKind.FULL_SCALE, DrillScope.COMPREHENSIVE, 1, starts, 90, "旅检大厅",
            DrillStatus.PLANNED,
        )
        assert [o.text for o in d.objectives] == ["5分钟内集结", "30分钟内报送初报"]
        assert [(i.offset_minutes, i.message) for i in d.injects] == [(0, "报警"), (12, "发现第二名可疑人员")]


def test_cancel_a_planned_drill_once(services, port):
    drill_id = builders.drill(services, port)

    services.drills.cancel_drill(drill_id, expected_version=services.drills.version_of(Drill, drill_id))

    with services.db.session() as s:
        assert s.get(Drill, drill_id).status is DrillStatus.CANCELLED
    with pytest.raises(DomainError, match="Only a drill still to come"):
        services.drills.cancel_drill(drill_id, expected_version=services.drills.version_of(Drill, drill_id))
    with pytest.raises(DomainError, match="not planned any more"):
        services.runs.start_run(drill_id, confirm_early=True)


# -- drill runs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        # phase first (alert before first response before containment), then target time
        (2, [(Agency.PORT_OFFICE, 20), (Agency.BORDER_INSPECTION, 5), (Agency.CUSTOMS, 10)]),
        (4, [(Agency.PORT_OFFICE, 20), (Agency.BORDER_INSPECTION, 5), (Agency.QUARANTINE, 15)]),
        # no level: the actions for every level, then those of level II, then of level IV
        (None, [(Agency.PORT_OFFICE, 20), (Agency.BORDER_INSPECTION, 5), (Agency.CUSTOMS, 10), (Agency.QUARANTINE, 15)]),
    ],
    ids=["level II", "level IV", "no level"],
)
def test_start_run_builds_the_checklist_for_the_drills_level(services, port, plan, admin, clock, level, expected):
    drill_id = builders.drill(services, port, plan, level=level)

    run_id = services.runs.start_run(drill_id, confirm_early=True)

    entries = _checklist(services.db, run_id=run_id)
    assert [(e.agency, e.target_minutes) for e in entries] == expected
    assert [e.position for e in entries] == list(range(len(expected)))
    assert {e.plan_action_id for e in entries} <= set(plan.actions)
    assert all(e.done_at is None for e in entries)
    with services.db.session() as s:
        run = s.get(DrillRun, run_id)
        assert (run.plan_version_id, run.level, run.status, run.started_at, run.started_by_id) == (
            plan.version_id, level, RunStatus.RUNNING, clock.now, admin.user_id
        )
        assert s.get(Drill, drill_id).status is DrillStatus.IN_PROGRESS
    assert _log(services.db, run_id=run_id) == [(LogKind.SYSTEM, "演练开始 / Drill started")]


def test_checklist_is_ordered_by_phase_then_target_then_plan_order(services, port):
    """Issue 14 item 2: an action added last (level II, first response, 10 min) is worked in its phase, not after
    recovery; the actions for every level mix with those of the drill's level."""
    plan = builders.approved_plan(services, port, actions=[
        (Agency.PORT_OFFICE, ResponsePhase.ALERT, "报送初报", None, 30),
        (Agency.CUSTOMS, ResponsePhase.RECOVERY, "恢复通关", None, None),
        (Agency.QUARANTINE, ResponsePhase.FIRST_RESPONSE, "初检", None, 5),
        (Agency.PORT_OFFICE, ResponsePhase.FIRST_RESPONSE, "通报联检单位", None, None),
        (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运通道", 2, 10),
    ])

    run_id = services.runs.start_run(builders.drill(services, port, plan, level=2), confirm_early=True)

    assert [e.text for e in _checklist(services.db, run_id=run_id)] == [
        "报送初报", "初检", "封闭货运通道", "通报联检单位", "恢复通关"]


def test_checklist_is_ordered_by_phase_then_target_time_then_agency(services, port):
    plan = builders.approved_plan(services, port, actions=[
        (Agency.PORT_OFFICE, ResponsePhase.ALERT, "报送初报", None, 30),
        (Agency.CUSTOMS, ResponsePhase.RECOVERY, "恢复通关", None, None),
        (Agency.QUARANTINE, ResponsePhase.FIRST_RESPONSE, "初检", None, 5),
        (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运通道", None, 12),
        (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, "封控", None, 5),
        (Agency.PORT_OFFICE, ResponsePhase.RECOVERY, "恢复秩序", None, 40),
    ])

    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)

    assert [e.text for e in _checklist(services.db, run_id=run_id)] == [
        "报送初报", "封控", "初检", "封闭货运通道", "恢复秩序", "恢复通关"]


def test_checklist_comes_from_the_approved_version_not_a_newer_draft(services, port, plan):
    revision = builders.new_revision(services, plan.plan_id)
    services.plans.add_action(revision, Agency.CUSTOMS, ResponsePhase.ALERT, "草稿里的新行动")

    run_id = services.runs.start_run(builders.drill(services, port, plan, level=None), confirm_early=True)

    texts = [e.text for e in _checklist(services.db, run_id=run_id)]
    assert "草稿里的新行动" not in texts and len(texts) == 4

    services.revisions.submit_for_review(revision, expected_version=services.revisions.version_of(PlanVersion, revision))
    services.plans.approve_version(revision, date(2026, 4, 1), date(2027, 4, 1), expected_version=services.plans.version_of(PlanVersion, revision))
    second = services.runs.start_run(builders.drill(services, port, plan, level=None), confirm_early=True)
    assert [e.text for e in _checklist(services.db, run_id=second)] == ["草稿里的新行动"]


def test_a_drill_without_an_approved_plan_runs_with_an_empty_checklist(services, port):
    draft = builders.draft_plan(services, port)

    for plan in (None, draft):
        run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
        assert _checklist(services.db, run_id=run_id) == []
        with services.db.session() as s:
            assert s.get(DrillRun, run_id).plan_version_id is None


def test_a_drill_runs_only_once(services, port, plan):
    drill_id = builders.drill(services, port, plan)
    services.runs.start_run(drill_id, confirm_early=True)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="not planned any more"):
        services.runs.start_run(drill_id, confirm_early=True)

    assert databases.row_counts(services.db) == counts


def test_tick_an_item_records_who_and_when(services, port, plan, admin, clock):
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    first = _checklist(services.db, run_id=run_id)[0]
    clock.advance(minutes=4)

    services.runs.tick_entry(first.id, note="  大厅已封控  ", expected_version=services.runs.version_of(ChecklistEntry, first.id))

    [ticked, *_rest] = _checklist(services.db, run_id=run_id)
    assert (ticked.done_at, ticked.done_by_id, ticked.note) == (clock.now, admin.user_id, "大厅已封控")
    entry = audit_trail.one(services.db, entity="checklist_entry", entity_id=first.id, action="update")
    assert entry["operation"] == "runs.tick_entry"
    assert entry["after"]["done_at"] == clock.now.isoformat()


def test_ticking_an_item_twice_is_refused_and_keeps_the_first_tick(services, port, plan, clock):
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    item = _checklist(services.db, run_id=run_id)[0]
    services.runs.tick_entry(item.id, expected_version=services.runs.version_of(ChecklistEntry, item.id))
    first_tick = clock.now
    clock.advance(minutes=3)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="already ticked"):
        services.runs.tick_entry(item.id, note="again", expected_version=services.runs.version_of(ChecklistEntry, item.id))

    assert databases.row_counts(services.db) == counts
    assert _checklist(services.db, run_id=run_id)[0].done_at == first_tick


def test_ticking_a_missing_item_is_not_found(services):
    with pytest.raises(NotFoundError, match="does not exist"):
        services.runs.tick_entry(12345, expected_version=services.runs.version_of(ChecklistEntry, 12345))


def test_log_entries_during_a_run(services, port, plan, clock):
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    clock.advance(minutes=9)

    services.runs.add_log_entry("机动队集结完毕", drill_run_id=run_id, kind=LogKind.MUSTER, agency=Agency.BORDER_INSPECTION)
    services.runs.add_log_entry("导调组：发现第二名可疑人员", drill_run_id=run_id, kind=LogKind.INJECT)

    assert _log(services.db, run_id=run_id) == [
        (LogKind.SYSTEM, "演练开始 / Drill started"), (LogKind.MUSTER, "机动队集结完毕"), (LogKind.INJECT, "导调组：发现第二名可疑人员"),
    ]


def test_end_run_completes_the_drill_and_closes_the_log(services, port, plan, clock):
    drill_id = builders.drill(services, port, plan)
    run_id = services.runs.start_run(drill_id, confirm_early=True)
    clock.advance(minutes=50)

    services.runs.end_run(run_id)

    with services.db.session() as s:
        run = s.get(DrillRun, run_id)
        assert (run.status, run.ended_at) == (RunStatus.ENDED, clock.now)
        assert s.get(Drill, drill_id).status is DrillStatus.COMPLETED
    assert _log(services.db, run_id=run_id)[-1] == (LogKind.SYSTEM, "演练结束 / Drill ended")
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="has ended; its log is closed"):
        services.runs.add_log_entry("迟到的记录", drill_run_id=run_id)
    with pytest.raises(DomainError, match="already ended"):
        services.runs.end_run(run_id)

    assert databases.row_counts(services.db) == counts


def test_a_log_entry_belongs_to_exactly_one_run_or_incident(services, port, plan):
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    incident_id = services.incidents.open_incident(port.port_id, "真实事件")

    with pytest.raises(DomainError, match="exactly one"):
        services.runs.add_log_entry("两个都给", drill_run_id=run_id, incident_id=incident_id)
    with pytest.raises(DomainError, match="must not be empty"):
        services.runs.add_log_entry("   ", drill_run_id=run_id)


# -- incidents --------------------------------------------------------------------------------------------


def test_open_an_incident_builds_its_checklist_and_log(services, port, plan, admin, clock):
    incident_id = services.incidents.open_incident(port.port_id, "货运通道危险品泄漏", plan_id=plan.plan_id, level=4)

    with services.db.session() as s:
        inc = s.get(Incident, incident_id)
        assert (inc.plan_version_id, inc.level, inc.status, inc.opened_at, inc.opened_by_id) == (
            plan.version_id, 4, IncidentStatus.ACTIVE, clock.now, admin.user_id
        )
    assert [e.agency for e in _checklist(services.db, incident_id=incident_id)] == [
        Agency.PORT_OFFICE, Agency.BORDER_INSPECTION, Agency.QUARANTINE  # alert, first response, containment
    ]
    assert _log(services.db, incident_id=incident_id) == [
        (LogKind.SYSTEM, "事件处置启动 / Incident opened"),
        (LogKind.DECISION, "QH-2026-001 货运通道危险品泄漏：启动预案 QH-01 Ⅳ级响应 / Plan QH-01 activated at level Ⅳ"),
    ]


def test_stand_down_closes_the_incident_and_its_log(services, port, clock):
    incident_id = services.incidents.open_incident(port.port_id, "旅客突发疾病")
    services.runs.add_log_entry("急救车已到", incident_id=incident_id, kind=LogKind.REPORT)
    clock.advance(hours=1)

    services.incidents.stand_down(incident_id, summary="旅客已送医")

    with services.db.session() as s:
        inc = s.get(Incident, incident_id)
        assert (inc.status, inc.closed_at, inc.summary) == (IncidentStatus.STOOD_DOWN, clock.now, "旅客已送医")
    with pytest.raises(DomainError, match="stood down; its log is closed"):
        services.runs.add_log_entry("之后的记录", incident_id=incident_id)
    with pytest.raises(DomainError, match="already been stood down"):
        services.incidents.stand_down(incident_id)


# -- after-action reviews ---------------------------------------------------------------------------------


@pytest.fixture
def ended_run(services, port, plan):
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    services.runs.end_run(run_id)
    return run_id


def test_review_with_findings_and_a_corrective_action(services, port, ended_run):
    review_id = services.reviews.create_review("演练评估报告", drill_run_id=ended_run)
    strength = services.reviews.add_finding(review_id, FindingKind.STRENGTH, "集结用时9分钟")
    improvement = services.reviews.add_finding(review_id, FindingKind.IMPROVEMENT, "隔离室钥匙存放位置不当")

    action_id = services.reviews.add_corrective_action(
        improvement, "将钥匙移至检疫值班台", owner_branch_id=port.branches[Agency.QUARANTINE], owner_name="检疫科",
        due_on=date(2026, 4, 15),
    )

    with services.db.session() as s:
        review = s.get(AfterActionReview, review_id)
        assert (review.drill_run_id, review.incident_id) == (ended_run, None)
        assert [(f.id, f.position) for f in review.findings] == [(strength, 0), (improvement, 1)]
        action = s.get(CorrectiveAction, action_id)
        assert (action.finding_id, action.owner_branch_id, action.owner_name, action.due_on, action.status) == (
            improvement, port.branches[Agency.QUARANTINE], "检疫科", date(2026, 4, 15), ActionStatus.OPEN
        )


def test_review_of_an_incident(services, port):
    incident_id = services.incidents.open_incident(port.port_id, "真实事件")
    with pytest.raises(DomainError, match="still active"):
        services.reviews.create_review("事件复盘", incident_id=incident_id)
    services.incidents.stand_down(incident_id, "处置完毕")

    review_id = services.reviews.create_review("事件复盘", incident_id=incident_id)

    with services.db.session() as s:
        assert s.get(AfterActionReview, review_id).incident_id == incident_id
    with pytest.raises(NotFoundError):
        services.reviews.create_review("不存在的演练", drill_run_id=999)


def test_a_strength_takes_no_corrective_action(services, ended_run):
    review_id = services.reviews.create_review("评估", drill_run_id=ended_run)
    strength = services.reviews.add_finding(review_id, FindingKind.STRENGTH, "协同顺畅")
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="not to strengths"):
        services.reviews.add_corrective_action(strength, "无需整改")

    assert databases.row_counts(services.db) == counts


def test_corrective_action_status_to_closure_and_back(services, ended_run, clock):
    review_id = services.reviews.create_review("评估", drill_run_id=ended_run)
    finding = services.reviews.add_finding(review_id, FindingKind.IMPROVEMENT, "问题")
    action_id = services.reviews.add_corrective_action(finding, "整改")

    def state():
        with services.db.session() as s:
            a = s.get(CorrectiveAction, action_id)
            return a.status, a.closed_at, a.row_version

    services.reviews.set_action_status(action_id, ActionStatus.DONE, expected_version=1)
    assert state() == (ActionStatus.DONE, clock.now, 2)

    services.reviews.set_action_status(action_id, ActionStatus.IN_PROGRESS, expected_version=services.reviews.version_of(CorrectiveAction, action_id))
    assert state() == (ActionStatus.IN_PROGRESS, None, 3)

    with pytest.raises(ConflictError):
        services.reviews.set_action_status(action_id, ActionStatus.CANCELLED, expected_version=2)
    assert state() == (ActionStatus.IN_PROGRESS, None, 3)


def test_findings_are_listed_in_order_of_entry(services, ended_run):
    review_id = services.reviews.create_review("评估", drill_run_id=ended_run)
    ids = [services.reviews.add_finding(review_id, FindingKind.IMPROVEMENT, f"问题{i}") for i in range(3)]

    with services.db.session() as s:
        assert [(f.id, f.position) for f in s.scalars(
            select(Finding).where(Finding.review_id == review_id).order_by(Finding.position)
        )] == list(zip(ids, range(3), strict=True))
