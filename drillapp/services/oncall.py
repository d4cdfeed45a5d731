"""Who is on call: the published shift covering a moment and the one after it, each with its members
(name, branch, squad, squad leader or not, phones, the skills valid that day); the shifts of a period
for the roster print-out; one member's duties.

Read-only. Only published shifts count: a draft roster still being worked on is nobody's duty yet.
Times are naive UTC like everything stored; a shift covers [starts_at, ends_at), so at 08:00 sharp the
shift starting at 08:00 is on and the one ending at 08:00 is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillapp.clock import local_day_bounds, to_local
from drillapp.i18n import _, current_language
from drillapp.labels import label
from drillapp.models import (
    Branch,
    Drill,
    DrillRun,
    Member,
    MemberSkill,
    OnCallShift,
    Port,
    ShiftAssignment,
    Skill,
    Squad,
)
from drillapp.models.enums import Agency, RunStatus, ShiftKind, SquadKind
from drillapp.services.context import ServiceBase
from drillapp.services.errors import NotFoundError
from drillapp.services.roster_fairness import FairnessTable, read_fairness
from drillapp.services.team_overview import skill_valid_on


def shift_kind_label(kind: ShiftKind) -> str:
    """The shift's name in the app's vocabulary (labels.py)."""
    return label(kind)


@dataclass(frozen=True)
class OnCallMember:
    member_id: int
    name: str
    agency: Agency
    branch: str  # the branch's name in the current language
    squad: str  # "" when in no squad
    squad_kind: SquadKind | None
    leader: bool  # leads their squad
    phone: str
    mobile: str
    skills: tuple[str, ...]  # skills valid on the day, in the current language
    duty: str = ""  # the assignment's duty note, if any


@dataclass(frozen=True)
class ShiftOnCall:
    shift_id: int
    port_id: int
    kind: ShiftKind
    starts_at: datetime
    ends_at: datetime
    published: bool
    members: tuple[OnCallMember, ...]
    zone: str = ""  # the shift's port's time zone ("": the process's, as for a shift built by hand)

    @property
    def local_start(self) -> datetime:
        """The start on the port's wall clock (its own zone, whatever port the desk is on)."""
        return to_local(self.starts_at, self.zone or None)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.zone or None)


@dataclass(frozen=True)
class MemberDuty:
    shift_id: int
    kind: ShiftKind
    starts_at: datetime
    ends_at: datetime
    duty: str


@dataclass(frozen=True)
class MemberDuties:
    member: OnCallMember
    start: datetime
    end: datetime
    duties: tuple[MemberDuty, ...]


@dataclass(frozen=True)
class LiveRun:
    """A drill run still going, that a call-out test can be part of."""

    run_id: int
    title: str
    started_at: datetime


def _localised(zh: str, en: str) -> str:
    return (en or zh) if current_language() == "en" else (zh or en)


def _skill_valid(entry: MemberSkill, day: date) -> bool:
    """The roster's rule (team_overview.skill_valid_on): a certificate stops counting from its expiry date."""
    return skill_valid_on(entry.expires_on, day, entry.issued_on)


@dataclass(frozen=True)
class CalloutList:
    """What the call-out list prints: the shift covering `moment` and the one after it."""

    port: str
    moment: datetime
    chosen: datetime | None  # the moment asked for (None: now)
    current: ShiftOnCall | None
    upcoming: ShiftOnCall | None
    printed_at: datetime


@dataclass(frozen=True)
class DutiesSheet:
    """What a member's duty sheet prints."""

    port: str
    duties: MemberDuties
    printed_at: datetime


@dataclass(frozen=True)
class RosterSheet:
    """What the roster grid prints: the published shifts of the days first..last and the fairness table."""

    port: str
    first: date
    last: date
    shifts: list[ShiftOnCall]
    fairness: FairnessTable
    printed_at: datetime


class OnCallService(ServiceBase):
    # -- what the print-outs show (reports/roster_pdf.py prints them) --------------------------------------
    def callout_list(self, at: datetime | None = None, port_id: int | None = None) -> CalloutList:
        """The call-out list for the shift covering `at` (default: now) and the one after it."""
        moment = at or self.clock()
        port_id = port_id if port_id is not None else self.default_port_id()
        return CalloutList(self.port_name(port_id), moment, at, self.current_shift(moment, port_id),
                           self.next_shift(moment, port_id), self.clock())

    def duties_sheet(self, member_id: int, first: date, last: date, port_id: int | None = None) -> DutiesSheet:
        """A member's published duties on the days first..last (both included)."""
        duties = self.member_duties(member_id, *local_day_bounds(first, last))
        port_id = port_id if port_id is not None else self.default_port_id()
        return DutiesSheet(self.port_name(port_id), duties, self.clock())

    def roster_sheet(self, first: date, last: date, port_id: int | None = None,
                     period_id: int | None = None) -> RosterSheet:
        """The published roster of the days first..last (both included), with the fairness table (of the
        period `period_id` when given: exactly what its grid shows on screen)."""
        port_id = port_id if port_id is not None else self.default_port_id()
        return RosterSheet(self.port_name(port_id), first, last,
                           self.shifts_between(*local_day_bounds(first, last, self.port_zone(port_id) or None), port_id),
                           self.fairness(first, last, port_id, period_id), self.clock())

    def default_port_id(self) -> int:
        """The port whose roster the app shows: the current port; with every port in scope, the first one that
        has shifts, else the first port."""
        if self.port_id is not None:
            return self.port_id
        with self.read() as s:
            port_id = s.scalar(select(OnCallShift.port_id).order_by(OnCallShift.id).limit(1))
            if port_id is None:
                port_id = s.scalar(select(Port.id).order_by(Port.id).limit(1))
            if port_id is None:
                raise NotFoundError(_("There is no port yet. Create one, or load the demo port."))
            return port_id

    def port_zone(self, port_id: int) -> str:
        """The port's time zone ("" for a port that does not exist: the process's then applies)."""
        with self.read() as s:
            return _port_zone(s, port_id)

    def port_name(self, port_id: int) -> str:
        """The port's name in the current language (for headings of print-outs)."""
        with self.read() as s:
            port = s.get(Port, port_id)
            if port is None:
                raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
                    what=_("Port"), id=port_id))
            return _localised(port.name_zh, port.name_en)

    def current_shift(self, at: datetime | None = None, port_id: int | None = None) -> ShiftOnCall | None:
        """The published shift covering `at` (default: now); when shifts overlap, the one started last."""
        at = at or self.clock()
        with self.read() as s:
            query = self._published(port_id).where(OnCallShift.starts_at <= at, OnCallShift.ends_at > at)
            shift = s.scalar(query.order_by(OnCallShift.starts_at.desc(), OnCallShift.id.desc()).limit(1))
            return None if shift is None else self._view(s, shift, max(shift.starts_at, at).date())

    def next_shift(self, at: datetime | None = None, port_id: int | None = None) -> ShiftOnCall | None:
        """The first published shift starting after `at` (default: now)."""
        at = at or self.clock()
        with self.read() as s:
            query = self._published(port_id).where(OnCallShift.starts_at > at)
            shift = s.scalar(query.order_by(OnCallShift.starts_at, OnCallShift.id).limit(1))
            return None if shift is None else self._view(s, shift, shift.starts_at.date())

    def shifts_between(self, start: datetime, end: datetime, port_id: int | None = None,
                       published_only: bool = True) -> list[ShiftOnCall]:
        """Shifts overlapping [start, end), in order of start."""
        with self.read() as s:
            query = (self._published(port_id) if published_only else self._shifts(port_id)).where(
                OnCallShift.starts_at < end, OnCallShift.ends_at > start)
            shifts = list(s.scalars(query.order_by(OnCallShift.starts_at, OnCallShift.id)))
            return self._views(s, shifts)

    def member_duties(self, member_id: int, start: datetime, end: datetime) -> MemberDuties:
        """A member's published shifts overlapping [start, end), in order of start."""
        with self.read() as s:
            if s.get(Member, member_id) is None:
                raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
                    what=_("Member"), id=member_id))
            rows = s.execute(
                select(OnCallShift, ShiftAssignment.duty)
                .join(ShiftAssignment, ShiftAssignment.shift_id == OnCallShift.id)
                .where(ShiftAssignment.member_id == member_id, OnCallShift.published.is_(True),
                       OnCallShift.starts_at < end, OnCallShift.ends_at > start)
                .order_by(OnCallShift.starts_at, OnCallShift.id)
            ).all()
            member = self._members(s, {member_id: ""}, start.date())[0]
            duties = tuple(MemberDuty(sh.id, sh.kind, sh.starts_at, sh.ends_at, duty or "") for sh, duty in rows)
            return MemberDuties(member, start, end, duties)

    def fairness(self, first: date, last: date, port_id: int | None = None,
                 period_id: int | None = None) -> FairnessTable:
        """How fairly the days first..last (inclusive) share the load (services/roster_fairness.py); with a
        period, exactly what its roster grid shows."""
        port_id = port_id if port_id is not None else self.default_port_id()
        with self.read() as s:
            return read_fairness(s, port_id, first, last, period_id)

    def live_drill_runs(self, port_id: int | None = None) -> list[LiveRun]:
        """Drill runs still going (newest first): what a call-out test can be linked to."""
        with self.read() as s:
            query = (select(DrillRun.id, Drill.title, DrillRun.started_at).join(Drill, Drill.id == DrillRun.drill_id)
                     .where(DrillRun.status == RunStatus.RUNNING))
            if port_id is not None:
                query = query.where(Drill.port_id == port_id)
            return [LiveRun(i, t, at) for i, t, at in s.execute(query.order_by(DrillRun.started_at.desc()))]

    # ---- building the views -----------------------------------------------------------------------

    @staticmethod
    def _shifts(port_id: int | None):  # noqa: ANN205 - a Select
        query = select(OnCallShift).options(selectinload(OnCallShift.assignments))
        return query if port_id is None else query.where(OnCallShift.port_id == port_id)

    def _published(self, port_id: int | None):  # noqa: ANN202
        return self._shifts(port_id).where(OnCallShift.published.is_(True))

    def _view(self, s: Session, shift: OnCallShift, day: date) -> ShiftOnCall:
        duties = {a.member_id: a.duty or "" for a in shift.assignments}
        return ShiftOnCall(shift.id, shift.port_id, shift.kind, shift.starts_at, shift.ends_at, shift.published,
                           tuple(self._members(s, duties, day)), _port_zone(s, shift.port_id))

    def _views(self, s: Session, shifts: list[OnCallShift]) -> list[ShiftOnCall]:
        return [self._view(s, shift, shift.starts_at.date()) for shift in shifts]

    def _members(self, s: Session, duties: dict[int, str], day: date) -> list[OnCallMember]:
        """The members `duties` names, leaders first within a branch, then by squad and name."""
        if not duties:
            return []
        rows = s.execute(
            select(Member, Branch, Squad)
            .join(Branch, Branch.id == Member.branch_id)
            .outerjoin(Squad, Squad.id == Member.squad_id)
            .where(Member.id.in_(duties))
            .options(selectinload(Member.skills).selectinload(MemberSkill.skill))
        ).all()
        leaders = set(s.scalars(select(Squad.leader_id).where(Squad.leader_id.in_(duties))))
        out = []
        for member, branch, squad in rows:
            skills = tuple(_localised(e.skill.name_zh, e.skill.name_en)
                           for e in sorted(member.skills, key=_skill_order) if _skill_valid(e, day))
            out.append(OnCallMember(
                member_id=member.id, name=member.name, agency=branch.agency,
                branch=_localised(branch.name_zh, branch.name_en), squad=squad.name if squad else "",
                squad_kind=squad.kind if squad else None, leader=member.id in leaders, phone=member.phone,
                mobile=member.mobile, skills=skills, duty=duties.get(member.id, ""),
            ))
        agencies = list(Agency)
        out.sort(key=lambda m: (agencies.index(m.agency), not m.leader, m.squad, m.name, m.member_id))
        return out


def _port_zone(s: Session, port_id: int) -> str:
    """The port's time zone (the session's identity map keeps the port: read once for a period's shifts)."""
    port = s.get(Port, port_id)
    return port.time_zone if port is not None else ""


def _skill_order(entry: MemberSkill) -> tuple[int, int]:
    skill: Skill = entry.skill
    return (skill.id, entry.id)
