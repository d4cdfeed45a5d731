"""On-call roster of the rapid-response team: roster periods with their rules, the shifts and who is on
each, members' wishes, and swaps between members after publication.

A period's `rules` (JSON) holds the requirements the roster service turns into a roster problem (see
drillapp.services.roster_problem). Shifts made outside any period (older data, the demo) have no period.
"""

from __future__ import annotations

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
from drillapp.models.enums import RosterStatus, ShiftKind, ShiftPattern, SwapStatus


class RosterPeriod(Versioned, CreatedAt, Base):
    __tablename__ = "roster_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    pattern: Mapped[ShiftPattern] = enum_column(ShiftPattern)
    status: Mapped[RosterStatus] = enum_column(RosterStatus, default=RosterStatus.DRAFT)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    objective: Mapped[int | None] = mapped_column(Integer)
    bound: Mapped[int | None] = mapped_column(Integer)
    solver_status: Mapped[str] = mapped_column(String(32), default="")
    solved_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    shifts: Mapped[list[OnCallShift]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="OnCallShift.starts_at"
    )


class OnCallShift(Versioned, Base):
    __tablename__ = "on_call_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("roster_period.id", ondelete="CASCADE"), index=True, nullable=True
    )
    kind: Mapped[ShiftKind] = enum_column(ShiftKind)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)

    assignments: Mapped[list[ShiftAssignment]] = relationship(cascade="all, delete-orphan")
    period: Mapped[RosterPeriod | None] = relationship(back_populates="shifts")


class ShiftAssignment(Versioned, Base):
    __tablename__ = "shift_assignment"
    __table_args__ = (UniqueConstraint("shift_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("on_call_shift.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    duty: Mapped[str] = mapped_column(String(100), default="")
    # a hand edit after solving (kept, shown flagged in the grid)
    manual: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RosterPreference(Versioned, Base):
    """A member's wish for one day: on duty (`wants_on`) or free; `shift` None means any shift that day."""

    __tablename__ = "roster_preference"
    __table_args__ = (UniqueConstraint("period_id", "member_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("roster_period.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    shift: Mapped[ShiftKind | None] = enum_column(ShiftKind, nullable=True)
    wants_on: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(String(500), default="")


class ShiftSwap(Versioned, Base):
    """Member A hands shift A to member B, who hands shift B to A in return (or takes A's shift outright
    when `shift_b_id` is None). Takes effect on approval."""

    __tablename__ = "shift_swap"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("roster_period.id", ondelete="CASCADE"), index=True)
    shift_a_id: Mapped[int] = mapped_column(ForeignKey("on_call_shift.id", ondelete="CASCADE"), index=True)
    member_a_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    shift_b_id: Mapped[int | None] = mapped_column(ForeignKey("on_call_shift.id", ondelete="CASCADE"), nullable=True)
    member_b_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    status: Mapped[SwapStatus] = enum_column(SwapStatus, default=SwapStatus.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
