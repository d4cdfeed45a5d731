"""What changed since I last looked: the audit trail as a change feed, so several workstations on one
database see each other's changes within seconds (polling works the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from drillapp.models import AuditEntry
from drillapp.services.context import ServiceBase


class ChangeFeed(ServiceBase):
    def last_id(self) -> int:
        with self.read() as s:
            return s.scalar(select(func.max(AuditEntry.id))) or 0

    def since(self, after_id: int) -> tuple[int, frozenset[str]]:
        """(the newest entry's id, the kinds of record changed after `after_id`)."""
        with self.read() as s:
            newest = s.scalar(select(func.max(AuditEntry.id))) or 0
            if newest <= after_id:
                return after_id, frozenset()
            entities = s.scalars(
                select(AuditEntry.entity).where(AuditEntry.id > after_id, AuditEntry.id <= newest).distinct()
            )
            return newest, frozenset(entities)
