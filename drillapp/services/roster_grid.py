"""The roster as a grid for the UI and print-outs: days x shifts, who is on each (with squad and branch),
hand edits flagged, the hard rules the roster breaks, and how fairly it shares the load (roster_fairness.py). Part of RosterService (services/roster.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models import Branch, Member, RosterPeriod, Squad
from drillapp.models.enums import ShiftKind
from drillapp.roster import check
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.roster_fairness import FairnessTable, read_fairness
from drillapp.services.roster_problem import (
    active_member_ids,
    build_problem,
    current_assignment,
    shift_day,
    shift_kinds,
    shift_label,
)

if TYPE_CHECKING:
    from drillapp.services.roster import PeriodInfo  # roster.py imports this module


@dataclass(frozen=True)
class GridMember:
    id: int
    name: str
    branch_id: int
    branch: str  # the agency's label
    squad_id: int | None
    squad: str
    leader: bool
    mobile: str
    active: bool  # False: no longer an active member, still on a shift


@dataclass(frozen=True)
class GridCell:
    shift_id: int
    day: date
    kind: ShiftKind
    starts_at: datetime
    ends_at: datetime
    member_ids: tuple[int, ...]
    manual_ids: frozenset[int]  # put on by hand after solving
    published: bool


@dataclass(frozen=True)
class RosterGrid:
    period: PeriodInfo
    days: list[date]
    kinds: list[ShiftKind]
    kind_labels: dict[ShiftKind, str]
    members: dict[int, GridMember]
    cells: dict[tuple[date, ShiftKind], GridCell]  # missing: not solved yet
    violations: list[check.Violation]
    fairness: FairnessTable | None = None  # per member: duties, nights, weekends, holidays; fair share; spread

    def cell(self, day: date, kind: ShiftKind) -> GridCell | None:
        return self.cells.get((day, kind))

    def shifts_of(self, member_id: int) -> list[GridCell]:
        return [c for c in sorted(self.cells.values(), key=lambda c: c.starts_at) if member_id in c.member_ids]


class GridOps(ServiceBase):
    """Mixed into RosterService (which supplies read)."""

    def grid(self, period_id: int) -> RosterGrid:
        from drillapp.services.roster import period_info

        with self.read() as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            kinds = shift_kinds(period.pattern)
            assignment, rows = current_assignment(s, period)
            cells = {}
            for shift in rows.values():
                cells[(shift_day(shift), shift.kind)] = GridCell(
                    shift.id, shift_day(shift), shift.kind, shift.starts_at, shift.ends_at,
                    tuple(sorted(a.member_id for a in shift.assignments)),
                    frozenset(a.member_id for a in shift.assignments if a.manual), shift.published)
            active = active_member_ids(s, period.port_id)
            ids = active | {int(k) for k, _d in assignment}
            branches = {b.id: b for b in s.scalars(select(Branch).where(Branch.port_id == period.port_id))}
            squads = {q.id: q for q in s.scalars(select(Squad))}
            leaders = {q.leader_id for q in squads.values() if q.leader_id is not None}
            members = {}
            for m in s.execute(select(Member.id, Member.name, Member.branch_id, Member.squad_id, Member.mobile,
                                      Member.phone).where(Member.id.in_(ids)).order_by(Member.name, Member.id)):
                b, q = branches.get(m.branch_id), squads.get(m.squad_id) if m.squad_id else None
                members[m.id] = GridMember(m.id, m.name, m.branch_id, label(b.agency) if b else "", m.squad_id,
                                           q.name if q else "", m.id in leaders, m.mobile or m.phone, m.id in active)
            violations = check.violations(build_problem(s, period), assignment) if rows else []
            days = [period.starts_on + timedelta(days=d) for d in range((period.ends_on - period.starts_on).days + 1)]
            fair = read_fairness(s, period.port_id, period.starts_on, period.ends_on, period.id)
            return RosterGrid(period_info(period), days, kinds, {k: shift_label(k) for k in kinds}, members, cells,
                              violations, fair)
