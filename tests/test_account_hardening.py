"""Accounts under attack (issue 13, items 6, 7, 10): a role change or a deactivation takes effect at the
next write, the lock-out holds against attempts made at the same time, and a failed log-in tells nothing
about which accounts exist.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import event, select

from drillapp.db import Database
from drillapp.models import User
from drillapp.models.enums import ReminderKind, ReminderStatus, Role
from drillapp.services import users as users_module
from drillapp.services.context import SYSTEM_ACTOR, Actor
from drillapp.services.errors import AccountDeactivatedError, PermissionDeniedError
from drillapp.services.users import LOCK_FOR, MAX_FAILURES, LoginError, UserService, _login_failed

PASSWORD = "night-shift-2026"
ONE_MESSAGE = ("Wrong user name or password, or the account is locked: wait 15 minutes or ask an "
               "administrator.")


# -- item 6: role changes take effect at once -------------------------------------------------------------


def test_a_coordinator_made_viewer_stops_writing_with_the_session_already_open(services):
    port = builders.port_with_branches(services)
    coordinator = builders.actor(services, Role.COORDINATOR, "coord")
    session = builders.services_as(services, coordinator)  # logged in as coordinator
    builders.draft_plan(session, port, "QH-11", actions=[])  # allowed: a coordinator plans

    services.users.update_user(coordinator.user_id, role=Role.VIEWER, expected_version=services.users.version_of(User, coordinator.user_id))  # the administrator demotes them
    before = databases.row_counts(services.db)

    with pytest.raises(PermissionDeniedError, match="no longer allowed") as refused:
        builders.draft_plan(session, port, "QH-12", actions=[])
    assert not isinstance(refused.value, AccountDeactivatedError)
    assert databases.row_counts(services.db) == before


def test_a_deactivated_account_cannot_write_anything_not_even_its_own_password(services):
    viewer = builders.actor(services, Role.VIEWER, "guest")
    session = builders.services_as(services, viewer)
    reminder = services.reminders.create(ReminderKind.GENERAL, "提醒", services.clock())
    services.users.update_user(viewer.user_id, active=False, expected_version=services.users.version_of(User, viewer.user_id))
    before = databases.row_counts(services.db)

    with pytest.raises(AccountDeactivatedError, match="deactivated"):
        session.reminders.close(reminder, ReminderStatus.DISMISSED)  # anyone may close a reminder...
    with pytest.raises(AccountDeactivatedError):
        session.users.change_password("", "another-password-1")  # ...and change their own password

    assert databases.row_counts(services.db) == before


def test_the_check_is_one_read_of_the_account_by_its_id(services):
    """Cheap enough for every write: one SELECT on app_user by primary key, nothing more."""
    coordinator = builders.actor(services, Role.COORDINATOR, "coord")
    session = builders.services_as(services, coordinator)
    reminder = services.reminders.create(ReminderKind.GENERAL, "提醒", services.clock())
    statements: list[str] = []

    def seen(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        session.reminders.close(reminder, ReminderStatus.DONE)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)

    on_accounts = [s for s in statements if "app_user" in s and s.lstrip().upper().startswith("SELECT")]
    assert len(on_accounts) == 1, on_accounts
    assert "app_user.id =" in on_accounts[0]


def test_the_system_actor_is_exempt(db):
    """The app's own work (log-in itself) runs without a user id and is not checked against an account."""
    system = UserService(db, SYSTEM_ACTOR)
    admin = system.create_first_administrator("zhao", PASSWORD)
    assert system.authenticate("zhao", PASSWORD).user_id == admin.user_id


# -- item 7: the lock-out holds whatever the concurrency --------------------------------------------------


class _CountingChecks:
    """Counts argon2 checks, against the account's real hash and against the dummy one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = 0
        self.dummy = 0
        self._lock = threading.Lock()
        verify = users_module._verify

        def counting(stored_hash, password):
            with self._lock:
                if stored_hash is None:
                    self.dummy += 1
                else:
                    self.real += 1
            return verify(stored_hash, password)

        monkeypatch.setattr(users_module, "_verify", counting)

    @property
    def total(self) -> int:
        return self.real + self.dummy


def test_eight_desks_guessing_at_once_are_stopped_at_the_fifth_failure(db, monkeypatch):
    """8 workstations × 5 wrong passwords, all started together: only five get a password check, every
    attempt fails as a log-in failure (no conflict, no busy database), and the account ends locked."""
    system = UserService(db, SYSTEM_ACTOR)
    system.create_first_administrator("zhao", PASSWORD)
    checks = _CountingChecks(monkeypatch)
    desks = [Database.open(db.url) for _ in range(8)]  # each workstation its own engine
    start = threading.Barrier(len(desks))

    def guess(desk: Database) -> list[str]:
        service = UserService(desk, SYSTEM_ACTOR)
        start.wait()
        outcomes = []
        for n in range(5):
            try:
                service.authenticate("zhao", f"guess-{n}")
                outcomes.append("in")
            except LoginError as exc:
                outcomes.append(exc.message)
        return outcomes

    try:
        with ThreadPoolExecutor(len(desks)) as pool:
            outcomes = [o for result in pool.map(guess, desks) for o in result]
    finally:
        for desk in desks:
            desk.dispose()

    assert outcomes == [ONE_MESSAGE] * 40
    assert checks.real == MAX_FAILURES  # the rest were refused before any check of the real hash
    assert checks.total == 40  # ...yet each cost one check (against the dummy hash): the same time
    with db.session() as s:
        locked_until = s.scalar(select(User.locked_until).where(User.username == "zhao"))
    assert locked_until is not None
    locks = [e for e in audit_trail.entries(db, operation="users.authenticate")
             if "locked for 15 minutes" in (e["after"] or {}).get("note", "")]
    assert len(locks) == 1
    with pytest.raises(LoginError):
        system.authenticate("zhao", PASSWORD)  # locked: even the right password waits


def _guess_in_a_process(url: str, attempts: int) -> list[str]:
    """One workstation as its own process (module level: the spawned process imports it)."""
    from drillapp.db import Database
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import LoginError, UserService

    desk = Database.open(url)
    outcomes = []
    try:
        for n in range(attempts):
            try:
                UserService(desk, SYSTEM_ACTOR).authenticate("zhao", f"wrong-{n}")
                outcomes.append("in")
            except LoginError as exc:
                outcomes.append(exc.message)
    finally:
        desk.dispose()
    return outcomes


def test_four_processes_guessing_at_once_lock_the_account_after_five_failures(db):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    UserService(db, SYSTEM_ACTOR).create_first_administrator("zhao", PASSWORD)
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_guess_in_a_process, [db.url] * 4, [3] * 4))

    assert [o for r in results for o in r] == [ONE_MESSAGE] * 12
    counted = [e for e in audit_trail.entries(db, operation="users.authenticate")
               if "wrong password" in (e["after"] or {}).get("note", "")]
    assert len(counted) == MAX_FAILURES  # five checked and failed; the other seven were refused unchecked
    with db.session() as s:
        assert s.scalar(select(User.locked_until).where(User.username == "zhao")) is not None


def test_a_right_password_among_the_first_five_gets_in_and_starts_the_count_again(db, clock):
    system = UserService(db, SYSTEM_ACTOR, clock)
    system.create_first_administrator("zhao", PASSWORD)
    for n in range(MAX_FAILURES - 1):
        with pytest.raises(LoginError):
            system.authenticate("zhao", f"bad-{n}")
    assert system.authenticate("zhao", PASSWORD).username == "zhao"
    with db.session() as s:
        assert s.scalar(select(User.failed_logins).where(User.username == "zhao")) == 0


# -- item 10: a failed log-in tells nothing ---------------------------------------------------------------


@pytest.fixture
def accounts(db, clock):
    system = UserService(db, SYSTEM_ACTOR, clock)
    admin = system.create_first_administrator("zhao", PASSWORD)
    users = UserService(db, admin, clock)
    users.create_user("li", Role.DUTY_OFFICER, password="duty-officer-1")
    gone = users.create_user("wang", Role.VIEWER, password="viewer-pass-1")
    users.update_user(gone, active=False, expected_version=users.version_of(User, gone))
    users.create_user("nopass", Role.VIEWER)
    for n in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            system.authenticate("li", f"bad-{n}")
    return system, users


@pytest.mark.parametrize(("who", "password", "reason"), [
    ("nobody", "whatever-1", "no account 'nobody'"),
    ("zhao", "not it", "wrong password"),
    ("wang", "viewer-pass-1", "deactivated"),
    ("li", "duty-officer-1", "locked until"),
])
def test_every_failure_says_the_same_words_costs_one_check_and_is_audited_with_its_reason(
        accounts, db, monkeypatch, who, password, reason):
    system, _users = accounts
    checks = _CountingChecks(monkeypatch)
    before = len(audit_trail.entries(db, operation="users.authenticate"))

    with pytest.raises(LoginError) as failed:
        system.authenticate(who, password)

    assert failed.value.message == ONE_MESSAGE
    assert checks.total == 1  # one argon2 check whatever the reason: the time does not tell either
    new = audit_trail.entries(db, operation="users.authenticate")[before:]
    assert any(reason in (e["after"] or {}).get("note", "") for e in new), new


def test_the_command_lines_account_is_told_plainly_at_the_same_cost(accounts, db, monkeypatch):
    """An account without a password (the command line's own) cannot log in; the refusal says the same words
    as every other failure (issue 13: no telling which accounts exist), costs one check and names the reason
    in the audit trail, under that account, for the administrator."""
    system, _users = accounts
    checks = _CountingChecks(monkeypatch)

    with pytest.raises(LoginError) as failed:
        system.authenticate("nopass", "whatever-1")

    assert failed.value.message == _login_failed()
    assert checks.total == 1
    note = audit_trail.entries(db, operation="users.authenticate")[-1]
    assert note["username"] == "nopass" and note["user_id"] is not None
    assert "command line's account has no password" in note["after"]["note"]


def test_an_administrator_unlocks_at_once(accounts, db, clock):
    system, users = accounts
    li = users.find("li")
    assert li.locked_until == clock.now + LOCK_FOR

    users.unlock(li.id)

    assert system.authenticate("li", "duty-officer-1").username == "li"  # no waiting
    assert any(e["operation"] == "users.unlock" for e in audit_trail.entries(db, entity="app_user"))


def test_only_an_administrator_unlocks(accounts, db, clock):
    _system, users = accounts
    lead_id = users.create_user("lead", Role.TEAM_LEAD)
    lead = UserService(db, Actor(lead_id, "lead", Role.TEAM_LEAD), clock)
    with pytest.raises(PermissionDeniedError):
        lead.unlock(users.find("li").id)
    assert users.find("li").locked_until is not None


@pytest.mark.parametrize("name", ["ZHAO", "Zhao", "zhao\nadmin", "tab\there", "bell\x07"])
def test_user_names_differing_only_in_case_or_with_control_characters_are_refused(services, name):
    from drillapp.services.errors import ValidationError

    services.users.create_user("zhao", Role.VIEWER)
    before = databases.row_counts(services.db)

    with pytest.raises(ValidationError) as refused:
        services.users.create_user(name, Role.VIEWER)

    assert refused.value.field == "username"
    assert databases.row_counts(services.db) == before
