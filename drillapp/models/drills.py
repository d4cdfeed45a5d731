"""Drills as designed: type, plan, level, objectives, participants, schedule and injects (MSEL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import DrillKind, DrillScope, DrillStatus, ParticipantRole


class Drill(Versioned, CreatedAt, Base):
    __tablename__ = "drill"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plan.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[DrillKind] = enum_column(DrillKind)
    scope: Mapped[DrillScope] = enum_column(DrillScope, default=DrillScope.SINGLE)
    level: Mapped[int | None] = mapped_column(Integer)
    scheduled_start: Mapped[datetime] = mapped_column(DateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    location: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[DrillStatus] = enum_column(DrillStatus, default=DrillStatus.PLANNED, index=True)
    scenario_text: Mapped[str] = mapped_column(Text, default="")
    safety_notes: Mapped[str] = mapped_column(Text, default="")

    objectives: Mapped[list[DrillObjective]] = relationship(
        cascade="all, delete-orphan", order_by="DrillObjective.position"
    )
    participants: Mapped[list[DrillParticipant]] = relationship(cascade="all, delete-orphan")
    injects: Mapped[list[Inject]] = relationship(cascade="all, delete-orphan", order_by="Inject.offset_minutes")


class DrillObjective(Versioned, Base):
    __tablename__ = "drill_objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class DrillParticipant(Versioned, Base):
    """A member, or a whole branch, taking part in a drill in a role."""

    __tablename__ = "drill_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"))
    role: Mapped[ParticipantRole] = enum_column(ParticipantRole, default=ParticipantRole.PLAYER)


class Inject(Versioned, Base):
    """One line of the Master Scenario Events List: at minute N, from X to Y, this message."""

    __tablename__ = "inject"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    offset_minutes: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(200), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text)
    expected_action: Mapped[str] = mapped_column(Text, default="")
