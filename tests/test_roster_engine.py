"""The CP-SAT roster engine on small made-up problems: every hard rule holds in what it returns (checked by
the independent checker, drillapp.roster.check), its objective is the checker's, and the controls work:
infeasible problems, the stop event, pinned cells, hints and progress reports."""

from __future__ import annotations

import threading
from datetime import date

from drillapp.roster import check, engine
from drillapp.roster.problem import (
    CoverRequirement,
    Person,
    Problem,
    Request,
    ShiftType,
    WindowLimit,
)


def port_like(days: int = 14) -> Problem:
    """Day and night duty with every kind of hard rule and soft term the port roster uses."""
    leaders = {"leader": None}
    people = [
        Person("a", qualifications={"leader": None, "skill:RU": None}, previous=("D", "N")),
        Person("b", qualifications=leaders, max_shifts={"N": 2}, unavailable=frozenset({3, 4})),
        Person("c", qualifications={"skill:RU": frozenset(range(0, 7))}, past_shifts=3, max_weekends=1),
        Person("d", qualifications={"leader": None}, min_total=4, max_total=8, previous=("D", "D", "D")),
        Person("e", min_minutes=8 * 60 * 3, max_minutes=8 * 60 * 7, past_weekends=2),
        Person("f", min_consecutive_off=2, min_consecutive=2),
        Person("g", max_consecutive=3, qualifications={"skill:RU": frozenset(range(7, 14))}),
    ]
    cover = []
    for d in range(days):
        cover.append(CoverRequirement(d, "D", minimum=2, maximum=3, preferred=3, under_weight=5, over_weight=2))
        cover.append(CoverRequirement(d, "N", minimum=1, maximum=2, preferred=1, under_weight=5, over_weight=3))
        cover.append(CoverRequirement(d, "D", tag="leader", minimum=1, label="leader"))
        cover.append(CoverRequirement(d, "N", tag="skill:RU", minimum=1 if d % 3 == 0 else 0, label="Russian"))
    requests = [Request("a", 2, "D", True, 4), Request("e", 5, None, False, 3), Request("g", 6, None, True, 2),
                Request("c", 8, "N", False, 5)]
    return Problem(
        days=days, shift_types=[ShiftType("D", 8 * 60), ShiftType("N", 12 * 60)], people=people, cover=cover,
        requests=requests, forbidden_successions={("N", "D")}, rest_after={"N": 1},
        window_limits=[WindowLimit(7, 5, sliding=True), WindowLimit(7, 5, sliding=False)],
        start=date(2026, 3, 2), holidays=frozenset({9}), fairness_weight=2, weekend_fairness_weight=3,
        name="port-like")


def assert_valid(problem: Problem, solution) -> None:
    assert solution.found, solution.status
    broken = check.violations(problem, solution.assignment)
    assert broken == [], [v.message for v in broken]
    assert solution.objective == check.objective(problem, solution.assignment)
    assert solution.bound is None or solution.bound <= solution.objective


def test_every_hard_rule_holds_and_the_objective_is_the_checkers():
    problem = port_like()
    solution = engine.solve(problem, time_limit=4, workers=2)
    assert_valid(problem, solution)
    a = solution.assignment
    # the rules whose breach the checker would report, looked at once more directly
    assert a.get(("a", 0)) is None  # rest after the night before day 0
    assert not {a.get(("b", 3)), a.get(("b", 4))} - {None}  # leave
    for d in range(problem.days):
        assert sum(1 for p in problem.people if a.get((p.key, d)) == "D") >= 2
        assert any(a.get((p.key, d)) == "D" and p.holds("leader", d) for p in problem.people)
        if d % 3 == 0:
            assert any(a.get((p.key, d)) == "N" and p.holds("skill:RU", d) for p in problem.people)


def test_infeasible_problem_says_so():
    problem = port_like(days=7)
    problem.cover.append(CoverRequirement(2, "N", tag="leader", minimum=3))  # only three leaders, one on D
    solution = engine.solve(problem, time_limit=600)  # returns once proven: the limit only guards a hang
    assert solution.status == "INFEASIBLE"
    assert not solution.found and solution.assignment == {}


def test_fixed_cells_are_kept():
    problem = port_like(days=7)
    fixed = {("e", 1): "N", ("a", 3): None, ("d", 4): "D"}
    solution = engine.solve(problem, time_limit=5, fixed=fixed)
    assert_valid(problem, solution)
    assert solution.assignment[("e", 1)] == "N"
    assert ("a", 3) not in solution.assignment
    assert solution.assignment[("d", 4)] == "D"


def test_impossible_pin_is_infeasible():
    problem = port_like(days=7)
    solution = engine.solve(problem, time_limit=600, fixed={("b", 3): "D"})  # b is on leave on day 3
    assert solution.status == "INFEASIBLE"


def test_progress_is_reported_and_hint_accepted():
    problem = port_like()
    first = engine.solve(problem, time_limit=1.5)
    seen = []
    again = engine.solve(problem, time_limit=2, hint=first.assignment, progress=seen.append, seed=3)
    assert_valid(problem, again)
    assert seen, "no progress reported"
    assert any(p.objective is not None for p in seen)
    assert seen[-1].objective == again.objective
    assert all(p.solutions >= 0 and p.seconds >= 0 for p in seen)


def big_problem() -> Problem:
    """Large enough that the search runs for its whole time limit."""
    people = [Person(f"p{i}", max_consecutive=4, min_consecutive=2, min_consecutive_off=2, max_weekends=2,
                     min_total=10, max_total=16, unavailable=frozenset({(i * 5) % 28}))
              for i in range(30)]
    cover = [CoverRequirement(d, s, preferred=6 + (d * 7 + len(s)) % 4, under_weight=100, over_weight=1)
             for d in range(28) for s in ("E", "L")]
    requests = [Request(f"p{i}", (i * 3) % 28, "E" if i % 2 else None, bool(i % 3), 1 + i % 3) for i in range(30)]
    return Problem(days=28, shift_types=[ShiftType("E", 480), ShiftType("L", 480)], people=people, cover=cover,
                   requests=requests, forbidden_successions={("L", "E")}, fairness_weight=5)


def _count_solves_after(stop: threading.Event, monkeypatch) -> list[int]:
    """How many sub-solves began once `stop` was set (a search that honours it begins none)."""
    after: list[int] = []
    real = engine.Run.solve_model

    def counting(self, *args, **kwargs):
        if stop.is_set():
            after.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(engine.Run, "solve_model", counting)
    return after


def test_stop_event_ends_the_search_keeping_the_best_roster(monkeypatch):
    problem = big_problem()
    stop = threading.Event()
    after = _count_solves_after(stop, monkeypatch)

    def on_progress(p):
        if p.objective is not None:
            stop.set()

    solution = engine.solve(problem, time_limit=600, progress=on_progress, stop=stop)
    assert solution.status == "STOPPED"
    assert after == []  # nothing more was started once the stop came
    # the running first phase was interrupted: left alone it would take its 120 s (20 % of the limit)
    assert solution.seconds < engine.FIRST_PHASE * 600
    assert solution.found and solution.assignment
    assert check.violations(problem, solution.assignment) == []
    assert solution.objective == check.objective(problem, solution.assignment)


def test_a_stop_set_from_another_thread_during_the_neighbourhood_search(monkeypatch):
    """The stop comes from a neighbourhood-search thread as it starts (not from a timer guessing when the
    first phase ends): the whole search must end on it, with the best roster kept."""
    problem = big_problem()
    stop = threading.Event()
    after = _count_solves_after(stop, monkeypatch)
    started: list[str] = []
    real_lns = engine.lns

    def lns_then_stop(run, rm, params, seed):
        started.append(threading.current_thread().name)
        stop.set()
        return real_lns(run, rm, params, seed)

    monkeypatch.setattr(engine, "lns", lns_then_stop)
    solution = engine.solve(problem, time_limit=10, stop=stop)

    assert started and all(name.startswith("roster-lns-") for name in started)
    assert after == []  # no neighbourhood was solved after the stop
    assert solution.status == "STOPPED" and solution.found
    assert check.violations(problem, solution.assignment) == []


def test_identical_people_and_previous_stretch():
    """Interchangeable people (symmetry breaking applies) and a working stretch that runs into day 0."""
    people = [Person(f"s{i}", max_consecutive=3) for i in range(4)]
    people.append(Person("late", max_consecutive=3, previous=("D", "D", "D")))
    cover = [CoverRequirement(d, "D", minimum=2, maximum=3, preferred=3, under_weight=1) for d in range(10)]
    problem = Problem(days=10, shift_types=[ShiftType("D", 480)], people=people, cover=cover,
                      requests=[Request("late", 0, "D", True, 10)])
    solution = engine.solve(problem, time_limit=600)  # returns once proven: the limit only guards a hang
    assert_valid(problem, solution)
    assert ("late", 0) not in solution.assignment  # three days already worked before day 0
    assert solution.status == "OPTIMAL"


def test_a_roster_counts_its_true_cover_penalty_even_when_the_solver_carries_more_slack():
    from ortools.sat.python import cp_model

    from drillapp.roster.engine_model import build

    problem = port_like()
    rm = build(problem)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(rm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    roster = rm.assignment(solver.boolean_value)
    assert rm.slack  # the problem has soft cover

    def value(var):  # the solver's roster, with every shortage and surplus variable set far too high
        return 5 if var.index in rm.slack else solver.value(var)

    assert rm.objective_value(value) == check.objective(problem, roster)
    assert rm.objective_value(solver.value) == check.objective(problem, roster)


def test_the_neighbourhood_search_aims_at_where_the_roster_pays():
    from drillapp.roster.engine_lns import Neighbourhoods
    from drillapp.roster.engine_model import build

    problem = Problem(days=7, shift_types=[ShiftType("D", 480)], people=[Person("a"), Person("b")],
                      cover=[CoverRequirement(3, "D", preferred=2, under_weight=50)],
                      requests=[Request("b", 5, "D", True, 7), Request("a", 1, None, False, 2)])
    roster = {("a", 1): "D", ("a", 3): "D"}
    hood = Neighbourhoods(build(problem), seed=1)
    assert sorted(hood.penalties(roster)) == [(2, 1, 0), (7, 5, 1), (50, 3, None)]
    for _ in range(30):
        free = hood.pick(roster)
        assert free and len(free) < 2 * 7
