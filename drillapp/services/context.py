"""Who is acting, and the one place every write goes through.

`ServiceBase.write(operation)` opens one session and one transaction for one user action, checks the
actor's permission for the named operation, and lets the audit hook (drillapp.services.audit) record
every row the operation changes. Reads use `ServiceBase.read()`, which refuses to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillapp.clock import DEFAULT_ZONE, Clock, local_today, utcnow
from drillapp.db import Database
from drillapp.i18n import _
from drillapp.models.enums import Role
from drillapp.services import audit, change_feed, changes
from drillapp.services.changes import ChangeSet
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
    def write(self, operation: str) -> Iterator[Session]:
        """One transaction for one operation: committed on success, rolled back on any error."""
        check_permission(self.actor, operation)
        session = self.db.session_factory()
        audit.bind(session, actor=self.actor, operation=operation, now=self.clock())
        try:
            with session.begin():
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
        except OperationalError as exc:
            if "locked" in str(exc).lower():
                raise DomainError(
                    _("The database is busy (another workstation is writing). Try again in a moment.")
                ) from exc
            raise
        finally:
            session.close()
        changes.committed(change_set)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.session_factory() as session:
            audit.bind_read_only(session)
            recorder = changes.read_recorder()
            if recorder is not None:  # a screen wants to know which records it shows (ui/operations.py)
                event.listen(session, "do_orm_execute",
                             lambda state: recorder.tables.update(changes.tables_of(state.statement)))
            yield session
