"""After-action reviews (AAR/IP): objective ratings, findings and corrective actions to closure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillapp.models.base import Base, CreatedAt, Versioned, enum_column
from drillapp.models.enums import ActionStatus, FindingKind, Rating, ReviewStatus


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
    __tablename__ = "objective_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("drill_objective.id", ondelete="SET NULL"))
    rating: Mapped[Rating] = enum_column(Rating)
    note: Mapped[str] = mapped_column(Text, default="")


class Finding(Versioned, Base):
    """A strength or an area for improvement; an improvement may point at a plan to revise."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FindingKind] = enum_column(FindingKind)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plan.id", ondelete="SET NULL"))

    actions: Mapped[list[CorrectiveAction]] = relationship(cascade="all, delete-orphan")


class CorrectiveAction(Versioned, CreatedAt, Base):
    __tablename__ = "corrective_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id", ondelete="SET NULL"), index=True)
    owner_name: Mapped[str] = mapped_column(String(100), default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
