"""Tampering with the audit trail the way the database's owner could: with its triggers out of the way."""

from __future__ import annotations

from sqlalchemy import text

from drillapp import audit_guard
from drillapp.db import Database


def as_owner_without_triggers(db: Database, sql: str, **params: object) -> None:
    """Take the append-only triggers out of the way, run `sql`, put them back (as they were)."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for table in audit_guard.GUARDED_TABLES:
                for statement in audit_guard.sqlite_drop_statements(table):
                    conn.exec_driver_sql(statement)
        else:
            for table in audit_guard.GUARDED_TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        conn.execute(text(sql), params)
        if db.is_sqlite:
            audit_guard.restore(conn)
        else:
            for table in audit_guard.GUARDED_TABLES:
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        assert audit_guard.problems(conn) == []
