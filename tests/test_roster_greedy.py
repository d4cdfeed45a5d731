"""The first roster of a large model (roster/greedy.py) and the engine's large-model path: a team lead with a
thousand members gets a roster at once instead of "no roster found" after 20 s of presolve."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from drillapp.roster import check, engine
from drillapp.roster.engine_model import build
from drillapp.roster.greedy import first_roster
from drillapp.roster.problem import CoverRequirement, Person, Problem, Request, ShiftType, WindowLimit
from tests.test_roster_engine import port_like


def big_team(people: int = 120, days: int = 28) -> Problem:
    """Day and night duty as the port's large team has it: four on each shift, a day off after a night, past
    load for fairness, some on leave, a leader on every day shift."""
    team = [Person(str(i), past_shifts=i % 6, past_weekends=i % 3,
                   unavailable=frozenset(range(5, 12)) if i % 9 == 0 else frozenset(),
                   qualifications={"leader": None} if i % 10 == 0 else {},
                   previous=("night",) if i % 7 == 0 else ())
            for i in range(people)]
    cover = [CoverRequirement(d, shift, minimum=4, maximum=4) for d in range(days) for shift in ("day", "night")]
    cover += [CoverRequirement(d, "day", tag="leader", minimum=1, label="leader") for d in range(days)]
    return Problem(days=days, shift_types=[ShiftType("day", 720), ShiftType("night", 720)], people=team,
                   cover=cover, requests=[Request("3", 2, None, False, 5)], forbidden_successions={("night", "day")},
                   rest_after={"night": 1}, start=date(2026, 3, 2), fairness_weight=10, weekend_fairness_weight=10)


def test_the_first_roster_meets_cover_and_breaks_no_rule():
    problem = big_team()
    roster = first_roster(build(problem, symmetry=False))

    assert check.violations(problem, roster) == []
    for d in range(problem.days):
        for shift in ("day", "night"):
            assert sum(1 for (_k, day), code in roster.items() if day == d and code == shift) == 4
    assert ("3", 2) not in roster, "a wish for a day off is kept where others can cover"
    worked = {key for (key, _d) in roster}
    assert all(int(k) % 9 != 0 or not any(k == key and 5 <= d <= 11 for (key, d) in roster) for k in worked), \
        "nobody works on leave"


def test_the_first_roster_keeps_every_rule_it_checks_on_the_port_like_problem():
    """The small problem with every kind of rule: what the greedy roster breaks is only what it leaves to the
    search (minimums), never rest, successions, leave, the most in a row, per shift type or in a window."""
    problem = port_like()
    roster = first_roster(build(problem, symmetry=False))

    left_to_the_search = {check.MIN_TOTAL, check.MIN_MINUTES, check.MIN_CONSECUTIVE, check.MIN_CONSECUTIVE_OFF,
                          check.COVER_MIN}
    broken = [v for v in check.violations(problem, roster) if v.rule not in left_to_the_search]
    assert broken == [], [v.message for v in broken]


def test_pinned_shifts_stay_in_the_first_roster():
    problem = big_team(people=30, days=7)
    fixed = {("5", 0): "night", ("6", 1): "day"}
    roster = first_roster(build(problem, fixed), fixed)

    assert roster[("5", 0)] == "night" and roster[("6", 1)] == "day"
    assert ("5", 1) not in roster, "the day after the pinned night is rest"


def test_a_window_limit_and_the_most_shifts_in_a_row_are_kept():
    problem = big_team(people=12, days=14)
    tight = Problem(**{**problem.__dict__, "window_limits": [WindowLimit(7, 3, sliding=True)],
                       "people": [Person(p.key, max_consecutive=2, max_total=6, qualifications=p.qualifications)
                                  for p in problem.people]})
    roster = first_roster(build(tight, symmetry=False))

    kinds = {v.rule for v in check.violations(tight, roster)}
    assert kinds <= {check.COVER_MIN}, kinds  # 12 people cannot always cover 8 a day under these limits


def test_a_large_model_gets_a_roster_from_the_start(monkeypatch):
    """The engine's large-model path, on a model made to count as large: the greedy roster is offered before
    CP-SAT's presolve, so the first progress report already carries a roster, and the result holds every rule
    with the checker's objective."""
    monkeypatch.setattr(engine, "LARGE_MODEL", 1_000)
    problem = big_team()
    assert engine.is_large(problem)
    stop = threading.Event()
    events: list[object] = []
    real_solve_model = engine.Run.solve_model

    def solve_model(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        events.append("CP-SAT")
        return real_solve_model(self, *args, **kwargs)

    def progress(p):  # noqa: ANN001
        events.append(p.objective)
        stop.set()  # the first report ends the search: it must already hold a roster

    monkeypatch.setattr(engine.Run, "solve_model", solve_model)
    solution = engine.solve(problem, time_limit=30, workers=2, progress=progress, stop=stop)

    assert events and isinstance(events[0], int), f"a roster before any CP-SAT solve: {events[:3]}"
    assert solution.found and solution.assignment
    assert check.violations(problem, solution.assignment) == []
    assert solution.objective == check.objective(problem, solution.assignment)


@pytest.mark.parametrize(("people", "days", "large"), [(60, 30, False), (1_060, 30, True)])
def test_which_models_count_as_large(people: int, days: int, large: bool):
    problem = Problem(days=days, shift_types=[ShiftType("day"), ShiftType("night")],
                      people=[Person(str(i)) for i in range(people)])
    assert engine.is_large(problem) is large


def test_a_large_models_saved_roster_is_its_first_roster_when_solved_again(monkeypatch):
    """A re-solve hands the saved roster as the hint: on a large model it is the first roster at once (when it
    keeps the pins and breaks no rule), before any CP-SAT solve; a hint that drops a pin is not."""
    monkeypatch.setattr(engine, "LARGE_MODEL", 1_000)
    problem = big_team()
    saved = first_roster(build(problem, symmetry=False))
    offered: list[dict] = []
    real_offer = engine.Run.offer

    def offer(self, objective, assignment):  # noqa: ANN001
        offered.append(assignment)
        return real_offer(self, objective, assignment)

    def no_search(self, *_args, **_kwargs):  # noqa: ANN001, ANN002, ANN003
        from ortools.sat.python import cp_model

        return cp_model.UNKNOWN, None

    monkeypatch.setattr(engine.Run, "offer", offer)
    monkeypatch.setattr(engine.Run, "solve_model", no_search)
    monkeypatch.setattr(engine, "lns", lambda *_args: None)
    solution = engine.solve(problem, time_limit=5, hint=saved)
    assert offered == [saved] and solution.found and solution.assignment == saved

    offered.clear()
    (key, day), code = next(iter(saved.items()))
    other = "night" if code == "day" else "day"
    engine.solve(problem, time_limit=1, hint=saved, fixed={(key, day): other})
    assert offered == [], "the saved roster disagrees with the pin: not offered"
