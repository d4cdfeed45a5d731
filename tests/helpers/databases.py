"""Databases for tests: a migrated SQLite file, the local PostgreSQL server, and row counts."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from sqlalchemy import func, select, text

from drillapp import schema
from drillapp.db import Database
from drillapp.models import Base

#: The PostgreSQL server the suite uses when it is there (trust auth); override with DRILLAPP_TEST_PG.
PG_URL = os.environ.get("DRILLAPP_TEST_PG", "postgresql://root@127.0.0.1:5432/test")


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
