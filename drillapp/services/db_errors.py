"""Database failures a user can act on, said in one line without the statement or its values.

SQLAlchemy's own message carries the SQL and its parameters (members' names and phones on a full disk),
fine for the log file but never for a screen or stderr. `user_error` turns such a failure into a
DomainError naming the cause in words (busy, read-only, full disk, no such database, refused log-in),
or returns None for what is a bug.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, OperationalError

from drillapp.i18n import _
from drillapp.services.errors import DomainError, ReadOnlyDatabaseError

log = logging.getLogger(__name__)

#: PostgreSQL's SQLSTATEs for "this session may not write" (read-only transaction, no privilege).
_PG_READ_ONLY = {"25006", "42501"}
#: PostgreSQL's SQLSTATE classes of connection and log-in failures (08: connection, 28: authorisation,
#: 3D: no such database), and of resources (53: disk full, out of memory).
_PG_CONNECT = ("08", "28", "3D")
_PG_RESOURCES = "53"


def first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (no SQL, no parameters)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return text.splitlines()[0].strip() if text else type(orig).__name__


def _sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def user_error(exc: BaseException) -> DomainError | None:
    """A DomainError for a database failure the user can act on; None for anything else (a bug)."""
    if not isinstance(exc, DBAPIError):
        return None
    reason = first_line(exc)
    lowered = reason.lower()
    state = _sqlstate(exc)
    if "readonly database" in lowered or "read-only" in lowered or state in _PG_READ_ONLY:
        return ReadOnlyDatabaseError(
            _("The database is read-only here, so nothing can be saved ({reason}).").format(reason=reason))
    if "locked" in lowered or "busy" in lowered:
        return DomainError(_("The database is busy (another workstation is writing). Try again in a moment."))
    if "disk is full" in lowered or "no space left" in lowered or state.startswith(_PG_RESOURCES):
        return DomainError(_("The disk holding the database is full: nothing was saved. Free some space and "
                             "try again."))
    if "file is not a database" in lowered or "not a database" in lowered:
        return DomainError(_("The file is not a drillapp database (or it is damaged): {reason}.").format(
            reason=reason))
    if "unable to open database file" in lowered:
        return DomainError(_("The database file cannot be opened: check that its folder exists and that you "
                             "may write there."))
    if exc.connection_invalidated or state.startswith(_PG_CONNECT) or isinstance(exc, OperationalError):
        return DomainError(_("The database could not be reached or refused the work: {reason}").format(
            reason=reason))
    return None


def log_details(exc: BaseException) -> None:
    """The whole failure (statement and values included) goes to the log file only."""
    log.warning("database failure", exc_info=(type(exc), exc, exc.__traceback__))
