"""lineage keys for plan sections, actions, contacts and resources (the same item across plan versions)

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-20 09:00:00

Each of the four tables gets `lineage` (a UUID as text, unique within a version). Existing rows are
back-filled plan by plan, version by version in number order: a row takes the key of the row of the version
numbered before it that is "the same" (services/plan_lineage.py describes the rules; this migration keeps
its own frozen copy of them, so a later change there does not change what this step did):

1. the same content, field for field; 2. the same identity (a section's kind and title, an action's agency
and text, a contact's agency and name, a resource's name); 3. the only unpaired row on each side in the same
place (a section's kind; an action's agency, level and phase; a contact's agency and post; a resource's
custodian and kind). Any other row gets a new key.

Only the new column is written; the rows keep their row_version (this is not an edit of the plan).
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: table -> (columns read, exact key, identity key, place key)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    'plan_section': (('kind', 'title', 'body'), ('kind', 'title', 'body'), ('kind', 'title'), ('kind',)),
    'plan_action': (('agency', 'level', 'phase', 'text', 'responsible_post', 'target_minutes', 'report_due'),
                    ('agency', 'level', 'phase', 'text', 'responsible_post', 'target_minutes', 'report_due'),
                    ('agency', 'text'), ('agency', 'level', 'phase')),
    'plan_contact': (('agency', 'name', 'post', 'phone', 'mobile', 'notes'),
                     ('agency', 'name', 'post', 'phone', 'mobile', 'notes'), ('agency', 'name'), ('agency', 'post')),
    'plan_resource': (('name', 'kind', 'quantity', 'location', 'custodian', 'notes'),
                      ('name', 'kind', 'quantity', 'location', 'custodian', 'notes'), ('name',), ('custodian', 'kind')),
}


def _pair(old: list[dict[str, Any]], new: list[dict[str, Any]], keys: tuple[tuple[str, ...], ...]) -> dict[int, int]:
    """new index -> old index, by the three passes of the module docstring."""
    exact, identity, place = keys
    paired: dict[int, int] = {}
    for fields in (exact, identity):
        queues: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        taken = set(paired.values())
        for i, row in enumerate(old):
            if i not in taken:
                queues[tuple(row[f] for f in fields)].append(i)
        for j, row in enumerate(new):
            key = tuple(row[f] for f in fields)
            if j not in paired and queues.get(key):
                paired[j] = queues[key].pop(0)
    taken = set(paired.values())
    old_left: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    new_left: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(old):
        if i not in taken:
            old_left[tuple(row[f] for f in place)].append(i)
    for j, row in enumerate(new):
        if j not in paired:
            new_left[tuple(row[f] for f in place)].append(j)
    for key, js in new_left.items():
        if len(js) == 1 and len(old_left.get(key, ())) == 1:
            paired[js[0]] = old_left[key][0]
    return paired


def _backfill(bind: Any) -> None:
    versions = bind.execute(sa.text('SELECT id, plan_id FROM plan_version ORDER BY plan_id, number')).all()
    for table, (columns, *keys) in TABLES.items():
        select = sa.text(f'SELECT id, {", ".join(columns)} FROM {table} WHERE version_id = :v ORDER BY position, id')
        update = sa.text(f'UPDATE {table} SET lineage = :lineage WHERE id = :id')
        previous: tuple[int, list[dict[str, Any]]] | None = None
        for version_id, plan_id in versions:
            rows = [dict(r._mapping) for r in bind.execute(select, {'v': version_id})]
            old = previous[1] if previous is not None and previous[0] == plan_id else []
            matches = _pair(old, rows, tuple(keys))
            used: set[str] = set()
            for j, row in enumerate(rows):
                lineage = old[matches[j]]['lineage'] if j in matches else ''
                if not lineage or lineage in used:
                    lineage = str(uuid.uuid4())
                used.add(lineage)
                row['lineage'] = lineage
            if rows:
                bind.execute(update, [{'lineage': r['lineage'], 'id': r['id']} for r in rows])
            previous = (plan_id, rows)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('lineage', sa.String(length=36), nullable=True))
    _backfill(op.get_bind())
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('lineage', existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_version_id_lineage'), ['version_id', 'lineage'])


def downgrade() -> None:
    for table in reversed(list(TABLES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_version_id_lineage'), type_='unique')
            batch_op.drop_column('lineage')
