"""The after-action review: created from a finished run, the hot wash's notes as draft findings, objectives
rated P/S/M/U, times measured against targets (computed, not typed: isolation room 19 min against 15), findings
pointing at a plan and the revision that answers them (both ways; approving it closes the corrective action
whose remedy it is), sign-off by the coordinator after which the review and the run's record are read-only in
the core, amendments, and a tabletop's gaps as draft findings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import builders, databases
from sqlalchemy import select

from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    CorrectiveAction,
    DrillObjective,
    Finding,
    LogEntry,
    PlanResource,
    PlanVersion,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    Capability,
    DrillKind,
    FindingKind,
    FindingSource,
    HotWashKind,
    MarkStatus,
    PlanPart,
    PlanStatus,
    Rating,
    ResponsePhase,
    ReviewStatus,
    Role,
)
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, PermissionDeniedError
from drillapp.services.plan_document import ResourceDoc
from drillapp.services.plan_revisions import DraftContent
from drillapp.services.review_loop import ANSWERS_HEADING

ACTIONS = [
    (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, "封控旅检大厅", None, 5),
    (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运区", None, 10),
    (Agency.QUARANTINE, ResponsePhase.FIRST_RESPONSE, "开设隔离观察室", None, 15),
    (Agency.PORT_OFFICE, ResponsePhase.FIRST_RESPONSE, "通报市应急办", None, 10),
]


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def plan(services, port):
    plan = builders.draft_plan(services, port, "QH-QY", actions=ACTIONS)
    doc = services.plans.document(plan.version_id)
    content = DraftContent.of(doc)
    room = ResourceDoc("隔离观察室", "房间", 2, "联检楼一层入境区西侧", Agency.QUARANTINE, "钥匙存放于卫生检疫值班台", 0)
    services.revisions.save_draft(plan.version_id, services.revisions.version_of(PlanVersion, plan.version_id), DraftContent(
        content.change_note, content.sections, content.levels, content.actions, content.matrix, content.contacts,
        (room,)))
    today = services.clock().date()
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    services.plans.approve_version(plan.version_id, today, today + timedelta(days=365), expected_version=services.plans.version_of(PlanVersion, plan.version_id))
    return plan


@pytest.fixture
def drill(services, port, plan):
    return builders.drill(services, port, plan, level=2, starts_in=timedelta(0),
                          objectives=["机动队5分钟内完成集结", "隔离室15分钟内启用", "30分钟内报送初报"])


def _items(services, run_id) -> dict[str, int]:
    with services.db.session() as s:
        return {e.text: e.id for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}


def _objectives(services, drill_id) -> list[int]:
    with services.db.session() as s:
        return list(s.scalars(select(DrillObjective.id).where(DrillObjective.drill_id == drill_id)
                              .order_by(DrillObjective.position)))


@pytest.fixture
def finished(services, drill, clock):
    """Scenario 3: seal at 4, cargo at 9, the isolation room at 19 (target 15), the report at 10; ended at 50."""
    run_id = services.runs.start_run(drill)
    start = clock.now
    items = _items(services, run_id)
    for minutes, text in ((4, "封控旅检大厅"), (9, "封闭货运区"), (10, "通报市应急办"), (19, "开设隔离观察室")):
        clock.now = start + timedelta(minutes=minutes)
        services.runs.tick(items[text], expected_version=services.runs.version_of(ChecklistEntry, items[text]))
    clock.now = start + timedelta(minutes=50)
    services.runs.end_run(run_id)
    return run_id


def test_a_review_is_made_from_a_finished_run_only_and_once(services, drill, clock):
    run_id = services.runs.start_run(drill)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="still running"):
        services.reviews.create_from_run(run_id)

    assert databases.row_counts(services.db) == counts
    services.runs.end_run(run_id)
    review = services.reviews.create_from_run(run_id)
    assert services.reviews.create_from_run(run_id) == review, "the run's review, not a second one"
    with pytest.raises(DomainError, match="has a review already"):
        services.reviews.create_review("另一份", drill_run_id=run_id)


def test_the_review_measures_every_timed_action_against_its_target(services, finished):
    review = services.reviews.create_from_run(finished)

    doc = services.review_docs.document(review)

    measured = {m.text: m for m in doc.record.measures}
    isolation = measured["开设隔离观察室"]
    assert (isolation.minutes_taken, isolation.target_minutes, isolation.late, isolation.over_by) == (19, 15, True, 4)
    assert measured["封控旅检大厅"].late is False and measured["封闭货运区"].minutes_taken == 9
    assert (doc.record.on_target, doc.record.timed) == (3, 4)
    assert doc.overview.drill_title == "旅检大厅实战演练" and doc.overview.level == 2
    assert set(doc.overview.branches) == set(Agency)
    assert [r.text for r in doc.ratings] == ["机动队5分钟内完成集结", "隔离室15分钟内启用", "30分钟内报送初报"]
    assert all(r.rating is None for r in doc.ratings)
    assert [t.text for t in doc.record.timeline][0] == "演练开始 / Drill started"


def test_objectives_rated_with_the_four_hseep_ratings(services, finished, drill):
    review = services.reviews.create_from_run(finished)
    first, second, third = _objectives(services, drill)
    evaluator = builders.services_as(services, builders.actor(services, Role.EVALUATOR, "eval"))

    evaluator.reviews.rate_objective(review, first, Rating.P, "4分钟完成集结", expected_version=builders.rating_version(evaluator.reviews, review, first))
    evaluator.reviews.rate_objective(review, second, Rating.M, "钥匙不在值班台，用时19分钟", expected_version=builders.rating_version(evaluator.reviews, review, second))
    evaluator.reviews.rate_objective(review, third, Rating.U, expected_version=builders.rating_version(evaluator.reviews, review, third))
    evaluator.reviews.rate_objective(review, third, Rating.S, "按时报送，要素不全", expected_version=builders.rating_version(evaluator.reviews, review, third))  # rated again: it changes

    ratings = [(r.rating, r.observations, r.rated_by) for r in services.review_docs.document(review).ratings]
    assert ratings == [(Rating.P, "4分钟完成集结", "eval"), (Rating.M, "钥匙不在值班台，用时19分钟", "eval"),
                       (Rating.S, "按时报送，要素不全", "eval")]
    other = builders.drill(services, builders.port_with_branches(services, "HC", "珲春口岸"), objectives=["别的"])
    with pytest.raises(DomainError, match="not one of the reviewed drill's"):
        services.reviews.rate_objective(review, _objectives(services, other)[0], Rating.P, expected_version=builders.rating_version(services.reviews, review, _objectives(services, other)[0]))
    duty = builders.services_as(services, builders.actor(services, Role.DUTY_OFFICER, "duty"))
    with pytest.raises(PermissionDeniedError):
        duty.reviews.rate_objective(review, first, Rating.U, expected_version=builders.rating_version(duty.reviews, review, first))

    # a rating taken back (the review editor's undo of a first rating): not rated again; once only
    evaluator.reviews.clear_rating(review, first,
                                   expected_version=builders.rating_version(services.reviews, review, first))
    assert services.review_docs.document(review).ratings[0].rating is None
    with pytest.raises(DomainError, match="not been rated"):
        evaluator.reviews.clear_rating(review, first, expected_version=0)


def test_a_late_action_never_reads_late_by_nothing():
    """Shown and printed with one decimal, rounded up: 3.03 minutes against 3 is 0.1 late, not "0.0 min late"
    (the review's overview once said "late by 0 min" in red; screenshots of issue 10)."""
    from drillapp.services.measures import late_minutes

    assert [late_minutes(x) for x in (0.03, 0.1, 0.25, 2.0, 4.0, 1e-9)] == [0.1, 0.1, 0.3, 2.0, 4.0, 0.1]



def test_hot_wash_notes_become_draft_findings_of_the_review(services, finished):
    duty = builders.services_as(services, builders.actor(services, Role.DUTY_OFFICER, "li"))

    kept = duty.reviews.add_hot_wash_note(finished, HotWashKind.WENT_WELL, "集结迅速", Agency.BORDER_INSPECTION)
    improve = duty.reviews.add_hot_wash_note(finished, HotWashKind.TO_IMPROVE, "隔离室钥匙找了4分钟",
                                             Agency.QUARANTINE)

    assert kept.review_id == improve.review_id == services.reviews.review_of_run(finished)
    doc = services.review_docs.document(kept.review_id)
    assert [(h.agency, h.kind, h.text, h.author, h.finding_id) for h in doc.hot_wash] == [
        (Agency.BORDER_INSPECTION, HotWashKind.WENT_WELL, "集结迅速", "li", kept.finding_id),
        (Agency.QUARANTINE, HotWashKind.TO_IMPROVE, "隔离室钥匙找了4分钟", "li", improve.finding_id)]
    drafts = {f.id: f for f in doc.findings}
    assert (drafts[kept.finding_id].kind, drafts[kept.finding_id].draft, drafts[kept.finding_id].source) == (
        FindingKind.STRENGTH, True, FindingSource.HOT_WASH)
    assert (drafts[improve.finding_id].kind, drafts[improve.finding_id].agency) == (FindingKind.IMPROVEMENT,
                                                                                  Agency.QUARANTINE)
    with services.db.session() as s:
        assert s.scalar(select(LogEntry.id).where(LogEntry.text.like("%钥匙%"))) is None, "not in the closed run log"


def test_sign_off_needs_the_drafts_decided_and_makes_review_and_run_record_read_only(services, finished, drill):
    review = services.reviews.create_from_run(finished)
    draft = services.reviews.add_hot_wash_note(finished, HotWashKind.TO_IMPROVE, "初报要素不全").finding_id
    strength = services.reviews.add_finding(review, FindingKind.STRENGTH, "协同顺畅")
    coordinator = builders.services_as(services, builders.actor(services, Role.COORDINATOR, "zhao"))

    with pytest.raises(DomainError, match="still drafts"):
        coordinator.reviews.sign_off(review, expected_version=coordinator.reviews.version_of(AfterActionReview, review))
    services.reviews.accept_finding(draft, expected_version=services.reviews.version_of(Finding, draft))
    action = services.reviews.add_corrective_action(draft, "修订初报模板", capability=Capability.PLAN,
                                                    due_on=date(2026, 4, 30))
    evaluator = builders.services_as(services, builders.actor(services, Role.EVALUATOR, "eval"))
    with pytest.raises(PermissionDeniedError):
        evaluator.reviews.sign_off(review, expected_version=evaluator.reviews.version_of(AfterActionReview, review))
    coordinator.reviews.sign_off(review, expected_version=coordinator.reviews.version_of(AfterActionReview, review))
    doc = services.review_docs.document(review)
    assert (doc.status, doc.signed_off_by, doc.signed_off_at) == (ReviewStatus.SIGNED_OFF, "zhao", services.clock())
    counts = databases.row_counts(services.db)

    refusals = [
        lambda: services.reviews.update_review(review, summary="改了", expected_version=services.reviews.version_of(AfterActionReview, review)),
        lambda: services.reviews.rate_objective(review, _objectives(services, drill)[0], Rating.P, expected_version=builders.rating_version(services.reviews, review, _objectives(services, drill)[0])),
        lambda: services.reviews.clear_rating(review, _objectives(services, drill)[0], expected_version=0),
        lambda: services.reviews.add_finding(review, FindingKind.STRENGTH, "补一条"),
        lambda: services.reviews.update_finding(strength, text="改了", expected_version=services.reviews.version_of(Finding, strength)),
        lambda: services.reviews.remove_finding(strength, expected_version=services.reviews.version_of(Finding, strength)),
        lambda: services.reviews.add_hot_wash_note(finished, HotWashKind.WENT_WELL, "补一条"),
        lambda: services.reviews.sign_off(review, expected_version=services.reviews.version_of(AfterActionReview, review)),
    ]
    for refused in refusals:
        with pytest.raises(DomainError, match="signed off"):
            refused()
    assert databases.row_counts(services.db) == counts

    # ... whoever writes, past the operations' own checks: the session's rule refuses it
    for change in (
        lambda s: setattr(s.get(AfterActionReview, review), "summary", "偷改"),
        lambda s: setattr(s.get(Finding, strength), "text", "偷改"),
        lambda s: setattr(s.scalar(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == finished)), "note",
                          "偷改"),
        lambda s: s.add(LogEntry(drill_run_id=finished, at=services.clock(), recorded_at=services.clock(), seq=999,
                                 chain_hash="0" * 64, text="补记")),
    ):
        with pytest.raises(DomainError, match="signed off"):
            with ServiceBase(services.db, services.actor, services.clock).write("reviews.update_review") as s:
                change(s)
    assert databases.row_counts(services.db) == counts

    # what still moves: the corrective actions, amendments
    services.reviews.set_action_status(action, ActionStatus.IN_PROGRESS, expected_version=services.reviews.version_of(CorrectiveAction, action))
    services.reviews.update_corrective_action(action, owner_name="综合科", expected_version=services.reviews.version_of(CorrectiveAction, action))
    amendment = coordinator.reviews.add_amendment(review, "初报模板已于4月修订")
    doc = services.review_docs.document(review)
    assert [(a.id, a.author, a.text) for a in doc.amendments] == [(amendment, "zhao", "初报模板已于4月修订")]
    assert doc.findings[0].actions[0].status is ActionStatus.IN_PROGRESS


def test_a_finding_opens_a_plan_revision_and_both_show_the_link(services, finished, plan, clock):
    review = services.reviews.create_from_run(finished)
    with services.db.session() as s:
        room = s.scalar(select(PlanResource.id).where(PlanResource.version_id == plan.version_id))
    key = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室钥匙存放位置不当",
                                       root_cause="钥匙由值班科长保管", agency=Agency.QUARANTINE)
    services.reviews.set_finding_target(key, PlanPart.RESOURCE, room, expected_version=services.reviews.version_of(Finding, key))
    remedy = services.reviews.add_corrective_action(key, "修订预案：钥匙存放于检疫值班台", capability=Capability.PLAN,
                                                    owner_branch_id=None, due_on=date(2026, 4, 30))
    training = services.reviews.add_corrective_action(key, "组织值班员培训", capability=Capability.TRAINING)

    draft = services.reviews.revise_plan(key, expected_version=services.reviews.version_of(Finding, key))

    with services.db.session() as s:
        version = s.get(PlanVersion, draft)
        assert (version.plan_id, version.status, version.number) == (plan.plan_id, PlanStatus.DRAFT, 2)
        assert ANSWERS_HEADING in version.change_note and f"#{key} 隔离室钥匙存放位置不当" in version.change_note
        assert s.get(CorrectiveAction, remedy).closes_with_revision
        assert not s.get(CorrectiveAction, training).closes_with_revision
    [answered] = services.reviews.findings_for_version(draft)
    assert (answered.finding_id, answered.review_id, answered.open_actions) == (key, review, 2)
    finding = next(f for f in services.review_docs.document(review).findings if f.id == key)
    assert (finding.target.part, finding.target.label) == (PlanPart.RESOURCE, "隔离观察室")
    assert (finding.revision.version_id, finding.revision.number, finding.revision.status) == (
        draft, 2, PlanStatus.DRAFT)

    second = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室标识不清")
    services.reviews.set_finding_target(second, PlanPart.RESOURCE, room, expected_version=services.reviews.version_of(Finding, second))
    assert services.reviews.revise_plan(second, expected_version=services.reviews.version_of(Finding, second)) == draft, "the revision already open answers it too"
    assert services.reviews.revise_plan(key, expected_version=services.reviews.version_of(Finding, key)) == draft
    with services.db.session() as s:
        note = s.get(PlanVersion, draft).change_note
    assert note.count(ANSWERS_HEADING) == 1 and f"#{second} 隔离室标识不清" in note

    services.revisions.submit_for_review(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    services.plans.approve_version(draft, clock.now.date(), clock.now.date() + timedelta(days=365), expected_version=services.plans.version_of(PlanVersion, draft))

    with services.db.session() as s:
        closed = s.get(CorrectiveAction, remedy)
        assert (closed.status, closed.closed_at) == (ActionStatus.DONE, clock.now)
        assert "预案第2版已批准" in closed.evidence
        assert s.get(CorrectiveAction, training).status is ActionStatus.OPEN, "not its remedy: stays open"


def test_revise_plan_after_sign_off_still_links_the_finding(services, finished, plan):
    review = services.reviews.create_from_run(finished)
    with services.db.session() as s:
        room = s.scalar(select(PlanResource.id).where(PlanResource.version_id == plan.version_id))
    key = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室钥匙存放位置不当")
    services.reviews.set_finding_target(key, PlanPart.RESOURCE, room, expected_version=services.reviews.version_of(Finding, key))
    services.reviews.sign_off(review, expected_version=services.reviews.version_of(AfterActionReview, review))

    draft = services.reviews.revise_plan(key, expected_version=services.reviews.version_of(Finding, key))

    assert services.review_docs.document(review).findings[0].revision.version_id == draft


def test_a_finding_without_a_plan_cannot_open_a_revision(services, finished):
    review = services.reviews.create_from_run(finished)
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "问题")
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="Point the finding at a plan"):
        services.reviews.revise_plan(finding, expected_version=services.reviews.version_of(Finding, finding))

    assert databases.row_counts(services.db) == counts


def test_a_tabletops_gap_becomes_a_draft_finding(services, port, plan, clock):
    drill = builders.drill(services, port, plan, level=2, starts_in=timedelta(0), kind=DrillKind.TABLETOP,
                           injects=[(0, "旅检大厅发生持刀伤人"), (10, "货运通道发现第二名可疑人员"), (20, "有旅客受伤")])
    run_id = services.runs.start_run(drill)
    for expected_step in range(3):
        assert services.runs.tabletop_advance(run_id) == expected_step
    services.runs.tabletop_jump(run_id, 120)
    view = services.console.tabletop(run_id)
    assert view.current == 2 and view.snapshot.scenario_jump_minutes == 120
    step = view.steps[0]
    cargo = next(e for e, _mark in step.expected if e.text == "封控旅检大厅")
    services.runs.tabletop_mark(run_id, 0, cargo.key, MarkStatus.DISCUSSED)
    services.runs.tabletop_mark(run_id, 0, cargo.key, MarkStatus.GAP, "未明确由谁下令封控")
    with pytest.raises(DomainError, match="last inject"):
        services.runs.tabletop_advance(run_id)
    services.runs.end_run(run_id)

    review = services.reviews.create_from_run(run_id)

    [gap] = services.review_docs.document(review).findings
    assert (gap.kind, gap.draft, gap.source, gap.agency) == (FindingKind.IMPROVEMENT, True, FindingSource.TABLETOP,
                                                             Agency.BORDER_INSPECTION)
    assert gap.text == "封控旅检大厅 — 未明确由谁下令封控"
    assert [line.text for line in services.console.snapshot(run_id).log if "Inject" in line.text] == [
        "导调注入1已下达 / Inject 1 delivered: 旅检大厅发生持刀伤人",
        "导调注入2已下达 / Inject 2 delivered: 货运通道发现第二名可疑人员",
        "导调注入3已下达 / Inject 3 delivered: 有旅客受伤"]


def test_the_approval_hook_runs_inside_the_approval(services, port):
    """Approving a plan version with no finding linked closes nothing and fails nothing."""
    plan = builders.draft_plan(services, port, "QH-Z")
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    services.plans.approve_version(plan.version_id, date(2026, 3, 2), date(2027, 3, 2), expected_version=services.plans.version_of(PlanVersion, plan.version_id))
    with services.db.session() as s:
        assert s.get(PlanVersion, plan.version_id).status is PlanStatus.APPROVED
