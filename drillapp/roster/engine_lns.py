"""Large-neighbourhood search around the best roster: keep most of it, free the rest, solve again.

Each round frees one neighbourhood of the loop's roster: a few people over the whole period, a window of
days for everybody, more people over a shorter window, or one of the last two placed around a penalty the
roster pays (cover short or over on a day, a wish not met). The kind is chosen by how much it has gained
per second lately (a simple bandit). Everything else is fixed, and CP-SAT re-solves that small model for
a second or two. A result as good as the loop's roster replaces it (sideways moves leave plateaus). The
size of each kind adapts: it grows when rounds are solved to optimality quickly and shrinks when they run
out of time.
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from drillapp.roster.engine_model import RosterModel
from drillapp.roster.problem import Assignment

if TYPE_CHECKING:
    from drillapp.roster.engine import Run


_DEBUG = bool(os.environ.get("DRILLAPP_ROSTER_DEBUG"))


KINDS = ("people", "days", "block", "hot-days", "hot-people")


class Neighbourhoods:
    def __init__(self, rm: RosterModel, seed: int):
        self.rm = rm
        self.rng = random.Random(seed)
        problem = rm.problem
        self.problem = problem
        self.n_people = len(problem.people)
        self.n_days = problem.days
        self.codes = problem.shift_codes()
        self.keys = [p.key for p in problem.people]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.entries = [(var.index, p, d, s) for (p, d, s), var in rm.x.items()]
        # share of the roster freed, per kind, adapted
        self.size = {"people": 0.3, "days": 0.3, "block": 0.3, "hot-days": 0.3, "hot-people": 0.3}
        self.kind = "people"
        self.score: dict[str, float | None] = dict.fromkeys(KINDS)  # gain per second, per kind (None: untried)

    def penalties(self, best: Assignment) -> list[tuple[int, int, int | None]]:
        """Where the best roster pays: (weight, day, person or None) per unit of penalty."""
        problem = self.problem
        out: list[tuple[int, int, int | None]] = []
        count: dict[tuple[int, str, str | None], int] = {}
        for req in problem.cover:
            if req.preferred is None:
                continue
            key = (req.day, req.shift, req.tag)
            if key not in count:
                count[key] = sum(1 for p, person in enumerate(problem.people)
                                 if best.get((self.keys[p], req.day)) == req.shift
                                 and (req.tag is None or person.holds(req.tag, req.day)))
            got = count[key]
            if got < req.preferred and req.under_weight:
                out.append((req.under_weight * (req.preferred - got), req.day, None))
            elif got > req.preferred and req.over_weight:
                out.append((req.over_weight * (got - req.preferred), req.day, None))
        for wish in problem.requests:
            p = self.index.get(wish.person)
            if p is None or not wish.weight:
                continue
            have = best.get((wish.person, wish.day))
            hit = have is not None and (wish.shift is None or have == wish.shift)
            if hit != wish.on:
                out.append((wish.weight, wish.day, p))
        return out

    def choose_kind(self, hot: bool) -> str:
        """A kind of neighbourhood, more often the ones that recently gained most per second."""
        kinds = [k for k in KINDS if hot or not k.startswith("hot")]
        scores = {k: self.score[k] for k in kinds}
        untried = [k for k, score in scores.items() if score is None]
        if untried:
            return self.rng.choice(untried)
        known = {k: score for k, score in scores.items() if score is not None}
        top = max(known.values())
        weights = [known[k] + 0.1 * top + 1e-9 for k in kinds]
        return self.rng.choices(kinds, weights=weights)[0]

    def pick(self, best: Assignment) -> set[tuple[int, int]]:
        """The (person, day) cells to free (never all of them)."""
        rng, P, D = self.rng, self.n_people, self.n_days
        hot = self.penalties(best)
        self.kind = self.choose_kind(bool(hot))
        cells = max(8, int(self.size[self.kind] * P * D))
        if self.kind.startswith("hot"):  # around one place where the roster pays a penalty
            # half by weight, half not: the heavy ones may be the unavoidable ones
            _, day, person = rng.choices(hot, weights=[w for w, _, _ in hot])[0] if rng.random() < 0.5 \
                else rng.choice(hot)
            if self.kind == "hot-days":
                w = max(1, min(D - 1, round(cells / P)))
                start = rng.randrange(max(0, day - w + 1), min(day, D - w) + 1)
                return {(p, d) for p in range(P) for d in range(start, start + w)}
            w = D if rng.random() < 0.5 else max(2, min(D, rng.choice((7, 14))))
            k = max(1, min(P - 1, round(cells / w)))
            start = rng.randrange(max(0, day - w + 1), min(day, D - w) + 1)
            people = set(rng.sample(range(P), k))
            if person is not None and person not in people:
                people.pop()
                people.add(person)
            return {(p, d) for p in people for d in range(start, start + w)}
        if self.kind == "people":  # a few people over the whole period
            k = max(1, min(P - 1, round(cells / D)))
            chosen = rng.sample(range(P), k)
            return {(p, d) for p in chosen for d in range(D)}
        if self.kind == "days":  # a window of days for everybody
            w = max(1, min(D - 1, round(cells / P)))
            start = rng.randrange(0, D - w + 1)
            return {(p, d) for p in range(P) for d in range(start, start + w)}
        w = max(2, min(D, rng.choice((7, 14, D // 2 or 1))))  # more people over a window
        k = max(1, min(P - 1, round(cells / w)))
        start = rng.randrange(0, D - w + 1)
        chosen = rng.sample(range(P), k)
        return {(p, d) for p in chosen for d in range(start, start + w)}

    def reward(self, gain: int, seconds: float) -> None:
        """Learn how much the last kind gains per second (a moving average)."""
        rate = max(0, gain) / max(0.05, seconds)
        old = self.score[self.kind]
        self.score[self.kind] = rate if old is None else 0.7 * old + 0.3 * rate

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
    current: Assignment | None = None  # this loop's roster: the best one, or one as good (plateau moves)
    current_objective: int | None = None
    while not run.stopped() and run.left() > 0.2 and run.best is not None:
        if run.bound is not None and run.objective is not None and run.objective <= run.bound:
            return
        with run.lock:
            if run.objective is not None and (current_objective is None or run.objective < current_objective):
                current, current_objective = run.best, run.objective
        if current is None or current_objective is None:
            return  # the best roster and its objective are offered together, so this does not happen
        best, before = current, current_objective
        free = hood.pick(best)
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
        round_params = dict(params, random_seed=seed + rounds)
        sub_rm = _Sub(rm, sub)
        status, solver = run.solve_model(sub_rm, limit, round_params, full=False)
        rounds += 1
        solved = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        hood.adapt(solved, solver.wall_time < limit * 0.5)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            objective = sub_rm.objective_value(solver.value)
            hood.reward(before - objective, solver.wall_time)
            if objective <= current_objective:  # equal: move sideways, to leave a plateau
                current, current_objective = sub_rm.assignment(solver.boolean_value), objective
        else:
            hood.reward(0, solver.wall_time)
        if _DEBUG:
            print(f"lns {rounds} {hood.kind} free={len(free)} size={hood.size[hood.kind]:.2f} {solver.status_name(status)} "
                  f"{solver.wall_time:.2f}s obj={run.objective}", flush=True)


class _Sub(RosterModel):
    """The roster model with a different CP-SAT model (the same variables, some fixed)."""

    def __init__(self, rm: RosterModel, model: cp_model.CpModel):
        super().__init__(rm.problem, model, rm.x, rm.work, rm.terms, rm.offset, rm.slack)
