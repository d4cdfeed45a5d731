"""The CP-SAT model of a `Problem` (see problem.py for the rules).

A Boolean `x[p, d, s]` says person p works shift s on day d (created only where it is allowed at all);
`work[p, d]` is their sum. Sequence rules are written as clauses over `work` (sliding windows for the
maximum of consecutive shifts, forbidden short stretches for the minimums), cover as integer sums with
linear shortage and surplus, so that the linear relaxation gives a useful bound. People who cannot be
told apart (same rules, days and wishes) are ordered to break symmetry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from drillapp.roster.problem import WEEKEND, Assignment, Person, Problem

Fixed = dict[tuple[str, int], "str | None"]


@dataclass
class RosterModel:
    problem: Problem
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)  # (person, day, shift)
    work: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (person, day)
    terms: list[tuple[int, cp_model.IntVar]] = field(default_factory=list)  # objective: coefficient, variable
    offset: int = 0  # constant part of the objective (requests for a shift that nobody can be given)
    # cover shortage/surplus variable index -> (the cover literals, preferred count, 1 short / -1 surplus):
    # a roster that is not optimal may carry more slack than it needs; `objective_value` counts the true one
    slack: dict[int, tuple[list, int, int]] = field(default_factory=dict)

    def assignment(self, value) -> Assignment:
        """The roster from a solver (or solution callback) `value` function."""
        codes = self.problem.shift_codes()
        keys = [p.key for p in self.problem.people]
        return {(keys[p], d): codes[s] for (p, d, s), var in self.x.items() if value(var)}

    def objective_value(self, value) -> int:
        """The roster's true objective, from a solver (or solution callback) `value` function."""
        total = self.offset
        for coef, var in self.terms:
            if var.index in self.slack:
                lits, preferred, sign = self.slack[var.index]
                total += coef * max(0, sign * (preferred - sum(value(v) for v in lits)))
            else:
                total += coef * value(var)
        return total

    def objective_expr(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum([v for _, v in self.terms], [c for c, _ in self.terms]) + self.offset


def build(problem: Problem, fixed: Fixed | None = None, hint: Assignment | None = None,
          symmetry: bool = True) -> RosterModel:
    rm = RosterModel(problem, cp_model.CpModel())
    _variables(rm, fixed or {})
    _person_rules(rm)
    _cover(rm)
    _requests(rm)
    _fairness(rm)
    if symmetry and not fixed:
        _break_symmetry(rm)
    rm.model.minimize(rm.objective_expr())
    if hint:
        add_hint(rm, hint)
    return rm


def add_hint(rm: RosterModel, hint: Assignment) -> None:
    rm.model.clear_hints()
    codes = rm.problem.shift_codes()
    keys = [p.key for p in rm.problem.people]
    for (p, d, s), var in rm.x.items():
        rm.model.add_hint(var, hint.get((keys[p], d)) == codes[s])


# -- variables and the rules of one person ------------------------------------------------------------


def _blocked(problem: Problem, person: Person) -> tuple[set[int], set[tuple[int, str]]]:
    """Days the person cannot work at all, and (day, shift) pairs they cannot take, from their limits and
    the shifts they worked just before day 0."""
    days = {d for d in person.unavailable if 0 <= d < problem.days}
    pairs: set[tuple[int, str]] = set()
    prev = person.previous
    for back, code in enumerate(reversed(prev), start=1):  # back = 1: the day before day 0
        if code is None:
            continue
        rest = problem.rest_after.get(code, 0)
        days.update(d for d in range(0, rest - back + 1) if d < problem.days)
        if back == 1:
            pairs.update((0, b) for a, b in problem.forbidden_successions if a == code)
    return days, pairs


def _variables(rm: RosterModel, fixed: Fixed) -> None:
    m, problem = rm.model, rm.problem
    codes = problem.shift_codes()
    for p, person in enumerate(problem.people):
        days_off, pairs = _blocked(problem, person)
        for d in range(problem.days):
            pin = fixed.get((person.key, d), "free") if fixed else "free"
            lits = []
            for s, code in enumerate(codes):
                if d in days_off or (d, code) in pairs or person.max_shifts.get(code) == 0:
                    continue
                if pin != "free" and pin != code:
                    continue
                var = m.new_bool_var(f"x{p}_{d}_{code}")
                rm.x[p, d, s] = var
                lits.append(var)
            w = m.new_bool_var(f"w{p}_{d}")
            rm.work[p, d] = w
            m.add(sum(lits) == w) if lits else m.add(w == 0)
            if pin not in ("free", None):
                if lits:
                    m.add(w == 1)
                else:  # pinned to a shift the person cannot take: the model says so by being infeasible
                    m.add_bool_or([])


def _person_rules(rm: RosterModel) -> None:
    m, problem = rm.model, rm.problem
    codes = problem.shift_codes()
    minutes = {t.code: t.minutes for t in problem.shift_types}
    n = problem.days
    by_person: dict[int, dict[tuple[int, int], cp_model.IntVar]] = {}
    for (q, d, s), v in rm.x.items():
        by_person.setdefault(q, {})[d, s] = v
    for p, person in enumerate(problem.people):
        work = [rm.work[p, d] for d in range(n)]
        xs = by_person.get(p, {})
        # forbidden successions and rest after a shift
        for (a, b) in problem.forbidden_successions:
            if a not in codes or b not in codes:
                continue
            sa, sb = codes.index(a), codes.index(b)
            for d in range(n - 1):
                if (d, sa) in xs and (d + 1, sb) in xs:
                    m.add_bool_or([xs[d, sa].Not(), xs[d + 1, sb].Not()])
        for code, rest in problem.rest_after.items():
            if rest <= 0 or code not in codes:
                continue
            s = codes.index(code)
            for d in range(n):
                if (d, s) in xs:
                    for e in range(d + 1, min(n, d + rest + 1)):
                        m.add_implication(xs[d, s], work[e].Not())
        # counts
        for code, cap in person.max_shifts.items():
            if code in codes and cap is not None:
                s = codes.index(code)
                vs = [xs[d, s] for d in range(n) if (d, s) in xs]
                if len(vs) > cap:
                    m.add(sum(vs) <= cap)
        total = sum(work)
        if person.min_total is not None:
            m.add(total >= person.min_total)
        if person.max_total is not None:
            m.add(total <= person.max_total)
        if person.min_minutes is not None or person.max_minutes is not None:
            mins = cp_model.LinearExpr.weighted_sum(list(xs.values()), [minutes[codes[s]] for (_, s) in xs])
            if person.min_minutes is not None:
                m.add(mins >= person.min_minutes)
            if person.max_minutes is not None:
                m.add(mins <= person.max_minutes)
        _sequences(rm, person, work)
        # weekends
        if person.max_weekends is not None:
            flags = []
            for wk in problem.weekends():
                f = m.new_bool_var(f"wk{p}_{wk[0]}")
                for d in wk:
                    m.add_implication(work[d], f)
                m.add_bool_or([work[d] for d in wk] + [f.Not()])
                flags.append(f)
            if len(flags) > person.max_weekends:
                m.add(sum(flags) <= person.max_weekends)
        # windows for everyone (sliding ones count the shifts just before day 0)
        for lim in problem.window_limits:
            _window(rm, person, work, lim.length, lim.maximum, lim.sliding)


def _previous_work(person: Person) -> list[int]:
    """1/0 for the days before day 0, oldest first."""
    return [0 if code is None else 1 for code in person.previous]


def _window(rm: RosterModel, person: Person, work: list, length: int, maximum: int, sliding: bool) -> None:
    m, n = rm.model, len(work)
    if length <= maximum:
        return
    if not sliding:
        for start in range(0, n, length):
            block = work[start:start + length]
            if len(block) > maximum:
                m.add(sum(block) <= maximum)
        return
    before = _previous_work(person)
    for end in range(1, n + 1):  # window ending on day end-1
        start = end - length
        inside = work[max(0, start):end]
        past = sum(before[max(0, len(before) + start):]) if start < 0 else 0
        if len(inside) + past > maximum:
            m.add(sum(inside) <= maximum - past)


def _sequences(rm: RosterModel, person: Person, work: list) -> None:
    m = rm.model
    if person.max_consecutive is not None:  # every mx + 1 days in a row hold a day off
        _window(rm, person, work, person.max_consecutive + 1, person.max_consecutive, sliding=True)
    _min_stretch(m, work, person.min_consecutive, on=True)
    _min_stretch(m, work, person.min_consecutive_off, on=False)


def _min_stretch(m: cp_model.CpModel, work: list, minimum: int | None, on: bool) -> None:
    """No interior stretch of working days (on) or days off (not on) shorter than `minimum`.

    A stretch that starts on day d (d - 1 differs) keeps going on day d + j for every j < minimum with
    d + j inside the horizon: had it ended earlier, it would be a short stretch ending inside the
    horizon. Three-literal clauses, which are also tight as linear constraints."""
    if not minimum or minimum <= 1:
        return
    n = len(work)
    for d in range(1, n - 1):
        for j in range(1, minimum):
            if d + j > n - 1:
                break
            if on:
                m.add_bool_or([work[d - 1], work[d].Not(), work[d + j]])
            else:
                m.add_bool_or([work[d - 1].Not(), work[d], work[d + j].Not()])


# -- cover, requests and fairness ---------------------------------------------------------------------


def _cover(rm: RosterModel) -> None:
    m, problem = rm.model, rm.problem
    codes = problem.shift_codes()
    for i, req in enumerate(problem.cover):
        if not 0 <= req.day < problem.days:
            continue
        s = codes.index(req.shift) if req.shift in codes else -1  # an unknown shift: nobody can cover it
        vs = [rm.x[p, req.day, s] for p, person in enumerate(problem.people)
              if (p, req.day, s) in rm.x and (req.tag is None or person.holds(req.tag, req.day))]
        count = sum(vs)
        if req.minimum > 0:
            m.add(count >= req.minimum)
        if req.maximum is not None and req.maximum < len(vs):
            m.add(count <= req.maximum)
        if req.preferred is None:
            continue
        hi = len(vs) if req.maximum is None else min(len(vs), req.maximum)
        if req.under_weight and req.preferred > req.minimum:
            under = m.new_int_var(0, max(0, req.preferred - req.minimum), f"under{i}")
            m.add(count + under >= req.preferred)
            rm.slack[under.index] = (vs, req.preferred, 1)
            rm.terms.append((req.under_weight, under))
        if req.over_weight and hi > req.preferred:
            over = m.new_int_var(0, hi - max(req.preferred, 0), f"over{i}")
            m.add(count - over <= req.preferred)
            rm.slack[over.index] = (vs, req.preferred, -1)
            rm.terms.append((req.over_weight, over))


def _requests(rm: RosterModel) -> None:
    problem = rm.problem
    index = {p.key: i for i, p in enumerate(problem.people)}
    codes = problem.shift_codes()
    for req in problem.requests:
        p = index.get(req.person)
        if p is None or not 0 <= req.day < problem.days or req.weight == 0:
            continue
        var: cp_model.IntVar | None
        if req.shift is None:
            var = rm.work[p, req.day]
        else:
            var = rm.x.get((p, req.day, codes.index(req.shift))) if req.shift in codes else None
        if req.on:  # penalty weight * (1 - var)
            rm.offset += req.weight
            if var is not None:
                rm.terms.append((-req.weight, var))
        elif var is not None:
            rm.terms.append((req.weight, var))


def special_days(problem: Problem) -> list[int]:
    """Weekend and holiday days, for the fairness of weekend load."""
    return [d for d in range(problem.days) if problem.weekday(d) in WEEKEND or d in problem.holidays]


def _fairness(rm: RosterModel) -> None:
    m, problem = rm.model, rm.problem
    n = problem.days
    people = problem.people
    if len(people) < 2:
        return
    for weight, days, past in ((problem.fairness_weight, list(range(n)), [p.past_shifts for p in people]),
                               (problem.weekend_fairness_weight, special_days(problem),
                                [p.past_weekends for p in people])):
        if not weight:
            continue
        loads = [sum(rm.work[p, d] for d in days) + past[p] for p in range(len(people))]
        top = max(past) + len(days)
        hi = m.new_int_var(min(past), top, "load_hi")
        lo = m.new_int_var(min(past), top, "load_lo")
        for load in loads:  # the linear form, for the relaxation ...
            m.add(hi >= load)
            m.add(lo <= load)
        m.add_max_equality(hi, loads)  # ... and exact, so that every roster's objective is its true one
        m.add_min_equality(lo, loads)
        spread = m.new_int_var(0, top, "spread")
        m.add(spread == hi - lo)
        rm.terms.append((weight, spread))


# -- symmetry -----------------------------------------------------------------------------------------


def _signature(problem: Problem, person: Person, requests: dict[str, list]) -> tuple:
    return (tuple(sorted(person.max_shifts.items())), person.min_total, person.max_total, person.min_minutes,
            person.max_minutes, person.max_consecutive, person.min_consecutive, person.min_consecutive_off,
            person.max_weekends, tuple(sorted(person.unavailable)),
            tuple(sorted((k, None if v is None else tuple(sorted(v))) for k, v in person.qualifications.items())),
            person.previous, person.past_shifts, person.past_weekends, tuple(sorted(requests.get(person.key, []))))


def _break_symmetry(rm: RosterModel) -> None:
    """Interchangeable people: the first of each pair works on the first day on which they differ ...
    approximated by ordering their schedules as numbers over the first days (lexicographic order on a
    prefix) and their totals."""
    problem, m = rm.problem, rm.model
    requests: dict[str, list] = {}
    for r in problem.requests:
        requests.setdefault(r.person, []).append((r.day, r.shift or "", r.on, r.weight))
    groups: dict[tuple, list[int]] = {}
    for p, person in enumerate(problem.people):
        groups.setdefault(_signature(problem, person, requests), []).append(p)
    codes = problem.shift_codes()
    for members in groups.values():
        for a, b in zip(members, members[1:], strict=False):
            # a's schedule, read as a string over (off, shift 1, ..., shift S) per day, is >= b's
            _lex_geq(m, [[rm.x.get((a, d, s)) for s in range(len(codes))] for d in range(problem.days)],
                     [[rm.x.get((b, d, s)) for s in range(len(codes))] for d in range(problem.days)])


def _lex_geq(m: cp_model.CpModel, rows_a: list[list], rows_b: list[list]) -> None:
    """Lexicographic a >= b over days, each day's value being 0 (off) or 1 + shift index."""
    equal_so_far = None  # literal: all earlier days equal (None: true)
    for da, db in zip(rows_a, rows_b, strict=True):
        va = sum((s + 1) * v for s, v in enumerate(da) if v is not None)
        vb = sum((s + 1) * v for s, v in enumerate(db) if v is not None)
        if equal_so_far is None:
            m.add(va >= vb)
        else:
            m.add(va >= vb).only_enforce_if(equal_so_far)
        eq = m.new_bool_var("")
        m.add(va == vb).only_enforce_if(eq)
        m.add(va != vb).only_enforce_if(eq.Not())
        if equal_so_far is None:
            equal_so_far = eq
        else:
            both = m.new_bool_var("")
            m.add_bool_and([equal_so_far, eq]).only_enforce_if(both)
            m.add_bool_or([equal_so_far.Not(), eq.Not()]).only_enforce_if(both.Not())
            equal_so_far = both
