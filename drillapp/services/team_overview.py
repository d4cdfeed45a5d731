"""What the team lead reads: one member with skills and unavailability (the member editor), the skill list,
and the team on a given day (the squad board): squads with members, leader, strength against minimum, the
strength of each branch, and the certificates that have run out or soon will.

The expiry rule is the roster's: a skill holds while `on < expires_on`, so it stops counting on its
expiry date (`skill_valid_on`). Everything returned is plain frozen data; no session leaves this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from drillapp.i18n import current_language
from drillapp.models import Branch, Member, MemberSkill, ResponseTeam, Skill, TeamBranchMinimum
from drillapp.models.enums import Agency, MemberStatus, SquadKind, UnavailabilityKind

#: A certificate running out within this many days is flagged as expiring soon.
EXPIRY_WARNING = timedelta(days=30)


class CertificateState(enum.Enum):
    VALID = "valid"
    EXPIRING = "expiring"  # still valid, runs out within EXPIRY_WARNING
    EXPIRED = "expired"


def skill_valid_on(expires_on: date | None, on: date, issued_on: date | None = None) -> bool:
    """The roster's rule: a skill counts from its issue date up to the day before its expiry date."""
    return (expires_on is None or on < expires_on) and (issued_on is None or issued_on <= on)


def certificate_state(expires_on: date | None, on: date) -> CertificateState:
    if not skill_valid_on(expires_on, on):
        return CertificateState.EXPIRED
    if expires_on is not None and expires_on - on <= EXPIRY_WARNING:
        return CertificateState.EXPIRING
    return CertificateState.VALID


def skill_name(skill: Skill) -> str:
    """The skill's name in the current language (the Chinese name when no English one is given)."""
    if current_language() == "zh_CN":
        return skill.name_zh
    return skill.name_en or skill.name_zh


@dataclass(frozen=True)
class SkillRow:
    id: int
    code: str
    name_zh: str
    name_en: str
    certificate_required: bool
    holders: int
    row_version: int

    @property
    def name(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else (self.name_en or self.name_zh)


@dataclass(frozen=True)
class SkillHolding:
    """One skill or certificate a member holds."""

    skill_id: int
    code: str
    name: str
    certificate_no: str
    issued_on: date | None
    expires_on: date | None
    state: CertificateState


@dataclass(frozen=True)
class UnavailabilityRow:
    id: int
    kind: UnavailabilityKind
    starts_on: date
    ends_on: date
    note: str
    row_version: int


@dataclass(frozen=True)
class MemberDetail:
    id: int
    row_version: int
    branch_id: int
    squad_id: int | None
    name: str
    post: str
    rank: str
    phone: str
    mobile: str
    email: str
    status: MemberStatus
    volunteer_date: date | None
    fitness_date: date | None
    training_date: date | None
    notes: str
    skills: tuple[SkillHolding, ...]
    unavailability: tuple[UnavailabilityRow, ...]


@dataclass(frozen=True)
class BoardMember:
    """A member as the squad board shows them on one day."""

    id: int
    name: str
    branch_id: int
    agency: Agency
    status: MemberStatus
    squad_id: int | None
    skills: tuple[str, ...]  # names of the skills valid on the day
    flagged: tuple[SkillHolding, ...]  # certificates expired or expiring within EXPIRY_WARNING
    row_version: int = 1

    @property
    def active(self) -> bool:
        return self.status is MemberStatus.ACTIVE

    @property
    def has_expired(self) -> bool:
        return any(h.state is CertificateState.EXPIRED for h in self.flagged)

    @property
    def has_expiring(self) -> bool:
        return any(h.state is CertificateState.EXPIRING for h in self.flagged)


@dataclass(frozen=True)
class SquadStrength:
    id: int
    kind: SquadKind
    name: str
    leader_id: int | None
    leader_name: str
    min_strength: int
    strength: int  # active members
    members: tuple[BoardMember, ...]
    row_version: int

    @property
    def short(self) -> bool:
        return self.strength < self.min_strength


@dataclass(frozen=True)
class BranchStrength:
    branch_id: int
    agency: Agency
    name: str
    strength: int  # active members of the team from this branch
    minimum: int
    row_version: int | None = None  # of the branch's minimum row; None while the branch has none

    @property
    def short(self) -> bool:
        return self.strength < self.minimum


@dataclass(frozen=True)
class TeamOverview:
    team_id: int
    name: str
    on: date
    squads: tuple[SquadStrength, ...]
    unassigned: tuple[BoardMember, ...]
    branches: tuple[BranchStrength, ...]

    def member(self, member_id: int) -> BoardMember | None:
        for m in (*self.unassigned, *(m for q in self.squads for m in q.members)):
            if m.id == member_id:
                return m
        return None


def holding(entry: MemberSkill, on: date) -> SkillHolding:
    return SkillHolding(entry.skill_id, entry.skill.code, skill_name(entry.skill), entry.certificate_no,
                        entry.issued_on, entry.expires_on, certificate_state(entry.expires_on, on))


def member_detail(s: Session, member: Member, on: date) -> MemberDetail:
    return MemberDetail(
        member.id, member.row_version, member.branch_id, member.squad_id, member.name, member.post, member.rank,
        member.phone, member.mobile, member.email, member.status, member.volunteer_date, member.fitness_date,
        member.training_date, member.notes,
        tuple(holding(e, on) for e in member.skills),
        tuple(UnavailabilityRow(u.id, u.kind, u.starts_on, u.ends_on, u.note, u.row_version)
              for u in member.unavailability),
    )


def skill_rows(s: Session) -> list[SkillRow]:
    holders = dict(s.execute(select(MemberSkill.skill_id, func.count()).group_by(MemberSkill.skill_id)).all())
    return [SkillRow(k.id, k.code, k.name_zh, k.name_en, k.certificate_required, holders.get(k.id, 0), k.row_version)
            for k in s.scalars(select(Skill).order_by(Skill.id))]


def _branch_minimums(s: Session, team_id: int) -> dict[int, tuple[int, int]]:
    """branch id -> (minimum, the minimum's row version)."""
    rows = s.execute(select(TeamBranchMinimum.branch_id, TeamBranchMinimum.min_strength,
                            TeamBranchMinimum.row_version).where(TeamBranchMinimum.team_id == team_id))
    return {b: (n, v) for b, n, v in rows}


def team_overview(s: Session, team: ResponseTeam, on: date) -> TeamOverview:
    """The team on day `on`; members who have left are not shown, and only active members count."""
    branches = s.scalars(select(Branch).where(Branch.port_id == team.port_id).order_by(Branch.id)).all()
    members = s.scalars(
        select(Member).where(Member.branch_id.in_([b.id for b in branches]), Member.status != MemberStatus.LEFT)
        .options(selectinload(Member.skills).selectinload(MemberSkill.skill)).order_by(Member.name, Member.id)
    ).all()
    agency = {b.id: b.agency for b in branches}
    board: list[BoardMember] = []
    for m in members:
        held = [holding(e, on) for e in m.skills]
        board.append(BoardMember(
            m.id, m.name, m.branch_id, agency[m.branch_id], m.status, m.squad_id,
            tuple(h.name for h in held if skill_valid_on(h.expires_on, on, h.issued_on)),
            tuple(h for h in held if h.state is not CertificateState.VALID), m.row_version,
        ))
    names = {m.id: m.name for m in members}
    squads = tuple(
        SquadStrength(
            q.id, q.kind, q.name, q.leader_id, names.get(q.leader_id, "") if q.leader_id else "", q.min_strength,
            sum(1 for m in board if m.squad_id == q.id and m.active),
            tuple(m for m in board if m.squad_id == q.id), q.row_version,
        )
        for q in team.squads
    )
    squad_ids = {q.id for q in squads}
    minimums = _branch_minimums(s, team.id)
    return TeamOverview(
        team.id, team.name, on, squads,
        tuple(m for m in board if m.squad_id not in squad_ids),
        tuple(BranchStrength(b.id, b.agency, b.name_zh, sum(1 for m in board if m.branch_id == b.id and m.active),
                             minimums.get(b.id, (0, 0))[0],
                             minimums[b.id][1] if b.id in minimums else None) for b in branches),
    )
