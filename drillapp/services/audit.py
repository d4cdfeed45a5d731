"""The audit trail, written by a flush hook so no write can forget it (installed on every session factory by
drillapp.services.session_rules).

Every flush of a session opened by `ServiceBase.write` records one AuditEntry per inserted, updated
or deleted row: who, when, the operation's name, the entity and id, and the values before and after.
A flush in any other session is refused: all writes go through a named service operation.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from drillapp.models.audit import AuditEntry, AuditSeal

_INFO_KEY = "drillapp.audit"
_READ_ONLY = "drillapp.read_only"
_TOUCHED = "drillapp.touched"
_WRITTEN = "drillapp.audit_ids"
#: The trail itself and its seals (sealing must not make new entries to seal).
NOT_AUDITED = {AuditEntry.__tablename__, AuditSeal.__tablename__}
#: Columns whose values never go into the trail (the trail only says they changed).
SECRET_COLUMNS = {("app_user", "password_hash")}
SECRET = "(secret)"


def bind(session: Session, *, actor: Any, operation: str, now: datetime) -> None:
    session.info[_INFO_KEY] = {"actor": actor, "operation": operation, "now": now}
    session.info[_TOUCHED] = {}
    session.info[_WRITTEN] = []


def touched(session: Session) -> dict[str, set[int]]:
    """What this write session has changed so far: table name -> ids (no ids: some rows, e.g. a bulk note)."""
    return session.info.get(_TOUCHED, {})


def written_ids(session: Session) -> list[int]:
    """The ids of the audit entries this write session has written so far."""
    return session.info.get(_WRITTEN, [])


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    ids = session.connection().execute(insert(AuditEntry).returning(AuditEntry.id), rows).scalars().all()
    session.info.setdefault(_WRITTEN, []).extend(ids)
    seen = session.info.setdefault(_TOUCHED, {})
    for row in rows:
        ids = seen.setdefault(row["entity"], set())
        if row["entity_id"] is not None:
            ids.add(row["entity_id"])


def act_as(session: Session, actor: Any) -> None:
    """From here on, this write session's entries are by `actor`: the app's own work done for one account
    (a log-in attempt, run as the system actor before anyone is logged in) goes under that account."""
    session.info[_INFO_KEY]["actor"] = actor


def bind_read_only(session: Session) -> None:
    session.info[_READ_ONLY] = True


def operation_time(session: Session) -> datetime:
    """The operation's 'now' (from the service's clock), so every row of one action agrees."""
    return session.info[_INFO_KEY]["now"]


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _dump(values: dict[str, Any], table: str = "") -> str | None:
    if not values:
        return None
    plain = {k: SECRET if (table, k) in SECRET_COLUMNS and v is not None else _plain(v) for k, v in values.items()}
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key == "row_version":
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = history.deleted[0] if history.deleted else None
            after[attr.key] = history.added[0] if history.added else None
    return before, after


def _entry(info: dict[str, Any], action: str, obj: Any, before: Any, after: Any) -> dict[str, Any]:
    actor = info["actor"]
    return {
        "at": info["now"],
        "user_id": actor.user_id,
        "username": actor.username,
        "operation": info["operation"],
        "action": action,
        "entity": obj.__tablename__,
        "entity_id": getattr(obj, "id", None),
        "before": before,
        "after": after,
    }


def refuse_unaudited(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(_READ_ONLY) or _INFO_KEY not in session.info:
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("database write outside a service operation (use ServiceBase.write)")


def record(session: Session, _ctx: Any) -> None:
    info = session.info.get(_INFO_KEY)
    if info is None:
        return
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if obj.__tablename__ not in NOT_AUDITED:
            rows.append(_entry(info, "insert", obj, None, _dump(_columns(obj), obj.__tablename__)))
    for obj in session.dirty:
        if obj.__tablename__ in NOT_AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if before or after:
            rows.append(_entry(info, "update", obj, _dump(before, obj.__tablename__), _dump(after, obj.__tablename__)))
    for obj in session.deleted:
        if obj.__tablename__ not in NOT_AUDITED:
            rows.append(_entry(info, "delete", obj, _dump(_columns(obj), obj.__tablename__), None))
    if rows:
        _insert(session, rows)


def inserted(session: Session, table: str, entity_id: int, values: dict[str, Any]) -> None:
    """The audit row of a row inserted with a Core statement (the flush hook sees only ORM objects), e.g.
    an insert-if-absent that a concurrent insert of the same key may have made unnecessary."""
    info = session.info[_INFO_KEY]
    row = _entry(info, "insert", _Table(table, entity_id), None, _dump(values, table))
    session.connection().execute(insert(AuditEntry), [row])


class _Table:
    """Stands in for a mapped object in `_entry`: a table name and a row id."""

    def __init__(self, table: str, entity_id: int) -> None:
        self.__tablename__ = table
        self.id = entity_id


def note(session: Session, entity: str, entity_id: int | None, text: str, *, link_user: bool = True) -> None:
    """An audit line for an operation that writes in bulk (imports, demo data), not row by row."""
    info = session.info[_INFO_KEY]
    actor = info["actor"]
    rows = [{
        "at": info["now"],
        "user_id": actor.user_id if link_user else None,
        "username": actor.username,
        "operation": info["operation"],
        "action": "note",
        "entity": entity,
        "entity_id": entity_id,
        "before": None,
        "after": json.dumps({"note": text}, ensure_ascii=False),
    }]
    _insert(session, rows)
