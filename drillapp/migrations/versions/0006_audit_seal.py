"""audit_seal: the audit trail's hash chain (append-only like the trail); the scheduler's job tables go

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-10 09:00:00

audit_seal holds one link of the chain per sealed audit entry (services/audit_seal.py). Its triggers
refuse UPDATE, DELETE and (on PostgreSQL) TRUNCATE, word for word as drillapp/audit_guard.py expects them.

The reminder scheduler no longer keeps its jobs in the database (they are rebuilt from the reminders at
each start), so the per-workstation job tables `apscheduler_jobs_<hash>` that it created at run time are
dropped: on PostgreSQL those the upgrading role may drop (its own); any other is left for its owner.
Their pickled jobs are not data: nothing is lost.

After the upgrade, drillapp.schema grants the app's own role its rights on the new table (db_roles.py).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

MESSAGE = "audit_seal is append-only"

SQLITE_UPGRADE = [
    f"""CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_seal_no_delete",
    "DROP TRIGGER IF EXISTS audit_seal_no_update",
]

POSTGRESQL_UPGRADE = [
    f"""CREATE OR REPLACE FUNCTION audit_seal_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING HINT = TG_OP || ' refused on ' || TG_TABLE_NAME;
    END;
    $$""",
    """CREATE TRIGGER audit_seal_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only()""",
    """CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_append_only()""",
]
POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_seal_no_truncate ON audit_seal",
    "DROP TRIGGER IF EXISTS audit_seal_no_update_or_delete ON audit_seal",
    "DROP FUNCTION IF EXISTS audit_seal_append_only()",
]

JOB_TABLE_PREFIX = "apscheduler_jobs"


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgresql
    raise NotImplementedError(f"no append-only triggers for {dialect}")


def _old_job_tables() -> list[str]:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rows = bind.execute(sa.text(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()"
            " AND starts_with(tablename, :prefix) AND pg_has_role(tableowner, 'MEMBER')"
        ), {"prefix": JOB_TABLE_PREFIX})
        return sorted(name for (name,) in rows)
    return sorted(t for t in sa.inspect(bind).get_table_names() if t.startswith(JOB_TABLE_PREFIX))


def upgrade() -> None:
    op.create_table('audit_seal',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_seal')),
    sa.UniqueConstraint('audit_id', name=op.f('uq_audit_seal_audit_id'))
    )
    for statement in _statements(SQLITE_UPGRADE, POSTGRESQL_UPGRADE):
        op.execute(statement)
    for table in _old_job_tables():
        op.drop_table(table)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWNGRADE, POSTGRESQL_DOWNGRADE):
        op.execute(statement)
    op.drop_table('audit_seal')
