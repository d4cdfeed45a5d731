"""Reviews → Corrective actions: every corrective action across the reviews, filterable by branch, status, due
date, overdue, plan; and how many are overdue (the dashboard).

Overdue: still open or in progress, with a due date before the port's today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select

from drillapp.models import (
    AfterActionReview,
    Branch,
    ContingencyPlan,
    CorrectiveAction,
    Finding,
    PlanVersion,
    User,
)
from drillapp.models.enums import ActionStatus, Agency, Capability, PlanStatus, ReviewStatus
from drillapp.services.context import ServiceBase

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ActionFilter:
    branch_id: int | None = None
    agency: Agency | None = None
    status: ActionStatus | None = None
    open_only: bool = False  # open or in progress
    due_before: date | None = None  # due on or before this day
    overdue: bool = False
    plan_id: int | None = None
    review_id: int | None = None
    search: str = ""


@dataclass(frozen=True)
class TrackedAction:
    id: int
    text: str
    capability: Capability | None
    agency: Agency | None
    owner_branch_id: int | None
    owner_name: str
    start_on: date | None
    due_on: date | None
    status: ActionStatus
    closed_at: datetime | None
    overdue: bool
    evidence: str
    verified_by: str
    verified_at: datetime | None
    closes_with_revision: bool
    finding_id: int
    finding_text: str
    review_id: int
    review_title: str
    review_status: ReviewStatus
    plan_id: int | None
    plan_code: str
    revision_version_id: int | None
    revision_number: int | None
    revision_status: PlanStatus | None
    row_version: int


def overdue_clause(today: date):  # noqa: ANN201 - a SQL expression
    return (CorrectiveAction.status.in_(OPEN_STATUSES)) & (CorrectiveAction.due_on < today)


class ActionTrackerService(ServiceBase):
    def _query(self, f: ActionFilter) -> Select:
        today = self.today()
        q = (select(CorrectiveAction, Finding, AfterActionReview, Branch.agency, ContingencyPlan.code, PlanVersion,
                    User.username, User.display_name)
             .join(Finding, Finding.id == CorrectiveAction.finding_id)
             .join(AfterActionReview, AfterActionReview.id == Finding.review_id)
             .outerjoin(Branch, Branch.id == CorrectiveAction.owner_branch_id)
             .outerjoin(ContingencyPlan, ContingencyPlan.id == Finding.plan_id)
             .outerjoin(PlanVersion, PlanVersion.id == Finding.revision_version_id)
             .outerjoin(User, User.id == CorrectiveAction.verified_by_id))
        if self.port_id is not None:
            q = q.where(AfterActionReview.port_id == self.port_id)
        if f.branch_id is not None:
            q = q.where(CorrectiveAction.owner_branch_id == f.branch_id)
        if f.agency is not None:
            q = q.where(Branch.agency == f.agency)
        if f.status is not None:
            q = q.where(CorrectiveAction.status == f.status)
        if f.open_only:
            q = q.where(CorrectiveAction.status.in_(OPEN_STATUSES))
        if f.due_before is not None:
            q = q.where(CorrectiveAction.due_on <= f.due_before)
        if f.overdue:
            q = q.where(overdue_clause(today))
        if f.plan_id is not None:
            q = q.where(Finding.plan_id == f.plan_id)
        if f.review_id is not None:
            q = q.where(AfterActionReview.id == f.review_id)
        if f.search.strip():
            pattern = "%" + f.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            q = q.where(or_(CorrectiveAction.text.ilike(pattern, escape="\\"),
                            CorrectiveAction.owner_name.ilike(pattern, escape="\\"),
                            Finding.text.ilike(pattern, escape="\\")))
        return q

    def actions(self, f: ActionFilter | None = None, limit: int | None = None) -> list[TrackedAction]:
        """The corrective actions matching `f`, soonest due first (no due date last)."""
        f = f or ActionFilter()
        today = self.today()
        q = self._query(f).order_by(CorrectiveAction.due_on.is_(None), CorrectiveAction.due_on, CorrectiveAction.id)
        if limit is not None:
            q = q.limit(limit)
        with self.read() as s:
            return [
                TrackedAction(
                    a.id, a.text, a.capability, agency, a.owner_branch_id, a.owner_name, a.start_on, a.due_on, a.status,
                    a.closed_at, a.status in OPEN_STATUSES and a.due_on is not None and a.due_on < today, a.evidence,
                    (shown or username or ""), a.verified_at, a.closes_with_revision, finding.id, finding.text,
                    review.id, review.title, review.status, finding.plan_id, code or "",
                    version.id if version else None, version.number if version else None,
                    version.status if version else None, a.row_version)
                for a, finding, review, agency, code, version, username, shown in s.execute(q)
            ]

    def overdue_count(self) -> int:
        q = (select(func.count()).select_from(CorrectiveAction)
             .join(Finding, Finding.id == CorrectiveAction.finding_id)
             .join(AfterActionReview, AfterActionReview.id == Finding.review_id)
             .where(overdue_clause(self.today())))
        if self.port_id is not None:
            q = q.where(AfterActionReview.port_id == self.port_id)
        with self.read() as s:
            return s.scalar(q) or 0
