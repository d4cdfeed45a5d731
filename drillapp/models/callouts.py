"""Call-out (muster) tests: the team is called, each member's acknowledgement and arrival are timed.

A call-out test may be part of a live drill (`drill_run_id`); it stands alone otherwise. Each called member
has one response row; at the end of the test everyone who has not arrived is a no-show.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import CalloutStatus


class CalloutTest(Versioned, CreatedAt, Base):
    __tablename__ = "callout_test"
    __table_args__ = (CheckConstraint("required_strength >= 1", name="required_strength_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    drill_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("drill_run.id", ondelete="SET NULL"), index=True, nullable=True
    )
    #: a call-out for a real incident (issue 11): its start, arrivals and end go into the incident's log
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incident.id", ondelete="SET NULL"), index=True, nullable=True
    )
    status: Mapped[CalloutStatus] = enum_column(CalloutStatus, default=CalloutStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    announced: Mapped[bool] = mapped_column(Boolean, default=False)
    required_strength: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    responses: Mapped[list[CalloutResponse]] = relationship(
        back_populates="test", cascade="all, delete-orphan", order_by="CalloutResponse.id"
    )


class CalloutResponse(Versioned, Base):
    """One called member: when they acknowledged the call, when they arrived, or that they did not come."""

    __tablename__ = "callout_response"
    __table_args__ = (UniqueConstraint("test_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("callout_test.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime)
    no_show: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    test: Mapped[CalloutTest] = relationship(back_populates="responses")
