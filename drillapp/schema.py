"""Bring a database to the schema this code expects, at start-up and from `drillapp db upgrade`.

Start-up reads the `alembic_version` row directly and compares it with HEAD_REVISION, so an up-to-date
database never pays for importing Alembic. A test checks HEAD_REVISION against the revision scripts.

On PostgreSQL only the owner of the schema may upgrade it (`db upgrade --owner-url`); the workstations'
app role is told to ask for it. After every upgrade the app roles get their rights on the tables as they
now are (db_roles.py). `repair=True` (the `db upgrade` command) also puts back the audit trail's triggers
where they were dropped, disabled or changed (audit_guard.py); start-up only checks them (`check_guard`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from drillapp.errors import DomainError

HEAD_REVISION = "0011"


class SchemaTooNewError(DomainError):
    pass


class OwnerNeededError(DomainError):
    """The change needs the owner's rights and this connection (the app's role) does not have them."""


class AuditUnguardedError(DomainError):
    """The audit trail's triggers are missing, disabled or changed: nothing may be written."""


#: The triggers that keep the audit trail, its seal and the runs' records (log entries, checklist events)
#: append-only (migrations 0002, 0006, 0010), by dialect: a database without them is not one this code wrote (or
#: someone took them away).
_APPEND_ONLY = ("audit_entry", "audit_seal", "log_entry", "checklist_event")
AUDIT_TRIGGERS: dict[str, frozenset[str]] = {
    "sqlite": frozenset(f"{t}_no_{what}" for t in _APPEND_ONLY for what in ("update", "delete")),
    "postgresql": frozenset(f"{t}_no_{what}" for t in _APPEND_ONLY for what in ("update_or_delete", "truncate")),
}


def missing_parts(engine: Engine) -> tuple[list[str], list[str]]:
    """(tables, triggers) the schema at HEAD_REVISION has and this database lacks."""
    from drillapp.models import Base

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if engine.dialect.name == "sqlite":
            triggers = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        else:
            triggers = set(conn.execute(text(
                "SELECT tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace")).scalars())
    wanted = set(Base.metadata.tables) | {"alembic_version"}
    return sorted(wanted - tables), sorted(AUDIT_TRIGGERS.get(engine.dialect.name, frozenset()) - triggers)


def alembic_config(engine: Engine | None = None):  # noqa: ANN201 - alembic import kept lazy
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "drillapp:migrations")
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, KeyError):
        return False


def is_known(revision: str) -> bool:
    """Is this a revision this code has a migration for (so it can upgrade from it)?"""
    return revision == HEAD_REVISION or _known(revision)


def upgrade(
    engine: Engine, *, repair: bool = False, app_roles: tuple[str, ...] | list[str] = ()
) -> tuple[str | None, str]:
    """Upgrade to head (a SQLite file switched to WAL first); returns (from, to). Refuses a database written
    by a newer drillapp before changing anything in it.

    `repair`: also restore the audit trail's triggers. `app_roles`: PostgreSQL roles to (re)grant the app's
    rights to, besides those the database already has; grants are made whenever the schema changes.
    """
    from drillapp.db import use_wal

    before = current_revision(engine)
    if before is not None and before != HEAD_REVISION and not _known(before):
        from drillapp.i18n import _

        raise SchemaTooNewError(
            _(
                "This database was written by a newer version of drillapp (schema {revision}). "
                "Install the newer drillapp to open it; this version will not touch it."
            ).format(revision=before)
        )
    use_wal(engine)
    if before == HEAD_REVISION and not repair and not app_roles:
        return before, before
    from drillapp import audit_guard, db_roles

    with migration_connection(engine) as conn:
        needs_upgrade = before != HEAD_REVISION
        needs_repair = repair and bool(audit_guard.problems(conn))
        if not db_roles.can_change_schema(conn):
            if needs_upgrade or needs_repair or app_roles:
                raise _owner_needed(before, needs_upgrade)
            return before, HEAD_REVISION
        if needs_upgrade:
            from alembic import command

            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        if repair:
            audit_guard.restore(conn)
        if conn.dialect.name == "postgresql" and (needs_upgrade or needs_repair or app_roles or repair):
            for role in sorted(set(app_roles) | set(db_roles.granted_roles(conn))):
                db_roles.grant_app_role(conn, role)
    return before, HEAD_REVISION


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for changing the schema.

    SQLite changes a table by rebuilding it (batch mode); with foreign keys on, dropping the old table would
    run the ON DELETE actions of every table pointing at it (deleting plan versions, nulling audit users,
    which the audit triggers refuse). So on SQLite foreign keys are off for the migration (the pragma can
    only be switched outside a transaction), checked with foreign_key_check before the commit, and on again
    afterwards."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # ends SQLAlchemy's autobegun (empty) transaction: the migration's own comes next
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration would leave broken links: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def run_alembic(engine: Engine, fn: Any, *args: Any, stdout: Any = None) -> None:
    """Run an Alembic command (upgrade, downgrade) on the app's own connection, in one transaction (see
    `migration_connection`)."""
    cfg = alembic_config(engine)
    if stdout is not None:
        cfg.stdout = stdout
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, *args)


def _owner_needed(before: str | None, needs_upgrade: bool) -> OwnerNeededError:
    from drillapp.i18n import _

    if needs_upgrade:
        return OwnerNeededError(_(
            "This database needs an upgrade to schema {head} (it is at {revision}), which only its owner may "
            "make. Ask the administrator to run: drillapp db upgrade --owner-url postgresql://OWNER@HOST/DATABASE"
        ).format(head=HEAD_REVISION, revision=before or "-"))
    return OwnerNeededError(_(
        "Only the database's owner may change its schema, its triggers or its roles. Run: drillapp db upgrade "
        "--owner-url postgresql://OWNER@HOST/DATABASE"
    ))


def check_guard(engine: Engine) -> None:
    """Refuse a database whose audit trail is unguarded (its triggers dropped, disabled or changed)."""
    from drillapp import audit_guard

    with engine.connect() as conn:
        problems = audit_guard.problems(conn)
    if problems:
        from drillapp.i18n import _

        raise AuditUnguardedError(_(
            "The audit trail of this database is not protected ({problems}). Nothing will be written until an "
            "administrator runs drillapp db upgrade (on a shared database: drillapp db upgrade --owner-url ...), "
            "then drillapp audit verify."
        ).format(problems="; ".join(str(p) for p in problems)))
