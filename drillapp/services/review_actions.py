"""Corrective actions: what will be done about an area for improvement (capability element: plan, organisation,
equipment, training, exercise), by which branch and person, from when to when, its status, the evidence of its
completion and who verified it. The improvement plan's living part: they keep moving after the review's
sign-off."""

from __future__ import annotations

from datetime import date
from typing import Any

from drillapp.i18n import _
from drillapp.models import Branch, CorrectiveAction, Finding
from drillapp.models.enums import ActionStatus, Capability, FindingKind
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.permissions import check_branch

_UNSET: Any = object()
CLOSED = (ActionStatus.DONE, ActionStatus.CANCELLED)


class ReviewActionOps(ServiceBase):
    """The corrective-action operations of ReviewService (a mixin)."""

    def add_corrective_action(
        self, finding_id: int, text: str, *, capability: Capability | None = None, owner_branch_id: int | None = None,
        owner_name: str = "", start_on: date | None = None, due_on: date | None = None,
        closes_with_revision: bool = False,
    ) -> int:
        """`closes_with_revision`: the plan revision linked to the finding is this action's remedy (its approval
        closes the action)."""
        with self.write("reviews.add_corrective_action") as s:
            finding = validate.get(s, Finding, finding_id, _("Finding"))
            if finding.kind is not FindingKind.IMPROVEMENT:
                raise DomainError(_("Corrective actions belong to areas for improvement, not to strengths."))
            if owner_branch_id is not None:
                validate.get(s, Branch, owner_branch_id, _("Branch"))
            validate.date_order(start_on, due_on, "due_on")
            action = CorrectiveAction(
                finding_id=finding.id, owner_branch_id=owner_branch_id, due_on=due_on, start_on=start_on,
                capability=capability, closes_with_revision=closes_with_revision,
                owner_name=validate.text(owner_name, "owner_name", _("Owner"), max_len=100, required=False),
                text=validate.long_text(text, "text", _("Corrective action"), required=True),
            )
            s.add(action)
            s.flush()
            return action.id

    def update_corrective_action(
        self, action_id: int, *, expected_version: int, text: Any = _UNSET, capability: Any = _UNSET,
        owner_branch_id: Any = _UNSET, owner_name: Any = _UNSET, start_on: Any = _UNSET, due_on: Any = _UNSET,
        closes_with_revision: Any = _UNSET,
    ) -> int:
        """Change the fields given; returns the action's new row version."""
        with self.write("reviews.update_corrective_action") as s:
            action = validate.get(s, CorrectiveAction, action_id, _("Corrective action"))
            validate.expect_version(action, expected_version)
            if text is not _UNSET:
                action.text = validate.long_text(text, "text", _("Corrective action"), required=True)
            if capability is not _UNSET:
                action.capability = capability
            if owner_branch_id is not _UNSET:
                if owner_branch_id is not None:
                    validate.get(s, Branch, owner_branch_id, _("Branch"))
                action.owner_branch_id = owner_branch_id
            if owner_name is not _UNSET:
                action.owner_name = validate.text(owner_name, "owner_name", _("Owner"), max_len=100, required=False)
            if start_on is not _UNSET:
                action.start_on = start_on
            if due_on is not _UNSET:
                action.due_on = due_on
            if closes_with_revision is not _UNSET:
                action.closes_with_revision = bool(closes_with_revision)
            validate.date_order(action.start_on, action.due_on, "due_on")
            s.flush()
            return action.row_version

    def set_action_status(self, action_id: int, status: ActionStatus, expected_version: int) -> None:
        with self.write("reviews.set_action_status") as s:
            action = validate.get(s, CorrectiveAction, action_id, _("Corrective action"))
            check_branch(self.actor, "reviews.set_action_status", action.owner_branch_id)
            validate.expect_version(action, expected_version)
            action.status = status
            action.closed_at = audit.operation_time(s) if status in CLOSED else None

    def verify_action(self, action_id: int, evidence: str, expected_version: int) -> None:
        """The coordinator records the evidence of completion and that they verified it; the action is done."""
        with self.write("reviews.verify_action") as s:
            action = validate.get(s, CorrectiveAction, action_id, _("Corrective action"))
            validate.expect_version(action, expected_version)
            if action.status is ActionStatus.CANCELLED:
                raise DomainError(_("This corrective action was cancelled: there is nothing to verify."))
            now = audit.operation_time(s)
            action.evidence = validate.long_text(evidence, "evidence", _("Evidence"), required=True)
            action.verified_by_id, action.verified_at = self.actor.user_id, now
            if action.status is not ActionStatus.DONE:
                action.status, action.closed_at = ActionStatus.DONE, now
