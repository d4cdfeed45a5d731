"""Opening the app's world, shared by the GUI and the CLI: database, schema, acting user, logging."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from drillapp import schema
from drillapp.clock import use_zone
from drillapp.db import Database
from drillapp.logsetup import local_username as local_username  # re-exported: the light module has them
from drillapp.logsetup import log_file as log_file
from drillapp.logsetup import setup_logging as setup_logging
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR, Actor, PortScope
from drillapp.services.users import UserService


@dataclass
class World:
    db: Database
    actor: Actor
    services: Services


def open_database(url: str | None = None) -> Database:
    """Open the database and bring its schema up to date (refusing one newer than this code).

    A database whose audit trail lost its triggers is refused: nothing is written until an administrator
    has put them back with `drillapp db upgrade` (schema.check_guard).
    """
    db = Database.open(url)
    try:
        schema.upgrade(db.engine)
        schema.check_guard(db.engine)
    except Exception:
        db.dispose()
        raise
    return db


PORT_ENV = "DRILLAPP_PORT"


def open_world(
    url: str | None = None, username: str | None = None, password: str | Callable[[], str] | None = None,
    port: str | None = None,
) -> World:
    """Open the database and find who is acting.

    A database where nobody has a password yet acts as the local user (created on first use; the first
    one is the administrator). Once passwords exist, `username` (default: $DRILLAPP_USER or the login
    name) must authenticate with `password` (a string, or a callable that asks for it; default:
    $DRILLAPP_PASSWORD).
    """
    db = open_database(url)
    try:
        users = UserService(db, SYSTEM_ACTOR)
        name = username or os.environ.get("DRILLAPP_USER") or local_username()
        if users.login_required():
            secret = password if password is not None else os.environ.get("DRILLAPP_PASSWORD")
            if callable(secret):
                secret = secret()
            if not secret:
                from drillapp.i18n import _
                from drillapp.services.users import LoginError

                raise LoginError(_("Log-in needed: give the password of {user} (DRILLAPP_PASSWORD, or type it "
                                   "when asked).").format(user=name))
            actor = users.authenticate(name, secret)
        else:
            actor = users.ensure_local_user(name)
        world = world_for(db, actor, port_code=port or os.environ.get(PORT_ENV) or None)
    except Exception:
        db.dispose()
        raise
    return world


def world_for(db: Database, actor: Actor, *, port_code: str | None = None,
              remembered_port: int | None = None) -> World:
    """The world of one user on one port: `port_code` if given (refused if unknown or not the user's), else the
    remembered port, else the database's default port (the first created); its time zone applies."""
    from drillapp.services.org import OrgService

    scope = OrgService(db, actor).port_scope(port_code, remembered=remembered_port)
    return use_port(World(db, actor, Services(db, actor)), scope)


def use_port(world: World, scope: PortScope) -> World:
    """The same user and database, working on another port (or every port)."""
    use_zone(scope.zone)
    return World(world.db, world.actor, Services(world.db, world.actor, world.services.clock, scope))


def warm_up(db: Database, remembered_port: int | None = None) -> None:
    """Read once what the first dashboard reads (as the system, on the port a log-in will most likely get): the
    desktop start does this off the GUI thread while the user types, so that the time from the log-in to the
    filled dashboard is not spent filling SQLite's page cache and SQLAlchemy's statement cache (nor the log-in on
making the dummy password hash, users.prepare_password_check). Only a warm-up:
    a failure is logged and otherwise ignored (the dashboard then reads cold, and says what is wrong itself)."""
    import logging

    from drillapp.services.users import prepare_password_check

    prepare_password_check()
    try:
        world_for(db, SYSTEM_ACTOR, remembered_port=remembered_port).services.dashboard.load()
    except Exception:
        logging.getLogger(__name__).warning("warming up the dashboard's reads failed", exc_info=True)
