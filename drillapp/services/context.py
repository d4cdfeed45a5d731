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

from sqlalchemy import select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillapp.clock import Clock, utcnow
from drillapp.db import Database
from drillapp.i18n import _
from drillapp.models import User
from drillapp.models.enums import Role
from drillapp.services import audit
from drillapp.services.db_errors import log_details, user_error
from drillapp.services.errors import (
    AccountDeactivatedError,
    ConflictError,
    DomainError,
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


SYSTEM_ACTOR = Actor(None, "system", Role.ADMINISTRATOR, display_name="system")


class ServiceBase:
    def __init__(self, db: Database, actor: Actor, clock: Clock = utcnow) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock

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

    def check_access(self, operation: str) -> None:
        """A read that is permission-checked (the audit trail, a backup): the session's role and the
        account's current role and status, as for a write, without writing anything."""
        check_permission(self.actor, operation)
        with self.read() as s:
            check_current_account(s, self.actor, operation)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.session_factory() as session:
            audit.bind_read_only(session)
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
              "role. Nothing was done.").format(user=actor.username, operation=operation)
        )
