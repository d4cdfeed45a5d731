"""Bring a database to the schema this code expects, at start-up and from `drillapp db upgrade`.

Start-up reads the `alembic_version` row directly and compares it with HEAD_REVISION, so an up-to-date
database never pays for importing Alembic. A test checks HEAD_REVISION against the revision scripts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, text

from drillapp.services.errors import DomainError

HEAD_REVISION = "0005"


class SchemaTooNewError(DomainError):
    pass


#: The triggers that keep the audit trail append-only (migration 0002), by dialect: a database without
#: them is not one this code wrote (or someone took them away).
AUDIT_TRIGGERS: dict[str, frozenset[str]] = {
    "sqlite": frozenset({"audit_entry_no_update", "audit_entry_no_delete"}),
    "postgresql": frozenset({"audit_entry_no_update_or_delete", "audit_entry_no_truncate"}),
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


def is_known(revision: str) -> bool:
    """Is this a revision this code has a migration for (so it can upgrade from it)?"""
    return revision == HEAD_REVISION or _known(revision)


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, KeyError):
        return False


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to head (a SQLite file switched to WAL first); returns (from, to). Refuses a database
    written by a newer drillapp before changing anything in it."""
    from drillapp.db import use_wal

    before = current_revision(engine)
    if before is not None and before != HEAD_REVISION and not _known(before):
        from drillapp.i18n import _

        raise SchemaTooNewError(  # before anything else: not even its journal mode is changed
            _(
                "This database was written by a newer version of drillapp (schema {revision}). "
                "Install the newer drillapp to open it; this version will not touch it."
            ).format(revision=before)
        )
    use_wal(engine)
    if before == HEAD_REVISION:
        return before, before
    from alembic import command

    run_alembic(engine, command.upgrade, "head")
    return before, HEAD_REVISION


def run_alembic(engine: Engine, fn: Any, *args: Any, stdout: Any = None) -> None:
    """Run an Alembic command (upgrade, downgrade) on the app's own connection, in one transaction.

    SQLite changes a table by rebuilding it (batch mode); with foreign keys on, dropping the old table would
    run the ON DELETE actions of every table pointing at it (deleting plan versions, nulling audit users,
    which the audit triggers refuse). So on SQLite foreign keys are off for the migration (the pragma can
    only be switched outside a transaction), checked with foreign_key_check before the commit, and on again
    afterwards."""
    cfg = alembic_config(engine)
    if stdout is not None:
        cfg.stdout = stdout
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # ends SQLAlchemy's autobegun (empty) transaction: the migration's own comes next
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                fn(cfg, *args)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration would leave broken links: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
