"""General reminders: what, when, for whom; shown once, then done or dismissed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import ReminderKind, ReminderStatus, Role


class Reminder(Versioned, CreatedAt, Base):
    """`fired_at` is set exactly once, by an atomic claim, when the reminder is shown.

    `dedupe_key` stops the generator from creating the same reminder twice
    (e.g. "plan_review:12:2027-03-01").
    """

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = enum_column(ReminderKind)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role | None] = enum_column(Role, nullable=True)
    entity: Mapped[str] = mapped_column(String(64), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[ReminderStatus] = enum_column(ReminderStatus, default=ReminderStatus.PENDING, index=True)
    fired_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
