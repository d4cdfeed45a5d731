"""What happens when a plan runs: a drill run or a real incident, its live checklist and its log.

A checklist entry and a log entry belong to exactly one of a drill run or an incident.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drillapp.clock import utcnow
from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import Agency, IncidentStatus, LogKind, ReportKind, RunStatus

_ONE_OWNER = "(drill_run_id IS NULL) <> (incident_id IS NULL)"


class DrillRun(Versioned, Base):
    __tablename__ = "drill_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="RESTRICT"), index=True)
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id", ondelete="SET NULL"))
    level: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[RunStatus] = enum_column(RunStatus, default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class Incident(Versioned, CreatedAt, Base):
    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plan.id", ondelete="SET NULL"))
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[IncidentStatus] = enum_column(IncidentStatus, default=IncidentStatus.ACTIVE, index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text, default="")


class ChecklistEntry(Versioned, Base):
    """A plan action made live: ticked by someone at a time, measured against its target."""

    __tablename__ = "checklist_entry"
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int | None] = mapped_column(ForeignKey("drill_run.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    plan_action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id", ondelete="SET NULL"))
    agency: Mapped[Agency] = enum_column(Agency)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    target_minutes: Mapped[int | None] = mapped_column(Integer)
    report_due: Mapped[ReportKind | None] = enum_column(ReportKind, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class LogEntry(CreatedAt, Base):
    """One timestamped line of a drill or incident log. Append-only: never edited, never deleted."""

    __tablename__ = "log_entry"
    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        Index("ix_log_entry_run_at", "drill_run_id", "at"),
        Index("ix_log_entry_incident_at", "incident_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int | None] = mapped_column(ForeignKey("drill_run.id", ondelete="RESTRICT"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    kind: Mapped[LogKind] = enum_column(LogKind, default=LogKind.NOTE)
    text: Mapped[str] = mapped_column(Text)
