"""What a real incident has beyond a drill run: tasks given beyond the plan, and its situation reports.

A task is given to a branch (and a person) with a due time; its status moves open → in progress → done (or
cancelled). A report (初报 initial, 续报 follow-up, 终报 final) is drafted from the log and the incident's state,
edited, then issued: it gets the incident's next report number, its content hash goes into the incident's
hash-chained log, and it is frozen (services/incident_rules.py refuses any change to an issued report,
whoever writes).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import ActionStatus, Agency, IncidentReportStatus, ReportKind


class IncidentTask(Versioned, CreatedAt, Base):
    __tablename__ = "incident_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"), index=True)
    agency: Mapped[Agency] = enum_column(Agency)
    assignee: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class IncidentReport(Versioned, CreatedAt, Base):
    __tablename__ = "incident_report"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[ReportKind] = enum_column(ReportKind)
    status: Mapped[IncidentReportStatus] = enum_column(IncidentReportStatus, default=IncidentReportStatus.DRAFT)
    #: the incident's report number (1, 2, 3 ... over all its reports), given when it is issued
    number: Mapped[int | None] = mapped_column(Integer)
    occurred: Mapped[str] = mapped_column(Text, default="")  # time of the incident, as reported
    place: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str] = mapped_column(Text, default="")
    casualties: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    #: SHA-256 of the issued content (hashchain.canonical of the fields), also written into the incident's log
    content_hash: Mapped[str] = mapped_column(String(64), default="")
