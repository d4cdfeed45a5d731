"""A roster period's rules (the JSON on RosterPeriod.rules) and the roster problem built from the database.

Rules (every key optional; DEFAULT_RULES fills the rest):
  headcount            people on each shift: an int, or {"duty_24h"|"day"|"night": int}
  min_per_branch       at least this many from each branch of the port on each shift
  skills               {skill code: count} on each shift
  leader_required      at least one squad leader on each shift
  max_per_week         shifts in any 7 days in a row (the days before the period count)
  rest_after_duty      days off after a 24 h duty;  rest_after_night: days off after a night
  max_consecutive      working days in a row;  max_weekends, max_total: per member in the period (None: no limit)
  fairness_weight, weekend_fairness_weight   per unit of spread of duty and weekend/holiday load
  fairness_days        how far back earlier duty counts for fairness
  holidays             public holidays ("YYYY-MM-DD"), counted with weekends for the fair share of weekend load,
                       in addition to the port calendar's holidays (services/port_calendar.py), which always count

People are the port's active members, keyed by str(member id). Their tags: "branch:<id>", "skill:<code>"
(only on the days before the certificate's expiry date, and from its issue date), "leader" (squad leaders).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillapp.clock import from_local, to_local
from drillapp.i18n import _, current_language
from drillapp.labels import label
from drillapp.models import (
    Branch,
    Member,
    OnCallShift,
    RosterPeriod,
    RosterPreference,
    ShiftAssignment,
    Skill,
    Squad,
)
from drillapp.models.enums import MemberStatus, ShiftKind, ShiftPattern
from drillapp.roster.problem import (
    WEEKEND,
    Assignment,
    CoverRequirement,
    Person,
    Problem,
    Request,
    ShiftType,
    WindowLimit,
)
from drillapp.services.errors import ValidationError
from drillapp.services.team_overview import skill_valid_on

DEFAULT_RULES: dict[str, Any] = {
    "headcount": 4,
    "min_per_branch": 0,
    "skills": {},
    "leader_required": False,
    "max_per_week": None,
    "rest_after_duty": 1,
    "rest_after_night": 1,
    "max_consecutive": None,
    "max_weekends": None,
    "max_total": None,
    "fairness_weight": 10,
    "weekend_fairness_weight": 10,
    "fairness_days": 90,
    "holidays": [],
}
_COUNTS = ("min_per_branch", "max_per_week", "rest_after_duty", "rest_after_night", "max_consecutive",
           "max_weekends", "max_total", "fairness_weight", "weekend_fairness_weight", "fairness_days")
MAX_DAYS = 184  # a period of up to about half a year

SHIFT_TIMES = {  # start, length
    ShiftKind.DUTY_24H: (time(8, 0), timedelta(hours=24)),
    ShiftKind.DAY: (time(8, 0), timedelta(hours=12)),
    ShiftKind.NIGHT: (time(20, 0), timedelta(hours=12)),
}


def shift_kinds(pattern: ShiftPattern) -> list[ShiftKind]:
    return [ShiftKind.DUTY_24H] if pattern is ShiftPattern.DUTY_24H else [ShiftKind.DAY, ShiftKind.NIGHT]


def shift_label(kind: ShiftKind) -> str:
    return {ShiftKind.DUTY_24H: _("24 h duty"), ShiftKind.DAY: _("day shift"), ShiftKind.NIGHT: _("night shift")}[kind]


def shift_start(day: date, kind: ShiftKind) -> tuple[datetime, datetime]:
    """When a shift on `day` begins and ends, as stored (naive UTC; the times are local)."""
    start, length = SHIFT_TIMES[kind]
    begins = datetime.combine(day, start)
    return from_local(begins), from_local(begins + length)


def shift_day(shift: OnCallShift) -> date:
    """The day a shift belongs to (a night from 20:00 belongs to the day it starts on)."""
    return to_local(shift.starts_at).date()


def _count(value: Any, key: str, *, optional: bool) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(_("Roster rule {rule} must be a whole number of 0 or more.").format(rule=key), key)
    return value


def normalise_rules(rules: dict[str, Any] | None, pattern: ShiftPattern) -> dict[str, Any]:
    """The rules with defaults filled in, checked; raises ValidationError naming the bad rule."""
    out = {**DEFAULT_RULES, **(rules or {})}
    unknown = sorted(set(out) - set(DEFAULT_RULES))
    if unknown:
        raise ValidationError(_("Unknown roster rule: {rule}").format(rule=", ".join(unknown)), unknown[0])
    for key in _COUNTS:
        out[key] = _count(out[key], key, optional=DEFAULT_RULES[key] is None)
    kinds = [k.value for k in shift_kinds(pattern)]
    head = out["headcount"]
    if isinstance(head, dict):
        bad = sorted(set(head) - set(kinds))
        if bad:
            raise ValidationError(_("The headcount names a shift this pattern does not have: {shift}").format(
                shift=", ".join(bad)), "headcount")
        out["headcount"] = {k: _count(head.get(k, 0), "headcount", optional=False) for k in kinds}
    else:
        n = _count(head, "headcount", optional=False)
        out["headcount"] = {k: n for k in kinds}
    if not isinstance(out["skills"], dict):
        raise ValidationError(_("Roster rule skills must map skill codes to counts."), "skills")
    out["skills"] = {str(code): _count(n, "skills", optional=False) for code, n in out["skills"].items()}
    out["leader_required"] = bool(out["leader_required"])
    holidays = out["holidays"]
    if not isinstance(holidays, list | tuple):
        raise ValidationError(_("Roster rule holidays must be a list of dates."), "holidays")
    try:
        out["holidays"] = sorted({date.fromisoformat(str(d)).isoformat() for d in holidays})
    except ValueError as exc:
        raise ValidationError(_("A public holiday is not a date: write it as YYYY-MM-DD."), "holidays") from exc
    return out


def _days_held(start: date, days: int, issued: date | None, expires: date | None) -> frozenset[int] | None:
    if (issued is None or issued <= start) and (expires is None or expires > start + timedelta(days=days - 1)):
        return None
    return frozenset(d for d in range(days) if skill_valid_on(expires, start + timedelta(days=d), issued))


def _active_at(port_id: int) -> Any:
    """The port's active members (join `Branch` on the member's branch)."""
    return Branch.port_id == port_id, Member.status == MemberStatus.ACTIVE


def members_of(s: Session, port_id: int) -> list[Member]:
    return list(s.scalars(
        select(Member).join(Branch, Member.branch_id == Branch.id).where(*_active_at(port_id))
        .options(selectinload(Member.skills), selectinload(Member.unavailability))
        .order_by(Member.id)
    ))


def active_member_ids(s: Session, port_id: int) -> set[int]:
    """The ids of `members_of`, read as plain rows (no objects, no skills)."""
    return set(s.scalars(
        select(Member.id).join(Branch, Member.branch_id == Branch.id).where(*_active_at(port_id))
    ))


def _starting_between(port_id: int, first: date, last: date) -> Any:
    return (OnCallShift.port_id == port_id,
            OnCallShift.starts_at >= from_local(datetime.combine(first, time(0))),
            OnCallShift.starts_at < from_local(datetime.combine(last + timedelta(days=1), time(0))))


def port_duty_rows(s: Session, port_id: int, first: date, last: date) -> list[Any]:
    """One plain row per member on a port's shift starting on days first..last: (period_id, published, starts_at,
    kind, member_id). What `port_shifts` gives as objects, for reads that only count (the fairness table)."""
    return list(s.execute(
        select(OnCallShift.period_id, OnCallShift.published, OnCallShift.starts_at, OnCallShift.kind,
               ShiftAssignment.member_id)
        .join(ShiftAssignment, ShiftAssignment.shift_id == OnCallShift.id)
        .where(*_starting_between(port_id, first, last))
    ))


def port_shifts(s: Session, port_id: int, first: date, last: date) -> list[OnCallShift]:
    """The port's shifts starting on days first..last, with their assignments."""
    return list(s.scalars(
        select(OnCallShift).where(*_starting_between(port_id, first, last))
        .options(selectinload(OnCallShift.assignments)).order_by(OnCallShift.starts_at)
    ))


def build_problem(s: Session, period: RosterPeriod) -> Problem:
    rules = normalise_rules(period.rules, period.pattern)
    start, days = period.starts_on, (period.ends_on - period.starts_on).days + 1
    kinds = shift_kinds(period.pattern)
    members = members_of(s, period.port_id)
    leaders = set(s.scalars(select(Squad.leader_id).where(Squad.leader_id.is_not(None))))
    lookback = max(7, rules["rest_after_duty"], rules["rest_after_night"], rules["max_consecutive"] or 0)
    history = _history(s, period, start - timedelta(days=max(lookback, rules["fairness_days"])), start)
    people = []
    for m in members:
        quals: dict[str, frozenset[int] | None] = {f"branch:{m.branch_id}": None}
        for ms in m.skills:
            held = _days_held(start, days, ms.issued_on, ms.expires_on)
            if held is None or held:
                quals[f"skill:{ms.skill.code}"] = held
        if m.id in leaders:
            quals["leader"] = None
        away = set()
        for u in m.unavailability:
            for d in range((u.starts_on - start).days, (u.ends_on - start).days + 1):
                if 0 <= d < days:
                    away.add(d)
        worked = history.get(m.id, {})
        previous = tuple(worked.get(start - timedelta(days=k)) for k in range(lookback, 0, -1))
        since = start - timedelta(days=rules["fairness_days"])
        past = [d for d in worked if d >= since]
        people.append(Person(
            key=str(m.id), name=m.name, max_consecutive=rules["max_consecutive"],
            max_weekends=rules["max_weekends"], max_total=rules["max_total"], unavailable=frozenset(away),
            qualifications=quals, previous=previous, past_shifts=len(past),
            past_weekends=sum(1 for d in past if d.weekday() in WEEKEND),
        ))
    return Problem(
        days=days,
        shift_types=[ShiftType(k.value, int(SHIFT_TIMES[k][1].total_seconds() // 60), shift_label(k)) for k in kinds],
        people=people,
        cover=_cover(s, period, rules, days, kinds),
        requests=[r for r in _requests(s, period, start, days) if r.person in {p.key for p in people}],
        forbidden_successions={(ShiftKind.NIGHT.value, ShiftKind.DAY.value)} if len(kinds) > 1 else set(),
        rest_after={k: v for k, v in ((ShiftKind.DUTY_24H.value, rules["rest_after_duty"]),
                                      (ShiftKind.NIGHT.value, rules["rest_after_night"])) if v},
        window_limits=[WindowLimit(7, rules["max_per_week"], sliding=True)] if rules["max_per_week"] is not None else [],
        start=start,
        fairness_weight=rules["fairness_weight"],
        weekend_fairness_weight=rules["weekend_fairness_weight"],
        holidays=_holidays(s, period, rules, start, days),
        name=period.name,
    )


def _holidays(s: Session, period: RosterPeriod, rules: dict[str, Any], start: date, days: int) -> frozenset[int]:
    """The period's public holidays (day numbers): the port calendar's, and those its rules add."""
    from drillapp.services.port_calendar import calendar_days

    listed = {date.fromisoformat(h) for h in rules["holidays"]}
    listed |= calendar_days(s, period.port_id, start, start + timedelta(days=days - 1)).holidays()
    return frozenset(d for d in ((day - start).days for day in listed) if 0 <= d < days)


def _history(s: Session, period: RosterPeriod, first: date, before: date) -> dict[int, dict[date, str]]:
    """member id -> {day: shift code} for the port's shifts from `first` to the day before `before`."""
    out: dict[int, dict[date, str]] = {}
    for shift in port_shifts(s, period.port_id, first, before - timedelta(days=1)):
        if shift.period_id == period.id:
            continue
        for a in shift.assignments:
            out.setdefault(a.member_id, {})[shift_day(shift)] = shift.kind.value
    return out


def _cover(s: Session, period: RosterPeriod, rules: dict[str, Any], days: int,
           kinds: list[ShiftKind]) -> list[CoverRequirement]:
    branches = list(s.scalars(select(Branch).where(Branch.port_id == period.port_id).order_by(Branch.id)))
    skills = {k.code: k for k in s.scalars(select(Skill).where(Skill.code.in_(list(rules["skills"]))))}
    missing = sorted(set(rules["skills"]) - set(skills))
    if missing:
        raise ValidationError(_("The roster rules ask for a skill that does not exist: {code}").format(
            code=", ".join(missing)), "skills")
    out = []
    for d in range(days):
        for k in kinds:
            head = rules["headcount"][k.value]
            out.append(CoverRequirement(d, k.value, minimum=head, maximum=head, label=_("people")))
            if rules["min_per_branch"]:
                for b in branches:
                    out.append(CoverRequirement(d, k.value, tag=f"branch:{b.id}", minimum=rules["min_per_branch"],
                                                label=_("member from {branch}").format(branch=label(b.agency))))
            for code, n in rules["skills"].items():
                if n:
                    skill = skills[code]
                    name = skill.name_en if skill.name_en and current_language() == "en" else skill.name_zh
                    out.append(CoverRequirement(d, k.value, tag=f"skill:{code}", minimum=n,
                                                label=_("member with {skill}").format(skill=name)))
            if rules["leader_required"]:
                out.append(CoverRequirement(d, k.value, tag="leader", minimum=1, label=_("squad leader")))
    return out


def _requests(s: Session, period: RosterPeriod, start: date, days: int) -> list[Request]:
    out = []
    for pref in s.scalars(select(RosterPreference).where(RosterPreference.period_id == period.id)
                          .order_by(RosterPreference.id)):
        d = (pref.day - start).days
        if 0 <= d < days:
            out.append(Request(str(pref.member_id), d, pref.shift.value if pref.shift else None, pref.wants_on,
                               pref.weight))
    return out


def current_assignment(s: Session, period: RosterPeriod) -> tuple[Assignment, dict[tuple[int, str], OnCallShift]]:
    """The period's roster as saved: (person key, day) -> shift code, and (day, code) -> the shift row."""
    assignment: Assignment = {}
    rows: dict[tuple[int, str], OnCallShift] = {}
    shifts = s.scalars(select(OnCallShift).where(OnCallShift.period_id == period.id)
                       .options(selectinload(OnCallShift.assignments)))
    for shift in shifts:
        d = (shift_day(shift) - period.starts_on).days
        rows[(d, shift.kind.value)] = shift
        for a in shift.assignments:
            assignment[(str(a.member_id), d)] = shift.kind.value
    return assignment, rows

