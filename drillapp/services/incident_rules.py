"""An issued situation report is frozen: never changed nor removed, whoever writes (installed with the session
factory, services/session_rules.py). Its words and number are evidence: a correction is a follow-up report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import IncidentReport
from drillapp.models.enums import IncidentReportStatus
from drillapp.services.errors import DomainError


def issued_reports_are_frozen(session: Session, _ctx: Any, _instances: Any) -> None:
    """An issued report is never changed nor removed, whoever writes (a rule every session obeys)."""
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, IncidentReport):
            continue
        history = inspect(obj).attrs.status.history
        was = history.deleted[0] if history.deleted else obj.status
        if was is IncidentReportStatus.ISSUED and (obj in session.deleted or session.is_modified(obj)):
            raise DomainError(_("Report {n} has been issued: it is frozen and cannot be changed.").format(
                n=obj.number))
