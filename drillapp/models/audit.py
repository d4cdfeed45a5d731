"""The audit trail: who did what, when, to which record, with the values before and after; and its seals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drillapp.models.base import Base


class AuditEntry(Base):
    """Append-only: written by the service layer's flush hook, never updated or deleted by the app."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))  # insert / update / delete / note
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class AuditSeal(Base):
    """One link of the audit trail's hash chain (services/audit_seal.py), append-only like the trail.

    `seq` is the position in the chain (1, 2, 3 ... with no gap), given by the sealer, not by a sequence:
    two sealers that start from the same head both try the same `seq` and the second is refused. Entries
    are sealed in the order the sealer first sees them committed, so `audit_id` need not rise with `seq`.
    No foreign key to audit_entry: a sealed entry that is gone is what verification reports.
    """

    __tablename__ = "audit_seal"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    audit_id: Mapped[int] = mapped_column(Integer, unique=True)
    chain_hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime)
