"""`drillapp db upgrade [--owner-url URL] [--app-role NAME]` and `drillapp audit verify`.

`db upgrade` needs no log-in: what authorises it is the database connection itself (the SQLite file, or
the PostgreSQL owner's URL). It also puts back the audit trail's triggers and re-grants the app role.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from drillapp.i18n import _


def add_db_upgrade_arguments(upgrade: argparse.ArgumentParser) -> None:
    upgrade.add_argument("--owner-url", metavar="URL", help="connect as the database's owner for the upgrade "
                         "(PostgreSQL: the workstations' own role may not change the schema)")
    upgrade.add_argument("--app-role", metavar="NAME", help="the PostgreSQL role the workstations connect as, to "
                         "be granted the app's rights (default: the user of --db / $DRILLAPP_DB when it is not "
                         "the owner; roles granted before are granted again anyway)")


def add_audit_parser(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the audit trail's hash chain")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="<verify>", required=True)
    verify = audit_sub.add_parser("verify", help="seal new entries, then check the chain: 'intact' (exit 0) or the "
                                  "first broken seal (exit 1)")
    verify.add_argument("--expect", metavar="HASH", help="a head hash kept from an earlier check: it must still be "
                        "in the chain")
    verify.add_argument("--json", action="store_true", help="print the result as a JSON object")


def _derived_app_role(args: argparse.Namespace) -> list[str]:
    """The user of the app's own URL (--db / $DRILLAPP_DB), when it names the owner's database as another user."""
    if args.app_role:
        return [args.app_role]
    if not args.owner_url:
        return []
    from sqlalchemy.engine import make_url

    from drillapp.db import resolve_url

    app, owner = make_url(resolve_url(args.db)), make_url(resolve_url(args.owner_url))
    same_database = (app.get_backend_name(), app.host, app.port, app.database) == (
        owner.get_backend_name(), owner.host, owner.port, owner.database)
    if owner.get_backend_name() == "postgresql" and same_database and app.username and app.username != owner.username:
        return [app.username]
    return []


def db_upgrade(args: argparse.Namespace) -> int:
    from drillapp import audit_guard, db_roles, schema
    from drillapp.db import Database

    database = Database.open(args.owner_url or args.db)
    try:
        with database.engine.connect() as conn:
            unguarded = audit_guard.problems(conn)
        schema.upgrade(database.engine, repair=True, app_roles=_derived_app_role(args))
        print(_("Database at schema {revision}: {url}").format(revision=schema.HEAD_REVISION, url=database.display_url))
        if unguarded:
            print(_("The audit trail's triggers were put back: {triggers}.").format(
                triggers="; ".join(str(p) for p in unguarded)))
        with database.engine.connect() as conn:
            roles = db_roles.granted_roles(conn)
        if roles:
            print(_("The app's role (rights to read and write rows only): {roles}").format(roles=", ".join(roles)))
        elif database.engine.dialect.name == "postgresql":
            print(_("No app role has rights on this database yet: the workstations would need the owner's URL. "
                    "Name their role with --app-role NAME (see docs/postgresql-setup.sql)."))
    finally:
        database.dispose()
    return 0


def audit_verify(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services.audit_seal import report_json

    report = world.services.audit_seal.verify(args.expect)
    if args.json:
        print(report_json(report))
    elif report.intact:
        print(report.message())
    if not report.intact and not args.json:
        print(f"drillapp: {report.message()}", file=sys.stderr)
    return 0 if report.intact else 1
