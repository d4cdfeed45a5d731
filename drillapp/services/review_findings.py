"""Findings of a review: strengths and areas for improvement (with their root cause), drafts from the hot wash
and the tabletop accepted or removed by the evaluator, and what part of a plan a finding points at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    AfterActionReview,
    DrillObjective,
    DrillRun,
    Finding,
    HotWashNote,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
)
from drillapp.models.enums import Agency, FindingKind, PlanPart
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.review_rules import open_review

PART_MODELS: dict[PlanPart, type[PlanSection] | type[PlanAction] | type[PlanContact] | type[PlanResource]] = {
    PlanPart.SECTION: PlanSection, PlanPart.ACTION: PlanAction, PlanPart.CONTACT: PlanContact,
               PlanPart.RESOURCE: PlanResource}
PART_COLUMNS = {PlanPart.SECTION: "plan_section_id", PlanPart.ACTION: "plan_action_id",
                PlanPart.CONTACT: "plan_contact_id", PlanPart.RESOURCE: "plan_resource_id"}
_UNSET: Any = object()


def next_position(session: Session, review_id: int) -> int:
    top = session.scalar(select(func.max(Finding.position)).where(Finding.review_id == review_id))
    return 0 if top is None else top + 1


def _objective(session: Session, review: AfterActionReview, objective_id: int | None) -> int | None:
    if objective_id is None:
        return None
    objective = validate.get(session, DrillObjective, objective_id, _("Objective"))
    run = session.get(DrillRun, review.drill_run_id) if review.drill_run_id else None
    if run is None or objective.drill_id != run.drill_id:
        raise DomainError(_("This objective is not one of the reviewed drill's."))
    return objective.id


def _open_finding(session: Session, finding_id: int) -> tuple[Finding, AfterActionReview]:
    finding = validate.get(session, Finding, finding_id, _("Finding"))
    return finding, open_review(session, finding.review_id)


class ReviewFindingOps(ServiceBase):
    """The finding operations of ReviewService (a mixin)."""

    def add_finding(self, review_id: int, kind: FindingKind, text: str, plan_id: int | None = None, *,
                    root_cause: str = "", agency: Agency | None = None, objective_id: int | None = None) -> int:
        with self.write("reviews.add_finding") as s:
            review = open_review(s, review_id)
            finding = Finding(
                review_id=review.id, kind=kind, plan_id=plan_id, position=next_position(s, review.id),
                text=validate.long_text(text, "text", _("Finding"), required=True),
                root_cause=validate.long_text(root_cause, "root_cause", _("Root cause")), agency=agency,
                objective_id=_objective(s, review, objective_id),
            )
            s.add(finding)
            s.flush()
            return finding.id

    def update_finding(self, finding_id: int, *, expected_version: int, kind: FindingKind | None = None,
                       text: str | None = None, root_cause: str | None = None, agency: Any = _UNSET,
                       objective_id: Any = _UNSET) -> int:
        """Change what a finding says (only the fields given); returns its new row version."""
        with self.write("reviews.update_finding") as s:
            finding, review = _open_finding(s, finding_id)
            validate.expect_version(finding, expected_version)
            if kind is not None and kind is not finding.kind:
                if kind is FindingKind.STRENGTH and finding.actions:
                    raise DomainError(_("This finding has corrective actions: it cannot become a strength."))
                finding.kind = kind
            if text is not None:
                finding.text = validate.long_text(text, "text", _("Finding"), required=True)
            if root_cause is not None:
                finding.root_cause = validate.long_text(root_cause, "root_cause", _("Root cause"))
            if agency is not _UNSET:
                finding.agency = agency
            if objective_id is not _UNSET:
                finding.objective_id = _objective(s, review, objective_id)
            s.flush()
            return finding.row_version

    def accept_finding(self, finding_id: int, *, expected_version: int) -> None:
        """A draft (from the hot wash or the tabletop) becomes a finding of the review."""
        with self.write("reviews.accept_finding") as s:
            finding, _review = _open_finding(s, finding_id)
            validate.expect_version(finding, expected_version)
            if not finding.draft:
                raise DomainError(_("This finding is not a draft."))
            finding.draft = False

    def remove_finding(self, finding_id: int, *, expected_version: int) -> None:
        """Remove a finding (and its corrective actions) from a review not yet signed off."""
        with self.write("reviews.remove_finding") as s:
            finding, _review = _open_finding(s, finding_id)
            validate.expect_version(finding, expected_version)
            for note in s.scalars(select(HotWashNote).where(HotWashNote.finding_id == finding.id)):
                note.finding_id = None  # the note stays, as taken
            s.flush()
            s.delete(finding)

    def set_finding_target(self, finding_id: int, part: PlanPart | None, part_id: int | None = None, *,
                           expected_version: int) -> None:
        """Point a finding at a part of a plan (section, action, contact, resource), or at nothing."""
        with self.write("reviews.set_finding_target") as s:
            finding, _review = _open_finding(s, finding_id)
            validate.expect_version(finding, expected_version)
            for column in PART_COLUMNS.values():
                setattr(finding, column, None)
            if part is None:
                return
            if part_id is None:
                raise DomainError(_("Say which part of the plan the finding points at."))
            row = validate.get(s, PART_MODELS[part], part_id, _("Plan part"))
            setattr(finding, PART_COLUMNS[part], row.id)
            finding.plan_id = s.scalar(select(PlanVersion.plan_id).where(PlanVersion.id == row.version_id))

