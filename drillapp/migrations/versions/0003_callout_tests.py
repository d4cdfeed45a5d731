"""call-out (muster) tests: callout_test and callout_response

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 09:00:00

Only creates the two new tables: no existing table is rebuilt (see 0002 on SQLite batch rebuilds and the
audit_entry triggers).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('callout_test',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('drill_run_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('running', 'ended', name='calloutstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('announced', sa.Boolean(), nullable=False),
    sa.Column('required_strength', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('required_strength >= 1', name=op.f('ck_callout_test_required_strength_positive')),
    sa.ForeignKeyConstraint(['drill_run_id'], ['drill_run.id'], name=op.f('fk_callout_test_drill_run_id_drill_run'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['port_id'], ['port.id'], name=op.f('fk_callout_test_port_id_port'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['started_by_id'], ['app_user.id'], name=op.f('fk_callout_test_started_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callout_test'))
    )
    with op.batch_alter_table('callout_test', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callout_test_drill_run_id'), ['drill_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callout_test_port_id'), ['port_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callout_test_started_at'), ['started_at'], unique=False)

    op.create_table('callout_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('test_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('arrived_at', sa.DateTime(), nullable=True),
    sa.Column('no_show', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_callout_response_member_id_member'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['test_id'], ['callout_test.id'], name=op.f('fk_callout_response_test_id_callout_test'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callout_response')),
    sa.UniqueConstraint('test_id', 'member_id', name=op.f('uq_callout_response_test_id_member_id'))
    )
    with op.batch_alter_table('callout_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callout_response_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callout_response_test_id'), ['test_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('callout_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callout_response_test_id'))
        batch_op.drop_index(batch_op.f('ix_callout_response_member_id'))

    op.drop_table('callout_response')
    with op.batch_alter_table('callout_test', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callout_test_started_at'))
        batch_op.drop_index(batch_op.f('ix_callout_test_port_id'))
        batch_op.drop_index(batch_op.f('ix_callout_test_drill_run_id'))

    op.drop_table('callout_test')
