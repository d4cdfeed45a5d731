"""Opening the app's world, shared by the GUI and the CLI: database, schema, acting user, logging."""

from __future__ import annotations

import getpass
import logging
import logging.handlers
from dataclasses import dataclass

from drillapp import schema
from drillapp.db import Database
from drillapp.paths import log_dir
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR, Actor
from drillapp.services.org import UserService


def setup_logging(level: int = logging.INFO) -> None:
    """Bugs go to a rotating log file with their traceback (users see a short message instead)."""
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        log_dir() / "drillapp.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per job run is noise


def log_file() -> str:
    return str(log_dir() / "drillapp.log")


def local_username() -> str:
    try:
        return getpass.getuser() or "user"
    except (KeyError, OSError):
        return "user"


@dataclass
class World:
    db: Database
    actor: Actor
    services: Services


def open_world(url: str | None = None, username: str | None = None) -> World:
    """Open the database, upgrade its schema, and find (or create) the local user."""
    db = Database.open(url)
    try:
        schema.upgrade(db.engine)
        actor = UserService(db, SYSTEM_ACTOR).ensure_local_user(username or local_username())
    except Exception:
        db.dispose()
        raise
    return World(db, actor, Services(db, actor))
