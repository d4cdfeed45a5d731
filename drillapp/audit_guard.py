"""The database's own guard on the audit trail and the runs' records: triggers that refuse UPDATE, DELETE (and on
PostgreSQL TRUNCATE) on audit_entry, audit_seal, log_entry and checklist_event, whoever connects.

Migrations 0002 (audit_entry), 0006 (audit_seal) and 0010 (log_entry, checklist_event: a drill's or an
incident's record, hash-chained by services/run_chain.py) create them; this module knows what they must look
like, so that start-up can refuse a database whose guard was dropped, disabled or replaced (`problems`),
and `drillapp db upgrade` can put it back (`restore`). The statements here are the migrations' own, word
for word: a test checks that a freshly migrated database has no problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from drillapp.i18n import N_, _

GUARDED_TABLES = ("audit_entry", "audit_seal", "log_entry", "checklist_event")
#: What can be wrong with a trigger, as shown to the administrator.
WHAT = {"missing": N_("missing"), "disabled": N_("disabled"), "changed": N_("changed")}

# PostgreSQL tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
_ROW_BEFORE_UPDATE_OR_DELETE = 1 | 2 | 8 | 16
_STATEMENT_BEFORE_TRUNCATE = 2 | 32


def message(table: str) -> str:
    return f"{table} is append-only"


def _plpgsql_body(table: str) -> str:
    return f"""
    BEGIN
        RAISE EXCEPTION '{message(table)}' USING HINT = TG_OP || ' refused on ' || TG_TABLE_NAME;
    END;
    """


def postgresql_statements(table: str) -> list[str]:
    """Create (or replace) the guard of one table on PostgreSQL."""
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $${_plpgsql_body(table)}$$""",
        f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
    ]


def postgresql_drop_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_append_only()",
    ]


def sqlite_statements(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message(table)}'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{message(table)}'); END;""",
    ]


def sqlite_drop_statements(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_delete", f"DROP TRIGGER IF EXISTS {table}_no_update"]


@dataclass(frozen=True)
class Problem:
    """One part of the guard that is not as the migrations made it (names are the database's own)."""

    table: str
    trigger: str
    what: str  # "missing", "disabled", "changed"

    def __str__(self) -> str:
        return _("{trigger} on {table}: {what}").format(trigger=self.trigger, table=self.table, what=_(WHAT[self.what]))


def _squash(sql: str) -> str:
    """SQL compared by its words (SQLite keeps a trigger's text without the final semicolon)."""
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").strip().lower()


def _table_exists(conn: Connection, table: str) -> bool:
    from sqlalchemy import inspect

    return inspect(conn).has_table(table)


def problems(conn: Connection, tables: tuple[str, ...] = GUARDED_TABLES) -> list[Problem]:
    """What is missing, disabled or changed in the guard of these tables (of those that exist)."""
    dialect = conn.dialect.name
    found: list[Problem] = []
    for table in tables:
        if not _table_exists(conn, table):
            continue
        if dialect == "sqlite":
            found += _sqlite_problems(conn, table)
        elif dialect == "postgresql":
            found += _postgresql_problems(conn, table)
        else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
            raise NotImplementedError(f"no audit guard for {dialect}")
    return found


def _sqlite_problems(conn: Connection, table: str) -> list[Problem]:
    rows = conn.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"), {"t": table}
    ).all()
    have = {name: sql for name, sql in rows}
    found = []
    for statement in sqlite_statements(table):
        name = statement.split()[2]
        if name not in have:
            found.append(Problem(table, name, "missing"))
        elif _squash(have[name]) != _squash(statement):
            found.append(Problem(table, name, "changed"))
    return found


def _postgresql_problems(conn: Connection, table: str) -> list[Problem]:
    rows = conn.execute(
        text(
            "SELECT t.tgname::text, t.tgtype, t.tgenabled::text, p.proname::text, p.prosrc"
            " FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE t.tgrelid = to_regclass(:t) AND NOT t.tgisinternal"
        ),
        {"t": table},
    ).all()
    have = {r[0]: r[1:] for r in rows}
    body = _squash(_plpgsql_body(table))
    found = []
    for name, tgtype in (
        (f"{table}_no_update_or_delete", _ROW_BEFORE_UPDATE_OR_DELETE),
        (f"{table}_no_truncate", _STATEMENT_BEFORE_TRUNCATE),
    ):
        if name not in have:
            found.append(Problem(table, name, "missing"))
            continue
        actual_type, enabled, function, source = have[name]
        if enabled not in ("O", "A"):  # D: disabled; R: fires only in replication sessions
            found.append(Problem(table, name, "disabled"))
        elif actual_type != tgtype or function != f"{table}_append_only" or _squash(source) != body:
            found.append(Problem(table, name, "changed"))
    return found


def restore(conn: Connection, tables: tuple[str, ...] = GUARDED_TABLES) -> list[Problem]:
    """Put back the guard of every table that has a problem (needs the owner's rights); returns what it fixed."""
    fixed = problems(conn, tables)
    dialect = conn.dialect.name
    for table in sorted({p.table for p in fixed}):
        if dialect == "sqlite":
            statements = sqlite_drop_statements(table) + sqlite_statements(table)
        else:
            # CREATE OR REPLACE FUNCTION is in postgresql_statements; the triggers are made afresh.
            statements = postgresql_drop_statements(table)[:2] + postgresql_statements(table)
        for statement in statements:
            conn.exec_driver_sql(statement)
    return fixed
