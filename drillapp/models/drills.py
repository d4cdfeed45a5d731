"""Drills as designed exercises: kind and scope, plan and level, objectives tied to the plan's actions,
participants in their roles, schedule (single drills and the occurrences of a recurring series, with the
history of moves), the scenario script (MSEL), and the port calendar the programme and the roster share.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import (
    CalendarEntryKind,
    DrillKind,
    DrillScope,
    DrillStatus,
    InjectDelivery,
    ParticipantRole,
    ScheduleChangeKind,
)


def new_uid() -> str:
    """A calendar identity for a new drill or series (random, never reused)."""
    return uuid.uuid4().hex


class DrillSeries(Versioned, CreatedAt, Base):
    """A recurring drill (RFC 5545 RRULE from DTSTART, in the port's local time). Each occurrence is its own
    Drill row; `skipped` lists the occurrences (local ISO starts) left out when the series was made (they
    fell in a blocked period): the iCalendar export writes them as EXDATEs."""

    __tablename__ = "drill_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_uid())
    rrule: Mapped[str] = mapped_column(Text)
    dtstart_local: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[DrillKind] = enum_column(DrillKind)
    scope: Mapped[DrillScope] = enum_column(DrillScope, default=DrillScope.SINGLE)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plan.id", ondelete="SET NULL"))
    level: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(300), default="")
    scenario_text: Mapped[str] = mapped_column(Text, default="")
    safety_notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    skipped: Mapped[list[Any]] = mapped_column(JSON, default=list)


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
    #: stable identity for calendars (iCalendar UID drill-<uid>@drillapp): a re-export updates the event
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_uid())
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("drill_series.id", ondelete="SET NULL"), index=True)
    #: the occurrence's start as the series made it (naive UTC): its RECURRENCE-ID
    occurrence_start: Mapped[datetime | None] = mapped_column(DateTime)
    #: moved, cancelled or edited by hand: editing the series leaves it alone
    detached: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    objectives: Mapped[list[DrillObjective]] = relationship(
        cascade="all, delete-orphan", order_by="DrillObjective.position"
    )
    participants: Mapped[list[DrillParticipant]] = relationship(cascade="all, delete-orphan",
                                                                 order_by="DrillParticipant.id")
    injects: Mapped[list[Inject]] = relationship(cascade="all, delete-orphan",
                                                 order_by="[Inject.offset_minutes, Inject.number]")


class DrillObjective(Versioned, Base):
    __tablename__ = "drill_objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    actions: Mapped[list[DrillObjectiveAction]] = relationship(cascade="all, delete-orphan",
                                                               order_by="DrillObjectiveAction.id")


class DrillObjectiveAction(Versioned, Base):
    """An objective measured by one of the plan's actions (of the version in force when it was linked; a
    plan action lineage across revisions would let the link follow the plan: see the issue's note)."""

    __tablename__ = "drill_objective_action"
    __table_args__ = (UniqueConstraint("objective_id", "plan_action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("drill_objective.id", ondelete="CASCADE"), index=True)
    plan_action_id: Mapped[int] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)


class DrillParticipant(Versioned, Base):
    """A member, or a whole branch, taking part in a drill in a role."""

    __tablename__ = "drill_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"))
    role: Mapped[ParticipantRole] = enum_column(ParticipantRole, default=ParticipantRole.PLAYER)


class Inject(Versioned, Base):
    """One line of the Master Scenario Events List: number N at minute M, from X to Y, by phone, this message."""

    __tablename__ = "inject"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    offset_minutes: Mapped[int] = mapped_column(Integer)
    scenario_time: Mapped[str] = mapped_column(String(100), default="", server_default="")
    sender: Mapped[str] = mapped_column(String(200), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    delivery: Mapped[InjectDelivery | None] = enum_column(InjectDelivery, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    expected_action: Mapped[str] = mapped_column(Text, default="")
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("drill_objective.id", ondelete="SET NULL"))


class DrillScheduleChange(Base):
    """The history of a drill's date: each move, postponement or cancellation, with why, who and when.
    Append-only, like a log: the drill's record must show where it was first planned."""

    __tablename__ = "drill_schedule_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ScheduleChangeKind] = enum_column(ScheduleChangeKind)
    old_start: Mapped[datetime] = mapped_column(DateTime)
    new_start: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime)


class PortCalendarEntry(Versioned, Base):
    """One public holiday or blocked period of a port, days `starts_on`..`ends_on` inclusive, in the port's
    calendar. The roster counts holidays with weekends; the programme places no drill in a blocked period."""

    __tablename__ = "port_calendar_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CalendarEntryKind] = enum_column(CalendarEntryKind)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)


class PortSetting(Versioned, Base):
    """Settings a port keeps in the database, so the command line and every desk agree."""

    __tablename__ = "port_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), unique=True)
    #: minutes before a drill's start at which its people are reminded (default 7 days, 1 day, 1 hour)
    drill_reminder_minutes: Mapped[list[Any]] = mapped_column(JSON, default=list)
