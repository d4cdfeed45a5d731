"""The on-call roster of the rapid-response team: periods and their rules, members' wishes, solving with
the roster engine, hand edits checked live, publication, and swaps (roster_swaps.py).

Solving runs outside any write transaction (it may take a minute and runs off the GUI thread): read the
problem, solve, then one write that replaces the period's draft shifts. Every roster shown to the user is
checked with the engine-independent checker (drillapp.roster.check).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import (
    Member,
    OnCallShift,
    Port,
    RosterPeriod,
    RosterPreference,
    ShiftAssignment,
    ShiftSwap,
)
from drillapp.models.enums import RosterStatus, ShiftKind, ShiftPattern
from drillapp.roster import check, explain
from drillapp.roster.problem import Assignment, Problem, Progress, Solution
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import ValidationError
from drillapp.services.permissions import check_permission
from drillapp.services.roster_grid import GridOps
from drillapp.services.roster_problem import (
    MAX_DAYS,
    build_problem,
    current_assignment,
    members_of,
    normalise_rules,
    shift_day,
    shift_kinds,
    shift_start,
)
from drillapp.services.roster_solve_input import PeriodLoader, read_solve_input, require_draft
from drillapp.services.roster_swaps import SwapOps
from drillapp.services.team_overview import SkillRow, skill_rows

ADD, REMOVE = "add", "remove"
#: (shift id, member id, ADD or REMOVE)
Change = tuple[int, int, str]


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    port_id: int
    name: str
    starts_on: date
    ends_on: date
    pattern: ShiftPattern
    status: RosterStatus
    rules: dict[str, Any]  # normalised (defaults filled in)
    objective: int | None
    bound: int | None
    solver_status: str
    solved_at: datetime | None
    published_at: datetime | None
    row_version: int

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


@dataclass(frozen=True)
class PreferenceInfo:
    id: int
    member_id: int
    day: date
    shift: ShiftKind | None
    wants_on: bool
    weight: int
    note: str
    row_version: int = 1


@dataclass
class SolveOutcome:
    solution: Solution
    saved: bool  # the roster was written to the period
    shortfalls: list[explain.Shortfall] = field(default_factory=list)  # why not, when none was found
    violations: list[check.Violation] = field(default_factory=list)  # of the saved roster (expected empty)


def period_info(period: RosterPeriod) -> PeriodInfo:
    return PeriodInfo(period.id, period.port_id, period.name, period.starts_on, period.ends_on, period.pattern,
                      period.status, normalise_rules(period.rules, period.pattern), period.objective, period.bound,
                      period.solver_status, period.solved_at, period.published_at, period.row_version)


class RosterService(SwapOps, GridOps, ServiceBase):
    # -- periods and rules ------------------------------------------------------------------------------

    def create_period(self, port_id: int, name: str, starts_on: date, ends_on: date, pattern: ShiftPattern,
                      rules: dict[str, Any] | None = None) -> int:
        with self.write("roster.create_period") as s:
            validate.get(s, Port, port_id, _("Port"))
            validate.date_order(starts_on, ends_on, "ends_on")
            if (ends_on - starts_on).days + 1 > MAX_DAYS:
                raise ValidationError(_("A roster period can be at most {days} days long: split it.").format(
                    days=MAX_DAYS), "ends_on")
            period = RosterPeriod(port_id=port_id, name=validate.text(name, "name", _("Period name"), max_len=200),
                                  starts_on=starts_on, ends_on=ends_on, pattern=ShiftPattern(pattern),
                                  status=RosterStatus.DRAFT, rules=normalise_rules(rules, ShiftPattern(pattern)))
            s.add(period)
            s.flush()
            return period.id

    def update_rules(self, period_id: int, rules: dict[str, Any], expected_version: int) -> int:
        """Replace the period's rules (checked, defaults filled in); returns the new row version."""
        with self.write("roster.update_rules") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, expected_version)
            self._require_draft(period)
            period.rules = normalise_rules(rules, period.pattern)
            s.flush()
            return period.row_version

    def delete_period(self, period_id: int, expected_version: int) -> None:
        """Delete a draft period with its shifts, wishes and swaps; a published roster is kept (it is the record
        of who was on call)."""
        with self.write("roster.delete_period") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, expected_version)
            if period.status is RosterStatus.PUBLISHED:
                raise ValidationError(_("The roster {name} is published and stays as the record of who was on call; "
                                        "it cannot be deleted.").format(name=period.name), "status")
            for row in s.scalars(select(RosterPreference).where(RosterPreference.period_id == period_id)):
                s.delete(row)
            for swap in s.scalars(select(ShiftSwap).where(ShiftSwap.period_id == period_id)):
                s.delete(swap)
            s.flush()
            s.delete(period)  # its shifts and their assignments go with it (ORM cascade, so each is audited)

    def periods(self, port_id: int) -> list[PeriodInfo]:
        with self.read() as s:
            rows = s.scalars(select(RosterPeriod).where(RosterPeriod.port_id == port_id)
                             .order_by(RosterPeriod.starts_on.desc(), RosterPeriod.id.desc()))
            return [period_info(p) for p in rows]

    def skills(self) -> list[SkillRow]:
        """The skills a period's rules can ask for on each shift."""
        with self.read() as s:
            return skill_rows(s)

    def period(self, period_id: int) -> PeriodInfo:
        with self.read() as s:
            return period_info(validate.get(s, RosterPeriod, period_id, _("Roster period")))

    _require_draft = staticmethod(require_draft)

    # -- preferences ------------------------------------------------------------------------------------

    def set_preference(self, period_id: int, member_id: int, day: date, wants_on: bool, *,
                       shift: ShiftKind | None = None, weight: int = 1, note: str = "",
                       expected_version: int | None) -> int:
        """A member's wish for one day (replaces an earlier wish for that day, at `expected_version`, its row
        version as shown; None when the member had no wish for the day)."""
        with self.write("roster.set_preference") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.get(s, Member, member_id, _("Member"))
            if not period.starts_on <= day <= period.ends_on:
                raise ValidationError(_("The day is outside the roster period ({first} to {last}).").format(
                    first=period.starts_on, last=period.ends_on), "day")
            if shift is not None and ShiftKind(shift) not in shift_kinds(period.pattern):
                raise ValidationError(_("This period has no such shift."), "shift")
            if not 1 <= weight <= 1000:
                raise ValidationError(_("The weight of a wish must be between 1 and 1000."), "weight")
            pref = s.scalar(select(RosterPreference).where(
                RosterPreference.period_id == period_id, RosterPreference.member_id == member_id,
                RosterPreference.day == day))
            validate.expect_version_or_absent(pref, expected_version)
            if pref is None:
                pref = RosterPreference(period_id=period_id, member_id=member_id, day=day)
                s.add(pref)
            pref.shift = None if shift is None else ShiftKind(shift)
            pref.wants_on, pref.weight = bool(wants_on), weight
            pref.note = validate.text(note, "note", _("Note"), max_len=500, required=False)
            s.flush()
            return pref.id

    def remove_preference(self, preference_id: int, *, expected_version: int) -> None:
        with self.write("roster.remove_preference") as s:
            pref = validate.get(s, RosterPreference, preference_id, _("Wish"))
            validate.expect_version(pref, expected_version)
            s.delete(pref)

    def preferences(self, period_id: int) -> list[PreferenceInfo]:
        with self.read() as s:
            rows = s.scalars(select(RosterPreference).where(RosterPreference.period_id == period_id)
                             .order_by(RosterPreference.day, RosterPreference.member_id))
            return [PreferenceInfo(p.id, p.member_id, p.day, p.shift, p.wants_on, p.weight, p.note, p.row_version)
                    for p in rows]

    # -- the problem and solving ------------------------------------------------------------------------

    def build_problem(self, period_id: int) -> Problem:
        with self.read() as s:
            return build_problem(s, validate.get(s, RosterPeriod, period_id, _("Roster period")))

    def explain(self, period_id: int) -> list[explain.Shortfall]:
        """The fast pre-checks alone (no solving): requirements that cannot be met on some day."""
        return explain.explain(self.build_problem(period_id))

    def solve(self, period_id: int, *, expected_version: int, time_limit: float = 30.0, progress: Callable[[Progress], None] | None = None,
              stop: threading.Event | None = None, workers: int = 2, diagnose_time: float | None = None,
              keep_manual: bool = True, isolate: bool = False) -> SolveOutcome:
        """Find the roster (runs for up to `time_limit` s; call it off the GUI thread) and save it as the
        period's draft, replacing the draft shifts; hand edits are kept in place (pinned) unless
        `keep_manual` is False. When none is found, say why (`shortfalls`). `expected_version` is the period's
        row version as shown: a solve never overwrites hand edits made meanwhile on another desk. `isolate` runs
        the search itself in a child process (roster/isolated.py: the desktop app, whose GUI thread must not wait
        for the model building's Python)."""
        from drillapp import clock as port_clock
        from drillapp.roster import isolated

        check_permission(self.actor, "roster.solve")  # before spending a minute of CPU
        with self.read() as s:  # a quick look first: a stale or published period is refused before any search
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, expected_version)
            self._require_draft(period)
        options: dict[str, Any] = dict(time_limit=time_limit, workers=workers, progress=progress, stop=stop,
                                       diagnose_time=diagnose_time)
        if isolate:  # the problem is read in the search's process too (services/roster_solve_input.py)
            found = isolated.search_isolated(PeriodLoader(self.db.url, port_clock.zone_name(), period_id,
                                                          expected_version, keep_manual), **options)
        else:
            with self.read() as s:
                loaded = read_solve_input(s, period_id, expected_version, keep_manual)
            found = isolated.search_loaded(lambda: loaded, **options)
        solution, (version, pinned) = found.solution, found.context
        if not solution.found:
            return SolveOutcome(solution, False, found.shortfalls)
        with self.write("roster.solve") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, version)
            self._require_draft(period)
            self._replace_shifts(s, period, solution.assignment, set(pinned))
            period.objective, period.bound = solution.objective, solution.bound
            period.solver_status, period.solved_at = solution.status, self.clock()
        return SolveOutcome(solution, True, [], found.violations or [])

    @staticmethod
    def _replace_shifts(s: Any, period: RosterPeriod, assignment: Assignment,
                        manual: set[tuple[str, int]] | None = None) -> None:
        manual = manual or set()
        for shift in list(period.shifts):
            s.delete(shift)
        s.flush()
        kinds = shift_kinds(period.pattern)
        by_slot: dict[tuple[int, str], list[int]] = {}
        for (key, d), code in assignment.items():
            by_slot.setdefault((d, code), []).append(int(key))
        for d in range((period.ends_on - period.starts_on).days + 1):
            day = period.starts_on.fromordinal(period.starts_on.toordinal() + d)
            for kind in kinds:
                begins, ends = shift_start(day, kind)
                shift = OnCallShift(port_id=period.port_id, period_id=period.id, kind=kind, starts_at=begins,
                                    ends_at=ends, published=False)
                shift.assignments = [ShiftAssignment(member_id=m, manual=(str(m), d) in manual)
                                     for m in sorted(by_slot.get((d, kind.value), []))]
                s.add(shift)
        s.flush()

    # -- checking and editing -----------------------------------------------------------------------------

    def check_assignment(self, period_id: int, changes: Iterable[Change] = ()) -> list[check.Violation]:
        """The hard rules the period's roster breaks, with `changes` applied first (nothing is saved)."""
        with self.read() as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            problem = build_problem(s, period)
            assignment, _rows = current_assignment(s, period)
            for shift_id, member_id, action in changes:
                shift = validate.get(s, OnCallShift, shift_id, _("Shift"))
                key, d = str(member_id), (shift_day(shift) - period.starts_on).days
                if action == ADD:
                    assignment[(key, d)] = shift.kind.value
                elif assignment.get((key, d)) == shift.kind.value:
                    del assignment[(key, d)]
            return check.violations(problem, assignment)

    def edit_assignment(self, period_id: int, shift_id: int, member_id: int, action: str, *,
                        expected_version: int) -> list[check.Violation]:
        """One hand edit (see `edit_assignments`)."""
        return self.edit_assignments(period_id, [(shift_id, member_id, action)], expected_version)

    def edit_assignments(self, period_id: int, changes: list[Change],
                         expected_version: int) -> list[check.Violation]:
        """Put members on shifts or take them off (hand edits, flagged as such), in order, as ONE operation: a
        move from the day to the night shift is a removal and an addition that succeed or fail together (and
        undo together). Returns the hard rules the edited roster breaks (the edit is kept: the user fixes them
        or publishes later). A change made meanwhile at another desk (the member already taken off, or put on)
        refuses the whole edit."""
        if not changes:
            raise ValidationError(_("Nothing to change."))
        for _shift, _member, action in changes:
            if action not in (ADD, REMOVE):
                raise ValueError(action)
        with self.write("roster.edit_assignment") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, expected_version)
            self._require_draft(period)
            for shift_id, member_id, action in changes:
                self._apply_edit(s, period, shift_id, member_id, action)
                s.flush()
                s.expire_all()  # the next change sees this one (collections loaded before it are stale)
            problem = build_problem(s, period)
            return check.violations(problem, current_assignment(s, period)[0])

    def _apply_edit(self, s: Any, period: RosterPeriod, shift_id: int, member_id: int, action: str) -> None:
        shift = validate.get(s, OnCallShift, shift_id, _("Shift"))
        member = validate.get(s, Member, member_id, _("Member"))
        if shift.period_id != period.id:
            raise ValidationError(_("This shift is not in the roster period {name}.").format(name=period.name))
        row = s.scalar(select(ShiftAssignment).where(ShiftAssignment.shift_id == shift_id,
                                                     ShiftAssignment.member_id == member_id))
        if action == REMOVE:
            if row is None:
                raise ValidationError(_("{name} is not on this shift (changed meanwhile?): the roster is shown "
                                        "again as it now stands.").format(name=member.name))
            s.delete(row)
            return
        if row is not None:
            raise ValidationError(_("{name} is already on this shift (changed meanwhile?): the roster is shown "
                                    "again as it now stands.").format(name=member.name))
        if member.id not in {m.id for m in members_of(s, period.port_id)}:
            raise ValidationError(_("{name} is not an active member of this port's team.").format(
                name=member.name))
        self._refuse_second_shift(s, period, shift, member)
        s.add(ShiftAssignment(shift_id=shift_id, member_id=member_id, manual=True))

    @staticmethod
    def _refuse_second_shift(s: Any, period: RosterPeriod, shift: OnCallShift, member: Member) -> None:
        _assignment, rows = current_assignment(s, period)
        d = (shift_day(shift) - period.starts_on).days
        for kind in shift_kinds(period.pattern):
            other = rows.get((d, kind.value))
            if other is not None and other.id != shift.id and any(a.member_id == member.id for a in other.assignments):
                raise ValidationError(_("{name} is already on another shift that day: take them off it first.").format(
                    name=member.name))

    def publish(self, period_id: int, expected_version: int) -> None:
        """Publish the roster; refused, with the broken rules listed, while it breaks any hard rule."""
        with self.write("roster.publish") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            validate.expect_version(period, expected_version)
            self._require_draft(period)
            if not period.shifts:
                raise ValidationError(_("The roster {name} has no shifts yet: solve it first.").format(name=period.name))
            found = check.violations(build_problem(s, period), current_assignment(s, period)[0])
            if found:
                listed = "\n".join(f"- {v.message}" for v in found[:10])
                more = _("\n(and {n} more)").format(n=len(found) - 10) if len(found) > 10 else ""
                raise ValidationError(_(
                    "The roster breaks {n} hard rule(s) and cannot be published. Fix these first:\n{list}{more}"
                ).format(n=len(found), list=listed, more=more))
            period.status, period.published_at, period.published_by_id = (
                RosterStatus.PUBLISHED, self.clock(), self.actor.user_id)
            for shift in period.shifts:
                shift.published = True
