"""Who is acting, and the one place every write goes through.

`ServiceBase.write(operation)` opens one session and one transaction for one user action, checks the
actor's permission for the named operation, and lets the audit hook (drillapp.services.audit) record
every row the operation changes. Reads use `ServiceBase.read()`, which refuses to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillapp.clock import Clock, utcnow
from drillapp.db import Database
from drillapp.i18n import _
from drillapp.models.enums import Role
from drillapp.services import audit
from drillapp.services.errors import ConflictError, DomainError
from drillapp.services.permissions import check_permission


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
    def write(self, operation: str) -> Iterator[Session]:
        """One transaction for one operation: committed on success, rolled back on any error."""
        check_permission(self.actor, operation)
        session = self.db.session_factory()
        audit.bind(session, actor=self.actor, operation=operation, now=self.clock())
        try:
            with session.begin():
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
        except OperationalError as exc:
            if "locked" in str(exc).lower():
                raise DomainError(
                    _("The database is busy (another workstation is writing). Try again in a moment.")
                ) from exc
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.session_factory() as session:
            audit.bind_read_only(session)
            yield session
