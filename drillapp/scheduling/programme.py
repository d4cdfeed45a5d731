"""The year's drill programme as an optimisation (OR-Tools CP-SAT), on plain data: no database here.

Given the days of the horizon, those a drill may be held on (allowed weekday, not blocked, roster not short),
the drills requested (each live or tabletop), the plan/level pairs they may exercise and the coverage cells
falling due (plan × level × branch, with their due dates), choose a day and a pair for each drill:

hard: only allowed days; never two drills on a day; at least `min_gap_days` between any two; at most
      `max_per_month` in a calendar month; a drill is placed only if all of that can hold (fewer than asked
      only when the calendar leaves too few days);
objective, lexicographic by weights: (1) as many of the requested drills as fit, (2) as many due cells as
      possible covered before they fall due (a cell overdue by the first day a drill can be held counts whenever in the horizon), the
      more overdue the more it weighs among equals, (3) a plan's tabletop before its live drill (the
      building-block order), (4) the drills spread evenly (the smallest gap between two as large as possible).

A drill of pair (P, L) covers every due cell of P at L (the proposal makes it comprehensive over the branches
due). `check` verifies a solution's hard rules independently of the model (tests and the service use it).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from drillapp.models.enums import DrillKind

#: How much a cell's being overdue may add to its weight (among cells equally countable).
PRIORITY_CAP = 20
BUILDING_BLOCK_WEIGHT = 5


@dataclass(frozen=True)
class DueCell:
    plan_id: int
    level: int
    branch_id: int
    due: date

    @property
    def pair(self) -> tuple[int, int]:
        return (self.plan_id, self.level)


@dataclass(frozen=True)
class ProgrammeProblem:
    days: tuple[date, ...]  # every day of the horizon, in order
    allowed: frozenset[date]  # the days a drill may be held on
    kinds: tuple[DrillKind, ...]  # one entry per requested drill
    pairs: tuple[tuple[int, int], ...]  # (plan id, level) a drill may exercise
    cells: tuple[DueCell, ...]  # cells falling due (by the end of the horizon)
    max_per_month: int
    min_gap_days: int

    @property
    def opens(self) -> date:
        """The first day a drill can be held."""
        return min(self.allowed) if self.allowed else self.days[0]

    def deadline(self, cell: DueCell) -> date:
        """The last day a drill covers `cell` in time: its due date; any day of the horizon when it falls due
        before the first day a drill can be held (it is overdue by then: the sooner the better, but any
        drill of the horizon exercises it)."""
        return self.days[-1] if cell.due < self.opens else min(cell.due, self.days[-1])

    def priority(self, cell: DueCell) -> int:
        overdue = (self.opens - cell.due).days
        return max(0, min(PRIORITY_CAP, overdue // 30 + 1)) if overdue >= 0 else 0


@dataclass(frozen=True)
class Placed:
    index: int
    kind: DrillKind
    day: date
    plan_id: int
    level: int
    covers: tuple[DueCell, ...]  # the due cells it covers in time


@dataclass(frozen=True)
class ProgrammeSolution:
    placed: tuple[Placed, ...]
    covered: frozenset[DueCell]
    status: str
    seconds: float
    requested: int
    building_block_breaks: int = 0
    smallest_gap: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def covers_in_time(problem: ProgrammeProblem, pair: tuple[int, int], day: date) -> tuple[DueCell, ...]:
    return tuple(c for c in problem.cells if c.pair == pair and day <= problem.deadline(c))


def check(problem: ProgrammeProblem, placed: tuple[Placed, ...]) -> list[str]:
    """The hard rules a placement breaks (empty: none), checked from the problem alone."""
    broken = []
    days = sorted(p.day for p in placed)
    if len(set(days)) != len(days):
        broken.append("two drills on one day")
    for p in placed:
        if p.day not in problem.allowed:
            broken.append(f"{p.day} is not an allowed day")
        if (p.plan_id, p.level) not in problem.pairs:
            broken.append(f"{p.plan_id}/{p.level} is not a pair to exercise")
    for a, b in zip(days, days[1:], strict=False):
        if (b - a).days < max(1, problem.min_gap_days):
            broken.append(f"{a} and {b} are closer than {problem.min_gap_days} days")
    months: dict[tuple[int, int], int] = defaultdict(int)
    for d in days:
        months[(d.year, d.month)] += 1
    broken += [f"{n} drills in {y}-{m:02d}" for (y, m), n in months.items() if n > problem.max_per_month]
    if len(placed) > len(problem.kinds):
        broken.append("more drills than requested")
    return broken


def solve(problem: ProgrammeProblem, *, time_limit: float = 8.0, workers: int = 2) -> ProgrammeSolution:
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    index = {d: i for i, d in enumerate(problem.days)}
    allowed = sorted(index[d] for d in problem.allowed if d in index)
    n = len(problem.kinds)
    if not allowed or n == 0 or not problem.pairs:
        return ProgrammeSolution((), frozenset(), "EMPTY", 0.0, n)
    m = cp_model.CpModel()
    domain = cp_model.Domain.from_values(allowed)
    gap = max(1, problem.min_gap_days)
    active = [m.new_bool_var(f"a{k}") for k in range(n)]
    day = [m.new_int_var_from_domain(domain, f"d{k}") for k in range(n)]
    horizon = len(problem.days)
    spread = m.new_int_var(gap, max(gap, horizon), "spread")
    # same kind: interchangeable, so ordered (the first ones active, by date)
    for k in range(n - 1):
        if problem.kinds[k] is problem.kinds[k + 1]:
            m.add_implication(active[k + 1], active[k])
            m.add(day[k + 1] - day[k] >= spread).only_enforce_if(active[k + 1])
    for i in range(n):
        for j in range(i + 1, n):
            if problem.kinds[i] is problem.kinds[j]:
                continue  # same kind: implied by the chain of neighbours above
            after = m.new_bool_var(f"o{i}_{j}")
            m.add(day[j] - day[i] >= spread).only_enforce_if([after, active[i], active[j]])
            m.add(day[i] - day[j] >= spread).only_enforce_if([after.Not(), active[i], active[j]])
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d, i in index.items():
        months[(d.year, d.month)].append(i)
    in_month: dict[tuple[int, tuple[int, int]], cp_model.IntVar] = {}
    for k in range(n):
        for key, members in months.items():
            if not any(i in members for i in allowed):
                continue
            b = m.new_bool_var(f"m{k}_{key}")
            m.add(day[k] >= min(members)).only_enforce_if(b)
            m.add(day[k] <= max(members)).only_enforce_if(b)
            in_month[(k, key)] = b
        m.add(sum(b for (kk, _key), b in in_month.items() if kk == k) == active[k])
    for key in months:
        month_vars = [b for (_k, kk), b in in_month.items() if kk == key]
        if month_vars:
            m.add(sum(month_vars) <= problem.max_per_month)
    pairs = list(problem.pairs)
    y = {(k, p): m.new_bool_var(f"y{k}_{p}") for k in range(n) for p in range(len(pairs))}
    for k in range(n):
        m.add(sum(y[(k, p)] for p in range(len(pairs))) == active[k])
    pair_index = {pair: p for p, pair in enumerate(pairs)}
    deadlines: dict[tuple[int, int, int], cp_model.IntVar] = {}
    covered = {}
    for c, cell in enumerate(problem.cells):
        p = pair_index.get(cell.pair)
        if p is None:
            continue
        limit = index[problem.deadline(cell)]
        if limit < allowed[0]:
            continue
        ways = []
        for k in range(n):
            w = deadlines.get((k, p, limit))
            if w is None:
                w = m.new_bool_var(f"w{k}_{p}_{limit}")
                m.add_implication(w, y[(k, p)])
                m.add(day[k] <= limit).only_enforce_if(w)
                deadlines[(k, p, limit)] = w
            ways.append(w)
        covered[c] = m.new_bool_var(f"c{c}")
        m.add(sum(ways) >= covered[c])
    # the building-block order: a plan's tabletop before its live drill
    breaks = []
    plans = sorted({pl for pl, _lv in pairs})
    tabletops = [k for k in range(n) if problem.kinds[k] is DrillKind.TABLETOP]
    lives = [k for k in range(n) if problem.kinds[k] is not DrillKind.TABLETOP]
    for t in tabletops:
        for live in lives:
            before = m.new_bool_var(f"b{t}_{live}")
            m.add(day[t] < day[live]).only_enforce_if([before, active[t], active[live]])
            m.add(day[t] > day[live]).only_enforce_if([before.Not(), active[t], active[live]])
            for plan in plans:
                on_t = sum(y[(t, p)] for p, pair in enumerate(pairs) if pair[0] == plan)
                on_l = sum(y[(live, p)] for p, pair in enumerate(pairs) if pair[0] == plan)
                v = m.new_bool_var(f"v{t}_{live}_{plan}")
                m.add(on_t + on_l - before <= 1 + v)
                breaks.append(v)
    priorities = {c: problem.priority(problem.cells[c]) for c in covered}
    secondary = PRIORITY_CAP * len(covered) + BUILDING_BLOCK_WEIGHT * len(breaks) + horizon + 1
    cover_weight = secondary
    active_weight = (cover_weight + PRIORITY_CAP) * max(1, len(covered)) + secondary
    m.maximize(active_weight * sum(active)
               + sum((cover_weight + priorities[c]) * v for c, v in covered.items())
               - BUILDING_BLOCK_WEIGHT * sum(breaks) + spread)
    # a first guess the solver improves on: drills spread over the allowed days, most urgent pairs first
    _hint(m, problem, allowed, day, active, y, pairs)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(m)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ProgrammeSolution((), frozenset(), name, time.perf_counter() - started, n)
    placed = []
    for k in range(n):
        if not solver.boolean_value(active[k]):
            continue
        d = problem.days[solver.value(day[k])]
        pair = next(pairs[p] for p in range(len(pairs)) if solver.boolean_value(y[(k, p)]))
        placed.append(Placed(k, problem.kinds[k], d, pair[0], pair[1], covers_in_time(problem, pair, d)))
    placed.sort(key=lambda p: p.day)
    done = frozenset(c for p in placed for c in p.covers)
    gaps = [(b.day - a.day).days for a, b in zip(placed, placed[1:], strict=False)]
    return ProgrammeSolution(tuple(placed), done, name, time.perf_counter() - started, n,
                             sum(solver.boolean_value(v) for v in breaks), min(gaps) if gaps else None)


def _hint(m, problem: ProgrammeProblem, allowed: list[int], day, active, y, pairs) -> None:  # noqa: ANN001
    n = len(problem.kinds)
    step = max(1, len(allowed) // max(1, n))
    urgency: dict[tuple[int, int], int] = defaultdict(int)
    for cell in problem.cells:
        urgency[cell.pair] += 1 + problem.priority(cell)
    ranked = sorted(range(len(pairs)), key=lambda p: -urgency.get(pairs[p], 0))
    order = sorted(range(n), key=lambda k: (problem.kinds[k] is not DrillKind.TABLETOP, k))
    for slot, k in enumerate(order):
        m.add_hint(day[k], allowed[min(len(allowed) - 1, slot * step)])
        m.add_hint(active[k], 1)
        chosen = ranked[slot % len(ranked)]
        for p in range(len(pairs)):
            m.add_hint(y[(k, p)], int(p == chosen))
