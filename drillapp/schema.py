"""Bring a database to the schema this code expects, at start-up and from `drillapp db upgrade`.

Start-up reads the `alembic_version` row directly and compares it with HEAD_REVISION, so an up-to-date
database never pays for importing Alembic. A test checks HEAD_REVISION against the revision scripts.

On PostgreSQL only the owner of the schema may upgrade it (`db upgrade --owner-url`); the workstations'
app role is told to ask for it. After every upgrade the app roles get their rights on the tables as they
now are (db_roles.py). `repair=True` (the `db upgrade` command) also puts back the audit trail's triggers
where they were dropped, disabled or changed (audit_guard.py); start-up only checks them (`check_guard`).
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from drillapp.services.errors import DomainError

HEAD_REVISION = "0006"


class SchemaTooNewError(DomainError):
    pass


class OwnerNeededError(DomainError):
    """The change needs the owner's rights and this connection (the app's role) does not have them."""


class AuditUnguardedError(DomainError):
    """The audit trail's triggers are missing, disabled or changed: nothing may be written."""


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


def upgrade(
    engine: Engine, *, repair: bool = False, app_roles: tuple[str, ...] | list[str] = ()
) -> tuple[str | None, str]:
    """Upgrade to head; returns (from, to). Refuses a database written by a newer drillapp.

    `repair`: also restore the audit trail's triggers. `app_roles`: PostgreSQL roles to (re)grant the app's
    rights to, besides those the database already has; grants are made whenever the schema changes.
    """
    before = current_revision(engine)
    if before == HEAD_REVISION and not repair and not app_roles:
        return before, before
    if before is not None and before != HEAD_REVISION and not _known(before):
        from drillapp.i18n import _

        raise SchemaTooNewError(
            _(
                "This database was written by a newer version of drillapp (schema {revision}). "
                "Install the newer drillapp to open it; this version will not touch it."
            ).format(revision=before)
        )
    from drillapp import audit_guard, db_roles

    with engine.begin() as conn:
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
