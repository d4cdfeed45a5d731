"""After-action reviews: findings and corrective actions tracked to closure.

Ratings, sign-off and the AAR print-out come with the reviews issue.
"""

from __future__ import annotations

from datetime import date

from drillapp.i18n import _
from drillapp.models import AfterActionReview, Branch, CorrectiveAction, Drill, DrillRun, Finding, Incident
from drillapp.models.enums import ActionStatus, FindingKind
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.permissions import check_branch


class ReviewService(ServiceBase):
    def create_review(self, title: str, *, drill_run_id: int | None = None, incident_id: int | None = None) -> int:
        with self.write("reviews.create_review") as s:
            if (drill_run_id is None) == (incident_id is None):
                raise DomainError(_("A review is of exactly one drill run or incident."))
            if drill_run_id is not None:
                run = validate.get(s, DrillRun, drill_run_id, _("Drill run"))
                port_id = validate.get(s, Drill, run.drill_id, _("Drill")).port_id
            else:
                port_id = validate.get(s, Incident, incident_id, _("Incident")).port_id
            review = AfterActionReview(
                port_id=port_id, title=validate.text(title, "title", _("Title"), max_len=300),
                drill_run_id=drill_run_id, incident_id=incident_id,
            )
            s.add(review)
            s.flush()
            return review.id

    def add_finding(self, review_id: int, kind: FindingKind, text: str, plan_id: int | None = None) -> int:
        with self.write("reviews.add_finding") as s:
            review = validate.get(s, AfterActionReview, review_id, _("Review"))
            finding = Finding(
                review_id=review.id, kind=kind, plan_id=plan_id, position=len(review.findings),
                text=validate.long_text(text, "text", _("Finding"), required=True),
            )
            s.add(finding)
            s.flush()
            return finding.id

    def add_corrective_action(
        self, finding_id: int, text: str, *, owner_branch_id: int | None = None, owner_name: str = "",
        due_on: date | None = None,
    ) -> int:
        with self.write("reviews.add_corrective_action") as s:
            finding = validate.get(s, Finding, finding_id, _("Finding"))
            if finding.kind is not FindingKind.IMPROVEMENT:
                raise DomainError(_("Corrective actions belong to areas for improvement, not to strengths."))
            if owner_branch_id is not None:
                validate.get(s, Branch, owner_branch_id, _("Branch"))
            action = CorrectiveAction(
                finding_id=finding.id, owner_branch_id=owner_branch_id, due_on=due_on,
                owner_name=validate.text(owner_name, "owner_name", _("Owner"), max_len=100, required=False),
                text=validate.long_text(text, "text", _("Corrective action"), required=True),
            )
            s.add(action)
            s.flush()
            return action.id

    def set_action_status(self, action_id: int, status: ActionStatus, expected_version: int | None = None) -> None:
        with self.write("reviews.set_action_status") as s:
            action = validate.get(s, CorrectiveAction, action_id, _("Corrective action"))
            check_branch(self.actor, "reviews.set_action_status", action.owner_branch_id)
            validate.expect_version(action, expected_version)
            action.status = status
            closed = status in (ActionStatus.DONE, ActionStatus.CANCELLED)
            action.closed_at = audit.operation_time(s) if closed else None
