"""The independent checker: which hard rules a roster breaks, and its objective, recomputed from the
problem's definition (problem.py) without the engine.

The engine's solutions are verified with it (tests, the benchmark), and the port roster uses it to show
the user what a manual edit or a swap would break. Readings follow problem.py literally: minimum-stretch
rules bind only stretches that touch neither end of the horizon; for the maximum of consecutive shifts the
days before day 0 count as in `Person.previous` and the days after the horizon are off; `previous` also
counts for rest after a shift, a forbidden succession into day 0 and sliding window limits (a window that
starts before day 0 counts the shifts of `previous` in it); calendar blocks start at day 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from drillapp.i18n import N_, _
from drillapp.roster.problem import WEEKEND, Assignment, Person, Problem

# rule codes
INVALID = "invalid"  # a shift code, day or person the problem does not know
COVER_MIN = "cover_min"
COVER_MAX = "cover_max"
UNAVAILABLE = "unavailable"
SUCCESSION = "succession"
REST = "rest"
MAX_SHIFTS = "max_shifts"
MIN_TOTAL = "min_total"
MAX_TOTAL = "max_total"
MIN_MINUTES = "min_minutes"
MAX_MINUTES = "max_minutes"
MAX_CONSECUTIVE = "max_consecutive"
MIN_CONSECUTIVE = "min_consecutive"
MIN_CONSECUTIVE_OFF = "min_consecutive_off"
MAX_WEEKENDS = "max_weekends"
WINDOW = "window"

MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


@dataclass(frozen=True)
class Violation:
    rule: str
    person: str | None
    day: int | None
    shift: str | None
    message: str


def day_label(problem: Problem, day: int) -> str:
    """"14 March" when the problem has dates, else "day 15" (days counted from 1 for people)."""
    when = problem.date_of(day)
    if when is None:
        return _("day {n}").format(n=day + 1)
    return _("{day} {month}").format(day=when.day, month=_(MONTHS[when.month - 1]))


def shift_label(problem: Problem, code: str | None) -> str:
    for t in problem.shift_types:
        if t.code == code:
            return t.label or t.code
    return code or ""


def person_label(person: Person) -> str:
    return person.name or person.key


def requirement_label(req) -> str:  # noqa: ANN001 - a CoverRequirement
    return req.label or req.tag or ""


def cover_count(problem: Problem, assignment: Assignment, req, on_duty: dict | None = None) -> int:  # noqa: ANN001
    """How many on `req`'s shift count toward it. `on_duty` (from `on_duty_by_shift`) spares a scan of everyone for
    each requirement."""
    people = on_duty.get((req.day, req.shift), ()) if on_duty is not None else problem.people
    return sum(
        1 for p in people
        if assignment.get((p.key, req.day)) == req.shift and (req.tag is None or p.holds(req.tag, req.day))
    )


def on_duty_by_shift(problem: Problem, assignment: Assignment) -> dict[tuple[int, str], list[Person]]:
    """(day, shift code) -> the people the assignment puts there."""
    by_key = {p.key: p for p in problem.people}
    out: dict[tuple[int, str], list[Person]] = {}
    for (key, day), code in assignment.items():
        person = by_key.get(key)
        if person is not None and code is not None:
            out.setdefault((day, code), []).append(person)
    return out


def violations(problem: Problem, assignment: Assignment) -> list[Violation]:
    """Every hard rule the assignment breaks, cover first (by day), then person by person."""
    out = _invalid(problem, assignment)
    out += _cover(problem, assignment)
    for person in problem.people:
        row = [assignment.get((person.key, d)) for d in range(problem.days)]
        out += _person(problem, person, row)
    return out


def _invalid(problem: Problem, assignment: Assignment) -> list[Violation]:
    codes = set(problem.shift_codes())
    keys = {p.key for p in problem.people}
    out = []
    for (key, day), code in sorted(assignment.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if key not in keys and 0 <= day < problem.days:
            out.append(Violation(INVALID, key, day, code, _(
                "Someone who is not an active member of the team ({person}) is on duty on {when}."
            ).format(person=key, when=day_label(problem, day))))
        elif key not in keys or not 0 <= day < problem.days or code not in codes:
            out.append(Violation(INVALID, key, day, code, _(
                "The roster has a shift the period does not know: {person}, day {day}, shift {shift}."
            ).format(person=key, day=day + 1, shift=code)))
    return out


def _cover(problem: Problem, assignment: Assignment) -> list[Violation]:
    out = []
    on_duty = on_duty_by_shift(problem, assignment)
    for req in sorted(problem.cover, key=lambda r: r.day):
        if not 0 <= req.day < problem.days:
            continue
        count = cover_count(problem, assignment, req, on_duty)
        when, shift, label = day_label(problem, req.day), shift_label(problem, req.shift), requirement_label(req)
        if count < req.minimum:
            if req.tag is None:
                msg = _("{when}, {shift}: {count} on duty, at least {minimum} needed")
            elif count == 0:
                msg = _("{when}, {shift}: no {label} on duty (needs {minimum})")
            else:
                msg = _("{when}, {shift}: {count} {label} on duty, at least {minimum} needed")
            out.append(Violation(COVER_MIN, None, req.day, req.shift, msg.format(
                when=when, shift=shift, count=count, minimum=req.minimum, label=label)))
        if req.maximum is not None and count > req.maximum:
            msg = (_("{when}, {shift}: {count} on duty, at most {maximum} allowed") if req.tag is None
                   else _("{when}, {shift}: {count} {label} on duty, at most {maximum} allowed"))
            out.append(Violation(COVER_MAX, None, req.day, req.shift, msg.format(
                when=when, shift=shift, count=count, maximum=req.maximum, label=label)))
    return out


def _person(problem: Problem, person: Person, row: list[str | None]) -> list[Violation]:
    name, n = person_label(person), problem.days
    out: list[Violation] = []

    def add(rule: str, day: int | None, shift: str | None, message: str) -> None:
        out.append(Violation(rule, person.key, day, shift, message))

    for d, code in enumerate(row):
        if code is not None and d in person.unavailable:
            add(UNAVAILABLE, d, code, _("{name} is on duty on {when} but is not available that day.").format(
                name=name, when=day_label(problem, d)))
    # successions and rest, counting the shifts just before day 0
    past = list(person.previous)
    full = past + row  # index i is day i - len(past)
    offset = len(past)
    for i in range(len(full) - 1):
        a, b = full[i], full[i + 1]
        if a is not None and b is not None and (a, b) in problem.forbidden_successions and i + 1 >= offset:
            d = i + 1 - offset
            add(SUCCESSION, d, b, _("{name}: {first} may not be followed by {second} the next day ({when}).").format(
                name=name, first=shift_label(problem, a), second=shift_label(problem, b), when=day_label(problem, d)))
    for i, code in enumerate(full):
        rest = problem.rest_after.get(code, 0) if code is not None else 0
        for j in range(i + 1, min(len(full), i + rest + 1)):
            if j >= offset and full[j] is not None:
                d = j - offset
                add(REST, d, full[j], _(
                    "{name}: needs {rest} day(s) off after {shift}, but is on duty on {when}."
                ).format(name=name, rest=rest, shift=shift_label(problem, code), when=day_label(problem, d)))
    # counts
    worked = [d for d in range(n) if row[d] is not None]
    for code, cap in person.max_shifts.items():
        count = sum(1 for c in row if c == code)
        if cap is not None and count > cap:
            add(MAX_SHIFTS, None, code, _("{name}: {count} × {shift}, at most {maximum} allowed.").format(
                name=name, count=count, shift=shift_label(problem, code), maximum=cap))
    total = len(worked)
    if person.max_total is not None and total > person.max_total:
        add(MAX_TOTAL, None, None, _("{name}: {count} shifts in the period, at most {maximum} allowed.").format(
            name=name, count=total, maximum=person.max_total))
    if person.min_total is not None and total < person.min_total:
        add(MIN_TOTAL, None, None, _("{name}: {count} shifts in the period, at least {minimum} needed.").format(
            name=name, count=total, minimum=person.min_total))
    minutes_of = {t.code: t.minutes for t in problem.shift_types}
    minutes = sum(minutes_of.get(c, 0) for c in row if c is not None)
    if person.max_minutes is not None and minutes > person.max_minutes:
        add(MAX_MINUTES, None, None, _("{name}: {count} minutes on duty, at most {maximum} allowed.").format(
            name=name, count=minutes, maximum=person.max_minutes))
    if person.min_minutes is not None and minutes < person.min_minutes:
        add(MIN_MINUTES, None, None, _("{name}: {count} minutes on duty, at least {minimum} needed.").format(
            name=name, count=minutes, minimum=person.min_minutes))
    out += _stretches(problem, person, row, name)
    if person.max_weekends is not None:
        weekends = [w for w in problem.weekends() if any(row[d] is not None for d in w)]
        if len(weekends) > person.max_weekends:
            add(MAX_WEEKENDS, weekends[person.max_weekends][0], None, _(
                "{name}: on duty on {count} weekends, at most {maximum} allowed."
            ).format(name=name, count=len(weekends), maximum=person.max_weekends))
    for limit in problem.window_limits:
        out += _window(problem, person, row, name, limit)
    return out


def _runs(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """(start, length, value) of each maximal run of equal flags."""
    runs: list[tuple[int, int, bool]] = []
    for i, f in enumerate(flags):
        if runs and runs[-1][2] == f:
            start, length, _v = runs[-1]
            runs[-1] = (start, length + 1, f)
        else:
            runs.append((i, 1, f))
    return runs


def _stretches(problem: Problem, person: Person, row: list[str | None], name: str) -> list[Violation]:
    n, out = problem.days, []
    work = [c is not None for c in row]
    if person.max_consecutive is not None:
        before = 0  # the working days just before day 0
        for code in reversed(person.previous):
            if code is None:
                break
            before += 1
        for start, length, on in _runs(work):
            total = length + (before if start == 0 else 0)
            if on and total > person.max_consecutive:
                last = start + length - 1
                out.append(Violation(MAX_CONSECUTIVE, person.key, last, row[last], _(
                    "{name}: {count} days on duty in a row up to {when}, at most {maximum} allowed."
                ).format(name=name, count=total, when=day_label(problem, last), maximum=person.max_consecutive)))
    for minimum, on_flag, rule in ((person.min_consecutive, True, MIN_CONSECUTIVE),
                                   (person.min_consecutive_off, False, MIN_CONSECUTIVE_OFF)):
        if not minimum:
            continue
        for start, length, on in _runs(work):
            if on != on_flag or start == 0 or start + length >= n or length >= minimum:
                continue  # the other kind, touching an end of the horizon, or long enough
            msg = (_("{name}: only {count} day(s) on duty in a row from {when}, at least {minimum} needed.") if on
                   else _("{name}: only {count} day(s) off in a row from {when}, at least {minimum} needed."))
            out.append(Violation(rule, person.key, start, row[start], msg.format(
                name=name, count=length, when=day_label(problem, start), minimum=minimum)))
    return out


def _window(problem: Problem, person: Person, row: list[str | None], name: str, limit) -> list[Violation]:  # noqa: ANN001
    n = problem.days
    out: list[Violation] = []
    work = [1 if c is not None else 0 for c in row]
    if limit.length <= 0:
        return out
    if not limit.sliding:
        for start in range(0, n, limit.length):
            count = sum(work[start:start + limit.length])
            if count > limit.maximum:
                out.append(Violation(WINDOW, person.key, start, None, _(
                    "{name}: {count} shifts in the {length} days from {when}, at most {maximum} allowed."
                ).format(name=name, count=count, length=limit.length, when=day_label(problem, start),
                         maximum=limit.maximum)))
        return out
    before = [0 if c is None else 1 for c in person.previous]
    sums = list(accumulate(before + work, initial=0))  # sums[k]: shifts on the first k days, the days before first
    for end in range(1, n + 1):  # the window of `length` days ending on day end - 1
        start = end - limit.length
        count = sums[len(before) + end] - sums[max(0, len(before) + start)]
        if count > limit.maximum:
            out.append(Violation(WINDOW, person.key, end - 1, row[end - 1], _(
                "{name}: {count} shifts in the {length} days up to {when}, at most {maximum} allowed."
            ).format(name=name, count=count, length=limit.length, when=day_label(problem, end - 1),
                     maximum=limit.maximum)))
    return out


def objective(problem: Problem, assignment: Assignment) -> int:
    """The soft objective as problem.py defines it: cover below/above the preferred count, unmet requests,
    and the spread (max - min) of total and weekend/holiday load including past periods."""
    total = 0
    on_duty = on_duty_by_shift(problem, assignment)
    for req in problem.cover:
        if req.preferred is None or not 0 <= req.day < problem.days:
            continue
        count = cover_count(problem, assignment, req, on_duty)
        total += req.under_weight * max(0, req.preferred - count) + req.over_weight * max(0, count - req.preferred)
    keys = {p.key for p in problem.people}
    for r in problem.requests:
        if not 0 <= r.day < problem.days or r.person not in keys:
            continue
        code = assignment.get((r.person, r.day))
        hit = code is not None if r.shift is None else code == r.shift
        if hit != r.on:
            total += r.weight
    if len(problem.people) >= 2:
        special = [d for d in range(problem.days) if problem.weekday(d) in WEEKEND or d in problem.holidays]
        for weight, days, past in ((problem.fairness_weight, range(problem.days), "past_shifts"),
                                   (problem.weekend_fairness_weight, special, "past_weekends")):
            if not weight:
                continue
            loads = [getattr(p, past) + sum(1 for d in days if assignment.get((p.key, d)) is not None)
                     for p in problem.people]
            total += weight * (max(loads) - min(loads))
    return total
