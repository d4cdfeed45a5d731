"""Engine and session factory: SQLite in the user's data folder by default, any SQLAlchemy URL otherwise.

SQLite runs in WAL mode with foreign keys on; PostgreSQL uses the same code (psycopg 3 driver).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from drillapp.paths import default_db_path

ENV_VAR = "DRILLAPP_DB"


def resolve_url(url: str | None = None) -> str:
    """--db URL wins, then $DRILLAPP_DB, then the SQLite file in the user's data folder.

    A plain `postgresql://` URL is given the psycopg 3 driver, the one that installs with the app.
    """
    url = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_db_path()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_app_engine(url: str) -> Engine:
    """The engine for `url`. Statement parameters are never put into an error's text (`hide_parameters`):
    a failure (a full disk) must not print members' names and phone numbers on a screen or into the log."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        database = parsed.database
        if database and database != ":memory:":
            # WAL is a property of the file; set it once (it persists), not on every connection.
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """The one way sessions are made: the factory comes with the rules every session obeys (the audit trail,
    frozen plan versions), whatever else the process has imported (services/session_rules.py)."""
    from drillapp.services import session_rules  # the rules live with the services; imported here, once

    factory = sessionmaker(engine, expire_on_commit=False)
    session_rules.install(factory)
    return factory


@dataclass
class Database:
    """One database: its URL, engine and session factory. Handed to the services, never a global."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @classmethod
    def open(cls, url: str | None = None) -> Database:
        resolved = resolve_url(url)
        engine = create_app_engine(resolved)
        return cls(resolved, engine, make_session_factory(engine))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, safe for screens and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read-only session for queries; writes go through the service operations."""
        with self.session_factory() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
