"""Proposing the year's programme and accepting it.

`propose` builds the solver's problem from the database (the coverage cells falling due by the year's end and
not already scheduled, the port calendar's blocked periods plus extra ranges, its public holidays (days off, as
weekends are), the days whose published roster is short of its headcount, the allowed weekdays) and solves it off any transaction (scheduling/programme.py).
Each proposed drill says why it is there; the cells left uncovered say why. `accept` turns the chosen
proposals (possibly moved) into planned drills in one operation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from drillapp.clock import from_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models import Drill, DrillParticipant, OnCallShift, Port, RosterPeriod, ShiftAssignment
from drillapp.models.enums import Agency, DrillKind, DrillScope, ShiftPattern
from drillapp.scheduling.programme import DueCell, Placed, ProgrammeProblem, solve
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.coverage import CoverageMatrix, compute
from drillapp.services.drill_reminders import move_reminders
from drillapp.services.drill_rules import check_plan
from drillapp.services.errors import ValidationError
from drillapp.services.port_calendar import calendar_days, refuse_blocked
from drillapp.services.reminders import HORIZON

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_START = time(9, 30)
DURATION = {DrillKind.TABLETOP: 120, DrillKind.LIVE: 60, DrillKind.FUNCTIONAL: 90, DrillKind.FULL_SCALE: 180}
MAX_DRILLS = 60


@dataclass(frozen=True)
class ProgrammeRequest:
    year: int
    live: int
    tabletop: int
    blocked: tuple[tuple[date, date], ...] = ()  # extra ranges, besides the port calendar's blocked periods
    max_per_month: int = 2
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    min_gap_days: int = 7
    time_limit: float = 6.0


@dataclass(frozen=True)
class ProposedDrill:
    start: datetime  # stored UTC (DEFAULT_START in the port)
    kind: DrillKind
    plan_id: int
    plan_code: str
    plan_title: str
    level: int
    branches: tuple[Agency, ...]
    branch_ids: tuple[int, ...]
    cells: tuple[DueCell, ...]
    reason: str

    @property
    def title(self) -> str:
        return f"{self.plan_title}（{label(self.kind)}）"


@dataclass(frozen=True)
class UncoveredCell:
    plan_id: int
    plan_code: str
    level: int
    agency: Agency
    due: date
    why: str


@dataclass(frozen=True)
class Proposal:
    request: ProgrammeRequest
    drills: tuple[ProposedDrill, ...]
    uncovered: tuple[UncoveredCell, ...]
    due_cells: int
    covered_cells: int
    allowed_days: int
    status: str
    seconds: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Acceptance:
    """One proposal accepted, possibly moved to another start (stored UTC)."""

    proposal: ProposedDrill
    start: datetime | None = None


def _check(request: ProgrammeRequest) -> None:
    if not 1900 <= request.year <= 2999:
        raise ValidationError(_("The year must be between 1900 and 2999."), "year")
    for name, value in (("live", request.live), ("tabletop", request.tabletop)):
        if not 0 <= value <= MAX_DRILLS:
            raise ValidationError(_("The number of drills must be from 0 to {max}.").format(max=MAX_DRILLS), name)
    if request.live + request.tabletop == 0:
        raise ValidationError(_("Ask for at least one drill."), "live")
    if not 1 <= request.max_per_month <= 31:
        raise ValidationError(_("At most 1 to 31 drills a month."), "max_per_month")
    if not 0 <= request.min_gap_days <= 180:
        raise ValidationError(_("The minimum gap is from 0 to 180 days."), "min_gap_days")
    if not request.weekdays or not request.weekdays <= set(range(7)):
        raise ValidationError(_("Allow at least one weekday."), "weekdays")
    for first, last in request.blocked:
        validate.date_order(first, last, "blocked")


def short_days(s, port_id: int, first: date, last: date, zone: str) -> set[date]:  # noqa: ANN001
    """Days whose published roster has a shift with fewer people than its period's headcount."""
    from drillapp.services.roster_problem import normalise_rules

    start, end = from_local(datetime.combine(first, time(0)), zone), from_local(
        datetime.combine(last + timedelta(days=1), time(0)), zone)
    counts = dict(s.execute(select(ShiftAssignment.shift_id, func.count()).join(
        OnCallShift, OnCallShift.id == ShiftAssignment.shift_id).where(
        OnCallShift.port_id == port_id, OnCallShift.published.is_(True), OnCallShift.starts_at >= start,
        OnCallShift.starts_at < end).group_by(ShiftAssignment.shift_id)).all())
    rows = s.execute(select(OnCallShift.id, OnCallShift.kind, OnCallShift.starts_at, RosterPeriod.rules,
                            RosterPeriod.pattern)
                     .join(RosterPeriod, RosterPeriod.id == OnCallShift.period_id)
                     .where(OnCallShift.port_id == port_id, OnCallShift.published.is_(True),
                            OnCallShift.starts_at >= start, OnCallShift.starts_at < end))
    short = set()
    for shift_id, kind, starts, rules, pattern in rows:
        try:
            needed = normalise_rules(rules, pattern or ShiftPattern.DUTY_24H)["headcount"].get(kind.value, 0)
        except ValidationError:
            continue
        if counts.get(shift_id, 0) < needed:
            from drillapp.clock import to_local

            short.add(to_local(starts, zone).date())
    return short


class ProgrammeService(ServiceBase):
    def propose(self, request: ProgrammeRequest, port_id: int | None = None) -> Proposal:
        _check(request)
        port = self.require_port(port_id)
        first, last = date(request.year, 1, 1), date(request.year, 12, 31)
        with self.read() as s:
            zone = validate.get(s, Port, port, _("Port")).time_zone
            matrix = compute(s, port, max(first, self.today()) if request.year == self.today().year else first)
            calendar = calendar_days(s, port, first, last)
            short = short_days(s, port, first, last, zone)
        days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
        today = self.today()
        blocked = (calendar.blocked_days() | calendar.holidays()
                   | {d for a, b in request.blocked for d in days if a <= d <= b})
        allowed = frozenset(d for d in days if d.weekday() in request.weekdays and d not in blocked
                            and d not in short and d > today)
        due = [c for c in matrix.cells if c.due <= last and not c.scheduled]
        cells = tuple(DueCell(c.plan_id, c.level, c.branch_id, c.due) for c in due)
        kinds = (DrillKind.LIVE,) * request.live + (DrillKind.TABLETOP,) * request.tabletop
        pairs = tuple(sorted({(p.id, lv) for p in matrix.plans for lv in p.levels}))
        problem = ProgrammeProblem(days, allowed, kinds, pairs, cells, request.max_per_month, request.min_gap_days)
        solution = solve(problem, time_limit=request.time_limit)
        drills = tuple(self._proposed(p, matrix, solution.placed, zone) for p in solution.placed)
        notes = []
        if len(drills) < len(kinds):
            notes.append(_("Only {placed} of the {asked} drills fit: {days} allowed days in {year} (weekdays "
                           "allowed, blocked periods, public holidays, short rosters), at most {per_month} a month, at least {gap} "
                           "days apart.").format(placed=len(drills), asked=len(kinds), days=len(allowed),
                                                 year=request.year, per_month=request.max_per_month,
                                                 gap=request.min_gap_days))
        uncovered = self._uncovered(matrix, due, solution.covered, problem, len(kinds))
        return Proposal(request, drills, uncovered, len(cells), len(solution.covered), len(allowed),
                        solution.status, solution.seconds, tuple(notes))

    def _proposed(self, placed: Placed, matrix: CoverageMatrix, everything: tuple[Placed, ...],
                  zone: str) -> ProposedDrill:
        plan = next(p for p in matrix.plans if p.id == placed.plan_id)
        agencies = dict(matrix.branches)
        branch_ids = tuple(b for b, _a in matrix.branches)
        start = from_local(datetime.combine(placed.day, DEFAULT_START), zone)
        due = sorted(placed.covers, key=lambda c: c.due)
        overdue = [c for c in due if c.due < matrix.today]
        parts = [_("{weekday} {date}: {plan} at {level}.").format(
            weekday=_(WEEKDAY_NAMES[placed.day.weekday()]), date=placed.day.isoformat(), plan=plan.code,
            level=level_label(placed.level))]
        if due:
            parts.append(_("Covers {n} due cell(s) ({branches}), due by {first}{overdue}.").format(
                n=len(due), branches="、".join(label(agencies[c.branch_id]) for c in due), first=due[0].due.isoformat(),
                overdue=_(", {k} overdue").format(k=len(overdue)) if overdue else ""))
        else:
            parts.append(_("No cell of this plan is due in time; it keeps the requested number of drills."))
        if placed.kind is DrillKind.LIVE:
            earlier = [p for p in everything if p.kind is DrillKind.TABLETOP and p.plan_id == placed.plan_id
                       and p.day < placed.day]
            if earlier:
                parts.append(_("After this plan's tabletop on {date} (building-block order).").format(
                    date=earlier[0].day.isoformat()))
        parts.append(_("An allowed day: not blocked, roster not short, apart from the other drills."))
        return ProposedDrill(start, placed.kind, plan.id, plan.code, plan.title, placed.level,
                             tuple(agencies[b] for b in branch_ids), branch_ids, tuple(due), " ".join(parts))

    def _uncovered(self, matrix: CoverageMatrix, due: list, covered: frozenset[DueCell],  # noqa: ANN001
                   problem: ProgrammeProblem, asked: int) -> tuple[UncoveredCell, ...]:
        first_allowed = min(problem.allowed) if problem.allowed else None
        pairs_due = len({(c.plan_id, c.level) for c in due})
        out = []
        for c in due:
            cell = DueCell(c.plan_id, c.level, c.branch_id, c.due)
            if cell in covered:
                continue
            if first_allowed is None:
                why = _("no day of the year is allowed for a drill.")
            else:
                why = _("{asked} drill(s) requested for {pairs} plan/level pairs falling due: each drill exercises "
                        "one; more urgent cells went first.").format(asked=asked, pairs=pairs_due)
            out.append(UncoveredCell(c.plan_id, c.plan_code, c.level, c.agency, c.due, why))
        return tuple(out)

    def accept(self, accepted: list[Acceptance], port_id: int | None = None) -> tuple[int, ...]:
        """The chosen proposals (each possibly moved) become planned drills, all in one operation."""
        port = self.require_port(port_id)
        if not accepted:
            raise ValidationError(_("Choose at least one proposed drill to accept."), "proposals")
        with self.write("drills.accept_proposal") as s:
            made = []
            for a in accepted:
                p = a.proposal
                start = a.start or p.start
                check_plan(s, port, p.plan_id, p.level)
                duration = DURATION[p.kind]
                refuse_blocked(s, port, start, duration)
                drill = Drill(port_id=port, plan_id=p.plan_id, level=p.level, title=p.title, kind=p.kind,
                              scope=DrillScope.COMPREHENSIVE if len(p.branch_ids) >= 4 else DrillScope.SINGLE,
                              scheduled_start=start, duration_minutes=duration, owner_id=self.actor.user_id,
                              location="")
                drill.participants = [DrillParticipant(branch_id=b) for b in p.branch_ids]
                s.add(drill)
                made.append(drill)
            s.flush()
            now = audit.operation_time(s)
            for drill in made:
                move_reminders(s, drill, now, HORIZON)
            return tuple(d.id for d in made)


def by_month(drills: tuple[ProposedDrill, ...]) -> dict[int, list[ProposedDrill]]:
    out: dict[int, list[ProposedDrill]] = defaultdict(list)
    for d in drills:
        out[d.start.month].append(d)
    return out
