"""Joint contingency plans as structured data: a plan, its versions, and each version's parts.

An approved version is never edited: a revision is a new PlanVersion; the old one stays readable.

Sections, actions, contacts and resources carry a `lineage` key: the same text in another version of the
plan ("the same action" in version 2 and 3) has the same lineage, so later records (a review's findings,
the coverage matrix, the compare view) can point at it across revisions. It is unique within a version.
Response levels and matrix cells need none: their level number, and their task and agency, are already
unique within a version and mean the same in every version.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Scenario,
    SectionKind,
)


def new_lineage() -> str:
    """A fresh lineage key (a random UUID, as text: plan files carry it too)."""
    return str(uuid.uuid4())


def _lineage() -> Mapped[str]:
    return mapped_column(String(36), default=new_lineage)


class ContingencyPlan(Versioned, CreatedAt, Base):
    """A plan of one port; its code is unique within the port (two ports may both have "DG-01")."""

    __tablename__ = "contingency_plan"
    __table_args__ = (UniqueConstraint("port_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    scenario: Mapped[Scenario] = enum_column(Scenario)
    owner_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"))
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    #: how often each of its response levels must be exercised by each branch (12 months; 6 or 36 by choice)
    exercise_interval_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.number"
    )


class PlanVersion(Versioned, CreatedAt, Base):
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("contingency_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = enum_column(PlanStatus, default=PlanStatus.DRAFT, index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    effective_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    change_note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[ContingencyPlan] = relationship(back_populates="versions")
    sections: Mapped[list[PlanSection]] = relationship(
        cascade="all, delete-orphan", order_by="PlanSection.position"
    )
    levels: Mapped[list[ResponseLevel]] = relationship(cascade="all, delete-orphan", order_by="ResponseLevel.level")
    actions: Mapped[list[PlanAction]] = relationship(cascade="all, delete-orphan", order_by="PlanAction.position")
    matrix: Mapped[list[ResponsibilityEntry]] = relationship(cascade="all, delete-orphan")
    contacts: Mapped[list[PlanContact]] = relationship(cascade="all, delete-orphan", order_by="PlanContact.position")
    resources: Mapped[list[PlanResource]] = relationship(
        cascade="all, delete-orphan", order_by="PlanResource.position"
    )


class PlanSection(Versioned, Base):
    """A section of the plan text; `parent_id` makes the section tree."""

    __tablename__ = "plan_section"
    __table_args__ = (UniqueConstraint("version_id", "lineage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    lineage: Mapped[str] = _lineage()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_section.id", ondelete="CASCADE"))
    kind: Mapped[SectionKind] = enum_column(SectionKind)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")


class ResponseLevel(Versioned, Base):
    """Level I (red) to IV (blue) and what triggers it."""

    __tablename__ = "response_level"
    __table_args__ = (UniqueConstraint("version_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    colour: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(Text, default="")


class PlanAction(Versioned, Base):
    """One agency's action at a response level and phase, with its target time from activation."""

    __tablename__ = "plan_action"
    __table_args__ = (UniqueConstraint("version_id", "lineage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    lineage: Mapped[str] = _lineage()
    agency: Mapped[Agency] = enum_column(Agency)
    level: Mapped[int | None] = mapped_column(Integer)  # None: at every level
    phase: Mapped[ResponsePhase] = enum_column(ResponsePhase)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    responsible_post: Mapped[str] = mapped_column(String(200), default="")
    target_minutes: Mapped[int | None] = mapped_column(Integer)
    report_due: Mapped[ReportKind | None] = enum_column(ReportKind, nullable=True)


class ResponsibilityEntry(Versioned, Base):
    """One cell of the responsibility matrix: agency x task."""

    __tablename__ = "responsibility_entry"
    __table_args__ = (UniqueConstraint("version_id", "task", "agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(300))
    agency: Mapped[Agency] = enum_column(Agency)
    role: Mapped[MatrixRole] = enum_column(MatrixRole)


class PlanContact(Versioned, Base):
    __tablename__ = "plan_contact"
    __table_args__ = (UniqueConstraint("version_id", "lineage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    lineage: Mapped[str] = _lineage()
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    post: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    mobile: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class PlanResource(Versioned, Base):
    __tablename__ = "plan_resource"
    __table_args__ = (UniqueConstraint("version_id", "lineage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    lineage: Mapped[str] = _lineage()
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(300), default="")
    custodian: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
