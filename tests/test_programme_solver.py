"""The programme solver on plain data: on small cases its number of covered due cells equals an exhaustive
search's; it never double-books and keeps every hard rule (checked independently); it prefers a plan's
tabletop before its live drill; and it places fewer drills only when the calendar has too few days."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from drillapp.models.enums import DrillKind
from drillapp.scheduling.programme import DueCell, Placed, ProgrammeProblem, check, covers_in_time, solve

LIVE, TABLETOP = DrillKind.LIVE, DrillKind.TABLETOP


def _days(first: date, n: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range(n))


def _brute_force(problem: ProgrammeProblem) -> int:
    """The most due cells any placement keeping the hard rules covers in time (every day and pair tried)."""
    best = 0
    allowed = sorted(problem.allowed)
    n = len(problem.kinds)
    for count in range(n, -1, -1):
        for days in itertools.combinations(allowed, count):
            for pairs in itertools.product(problem.pairs, repeat=count):
                placed = tuple(Placed(i, problem.kinds[i], d, p[0], p[1], covers_in_time(problem, p, d))
                               for i, (d, p) in enumerate(zip(days, pairs, strict=True)))
                if check(problem, placed):
                    continue
                best = max(best, len({c for p in placed for c in p.covers}))
    return best


def _small(seed: int) -> ProgrammeProblem:
    import random

    rng = random.Random(seed)
    days = _days(date(2027, 1, 25), 14)  # across a month's end, so the month cap bites
    allowed = frozenset(d for d in days if d.weekday() < 5 and rng.random() < 0.7)
    pairs = ((1, 1), (1, 2), (2, 1), (3, 4))
    cells = tuple(DueCell(p, lv, b, days[0] + timedelta(days=rng.randint(-30, 16)))
                  for p, lv in pairs for b in (10, 11) if rng.random() < 0.8)
    return ProgrammeProblem(days, allowed, (LIVE, LIVE, TABLETOP), pairs, cells, max_per_month=2,
                            min_gap_days=rng.choice((1, 2, 3)))


@pytest.mark.parametrize("seed", range(6))
def test_the_solver_covers_as_many_due_cells_as_an_exhaustive_search(seed):
    problem = _small(seed)

    solution = solve(problem, time_limit=20, workers=2)

    assert solution.status == "OPTIMAL"
    assert check(problem, solution.placed) == []
    assert len(solution.covered) == _brute_force(problem)
    for p in solution.placed:  # what it says each drill covers is true
        assert set(p.covers) == set(covers_in_time(problem, (p.plan_id, p.level), p.day))


def test_never_two_drills_a_day_and_fewer_only_when_days_run_out():
    days = _days(date(2027, 3, 1), 10)
    allowed = frozenset({days[1], days[4], days[7]})
    cells = tuple(DueCell(p, 1, 1, days[-1]) for p in range(1, 6))
    problem = ProgrammeProblem(days, allowed, (LIVE,) * 5, tuple((p, 1) for p in range(1, 6)), cells,
                               max_per_month=10, min_gap_days=3)

    solution = solve(problem, time_limit=10)

    assert len(solution.placed) == 3
    assert sorted(p.day for p in solution.placed) == sorted(allowed)
    assert check(problem, solution.placed) == []
    assert len(solution.covered) == 3


def test_a_plans_tabletop_comes_before_its_live_drill():
    days = _days(date(2027, 5, 3), 12)
    allowed = frozenset(days)
    cells = (DueCell(7, 2, 1, days[-1]), DueCell(7, 3, 1, days[-1]))
    problem = ProgrammeProblem(days, allowed, (LIVE, TABLETOP), ((7, 2), (7, 3)), cells, max_per_month=5,
                               min_gap_days=2)

    solution = solve(problem, time_limit=10)

    [first, second] = solution.placed
    assert (first.kind, second.kind) == (TABLETOP, LIVE)
    assert solution.building_block_breaks == 0
    assert len(solution.covered) == 2


def test_the_most_overdue_cells_are_covered_first_when_drills_are_short():
    days = _days(date(2027, 6, 1), 20)
    cells = (DueCell(1, 1, 1, date(2027, 1, 1)), DueCell(2, 1, 1, date(2027, 5, 25)))  # both overdue
    problem = ProgrammeProblem(days, frozenset(days), (LIVE,), ((1, 1), (2, 1)), cells, max_per_month=3,
                               min_gap_days=1)

    [placed] = solve(problem, time_limit=10).placed

    assert (placed.plan_id, placed.level) == (1, 1)
