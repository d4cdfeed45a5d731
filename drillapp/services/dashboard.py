"""What matters today, in one read: next drills, who is on call now, overdue corrective actions,
plans due for review, and open reminders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from drillapp.models import (
    AfterActionReview,
    Branch,
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    Finding,
    Member,
    OnCallShift,
    PlanVersion,
    ShiftAssignment,
    Squad,
)
from drillapp.models.enums import DRILL_TO_COME, Agency, DrillKind, PlanStatus
from drillapp.services.action_tracker import overdue_clause
from drillapp.services.context import ServiceBase
from drillapp.services.reminders import ReminderRow, ReminderService

REVIEW_WINDOW = timedelta(days=60)


@dataclass(frozen=True)
class UpcomingDrill:
    id: int
    title: str
    kind: DrillKind
    level: int | None
    starts_at: datetime


@dataclass(frozen=True)
class OnCallPerson:
    member_id: int
    name: str
    agency: Agency
    squad: str
    mobile: str
    shift_ends_at: datetime


@dataclass(frozen=True)
class OverdueAction:
    id: int
    text: str
    agency: Agency | None
    owner: str
    due_on: date


@dataclass(frozen=True)
class PlanDue:
    plan_id: int
    title: str
    version: int
    review_due_on: date
    overdue: bool


@dataclass(frozen=True)
class Dashboard:
    next_drills: list[UpcomingDrill] = field(default_factory=list)
    on_call: list[OnCallPerson] = field(default_factory=list)
    overdue_actions: list[OverdueAction] = field(default_factory=list)
    overdue_action_count: int = 0
    plans_due: list[PlanDue] = field(default_factory=list)
    reminders: list[ReminderRow] = field(default_factory=list)
    #: plan × level × branch cells of the current port overdue for a drill (services/coverage.py)
    overdue_cells: int = 0


class DashboardService(ServiceBase):
    def load(self, limit: int = 8) -> Dashboard:
        now = self.clock()
        today = now.date()
        with self.read() as s:
            drills = [
                UpcomingDrill(d.id, d.title, d.kind, d.level, d.scheduled_start)
                for d in s.scalars(
                    select(Drill)
                    .where(Drill.status.in_(DRILL_TO_COME), Drill.scheduled_start >= now,
                           *((Drill.port_id == self.port_id,) if self.port_id is not None else ()))
                    .order_by(Drill.scheduled_start)
                    .limit(limit)
                )
            ]
            on_call = [
                OnCallPerson(m.id, m.name, agency, squad or "", m.mobile, ends)
                for m, agency, squad, ends in s.execute(
                    select(Member, Branch.agency, Squad.name, OnCallShift.ends_at)
                    .join(ShiftAssignment, ShiftAssignment.member_id == Member.id)
                    .join(OnCallShift, OnCallShift.id == ShiftAssignment.shift_id)
                    .join(Branch, Branch.id == Member.branch_id)
                    .outerjoin(Squad, Squad.id == Member.squad_id)
                    .where(OnCallShift.published.is_(True), OnCallShift.starts_at <= now, OnCallShift.ends_at > now)
                    .order_by(Branch.agency, Member.name)
                )
            ]
            overdue_filter = [overdue_clause(today)]
            if self.port_id is not None:  # the current port's reviews
                overdue_filter.append(CorrectiveAction.finding_id.in_(
                    select(Finding.id).join(AfterActionReview, AfterActionReview.id == Finding.review_id)
                    .where(AfterActionReview.port_id == self.port_id)))
            overdue_count = s.scalar(select(func.count()).select_from(CorrectiveAction).where(*overdue_filter)) or 0
            overdue = [
                OverdueAction(a.id, a.text, agency, a.owner_name, a.due_on)
                for a, agency in s.execute(
                    select(CorrectiveAction, Branch.agency)
                    .outerjoin(Branch, Branch.id == CorrectiveAction.owner_branch_id)
                    .where(*overdue_filter)
                    .order_by(CorrectiveAction.due_on)
                    .limit(limit)
                ) if a.due_on is not None  # always, by the filter
            ]
            plans_due = [
                PlanDue(p.id, p.title_zh, v.number, v.review_due_on, v.review_due_on < today)
                for v, p in s.execute(
                    select(PlanVersion, ContingencyPlan)
                    .join(ContingencyPlan, ContingencyPlan.id == PlanVersion.plan_id)
                    .where(
                        PlanVersion.status == PlanStatus.APPROVED,
                        PlanVersion.review_due_on <= today + REVIEW_WINDOW,
                    )
                    .order_by(PlanVersion.review_due_on)
                    .limit(limit)
                ) if v.review_due_on is not None  # always, by the filter
            ]
        reminders = ReminderService(self.db, self.actor, self.clock).open_for_me(limit)
        from drillapp.services.coverage import CoverageService

        cells = CoverageService(self.db, self.actor, self.clock, self.scope).overdue_count()
        return Dashboard(drills, on_call, overdue, overdue_count, plans_due, reminders, cells)
