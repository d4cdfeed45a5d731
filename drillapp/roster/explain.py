"""Why a roster cannot be made, in words: which requirement fails on which day, and why.

`explain(problem)` runs fast pre-checks: for each hard cover minimum, how many people could fill it that
day (available, holding the tag that day, not resting after a shift just before the period, not pinned to
something else) against the minimum; then whether the people can supply the period's duties at all (window
limits, rest days, max totals, leave). When these pass and the engine still finds no roster,
`diagnose(problem)` relaxes the cover minimums into heavily weighted soft terms, solves, and reports the
requirements that stay short, with what keeps each candidate away (rest after a duty, the weekly limit...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from drillapp.i18n import N_, _, join_list
from drillapp.roster import check
from drillapp.roster.problem import Assignment, CoverRequirement, Person, Problem

AVAILABILITY = "availability"  # too few people could fill the requirement that day at all
SUPPLY = "supply"  # the people cannot take as many duties as the period needs
COMBINATION = "combination"  # each day alone is possible, but not all together (found by diagnose)
PERSONAL = "personal"  # the people's own minimums (min shifts, minutes) cannot be met with the cover

SHORT_WEIGHT = 100_000

REASONS = {
    check.UNAVAILABLE: N_("not available"),
    check.REST: N_("rest after a duty"),
    check.SUCCESSION: N_("shift order (night before a day shift)"),
    check.WINDOW: N_("weekly limit reached"),
    check.MAX_CONSECUTIVE: N_("too many days in a row"),
    check.MAX_TOTAL: N_("most shifts in the period reached"),
    check.MAX_SHIFTS: N_("most shifts of this kind reached"),
    check.MAX_MINUTES: N_("most hours in the period reached"),
    check.MAX_WEEKENDS: N_("most weekends reached"),
    check.MIN_CONSECUTIVE: N_("stretch too short"),
    check.MIN_CONSECUTIVE_OFF: N_("too little time off between duties"),
    check.COVER_MAX: N_("the shift is full"),
}


@dataclass(frozen=True)
class Shortfall:
    kind: str  # AVAILABILITY, SUPPLY, COMBINATION, PERSONAL
    day: int | None
    shift: str | None
    tag: str | None
    label: str
    available: int  # people who could fill it (AVAILABILITY), duties the people can take (SUPPLY), or on duty
    needed: int
    message: str


def _blocked_days(problem: Problem, person: Person) -> set[int]:
    """Days a person cannot work at all: unavailable, or resting after a shift just before the period."""
    days = set(person.unavailable)
    for back, code in enumerate(reversed(person.previous), start=1):
        if code is not None:
            days.update(range(0, problem.rest_after.get(code, 0) - back + 1))
    return days


def candidates(problem: Problem, req: CoverRequirement, fixed: dict | None = None) -> list[Person]:
    """The people who could be on `req.shift` on `req.day` and count for it, the day taken alone."""
    out = []
    for person in problem.people:
        if req.day in _blocked_days(problem, person) or person.max_shifts.get(req.shift) == 0:
            continue
        if req.tag is not None and not person.holds(req.tag, req.day):
            continue
        if req.day == 0 and person.previous and (person.previous[-1], req.shift) in problem.forbidden_successions:
            continue
        if fixed and (person.key, req.day) in fixed and fixed[(person.key, req.day)] != req.shift:
            continue
        out.append(person)
    return out


def _label(req: CoverRequirement) -> str:
    return check.requirement_label(req) or _("people")


def explain(problem: Problem, fixed: dict | None = None) -> list[Shortfall]:
    """Fast pre-checks; an empty list means none of them finds a reason the roster is impossible."""
    out: list[Shortfall] = []
    for req in sorted(problem.cover, key=lambda r: (r.day, r.shift)):
        if req.minimum <= 0 or not 0 <= req.day < problem.days:
            continue
        n = len(candidates(problem, req, fixed))
        if n >= req.minimum:
            continue
        when = check.day_label(problem, req.day)
        msg = (_("{when}: no {label} available, {needed} needed") if n == 0
               else _("{when}: only {available} {label} available, {needed} needed"))
        out.append(Shortfall(AVAILABILITY, req.day, req.shift, req.tag, _label(req), n, req.minimum,
                             msg.format(when=when, label=_label(req), available=n, needed=req.minimum)))
    out += _day_totals(problem, fixed)
    if not out:
        out += _supply(problem)
    return out


def _day_totals(problem: Problem, fixed: dict | None) -> list[Shortfall]:
    """All shifts of one day together need more people than are free that day (one shift a day each)."""
    out = []
    by_day: dict[int, int] = {}
    for req in problem.cover:
        if req.tag is None and 0 <= req.day < problem.days:
            by_day[req.day] = by_day.get(req.day, 0) + req.minimum
    for day, needed in sorted(by_day.items()):
        if len(problem.shift_types) < 2 or needed <= 0:
            continue
        free = sum(1 for p in problem.people if day not in _blocked_days(problem, p))
        if free < needed:
            out.append(Shortfall(AVAILABILITY, day, None, None, _("people"), free, needed, _(
                "{when}: only {available} people available for all shifts of the day, {needed} needed"
            ).format(when=check.day_label(problem, day), available=free, needed=needed)))
    return out


def capacity(problem: Problem, person: Person, days: set[int] | None = None) -> int:
    """An upper bound on the shifts a person can take in the period (or on `days` of it)."""
    n = problem.days
    free = [d for d in range(n) if d not in _blocked_days(problem, person) and (days is None or d in days)]
    bound = len(free)
    if person.max_total is not None:
        bound = min(bound, person.max_total)
    for limit in problem.window_limits:
        if limit.length > 0:
            bound = min(bound, sum(min(limit.maximum, sum(1 for d in free if start <= d < start + limit.length))
                                   for start in range(0, n, limit.length)))
    rests = [problem.rest_after.get(t.code, 0) for t in problem.shift_types if person.max_shifts.get(t.code) != 0]
    rest = min(rests) if rests else 0
    if rest > 0:
        bound = min(bound, math.ceil(n / (rest + 1)))
    if person.max_consecutive is not None:
        c = person.max_consecutive
        bound = min(bound, n - n // (c + 1))
    return bound


def _supply(problem: Problem) -> list[Shortfall]:
    """Duties the period needs (all, and per tag) against what the people can take."""
    out = []
    demand: dict[str | None, tuple[int, str]] = {}
    for req in problem.cover:
        if req.minimum > 0 and 0 <= req.day < problem.days:
            total, _l = demand.get(req.tag, (0, ""))
            demand[req.tag] = (total + req.minimum, _label(req))
    for tag, (needed, label) in demand.items():
        if tag is None:
            supply = sum(capacity(problem, p) for p in problem.people)
            if supply < needed:
                out.append(Shortfall(SUPPLY, None, None, None, label, supply, needed, _(
                    "The period needs {needed} duties, but the members can take at most {available} "
                    "(leave, rest days, weekly and period limits)."
                ).format(needed=needed, available=supply)))
            continue
        supply = 0
        for p in problem.people:
            held = {d for d in range(problem.days) if p.holds(tag, d)}
            if held:
                supply += capacity(problem, p, held)
        if supply < needed:
            out.append(Shortfall(SUPPLY, None, None, tag, label, supply, needed, _(
                "The period needs {label} on {needed} duties, but those members can take at most {available} "
                "(leave, rest days, weekly and period limits, expiring certificates)."
            ).format(label=label, needed=needed, available=supply)))
    return out


def relaxed(problem: Problem) -> Problem:
    """The problem with every cover minimum turned into a heavily weighted shortfall, nothing else soft."""
    cover = [replace(r, minimum=0, preferred=r.minimum, under_weight=SHORT_WEIGHT, over_weight=0)
             if r.minimum > 0 else replace(r, preferred=None) for r in problem.cover]
    return replace(problem, cover=cover, requests=[], fairness_weight=0, weekend_fairness_weight=0)


def diagnose(problem: Problem, time_limit: float = 20.0, workers: int = 2) -> list[Shortfall]:
    """Solve with the cover minimums relaxed; report the ones that stay short and why."""
    from drillapp.roster import engine

    solution = engine.solve(relaxed(problem), time_limit=time_limit, workers=workers)
    if not solution.found:
        if solution.status == "INFEASIBLE":
            return [Shortfall(PERSONAL, None, None, None, "", 0, 0, _(
                "Even with nobody on duty the members' own rules cannot all be met (minimum shifts or "
                "hours in the period, minimum stretches). Check those limits."))]
        return [Shortfall(COMBINATION, None, None, None, "", 0, 0, _(
            "No explanation found in the time given: try again with more time."))]
    return shortfalls_of(problem, solution.assignment)


def shortfalls_of(problem: Problem, assignment: Assignment) -> list[Shortfall]:
    """The cover minimums `assignment` leaves short, each with why its candidates are not on duty."""
    out = []
    for req in sorted(problem.cover, key=lambda r: (r.day, r.shift)):
        if req.minimum <= 0 or not 0 <= req.day < problem.days:
            continue
        count = check.cover_count(problem, assignment, req)
        if count >= req.minimum:
            continue
        reasons = _reasons(problem, assignment, req)
        when, shift = check.day_label(problem, req.day), check.shift_label(problem, req.shift)
        out.append(Shortfall(COMBINATION, req.day, req.shift, req.tag, _label(req), count, req.minimum, _(
            "{when}, {shift}: {count} {label} on duty, {needed} needed; the others are kept away by: {reasons}"
        ).format(when=when, shift=shift, count=count, label=_label(req), needed=req.minimum,
                 reasons=join_list(reasons) or _("their other duties"))))
    return out


def _reasons(problem: Problem, assignment: Assignment, req: CoverRequirement) -> list[str]:
    """Why the candidates not on this shift cannot be moved onto it: the rules moving them would break."""
    before = {(v.rule, v.person, v.day) for v in check.violations(problem, assignment)}
    counts: dict[str, list[str]] = {}
    for person in candidates(problem, req):
        if assignment.get((person.key, req.day)) == req.shift:
            continue
        trial = dict(assignment)
        trial[(person.key, req.day)] = req.shift
        new = [v for v in check.violations(problem, trial)
               if v.person == person.key and (v.rule, v.person, v.day) not in before]
        if assignment.get((person.key, req.day)) is not None:
            why = _("on {shift} that day").format(shift=check.shift_label(problem, assignment[(person.key, req.day)]))
        elif new:
            why = _(REASONS.get(new[0].rule, new[0].rule))
        else:
            continue
        counts.setdefault(why, []).append(check.person_label(person))
    return [f"{why} ({', '.join(names)})" for why, names in sorted(counts.items(), key=lambda kv: -len(kv[1]))]
