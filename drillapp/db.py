"""Engine and session factory: SQLite in the user's data folder by default, or a PostgreSQL server.

SQLite runs in WAL mode with foreign keys on and synchronous=FULL (every commit durable across a power cut; WAL
is switched on by `schema.upgrade`, once the schema is known to be one this code may touch); PostgreSQL uses the same code (psycopg 3 driver) and asks for an
encrypted connection (sslmode=prefer unless the URL says otherwise, e.g. sslmode=require).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from drillapp.errors import DomainError
from drillapp.i18n import _
from drillapp.paths import default_db_path

ENV_VAR = "DRILLAPP_DB"
#: The kinds of database drillapp works with.
BACKENDS = ("sqlite", "postgresql")
#: What a PostgreSQL connection asks for when its URL does not say: TLS when the server offers it.
DEFAULT_SSLMODE = "prefer"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Every commit reaches the disk before it returns (WAL with NORMAL can lose the last commits when the power
#: fails): a drill's tick, once shown as done, survives a power cut. bench/tick_commit.py measures the cost.
SQLITE_SYNCHRONOUS = "FULL"


def resolve_url(url: str | None = None) -> str:
    """--db URL wins, then $DRILLAPP_DB, then the SQLite file in the user's data folder.

    A plain file path (no `scheme://`) is a SQLite file. A plain `postgresql://` URL is given the
    psycopg 3 driver, the one that installs with the app.
    """
    url = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_db_path()}"
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def parse_url(url: str) -> URL:
    """The URL parsed, or a DomainError saying it is not one drillapp can use (never a traceback)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise DomainError(_("This is not a database address drillapp understands: give a SQLite file or a "
                            "postgresql:// URL.")) from exc
    if parsed.get_backend_name() not in BACKENDS:
        raise DomainError(_("drillapp works with SQLite files and PostgreSQL servers, not {kind}.").format(
            kind=parsed.get_backend_name() or "?"))
    return parsed


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL (also a `file:` URI with uri=true); None for anything else or memory."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    name = parsed.database
    if parsed.query.get("uri") in ("true", "1") and name.startswith("file:"):
        name = name[len("file:"):].split("?", 1)[0]
        if "mode=memory" in parsed.database:
            return None
    return Path(name)


def check_location(url: str, may_create: bool) -> None:
    """Refuse, with a message naming the problem, a SQLite location that cannot be a drillapp database:
    a folder, a file in a missing folder, a file that is not SQLite, or (unless `may_create`) a file
    that does not exist yet, so a typo never silently makes a new, empty database."""
    path = sqlite_file(parse_url(url))
    if path is None:
        return
    if path.is_dir():
        raise DomainError(_("{path} is a folder, not a database file.").format(path=path))
    if not path.parent.is_dir():
        raise DomainError(_("The folder {path} does not exist.").format(path=path.parent))
    if not path.exists():
        if not may_create:
            raise DomainError(_("There is no database at {path}. Check the path; `drillapp db upgrade` (or "
                                "`drillapp demo`) creates a new one.").format(path=path))
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise DomainError(_("{path} cannot be read: {error}").format(path=path, error=exc.strerror or exc)) from exc
    if head and head != _SQLITE_MAGIC:
        raise DomainError(_("{path} is not a drillapp database (it is not a SQLite file).").format(path=path))


def postgresql_connect_args(url: str | URL) -> dict[str, Any]:
    """Ask for TLS (sslmode=prefer) unless the URL chooses (e.g. ?sslmode=require)."""
    parsed = make_url(url) if isinstance(url, str) else url
    return {} if "sslmode" in parsed.query else {"sslmode": DEFAULT_SSLMODE}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    cursor.close()


def create_app_engine(url: str) -> Engine:
    """The engine for a URL; connects lazily (nothing touches the database until it is used). Statement
    parameters are never put into an error's text (`hide_parameters`): a failure (a full disk) must not print
    members' names and phone numbers on a screen or into the log."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True,
                         connect_args=postgresql_connect_args(parsed))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """The one way sessions are made: the factory comes with the rules every session obeys (the audit trail,
    frozen plan versions), whatever else the process has imported (services/session_rules.py)."""
    from drillapp.services import session_rules  # the rules live with the services; imported here, once

    factory = sessionmaker(engine, expire_on_commit=False)
    session_rules.install(factory)
    return factory


def use_wal(engine: Engine) -> None:
    """Switch a SQLite file to WAL (a property of the file: once, it persists). Called only once the schema
    is known to be this code's to touch; a read-only file keeps its mode."""
    from sqlalchemy.exc import OperationalError

    if engine.dialect.name != "sqlite" or sqlite_file(engine.url) is None:
        return
    with engine.connect() as conn:
        if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal":
            return
        try:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        except OperationalError:  # a read-only database: reading works in any journal mode
            pass


@dataclass
class Database:
    """One database: its URL, engine and session factory. Handed to the services, never a global.

    Its repr and str show the URL with the password hidden (`display_url`), so a log line or a
    traceback never carries it."""

    url: str = field(repr=False)
    engine: Engine = field(repr=False)
    session_factory: sessionmaker[Session] = field(repr=False)

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    def __str__(self) -> str:
        return self.display_url

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
