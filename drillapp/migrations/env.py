"""Alembic environment: runs against the connection the app hands in (see drillapp.schema)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool

import drillapp.models  # noqa: F401  (registers every table)
from drillapp.models.base import Base

# Tables the app does not own: before 0006, APScheduler kept each workstation's jobs in
# apscheduler_jobs_<hash>, created at run time; 0006 drops those the upgrading role owns, and any left
# (another role's) are not the schema's business.
FOREIGN_PREFIXES = ("apscheduler_jobs",)


def _foreign(name: str | None) -> bool:
    return name is not None and name.startswith(FOREIGN_PREFIXES)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and _foreign(name):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and _foreign(table.name))


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )


def run_migrations_online() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - the app never generates SQL scripts
    raise SystemExit("drillapp migrations run online only")
run_migrations_online()
