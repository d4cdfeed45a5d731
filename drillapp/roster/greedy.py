"""A first roster in milliseconds, as the search's starting point on a large model (engine.py).

CP-SAT spends its first seconds on a model of a thousand people and a month (about 100,000 Booleans) in
presolve and finds no first roster within a team lead's 20 s; from a hint it has one at once, and the
neighbourhood search improves it. The roster here is built day by day, shift by shift: each cover requirement
(those naming a qualification first) is filled with the people least loaded so far (past periods included)
who may take the shift by the hard rules checked here: the variables that exist (days off, leave, pins,
shifts a person cannot take), one shift a day, rest after a shift, forbidden successions, the most shifts in a
row, in total and per shift type, and the windows. Minimums (shifts in total, stretches) are left to the
search: a hint need not be feasible, it only points the way.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from drillapp.roster.engine_model import special_days
from drillapp.roster.problem import Assignment, CoverRequirement, Person, Problem

if TYPE_CHECKING:
    from drillapp.roster.engine_model import Fixed, RosterModel


def first_roster(rm: RosterModel, fixed: Fixed | None = None) -> Assignment:
    """A roster that meets each cover requirement where the rules above allow (see the module doc), holding
    every shift pinned in `fixed` (hand edits kept in place)."""
    problem = rm.problem
    codes = problem.shift_codes()
    people = problem.people
    off_wishes = {(r.person, r.day) for r in problem.requests if not r.on}
    allowed: dict[tuple[int, int], list[int]] = defaultdict(list)  # (day, shift) -> people who may take it
    for (p, d, s) in rm.x:
        allowed[d, s].append(p)
    state = _State(problem)
    index = {person.key: p for p, person in enumerate(people)}
    for (key, d), code in sorted((fixed or {}).items(), key=lambda item: item[0][1]):
        pinned = index.get(key)
        if pinned is not None and code in codes and 0 <= d < problem.days:
            state.give(pinned, d, codes.index(code))
    by_slot: dict[tuple[int, int], list[CoverRequirement]] = defaultdict(list)
    for req in problem.cover:
        if 0 <= req.day < problem.days and req.shift in codes:
            by_slot[req.day, codes.index(req.shift)].append(req)
    for (d, s), reqs in sorted(by_slot.items()):
        on_shift = [p for p in allowed.get((d, s), []) if state.shift_of.get((p, d)) == s]
        for req in sorted(reqs, key=lambda r: r.tag is None):  # the qualified first, then the head count
            wanted = max(req.minimum, req.preferred or 0)
            if req.maximum is not None:
                wanted = min(wanted, req.maximum)

            def counts(p: int, req: CoverRequirement = req, d: int = d) -> bool:
                return req.tag is None or people[p].holds(req.tag, d)

            have = sum(1 for p in on_shift if counts(p))
            if have >= wanted:
                continue
            candidates = [p for p in allowed.get((d, s), []) if (p, d) not in state.shift_of and counts(p)]
            candidates.sort(key=lambda p: ((people[p].key, d) in off_wishes, state.load[p],
                                           state.weekend_load[p] if d in state.special else 0, p))
            for p in candidates:
                if have >= wanted:
                    break
                if _may_take(problem, people[p], p, d, s, codes, state):
                    state.give(p, d, s)
                    on_shift.append(p)
                    have += 1
    return {(people[p].key, d): codes[s] for (p, d), s in state.shift_of.items()}


class _State:
    """What is given so far, per person: shifts by day, load (past periods included) in all and on weekend and
    holiday days (for fairness), per shift type, minutes, and the weekends touched (for their limit)."""

    def __init__(self, problem: Problem) -> None:
        self.shift_of: dict[tuple[int, int], int] = {}  # (person, day) -> shift index
        self.load = [person.past_shifts for person in problem.people]
        self.weekend_load = [person.past_weekends for person in problem.people]
        self.special = set(special_days(problem))
        self.per_code: dict[tuple[int, int], int] = defaultdict(int)
        self.minutes = [0] * len(problem.people)
        self.weekends: dict[int, set[int]] = defaultdict(set)
        self.shift_minutes = {s: t.minutes for s, t in enumerate(problem.shift_types)}
        self.weekend_of = {d: w for w, days in enumerate(problem.weekends()) for d in days}

    def give(self, p: int, d: int, s: int) -> None:
        self.shift_of[p, d] = s
        self.load[p] += 1
        self.per_code[p, s] += 1
        self.minutes[p] += self.shift_minutes.get(s, 0)
        if d in self.special:
            self.weekend_load[p] += 1
        if d in self.weekend_of:
            self.weekends[p].add(self.weekend_of[d])


def _may_take(problem: Problem, person: Person, p: int, d: int, s: int, codes: list[str], state: _State) -> bool:
    """Whether giving person p shift s on day d breaks none of the rules this module checks, against what
    is given so far (days are filled in order, so only earlier days can hold shifts; pins aside)."""
    code = codes[s]
    shift_of, load, per_code = state.shift_of, state.load, state.per_code

    def code_on(day: int) -> str | None:
        if day >= 0:
            given = shift_of.get((p, day))
            return None if given is None else codes[given]
        back = -day  # 1 = the day before day 0
        return person.previous[-back] if back <= len(person.previous) else None

    for back in range(1, max(problem.rest_after.values(), default=0) + 1):  # rest after an earlier shift
        earlier = code_on(d - back)
        if earlier is not None and problem.rest_after.get(earlier, 0) >= back:
            return False
    if (code_on(d - 1), code) in problem.forbidden_successions:
        return False
    if person.max_total is not None and load[p] - person.past_shifts >= person.max_total:
        return False
    cap = person.max_shifts.get(code)
    if cap is not None and per_code[p, s] >= cap:
        return False
    if person.max_minutes is not None and state.minutes[p] + state.shift_minutes.get(s, 0) > person.max_minutes:
        return False
    weekend = state.weekend_of.get(d)
    if (person.max_weekends is not None and weekend is not None and weekend not in state.weekends[p]
            and len(state.weekends[p]) >= person.max_weekends):
        return False
    later = [code_on(d + ahead) for ahead in range(1, max(1, problem.rest_after.get(code, 0)) + 1)]
    if any(c is not None for c in later[:problem.rest_after.get(code, 0)]):
        return False  # a pinned shift in the rest this one needs
    if later[0] is not None and (code, later[0]) in problem.forbidden_successions:
        return False  # a pinned shift tomorrow that may not follow this one
    if person.max_consecutive is not None:
        run = 0
        while run <= person.max_consecutive and code_on(d - run - 1) is not None:
            run += 1
        if run >= person.max_consecutive:
            return False
    for lim in problem.window_limits:
        start = d - lim.length + 1 if lim.sliding else d - d % lim.length
        if sum(1 for day in range(start, d) if code_on(day) is not None) >= lim.maximum:
            return False
    return True
