"""A plan's versions: draft → review → approved → superseded/retired; revisions copy; drafts save whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from helpers import builders

from drillapp.models import PlanVersion
from drillapp.models.enums import Agency, PlanStatus, ResponsePhase, SectionKind
from drillapp.services.errors import ConflictError, DomainError, ValidationError
from drillapp.services.plan_document import ActionDoc, SectionDoc
from drillapp.services.plan_revisions import DraftContent


@pytest.fixture
def approved(services):
    port = builders.port_with_branches(services)
    return builders.approved_plan(services, port)


def _with_sections(services, version_id: int) -> None:
    doc = services.plans.document(version_id)
    content = replace(DraftContent.of(doc), sections=(
        SectionDoc(-1, SectionKind.GENERAL, "总则", "目的 <依据> & “范围”", 0),
        SectionDoc(-2, SectionKind.GENERAL, "编制目的", "为规范口岸联合处置工作……", 1, parent_id=-1),
    ))
    services.revisions.save_draft(version_id, doc.row_version, content)


def test_revision_copies_the_approved_version_into_a_new_draft(services, approved) -> None:
    draft = services.revisions.new_revision(approved.plan_id, "年度修订")
    _with_sections(services, draft)
    old, new = services.plans.document(approved.version_id), services.plans.document(draft)
    assert (new.number, new.status, new.change_note) == (2, PlanStatus.DRAFT, "年度修订")
    assert [a.text for a in new.actions] == [a.text for a in old.actions]
    assert [lv.level for lv in new.levels] == [lv.level for lv in old.levels]
    child = [x for x in new.sections if x.title == "编制目的"][0]
    parent = [x for x in new.sections if x.title == "总则"][0]
    assert child.parent_id == parent.id and parent.body == "目的 <依据> & “范围”"
    with pytest.raises(DomainError, match="still a draft"):
        services.revisions.new_revision(approved.plan_id)
    # the approved version is untouched and still readable
    assert services.plans.document(approved.version_id).status is PlanStatus.APPROVED


def test_the_whole_life_of_a_revision(services, approved) -> None:
    draft = services.revisions.new_revision(approved.plan_id)
    doc = services.plans.document(draft)
    extra = ActionDoc(0, Agency.CUSTOMS, 2, ResponsePhase.FIRST_RESPONSE, 0, "10分钟内封闭货运通道", "监管科", 10, None)
    content = replace(DraftContent.of(doc), actions=(*doc.actions, extra),
                      contacts=(replace(doc.contacts[0], phone="0433-7599999"),) if doc.contacts else ())
    new_row_version = services.revisions.save_draft(draft, doc.row_version, content)
    assert new_row_version > doc.row_version
    with pytest.raises(ConflictError, match="changed by admin"):
        services.revisions.save_draft(draft, doc.row_version, content)  # a stale copy of the draft
    differences = services.revisions.compare(approved.version_id, draft)
    assert any(d.area == "actions" and "10分钟内封闭货运通道" in d.item and d.before == "" for d in differences)
    services.revisions.submit_for_review(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    with pytest.raises(DomainError, match="Only a draft can be edited"):
        services.revisions.save_draft(draft, services.revisions.version_of(PlanVersion, draft), content)
    services.revisions.return_to_draft(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    services.revisions.submit_for_review(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    services.plans.approve_version(draft, date(2026, 3, 2), date(2027, 3, 2), expected_version=services.plans.version_of(PlanVersion, draft))
    assert services.plans.document(approved.version_id).status is PlanStatus.SUPERSEDED
    assert services.plans.document(draft).status is PlanStatus.APPROVED
    services.revisions.retire(approved.plan_id, expected_version=builders.approved_version(services, approved.plan_id))
    assert services.plans.document(draft).status is PlanStatus.RETIRED
    with pytest.raises(DomainError, match="no approved version"):
        services.revisions.retire(approved.plan_id, expected_version=builders.approved_version(services, approved.plan_id))


def test_invalid_draft_content_writes_nothing(services, approved) -> None:
    from helpers import databases

    draft = services.revisions.new_revision(approved.plan_id)
    doc = services.plans.document(draft)
    counts = databases.row_counts(services.db)
    bad = ActionDoc(0, Agency.CUSTOMS, 2, ResponsePhase.ALERT, 0, "", "", None, None)
    with pytest.raises(ValidationError, match="must not be empty"):
        services.revisions.save_draft(draft, doc.row_version, replace(DraftContent.of(doc), actions=(bad,)))
    assert databases.row_counts(services.db) == counts
    assert len(services.plans.document(draft).actions) == len(doc.actions), "nothing half-written"


def test_a_draft_revision_can_be_discarded(services, approved) -> None:
    """Issue 14 item 1: an accidental "New revision" is undone; the version in force is shown again."""
    from helpers import audit_trail, databases

    counts = databases.row_counts(services.db)
    draft = services.revisions.new_revision(approved.plan_id)
    doc = services.plans.document(draft)
    assert services.revisions.findings_answered_by(draft) == ()

    shown = services.revisions.discard_draft(draft, doc.row_version)

    assert shown == approved.version_id
    assert [v for v, _n, _s in services.plans.versions(approved.plan_id)] == [approved.version_id]
    after = databases.row_counts(services.db)
    assert {t: n for t, n in after.items() if t != "audit_entry"} == {
        t: n for t, n in counts.items() if t != "audit_entry"}, "the draft and all its parts are gone"
    deleted = audit_trail.entries(services.db, operation="plans.discard_draft", action="delete")
    assert {e["entity"] for e in deleted} >= {"plan_version", "plan_action", "response_level"}
    assert services.plans.shown_document(approved.plan_id).version_id == approved.version_id
    again = services.revisions.new_revision(approved.plan_id)  # the next revision takes the number again
    assert services.plans.document(again).number == 2


def test_only_a_draft_revision_can_be_discarded(services, approved) -> None:
    from helpers import databases

    draft = services.revisions.new_revision(approved.plan_id)
    doc = services.plans.document(draft)
    services.revisions.save_draft(draft, doc.row_version, DraftContent.of(doc))
    with pytest.raises(ConflictError):
        services.revisions.discard_draft(draft, doc.row_version)  # a stale copy
    services.revisions.submit_for_review(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    port = builders.port_with_branches(services, "HC", "珲春口岸")
    first = builders.draft_plan(services, port, "HC-01")
    counts = databases.row_counts(services.db)
    with pytest.raises(DomainError, match="Only a draft can be discarded"):
        services.revisions.discard_draft(draft, services.revisions.version_of(PlanVersion, draft))
    with pytest.raises(DomainError, match="Only a draft can be discarded"):
        services.revisions.discard_draft(approved.version_id, services.revisions.version_of(PlanVersion, approved.version_id))
    with pytest.raises(DomainError, match="only version"):
        services.revisions.discard_draft(first.version_id, services.revisions.version_of(PlanVersion, first.version_id))
    assert databases.row_counts(services.db) == counts
