"""Contingency plans: creation, actions, approval, and the rule that an approved version never changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import select

from drillapp.models import ContingencyPlan, PlanAction, PlanVersion, ResponseLevel
from drillapp.models.enums import Agency, PlanStatus, ReportKind, ResponsePhase, Scenario
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH

FROZEN_MESSAGE = "approved plan version cannot be changed"


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


def _raw(services) -> ServiceBase:
    """A write through a named operation but without the service's own checks: only the model guard stands."""
    return ServiceBase(services.db, services.actor, services.clock)


def test_create_plan_makes_a_draft_first_version_with_its_levels(services, port):
    plan_id, version_id = services.plans.create_plan(
        port.port_id, "QH-01", Scenario.FIRE_EVACUATION, "火灾疏散预案", "Fire", levels=(2, 4),
        owner_branch_id=port.branches[Agency.PORT_OFFICE],
    )

    with services.db.session() as s:
        plan = s.get(ContingencyPlan, plan_id)
        assert (plan.code, plan.scenario, plan.title_zh, plan.owner_branch_id) == (
            "QH-01", Scenario.FIRE_EVACUATION, "火灾疏散预案", port.branches[Agency.PORT_OFFICE]
        )
        [version] = plan.versions
        assert (version.id, version.number, version.status) == (version_id, 1, PlanStatus.DRAFT)
        assert [(lv.level, lv.name, lv.colour) for lv in version.levels] == [
            (2, LEVEL_NAMES_ZH[2], LEVEL_COLOURS[2]), (4, LEVEL_NAMES_ZH[4], LEVEL_COLOURS[4])
        ]


def test_add_action_numbers_the_positions(services, port):
    _plan_id, version_id = services.plans.create_plan(port.port_id, "QH-01", Scenario.OTHER, "预案")

    first = services.plans.add_action(version_id, Agency.CUSTOMS, ResponsePhase.ALERT, "关闭通道", level=2,
                                      target_minutes=10, responsible_post="值班科长", report_due=ReportKind.INITIAL)
    second = services.plans.add_action(version_id, Agency.QUARANTINE, ResponsePhase.CONTAINMENT, "隔离")

    with services.db.session() as s:
        a, b = s.get(PlanAction, first), s.get(PlanAction, second)
        assert (a.position, a.level, a.target_minutes, a.responsible_post, a.report_due) == (
            0, 2, 10, "值班科长", ReportKind.INITIAL
        )
        assert (b.position, b.level, b.target_minutes) == (1, None, None)


def test_update_version_of_a_draft(services, port):
    plan = builders.draft_plan(services, port)

    services.plans.update_version(plan.version_id, change_note="首版", review_due_on=date(2027, 3, 1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))

    with services.db.session() as s:
        version = s.get(PlanVersion, plan.version_id)
        assert (version.change_note, version.review_due_on) == ("首版", date(2027, 3, 1))


def test_approve_version(services, port, admin, clock):
    plan = builders.draft_plan(services, port)
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))

    services.plans.approve_version(plan.version_id, date(2026, 3, 1), date(2027, 3, 1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))

    with services.db.session() as s:
        version = s.get(PlanVersion, plan.version_id)
        assert (version.status, version.approved_by_id, version.approved_at) == (
            PlanStatus.APPROVED, admin.user_id, clock.now
        )
        assert (version.effective_on, version.review_due_on) == (date(2026, 3, 1), date(2027, 3, 1))
    entry = audit_trail.one(services.db, entity="plan_version", entity_id=plan.version_id,
                            operation="plans.approve_version")
    assert (entry["before"]["status"], entry["after"]["status"]) == ("in_review", "approved")


def test_a_draft_never_sent_for_review_cannot_be_approved(services, port):
    """The committee's approval is two steps, "send for review" then "approve" (issue 14, item 4)."""
    plan = builders.draft_plan(services, port)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="Only a version in review can be approved"):
        services.plans.approve_version(plan.version_id, date(2026, 3, 1), date(2027, 3, 1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))

    assert databases.row_counts(services.db) == counts
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    services.plans.approve_version(plan.version_id, date(2026, 3, 1), date(2027, 3, 1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))
    assert services.plans.document(plan.version_id).status is PlanStatus.APPROVED


def test_approving_a_new_version_supersedes_the_approved_one(services, port):
    plan = builders.approved_plan(services, port)
    revision = builders.new_revision(services, plan.plan_id)
    services.plans.add_action(revision, Agency.CUSTOMS, ResponsePhase.ALERT, "新增：通知海关总署")
    services.revisions.submit_for_review(revision, expected_version=services.revisions.version_of(PlanVersion, revision))

    services.plans.approve_version(revision, date(2026, 4, 1), date(2027, 4, 1), expected_version=services.plans.version_of(PlanVersion, revision))

    with services.db.session() as s:
        statuses = {v.number: v.status for v in s.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.plan_id))}
    assert statuses == {1: PlanStatus.SUPERSEDED, 2: PlanStatus.APPROVED}
    *_first_approval, superseded = audit_trail.entries(
        services.db, entity="plan_version", entity_id=plan.version_id, operation="plans.approve_version"
    )
    assert (superseded["before"], superseded["after"]) == ({"status": "approved"}, {"status": "superseded"})


def test_an_approved_version_cannot_be_approved_again(services, port):
    plan = builders.approved_plan(services, port)

    with pytest.raises(DomainError, match="already approved"):
        services.plans.approve_version(plan.version_id, date(2026, 4, 1), date(2027, 4, 1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))


def test_adding_an_action_to_an_approved_version_is_refused_and_writes_nothing(services, port):
    plan = builders.approved_plan(services, port)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match=FROZEN_MESSAGE):
        services.plans.add_action(plan.version_id, Agency.CUSTOMS, ResponsePhase.ALERT, "补充")

    assert databases.row_counts(services.db) == counts


def test_editing_an_approved_version_is_refused_and_writes_nothing(services, port):
    plan = builders.approved_plan(services, port)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match=FROZEN_MESSAGE):
        services.plans.update_version(plan.version_id, change_note="悄悄修改", expected_version=services.plans.version_of(PlanVersion, plan.version_id))

    assert databases.row_counts(services.db) == counts
    with services.db.session() as s:
        assert s.get(PlanVersion, plan.version_id).change_note == ""


def _edit_action_text(s, version_id):
    s.scalars(select(PlanAction).where(PlanAction.version_id == version_id)).first().text = "改写"


def _delete_an_action(s, version_id):
    s.delete(s.scalars(select(PlanAction).where(PlanAction.version_id == version_id)).first())


def _add_an_action(s, version_id):
    s.add(PlanAction(version_id=version_id, agency=Agency.CUSTOMS, phase=ResponsePhase.ALERT, text="偷偷加的"))


def _rename_a_level(s, version_id):
    s.scalars(select(ResponseLevel).where(ResponseLevel.version_id == version_id)).first().name = "改名"


def _change_review_date(s, version_id):
    s.get(PlanVersion, version_id).review_due_on = date(2030, 1, 1)


def _reopen_as_draft(s, version_id):
    s.get(PlanVersion, version_id).status = PlanStatus.DRAFT


def _delete_the_version(s, version_id):
    s.delete(s.get(PlanVersion, version_id))


RAW_EDITS = {
    "edit an action": _edit_action_text,
    "delete an action": _delete_an_action,
    "add an action": _add_an_action,
    "rename a response level": _rename_a_level,
    "change the review date": _change_review_date,
    "reopen it as a draft": _reopen_as_draft,
    "delete the version": _delete_the_version,
}


@pytest.mark.parametrize("edit", list(RAW_EDITS), ids=list(RAW_EDITS))
def test_a_raw_write_to_an_approved_version_is_refused(services, port, edit):
    """The guard sits on the session, so even a write that skips the service's own checks is refused."""
    plan = builders.approved_plan(services, port)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match=FROZEN_MESSAGE), _raw(services).write("plans.update_version") as s:
        RAW_EDITS[edit](s, plan.version_id)

    assert databases.row_counts(services.db) == counts
    with services.db.session() as s:
        assert s.get(PlanVersion, plan.version_id).status is PlanStatus.APPROVED


def test_a_superseded_version_is_frozen_too(services, port):
    plan = builders.approved_plan(services, port)
    revision = builders.new_revision(services, plan.plan_id)
    services.revisions.submit_for_review(revision, expected_version=services.revisions.version_of(PlanVersion, revision))
    services.plans.approve_version(revision, date(2026, 4, 1), date(2027, 4, 1), expected_version=services.plans.version_of(PlanVersion, revision))

    with pytest.raises(DomainError, match=FROZEN_MESSAGE):
        services.plans.add_action(plan.version_id, Agency.CUSTOMS, ResponsePhase.ALERT, "补充")


def test_a_draft_revision_stays_editable_while_the_approved_one_is_in_force(services, port):
    plan = builders.approved_plan(services, port)
    revision = builders.new_revision(services, plan.plan_id)

    action_id = services.plans.add_action(revision, Agency.PORT_OFFICE, ResponsePhase.RECOVERY, "恢复通关")
    services.plans.update_version(revision, change_note="第二版", effective_on=date(2026, 5, 1), expected_version=services.plans.version_of(PlanVersion, revision))

    with services.db.session() as s:
        assert s.get(PlanAction, action_id).version_id == revision
        assert s.get(PlanVersion, revision).change_note == "第二版"
        assert s.get(PlanVersion, plan.version_id).status is PlanStatus.APPROVED


def test_review_date_before_effective_date_is_refused(services, port):
    plan = builders.draft_plan(services, port)
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    today = services.clock().date()

    with pytest.raises(DomainError, match="before the start"):
        services.plans.approve_version(plan.version_id, today, today - timedelta(days=1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))

    with services.db.session() as s:
        assert s.get(PlanVersion, plan.version_id).status is PlanStatus.IN_REVIEW
