"""Users and log-in: the first administrator, argon2 hashes, lock-out, password changes, admin rights."""

from __future__ import annotations

import pytest
from helpers import builders
from sqlalchemy import select

from drillapp.bootstrap import open_world
from drillapp.models import AuditEntry, User
from drillapp.models.enums import Role
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import DomainError, PermissionDeniedError, ValidationError
from drillapp.services.users import LOCK_FOR, MAX_FAILURES, LoginError, UserService

PASSWORD = "边检-2026-secure"


@pytest.fixture
def system(db, clock) -> UserService:
    return UserService(db, SYSTEM_ACTOR, clock)


def test_first_start_creates_the_administrator_then_everyone_logs_in(system, db) -> None:
    assert not system.login_required()
    admin = system.create_first_administrator("zhao", PASSWORD, "赵主任")
    assert admin.role is Role.ADMINISTRATOR and admin.display_name == "赵主任"
    assert system.login_required()
    with pytest.raises(DomainError, match="already exists"):
        system.create_first_administrator("other", PASSWORD)
    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "zhao"))
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_first_administrator_can_be_the_existing_local_user(system) -> None:
    local = system.ensure_local_user("root")
    admin = system.create_first_administrator("root", PASSWORD)
    assert admin.user_id == local.user_id


def test_short_password_is_refused(system) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        system.create_first_administrator("zhao", "short")
    assert not system.login_required()


def test_authenticate_right_and_wrong(system) -> None:
    system.create_first_administrator("zhao", PASSWORD)
    assert system.authenticate("zhao", PASSWORD).username == "zhao"
    with pytest.raises(LoginError, match="Wrong user name or password"):
        system.authenticate("zhao", "wrong password")
    with pytest.raises(LoginError, match="Wrong user name or password"):
        system.authenticate("nobody", PASSWORD)  # same words: does not tell which names exist


def test_lock_out_after_repeated_failures_and_unlock_by_time_or_reset(system, clock, db) -> None:
    admin = system.create_first_administrator("zhao", PASSWORD)
    users = UserService(db, admin, clock)
    uid = users.create_user("li", Role.DUTY_OFFICER, password="night-shift-1")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginError, match="Wrong"):
            system.authenticate("li", "bad")
    with pytest.raises(LoginError, match="Wrong"):
        system.authenticate("li", "bad")
    with pytest.raises(LoginError, match="Wrong"):
        system.authenticate("li", "night-shift-1")  # even the right password, while locked
    assert next(u for u in users.users() if u.username == "li").locked_until == clock.now + LOCK_FOR
    clock.advance(minutes=16)
    assert system.authenticate("li", "night-shift-1").username == "li"
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            system.authenticate("li", "bad")
    users.reset_password(uid, "fresh-start-2")
    assert system.authenticate("li", "fresh-start-2").role is Role.DUTY_OFFICER
    with db.session() as s:
        ops = [e.operation for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "app_user"))]
    assert "users.authenticate" in ops and "users.reset_password" in ops


def test_deactivated_user_cannot_log_in(system, db, clock) -> None:
    admin = system.create_first_administrator("zhao", PASSWORD)
    users = UserService(db, admin, clock)
    uid = users.create_user("wang", Role.VIEWER, password="viewer-pass")
    users.update_user(uid, active=False, expected_version=users.version_of(User, uid))
    with pytest.raises(LoginError, match="Wrong user name or password"):  # the words do not tell
        system.authenticate("wang", "viewer-pass")
    with db.session() as s:
        notes = [e.after for e in s.scalars(select(AuditEntry).where(AuditEntry.entity_id == uid))]
    assert any("the account is deactivated" in (n or "") for n in notes)  # the administrator sees why


def test_change_own_password(system, db, clock) -> None:
    admin = system.create_first_administrator("zhao", PASSWORD)
    me = UserService(db, admin, clock)
    with pytest.raises(ValidationError, match="current password"):
        me.change_password("not it", "another-pass-1")
    me.change_password(PASSWORD, "another-pass-1")
    assert system.authenticate("zhao", "another-pass-1")
    with pytest.raises(LoginError):
        system.authenticate("zhao", PASSWORD)


def test_administrator_rights_cannot_vanish(system, db, clock) -> None:
    admin = system.create_first_administrator("zhao", PASSWORD)
    users = UserService(db, admin, clock)
    with pytest.raises(PermissionDeniedError):
        users.update_user(admin.user_id, role=Role.VIEWER, expected_version=users.version_of(User, admin.user_id))
    other = users.create_user("qian", Role.ADMINISTRATOR, password="second-admin")
    users.update_user(other, role=Role.COORDINATOR, display_name="钱 <协调员> & co", expected_version=users.version_of(User, other))
    rows = {u.username: u for u in users.users()}
    assert rows["qian"].role is Role.COORDINATOR and rows["qian"].display_name == "钱 <协调员> & co"
    with pytest.raises(ValidationError, match="taken"):
        users.create_user("qian", Role.VIEWER)


def test_only_an_administrator_manages_users(services) -> None:
    coordinator = builders.actor(services, Role.COORDINATOR, "coord")
    as_coordinator = builders.services_as(services, coordinator)
    with pytest.raises(PermissionDeniedError):
        as_coordinator.users.create_user("x", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        as_coordinator.users.reset_password(coordinator.user_id, "whatever-123")


def test_open_world_logs_in_once_passwords_exist(db, tmp_path, monkeypatch) -> None:
    url = db.url
    first = open_world(url, "duty")  # no passwords yet: the local user, made administrator
    assert first.actor.role is Role.ADMINISTRATOR
    UserService(db, SYSTEM_ACTOR).create_first_administrator("duty", PASSWORD)
    first.db.dispose()
    monkeypatch.delenv("DRILLAPP_PASSWORD", raising=False)
    with pytest.raises(LoginError, match="Log-in needed"):
        open_world(url, "duty")
    with pytest.raises(LoginError, match="Wrong"):
        open_world(url, "duty", "bad password")
    world = open_world(url, "duty", lambda: PASSWORD)
    assert world.actor.username == "duty"
    world.db.dispose()
    monkeypatch.setenv("DRILLAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("DRILLAPP_USER", "duty")
    world = open_world(url)
    assert world.actor.username == "duty"
    world.db.dispose()


def test_failed_log_in_is_in_the_audit_trail(system, db) -> None:
    system.create_first_administrator("zhao", PASSWORD)
    with pytest.raises(LoginError):
        system.authenticate("zhao", "bad")
    with db.session() as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.operation == "users.authenticate")).all()
    assert any(e.action == "note" and "wrong password (failed attempt 1 of 5)" in (e.after or "") for e in failed)


@pytest.mark.sqlite_only("automatic backup copies the SQLite file: PostgreSQL is backed up with pg_dump")
def test_automatic_backups_keep_the_newest(services, tmp_path, clock) -> None:
    import sqlite3

    from drillapp.services.backup import AUTO_PREFIX, BackupService

    backups = BackupService(services.db, services.actor, clock)
    made = []
    for _ in range(4):
        made.append(backups.auto_backup(tmp_path / "auto", keep=2))
        clock.advance(hours=24)
    kept = sorted(p.name for p in (tmp_path / "auto").glob(f"{AUTO_PREFIX}*.sqlite3"))
    assert kept == sorted(p.name for p in made[-2:])
    with sqlite3.connect(made[-1]) as conn:  # a real, readable copy
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    with pytest.raises(DomainError, match="at least one"):
        backups.auto_backup(tmp_path / "auto", keep=0)


def test_password_hashes_never_reach_the_audit_trail(system, db, clock) -> None:
    admin = system.create_first_administrator("zhao", PASSWORD)
    users = UserService(db, admin, clock)
    uid = users.create_user("li", Role.VIEWER, password="viewer-pass-1")
    users.reset_password(uid, "viewer-pass-2")
    UserService(db, admin, clock).change_password(PASSWORD, "another-pass-9")
    with db.session() as s:
        trail = s.scalars(select(AuditEntry).where(AuditEntry.entity == "app_user")).all()
    text = " ".join(f"{e.before} {e.after}" for e in trail)
    assert "$argon2" not in text
    assert text.count('"password_hash": "(secret)"') >= 4  # created twice, reset, changed: it says it changed


def test_the_command_lines_account_is_no_user_of_the_app(db, clock) -> None:
    """`drillapp demo` on a new database acts as the local user (no passwords yet): that account keeps the
    command line working, but it is not listed among the app's users and cannot log in."""
    url = db.url
    cli = open_world(url, "root")  # as `drillapp demo` run by root on a new database
    assert cli.actor.role is Role.ADMINISTRATOR
    cli.db.dispose()
    again = open_world(url, "root")  # scripts and tests go on working while nobody has a password
    assert again.actor.user_id == cli.actor.user_id
    again.db.dispose()
    system = UserService(db, SYSTEM_ACTOR, clock)
    admin = system.create_first_administrator("zhao", PASSWORD)  # the first start of the app
    users = UserService(db, admin, clock)
    users.create_user("li", Role.VIEWER, password="viewer-pass-1")

    assert [u.username for u in users.users()] == ["li", "zhao"]
    assert {u.username: u.has_password for u in users.users(include_local=True)} == {
        "li": True, "root": False, "zhao": True}
    with pytest.raises(LoginError, match="(?i)wrong user name or password"):
        system.authenticate("root", "anything-at-all")
    users.reset_password(users.find("root").id, "root-now-real-1")  # made a real account on purpose
    assert "root" in [u.username for u in users.users()]
    assert system.authenticate("root", "root-now-real-1").username == "root"
