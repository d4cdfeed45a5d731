"""Picking a drill's participants: the port's team on the drill's day, each member flagged when on leave
(status, or leave/course/blackout dates covering the day), on call in a published roster during the drill,
or holding a certificate that has lapsed by that day (team_overview.skill_valid_on, the roster's rule).
Also the link between a member and a user account, so reminders and "my drills" reach the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.models import Branch, Member, MemberSkill, OnCallShift, ShiftAssignment, Squad, User
from drillapp.models.enums import Agency, MemberStatus, UnavailabilityKind
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import ValidationError
from drillapp.services.team_overview import skill_name, skill_valid_on


@dataclass(frozen=True)
class Candidate:
    member_id: int
    name: str
    branch_id: int
    agency: Agency
    squad: str
    status: MemberStatus
    away: UnavailabilityKind | None  # leave, course or blackout covering the day
    on_call: bool  # on a published shift overlapping the drill
    lapsed: tuple[str, ...]  # certificates no longer valid on the day
    user_id: int | None

    @property
    def on_leave(self) -> bool:
        return self.status is MemberStatus.ON_LEAVE or self.away is not None


class ParticipantService(ServiceBase):
    def candidates(self, start: datetime, duration_minutes: int, port_id: int | None = None) -> list[Candidate]:
        """The port's members (those who left excepted) as they stand for a drill from `start` (stored UTC)."""
        port = self.require_port(port_id)
        end = start + timedelta(minutes=duration_minutes)
        day: date = to_local(start, self.scope.zone).date()
        with self.read() as s:
            members = s.scalars(
                select(Member).join(Branch, Branch.id == Member.branch_id)
                .where(Branch.port_id == port, Member.status != MemberStatus.LEFT)
                .options(selectinload(Member.skills).selectinload(MemberSkill.skill),
                         selectinload(Member.unavailability))
                .order_by(Branch.id, Member.name, Member.id)).all()
            agencies = dict(s.execute(select(Branch.id, Branch.agency).where(Branch.port_id == port)).all())
            squads = dict(s.execute(select(Squad.id, Squad.name)).all())
            on_call = set(s.scalars(
                select(ShiftAssignment.member_id).join(OnCallShift, OnCallShift.id == ShiftAssignment.shift_id)
                .where(OnCallShift.port_id == port, OnCallShift.published.is_(True),
                       OnCallShift.starts_at < end, OnCallShift.ends_at > start)))
            out = []
            for m in members:
                away = next((u.kind for u in m.unavailability if u.starts_on <= day <= u.ends_on), None)
                lapsed = tuple(skill_name(e.skill) for e in m.skills
                               if e.expires_on is not None and not skill_valid_on(e.expires_on, day, e.issued_on))
                out.append(Candidate(m.id, m.name, m.branch_id, agencies[m.branch_id],
                                     squads.get(m.squad_id, "") if m.squad_id else "", m.status, away,
                                     m.id in on_call, lapsed, m.user_id))
            return out

    def link_user(self, member_id: int, user_id: int | None, expected_version: int) -> None:
        """Link a team member to their user account (None: unlink). One account belongs to one member."""
        with self.write("team.link_user") as s:
            member = validate.get(s, Member, member_id, _("Member"))
            validate.expect_version(member, expected_version)
            if user_id is not None:
                validate.get(s, User, user_id, _("User"))
                other = s.scalar(select(Member).where(Member.user_id == user_id, Member.id != member_id))
                if other is not None:
                    raise ValidationError(_("That account is already linked to {name}.").format(name=other.name),
                                          "user_id")
            member.user_id = user_id


def local_day(value: datetime, zone: str | None = None) -> date:
    return to_local(value, zone).date()
