"""Who is acting, and the one place every write goes through.

`ServiceBase.write(operation)` opens one session and one transaction for one user action, checks the
actor's permission for the named operation, and lets the audit hook (drillapp.services.audit) record
every row the operation changes. Reads use `ServiceBase.read()`, which refuses to write.

The role an actor logged in with is only where the check starts: inside the write transaction the user's
current role and status are read again (one read of app_user by primary key), so an account made viewer
or deactivated by an administrator stops writing at once, not at its next log-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillapp.audit_labels import operation_label
from drillapp.clock import DEFAULT_ZONE, Clock, local_today, utcnow
from drillapp.db import Database
from drillapp.i18n import _
from drillapp.models import User
from drillapp.models.enums import Role
from drillapp.services import audit, change_feed, changes
from drillapp.services.changes import ChangeSet
from drillapp.services.db_errors import log_details, user_error
from drillapp.services.errors import (
    AccountDeactivatedError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
)
from drillapp.services.permissions import allowed, check_permission


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf an operation runs (plain data: safe to pass between threads)."""

    user_id: int | None
    username: str
    role: Role
    branch_id: int | None = None
    display_name: str = ""
    #: A user limited to one port works only there (None: any port, and "every port" for the lists).
    port_id: int | None = None


SYSTEM_ACTOR = Actor(None, "system", Role.ADMINISTRATOR, display_name="system")


@dataclass(frozen=True)
class PortScope:
    """The port a desk or a command works on (plain data). `id` None: every port, which lists and the
    dashboard allow (the city's coordinator); writes need one port. `zone` is the port's IANA time zone (for
    every port: the default port's)."""

    id: int | None
    code: str = ""
    name: str = ""
    zone: str = DEFAULT_ZONE

    @property
    def all_ports(self) -> bool:
        return self.id is None


#: No port chosen: lists and the dashboard show every port (the services' default, as in the tests).
ALL_PORTS = PortScope(None)


class ServiceBase:
    def __init__(self, db: Database, actor: Actor, clock: Clock = utcnow, scope: PortScope = ALL_PORTS) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.scope = scope

    @property
    def port_id(self) -> int | None:
        """The current port, or None for every port (lists and the dashboard filter by it)."""
        return self.scope.id

    def require_port(self, port_id: int | None = None) -> int:
        """The port a new record belongs to: the one given, else the current port; refused for "every port"."""
        chosen = port_id if port_id is not None else self.scope.id
        if chosen is None:
            raise DomainError(_("Choose a port first (the port selector in the status bar): new records belong "
                                "to one port."))
        return chosen

    def today(self) -> date:
        """The port's calendar date now."""
        return local_today(self.clock(), self.scope.zone)

    @contextmanager
    def write(self, operation: str, *, recheck_account: bool = True) -> Iterator[Session]:
        """One transaction for one operation: committed on success, rolled back on any error.

        `recheck_account=False` only for an operation whose database may not know the actor (the note a
        restore writes into the database it has just put in place, after checking on the old one).
        """
        check_permission(self.actor, operation)
        session = self.db.session_factory()
        audit.bind(session, actor=self.actor, operation=operation, now=self.clock())
        try:
            with session.begin():
                if recheck_account:
                    check_current_account(session, self.actor, operation)
                yield session
                session.flush()
                change_set = ChangeSet.of(ids=audit.touched(session), operation=operation)
                if change_set and not self.db.is_sqlite:
                    change_feed.announce(session, change_set)  # delivered at commit, in commit order
        except StaleDataError as exc:
            raise ConflictError(
                _("Someone else changed this record since you opened it. Reload it and make your change again.")
            ) from exc
        except IntegrityError as exc:
            raise DomainError(
                _("The change conflicts with existing data (a duplicate or a missing link). Nothing was saved.")
            ) from exc
        except DataError as exc:  # a value the database refuses (e.g. too long): a backstop for validation
            raise DomainError(
                _("A value is too long or not of the right kind for the database. Nothing was saved.")
            ) from exc
        except DBAPIError as exc:  # operational: busy, read-only, full disk, connection lost
            known = user_error(exc)
            if known is None:
                raise
            log_details(exc)
            raise known from exc
        finally:
            session.close()
        changes.committed(change_set)

    def check_access(self, operation: str) -> None:
        """A read that is permission-checked (the audit trail, a backup): the session's role and the
        account's current role and status, as for a write, without writing anything."""
        check_permission(self.actor, operation)
        with self.read() as s:
            check_current_account(s, self.actor, operation)

    def version_of(self, model: type[Any], ident: int) -> int:
        """The record's version now: what a command line (which shows nothing first) passes as the version
        it read, and what a screen shows beside a record it lists (services/versioning.py)."""
        with self.read() as s:
            row = s.get(model, ident)
            if row is None:
                raise NotFoundError(_("Record {id} does not exist (it may have been deleted).").format(id=ident))
            return int(row.row_version)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.session_factory() as session:
            audit.bind_read_only(session)
            recorder = changes.read_recorder()
            if recorder is not None:  # a screen wants to know which records it shows (ui/operations.py)
                event.listen(session, "do_orm_execute",
                             lambda state: recorder.tables.update(changes.tables_of(state.statement)))
            yield session


def check_current_account(session: Session, actor: Actor, operation: str) -> None:
    """Refuse when the account has been deactivated or its role no longer allows `operation`.

    The system actor and a local user without a user id are the app's own work and exempt.
    """
    if actor.user_id is None:
        return
    current = session.execute(select(User.role, User.active).where(User.id == actor.user_id)).one_or_none()
    if current is None or not current.active:
        raise AccountDeactivatedError(
            _("Your account ({user}) has been deactivated or removed by an administrator: nothing was done. "
              "Your session ends here; ask an administrator if you need access again.").format(
                user=actor.username)
        )
    if not allowed(current.role, operation):
        raise PermissionDeniedError(
            _("You ({user}) are no longer allowed to do this ({operation}): an administrator has changed your "
              "role. Nothing was done.").format(user=actor.username, operation=operation_label(operation))
        )
