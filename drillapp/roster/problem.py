"""What a roster must satisfy, independent of where the people and rules come from.

Days are indexed from 0 (the first day of the period); each person works at most one shift a day. A
`Problem` is plain data: the port roster service builds one from the database (members, skills valid on
each day, leave, past load), the benchmark reader builds one from an instance file. Both are solved by the
same engine (engine.py) and checked by the same checker (check.py).

Hard rules: cover minimums/maximums, unavailability, qualifications, forbidden successions, rest after a
shift, per-person limits (per shift type, total, minutes, consecutive, weekends, per window). Soft terms
(weighted, summed into one objective to minimise): cover below/above the preferred count, unmet requests
and fairness (spread of duty and weekend load, past periods counted).

Minimum-stretch rules (min consecutive shifts, min consecutive days off) bind only stretches that lie
inside the horizon; for the maximum of consecutive shifts, days before the horizon count as given by
`Person.previous` (most recent last) and days after it count as off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


@dataclass(frozen=True)
class ShiftType:
    code: str
    minutes: int = 0
    label: str = ""


@dataclass
class Person:
    key: str  # stable identifier (a member id, a benchmark employee id)
    name: str = ""
    max_shifts: dict[str, int] = field(default_factory=dict)  # per shift type code; missing = no limit
    min_total: int | None = None  # shifts in the horizon
    max_total: int | None = None
    min_minutes: int | None = None
    max_minutes: int | None = None
    max_consecutive: int | None = None  # working days in a row
    min_consecutive: int | None = None  # interior working stretches only
    min_consecutive_off: int | None = None  # interior stretches of days off only
    max_weekends: int | None = None  # weekends with a shift on Saturday or Sunday
    unavailable: frozenset[int] = frozenset()  # days off that are hard (leave, courses, requested days off)
    # tag -> the days on which the person holds it (None: every day). Tags are what cover requirements ask
    # for: "skill:RU", "branch:3", "leader". A certificate that expires mid-period holds up to the day before.
    qualifications: dict[str, frozenset[int] | None] = field(default_factory=dict)
    previous: tuple[str | None, ...] = ()  # shifts on the days just before day 0 (most recent last)
    past_shifts: int = 0  # duty load from earlier periods, for fairness
    past_weekends: int = 0

    def holds(self, tag: str, day: int) -> bool:
        if tag not in self.qualifications:
            return False
        days = self.qualifications[tag]
        return days is None or day in days


@dataclass(frozen=True)
class CoverRequirement:
    """How many people (all, or those holding `tag` on that day) are on `shift` on `day`.

    `minimum`/`maximum` are hard; `preferred` with `under_weight`/`over_weight` is soft (penalty per person
    short of / above it). `label` names the requirement for people ("Russian speaker", "from Customs").
    """

    day: int
    shift: str
    tag: str | None = None
    minimum: int = 0
    maximum: int | None = None
    preferred: int | None = None
    under_weight: int = 0
    over_weight: int = 0
    label: str = ""


@dataclass(frozen=True)
class Request:
    """A wish: `on` — wants `shift` on `day` (penalty if not given); not `on` — wants to be free of `shift`
    (or of any shift when `shift` is None) on `day` (penalty if assigned)."""

    person: str
    day: int
    shift: str | None
    on: bool
    weight: int


@dataclass(frozen=True)
class WindowLimit:
    """At most `maximum` shifts in each block of `length` days (calendar blocks from day 0 if not sliding,
    else every window of that length)."""

    length: int
    maximum: int
    sliding: bool = False


@dataclass
class Problem:
    days: int
    shift_types: list[ShiftType]
    people: list[Person]
    cover: list[CoverRequirement] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    forbidden_successions: set[tuple[str, str]] = field(default_factory=set)  # (today, tomorrow)
    rest_after: dict[str, int] = field(default_factory=dict)  # shift code -> days off that must follow it
    window_limits: list[WindowLimit] = field(default_factory=list)  # applied to everyone
    start: date | None = None  # the calendar date of day 0 (for weekends and messages)
    first_weekday: int = 0  # weekday of day 0 when `start` is None (0 = Monday)
    holidays: frozenset[int] = frozenset()  # counted with weekends for the fairness of weekend load
    fairness_weight: int = 0  # per unit of spread (max - min) of total load incl. past periods
    weekend_fairness_weight: int = 0  # the same for weekend/holiday days worked
    name: str = ""

    def weekday(self, day: int) -> int:
        if self.start is not None:
            return (self.start + timedelta(days=day)).weekday()
        return (self.first_weekday + day) % 7

    def date_of(self, day: int) -> date | None:
        return None if self.start is None else self.start + timedelta(days=day)

    def weekends(self) -> list[list[int]]:
        """The weekends in the horizon as lists of day indexes (a weekend cut by either end is partial)."""
        out: list[list[int]] = []
        for day in range(self.days):
            if self.weekday(day) in WEEKEND:
                if out and day - out[-1][-1] == 1:
                    out[-1].append(day)
                else:
                    out.append([day])
        return out

    def shift_codes(self) -> list[str]:
        return [t.code for t in self.shift_types]

    def person(self, key: str) -> Person:
        for p in self.people:
            if p.key == key:
                return p
        raise KeyError(key)


# (person key, day) -> shift code; a missing key is a day off.
Assignment = dict[tuple[str, int], str]


@dataclass
class Progress:
    objective: int | None
    bound: int | None
    seconds: float
    solutions: int


@dataclass
class Solution:
    status: str  # "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID", "STOPPED"
    assignment: Assignment
    objective: int | None = None
    bound: int | None = None
    seconds: float = 0.0

    @property
    def found(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE") or (self.status == "STOPPED" and bool(self.assignment))
