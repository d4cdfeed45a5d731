"""PostgreSQL roles: the owner changes the schema, the app's role only reads and writes rows.

The owner role (the one `drillapp db upgrade --owner-url` connects as) owns every table and runs the
migrations. The workstations connect as the app role, which may SELECT, INSERT, UPDATE and DELETE rows of
the app's tables, only SELECT and INSERT on the audit trail and its seals, only read alembic_version, and
use the id sequences: no DDL, no trigger changes, no TRUNCATE, nothing owned (see docs/postgresql-setup.sql).

`grant_app_role` (re)grants exactly that on whatever tables the schema has now; drillapp.schema runs it
at the end of every upgrade for the roles given and for those already granted (the database remembers
its app roles through their INSERT right on audit_entry), so a migration's new table is covered at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from drillapp.audit_guard import GUARDED_TABLES
from drillapp.i18n import _
from drillapp.services.errors import DomainError

READ_ONLY_TABLES = ("alembic_version",)
WRITE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
APPEND_RIGHTS = "SELECT, INSERT"


class RoleError(DomainError):
    """The app role cannot be used as asked (it does not exist, or it would have more rights than it should)."""


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _schema(conn: Connection) -> str:
    return conn.execute(text("SELECT current_schema()")).scalar_one()


def app_tables(conn: Connection) -> list[str]:
    """The app's tables present in the current schema (alembic_version included)."""
    import drillapp.models  # noqa: F401  (registers every table)
    from drillapp.models.base import Base

    present = set(inspect(conn).get_table_names())
    return sorted(present & ({t.name for t in Base.metadata.sorted_tables} | set(READ_ONLY_TABLES)))


def can_change_schema(conn: Connection) -> bool:
    """May this connection run migrations: on PostgreSQL, is it (a member of) the owner of the schema's tables?"""
    if conn.dialect.name != "postgresql":
        return True
    owner = conn.execute(
        text("SELECT tableowner::text FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'alembic_version'")
    ).scalar()
    if owner is None:
        return bool(conn.execute(text("SELECT has_schema_privilege(current_schema(), 'CREATE')")).scalar())
    return bool(conn.execute(text("SELECT pg_has_role(:owner, 'MEMBER')"), {"owner": owner}).scalar())


def granted_roles(conn: Connection) -> list[str]:
    """The app roles this database already has: every role but the owner that may INSERT into audit_entry."""
    if conn.dialect.name != "postgresql":
        return []
    rows = conn.execute(
        text(
            "SELECT DISTINCT r.rolname::text FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a"
            " JOIN pg_roles r ON r.oid = a.grantee"
            " WHERE c.oid = to_regclass('audit_entry') AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner"
            " ORDER BY 1"
        )
    )
    return [name for (name,) in rows]


def _check_role(conn: Connection, role: str) -> None:
    row = conn.execute(
        text("SELECT rolsuper, pg_has_role(:role, current_user, 'MEMBER'), :role = current_user"
             " FROM pg_roles WHERE rolname = :role"),
        {"role": role},
    ).first()
    if row is None:
        raise RoleError(_("There is no PostgreSQL role {role}: create it first (docs/postgresql-setup.sql).").format(
            role=role))
    superuser, member_of_owner, is_owner = row
    if superuser or member_of_owner or is_owner:
        raise RoleError(_(
            "The role {role} cannot be the app's role: it is a superuser, the owner, or a member of the owner, "
            "and would keep every right. Give the workstations a role of their own (docs/postgresql-setup.sql)."
        ).format(role=role))


def grant_app_role(conn: Connection, role: str) -> None:
    """Give `role` exactly the app's rights on the current schema (needs the owner's connection)."""
    _check_role(conn, role)
    schema, who = _quote(conn, _schema(conn)), _quote(conn, role)
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {who}")
    for table in app_tables(conn):
        rights = (APPEND_RIGHTS if table in GUARDED_TABLES else "SELECT" if table in READ_ONLY_TABLES
                  else WRITE_RIGHTS)
        conn.exec_driver_sql(f"GRANT {rights} ON TABLE {schema}.{_quote(conn, table)} TO {who}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}")
    excess = excess_rights(conn, role)
    if excess:
        raise RoleError(_("The role {role} still has rights the app must not have: {rights}. Remove them as the "
                          "database's owner (docs/postgresql-setup.sql) and upgrade again.").format(
            role=role, rights="; ".join(excess)))


def excess_rights(conn: Connection, role: str) -> list[str]:
    """What `role` may do beyond the app's rights on the current schema (empty when it is as it should be)."""
    found: list[str] = []
    if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        found.append("SUPERUSER")
    if conn.execute(text("SELECT has_schema_privilege(:r, current_schema(), 'CREATE')"), {"r": role}).scalar():
        found.append(f"CREATE ON SCHEMA {_schema(conn)}")
    owned = conn.execute(
        text("SELECT c.relname::text FROM pg_class c WHERE c.relnamespace = to_regnamespace(current_schema())"
             " AND pg_has_role(:r, c.relowner, 'MEMBER') ORDER BY 1 LIMIT 3"),
        {"r": role},
    ).scalars().all()
    if owned:
        found.append("OWNER OF " + ", ".join(owned))
    pairs = []
    for table in app_tables(conn):
        refused = ["TRUNCATE", "TRIGGER", "REFERENCES"]
        if table in GUARDED_TABLES or table in READ_ONLY_TABLES:
            refused += ["UPDATE", "DELETE"]
        if table in READ_ONLY_TABLES:
            refused.append("INSERT")
        pairs += [(table, right) for right in refused]
    held = conn.execute(
        text("SELECT p || ' ON ' || t FROM unnest(CAST(:tables AS text[]), CAST(:rights AS text[])) AS x(t, p)"
             " WHERE has_table_privilege(:r, to_regclass(t), p)"),
        {"r": role, "tables": [t for t, _p in pairs], "rights": [p for _t, p in pairs]},
    ).scalars().all()
    found += held
    return found
