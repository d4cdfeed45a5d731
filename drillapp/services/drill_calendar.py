"""The programme on paper and in other calendars: the iCalendar export (io/ical.py) and the data the year
programme and the drill briefing print-outs take (reports/drill_pdf.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drillapp.clock import from_local
from drillapp.i18n import _
from drillapp.io import ical
from drillapp.labels import label, level_label
from drillapp.models import (
    Branch,
    ContingencyPlan,
    Drill,
    DrillObjective,
    DrillSeries,
    Member,
    PlanAction,
    Port,
)
from drillapp.models.enums import Agency, DrillStatus, ParticipantRole
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.drill_design import DrillDesign, load_design
from drillapp.services.drills import DrillRow, drill_row
from drillapp.services.errors import DomainError
from drillapp.services.port_calendar import CalendarEntry, calendar_days


@dataclass(frozen=True)
class BriefingParticipant:
    name: str
    agency: Agency | None
    role: ParticipantRole


@dataclass(frozen=True)
class Briefing:
    """What the briefing print-out shows: the design, with names in place of ids."""

    port_name: str
    design: DrillDesign
    plan_code: str
    actions: dict[int, str]  # plan action id -> "agency: text (target)"
    participants: tuple[BriefingParticipant, ...]


@dataclass(frozen=True)
class YearProgramme:
    port_name: str
    year: int
    drills: tuple[DrillRow, ...]
    blocked: tuple[CalendarEntry, ...]


def _description(kind, level: int | None, plan_code: str) -> str:  # noqa: ANN001 - a DrillKind
    parts = [label(kind)]
    if plan_code:
        parts.append(plan_code)
    if level is not None:
        parts.append(level_label(level))
    return " · ".join(parts)


class DrillCalendarService(ServiceBase):
    def ics(self, first: date | None = None, last: date | None = None, port_id: int | None = None) -> bytes:
        """The port's drills (those starting on first..last, and every series with an occurrence then) as an
        iCalendar file's bytes."""
        port = self.require_port(port_id)
        with self.read() as s:
            p = validate.get(s, Port, port, _("Port"))
            q = select(Drill).where(Drill.port_id == port)
            if first is not None:
                q = q.where(Drill.scheduled_start >= from_local(datetime.combine(first, time(0)), p.time_zone))
            if last is not None:
                q = q.where(Drill.scheduled_start < from_local(datetime.combine(last + timedelta(days=1), time(0)),
                                                                p.time_zone))
            drills = list(s.scalars(q.order_by(Drill.scheduled_start, Drill.id)))
            codes = dict(s.execute(select(ContingencyPlan.id, ContingencyPlan.code)
                                   .where(ContingencyPlan.port_id == port)).all())
            series_ids = sorted({d.series_id for d in drills if d.series_id is not None})
            events = [self._event(d, _code(codes, d.plan_id)) for d in drills if d.series_id is None]
            series = []
            for sid in series_ids:
                row = s.get(DrillSeries, sid)
                assert row is not None
                members = list(s.scalars(select(Drill).where(Drill.series_id == sid)))
                exdates = [d.occurrence_start for d in members
                           if d.status is DrillStatus.CANCELLED and d.occurrence_start is not None]
                exdates += [from_local(datetime.fromisoformat(x), p.time_zone) for x in row.skipped or []]
                overrides = [(d.occurrence_start, self._event(d, _code(codes, d.plan_id))) for d in members
                             if d.detached and d.status is not DrillStatus.CANCELLED and d.occurrence_start is not None]
                series.append(ical.SeriesData(
                    row.uid, row.title, row.rrule, row.dtstart_local, row.duration_minutes, row.row_version,
                    tuple(x for x in exdates if x is not None), tuple(overrides), row.location,
                    _description(row.kind, row.level, _code(codes, row.plan_id)), label(row.kind)))
            name = _("{port} drill programme").format(port=p.name_zh)
            return ical.calendar(p.time_zone, events, series, name, self.clock())

    @staticmethod
    def _event(d: Drill, plan_code: str) -> ical.EventData:
        return ical.EventData(d.uid, d.title, d.scheduled_start, d.duration_minutes, d.row_version, d.location,
                              _description(d.kind, d.level, plan_code), label(d.kind), d.status is DrillStatus.CANCELLED)

    def write_ics(self, out: str | Path, first: date | None = None, last: date | None = None,
                  port_id: int | None = None) -> Path:
        try:
            return ical.write(out, self.ics(first, last, port_id))
        except OSError as exc:
            raise DomainError(_("Cannot write {path}: {error}").format(path=out, error=exc.strerror or exc)) from None

    # -- print-outs ------------------------------------------------------------------------------
    def briefing(self, drill_id: int) -> Briefing:
        with self.read() as s:
            drill = s.scalar(select(Drill).where(Drill.id == drill_id).options(
                selectinload(Drill.objectives).selectinload(DrillObjective.actions),
                selectinload(Drill.participants), selectinload(Drill.injects)))
            if drill is None:
                validate.get(s, Drill, drill_id, _("Drill"))
            assert drill is not None
            design = load_design(s, drill)
            port = s.get(Port, drill.port_id)
            wanted = {a for o in design.content.objectives for a in o.action_ids}
            actions = {a.id: f"{label(a.agency)}: {a.text}" + (f"（{a.target_minutes}′）" if a.target_minutes else "")
                       for a in s.scalars(select(PlanAction).where(PlanAction.id.in_(wanted)))} if wanted else {}
            branches = dict(s.execute(select(Branch.id, Branch.agency)).all())
            names = dict(s.execute(select(Member.id, Member.name).where(
                Member.id.in_([p.member_id for p in drill.participants if p.member_id]))).all())
            members_branch = dict(s.execute(select(Member.id, Member.branch_id).where(
                Member.id.in_([p.member_id for p in drill.participants if p.member_id]))).all())
            people = []
            for p in drill.participants:
                branch = p.branch_id or (members_branch.get(p.member_id) if p.member_id else None)
                who = names.get(p.member_id, "") if p.member_id else _("whole branch")
                people.append(BriefingParticipant(who, branches.get(branch) if branch else None, p.role))
            return Briefing(port.name_zh if port else "", design, design.plan_code, actions, tuple(people))

    def year_programme(self, year: int, port_id: int | None = None) -> YearProgramme:
        port = self.require_port(port_id)
        with self.read() as s:
            p = validate.get(s, Port, port, _("Port"))
            start = from_local(datetime(year, 1, 1), p.time_zone)
            end = from_local(datetime(year + 1, 1, 1), p.time_zone)
            rows = s.execute(select(Drill, ContingencyPlan.code)
                             .outerjoin(ContingencyPlan, ContingencyPlan.id == Drill.plan_id)
                             .where(Drill.port_id == port, Drill.scheduled_start >= start, Drill.scheduled_start < end)
                             .order_by(Drill.scheduled_start, Drill.id))
            drills = tuple(drill_row(d, code or "") for d, code in rows)
            blocked = tuple(e for e in calendar_days(s, port, date(year, 1, 1), date(year, 12, 31)).entries)
            return YearProgramme(p.name_zh, year, drills, blocked)


def _code(codes: dict[int, str], plan_id: int | None) -> str:
    """The plan's code, or nothing for a drill without a plan."""
    return codes.get(plan_id, "") if plan_id is not None else ""
