"""the port as scope: port.time_zone, app_user.port_id, plan codes unique per port, reviews know their port

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

Existing ports get Asia/Shanghai (every port of the app so far is in China). Existing reviews get the port of
their drill (drill_run -> drill) or incident before the column becomes NOT NULL.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('port', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='Asia/Shanghai',
                                      nullable=False))

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('port_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_app_user_port_id_port'), 'port', ['port_id'], ['id'],
                                    ondelete='SET NULL')

    with op.batch_alter_table('contingency_plan', schema=None) as batch_op:
        batch_op.drop_constraint('uq_contingency_plan_code', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_contingency_plan_port_id_code'), ['port_id', 'code'])

    with op.batch_alter_table('after_action_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('port_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE after_action_review SET port_id = (SELECT drill.port_id FROM drill_run JOIN drill "
        "ON drill.id = drill_run.drill_id WHERE drill_run.id = after_action_review.drill_run_id) "
        "WHERE drill_run_id IS NOT NULL"
    )
    op.execute(
        "UPDATE after_action_review SET port_id = (SELECT incident.port_id FROM incident "
        "WHERE incident.id = after_action_review.incident_id) WHERE incident_id IS NOT NULL"
    )
    with op.batch_alter_table('after_action_review', schema=None) as batch_op:
        batch_op.alter_column('port_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_after_action_review_port_id'), ['port_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_after_action_review_port_id_port'), 'port', ['port_id'], ['id'],
                                    ondelete='RESTRICT')


def downgrade() -> None:
    with op.batch_alter_table('after_action_review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_after_action_review_port_id_port'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_after_action_review_port_id'))
        batch_op.drop_column('port_id')

    with op.batch_alter_table('contingency_plan', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_contingency_plan_port_id_code'), type_='unique')
        batch_op.create_unique_constraint('uq_contingency_plan_code', ['code'])

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_app_user_port_id_port'), type_='foreignkey')
        batch_op.drop_column('port_id')

    with op.batch_alter_table('port', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
