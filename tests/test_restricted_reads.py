"""Reads that expose more than a role's work needs are named, checked and (where they copy data out)
audited operations (issue 13, item 8): the audit trail for administrators and coordinators, a whole
database backup for administrators; no export carries a password hash.
"""

from __future__ import annotations

import pytest
from helpers import audit_trail, builders, databases

from drillapp.models import User
from drillapp.models.enums import Role
from drillapp.services.audit_view import AuditFilter, AuditViewService
from drillapp.services.backup import BackupService
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.permissions import allowed

READERS_OF_THE_TRAIL = {Role.ADMINISTRATOR, Role.COORDINATOR}


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_and_coordinators_read_and_export_the_audit_trail(services, tmp_path, role):
    who = builders.actor(services, role, f"reader-{role.value}")
    view = AuditViewService(services.db, who, services.clock)
    lists = builders.services_as(services, who).lists
    out = tmp_path / "trail.csv"

    if role in READERS_OF_THE_TRAIL:
        assert view.page(AuditFilter())
        assert view.usernames() and view.entities()
        assert lists.page("audit")
        assert view.export_csv(AuditFilter(), out) > 0
        [exported] = audit_trail.entries(services.db, operation="audit.export")
        assert exported["username"] == who.username and str(out) in exported["after"]["note"]
    else:
        for read in (lambda: view.page(AuditFilter()), view.usernames, view.entities,
                     lambda: lists.page("audit")):
            with pytest.raises(PermissionDeniedError):
                read()
        with pytest.raises(PermissionDeniedError):
            view.export_csv(AuditFilter(), out)
        assert not out.exists()
        assert audit_trail.entries(services.db, operation="audit.export") == []


def test_a_coordinator_demoted_meanwhile_can_no_longer_read_the_trail(services):
    coordinator = builders.actor(services, Role.COORDINATOR, "coord")
    view = AuditViewService(services.db, coordinator, services.clock)
    assert view.page(AuditFilter())
    services.users.update_user(coordinator.user_id, role=Role.TEAM_LEAD, expected_version=services.users.version_of(User, coordinator.user_id))
    with pytest.raises(PermissionDeniedError, match="no longer allowed"):
        view.page(AuditFilter())


@pytest.mark.sqlite_only("a backup copies the SQLite file: PostgreSQL is backed up with pg_dump")
@pytest.mark.parametrize("role", list(Role))
def test_only_an_administrator_takes_a_backup_and_every_backup_is_audited(services, tmp_path, role):
    who = builders.actor(services, role, f"copier-{role.value}")
    out = tmp_path / "copy.sqlite3"

    if role is Role.ADMINISTRATOR:
        BackupService(services.db, who).backup(out)
        assert out.is_file()
        [entry] = audit_trail.entries(services.db, operation="data.backup")
        assert entry["username"] == who.username and str(out) in entry["after"]["note"]
    else:
        before = databases.row_counts(services.db)
        with pytest.raises(PermissionDeniedError):
            BackupService(services.db, who).backup(out)
        assert not out.exists() and not (tmp_path / "copy.sqlite3.part").exists()
        assert databases.row_counts(services.db) == before


@pytest.mark.sqlite_only("automatic backups copy the SQLite file: PostgreSQL is backed up with pg_dump")
def test_the_daily_automatic_backup_runs_whoever_is_logged_in_and_is_audited(services, tmp_path):
    viewer = builders.actor(services, Role.VIEWER, "night-viewer")
    out = BackupService(services.db, viewer, services.clock).auto_backup(tmp_path / "auto", keep=3)
    assert out is not None and out.is_file()
    assert [e["username"] for e in audit_trail.entries(services.db, operation="data.auto_backup")] == [viewer.username]


def test_the_permission_table_names_the_checked_reads():
    assert {r for r in Role if allowed(r, "audit.view")} == READERS_OF_THE_TRAIL
    assert {r for r in Role if allowed(r, "audit.export")} == READERS_OF_THE_TRAIL
    assert {r for r in Role if allowed(r, "data.backup")} == {Role.ADMINISTRATOR}
    assert {r for r in Role if allowed(r, "data.restore")} == {Role.ADMINISTRATOR}


def test_no_export_carries_a_password_hash(services, tmp_path, capsys):
    """Set, reset and change passwords, log in and fail to; then every export the app writes."""
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.member_import import MemberImportService
    from drillapp.services.users import LoginError, UserService

    port = builders.port_with_branches(services)
    builders.member(services, port, "张伟")
    uid = services.users.create_user("li", Role.DUTY_OFFICER, password="first-pass-1")
    services.users.reset_password(uid, "second-pass-2")
    system = UserService(services.db, SYSTEM_ACTOR, services.clock)
    system.authenticate("li", "second-pass-2")
    with pytest.raises(LoginError):
        system.authenticate("li", "wrong-pass")

    trail = tmp_path / "trail.csv"
    AuditViewService(services.db, services.actor, services.clock).export_csv(AuditFilter(), trail)
    members = MemberImportService(services.db, services.actor, services.clock).export(port.port_id, tmp_path / "m.csv")
    listed = services.lists.page("audit", limit=10_000)

    texts = [trail.read_text(encoding="utf-8-sig"), members.read_text(encoding="utf-8-sig"), repr(listed),
             repr(services.users.users())]
    assert "password_hash" in texts[0]  # the trail says the password changed...
    for text in texts:
        assert "$argon2" not in text  # ...but never what it is
