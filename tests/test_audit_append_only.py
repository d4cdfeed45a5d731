"""The audit trail is append-only in the database itself: triggers (migration 0002) refuse UPDATE and
DELETE on audit_entry whoever connects, on SQLite and PostgreSQL; new entries are still written."""

from __future__ import annotations

import io

import pytest
from alembic import command
from helpers import builders
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from drillapp import schema
from drillapp.db import Database
from drillapp.models import AuditEntry
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.org import UserService


@pytest.fixture(params=["sqlite", "postgresql"])
def audited_db(request: pytest.FixtureRequest) -> Database:
    """A migrated database of each kind with a few audit entries (PostgreSQL skips when unreachable)."""
    database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    admin = UserService(database, SYSTEM_ACTOR).ensure_local_user("admin")
    builders.port_with_branches(Services(database, admin))
    return database


def _trail(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id))]


def _downgrade_to(db: Database, revision: str) -> None:
    schema.run_alembic(db.engine, command.downgrade, revision, stdout=io.StringIO())


def test_update_of_an_audit_entry_is_refused(audited_db):
    before = _trail(audited_db)
    assert len(before) > 1

    with pytest.raises(DBAPIError, match="append-only"), audited_db.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.id == before[-1][0]).values(username="mallory"))

    assert _trail(audited_db) == before


def test_delete_of_audit_entries_is_refused(audited_db):
    before = _trail(audited_db)

    with pytest.raises(DBAPIError, match="append-only"), audited_db.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.id == before[0][0]))
    with pytest.raises(DBAPIError, match="append-only"), audited_db.engine.begin() as conn:
        conn.execute(delete(AuditEntry))  # the whole table at once as well

    assert _trail(audited_db) == before


def test_raw_sql_is_refused_too_and_new_entries_are_still_written(audited_db):
    before = _trail(audited_db)
    with pytest.raises(DBAPIError, match="append-only"), audited_db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET after = NULL"))

    admin = UserService(audited_db, SYSTEM_ACTOR).ensure_local_user("admin")
    Services(audited_db, admin).org.create_port("HC", "珲春口岸", "Hunchun Port")

    after = _trail(audited_db)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_truncate_is_refused_on_postgresql(request: pytest.FixtureRequest):
    database = request.getfixturevalue("pg_db")
    UserService(database, SYSTEM_ACTOR).ensure_local_user("admin")

    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_entry"))

    with database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_downgrade_removes_the_triggers_and_upgrade_puts_them_back(audited_db):
    _downgrade_to(audited_db, "0001")
    with audited_db.engine.begin() as conn:
        conn.execute(update(AuditEntry).values(operation="rewritten"))  # allowed without the triggers

    assert schema.upgrade(audited_db.engine) == ("0001", schema.HEAD_REVISION)

    with pytest.raises(DBAPIError, match="append-only"), audited_db.engine.begin() as conn:
        conn.execute(update(AuditEntry).values(operation="again"))
