"""The rules every database session obeys, installed where the session factory is made (Database.open).

They used to be registered on SQLAlchemy's `Session` class by whichever module happened to be imported, so
a process that never imported services/plans.py could change an approved plan version. Now the factory is
born with them:

- the audit trail: every flush of a write session records what it changed (services/audit.py), and a flush
  outside a service operation is refused;
- approved plan versions are frozen: an approved (or superseded, retired) version and everything in it is
  read-only, whoever writes;
- signed-off reviews are frozen, and so is the record of the run they review (review_rules.py);
- issued situation reports of an incident are frozen (incident_rules.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from drillapp.i18n import _
from drillapp.models import PlanVersion
from drillapp.models.enums import PlanStatus
from drillapp.services import audit, incident_rules, review_rules
from drillapp.services.errors import DomainError

FROZEN = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.RETIRED)
_INSTALLED = "_drillapp_session_rules"


def install(factory: sessionmaker[Session]) -> None:
    """Attach the rules to a session factory (once)."""
    if getattr(factory, _INSTALLED, False):
        return
    event.listen(factory, "before_flush", audit.refuse_unaudited)
    event.listen(factory, "before_flush", approved_versions_are_frozen)
    event.listen(factory, "before_flush", review_rules.signed_off_reviews_are_frozen)
    event.listen(factory, "before_flush", incident_rules.issued_reports_are_frozen)
    event.listen(factory, "after_flush", audit.record)
    setattr(factory, _INSTALLED, True)


def installed(factory: sessionmaker[Session]) -> bool:
    return bool(getattr(factory, _INSTALLED, False))


def _owning_version(session: Session, obj: Any) -> PlanVersion | None:
    if isinstance(obj, PlanVersion):
        return obj
    version_id = getattr(obj, "version_id", None)
    return session.get(PlanVersion, version_id) if version_id is not None else None


def approved_versions_are_frozen(session: Session, _ctx: Any, _instances: Any) -> None:
    """An approved (or superseded, retired) version and everything in it is read-only, whoever writes."""
    for obj in list(session.dirty) + list(session.deleted) + list(session.new):
        if not hasattr(obj, "version_id") and not isinstance(obj, PlanVersion):
            continue
        if isinstance(obj, PlanVersion):
            if obj in session.new or not session.is_modified(obj, include_collections=False):
                continue
            history = inspect(obj).attrs.status.history
            old_status = history.deleted[0] if history.deleted else obj.status
            if old_status in FROZEN and not _closing_transition(obj, old_status):
                raise DomainError(_("An approved plan version cannot be changed; start a new revision instead."))
            continue
        version = _owning_version(session, obj)
        if version is not None and version.status in FROZEN and version not in session.new:
            raise DomainError(_("An approved plan version cannot be changed; start a new revision instead."))


#: The only changes a frozen version allows: being superseded by a newer approval, or retired.
CLOSING = {
    PlanStatus.APPROVED: {PlanStatus.SUPERSEDED, PlanStatus.RETIRED},
    PlanStatus.SUPERSEDED: {PlanStatus.RETIRED},
}


def _closing_transition(version: PlanVersion, old_status: PlanStatus) -> bool:
    state = inspect(version)
    changed = {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}
    if not changed <= {"status", "row_version"}:
        return False
    return version.status == old_status or version.status in CLOSING.get(old_status, set())
