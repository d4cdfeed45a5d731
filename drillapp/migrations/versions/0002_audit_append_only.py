"""audit trail append-only: triggers refuse UPDATE and DELETE on audit_entry

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 09:00:00

The app only ever inserts audit rows; these triggers make the database refuse anything else, whoever
connects (on PostgreSQL TRUNCATE too). Alembic does not compare triggers, so autogenerate stays quiet.

Careful in later migrations on SQLite: rebuilding audit_entry in batch mode drops these triggers (put
them back afterwards), and rebuilding app_user with foreign keys on deletes its rows implicitly, which
would set audit_entry.user_id to NULL and is refused by the UPDATE trigger.
"""
from __future__ import annotations

from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

MESSAGE = "audit_entry is append-only"

SQLITE_UPGRADE = [
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
]

POSTGRESQL_UPGRADE = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING HINT = TG_OP || ' refused on ' || TG_TABLE_NAME;
    END;
    $$""",
    """CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
]
POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
    "DROP TRIGGER IF EXISTS audit_entry_no_update_or_delete ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgresql
    raise NotImplementedError(f"no append-only triggers for {dialect}")


def upgrade() -> None:
    for statement in _statements(SQLITE_UPGRADE, POSTGRESQL_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWNGRADE, POSTGRESQL_DOWNGRADE):
        op.execute(statement)
