"""Large-neighbourhood search around the best roster: keep most of it, free the rest, solve again.

Each round frees one neighbourhood of the best roster so far: a few people over the whole period, a
window of days for everybody, or more people over a shorter window, chosen at random among those that
carry penalties (unmet wishes, cover short or over). Everything else is fixed to the best roster, and
CP-SAT re-solves that small model for a second or two. The size of the neighbourhoods adapts: it grows
when rounds are solved to optimality quickly and shrinks when they run out of time.
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from drillapp.roster.engine_model import RosterModel

if TYPE_CHECKING:
    from drillapp.roster.engine import Run


_DEBUG = bool(os.environ.get("DRILLAPP_ROSTER_DEBUG"))


class Neighbourhoods:
    def __init__(self, rm: RosterModel, seed: int):
        self.rm = rm
        self.rng = random.Random(seed)
        problem = rm.problem
        self.n_people = len(problem.people)
        self.n_days = problem.days
        self.codes = problem.shift_codes()
        self.keys = [p.key for p in problem.people]
        self.entries = [(var.index, p, d, s) for (p, d, s), var in rm.x.items()]
        self.size = {"people": 0.3, "days": 0.3, "block": 0.3}  # share of the roster freed, per kind, adapted
        self.kind = "people"

    def pick(self) -> set[tuple[int, int]]:
        """The (person, day) cells to free (never all of them)."""
        rng, P, D = self.rng, self.n_people, self.n_days
        r = rng.random()
        self.kind = "people" if r < 0.35 else "days" if r < 0.6 else "block"
        cells = max(8, int(self.size[self.kind] * P * D))
        if self.kind == "people":  # a few people over the whole period
            k = max(1, min(P - 1, round(cells / D)))
            people = rng.sample(range(P), k)
            return {(p, d) for p in people for d in range(D)}
        if self.kind == "days":  # a window of days for everybody
            w = max(1, min(D - 1, round(cells / P)))
            start = rng.randrange(0, D - w + 1)
            return {(p, d) for p in range(P) for d in range(start, start + w)}
        w = max(2, min(D, rng.choice((7, 14, D // 2 or 1))))  # more people over a window
        k = max(1, min(P - 1, round(cells / w)))
        start = rng.randrange(0, D - w + 1)
        people = rng.sample(range(P), k)
        return {(p, d) for p in people for d in range(start, start + w)}

    def adapt(self, solved: bool, fast: bool) -> None:
        size = self.size[self.kind]
        if solved and fast:
            size = min(0.9, size * 1.15)
        elif not solved:
            size = max(0.02, size * 0.85)
        self.size[self.kind] = size


def lns(run: Run, rm: RosterModel, params: dict, seed: int, round_limit: float = 2.0) -> None:
    """Improve `run.best` until the deadline or the stop event; better rosters are offered to `run`."""
    hood = Neighbourhoods(rm, seed)
    base = rm.model
    rounds = 0
    while not run.stopped() and run.left() > 0.2 and run.best is not None:
        if run.bound is not None and run.objective is not None and run.objective <= run.bound:
            return
        best = run.best
        free = hood.pick()
        sub = base.clone()
        proto = sub.proto
        proto.clear_solution_hint()
        hint_vars, hint_values = [], []
        for index, p, d, s in hood.entries:
            value = 1 if best.get((hood.keys[p], d)) == hood.codes[s] else 0
            hint_vars.append(index)
            hint_values.append(value)
            if (p, d) not in free:
                domain = proto.variables[index].domain
                domain.clear()
                domain.extend([value, value])
        proto.solution_hint.vars.extend(hint_vars)
        proto.solution_hint.values.extend(hint_values)
        limit = min(round_limit, run.left())
        p = dict(params, random_seed=seed + rounds)
        status, solver = run.solve_model(_Sub(rm, sub), limit, p, full=False)
        rounds += 1
        solved = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        hood.adapt(solved, solver.wall_time < limit * 0.5)
        if _DEBUG:
            print(f"lns {rounds} {hood.kind} free={len(free)} size={hood.size[hood.kind]:.2f} {solver.status_name(status)} "
                  f"{solver.wall_time:.2f}s obj={run.objective}", flush=True)


class _Sub(RosterModel):
    """The roster model with a different CP-SAT model (the same variables, some fixed)."""

    def __init__(self, rm: RosterModel, model: cp_model.CpModel):
        super().__init__(rm.problem, model, rm.x, rm.work, rm.terms, rm.offset)
