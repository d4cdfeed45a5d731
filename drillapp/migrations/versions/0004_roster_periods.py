"""roster periods, preferences, swaps, branch minimums; on_call_shift.period_id, shift_assignment.manual

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-12 09:00:00

Existing shifts (the demo's, older data) keep their rows and assignments and get no period. On SQLite,
adding the foreign key rebuilds on_call_shift (batch mode), and dropping the old table with foreign keys on
deletes its rows first, which cascades to every shift_assignment: the assignments are copied aside first
and put back afterwards. (Downgrade does not do this and loses them on SQLite; it is for development.)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_branch_minimum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('min_strength', sa.Integer(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_strength >= 0', name=op.f('ck_team_branch_minimum_min_strength_not_negative')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_team_branch_minimum_branch_id_branch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['response_team.id'], name=op.f('fk_team_branch_minimum_team_id_response_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_branch_minimum')),
    sa.UniqueConstraint('team_id', 'branch_id', name=op.f('uq_team_branch_minimum_team_id_branch_id'))
    )
    with op.batch_alter_table('team_branch_minimum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_branch_minimum_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_branch_minimum_team_id'), ['team_id'], unique=False)

    op.create_table('roster_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('pattern', sa.Enum('duty_24h', 'day_night', name='shiftpattern', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='rosterstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('objective', sa.Integer(), nullable=True),
    sa.Column('bound', sa.Integer(), nullable=True),
    sa.Column('solver_status', sa.String(length=32), nullable=False),
    sa.Column('solved_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['port_id'], ['port.id'], name=op.f('fk_roster_period_port_id_port'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['app_user.id'], name=op.f('fk_roster_period_published_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_period'))
    )
    with op.batch_alter_table('roster_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_period_port_id'), ['port_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_period_starts_on'), ['starts_on'], unique=False)

    op.create_table('roster_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('shift', sa.Enum('day', 'night', 'duty_24h', name='shiftkind', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('wants_on', sa.Boolean(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_roster_preference_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['roster_period.id'], name=op.f('fk_roster_preference_period_id_roster_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_preference')),
    sa.UniqueConstraint('period_id', 'member_id', 'day', name=op.f('uq_roster_preference_period_id_member_id_day'))
    )
    with op.batch_alter_table('roster_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_preference_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_preference_period_id'), ['period_id'], unique=False)

    op.create_table('shift_swap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('shift_a_id', sa.Integer(), nullable=False),
    sa.Column('member_a_id', sa.Integer(), nullable=False),
    sa.Column('shift_b_id', sa.Integer(), nullable=True),
    sa.Column('member_b_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'rejected', name='swapstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_shift_swap_decided_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_a_id'], ['member.id'], name=op.f('fk_shift_swap_member_a_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_b_id'], ['member.id'], name=op.f('fk_shift_swap_member_b_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['roster_period.id'], name=op.f('fk_shift_swap_period_id_roster_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_shift_swap_requested_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shift_a_id'], ['on_call_shift.id'], name=op.f('fk_shift_swap_shift_a_id_on_call_shift'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_b_id'], ['on_call_shift.id'], name=op.f('fk_shift_swap_shift_b_id_on_call_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_swap'))
    )
    with op.batch_alter_table('shift_swap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_swap_member_a_id'), ['member_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_swap_member_b_id'), ['member_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_swap_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_swap_shift_a_id'), ['shift_a_id'], unique=False)

    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # keep the assignments through the rebuild of on_call_shift (see the docstring)
        op.execute("CREATE TEMPORARY TABLE keep_shift_assignment AS SELECT * FROM shift_assignment")
    with op.batch_alter_table('on_call_shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_on_call_shift_period_id'), ['period_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_on_call_shift_period_id_roster_period'), 'roster_period',
                                    ['period_id'], ['id'], ondelete='CASCADE')
    op.add_column('shift_assignment', sa.Column('manual', sa.Boolean(), server_default=sa.false(), nullable=False))
    if sqlite:
        op.execute("DELETE FROM shift_assignment")  # whatever the cascade left, so the copy goes back whole
        op.execute("INSERT INTO shift_assignment (id, shift_id, member_id, duty, row_version) "
                   "SELECT id, shift_id, member_id, duty, row_version FROM keep_shift_assignment")
        op.execute("DROP TABLE keep_shift_assignment")


def downgrade() -> None:
    with op.batch_alter_table('shift_assignment', schema=None) as batch_op:
        batch_op.drop_column('manual')

    with op.batch_alter_table('on_call_shift', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_on_call_shift_period_id_roster_period'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_on_call_shift_period_id'))
        batch_op.drop_column('period_id')

    with op.batch_alter_table('shift_swap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_swap_shift_a_id'))
        batch_op.drop_index(batch_op.f('ix_shift_swap_period_id'))
        batch_op.drop_index(batch_op.f('ix_shift_swap_member_b_id'))
        batch_op.drop_index(batch_op.f('ix_shift_swap_member_a_id'))

    op.drop_table('shift_swap')
    with op.batch_alter_table('roster_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_preference_period_id'))
        batch_op.drop_index(batch_op.f('ix_roster_preference_member_id'))

    op.drop_table('roster_preference')
    with op.batch_alter_table('roster_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_period_starts_on'))
        batch_op.drop_index(batch_op.f('ix_roster_period_port_id'))

    op.drop_table('roster_period')
    with op.batch_alter_table('team_branch_minimum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_branch_minimum_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_branch_minimum_branch_id'))

    op.drop_table('team_branch_minimum')
