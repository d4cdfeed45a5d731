"""On-call shifts of the rapid-response team and who is on each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, Versioned, enum_column
from drillapp.models.enums import ShiftKind


class OnCallShift(Versioned, Base):
    __tablename__ = "on_call_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ShiftKind] = enum_column(ShiftKind)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)

    assignments: Mapped[list[ShiftAssignment]] = relationship(cascade="all, delete-orphan")


class ShiftAssignment(Versioned, Base):
    __tablename__ = "shift_assignment"
    __table_args__ = (UniqueConstraint("shift_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("on_call_shift.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    duty: Mapped[str] = mapped_column(String(100), default="")
