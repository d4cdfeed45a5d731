"""real incidents: port numbers, alarm time, location and description; tasks beyond the plan; situation reports;
the incident log's categories; checklist items gained at an escalation count from it; a call-out linked to an
incident

Revision ID: 0011
Revises: 0010
Create Date: 2027-03-01 09:00:00

Existing data is kept:
- every incident gets its alarm time (its opening time) and a port number, per port and year of the alarm in
  the port's time, in the order they were opened ("QH-2026-001" ...);
- log_entry's kind widens to the incident log's categories (action, information, communication, hand-over);
  on SQLite the table is rebuilt, so its append-only triggers are put back word for word (drillapp/audit_guard.py).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_LOGKIND = sa.Enum('note', 'inject', 'muster', 'report', 'decision', 'system', 'pause', 'resume', name='logkind',
                      native_enum=False, create_constraint=True, length=32)
NEW_LOGKIND = sa.Enum('note', 'inject', 'muster', 'report', 'decision', 'system', 'pause', 'resume', 'action',
                      'information', 'communication', 'handover', name='logkind', native_enum=False,
                      create_constraint=True, length=32)
AGENCY = sa.Enum('border_inspection', 'customs', 'quarantine', 'port_office', name='agency', native_enum=False,
                 create_constraint=True, length=32)
REPORTKIND = sa.Enum('initial', 'follow_up', 'final', name='reportkind', native_enum=False, create_constraint=True,
                     length=32)
NEW_KINDS = ('action', 'information', 'communication', 'handover')


def _sqlite_guard(create: bool) -> list[str]:
    """log_entry's append-only triggers on SQLite (drillapp/audit_guard.py's own words)."""
    table, message = "log_entry", "log_entry is append-only"
    if not create:
        return [f"DROP TRIGGER IF EXISTS {table}_no_delete", f"DROP TRIGGER IF EXISTS {table}_no_update"]
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message}'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message}'); END;""",
    ]


def _number_existing_incidents(bind) -> None:  # noqa: ANN001
    incident = sa.table('incident', sa.column('id', sa.Integer), sa.column('port_id', sa.Integer),
                        sa.column('opened_at', sa.DateTime), sa.column('alarm_at', sa.DateTime),
                        sa.column('number', sa.String), sa.column('year', sa.Integer),
                        sa.column('serial', sa.Integer))
    port = sa.table('port', sa.column('id', sa.Integer), sa.column('code', sa.String),
                    sa.column('time_zone', sa.String))
    ports = {p.id: (p.code, p.time_zone or "Asia/Shanghai") for p in bind.execute(sa.select(port))}
    serials: dict[tuple[int, int], int] = defaultdict(int)
    rows = bind.execute(sa.select(incident.c.id, incident.c.port_id, incident.c.opened_at)
                        .order_by(incident.c.opened_at, incident.c.id)).all()
    for row in rows:
        code, zone = ports.get(row.port_id, ("", "Asia/Shanghai"))
        year = row.opened_at.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).year
        serials[(row.port_id, year)] += 1
        serial = serials[(row.port_id, year)]
        bind.execute(incident.update().where(incident.c.id == row.id).values(
            alarm_at=row.opened_at, year=year, serial=serial, number=f"{code}-{year}-{serial:03d}"))


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=48), server_default='', nullable=False))
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('serial', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('alarm_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
    _number_existing_incidents(bind)
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_incident_closed_by_id_app_user'), 'app_user', ['closed_by_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_unique_constraint(batch_op.f('uq_incident_port_id_year_serial'),
                                          ['port_id', 'year', 'serial'])

    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_from', sa.DateTime(), nullable=True))
    with op.batch_alter_table('callout_test', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incident_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_callout_test_incident_id'), ['incident_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_callout_test_incident_id_incident'), 'incident', ['incident_id'],
                                    ['id'], ondelete='SET NULL')

    if sqlite:  # the rebuild of the table would drop them; they come back below
        for statement in _sqlite_guard(create=False):
            op.execute(statement)
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=OLD_LOGKIND, type_=NEW_LOGKIND, existing_nullable=False)
    if sqlite:
        for statement in _sqlite_guard(create=True):
            op.execute(statement)

    op.create_table('incident_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('agency', AGENCY, nullable=False),
    sa.Column('assignee', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'done', 'cancelled', name='actionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_incident_task_created_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_task_incident_id_incident'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_task'))
    )
    with op.batch_alter_table('incident_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_task_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', REPORTKIND, nullable=False),
    sa.Column('status', sa.Enum('draft', 'issued', name='incidentreportstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('occurred', sa.Text(), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('nature', sa.Text(), nullable=False),
    sa.Column('casualties', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('resources', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('reporter', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_report_incident_id_incident'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['app_user.id'], name=op.f('fk_incident_report_issued_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_report')),
    sa.UniqueConstraint('incident_id', 'number', name=op.f('uq_incident_report_incident_id_number'))
    )
    with op.batch_alter_table('incident_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_report_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    """Back to 0010: tasks and reports go; the log's new categories become notes (those lines' links no longer
    verify: a downgrade cannot keep them)."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table('incident_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_report_incident_id'))
    op.drop_table('incident_report')
    with op.batch_alter_table('incident_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_task_incident_id'))
    op.drop_table('incident_task')
    kinds = ", ".join(f"'{k}'" for k in NEW_KINDS)
    if sqlite:
        for statement in _sqlite_guard(create=False):
            op.execute(statement)
        op.execute(f"UPDATE log_entry SET kind = 'note' WHERE kind IN ({kinds})")
    else:
        op.execute("ALTER TABLE log_entry DISABLE TRIGGER log_entry_no_update_or_delete")
        op.execute(f"UPDATE log_entry SET kind = 'note' WHERE kind IN ({kinds})")
        op.execute("ALTER TABLE log_entry ENABLE TRIGGER log_entry_no_update_or_delete")
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=NEW_LOGKIND, type_=OLD_LOGKIND, existing_nullable=False)
    if sqlite:
        for statement in _sqlite_guard(create=True):
            op.execute(statement)
    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.drop_column('counted_from')
    with op.batch_alter_table('callout_test', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_callout_test_incident_id_incident'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_callout_test_incident_id'))
        batch_op.drop_column('incident_id')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_incident_port_id_year_serial'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_incident_closed_by_id_app_user'), type_='foreignkey')
        for column in ('closed_by_id', 'description', 'location', 'alarm_at', 'serial', 'year', 'number'):
            batch_op.drop_column(column)
