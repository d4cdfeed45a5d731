"""Bring a database to the schema this code expects, at start-up and from `drillapp db upgrade`.

Start-up reads the `alembic_version` row directly and compares it with HEAD_REVISION, so an up-to-date
database never pays for importing Alembic. A test checks HEAD_REVISION against the revision scripts.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from drillapp.services.errors import DomainError

HEAD_REVISION = "0004"


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

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, HEAD_REVISION
