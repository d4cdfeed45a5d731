"""drill console and after-action reviews: the run's hash-chained record, checklist events, injects, tabletop
marks; HSEEP ratings, findings linked to plans and revisions, corrective actions to closure, hot wash, amendments

Revision ID: 0010
Revises: 0009
Create Date: 2027-02-01 09:00:00

Existing data is kept and brought into the new shape:
- checklist entries get their state (done where they were ticked), their recorded time (the tick's), and the
  phase and level of their plan action;
- every run's (and incident's) record becomes a hash chain: its log lines and, for each ticked entry, a "done"
  checklist event, in the order they happened, numbered and linked (SHA-256 over the previous link and the
  record's canonical content, services/run_chain.py); log lines get recorded_at = at;
- objective ratings move to HSEEP's four: met -> P, partly -> S, not met -> M;
- ports get their neighbour's time zone from the neighbouring country (DPRK UTC+9, Russia's Primorye UTC+10).
log_entry and checklist_event become append-only (triggers, word for word as drillapp/audit_guard.py makes them).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from drillapp.services import hashchain

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

AGENCY = sa.Enum('border_inspection', 'customs', 'quarantine', 'port_office', name='agency', native_enum=False,
                 create_constraint=True, length=32)
OLD_LOGKIND = sa.Enum('note', 'inject', 'muster', 'report', 'decision', 'system', name='logkind', native_enum=False,
                      create_constraint=True, length=32)
NEW_LOGKIND = sa.Enum('note', 'inject', 'muster', 'report', 'decision', 'system', 'pause', 'resume', name='logkind',
                      native_enum=False, create_constraint=True, length=32)
OLD_RATING = sa.Enum('met', 'partly', 'not_met', name='rating', native_enum=False, create_constraint=True, length=32)
NEW_RATING = sa.Enum('P', 'S', 'M', 'U', name='rating', native_enum=False, create_constraint=True, length=32)
PLAIN_RATING = sa.String(length=32)
RATINGS = {"met": "P", "partly": "S", "not_met": "M"}
NEIGHBOUR_ZONES = {"朝鲜": "Asia/Pyongyang", "DPRK": "Asia/Pyongyang", "North Korea": "Asia/Pyongyang",
                   "俄罗斯": "Asia/Vladivostok", "Russia": "Asia/Vladivostok"}
APPEND_ONLY = ("log_entry", "checklist_event")

LOG_FIELDS = ("seq", "at", "recorded_at", "author_id", "author_name", "agency", "kind", "text", "corrects_id")
EVENT_FIELDS = ("seq", "entry_id", "action", "happened_at", "recorded_at", "author_id", "author_name", "text")


def _false():
    return sa.false()


def upgrade() -> None:
    bind = op.get_bind()
    _new_tables()
    with op.batch_alter_table('port', schema=None) as batch_op:
        batch_op.add_column(sa.Column('neighbour_time_zone', sa.String(length=64), server_default='', nullable=False))
    port = sa.table('port', sa.column('neighbour_country', sa.String), sa.column('neighbour_time_zone', sa.String))
    for country, zone in NEIGHBOUR_ZONES.items():
        bind.execute(port.update().where(port.c.neighbour_country == country).values(neighbour_time_zone=zone))

    with op.batch_alter_table('drill_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unplanned', sa.Boolean(), server_default=_false(), nullable=False))
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('chain_head', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tabletop_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scenario_jump_minutes', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('chain_head', sa.String(length=64), server_default='', nullable=False))

    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase', sa.Enum('activation', 'alert', 'first_response', 'escalation',
                                                       'containment', 'recovery', 'stand_down', name='responsephase',
                                                       native_enum=False, create_constraint=True, length=32),
                                      nullable=True))
        batch_op.add_column(sa.Column('action_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state', sa.Enum('open', 'done', 'na', 'skipped', name='itemstate',
                                                       native_enum=False, create_constraint=True, length=32),
                                      server_default='open', nullable=False))
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
    op.execute("UPDATE checklist_entry SET state = 'done', recorded_at = done_at WHERE done_at IS NOT NULL")
    op.execute("UPDATE checklist_entry SET phase = (SELECT plan_action.phase FROM plan_action WHERE plan_action.id = "
               "checklist_entry.plan_action_id), action_level = (SELECT plan_action.level FROM plan_action WHERE "
               "plan_action.id = checklist_entry.plan_action_id) WHERE plan_action_id IS NOT NULL")

    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('kind', existing_type=OLD_LOGKIND, type_=NEW_LOGKIND, existing_nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_log_entry_corrects_id_log_entry'), 'log_entry', ['corrects_id'],
                                    ['id'], ondelete='RESTRICT')
    _chain_existing_records(bind)
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('chain_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_log_entry_drill_run_id_seq'), ['drill_run_id', 'seq'])
        batch_op.create_unique_constraint(batch_op.f('uq_log_entry_incident_id_seq'), ['incident_id', 'seq'])

    with op.batch_alter_table('objective_rating', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objective_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('rated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rated_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_objective_rating_rated_by_id_app_user'), 'app_user',
                                    ['rated_by_id'], ['id'], ondelete='SET NULL')
        batch_op.alter_column('rating', existing_type=OLD_RATING, type_=PLAIN_RATING, existing_nullable=False)
    for old, new in RATINGS.items():
        op.execute(f"UPDATE objective_rating SET rating = '{new}' WHERE rating = '{old}'")
    op.execute("UPDATE objective_rating SET objective_text = (SELECT drill_objective.text FROM drill_objective "
               "WHERE drill_objective.id = objective_rating.objective_id) WHERE objective_id IS NOT NULL")
    with op.batch_alter_table('objective_rating', schema=None) as batch_op:
        batch_op.alter_column('rating', existing_type=PLAIN_RATING, type_=NEW_RATING, existing_nullable=False)

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.Boolean(), server_default=_false(), nullable=False))
        batch_op.add_column(sa.Column('source', sa.Enum('evaluator', 'hot_wash', 'tabletop', name='findingsource',
                                                        native_enum=False, create_constraint=True, length=32),
                                      server_default='evaluator', nullable=False))
        batch_op.add_column(sa.Column('agency', AGENCY, nullable=True))
        batch_op.add_column(sa.Column('root_cause', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('objective_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_section_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_action_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_contact_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('plan_resource_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revision_version_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_finding_revision_version_id'), ['revision_version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_finding_plan_action_id_plan_action'), 'plan_action',
                                    ['plan_action_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_finding_revision_version_id_plan_version'), 'plan_version',
                                    ['revision_version_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_finding_objective_id_drill_objective'), 'drill_objective',
                                    ['objective_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_finding_plan_contact_id_plan_contact'), 'plan_contact',
                                    ['plan_contact_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_finding_plan_section_id_plan_section'), 'plan_section',
                                    ['plan_section_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_finding_plan_resource_id_plan_resource'), 'plan_resource',
                                    ['plan_resource_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capability', sa.Enum('plan', 'organisation', 'equipment', 'training',
                                                            'exercise', name='capability', native_enum=False,
                                                            create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('start_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('evidence', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closes_with_revision', sa.Boolean(), server_default=_false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_corrective_action_verified_by_id_app_user'), 'app_user',
                                    ['verified_by_id'], ['id'], ondelete='SET NULL')

    for statement in _guard_statements(bind.dialect.name):
        op.execute(statement)


def _new_tables() -> None:
    op.create_table('run_inject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_run_id', sa.Integer(), nullable=False),
    sa.Column('inject_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('delivered', 'delayed', 'skipped', name='injectstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('due_minutes', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['drill_run_id'], ['drill_run.id'], name=op.f('fk_run_inject_drill_run_id_drill_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inject_id'], ['inject.id'], name=op.f('fk_run_inject_inject_id_inject'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['app_user.id'], name=op.f('fk_run_inject_marked_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_run_inject')),
    sa.UniqueConstraint('drill_run_id', 'inject_id', name=op.f('uq_run_inject_drill_run_id_inject_id'))
    )
    with op.batch_alter_table('run_inject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_inject_drill_run_id'), ['drill_run_id'], unique=False)

    op.create_table('tabletop_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_run_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('inject_id', sa.Integer(), nullable=True),
    sa.Column('item_key', sa.String(length=64), nullable=False),
    sa.Column('agency', AGENCY, nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('discussed', 'adequate', 'gap', name='markstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['drill_run_id'], ['drill_run.id'], name=op.f('fk_tabletop_mark_drill_run_id_drill_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inject_id'], ['inject.id'], name=op.f('fk_tabletop_mark_inject_id_inject'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['app_user.id'], name=op.f('fk_tabletop_mark_marked_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tabletop_mark')),
    sa.UniqueConstraint('drill_run_id', 'step', 'item_key', name=op.f('uq_tabletop_mark_drill_run_id_step_item_key'))
    )
    with op.batch_alter_table('tabletop_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tabletop_mark_drill_run_id'), ['drill_run_id'], unique=False)

    op.create_table('checklist_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_run_id', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('done', 'na', 'skipped', 'reopen', 'note', name='eventaction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('(drill_run_id IS NULL) <> (incident_id IS NULL)', name=op.f('ck_checklist_event_one_owner')),
    sa.ForeignKeyConstraint(['drill_run_id'], ['drill_run.id'], name=op.f('fk_checklist_event_drill_run_id_drill_run'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entry_id'], ['checklist_entry.id'], name=op.f('fk_checklist_event_entry_id_checklist_entry'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_checklist_event_incident_id_incident'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_event')),
    sa.UniqueConstraint('drill_run_id', 'seq', name=op.f('uq_checklist_event_drill_run_id_seq')),
    sa.UniqueConstraint('incident_id', 'seq', name=op.f('uq_checklist_event_incident_id_seq'))
    )
    with op.batch_alter_table('checklist_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_event_entry_id'), ['entry_id'], unique=False)

    op.create_table('review_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_review_amendment_author_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['after_action_review.id'], name=op.f('fk_review_amendment_review_id_after_action_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_amendment'))
    )
    with op.batch_alter_table('review_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_amendment_review_id'), ['review_id'], unique=False)

    op.create_table('hot_wash_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('agency', AGENCY, nullable=True),
    sa.Column('kind', sa.Enum('went_well', 'to_improve', name='hotwashkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_hot_wash_note_author_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_hot_wash_note_finding_id_finding'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['after_action_review.id'], name=op.f('fk_hot_wash_note_review_id_after_action_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hot_wash_note'))
    )
    with op.batch_alter_table('hot_wash_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hot_wash_note_review_id'), ['review_id'], unique=False)


# -- the existing records as hash chains ------------------------------------------------------------------

_log = sa.table(
    'log_entry', sa.column('id', sa.Integer), sa.column('drill_run_id', sa.Integer),
    sa.column('incident_id', sa.Integer), sa.column('at', sa.DateTime), sa.column('recorded_at', sa.DateTime),
    sa.column('author_id', sa.Integer), sa.column('author_name', sa.String), sa.column('agency', sa.String),
    sa.column('kind', sa.String), sa.column('text', sa.Text), sa.column('corrects_id', sa.Integer),
    sa.column('seq', sa.Integer), sa.column('chain_hash', sa.String),
)
_entry = sa.table(
    'checklist_entry', sa.column('id', sa.Integer), sa.column('drill_run_id', sa.Integer),
    sa.column('incident_id', sa.Integer), sa.column('done_at', sa.DateTime), sa.column('done_by_id', sa.Integer),
    sa.column('note', sa.Text),
)
_event = sa.table(
    'checklist_event', sa.column('drill_run_id', sa.Integer), sa.column('incident_id', sa.Integer),
    sa.column('entry_id', sa.Integer), sa.column('seq', sa.Integer), sa.column('action', sa.String),
    sa.column('happened_at', sa.DateTime), sa.column('recorded_at', sa.DateTime),
    sa.column('author_id', sa.Integer), sa.column('author_name', sa.String), sa.column('text', sa.Text),
    sa.column('chain_hash', sa.String),
)
_user = sa.table('app_user', sa.column('id', sa.Integer), sa.column('username', sa.String))


def _payload(record: str, owner: str, fields: tuple[str, ...], values: dict) -> bytes:
    """As services/run_chain.py makes it (a test checks that the chains made here verify there)."""
    return hashchain.canonical({"record": record, "owner": owner, **{k: values[k] for k in fields}})


def _chain_existing_records(bind) -> None:  # noqa: ANN001
    names = dict(bind.execute(sa.select(_user.c.id, _user.c.username)).all())
    for owner_table, column in (("drill_run", "drill_run_id"), ("incident", "incident_id")):
        owners = sa.table(owner_table, sa.column('id', sa.Integer), sa.column('chain_seq', sa.Integer),
                          sa.column('chain_head', sa.String))
        records: dict[int, list[tuple]] = {}
        for row in bind.execute(sa.select(_log).where(_log.c[column].is_not(None))).mappings():
            records.setdefault(row[column], []).append((row["at"], 0, row["id"], "log", dict(row)))
        for row in bind.execute(sa.select(_entry).where(_entry.c[column].is_not(None),
                                                         _entry.c.done_at.is_not(None))).mappings():
            records.setdefault(row[column], []).append((row["done_at"], 1, row["id"], "event", dict(row)))
        for owner_id, items in records.items():
            owner = f"{owner_table}:{owner_id}"
            head = hashchain.genesis(owner)
            log_updates, events = [], []
            for seq, (_at, _order, _id, what, row) in enumerate(sorted(items, key=lambda r: r[:3]), start=1):
                if what == "log":
                    values = {**row, "seq": seq, "recorded_at": row["at"], "corrects_id": None}
                    head = hashchain.link(head, _payload("log_entry", owner, LOG_FIELDS, values))
                    log_updates.append({"b_id": row["id"], "b_seq": seq, "b_hash": head, "b_recorded": row["at"]})
                else:
                    values = {"seq": seq, "entry_id": row["id"], "action": "done", "happened_at": row["done_at"],
                              "recorded_at": row["done_at"], "author_id": row["done_by_id"],
                              "author_name": names.get(row["done_by_id"], "") if row["done_by_id"] else "",
                              "text": row["note"] or ""}
                    head = hashchain.link(head, _payload("checklist_event", owner, EVENT_FIELDS, values))
                    events.append({**values, column: owner_id, "chain_hash": head})
            if log_updates:
                bind.execute(_log.update().where(_log.c.id == sa.bindparam("b_id")).values(
                    seq=sa.bindparam("b_seq"), chain_hash=sa.bindparam("b_hash"),
                    recorded_at=sa.bindparam("b_recorded")), log_updates)
            if events:
                bind.execute(_event.insert(), [{"drill_run_id": None, "incident_id": None, **e} for e in events])
            bind.execute(owners.update().where(owners.c.id == owner_id).values(chain_seq=len(items), chain_head=head))


# -- append-only --------------------------------------------------------------------------------------------


def _guard_statements(dialect: str) -> list[str]:
    """The triggers of drillapp/audit_guard.py for the run record's tables (its own words)."""
    out: list[str] = []
    for table in APPEND_ONLY:
        message = f"{table} is append-only"
        if dialect == "sqlite":
            out += [
                f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message}'); END;""",
                f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message}'); END;""",
            ]
        elif dialect == "postgresql":
            out += [
                f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{message}' USING HINT = TG_OP || ' refused on ' || TG_TABLE_NAME;
    END;
    $$""",
                f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
            ]
        else:
            raise NotImplementedError(f"no append-only triggers for {dialect}")
    return out


def _unguard_statements(dialect: str) -> list[str]:
    out: list[str] = []
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            out += [f"DROP TRIGGER IF EXISTS {table}_no_delete", f"DROP TRIGGER IF EXISTS {table}_no_update"]
        else:
            out += [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                    f"DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {table}",
                    f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return out


def downgrade() -> None:
    """Back to 0006: the chains, events, injects, marks, hot-wash notes and amendments go; ratings map back
    (P -> met, S -> partly, M and U -> not met)."""
    bind = op.get_bind()
    for statement in _unguard_statements(bind.dialect.name):
        op.execute(statement)
    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_corrective_action_verified_by_id_app_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_corrective_action_capability'), type_='check')
        for column in ('closes_with_revision', 'verified_at', 'verified_by_id', 'evidence', 'start_on', 'capability'):
            batch_op.drop_column(column)
    with op.batch_alter_table('finding', schema=None) as batch_op:
        for fk in ('plan_resource_id_plan_resource', 'plan_section_id_plan_section', 'plan_contact_id_plan_contact',
                   'objective_id_drill_objective', 'revision_version_id_plan_version', 'plan_action_id_plan_action'):
            batch_op.drop_constraint(batch_op.f(f'fk_finding_{fk}'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_finding_revision_version_id'))
        batch_op.drop_constraint(batch_op.f('ck_finding_findingsource'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_finding_agency'), type_='check')
        for column in ('revision_version_id', 'plan_resource_id', 'plan_contact_id', 'plan_action_id',
                       'plan_section_id', 'objective_id', 'root_cause', 'agency', 'source', 'draft'):
            batch_op.drop_column(column)
    with op.batch_alter_table('objective_rating', schema=None) as batch_op:
        batch_op.alter_column('rating', existing_type=NEW_RATING, type_=PLAIN_RATING, existing_nullable=False)
    for old, new in (("met", "P"), ("partly", "S"), ("not_met", "M"), ("not_met", "U")):
        op.execute(f"UPDATE objective_rating SET rating = '{old}' WHERE rating = '{new}'")
    with op.batch_alter_table('objective_rating', schema=None) as batch_op:
        batch_op.alter_column('rating', existing_type=PLAIN_RATING, type_=OLD_RATING, existing_nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_objective_rating_rated_by_id_app_user'), type_='foreignkey')
        for column in ('rated_at', 'rated_by_id', 'objective_text'):
            batch_op.drop_column(column)
    op.execute("DELETE FROM log_entry WHERE kind IN ('pause', 'resume')")
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_log_entry_corrects_id_log_entry'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_log_entry_incident_id_seq'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_log_entry_drill_run_id_seq'), type_='unique')
        batch_op.alter_column('kind', existing_type=NEW_LOGKIND, type_=OLD_LOGKIND, existing_nullable=False)
        for column in ('chain_hash', 'seq', 'corrects_id', 'recorded_at'):
            batch_op.drop_column(column)
    op.execute("UPDATE checklist_entry SET done_at = NULL, done_by_id = NULL WHERE state <> 'done'")
    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_checklist_entry_responsephase'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_checklist_entry_itemstate'), type_='check')
        for column in ('reason', 'recorded_at', 'state', 'action_level', 'phase'):
            batch_op.drop_column(column)
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_column('chain_head')
        batch_op.drop_column('chain_seq')
    with op.batch_alter_table('drill_run', schema=None) as batch_op:
        for column in ('scenario_jump_minutes', 'tabletop_step', 'chain_head', 'chain_seq', 'unplanned'):
            batch_op.drop_column(column)
    with op.batch_alter_table('port', schema=None) as batch_op:
        batch_op.drop_column('neighbour_time_zone')
    for table in ('hot_wash_note', 'review_amendment', 'checklist_event', 'tabletop_mark', 'run_inject'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_' + {'hot_wash_note': 'review_id', 'review_amendment':
                                                            'review_id', 'checklist_event': 'entry_id',
                                                            'tabletop_mark': 'drill_run_id',
                                                            'run_inject': 'drill_run_id'}[table]))
        op.drop_table(table)
