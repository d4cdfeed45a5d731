"""the drill programme: designed drills, series, schedule history, objectives tied to plan actions, MSEL
fields, the port calendar and settings, exercise intervals, members linked to user accounts

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 15:05:25

Existing drills keep every value: their kinds and statuses are all still valid (the new statuses `ready` and
`postponed`, and the participant role `safety_officer`, only widen the CHECK constraints); each drill gets a
random calendar uid; existing injects are numbered 1, 2, ... per drill in the order of their offset.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

OLD_STATUSES = ('planned', 'in_progress', 'completed', 'cancelled')
NEW_STATUSES = ('planned', 'ready', 'in_progress', 'completed', 'cancelled', 'postponed')
OLD_ROLES = ('player', 'controller', 'evaluator', 'observer')
NEW_ROLES = ('player', 'controller', 'evaluator', 'observer', 'safety_officer')


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _widen(table: str, constraint: str, column: str, values: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(constraint), type_='check')
        batch_op.create_check_constraint(op.f(constraint), _in(column, values))


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('port_calendar_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'blocked', name='calendarentrykind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['port_id'], ['port.id'], name=op.f('fk_port_calendar_entry_port_id_port'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_port_calendar_entry'))
    )
    with op.batch_alter_table('port_calendar_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_port_calendar_entry_port_id'), ['port_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_port_calendar_entry_starts_on'), ['starts_on'], unique=False)

    op.create_table('port_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('drill_reminder_minutes', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['port_id'], ['port.id'], name=op.f('fk_port_setting_port_id_port'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_port_setting')),
    sa.UniqueConstraint('port_id', name=op.f('uq_port_setting_port_id'))
    )
    op.create_table('drill_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('rrule', sa.Text(), nullable=False),
    sa.Column('dtstart_local', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('tabletop', 'live', 'functional', 'full_scale', name='drillkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('scope', sa.Enum('single', 'comprehensive', name='drillscope', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('scenario_text', sa.Text(), nullable=False),
    sa.Column('safety_notes', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('skipped', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], name=op.f('fk_drill_series_owner_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['contingency_plan.id'], name=op.f('fk_drill_series_plan_id_contingency_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['port_id'], ['port.id'], name=op.f('fk_drill_series_port_id_port'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_series')),
    sa.UniqueConstraint('uid', name=op.f('uq_drill_series_uid'))
    )
    with op.batch_alter_table('drill_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_series_port_id'), ['port_id'], unique=False)

    op.create_table('drill_schedule_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('moved', 'postponed', 'cancelled', name='schedulechangekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('old_start', sa.DateTime(), nullable=False),
    sa.Column('new_start', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['app_user.id'], name=op.f('fk_drill_schedule_change_changed_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['drill_id'], ['drill.id'], name=op.f('fk_drill_schedule_change_drill_id_drill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_schedule_change'))
    )
    with op.batch_alter_table('drill_schedule_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_schedule_change_drill_id'), ['drill_id'], unique=False)

    op.create_table('drill_objective_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('plan_action_id', sa.Integer(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['drill_objective.id'], name=op.f('fk_drill_objective_action_objective_id_drill_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_action_id'], ['plan_action.id'], name=op.f('fk_drill_objective_action_plan_action_id_plan_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_objective_action')),
    sa.UniqueConstraint('objective_id', 'plan_action_id', name=op.f('uq_drill_objective_action_objective_id_plan_action_id'))
    )
    with op.batch_alter_table('drill_objective_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_objective_action_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drill_objective_action_plan_action_id'), ['plan_action_id'], unique=False)

    with op.batch_alter_table('contingency_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exercise_interval_months', sa.Integer(), server_default='12', nullable=False))

    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('occurrence_start', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('detached', sa.Boolean(), server_default=sa.false(), nullable=False))
    bind = op.get_bind()
    drill = sa.table('drill', sa.column('id', sa.Integer()), sa.column('uid', sa.String()))
    ids = [row.id for row in bind.execute(sa.select(drill.c.id))]
    for drill_id in ids:
        bind.execute(drill.update().where(drill.c.id == drill_id).values(uid=uuid.uuid4().hex))
    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.alter_column('uid', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f('ix_drill_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_drill_series_id'), ['series_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_drill_uid'), ['uid'])
        batch_op.create_foreign_key(batch_op.f('fk_drill_owner_id_app_user'), 'app_user', ['owner_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_drill_series_id_drill_series'), 'drill_series', ['series_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('inject', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('scenario_time', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('delivery', sa.Enum('phone', 'radio', 'paper', 'in_person', name='injectdelivery', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('objective_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inject_objective_id_drill_objective'), 'drill_objective', ['objective_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE inject SET number = (SELECT COUNT(*) FROM inject AS other WHERE other.drill_id = inject.drill_id "
        "AND (other.offset_minutes < inject.offset_minutes OR (other.offset_minutes = inject.offset_minutes "
        "AND other.id <= inject.id)))"
    )
    _widen('drill', 'ck_drill_drillstatus', 'status', NEW_STATUSES)
    _widen('drill_participant', 'ck_drill_participant_participantrole', 'role', NEW_ROLES)

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_member_user_id'), ['user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_member_user_id_app_user'), 'app_user', ['user_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    # the new statuses and role fall back to the nearest old ones, so the narrower constraints hold
    op.execute("UPDATE drill SET status = 'planned' WHERE status IN ('ready', 'postponed')")
    op.execute("UPDATE drill_participant SET role = 'controller' WHERE role = 'safety_officer'")
    _widen('drill', 'ck_drill_drillstatus', 'status', OLD_STATUSES)
    _widen('drill_participant', 'ck_drill_participant_participantrole', 'role', OLD_ROLES)
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_member_user_id_app_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_member_user_id'), type_='unique')
        batch_op.drop_column('user_id')

    with op.batch_alter_table('inject', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inject_objective_id_drill_objective'), type_='foreignkey')
        batch_op.drop_column('objective_id')
        batch_op.drop_constraint(op.f('ck_inject_injectdelivery'), type_='check')
        batch_op.drop_column('delivery')
        batch_op.drop_column('scenario_time')
        batch_op.drop_column('number')

    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_drill_series_id_drill_series'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_drill_owner_id_app_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_drill_uid'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_drill_series_id'))
        batch_op.drop_index(batch_op.f('ix_drill_owner_id'))
        batch_op.drop_column('detached')
        batch_op.drop_column('occurrence_start')
        batch_op.drop_column('series_id')
        batch_op.drop_column('owner_id')
        batch_op.drop_column('uid')

    with op.batch_alter_table('contingency_plan', schema=None) as batch_op:
        batch_op.drop_column('exercise_interval_months')

    with op.batch_alter_table('drill_objective_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_objective_action_plan_action_id'))
        batch_op.drop_index(batch_op.f('ix_drill_objective_action_objective_id'))

    op.drop_table('drill_objective_action')
    with op.batch_alter_table('drill_schedule_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_schedule_change_drill_id'))

    op.drop_table('drill_schedule_change')
    with op.batch_alter_table('drill_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_series_port_id'))

    op.drop_table('drill_series')
    op.drop_table('port_setting')
    with op.batch_alter_table('port_calendar_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_port_calendar_entry_starts_on'))
        batch_op.drop_index(batch_op.f('ix_port_calendar_entry_port_id'))

    op.drop_table('port_calendar_entry')
