"""After-action reviews (AAR/IP): objective ratings, findings and corrective actions to closure.

A review is of one finished drill run (or one incident). Its hot-wash notes, taken right after the drill, are
the review's (not the closed run log's) and each becomes a draft finding. Once the coordinator signs the review
off, it and its run's record are read-only (services/session_rules.py); an amendment is a new, dated entry
(`ReviewAmendment`), and the corrective actions, the improvement plan's living part, keep moving to closure.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    Capability,
    FindingKind,
    FindingSource,
    HotWashKind,
    Rating,
    ReviewStatus,
)


class AfterActionReview(Versioned, CreatedAt, Base):
    __tablename__ = "after_action_review"
    __table_args__ = (
        CheckConstraint("(drill_run_id IS NULL) <> (incident_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("port.id", ondelete="RESTRICT"), index=True)
    drill_run_id: Mapped[int | None] = mapped_column(ForeignKey("drill_run.id", ondelete="RESTRICT"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReviewStatus] = enum_column(ReviewStatus, default=ReviewStatus.DRAFT)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime)

    ratings: Mapped[list[ObjectiveRating]] = relationship(cascade="all, delete-orphan")
    findings: Mapped[list[Finding]] = relationship(cascade="all, delete-orphan", order_by="Finding.position")


class ObjectiveRating(Versioned, Base):
    """One objective rated P/S/M/U with the evaluator's observations (`note`)."""

    __tablename__ = "objective_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("drill_objective.id", ondelete="SET NULL"))
    #: the objective's words when it was rated (the drill's design may change later)
    objective_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    rating: Mapped[Rating] = enum_column(Rating)
    note: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime | None] = mapped_column(DateTime)


class Finding(Versioned, Base):
    """A strength or an area for improvement (with its root cause); an improvement may point at a part of a
    plan (a section, action, contact or resource) and at the plan revision that answers it."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FindingKind] = enum_column(FindingKind)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plan.id", ondelete="SET NULL"))
    #: a draft (from the hot wash or a tabletop gap) until an evaluator accepts it
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[FindingSource] = enum_column(FindingSource, default=FindingSource.EVALUATOR,
                                                server_default=FindingSource.EVALUATOR.value)
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    root_cause: Mapped[str] = mapped_column(Text, default="", server_default="")
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("drill_objective.id", ondelete="SET NULL"))
    plan_section_id: Mapped[int | None] = mapped_column(ForeignKey("plan_section.id", ondelete="SET NULL"))
    plan_action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id", ondelete="SET NULL"))
    plan_contact_id: Mapped[int | None] = mapped_column(ForeignKey("plan_contact.id", ondelete="SET NULL"))
    plan_resource_id: Mapped[int | None] = mapped_column(ForeignKey("plan_resource.id", ondelete="SET NULL"))
    #: the plan revision that answers this finding
    revision_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_version.id", ondelete="SET NULL"), index=True)

    actions: Mapped[list[CorrectiveAction]] = relationship(cascade="all, delete-orphan")


class CorrectiveAction(Versioned, CreatedAt, Base):
    """What will be done about an area for improvement, by whom and when, to closure (evidence, verified by)."""

    __tablename__ = "corrective_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    capability: Mapped[Capability | None] = enum_column(Capability, nullable=True)
    owner_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"), index=True)
    owner_name: Mapped[str] = mapped_column(String(100), default="")
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    evidence: Mapped[str] = mapped_column(Text, default="", server_default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: the plan revision linked to its finding is this action's remedy: approving it closes the action
    closes_with_revision: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class HotWashNote(Versioned, Base):
    """A quick note taken at the hot wash right after the drill, by branch; it becomes a draft finding."""

    __tablename__ = "hot_wash_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    agency: Mapped[Agency | None] = enum_column(Agency, nullable=True)
    kind: Mapped[HotWashKind] = enum_column(HotWashKind)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="SET NULL"))


class ReviewAmendment(Base):
    """A dated entry added to a review after its sign-off (the signed review itself never changes)."""

    __tablename__ = "review_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
