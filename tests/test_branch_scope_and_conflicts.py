"""Rights limited to one's own branch, and the "changed by X at T" conflict between two workstations."""

from __future__ import annotations

import pytest
from helpers import builders

from drillapp.models import CorrectiveAction
from drillapp.models.enums import ActionStatus, Agency, FindingKind, Role
from drillapp.services import Services
from drillapp.services.context import Actor
from drillapp.services.errors import ConflictError, PermissionDeniedError
from drillapp.services.permissions import OWN_BRANCH


def _action_of(services: Services, port: builders.PortIds, agency: Agency) -> int:
    plan = builders.approved_plan(services, port, code=f"QH-{agency.value}")
    run_id = services.runs.start_run(builders.drill(services, port, plan), confirm_early=True)
    services.runs.end_run(run_id)
    review = services.reviews.create_review("评估", drill_run_id=run_id)
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室启用偏慢")
    return services.reviews.add_corrective_action(finding, "钥匙移至值班台", owner_branch_id=port.branches[agency])


def test_staff_close_their_own_branchs_corrective_actions_only(services) -> None:
    port = builders.port_with_branches(services)
    quarantine_action = _action_of(services, port, Agency.QUARANTINE)
    customs_action = _action_of(services, port, Agency.CUSTOMS)
    uid = services.users.create_user("jian", Role.DUTY_OFFICER, branch_id=port.branches[Agency.QUARANTINE])
    officer = builders.services_as(services, Actor(uid, "jian", Role.DUTY_OFFICER, port.branches[Agency.QUARANTINE]))
    assert Role.DUTY_OFFICER in OWN_BRANCH["reviews.set_action_status"]

    officer.reviews.set_action_status(quarantine_action, ActionStatus.DONE, expected_version=officer.reviews.version_of(CorrectiveAction, quarantine_action))
    with pytest.raises(PermissionDeniedError, match="own branch"):
        officer.reviews.set_action_status(customs_action, ActionStatus.DONE, expected_version=officer.reviews.version_of(CorrectiveAction, customs_action))
    no_branch = builders.services_as(services, Actor(uid, "jian", Role.DUTY_OFFICER, None))
    with pytest.raises(PermissionDeniedError, match="own branch"):
        no_branch.reviews.set_action_status(quarantine_action, ActionStatus.OPEN, expected_version=no_branch.reviews.version_of(CorrectiveAction, quarantine_action))
    viewer = builders.services_as(services, builders.actor(services, Role.VIEWER, "guest"))
    with pytest.raises(PermissionDeniedError):
        viewer.reviews.set_action_status(quarantine_action, ActionStatus.OPEN, expected_version=viewer.reviews.version_of(CorrectiveAction, quarantine_action))
    services.reviews.set_action_status(customs_action, ActionStatus.IN_PROGRESS, expected_version=services.reviews.version_of(CorrectiveAction, customs_action))  # coordinators: any branch


def test_second_save_is_stopped_with_who_and_when(services, db) -> None:
    """Two workstations read the same member; the port office saves first; the duty room is stopped."""
    from drillapp.db import Database

    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)
    port_office = builders.services_as(services, builders.actor(services, Role.TEAM_LEAD, "zhao"))
    duty_room_db = Database.open(db.url)  # a second workstation: its own engine and sessions
    try:
        duty_room = Services(duty_room_db, services.actor, services.clock)
        with db.session() as s:
            from drillapp.models import Member

            version_read = s.get(Member, member_id).row_version  # both opened the record at this version
        port_office.team.update_member(member_id, version_read, mobile="13900000001")
        with pytest.raises(ConflictError) as excinfo:
            duty_room.team.update_member(member_id, version_read, mobile="13900000002")
        assert excinfo.value.changed_by == "zhao"
        assert "changed by zhao at" in excinfo.value.message
        with db.session() as s:
            assert s.get(Member, member_id).mobile == "13900000001", "the first save is kept, nothing lost"
    finally:
        duty_room_db.dispose()
