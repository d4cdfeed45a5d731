"""The roster engine: solve a `Problem` with OR-Tools CP-SAT (model in engine_model.py).

`solve` runs off the GUI thread. It reports progress (best objective, bound, seconds, solutions) through
a callback, both when the solver finds a better roster and about once a second; it stops promptly when
the `stop` event is set and keeps the best roster found. The search is a full CP-SAT solve, followed,
when time is left and the roster is not proven optimal, by a large-neighbourhood search (engine_lns.py)
that frees a few people or a window of days around the best roster and solves again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from drillapp.roster import check
from drillapp.roster.engine_lns import lns
from drillapp.roster.engine_model import Fixed, RosterModel, add_hint, build
from drillapp.roster.greedy import first_roster
from drillapp.roster.problem import Assignment, Problem, Progress, Solution

log = logging.getLogger(__name__)
FIRST_PHASE = 0.2  # share of the time for the full solve before the neighbourhood search
LARGE_MODEL = 20_000  # shift variables (people x days x shift types) from which a model counts as large
#: for a large model: no symmetry detection and no probing in presolve (each took seconds there, see is_large)
LARGE_MODEL_PARAMS = {"symmetry_level": 0, "cp_model_probing_level": 0}

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.UNKNOWN: "UNKNOWN", cp_model.MODEL_INVALID: "MODEL_INVALID"}


class Run:
    """The state of one `solve` call shared by its sub-solves: best roster, bound, progress, stop."""

    def __init__(self, progress: Callable[[Progress], None] | None, stop: threading.Event | None, deadline: float):
        self.t0 = time.monotonic()
        self.deadline = deadline
        self.progress = progress
        self.stop = stop or threading.Event()
        self.lock = threading.Lock()
        self.best: Assignment | None = None
        self.objective: int | None = None
        self.bound: int | None = None
        self.solutions = 0
        self.solvers: set[cp_model.CpSolver] = set()  # the solves running now (stopped by the event)
        self.errors: list[BaseException] = []
        self.abort = threading.Event()  # a helper thread failed: end the search (the error is raised)
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True, name="roster-progress")

    def seconds(self) -> float:
        return time.monotonic() - self.t0

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def stopped(self) -> bool:
        return self.stop.is_set() or self.abort.is_set()

    # -- reporting ------------------------------------------------------------------------------------

    def offer(self, objective: int, assignment: Assignment) -> bool:
        """A roster found by any sub-solve; kept if it is the best so far."""
        with self.lock:
            if self.objective is not None and objective >= self.objective:
                return False
            self.objective, self.best = objective, assignment
            self.solutions += 1
        self.report()
        return True

    def raise_bound(self, bound: int) -> None:
        with self.lock:
            if self.bound is None or bound > self.bound:
                self.bound = bound

    def report(self) -> None:
        if self.progress is None:
            return
        with self.lock:
            snapshot = Progress(self.objective, self.bound, round(self.seconds(), 3), self.solutions)
        try:
            self.progress(snapshot)
        except Exception:  # a broken observer must not kill the search: logged, then no longer called
            log.exception("roster progress callback failed")
            self.progress = None

    # -- the watcher thread: periodic progress and the stop event -------------------------------------

    def __enter__(self) -> Run:
        self._watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._watcher.join(timeout=2)

    def _watch(self) -> None:
        last = time.monotonic()
        while not self._done.wait(0.05):
            if self.stopped():
                with self.lock:
                    solvers = list(self.solvers)
                for solver in solvers:
                    solver.stop_search()
            if time.monotonic() - last >= 1.0:
                last = time.monotonic()
                self.report()

    def guard(self, fn: Callable) -> Callable:
        """`fn` for a thread: an exception is kept for the caller instead of being lost."""
        def call(*args: object) -> None:
            try:
                fn(*args)
            except BaseException as exc:
                self.errors.append(exc)
                self.abort.set()
        return call

    # -- one CP-SAT solve -----------------------------------------------------------------------------

    def solve_model(self, rm: RosterModel, limit: float, params: dict, full: bool = True) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        """Solve `rm` for at most `limit` seconds; better rosters go to `offer`, the bound (if `full`, i.e.
        the model is the whole problem) to `raise_bound`."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, limit)
        for key, value in params.items():
            setattr(solver.parameters, key, value)
        run = self

        class Callback(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                if full:
                    run.raise_bound(round(self.best_objective_bound))
                run.offer(rm.objective_value(self.value), rm.assignment(self.boolean_value))

        if full:
            solver.best_bound_callback = lambda b: self.raise_bound(round(b))
        with self.lock:
            self.solvers.add(solver)
        try:
            if self.stopped():
                return cp_model.UNKNOWN, solver
            status = solver.solve(rm.model, Callback())
        finally:
            with self.lock:
                self.solvers.discard(solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.offer(rm.objective_value(solver.value), rm.assignment(solver.boolean_value))
            if full:
                self.raise_bound(round(solver.best_objective_bound))
        return status, solver


def base_params(workers: int, seed: int) -> dict:
    return {"num_workers": max(1, workers), "random_seed": seed, "linearization_level": 2}


def is_large(problem: Problem) -> bool:
    """Whether the model would have more than LARGE_MODEL shift variables (people x days x shift types, an upper
    bound): a thousand people over a month. CP-SAT's presolve of such a model (its symmetry detection and
    probing, and our own symmetry-breaking constraints) took the whole of a 20 s search on two cores without a
    first roster; `solve` then leaves those out and starts from a roster built greedily."""
    return len(problem.people) * problem.days * len(problem.shift_types) > LARGE_MODEL


def _first_roster(run: Run, rm: RosterModel, fixed: Fixed | None, hint: Assignment | None) -> Assignment:
    """The search's starting point on a large model: the roster given as the hint (a re-solve: the saved one),
    else the greedy roster (greedy.py); offered at once as the first roster when it keeps every pin and breaks no
    rule."""
    start = hint if hint else first_roster(rm, fixed)
    pinned = all(start.get(key) == code for key, code in (fixed or {}).items())
    if pinned and not check.violations(rm.problem, start):
        run.offer(check.objective(rm.problem, start), start)
    return start


def solve(problem: Problem, *, time_limit: float = 60.0, workers: int = 2,
          progress: Callable[[Progress], None] | None = None, stop: threading.Event | None = None,
          hint: Assignment | None = None, fixed: Fixed | None = None, seed: int = 0) -> Solution:
    """Find the roster of least objective for `problem` within `time_limit` seconds (see module doc).

    `fixed` pins (person key, day) to a shift code, or to a day off when the value is None. `hint` is a
    roster to start from. The status is one of problem.py's; "STOPPED" when the `stop` event ended the
    search (with the best roster found, if any).
    """
    with Run(progress, stop, time.monotonic() + time_limit) as run:
        large = is_large(problem)
        rm = build(problem, fixed, symmetry=not large)
        params = base_params(workers, seed) | (LARGE_MODEL_PARAMS if large else {})
        if large:
            hint = _first_roster(run, rm, fixed, hint)
        if hint:
            add_hint(rm, hint)
        first = time_limit if time_limit < 4 else max(2.0, FIRST_PHASE * time_limit)
        status, _solver = run.solve_model(rm, min(first, run.left()), params)
        if status == cp_model.UNKNOWN and run.best is None and not run.stopped() and run.left() > 0.1:
            status, _solver = run.solve_model(rm, run.left(), params | {"random_seed": seed + 1})
        improvable = status == cp_model.FEASIBLE or (status == cp_model.UNKNOWN and run.best is not None)
        if improvable and not run.stopped() and run.left() > 0.5:
            lns_params = base_params(1, seed) | (LARGE_MODEL_PARAMS if large else {})
            threads = [threading.Thread(target=run.guard(lns), args=(run, rm, lns_params, seed + 1000 * i),
                                        daemon=True, name=f"roster-lns-{i}") for i in range(max(1, workers))]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
        if run.errors:
            raise run.errors[0]
        name = STATUS.get(status, "UNKNOWN")
        if name == "UNKNOWN" and run.best is not None:
            name = "FEASIBLE"  # the first roster (greedy.py) or the neighbourhood search's, unproven
        if run.stop.is_set():
            name = "STOPPED"
        elif name == "OPTIMAL" and run.objective is not None:
            run.raise_bound(run.objective)
        elif name == "FEASIBLE" and run.bound is not None and run.objective is not None \
                and run.objective <= run.bound:
            name = "OPTIMAL"  # the neighbourhood search reached the proven bound
        run.report()
        return Solution(status=name, assignment=dict(run.best or {}), objective=run.objective,
                        bound=run.bound, seconds=round(run.seconds(), 3))
