"""The shared PostgreSQL database with two roles, set up by docs/postgresql-setup.sql: the owner upgrades
(`drillapp db upgrade --owner-url`), the workstations' app role reads and writes rows and adds to the audit
trail, and can neither change the schema nor touch the trail's triggers, entries or seals."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from helpers import databases
from sqlalchemy import text
from sqlalchemy.engine import make_url

from drillapp import db_roles, schema
from drillapp.bootstrap import open_database, open_world
from drillapp.cli import main
from drillapp.db import Database
from drillapp.models import Member
from drillapp.models.enums import Agency
from drillapp.scheduling.reminder_desk import ReminderDesk

SETUP_SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "postgresql-setup.sql"


@dataclass(frozen=True)
class Roles:
    owner: str
    app: str
    database: str
    owner_url: str
    app_url: str


def _server_url() -> str:
    return make_url(databases.PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)


def _drop(roles: Roles) -> None:
    with psycopg.connect(_server_url(), autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(roles.database)))
        for role in (roles.app, roles.owner):
            conn.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(role)))


@pytest.fixture
def roles():
    """A database of its own made by the set-up script, with its owner and app roles (all dropped afterwards)."""
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql (PostgreSQL's client) is not installed: the set-up script is a psql script")
    server = make_url(_server_url())
    prefix = "drillapp_test_" + (server.database or "test").removeprefix("test_")
    made = Roles(f"{prefix}_owner", f"{prefix}_app", f"{prefix}_db", "", "")
    made = Roles(made.owner, made.app, made.database,
                 server.set(username=made.owner, password=None, database=made.database).render_as_string(False),
                 server.set(username=made.app, password=None, database=made.database).render_as_string(False))
    _drop(made)
    result = subprocess.run(
        [psql, _server_url(), "-X", "-q", "-f", str(SETUP_SCRIPT),
         "-v", f"owner={made.owner}", "-v", f"app={made.app}", "-v", f"database={made.database}"],
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0 and "permission denied" in result.stderr:
        pytest.skip(f"the server's test role may not create roles and databases: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    try:
        yield made
    finally:
        _drop(made)


def _upgrade(roles: Roles, *more: str) -> int:
    return main(["--db", roles.app_url, "db", "upgrade", "--owner-url", roles.owner_url, *more])


def _refused(url: str, statement: str) -> str:
    """Run `statement` as the URL's role; returns the server's refusal (fails the test if it was allowed)."""
    with psycopg.connect(url) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege as exc:
            conn.rollback()
            return str(exc)
        conn.rollback()
    pytest.fail(f"allowed to the app role: {statement}")


def test_the_app_role_cannot_change_the_schema_the_triggers_or_the_trail(roles, capsys):
    assert _upgrade(roles) == 0
    out = capsys.readouterr().out
    assert f"The app's role (rights to read and write rows only): {roles.app}" in out
    world = open_world(roles.app_url, "zhao")  # a write and its audit entry, as the app role
    world.services.org.create_port("QH", "青河口岸")
    world.services.audit_seal.seal()
    world.db.dispose()

    for statement in [
        "DROP TRIGGER audit_entry_no_update_or_delete ON audit_entry",
        "ALTER TABLE audit_entry DISABLE TRIGGER USER",
        "ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_no_update_or_delete",
        "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RETURN NEW; END; $$",
        "ALTER TABLE member ADD COLUMN secret text",
        "DROP TABLE reminder",
        "CREATE TABLE apscheduler_jobs_x (id text)",
        "UPDATE audit_entry SET username = 'mallory'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
        "UPDATE audit_seal SET chain_hash = 'x'",
        "DELETE FROM audit_seal",
        "TRUNCATE member CASCADE",
        "UPDATE alembic_version SET version_num = '0001'",
        "CREATE TRIGGER t BEFORE INSERT ON member FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
    ]:
        assert any(word in _refused(roles.app_url, statement) for word in ("permission denied", "must be owner"))

    owner = Database.open(roles.owner_url)
    try:
        with owner.engine.connect() as conn:
            assert db_roles.granted_roles(conn) == [roles.app]
            assert db_roles.excess_rights(conn, roles.app) == []
            assert conn.execute(text("SELECT username FROM audit_entry WHERE operation = 'org.create_port'")).all() == [
                ("zhao",)]
    finally:
        owner.dispose()


def test_the_app_works_as_the_app_role(roles):
    assert _upgrade(roles) == 0
    world = open_world(roles.app_url, "zhao")
    try:
        port = world.services.org.create_port("QH", "青河口岸")
        member = world.services.team.create_member(world.services.org.create_branch(port, Agency.CUSTOMS, "海关"), "李娜")
        world.services.team.update_member(member, post="科长", expected_version=world.services.team.version_of(Member, member))
        world.services.reminders.refresh()
        shown: list = []
        desk = ReminderDesk(world.services.reminders, BackgroundScheduler(), shown.append)
        desk.start()  # its jobs in memory: nothing to create in the database
        desk.stop()
        report = world.services.audit_seal.verify()
        assert report.intact and report.sealed >= 5
    finally:
        world.db.dispose()


def test_an_upgrade_needs_the_owner_and_grants_the_new_tables(roles, capsys):
    assert _upgrade(roles) == 0
    owner = Database.open(roles.owner_url)
    try:
        cfg = schema.alembic_config(owner.engine)
        from alembic import command

        with owner.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004")  # as if this drillapp were new: audit_seal to be made
    finally:
        owner.dispose()
    capsys.readouterr()

    with pytest.raises(schema.OwnerNeededError, match="--owner-url"):
        open_database(roles.app_url)
    assert main(["--db", roles.app_url, "db", "upgrade"]) == 1
    assert "drillapp db upgrade --owner-url" in capsys.readouterr().err

    assert _upgrade(roles) == 0  # the app role is known by its rights already, and derived from --db

    world = open_world(roles.app_url, "zhao")
    try:
        assert world.services.audit_seal.verify().intact  # it may write to the table 0006 made
    finally:
        world.db.dispose()


def test_a_role_with_too_many_rights_is_refused(roles, capsys):
    owner = Database.open(roles.owner_url)
    try:
        with owner.engine.connect() as conn:
            for wrong in (roles.owner, make_url(_server_url()).username, "drillapp_no_such_role"):
                with pytest.raises(db_roles.RoleError):
                    db_roles.grant_app_role(conn, wrong)
    finally:
        owner.dispose()
    assert _upgrade(roles) == 0
    superuser_url = make_url(_server_url()).set(database=roles.database).render_as_string(False)
    app = psycopg.sql.Identifier(roles.app)
    with psycopg.connect(superuser_url, autocommit=True) as superuser:  # a right too many, given by hand
        superuser.execute(psycopg.sql.SQL("GRANT UPDATE, DELETE ON audit_entry TO {}").format(app))
    assert _upgrade(roles) == 0, "the owner's upgrade takes it back"
    with psycopg.connect(superuser_url, autocommit=True) as superuser:
        assert not superuser.execute("SELECT has_table_privilege(%s, 'audit_entry', 'UPDATE')", [roles.app]).fetchone()[0]
        superuser.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")  # every role may create tables (as before 15)
    capsys.readouterr()

    assert _upgrade(roles) == 1
    assert "CREATE ON SCHEMA public" in capsys.readouterr().err

    with psycopg.connect(superuser_url, autocommit=True) as superuser:
        superuser.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        superuser.execute(psycopg.sql.SQL("GRANT {} TO {}").format(psycopg.sql.Identifier(roles.owner), app))
    assert _upgrade(roles) == 1
    assert "a member of the owner" in capsys.readouterr().err


def test_history_rewritten_by_the_owner_is_caught_by_verify_as_the_app_role(roles, capsys):
    """The owner can take the triggers away, rewrite, and put them back (start-up then sees nothing amiss):
    the seal made before shows it."""
    assert _upgrade(roles) == 0
    world = open_world(roles.app_url, "zhao")
    world.services.org.create_port("QH", "青河口岸")
    assert world.services.audit_seal.verify().intact
    world.db.dispose()
    with psycopg.connect(make_url(roles.owner_url).render_as_string(False)) as owner:
        victim = owner.execute("SELECT min(id) FROM audit_entry WHERE operation = 'org.create_port'").fetchone()[0]
        owner.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        owner.execute("UPDATE audit_entry SET username = 'somebody else' WHERE id = %s", [victim])
        owner.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER")
    capsys.readouterr()

    assert main(["--db", roles.app_url, "--user", "zhao", "audit", "verify"]) == 1

    assert capsys.readouterr().err.startswith(f"drillapp: Audit trail broken at entry {victim}:")


def test_an_upgrade_without_an_app_role_says_how_to_name_it(roles, capsys):
    assert main(["--db", roles.owner_url, "db", "upgrade"]) == 0
    assert "No app role has rights on this database yet" in capsys.readouterr().out

    assert main(["--db", roles.owner_url, "db", "upgrade", "--app-role", roles.app]) == 0

    assert f"The app's role (rights to read and write rows only): {roles.app}" in capsys.readouterr().out
    world = open_world(roles.app_url, "zhao")
    world.db.dispose()
