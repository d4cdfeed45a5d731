"""A plan's life: draft → in review → approved (by whom, when) → superseded or retired.

An approved version is never edited: `new_revision` copies it to a new draft (its items keep their lineage);
`discard_draft` throws a draft revision away; the editor saves a draft as a whole (`save_draft`, one
transaction, optimistic locking on the version), which writes only the rows that changed (plan_drafts.py);
`compare` lists what changed between two versions (plan_compare.py).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from drillapp.i18n import _
from drillapp.models import ContingencyPlan, PlanVersion
from drillapp.models.enums import PlanStatus
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.plan_compare import Difference, compare_documents
from drillapp.services.plan_document import load_document, shown_version_id
from drillapp.services.plan_drafts import DraftContent, write_content

OPEN = (PlanStatus.DRAFT, PlanStatus.IN_REVIEW)

__all__ = ["OPEN", "Difference", "DraftContent", "PlanRevisionService", "compare_documents"]


class PlanRevisionService(ServiceBase):
    def submit_for_review(self, version_id: int, *, expected_version: int) -> None:
        with self.write("plans.submit_for_review") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status is not PlanStatus.DRAFT:
                raise DomainError(_("Only a draft can be sent for review."))
            version.status = PlanStatus.IN_REVIEW

    def return_to_draft(self, version_id: int, *, expected_version: int) -> None:
        with self.write("plans.return_to_draft") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status is not PlanStatus.IN_REVIEW:
                raise DomainError(_("Only a version in review can go back to draft."))
            version.status = PlanStatus.DRAFT

    def new_revision(self, plan_id: int, change_note: str = "") -> int:
        """Copy the newest version to a new draft (number + 1); refused while a draft or review is open."""
        with self.write("plans.new_revision") as s:
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            versions = list(s.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                                      .order_by(PlanVersion.number)))
            open_ones = [v for v in versions if v.status in OPEN]
            if open_ones:
                raise DomainError(_("Version {n} is still a draft or in review: finish it before a new revision.")
                                  .format(n=open_ones[-1].number))
            base = next((v for v in reversed(versions) if v.status is PlanStatus.APPROVED), versions[-1])
            draft = PlanVersion(plan_id=plan.id, number=versions[-1].number + 1, status=PlanStatus.DRAFT,
                                change_note=validate.long_text(change_note, "change_note", _("Change note")),
                                review_due_on=base.review_due_on)
            s.add(draft)
            s.flush()
            copied = DraftContent.of(load_document(s, base.id))  # every item keeps its lineage
            write_content(s, draft, replace(copied, change_note=draft.change_note))
            return draft.id

    def save_draft(self, version_id: int, expected_version: int, content: DraftContent) -> int:
        """Make a draft what `content` says, in one transaction: rows that changed are updated in place, removed
        ones deleted, new ones inserted, unchanged ones not written. Returns the version's new row version
        (it moves on at every save, so a desk holding an older copy is stopped)."""
        with self.write("plans.save_draft") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status is not PlanStatus.DRAFT:
                raise DomainError(_("Only a draft can be edited; start a new revision instead."))
            version.change_note = validate.long_text(content.change_note, "change_note", _("Change note"))
            flag_modified(version, "change_note")  # the version row itself changes: its row version moves on
            write_content(s, version, content)
            return version.row_version

    def discard_draft(self, version_id: int, expected_version: int) -> int:
        """Throw a draft revision away (a started revision nobody wants); returns the version to show instead
        (the one in force, or else the newest left). The first version of a plan cannot be discarded."""
        with self.write("plans.discard_draft") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status is not PlanStatus.DRAFT:
                raise DomainError(_("Only a draft can be discarded (a version in review goes back to draft first)."))
            if s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == version.plan_id,
                                                     PlanVersion.id != version.id).limit(1)) is None:
                raise DomainError(_("This draft is the plan's only version: there is nothing to go back to."))
            _release_findings(s, version)
            for section in version.sections:  # untie the tree, so the database's cascade does not delete
                section.parent_id = None      # subsections the session deletes too
            s.flush()
            plan_id = version.plan_id
            s.delete(version)
            s.flush()
            return shown_version_id(s, plan_id)

    def findings_answered_by(self, version_id: int) -> tuple[str, ...]:
        """The review findings a draft answers (what the UI names before discarding it): none yet, see
        `_release_findings`."""
        with self.read() as s:
            validate.get(s, PlanVersion, version_id, _("Plan version"))
            return ()

    def retire(self, plan_id: int, *, expected_version: int) -> None:
        """Take a plan out of force: its approved version (at `expected_version`, the approved version's row
        version the user saw) is retired (it stays readable)."""
        with self.write("plans.retire") as s:
            approved = s.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id,
                                                          PlanVersion.status == PlanStatus.APPROVED))
            if approved is None:
                raise DomainError(_("This plan has no approved version to retire."))
            validate.expect_version(approved, expected_version)
            approved.status = PlanStatus.RETIRED

    def compare(self, old_version_id: int, new_version_id: int) -> list[Difference]:
        with self.read() as s:
            return compare_documents(load_document(s, old_version_id), load_document(s, new_version_id))


def _release_findings(s: Session, version: PlanVersion) -> None:
    """The hook for review findings answered by a discarded draft: they go back to unanswered.

    Findings do not point at a plan version yet (a finding knows only its plan, `Finding.plan_id`). When the
    review issue links a finding to the revision that answers it, set those findings back to unanswered
    here (in this same transaction) and list them in `findings_answered_by`, which the editor shows before
    it asks to discard."""
    del s, version
