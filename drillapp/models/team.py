"""The anti-terror rapid-response team: members, skills with expiry, squads, unavailability."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import MemberStatus, SquadKind, UnavailabilityKind


class Skill(Versioned, Base):
    """A skill or certificate the roster may require (first aid, Russian, ...); the list is editable."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    certificate_required: Mapped[bool] = mapped_column(Boolean, default=False)


class ResponseTeam(Versioned, Base):
    """The joint mobile team of one port (应急反恐机动队伍)."""

    __tablename__ = "response_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    squads: Mapped[list[Squad]] = relationship(back_populates="team", order_by="Squad.id")


class Squad(Versioned, Base):
    __tablename__ = "squad"
    __table_args__ = (UniqueConstraint("team_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("response_team.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SquadKind] = enum_column(SquadKind)
    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    min_strength: Mapped[int] = mapped_column(Integer, default=0)

    team: Mapped[ResponseTeam] = relationship(back_populates="squads")


class TeamBranchMinimum(Versioned, Base):
    """The team's minimum strength from one branch (agency), shown with the gaps in the team view."""

    __tablename__ = "team_branch_minimum"
    __table_args__ = (
        UniqueConstraint("team_id", "branch_id"),
        CheckConstraint("min_strength >= 0", name="min_strength_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("response_team.id", ondelete="CASCADE"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id", ondelete="CASCADE"), index=True)
    min_strength: Mapped[int] = mapped_column(Integer, default=0)


class Member(Versioned, CreatedAt, Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id", ondelete="RESTRICT"), index=True)
    squad_id: Mapped[int | None] = mapped_column(ForeignKey("squad.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    post: Mapped[str] = mapped_column(String(100), default="")
    rank: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    mobile: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MemberStatus] = enum_column(MemberStatus, default=MemberStatus.ACTIVE)
    volunteer_date: Mapped[date | None] = mapped_column(Date)
    fitness_date: Mapped[date | None] = mapped_column(Date)
    training_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the member's own log-in, so reminders and "my drills" reach the person (one account, one member)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), unique=True)

    skills: Mapped[list[MemberSkill]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="MemberSkill.id"
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Unavailability.starts_on"
    )


class MemberSkill(Versioned, Base):
    __tablename__ = "member_skill"
    __table_args__ = (UniqueConstraint("member_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="RESTRICT"), index=True)
    certificate_no: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)

    member: Mapped[Member] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


class Unavailability(Versioned, Base):
    __tablename__ = "unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[UnavailabilityKind] = enum_column(UnavailabilityKind)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")

    member: Mapped[Member] = relationship(back_populates="unavailability")
