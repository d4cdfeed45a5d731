"""Reading the audit trail back in tests: entries as plain dicts with before/after decoded."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from drillapp.db import Database
from drillapp.models import AuditEntry


def entries(db: Database, *, entity: str | None = None, entity_id: int | None = None,
            operation: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if operation is not None:
        query = query.where(AuditEntry.operation == operation)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with db.session() as s:
        return [
            {
                "at": e.at, "user_id": e.user_id, "username": e.username, "operation": e.operation,
                "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
                "before": json.loads(e.before) if e.before is not None else None,
                "after": json.loads(e.after) if e.after is not None else None,
            }
            for e in s.scalars(query)
        ]


def one(db: Database, **filters: Any) -> dict[str, Any]:
    found = entries(db, **filters)
    assert len(found) == 1, f"expected one audit entry for {filters}, found {found}"
    return found[0]
