"""Start-up refuses a database whose audit trail lost its triggers (dropped, disabled, replaced), writing
nothing, and `drillapp db upgrade` puts them back; a freshly migrated database has exactly the guard that
drillapp/audit_guard.py expects."""

from __future__ import annotations

import pytest
from helpers import databases
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from drillapp import audit_guard, schema
from drillapp.bootstrap import open_database, open_world
from drillapp.cli import main
from drillapp.db import Database
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.org import UserService


@pytest.fixture(params=["sqlite", "postgresql"])
def guarded(request: pytest.FixtureRequest) -> Database:
    database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    UserService(database, SYSTEM_ACTOR).ensure_local_user("admin")
    return database


def _execute(db: Database, *statements: str) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def _problems(db: Database) -> list[audit_guard.Problem]:
    with db.engine.connect() as conn:
        return audit_guard.problems(conn)


def _update_is_refused(db: Database) -> bool:
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET username = 'mallory'"))
    except DBAPIError as exc:
        return "append-only" in str(exc)
    return False


def test_a_migrated_database_has_the_guard_the_app_expects(guarded):
    assert _problems(guarded) == []
    schema.check_guard(guarded.engine)  # does not raise


def test_start_up_refuses_a_database_whose_trigger_was_dropped_and_db_upgrade_puts_it_back(guarded, capsys):
    trigger = "audit_entry_no_update" if guarded.is_sqlite else "audit_entry_no_update_or_delete"
    _execute(guarded, f"DROP TRIGGER {trigger}" + ("" if guarded.is_sqlite else " ON audit_entry"))
    counts = databases.row_counts(guarded)

    with pytest.raises(schema.AuditUnguardedError) as refused:
        open_world(guarded.url, "admin")

    assert f"{trigger} on audit_entry: missing" in refused.value.message
    assert "drillapp db upgrade" in refused.value.message
    assert databases.row_counts(guarded) == counts, "nothing written, not even the log-in"
    assert schema.upgrade(guarded.engine) == (schema.HEAD_REVISION, schema.HEAD_REVISION)
    with pytest.raises(schema.AuditUnguardedError):
        open_database(guarded.url)  # start-up's own upgrade does not put it back: it refuses

    assert main(["--db", guarded.url, "db", "upgrade"]) == 0

    out = capsys.readouterr().out
    assert f"The audit trail's triggers were put back: {trigger} on audit_entry: missing." in out
    assert _problems(guarded) == []
    assert _update_is_refused(guarded)
    open_database(guarded.url).dispose()


def test_a_dropped_seal_trigger_is_refused_too(guarded):
    _execute(guarded, "DROP TRIGGER audit_seal_no_delete" if guarded.is_sqlite else
             "DROP TRIGGER audit_seal_no_truncate ON audit_seal")

    with pytest.raises(schema.AuditUnguardedError, match="audit_seal"):
        open_database(guarded.url)

    schema.upgrade(guarded.engine, repair=True)
    assert _problems(guarded) == []


@pytest.mark.sqlite_only("replaces a trigger in SQLite's own syntax; the PostgreSQL kinds are tested below")
def test_a_trigger_replaced_by_a_harmless_one_of_the_same_name_is_seen(db):
    _execute(db, "DROP TRIGGER audit_entry_no_delete",
             "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry WHEN 0 BEGIN SELECT 1; END")

    assert [str(p) for p in _problems(db)] == ["audit_entry_no_delete on audit_entry: changed"]

    schema.upgrade(db.engine, repair=True)
    assert _problems(db) == []


def test_on_postgresql_a_disabled_trigger_or_a_hollowed_function_is_seen(pg_db):
    UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")  # an entry for the UPDATE to be refused on
    _execute(pg_db, "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate")
    assert [str(p) for p in _problems(pg_db)] == ["audit_entry_no_truncate on audit_entry: disabled"]
    _execute(pg_db, "ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate",
             "CREATE OR REPLACE FUNCTION audit_seal_append_only() RETURNS trigger LANGUAGE plpgsql AS "
             "$$ BEGIN RETURN NEW; END; $$")
    assert {p.what for p in _problems(pg_db)} == {"changed"}
    assert {p.table for p in _problems(pg_db)} == {"audit_seal"}
    _execute(pg_db, "ALTER TABLE audit_entry ENABLE REPLICA TRIGGER audit_entry_no_update_or_delete")
    assert "audit_entry_no_update_or_delete on audit_entry: disabled" in [str(p) for p in _problems(pg_db)]

    schema.upgrade(pg_db.engine, repair=True)

    assert _problems(pg_db) == []
    assert _update_is_refused(pg_db)
    with pytest.raises(DBAPIError, match="audit_seal is append-only"), pg_db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_seal"))
