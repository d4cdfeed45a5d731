"""Small input checks shared by the operations; each raises ValidationError naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn, TypeVar

from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.services.errors import NotFoundError, ValidationError

T = TypeVar("T")


def text(value: str | None, field: str, label: str, *, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("{field} must not be empty.").format(field=label), field)
    if len(value) > max_len:
        raise ValidationError(
            _("{field} is too long ({length} characters; at most {limit}).").format(
                field=label, length=len(value), limit=max_len
            ),
            field,
        )
    return value


def long_text(value: str | None, field: str, label: str, *, required: bool = False) -> str:
    return text(value, field, label, max_len=100_000, required=required)


def level(value: int | None, field: str = "level") -> int | None:
    if value is None:
        return None
    if value not in (1, 2, 3, 4):
        raise ValidationError(_("The response level must be I, II, III or IV (1–4)."), field)
    return value


def minutes(value: int | None, field: str, label: str) -> int | None:
    if value is None:
        return None
    if value < 0 or value > 60 * 24 * 30:
        raise ValidationError(_("{field} must be between 0 and 43200 minutes.").format(field=label), field)
    return value


def date_order(start: date | None, end: date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(_("The end date is before the start date."), field)


def get(session: Session, model: type[T], ident: Any, label: str) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(what=label, id=ident))
    return obj


def expect_version(obj: Any, expected: int) -> None:
    """Optimistic locking for edits made on a record read earlier: refuse if it changed since, saying
    who changed it and when (from the audit trail). The version is required (services/versioning.py):
    passing None is a programming error, not "no check"."""
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise TypeError(f"expected_version must be the row version the user saw, not {expected!r}")
    if obj.row_version == expected:
        return
    _conflict(obj)


def expect_version_or_absent(obj: Any | None, expected: int | None) -> None:
    """For a value that may not exist yet (a member's skill, a wish, a rating): `None` says the user saw
    none, and is refused if one was added since; an int is checked as `expect_version` does."""
    if obj is None:
        if expected is not None:
            raise NotFoundError(_("The record you opened has been removed meanwhile. Reload and make your change "
                                  "again; nothing was saved."))
        return
    if expected is None:
        _conflict(obj)
    expect_version(obj, expected)


def _conflict(obj: Any) -> NoReturn:
    from sqlalchemy import inspect, select

    from drillapp.clock import to_local
    from drillapp.models import AuditEntry
    from drillapp.services.errors import ConflictError

    session = inspect(obj).session
    last = session.execute(
        select(AuditEntry.username, AuditEntry.at)
        .where(AuditEntry.entity == obj.__tablename__, AuditEntry.entity_id == obj.id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first() if session is not None else None
    if last is None:
        raise ConflictError(
            _("Someone else changed this record since you opened it. Reload it and make your change again.")
        )
    when = to_local(last.at).strftime("%H:%M")
    raise ConflictError(
        _("This record was changed by {user} at {time} since you opened it. Reload it (or compare) and make "
          "your change again; nothing was saved.").format(user=last.username, time=when),
        changed_by=last.username, changed_at=last.at,
    )
