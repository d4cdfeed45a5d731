"""Closing the loop into the plan: a finding opens a revision of the plan it points at, the revision's change
note lists the findings it answers, the finding shows the revision that answered it, and approving the revision
closes the corrective actions whose remedy it is.

"Revise plan" uses the plans' own operation for the new draft (`PlanRevisionService.new_revision`, or the draft
already open), then links the finding to it in an operation of its own. The approval hook
(`version_approved`) is called by `PlanService.approve_version`, inside the approval's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import AfterActionReview, CorrectiveAction, Finding, PlanVersion
from drillapp.models.enums import ActionStatus, Agency, Capability, FindingKind, PlanStatus
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError

#: The heading under which a revision's change note lists the findings it answers (the port's language first;
#: the note is the plan's own text and prints as written).
ANSWERS_HEADING = "答复评估发现 / Answers findings:"
APPROVED_EVIDENCE = "预案第{number}版已批准 / Plan version {number} approved"
OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class FindingRef:
    """A finding as the plan's side shows it: which review, what it says, what it points at."""

    finding_id: int
    review_id: int
    review_title: str
    kind: FindingKind
    text: str
    agency: Agency | None
    open_actions: int


def finding_line(finding_id: int, text: str, review_title: str) -> str:
    first = (text.strip().splitlines() or [""])[0][:200]
    return f"- #{finding_id} {first}（{review_title}）"


def change_note_with(note: str, lines: list[str]) -> str:
    """The change note with its list of answered findings (re)written at its end; the rest kept as written."""
    base = note.split(ANSWERS_HEADING)[0].rstrip()
    if not lines:
        return base
    return (base + "\n\n" if base else "") + ANSWERS_HEADING + "\n" + "\n".join(lines)


def _refs(session: Session, version_id: int) -> list[FindingRef]:
    rows = session.execute(
        select(Finding, AfterActionReview.title).join(AfterActionReview, AfterActionReview.id == Finding.review_id)
        .where(Finding.revision_version_id == version_id).order_by(Finding.id))
    return [FindingRef(f.id, f.review_id, title, f.kind, f.text, f.agency,
                       sum(1 for a in f.actions if a.status in OPEN_STATUSES)) for f, title in rows]


def version_approved(session: Session, version: PlanVersion) -> int:
    """Called when `version` is approved: the open corrective actions whose remedy it is are done; returns how
    many."""
    now = audit.operation_time(session)
    closed = 0
    for action in session.scalars(
        select(CorrectiveAction).join(Finding, Finding.id == CorrectiveAction.finding_id)
        .where(Finding.revision_version_id == version.id, CorrectiveAction.closes_with_revision.is_(True),
               CorrectiveAction.status.in_(OPEN_STATUSES))
    ):
        action.status, action.closed_at = ActionStatus.DONE, now
        line = APPROVED_EVIDENCE.format(number=version.number)
        action.evidence = f"{action.evidence}\n{line}" if action.evidence else line
        closed += 1
    return closed


class ReviewLoopOps(ServiceBase):
    """The plan-revision operations of ReviewService (a mixin)."""

    def revise_plan(self, finding_id: int, *, expected_version: int) -> int:
        """Open a revision of the plan the finding points at (a new draft, or the draft already open) and link
        the finding to it; the finding's plan corrective actions get the revision as their remedy. Returns the
        draft's version id."""
        with self.read() as s:
            finding = validate.get(s, Finding, finding_id, _("Finding"))
            if finding.kind is not FindingKind.IMPROVEMENT:
                raise DomainError(_("Only an area for improvement opens a plan revision."))
            if finding.plan_id is None:
                raise DomainError(_("Point the finding at a plan (a section, action, contact or resource of it) "
                                    "first."))
            plan_id = finding.plan_id
            linked = s.get(PlanVersion, finding.revision_version_id) if finding.revision_version_id else None
            if linked is not None and linked.plan_id == plan_id:
                return linked.id
            draft = s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan_id,
                                                          PlanVersion.status.in_((PlanStatus.DRAFT,
                                                                                  PlanStatus.IN_REVIEW)))
                             .order_by(PlanVersion.number.desc()).limit(1))
        if draft is None:
            from drillapp.services.plan_revisions import PlanRevisionService

            draft = PlanRevisionService(self.db, self.actor, self.clock, self.scope).new_revision(plan_id)
        self.link_revision(finding_id, draft, expected_version=expected_version)
        return draft

    def link_revision(self, finding_id: int, version_id: int, *, expected_version: int) -> None:
        """Link a finding (at `expected_version`) to the revision (draft) of its plan that answers it, and list it
        in the change note."""
        with self.write("reviews.revise_plan") as s:
            finding = validate.get(s, Finding, finding_id, _("Finding"))
            validate.expect_version(finding, expected_version)
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            if finding.plan_id != version.plan_id:
                raise DomainError(_("This revision is of another plan than the finding's."))
            if version.status not in (PlanStatus.DRAFT, PlanStatus.IN_REVIEW):
                raise DomainError(_("Only a revision still in draft or in review can answer a finding."))
            finding.revision_version_id = version.id
            for action in finding.actions:
                if action.capability is Capability.PLAN and action.status in OPEN_STATUSES:
                    action.closes_with_revision = True
            s.flush()
            if version.status is PlanStatus.DRAFT:
                version.change_note = change_note_with(
                    version.change_note, [finding_line(r.finding_id, r.text, r.review_title)
                                          for r in _refs(s, version.id)])

    def findings_for_version(self, version_id: int) -> tuple[FindingRef, ...]:
        """The findings a plan version answers (for the plan's compare view and its change note)."""
        with self.read() as s:
            return tuple(_refs(s, version_id))
