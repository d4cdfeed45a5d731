"""What happens when a plan runs: a drill run or a real incident, its live checklist and its log.

A checklist entry, a checklist event and a log entry belong to exactly one of a drill run or an incident.

The record of a run is append-only and hash-chained (services/run_chain.py): its log entries and its checklist
events (each tick, reopen or note on an item) carry `seq`, their place in the run's chain, and `chain_hash`,
SHA-256 over their canonical content and the previous link. The database refuses UPDATE and DELETE on both
tables (triggers, drillapp/audit_guard.py). A checklist entry's `state`, `done_at` and `note` are a convenience
kept up to date from its events; the events are the record. The owner (run or incident) keeps the chain's
head (`chain_seq`, `chain_head`): the row every chained write locks first, so two desks ticking the same run
take turns for a moment instead of forking the chain.

Two times: `recorded_at` is when the desk wrote it; `at` (log) and `happened_at` / `done_at` (checklist) are
when it happened, earlier when it was back-timed from a paper checklist or a phoned-in report. Measurements
use the time it happened.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from drillapp.clock import utcnow
from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import (
    Agency,
    EventAction,
    IncidentStatus,
    InjectStatus,
    ItemState,
    LogKind,
    MarkStatus,
    ReportKind,
    ResponsePhase,
    RunStatus,
)

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
    #: started from a plan and level without a drill in the programme (services/runs.py start_unplanned)
    unplanned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the chain's head: how many records it has and the newest link ("" before the first)
    chain_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chain_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: tabletop: the MSEL line on screen (0-based, None before the first) and how far scenario time was moved on
    tabletop_step: Mapped[int | None] = mapped_column(Integer)
    scenario_jump_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Incident(Versioned, CreatedAt, Base):
    """A real incident: a plan (or the generic checklist) run for real, numbered per port and year (QH-2026-007).

    `alarm_at` is when the alarm was given (targets and report deadlines count from it; it may be before
    `opened_at`, when the desk activated the plan)."""

    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("port_id", "year", "serial"),)

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
    chain_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chain_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: the port's number of the incident: "{port code}-{year}-{serial:03d}", the year of the alarm in port time
    number: Mapped[str] = mapped_column(String(48), default="", server_default="")
    year: Mapped[int | None] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer)
    alarm_at: Mapped[datetime | None] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class ChecklistEntry(Versioned, Base):
    """A plan action made live: ticked by someone at a time, measured against its target.

    `done_at` is when it happened (back-timed or not), `recorded_at` when it was ticked at the desk; both are
    None while the item is open."""

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
    #: the plan action's phase and level (None: every level), kept so the checklist sorts and groups alone
    phase: Mapped[ResponsePhase | None] = enum_column(ResponsePhase, nullable=True)
    action_level: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[ItemState] = enum_column(ItemState, default=ItemState.OPEN, server_default=ItemState.OPEN.value)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    #: why it was skipped
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: an incident's item gained at an escalation counts its target from then (None: from the start, the alarm)
    counted_from: Mapped[datetime | None] = mapped_column(DateTime)


class ChecklistEvent(Base):
    """One thing done to a checklist item, in the run's chain. Append-only: never edited, never deleted.

    No foreign key here changes when its target goes (no SET NULL): the database would have to update the row.
    """

    __tablename__ = "checklist_event"
    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        UniqueConstraint("drill_run_id", "seq"),
        UniqueConstraint("incident_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int | None] = mapped_column(ForeignKey("drill_run.id", ondelete="RESTRICT"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("checklist_entry.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[EventAction] = enum_column(EventAction)
    happened_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(Integer)  # the user's id as it was (no link: see above)
    author_name: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text, default="")  # the note, or the reason for skipping
    chain_hash: Mapped[str] = mapped_column(String(64))


class LogEntry(CreatedAt, Base):
    """One timestamped line of a drill or incident log. Append-only: never edited, never deleted; a correction
    is a new line pointing at the one it corrects (`corrects_id`)."""

    __tablename__ = "log_entry"
    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        Index("ix_log_entry_run_at", "drill_run_id", "at"),
        Index("ix_log_entry_incident_at", "incident_id", "at"),
        UniqueConstraint("drill_run_id", "seq"),
        UniqueConstraint("incident_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int | None] = mapped_column(ForeignKey("drill_run.id", ondelete="RESTRICT"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    kind: Mapped[LogKind] = enum_column(LogKind, default=LogKind.NOTE)
    text: Mapped[str] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("log_entry.id", ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    chain_hash: Mapped[str] = mapped_column(String(64))


class RunInject(Versioned, Base):
    """What the controller did with one inject of the MSEL in one run: delivered, delayed (due again later) or
    skipped. The inject's words are kept, so the record stands if the MSEL is edited afterwards."""

    __tablename__ = "run_inject"
    __table_args__ = (UniqueConstraint("drill_run_id", "inject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int] = mapped_column(ForeignKey("drill_run.id", ondelete="CASCADE"), index=True)
    inject_id: Mapped[int | None] = mapped_column(ForeignKey("inject.id", ondelete="SET NULL"))
    status: Mapped[InjectStatus] = enum_column(InjectStatus)
    #: minutes of drill time at which it is due now (the MSEL's offset, moved on by each delay)
    due_minutes: Mapped[int] = mapped_column(Integer)
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class TabletopMark(Versioned, Base):
    """A tabletop's record of one expected action at one MSEL line: discussed, adequate or a gap, with a note
    (the evaluator's record; gaps become draft findings of the review)."""

    __tablename__ = "tabletop_mark"
    __table_args__ = (UniqueConstraint("drill_run_id", "step", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_run_id: Mapped[int] = mapped_column(ForeignKey("drill_run.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)  # the MSEL line (0-based, in MSEL order)
    inject_id: Mapped[int | None] = mapped_column(ForeignKey("inject.id", ondelete="SET NULL"))
    #: which expected action: "item:<checklist entry id>" (from the plan) or "inject:<inject id>" (its expected action)
    item_key: Mapped[str] = mapped_column(String(64))
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[MarkStatus] = enum_column(MarkStatus)
    note: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
