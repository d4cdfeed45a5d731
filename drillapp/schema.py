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


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to head; returns (from, to). Refuses a database written by a newer drillapp."""
    before = current_revision(engine)
    if before == HEAD_REVISION:
        return before, before
    if before is not None and not _known(before):
        from drillapp.i18n import _

        raise SchemaTooNewError(
            _(
                "This database was written by a newer version of drillapp (schema {revision}). "
                "Install the newer drillapp to open it; this version will not touch it."
            ).format(revision=before)
        )
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
