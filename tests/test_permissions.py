"""The permission table, checked three ways: the table itself for every operation and role, the real
operations as real users, and the source (every operation named in a write is in the table, and back)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import func, select

import drillapp
from drillapp.audit_labels import operation_label
from drillapp.demo import DemoService
from drillapp.models import ChecklistEntry, CorrectiveAction, Member, PlanVersion
from drillapp.models.enums import ActionStatus, FindingKind, ReminderKind, ReminderStatus, Role
from drillapp.services import Services
from drillapp.services.backup import BackupService
from drillapp.services.context import Actor
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.permissions import OWN_BRANCH, PERMISSIONS, allowed, check_permission

SOURCE_ROOT = Path(drillapp.__file__).parent
PERMISSIONS_MODULE = SOURCE_ROOT / "services" / "permissions.py"


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in SOURCE_ROOT.rglob("*.py")}


# -- the table --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(PERMISSIONS))
def test_allowed_and_check_permission_follow_the_table(operation):
    for role in Role:
        expected = (role is Role.ADMINISTRATOR or role in PERMISSIONS[operation]
                    or role in OWN_BRANCH.get(operation, ()))
        actor = Actor(7, f"someone-{role.value}", role)
        assert allowed(role, operation) is expected, (operation, role)
        if expected:
            check_permission(actor, operation)
        else:
            with pytest.raises(PermissionDeniedError) as excinfo:
                check_permission(actor, operation)
            message = excinfo.value.message  # names the operation in words, not by its id
            assert operation_label(operation) in message and actor.username in message


def test_the_administrator_is_in_every_entry_of_the_table():
    assert [op for op, roles in PERMISSIONS.items() if Role.ADMINISTRATOR not in roles] == []


def test_an_operation_missing_from_the_table_is_a_bug_not_a_refusal():
    with pytest.raises(KeyError, match="missing from the permission table"):
        check_permission(Actor(1, "admin", Role.ADMINISTRATOR), "plans.delete_everything")


# -- the source -------------------------------------------------------------------------------------------

WRITE_CALL = re.compile(r"""\.write\(\s*["']([^"']+)["']""")


def test_every_operation_written_in_the_source_is_in_the_table():
    used = {name for text in _sources().values() for name in WRITE_CALL.findall(text)}

    assert len(used) > 20  # the regex does find the operations
    assert sorted(used - set(PERMISSIONS)) == []


def test_every_operation_in_the_table_is_used_in_the_source():
    others = "\n".join(text for path, text in _sources().items() if path != PERMISSIONS_MODULE)

    unused = [op for op in PERMISSIONS if f'"{op}"' not in others and f"'{op}'" not in others]

    assert unused == [], f"in the permission table but no operation uses them: {unused}"


# -- the real operations as real users --------------------------------------------------------------------


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    draft = builders.draft_plan(services, port, "QH-02")
    services.revisions.submit_for_review(draft.version_id, expected_version=services.revisions.version_of(PlanVersion, draft.version_id))  # approval follows review
    approved = builders.approved_plan(services, port, "QH-01")
    running = services.runs.start_run(builders.drill(services, port, approved), confirm_early=True)
    ended, unreviewed = (services.runs.start_run(builders.drill(services, port, approved), confirm_early=True)
                         for _ in range(2))
    services.runs.end_run(ended)
    services.runs.end_run(unreviewed)
    review = services.reviews.create_review("评估", drill_run_id=ended)
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "问题")
    with services.db.session() as s:
        entry_id = s.scalar(select(func.min(ChecklistEntry.id)).where(ChecklistEntry.drill_run_id == running))
    return {
        "port": port, "draft": draft, "approved": approved, "planned_drill": builders.drill(services, port, approved),
        "run": running, "unreviewed": unreviewed, "entry": entry_id, "finding": finding,
        "action": services.reviews.add_corrective_action(finding, "整改"),
        "member": builders.member(services, port),
        "reminder": services.reminders.create(ReminderKind.GENERAL, "提醒", services.clock()),
    }


Call = Callable[[Services, dict], object]
CASES: list[tuple[str, Role, bool, Call]] = [
    ("create_member", Role.VIEWER, False, lambda sv, w: builders.member(sv, w["port"], "新人")),
    ("create_member", Role.TEAM_LEAD, True, lambda sv, w: builders.member(sv, w["port"], "新人")),
    ("update_member", Role.COORDINATOR, False, lambda sv, w: sv.team.update_member(w["member"], post="科长", expected_version=sv.team.version_of(Member, w["member"]))),
    ("update_member", Role.TEAM_LEAD, True, lambda sv, w: sv.team.update_member(w["member"], post="科长", expected_version=sv.team.version_of(Member, w["member"]))),
    ("approve_version", Role.DUTY_OFFICER, False,
     lambda sv, w: sv.plans.approve_version(w["draft"].version_id, date(2026, 3, 2), date(2027, 3, 2), expected_version=sv.plans.version_of(PlanVersion, w["draft"].version_id))),
    ("approve_version", Role.COORDINATOR, True,
     lambda sv, w: sv.plans.approve_version(w["draft"].version_id, date(2026, 3, 2), date(2027, 3, 2), expected_version=sv.plans.version_of(PlanVersion, w["draft"].version_id))),
    ("create_plan", Role.TEAM_LEAD, False, lambda sv, w: builders.draft_plan(sv, w["port"], "QH-09", actions=[])),
    ("start_run", Role.COORDINATOR, False, lambda sv, w: sv.runs.start_run(w["planned_drill"], confirm_early=True)),
    ("start_run", Role.DUTY_OFFICER, True, lambda sv, w: sv.runs.start_run(w["planned_drill"], confirm_early=True)),
    ("tick_entry", Role.EVALUATOR, False, lambda sv, w: sv.runs.tick_entry(w["entry"], expected_version=sv.runs.version_of(ChecklistEntry, w["entry"]))),
    ("tick_entry", Role.DUTY_OFFICER, True, lambda sv, w: sv.runs.tick_entry(w["entry"], expected_version=sv.runs.version_of(ChecklistEntry, w["entry"]))),
    ("schedule_drill", Role.DUTY_OFFICER, False, lambda sv, w: builders.drill(sv, w["port"])),
    ("schedule_drill", Role.COORDINATOR, True, lambda sv, w: builders.drill(sv, w["port"])),
    ("add_finding", Role.EVALUATOR, True,
     lambda sv, w: sv.reviews.add_finding(sv.reviews.create_review("评估二", drill_run_id=w["unreviewed"]),
                                          FindingKind.STRENGTH, "好")),
    ("set_action_status", Role.EVALUATOR, False,
     lambda sv, w: sv.reviews.set_action_status(w["action"], ActionStatus.DONE, expected_version=sv.reviews.version_of(CorrectiveAction, w["action"]))),
    ("set_action_status", Role.COORDINATOR, True,
     lambda sv, w: sv.reviews.set_action_status(w["action"], ActionStatus.DONE, expected_version=sv.reviews.version_of(CorrectiveAction, w["action"]))),
    ("create_port", Role.COORDINATOR, False, lambda sv, w: sv.org.create_port("NEW", "新口岸")),
    ("create_user", Role.TEAM_LEAD, False, lambda sv, w: sv.users.create_user("x", Role.ADMINISTRATOR)),
    ("open_incident", Role.VIEWER, False, lambda sv, w: sv.incidents.open_incident(w["port"].port_id, "事件")),
    ("open_incident", Role.DUTY_OFFICER, True, lambda sv, w: sv.incidents.open_incident(w["port"].port_id, "事件")),
    ("create reminder", Role.VIEWER, False,
     lambda sv, w: sv.reminders.create(ReminderKind.GENERAL, "提醒", sv.clock())),
    ("close reminder", Role.VIEWER, True, lambda sv, w: sv.reminders.close(w["reminder"], ReminderStatus.DISMISSED)),
    ("refresh reminders", Role.VIEWER, True, lambda sv, w: sv.reminders.refresh()),
    ("load_demo", Role.COORDINATOR, False, lambda sv, w: DemoService(sv.db, sv.actor, sv.clock).load_demo()),
]


@pytest.mark.parametrize(
    ("operation", "role", "ok", "call"), CASES, ids=[f"{op} as {role.value}" for op, role, _ok, _call in CASES]
)
def test_real_operations_as_each_role(services, world, operation, role, ok, call):
    who = builders.actor(services, role)
    acting = builders.services_as(services, who)
    counts = databases.row_counts(services.db)

    if ok:
        call(acting, world)
        if operation != "refresh reminders":  # nothing is due in this world, so refresh writes nothing
            assert any(e["username"] == who.username for e in audit_trail.entries(services.db))
    else:
        with pytest.raises(PermissionDeniedError, match=who.username):
            call(acting, world)
        assert databases.row_counts(services.db) == counts


@pytest.mark.sqlite_only("SQLite file backup and restore: PostgreSQL is backed up with pg_dump")
def test_a_viewer_cannot_restore_a_backup_over_the_live_database(services, tmp_path):
    port = builders.port_with_branches(services)
    backup = BackupService(services.db, services.actor).backup(tmp_path / "old.sqlite3")
    member_id = builders.member(services, port, "备份之后才来的人")
    viewer = builders.actor(services, Role.VIEWER)

    with pytest.raises(PermissionDeniedError):
        BackupService(services.db, viewer).restore(backup)

    with services.db.session() as s:
        assert s.get(Member, member_id) is not None, "the viewer's refused restore replaced the database"
    assert databases.row_counts(services.db)["member"] == 1
