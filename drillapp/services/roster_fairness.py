"""How fairly a roster shares the load, so that a team lead can answer "why me again?".

Per member: duties, nights, weekend duties and public-holiday duties in the period, the same in the days
before it (the window the solver balances, the rule `fairness_days`, 90 by default), and the member's fair
share of the period; for the team, the spread (most − fewest) of each, in the period and with the days
before counted.

The rule (`fairness`, the one function that computes it; the roster grid, the roster PDF and the tests use
it):
- A duty belongs to the day its shift starts on (a night from 20:00 to the day it starts). A *night* is a
  night shift (a 24-hour duty is counted as a duty, not as a night); a *weekend* duty falls on a Saturday
  or Sunday; a *holiday* duty on a public holiday named in the rules of any of the port's roster periods
  (a holiday on a Sunday counts in both columns). The solver weighs weekends and holidays together.
- Counted are the port's active members (those the solver shares the load among); a member no longer
  active who is still on a shift is listed but not counted.
- The *fair share* of a member is what they would do in this period if the period and the days before
  were shared evenly: the team's average over both, less what the member already did before (never below
  0). Over the counted members the fair shares add up to the period's load (unless someone did more
  before than the average, which clamps at 0). Someone with little duty before has a larger share now.
- The *spread* is most − fewest among the counted members, of the period alone and of the period with
  the days before (what the solver makes small).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.models import Branch, Member, RosterPeriod, Squad
from drillapp.models.enums import Agency, ShiftKind
from drillapp.roster.problem import WEEKEND
from drillapp.services.roster_problem import DEFAULT_RULES, active_member_ids, port_duty_rows

KINDS = ("duties", "nights", "weekends", "holidays")


@dataclass(frozen=True)
class Load:
    duties: int = 0
    nights: int = 0
    weekends: int = 0
    holidays: int = 0

    def get(self, kind: str) -> int:
        return int(getattr(self, kind))

    def __add__(self, other: Load) -> Load:
        return Load(*(self.get(k) + other.get(k) for k in KINDS))


@dataclass(frozen=True)
class Duty:
    """One member on one shift: who, the shift's day (local) and its kind."""

    member_id: int
    day: date
    kind: ShiftKind


@dataclass(frozen=True)
class MemberFairness:
    member_id: int
    name: str
    counted: bool  # an active member, counted in the average and the spread
    period: Load
    past: Load
    fair_share: dict[str, float] = field(default_factory=dict)  # kind -> the member's fair share of the period
    agency: Agency | None = None
    squad: str = ""
    leader: bool = False

    @cached_property
    def total(self) -> Load:
        return self.period + self.past


@dataclass(frozen=True)
class FairnessTable:
    first: date
    last: date
    past_days: int  # how many days before `first` count
    rows: tuple[MemberFairness, ...]  # by name
    average: dict[str, float]  # kind -> the counted members' average of period + days before
    spread_period: dict[str, int]  # kind -> most − fewest in the period
    spread_total: dict[str, int]  # kind -> most − fewest with the days before counted

    def row(self, member_id: int) -> MemberFairness | None:
        return self._by_member.get(member_id)

    @cached_property
    def _by_member(self) -> dict[int, MemberFairness]:
        return {r.member_id: r for r in self.rows}

    def has_nights(self) -> bool:
        return "nights" in self._kinds

    def has_holidays(self) -> bool:
        return "holidays" in self._kinds

    @cached_property
    def _kinds(self) -> tuple[str, ...]:
        """Worked out once per table: a table model asks for its columns on every cell it paints, and walking
        every member each time froze the roster page for minutes on a 1,000-member team (bench `stalls`)."""
        nights = any(r.total.nights for r in self.rows)
        holidays = any(r.total.holidays for r in self.rows)
        return tuple(k for k in KINDS if (k != "nights" or nights) and (k != "holidays" or holidays))

    def kinds(self) -> list[str]:
        """The loads worth a column: duties and weekends always, nights and holidays where there are any."""
        return list(self._kinds)

    @cached_property
    def _columns(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, part) for k in self._kinds for part in PARTS)

    def columns(self) -> list[tuple[str, str]]:
        """(kind, part) of each column of the table, part being "period", "before" or "share"; the roster grid
        and the roster PDF show the same columns."""
        return list(self._columns)


PARTS = ("period", "before", "share")


def kind_title(kind: str) -> str:
    return {"duties": _("Duties"), "nights": _("Nights"), "weekends": _("Weekends"), "holidays": _("Holidays")}[kind]


def part_title(part: str, past_days: int) -> str:
    return {"period": _("this period"), "before": _("{days} d before").format(days=past_days),
            "share": _("fair share")}[part]


def column_title(kind: str, part: str, past_days: int) -> str:
    """A column's title on two lines: the load, then which part of it."""
    return f"{kind_title(kind)}\n{part_title(part, past_days)}"


def cell_text(row: MemberFairness, kind: str, part: str) -> str:
    if part == "period":
        return str(row.period.get(kind))
    if part == "before":
        return str(row.past.get(kind))
    return f"{row.fair_share[kind]:.1f}" if kind in row.fair_share else "—"


def classify(duty: Duty, holidays: frozenset[date] | set[date]) -> Load:
    return Load(duties=1, nights=int(duty.kind is ShiftKind.NIGHT), weekends=int(duty.day.weekday() in WEEKEND),
                holidays=int(duty.day in holidays))


def fairness(names: dict[int, str], counted: Iterable[int], period_duties: Iterable[Duty],
             past_duties: Iterable[Duty], first: date, last: date, past_days: int,
             holidays: Iterable[date] = (), about: dict[int, tuple[Agency | None, str, bool]] | None = None,
             ) -> FairnessTable:
    """The fairness of a period's roster (the rule is in the module's docstring). `names` lists every member
    to show (member id -> name); `counted` those shared among; duties outside their window are ignored.
    `about` adds each member's agency, squad and leadership for the print-out."""
    about = about or {}
    holiday_set = frozenset(holidays)
    counted_ids = set(counted)
    since = first - timedelta(days=past_days)
    period: dict[int, Load] = {}
    past: dict[int, Load] = {}
    for duty in period_duties:
        if first <= duty.day <= last:
            period[duty.member_id] = period.get(duty.member_id, Load()) + classify(duty, holiday_set)
    for duty in past_duties:
        if since <= duty.day < first:
            past[duty.member_id] = past.get(duty.member_id, Load()) + classify(duty, holiday_set)
    shown = [m for m in names if m in counted_ids or m in period]
    counted_rows = [m for m in shown if m in counted_ids]
    average: dict[str, float] = {}
    spread_period: dict[str, int] = {}
    spread_total: dict[str, int] = {}
    for kind in KINDS:
        now = [period.get(m, Load()).get(kind) for m in counted_rows]
        both = [n + past.get(m, Load()).get(kind) for n, m in zip(now, counted_rows, strict=True)]
        average[kind] = sum(both) / len(both) if both else 0.0
        spread_period[kind] = max(now) - min(now) if now else 0
        spread_total[kind] = max(both) - min(both) if both else 0
    rows = []
    for m in sorted(shown, key=lambda m: (names[m], m)):
        before = past.get(m, Load())
        share = {k: max(0.0, average[k] - before.get(k)) for k in KINDS} if m in counted_ids else {}
        agency, squad, leader = about.get(m, (None, "", False))
        rows.append(MemberFairness(m, names[m], m in counted_ids, period.get(m, Load()), before, share, agency, squad,
                                   leader))
    table = FairnessTable(first, last, past_days, tuple(rows), average, spread_period, spread_total)
    table.kinds()  # worked out here, in the read (a worker), not on the GUI thread at the first paint
    return table


def explain(table: FairnessTable, member_id: int) -> str:
    """Why this member has the duties they have, in words (the grid's tooltip: "why me again?")."""
    row = table.row(member_id)
    if row is None:
        return ""
    lines = [_("{name}: {now} duties in this period, {before} in the {days} days before ({total} together).")
             .format(name=row.name, now=row.period.duties, before=row.past.duties, days=table.past_days,
                     total=row.total.duties)]
    if not row.counted:
        lines.append(_("No longer an active member: not counted in the fair share."))
        return "\n".join(lines)
    lines.append(_("Shared evenly, each member would have {average} over both; so the fair share in this "
                   "period is {share}.").format(average=f"{table.average['duties']:.1f}",
                                                share=f"{row.fair_share['duties']:.1f}"))
    lines.append(_("Weekends: {now} now, {before} before, fair share {share}.").format(
        now=row.period.weekends, before=row.past.weekends, share=f"{row.fair_share['weekends']:.1f}"))
    if table.has_holidays():
        lines.append(_("Public holidays: {now} now, {before} before, fair share {share}.").format(
            now=row.period.holidays, before=row.past.holidays, share=f"{row.fair_share['holidays']:.1f}"))
    if table.has_nights():
        lines.append(_("Nights: {now} now, {before} before, fair share {share}.").format(
            now=row.period.nights, before=row.past.nights, share=f"{row.fair_share['nights']:.1f}"))
    return "\n".join(lines)


def spread_text(table: FairnessTable) -> str:
    """The period summary: the spread (most − fewest) of each load, in the period and with the days before."""
    titles = {"duties": _("duties"), "nights": _("nights"), "weekends": _("weekends"), "holidays": _("holidays")}
    parts = [_("{what} {now} ({both})").format(what=titles[k], now=table.spread_period[k], both=table.spread_total[k])
             for k in table.kinds()]
    return _("Spread, most − fewest (with the {days} days before): {parts}").format(
        days=table.past_days, parts=" · ".join(parts))


# -- reading it from the database -------------------------------------------------------------------------


def _holidays(s: Session, port_id: int) -> set[date]:
    """Every public holiday named in the rules of the port's roster periods."""
    out: set[date] = set()
    for rules in s.scalars(select(RosterPeriod.rules).where(RosterPeriod.port_id == port_id)):
        for value in (rules or {}).get("holidays", []) or []:
            try:
                out.add(date.fromisoformat(str(value)))
            except ValueError:
                continue
    return out


def read_fairness(s: Session, port_id: int, first: date, last: date, period_id: int | None = None) -> FairnessTable:
    """The fairness of the days first..last (inclusive). With a period: its own shifts (a draft's too) against
    the history the solver balanced it against (every other shift of the port in the period's `fairness_days`
    before it). Without: the published shifts of those days against the published shifts of the 90 days
    before."""
    past_days = int(DEFAULT_RULES["fairness_days"])
    if period_id is not None:
        period = s.get(RosterPeriod, period_id)
        if period is not None and isinstance((period.rules or {}).get("fairness_days"), int):
            past_days = period.rules["fairness_days"]

    def duties(first: date, last: date, of_period: bool) -> list[Duty]:
        # plain rows, not objects: a month of a thousand members' shifts is read on every grid shown
        return [Duty(member_id, to_local(starts_at).date(), kind)
                for row_period, published, starts_at, kind, member_id in port_duty_rows(s, port_id, first, last)
                if (published if period_id is None else (row_period == period_id) is of_period)]

    now = duties(first, last, True)
    past = duties(first - timedelta(days=past_days), first - timedelta(days=1), False)
    counted = active_member_ids(s, port_id)
    ids = counted | {d.member_id for d in now}
    leaders = set(s.scalars(select(Squad.leader_id).where(Squad.leader_id.in_(ids)))) if ids else set()
    names: dict[int, str] = {}
    about: dict[int, tuple[Agency | None, str, bool]] = {}
    rows = s.execute(select(Member.id, Member.name, Branch.agency, Squad.name)
                     .join(Branch, Branch.id == Member.branch_id).outerjoin(Squad, Squad.id == Member.squad_id)
                     .where(Member.id.in_(ids))).all() if ids else []
    for member_id, name, agency, squad in rows:
        names[member_id] = name
        about[member_id] = (agency, squad or "", member_id in leaders)
    return fairness(names, counted, now, past, first, last, past_days, _holidays(s, port_id), about)
