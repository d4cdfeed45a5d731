"""Databases for tests: a migrated SQLite file, the local PostgreSQL server, and row counts."""

from __future__ import annotations

import graphlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from drillapp import schema
from drillapp.db import Database
from drillapp.models import Base

#: Tables the reminder scheduler made at run time before migration 0006 (dropped like foreign tables).
JOBSTORE_PREFIX = "apscheduler_jobs"

if TYPE_CHECKING:
    import psycopg

#: The PostgreSQL server the suite uses when it is there (trust auth); override with DRILLAPP_TEST_PG.
PG_URL = os.environ.get("DRILLAPP_TEST_PG", "postgresql://root@127.0.0.1:5432/test")

#: Which database the `db` fixture (and the GUI's `world`) gives each test: "sqlite" (a file of its own, the
#: default) or "postgresql" (the run's own database on PG_URL's server, emptied before each test: see
#: SuitePostgres). `.ci/run` runs the suite once with each.
BACKEND_VAR = "DRILLAPP_TEST_BACKEND"
BACKENDS = ("sqlite", "postgresql")
BACKEND = os.environ.get(BACKEND_VAR, "").strip().lower() or "sqlite"
ON_POSTGRESQL = BACKEND == "postgresql"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_sqlite(path: Path, *, upgrade: bool = True) -> Database:
    database = Database.open(sqlite_url(path))
    if upgrade:
        schema.upgrade(database.engine)
    return database


@cache
def pg_unreachable_reason() -> str | None:
    """None when the PostgreSQL server answers; otherwise why the PostgreSQL tests are skipped."""
    import psycopg

    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server reachable at {PG_URL} ({first_line})"
    return None


def reset_pg_schema() -> None:
    """Start from nothing: DROP SCHEMA public CASCADE; CREATE SCHEMA public."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def open_pg() -> Database:
    return Database.open(PG_URL)


@dataclass(frozen=True)
class PgSnapshot:
    """What `SuitePostgres.snapshot` keeps: the schema's tables, each table's rows as binary COPY data (tables
    with rows only) and each used sequence's last value."""

    tables: frozenset[str]
    rows: dict[str, bytes]
    sequences: dict[str, int]


class SuitePostgres:
    """The PostgreSQL run's per-test database, migrated once per session, then emptied before each test.

    It is a database of the session's own on PG_URL's server (drillapp_suite_<pid>, dropped at the end), so
    that neither the `pg_empty` tests (which drop PG_URL's schema) nor another test run at the same time on
    the same server can pull it away mid-test; where CREATE DATABASE is not allowed it is PG_URL itself.

    Migrating costs ~0.4 s, a CREATE DATABASE ... TEMPLATE or a TRUNCATE of every table ~0.1 s; deleting
    the rows (children first) and restarting the sequences a few ms. The schema is rebuilt whenever it is
    not the one this session migrated: first use, or a test that downgraded it. Job tables of the old
    scheduler (apscheduler_jobs*, which a test of migration 0006 makes) are dropped. The schema's own triggers (audit_entry is append-only) are off only
    inside the emptying transaction.
    """

    PREFIX = "drillapp_suite_"

    def __init__(self, server_url: str = PG_URL) -> None:
        self.server_url = server_url
        self.url = server_url
        self._own_database: str | None = None
        self._conn: psycopg.Connection | None = None
        self._tables: frozenset[str] | None = None  # what this session's migration made (alembic_version too)
        self._delete_order: list[str] | None = None  # None: TRUNCATE instead (see _rebuild)
        self._replica = False  # a superuser empties the tables with foreign keys unchecked (any order will do)
        self._with_triggers: list[str] = []  # tables with triggers of the schema's own (not foreign keys')

    def open(self) -> SuitePostgres:
        """Create the session's own database (after dropping those that runs killed mid-way left behind)."""
        import psycopg
        from sqlalchemy.engine import make_url

        name = f"{self.PREFIX}{os.getpid()}"
        server = make_url(self.server_url)
        with psycopg.connect(self.server_url, autocommit=True, connect_timeout=3) as conn:
            if os.name == "posix" and server.host in (None, "", "localhost", "127.0.0.1", "::1"):
                # A run's pid names a process on this machine only (os.kill(pid, 0) probes it on POSIX only).
                for (stale,) in conn.execute(
                    "SELECT datname::text FROM pg_database WHERE datname LIKE %s", [self.PREFIX + "%"]
                ).fetchall():
                    pid = stale.removeprefix(self.PREFIX)
                    if pid.isdigit() and not _process_exists(int(pid)):
                        conn.execute(_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", stale))
            try:
                conn.execute(_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))
                conn.execute(_sql("CREATE DATABASE {}", name))
            except psycopg.errors.InsufficientPrivilege:
                return self  # PG_URL itself, then
        self._own_database = name
        self.url = server.set(database=name).render_as_string(hide_password=False)
        return self

    def fresh(self) -> str:
        """Leave the database empty at the current schema; returns its URL."""
        import psycopg

        try:
            self._make_fresh()
        except psycopg.errors.LockNotAvailable:
            # A connection the last test leaked still holds a lock: end it (only this database's), then again.
            self._connection().execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            self._make_fresh()
        except psycopg.errors.ForeignKeyViolation:
            self._delete_order = None  # a foreign key no DELETE order satisfies: TRUNCATE from now on
            self._make_fresh()
        return self.url

    def close(self) -> None:
        import psycopg

        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._own_database is not None:
            with psycopg.connect(self.server_url, autocommit=True, connect_timeout=3) as conn:
                conn.execute(_sql("DROP DATABASE IF EXISTS {} WITH (FORCE)", self._own_database))
            self._own_database = None
            self.url = self.server_url

    def _connection(self) -> psycopg.Connection:
        import psycopg

        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=3)
            self._conn.execute("SET lock_timeout = '5s'")
        return self._conn

    def _make_fresh(self) -> None:
        conn = self._connection()
        tables = _public_tables(conn)
        job_tables = {t for t in tables if t.startswith(JOBSTORE_PREFIX)}
        for table in sorted(job_tables):
            conn.execute(_sql("DROP TABLE IF EXISTS {} CASCADE", "public", table))
        if tables - job_tables != self._tables or self._revision(conn) != schema.HEAD_REVISION:
            self._rebuild(conn)
            return
        with conn.transaction():
            if self._replica:
                conn.execute("SET LOCAL session_replication_role = replica")
            for table in self._with_triggers:
                conn.execute(_sql("ALTER TABLE {} DISABLE TRIGGER USER", "public", table))
            if self._delete_order is None:
                from psycopg import sql

                data = sorted(self._tables - {"alembic_version"})
                names = sql.SQL(", ").join(sql.Identifier("public", t) for t in data)
                conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))
            else:
                for table in self._delete_order:
                    conn.execute(_sql("DELETE FROM {}", "public", table))
            for table in self._with_triggers:
                conn.execute(_sql("ALTER TABLE {} ENABLE TRIGGER USER", "public", table))
        conn.execute(  # setval is not transactional, and cheap; every id starts at 1 again, as on SQLite
            "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s"
            " JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = 'public'::regnamespace"
        )

    def snapshot(self) -> PgSnapshot:
        """Every row of the session's tables (binary COPY) and where each sequence stands, to be put back by
        `restore` into the emptied database: a few hundred ms where laying out the demo again costs 4-6 s.
        Nothing is dropped or created for it, so no connection is cut (a template database needed DROP
        DATABASE ... WITH (FORCE), which ended a connection an earlier test had left open)."""
        conn = self._connection()
        assert self._tables is not None, "fresh() first: the snapshot is of this session's schema"
        rows: dict[str, bytes] = {}
        with conn.transaction():
            for table in sorted(self._tables - {"alembic_version"}):
                with conn.cursor() as cur:
                    with cur.copy(_sql("COPY {} TO STDOUT (FORMAT binary)", "public", table)) as copy:
                        data = b"".join(bytes(chunk) for chunk in copy)
                    if cur.rowcount:
                        rows[table] = data
            sequences = conn.execute(
                "SELECT sequencename::text, last_value FROM pg_sequences"
                " WHERE schemaname = 'public' AND last_value IS NOT NULL"
            ).fetchall()
        return PgSnapshot(self._tables, rows, dict(sequences))

    def restore(self, snapshot: PgSnapshot) -> bool:
        """Put `snapshot` back into the database `fresh()` just emptied; False (nothing written) where it cannot:
        another schema now, or foreign keys in a cycle with no superuser to leave them unchecked."""
        if snapshot.tables != self._tables or not (self._replica or self._delete_order is not None):
            return False
        conn = self._connection()
        order = [t for t in reversed(self._delete_order or sorted(snapshot.rows)) if t in snapshot.rows]
        with conn.transaction():
            if self._replica:
                conn.execute("SET LOCAL session_replication_role = replica")
            for table in self._with_triggers:
                conn.execute(_sql("ALTER TABLE {} DISABLE TRIGGER USER", "public", table))
            with conn.cursor() as cur:
                for table in order:
                    with cur.copy(_sql("COPY {} FROM STDIN (FORMAT binary)", "public", table)) as copy:
                        copy.write(snapshot.rows[table])
            for table in self._with_triggers:
                conn.execute(_sql("ALTER TABLE {} ENABLE TRIGGER USER", "public", table))
            for name, value in snapshot.sequences.items():
                conn.execute("SELECT setval(%s, %s, true)", [f'public."{name}"', value])
        return True

    @staticmethod
    def _revision(conn: psycopg.Connection) -> str | None:
        if conn.execute("SELECT to_regclass('public.alembic_version')").fetchone()[0] is None:
            return None
        rows = conn.execute("SELECT version_num FROM public.alembic_version").fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def _rebuild(self, conn: psycopg.Connection) -> None:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        database = Database.open(self.url)
        try:
            schema.upgrade(database.engine)
        finally:
            database.dispose()
        self._tables = frozenset(_public_tables(conn))
        # DELETE (a few ms) beats TRUNCATE (~0.1 s): children first; for a cycle of foreign keys (member and
        # squad name each other) that takes a superuser, who may leave them unchecked while emptying.
        data = self._tables - {"alembic_version"}
        self._replica = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        self._delete_order = self._children_first(conn, data) or (sorted(data) if self._replica else None)
        self._with_triggers = [
            name
            for (name,) in conn.execute(
                "SELECT DISTINCT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY 1"
            )
        ]

    @staticmethod
    def _children_first(conn: psycopg.Connection, tables: frozenset[str]) -> list[str] | None:
        """The tables in an order that DELETE can take them (each before what it references)."""
        graph: dict[str, set[str]] = {t: set() for t in tables}
        for child, parent in conn.execute(
            "SELECT ch.relname::text, pa.relname::text FROM pg_constraint k"
            " JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid"
            " WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace"
        ):
            if child in graph and parent in graph and parent != child:
                graph[parent].add(child)  # the parent comes after its children
        try:
            return list(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError:
            return None


def _sql(template: str, *name: str):  # noqa: ANN202 - psycopg imported lazily
    """`template` with its {} filled by one quoted name (a table as "public", "member")."""
    from psycopg import sql

    return sql.SQL(template).format(sql.Identifier(*name))


def _public_tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in rows}


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def row_counts(db: Database) -> dict[str, int]:
    """Rows per table of the app's schema (audit_entry included), to prove a refused change wrote nothing."""
    with db.engine.connect() as conn:
        return {
            table.name: conn.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def table_names(db: Database) -> set[str]:
    from sqlalchemy import inspect

    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def scalar(db: Database, sql: str, **params: object) -> object:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()
