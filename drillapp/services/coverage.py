"""Coverage: which plan × response level × branch has been exercised when, and when it is next due.

One function computes it (`compute`), for the command line, the dashboard's count, the programme proposal,
the reminders and the coverage matrix alike. It reads in a handful of bulk queries (plans in force with
their levels, the port's branches, its drills with the branches taking part, the real incidents) and works
the rest out in Python, so the large demo (200 plans, 5,000 drills) takes well under 200 ms.

The rules:
- a drill of plan P at level L covers (P, L, b) for each branch b taking part (a participant row naming the
  branch, or a member of it); a comprehensive drill covers all the port's branches; a drill naming no
  branch covers none;
- a cell was last exercised by the latest completed drill covering it, or by a real incident of the plan at
  that level (which involves every branch; marked `by_incident`), whichever is later;
- it is next due `exercise_interval_months` (12 unless the port set 6 or 36 for the plan) after that; a
  cell never exercised is due from the day the plan's version in force took effect;
- overdue: due before today; due soon: within DUE_SOON; `scheduled`: the drills to come that cover it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.clock import to_local
from drillapp.models import (
    Branch,
    ContingencyPlan,
    Drill,
    DrillParticipant,
    Incident,
    Member,
    PlanVersion,
    Port,
    ResponseLevel,
)
from drillapp.models.enums import DRILL_TO_COME, Agency, DrillScope, DrillStatus, PlanStatus
from drillapp.services.context import ServiceBase

DUE_SOON = timedelta(days=60)
INTERVALS = (6, 12, 36)


@dataclass(frozen=True)
class CoverageCell:
    plan_id: int
    plan_code: str
    plan_title: str
    level: int
    branch_id: int
    agency: Agency
    last_exercised: date | None
    last_drill_id: int | None  # the drill that last exercised it (None: never, or an incident)
    by_incident: bool  # last exercised by a real incident
    due: date
    overdue: bool
    due_soon: bool  # not overdue, due within DUE_SOON
    scheduled: tuple[int, ...]  # drills to come that cover it
    interval_months: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.plan_id, self.level, self.branch_id)


@dataclass(frozen=True)
class PlanRow:
    id: int
    code: str
    title: str
    levels: tuple[int, ...]
    interval_months: int
    effective_on: date | None


@dataclass(frozen=True)
class CoverageMatrix:
    today: date
    plans: tuple[PlanRow, ...]
    branches: tuple[tuple[int, Agency], ...]
    cells: tuple[CoverageCell, ...]

    @property
    def overdue_count(self) -> int:
        return sum(1 for c in self.cells if c.overdue)

    @property
    def due_soon_count(self) -> int:
        return sum(1 for c in self.cells if c.due_soon)

    def cell(self, plan_id: int, level: int, branch_id: int) -> CoverageCell | None:
        return next((c for c in self.cells if c.key == (plan_id, level, branch_id)), None)


def _add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def compute(s: Session, port_id: int, today: date) -> CoverageMatrix:
    zone = s.scalar(select(Port.time_zone).where(Port.id == port_id))
    plans_q = s.execute(
        select(ContingencyPlan.id, ContingencyPlan.code, ContingencyPlan.title_zh,
               ContingencyPlan.exercise_interval_months, PlanVersion.id, PlanVersion.effective_on)
        .join(PlanVersion, PlanVersion.plan_id == ContingencyPlan.id)
        .where(ContingencyPlan.port_id == port_id, PlanVersion.status == PlanStatus.APPROVED)
        .order_by(ContingencyPlan.code, ContingencyPlan.id)).all()
    version_ids = [r[4] for r in plans_q]
    levels: dict[int, list[int]] = defaultdict(list)
    if version_ids:
        for version_id, level in s.execute(select(ResponseLevel.version_id, ResponseLevel.level)
                                           .where(ResponseLevel.version_id.in_(version_ids))
                                           .order_by(ResponseLevel.level)):
            levels[version_id].append(level)
    plans = tuple(PlanRow(pid, code, title, tuple(levels[vid]), interval or 12, effective)
                  for pid, code, title, interval, vid, effective in plans_q)
    branches = tuple((bid, agency) for bid, agency in s.execute(
        select(Branch.id, Branch.agency).where(Branch.port_id == port_id).order_by(Branch.id)))
    all_branches = frozenset(b for b, _a in branches)
    drills = s.execute(
        select(Drill.id, Drill.plan_id, Drill.level, Drill.scope, Drill.status, Drill.scheduled_start)
        .where(Drill.port_id == port_id, Drill.plan_id.is_not(None), Drill.level.is_not(None),
               Drill.status.in_([DrillStatus.COMPLETED, *DRILL_TO_COME]))).all()
    taking_part: dict[int, set[int]] = defaultdict(set)
    for drill_id, branch_id, member_branch in s.execute(
            select(DrillParticipant.drill_id, DrillParticipant.branch_id, Member.branch_id)
            .join(Drill, Drill.id == DrillParticipant.drill_id)
            .outerjoin(Member, Member.id == DrillParticipant.member_id)
            .where(Drill.port_id == port_id)):
        for b in (branch_id, member_branch):
            if b is not None:
                taking_part[drill_id].add(b)
    last: dict[tuple[int, int, int], tuple[date, int | None, bool]] = {}
    scheduled: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for drill_id, drill_plan, drill_level, scope, status, start in drills:
        if drill_plan is None or drill_level is None:  # never, by the query
            continue
        plan_id, level = drill_plan, drill_level
        covered = all_branches if scope is DrillScope.COMPREHENSIVE else taking_part.get(drill_id, set())
        if not covered:
            continue
        if status is DrillStatus.COMPLETED:
            day = to_local(start, zone).date()
            for b in covered:
                k = (plan_id, level, b)
                if k not in last or last[k][0] < day:
                    last[k] = (day, drill_id, False)
        else:
            for b in covered:
                scheduled[(plan_id, level, b)].append(drill_id)
    for incident_plan, incident_level, opened in s.execute(
            select(Incident.plan_id, Incident.level, func.max(Incident.opened_at))
            .where(Incident.port_id == port_id, Incident.plan_id.is_not(None), Incident.level.is_not(None))
            .group_by(Incident.plan_id, Incident.level)):
        if incident_plan is None or incident_level is None:  # never, by the query
            continue
        plan_id, level = incident_plan, incident_level
        day = to_local(opened, zone).date()
        for b in all_branches:
            k = (plan_id, level, b)
            if k not in last or last[k][0] < day:
                last[k] = (day, None, True)
    cells = []
    soon = today + DUE_SOON
    for plan in plans:
        for level in plan.levels:
            for branch_id, agency in branches:
                k = (plan.id, level, branch_id)
                done = last.get(k)
                due = _add_months(done[0], plan.interval_months) if done else (plan.effective_on or today)
                cells.append(CoverageCell(
                    plan.id, plan.code, plan.title, level, branch_id, agency, done[0] if done else None,
                    done[1] if done else None, done[2] if done else False, due, due < today,
                    today <= due <= soon, tuple(sorted(scheduled.get(k, ()))), plan.interval_months))
    return CoverageMatrix(today, plans, branches, tuple(cells))


class CoverageService(ServiceBase):
    def matrix(self, port_id: int | None = None, today: date | None = None) -> CoverageMatrix:
        with self.read() as s:
            return compute(s, self.require_port(port_id), today or self.today())

    def overdue_count(self, port_id: int | None = None) -> int:
        """For the dashboard: cells of the port overdue today (0 with every port in scope)."""
        if port_id is None and self.port_id is None:
            return 0
        return self.matrix(port_id).overdue_count

    def set_interval(self, plan_id: int, months: int, expected_version: int) -> None:
        """How often each level of a plan must be exercised by each branch: 6, 12 or 36 months."""
        from drillapp.i18n import _
        from drillapp.services import validate
        from drillapp.services.errors import ValidationError

        with self.write("drills.set_exercise_interval") as s:
            if months not in INTERVALS:
                raise ValidationError(_("The exercise interval is 6, 12 or 36 months."), "interval_months")
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            validate.expect_version(plan, expected_version)
            plan.exercise_interval_months = months

