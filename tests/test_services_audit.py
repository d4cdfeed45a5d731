"""What every operation shares: the audit trail, refusal of writes outside an operation, nothing written
on invalid input, optimistic locking, and text stored exactly as typed (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from drillapp.models import LogEntry, Member, PlanVersion, Port, Unavailability
from drillapp.models.enums import (
    Agency,
    DrillKind,
    ReminderKind,
    ResponsePhase,
    Role,
    Scenario,
    SquadKind,
    UnavailabilityKind,
)
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR, ServiceBase
from drillapp.services.errors import ConflictError, DomainError, NotFoundError, ValidationError
from drillapp.services.org import UserService

# -- the audit trail -----------------------------------------------------------------------------------


def test_insert_is_audited_with_who_what_and_the_new_values(services, admin, clock):
    port = builders.port_with_branches(services)

    member_id = services.team.create_member(port.branches[Agency.CUSTOMS], "王芳", post="关员", mobile="13900000001")

    entry = audit_trail.one(services.db, entity="member", entity_id=member_id)
    assert entry["action"] == "insert"
    assert entry["operation"] == "team.create_member"
    assert (entry["user_id"], entry["username"]) == (admin.user_id, "admin")
    assert entry["at"] == clock.now
    assert entry["before"] is None
    assert entry["after"]["name"] == "王芳"
    assert entry["after"]["post"] == "关员"
    assert entry["after"]["mobile"] == "13900000001"
    assert entry["after"]["branch_id"] == port.branches[Agency.CUSTOMS]
    assert entry["after"]["status"] == "active"  # enums as their stored value


def test_update_is_audited_with_only_the_changed_values_before_and_after(services, clock):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port, "王芳", mobile="13900000001")
    clock.advance(hours=2)

    services.team.update_member(member_id, name="王芳芳", mobile="13900000002", post="", expected_version=services.team.version_of(Member, member_id))  # post unchanged

    entry = audit_trail.one(services.db, entity="member", entity_id=member_id, action="update")
    assert entry["operation"] == "team.update_member"
    assert entry["at"] == clock.now
    assert entry["before"] == {"name": "王芳", "mobile": "13900000001"}
    assert entry["after"] == {"name": "王芳芳", "mobile": "13900000002"}


def test_delete_is_audited_with_the_values_before(services, admin):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)
    entry_id = services.team.add_unavailability(
        member_id, UnavailabilityKind.LEAVE, date(2026, 3, 10), date(2026, 3, 20), note="探亲假"
    )

    # No operation deletes yet; a raw write through a named operation is audited all the same.
    with ServiceBase(services.db, admin, services.clock).write("team.add_unavailability") as s:
        s.delete(s.get(Unavailability, entry_id))

    entry = audit_trail.one(services.db, entity="unavailability", entity_id=entry_id, action="delete")
    assert entry["operation"] == "team.add_unavailability"
    assert entry["username"] == "admin"
    assert entry["after"] is None
    assert entry["before"]["member_id"] == member_id
    assert entry["before"]["kind"] == "leave"
    assert entry["before"]["starts_on"] == "2026-03-10"
    assert entry["before"]["note"] == "探亲假"
    with services.db.session() as s:
        assert s.get(Unavailability, entry_id) is None


def test_every_row_of_one_operation_is_audited_under_its_name(services):
    port = builders.port_with_branches(services)

    plan_id, version_id = services.plans.create_plan(port.port_id, "QH-09", Scenario.OTHER, "其他预案")

    rows = audit_trail.entries(services.db, operation="plans.create_plan")
    assert {(r["entity"], r["action"]) for r in rows} == {
        ("contingency_plan", "insert"), ("plan_version", "insert"), ("response_level", "insert"),
    }
    assert len([r for r in rows if r["entity"] == "response_level"]) == 4
    assert {r["entity_id"] for r in rows if r["entity"] == "contingency_plan"} == {plan_id}
    assert {r["entity_id"] for r in rows if r["entity"] == "plan_version"} == {version_id}
    assert len({r["at"] for r in rows}) == 1


# -- writes outside an operation -------------------------------------------------------------------------


def test_a_write_outside_a_service_operation_is_refused(db):
    counts = databases.row_counts(db)

    with db.session_factory() as s:
        s.add(Port(code="ROGUE", name_zh="野口岸"))
        with pytest.raises(RuntimeError, match="outside a service operation"):
            s.commit()

    assert databases.row_counts(db) == counts


def test_an_update_in_a_plain_session_is_refused(services):
    port = builders.port_with_branches(services)

    with services.db.session_factory() as s:
        s.get(Port, port.port_id).name_zh = "改名"
        with pytest.raises(RuntimeError, match="outside a service operation"):
            s.flush()

    with services.db.session() as s:
        assert s.get(Port, port.port_id).name_zh == "圈河口岸"


def test_the_read_session_of_a_service_refuses_to_write(services):
    with services.org.read() as s:
        s.add(Port(code="ROGUE", name_zh="野口岸"))
        with pytest.raises(RuntimeError, match="outside a service operation"):
            s.flush()


# -- invalid input changes nothing -----------------------------------------------------------------------


@pytest.fixture
def world(services):
    """A port with its branches, a team, a member, the first-aid skill, an approved and a draft plan, a drill."""
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.SECURITY,))
    services.team.create_skill("first_aid", "急救", "First aid", certificate_required=True)
    member_id = builders.member(services, port)
    plan = builders.approved_plan(services, port)
    draft = builders.draft_plan(services, port, "QH-02")
    drill_id = builders.drill(services, port, plan)
    return {"port": port, "team": team, "member": member_id, "plan": plan, "draft": draft, "drill": drill_id}


TODAY = date(2026, 3, 2)

INVALID = {
    "empty port code": (lambda sv, w: sv.org.create_port("  ", "口岸"), ValidationError, "must not be empty"),
    "port code too long": (lambda sv, w: sv.org.create_port("X" * 33, "口岸"), ValidationError, "too long"),
    "duplicate port code": (lambda sv, w: sv.org.create_port("QH", "又一个"), DomainError, "conflicts"),
    "branch of a missing port": (
        lambda sv, w: sv.org.create_branch(999, Agency.CUSTOMS, "海关"), NotFoundError, "does not exist"),
    "duplicate user": (lambda sv, w: sv.users.create_user("admin", Role.VIEWER), ValidationError, "is taken"),
    "empty member name": (
        lambda sv, w: sv.team.create_member(w["port"].branches[Agency.CUSTOMS], ""), ValidationError, "empty"),
    "unknown member field": (
        lambda sv, w: sv.team.create_member(w["port"].branches[Agency.CUSTOMS], "李", shoe_size=42),
        ValidationError, "Unknown member field"),
    "member date not a date": (
        lambda sv, w: sv.team.update_member(w["member"], fitness_date="2026-01-01", expected_version=sv.team.version_of(Member, w["member"])), ValidationError, "date"),
    "member status not a status": (
        lambda sv, w: sv.team.update_member(w["member"], status="retired", expected_version=sv.team.version_of(Member, w["member"])), ValidationError, "status"),
    "member in a missing branch": (lambda sv, w: sv.team.create_member(999, "李"), NotFoundError, "does not exist"),
    "negative squad strength": (
        lambda sv, w: sv.team.create_squad(w["team"].team_id, SquadKind.MEDICAL, "医疗", min_strength=-1),
        ValidationError, "negative"),
    "unknown skill": (lambda sv, w: sv.team.set_member_skill(w["member"], "juggling", expected_version=builders.member_skill_version(sv.team, w["member"], "juggling")), ValidationError, "Unknown skill"),
    "certificate expires before issue": (
        lambda sv, w: sv.team.set_member_skill(w["member"], "first_aid", expires_on=TODAY, issued_on=TODAY + timedelta(1), expected_version=builders.member_skill_version(sv.team, w["member"], "first_aid")),
        ValidationError, "before the start"),
    "leave ends before it starts": (
        lambda sv, w: sv.team.add_unavailability(w["member"], UnavailabilityKind.LEAVE, TODAY, TODAY - timedelta(1)),
        ValidationError, "before the start"),
    "plan level 5": (
        lambda sv, w: sv.plans.create_plan(w["port"].port_id, "QH-99", Scenario.OTHER, "预案", levels=(1, 5)),
        ValidationError, "I, II, III or IV"),
    "action target negative": (
        lambda sv, w: sv.plans.add_action(w["draft"].version_id, Agency.CUSTOMS, ResponsePhase.ALERT, "x",
                                          target_minutes=-1),
        ValidationError, "minutes"),
    "unknown plan field": (
        lambda sv, w: sv.plans.update_version(w["plan"].version_id, status="draft", expected_version=sv.plans.version_of(PlanVersion, w["plan"].version_id)), ValidationError, "Unknown plan field"),
    "drill lasting zero minutes": (
        lambda sv, w: builders.drill(sv, w["port"], duration_minutes=0), ValidationError, "lasts between"),
    "drill at level 0": (lambda sv, w: builders.drill(sv, w["port"], level=0), ValidationError, "I, II, III or IV"),
    "drill of a missing plan": (
        lambda sv, w: sv.drills.schedule_drill(w["port"].port_id, "演练", DrillKind.LIVE, sv.clock(), plan_id=999),
        NotFoundError, "does not exist"),
    "review of nothing": (lambda sv, w: sv.reviews.create_review("评估"), DomainError, "exactly one"),
    "log entry for nothing": (lambda sv, w: sv.runs.add_log_entry("文字"), DomainError, "exactly one"),
    "reminder without title": (
        lambda sv, w: sv.reminders.create(ReminderKind.GENERAL, "  ", sv.clock()),
        ValidationError, "empty"),
}


@pytest.mark.parametrize("case", list(INVALID), ids=list(INVALID))
def test_invalid_input_is_a_clear_domain_error_and_writes_nothing(services, world, case):
    call, error, fragment = INVALID[case]
    counts = databases.row_counts(services.db)

    with pytest.raises(error) as excinfo:
        call(services, world)

    assert fragment.lower() in excinfo.value.message.lower()
    assert "\n" not in excinfo.value.message and "SQL" not in excinfo.value.message
    assert databases.row_counts(services.db) == counts


OVERLONG = {
    "port neighbour_country (100)": lambda sv, w: sv.org.create_port("QH2", "口岸", neighbour_country="国" * 101),
    "branch name_en (200)": lambda sv, w: sv.org.create_branch(
        sv.org.create_port("QH3", "口岸"), Agency.CUSTOMS, "海关", name_en="C" * 201),
    "drill location (300)": lambda sv, w: builders.drill(sv, w["port"], location="L" * 301),
    "action responsible_post (200)": lambda sv, w: sv.plans.add_action(
        w["draft"].version_id, Agency.CUSTOMS, ResponsePhase.ALERT, "行动", responsible_post="P" * 201),
}


@pytest.mark.parametrize("case", list(OVERLONG), ids=list(OVERLONG))
def test_text_longer_than_its_column_is_a_validation_error(services, world, case):
    """The columns have limits (PostgreSQL enforces them, SQLite does not): the operation must check them."""
    with pytest.raises(ValidationError, match="too long"):
        OVERLONG[case](services, world)


def test_text_longer_than_its_column_is_a_validation_error_on_postgresql(pg_db, clock):
    services = Services(pg_db, UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin"), clock)

    with pytest.raises(ValidationError, match="too long"):
        services.org.create_port("QH", "圈河口岸", neighbour_country="国" * 101)


# -- optimistic locking ----------------------------------------------------------------------------------


def test_update_with_a_stale_version_is_a_conflict_and_writes_nothing(services):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port, "赵磊")
    with services.db.session() as s:
        read_version = s.get(Member, member_id).row_version

    assert services.team.update_member(member_id, expected_version=read_version, post="科长") == read_version + 1
    counts = databases.row_counts(services.db)

    with pytest.raises(ConflictError, match="changed by admin at"):
        services.team.update_member(member_id, expected_version=read_version, post="副科长")

    assert databases.row_counts(services.db) == counts
    with services.db.session() as s:
        assert s.get(Member, member_id).post == "科长"


def _edit_the_same_member_twice(services: Services, member_id: int) -> None:
    """Two workstations open the same member; the second to save must not overwrite the first."""
    desk = ServiceBase(services.db, services.actor, services.clock)
    with desk.write("team.update_member") as first:
        mine = first.get(Member, member_id)
        with desk.write("team.update_member") as second:
            second.get(Member, member_id).post = "科长"
        mine.post = "副科长"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_second_of_two_concurrent_edits_is_a_conflict(request, backend, clock):
    if backend == "postgresql":
        db = request.getfixturevalue("pg_db")
        services = Services(db, UserService(db, SYSTEM_ACTOR).ensure_local_user("admin"), clock)
    else:
        services = request.getfixturevalue("services")
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port, "赵磊")

    with pytest.raises(ConflictError, match="Someone else changed this record") as excinfo:
        _edit_the_same_member_twice(services, member_id)

    assert isinstance(excinfo.value.__cause__, StaleDataError)

    with services.db.session() as s:
        member = s.get(Member, member_id)
        assert (member.post, member.row_version) == ("科长", 2)


# -- text stored exactly ---------------------------------------------------------------------------------

AWKWARD = {
    "markup": "<b>封控</b> & \"引号\" 'single' </script><script>alert(1)</script> &amp; \\ back\\slash",
    "emoji": "🚨🧯👮‍♀️ 值班 ✅",
    "rare CJK": "𠀀𪚥𰻝𱁬 龘 (Ext B, G, H)",
    "controls": "line one\nline two\ttabbed\r\nwindows",
}


@pytest.mark.parametrize("case", list(AWKWARD), ids=list(AWKWARD))
def test_awkward_text_is_stored_and_read_back_exactly(services, case):
    value = AWKWARD[case]
    port = builders.port_with_branches(services)

    member_id = services.team.create_member(port.branches[Agency.CUSTOMS], value[:100], notes=value)

    with services.db.session() as s:
        member = s.get(Member, member_id)
        assert (member.name, member.notes) == (value[:100].strip(), value)
    assert audit_trail.one(services.db, entity="member", entity_id=member_id)["after"]["notes"] == value


def test_ten_thousand_characters_are_stored_and_read_back_exactly(services):
    value = ("预案𠀀<&>\"'🚨" * 1200)[:10_000]
    assert len(value) == 10_000
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    drill_id = builders.drill(services, port, plan)
    run_id = services.runs.start_run(drill_id, confirm_early=True)

    member_id = services.team.create_member(port.branches[Agency.CUSTOMS], "长备注", notes=value)
    log_id = services.runs.add_log_entry(value, drill_run_id=run_id)

    with services.db.session() as s:
        assert s.get(Member, member_id).notes == value
        assert s.get(LogEntry, log_id).text == value


# -- PostgreSQL: the same operations on the shared server ------------------------------------------------


def test_service_round_trip_on_postgresql(pg_db, clock):
    admin = UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(pg_db, admin, clock)

    port_id = services.org.create_port("QH", "圈河口岸", "Quanhe Port")
    branch_id = services.org.create_branch(port_id, Agency.QUARANTINE, "检验检疫", duty_phone="0433-7500000")
    member_id = services.team.create_member(branch_id, "𠀀王 🚨", notes=AWKWARD["markup"])

    assert [p.code for p in services.org.ports()] == ["QH"]
    assert [(b.id, b.agency) for b in services.org.branches(port_id)] == [(branch_id, Agency.QUARANTINE)]
    with pg_db.session() as s:
        member = s.scalar(select(Member).where(Member.branch_id == branch_id))
        assert (member.id, member.name, member.notes) == (member_id, "𠀀王 🚨", AWKWARD["markup"])
    entries = audit_trail.entries(pg_db)
    assert [(e["operation"], e["entity"], e["entity_id"]) for e in entries] == [
        ("users.ensure_local_user", "app_user", admin.user_id),
        ("org.create_port", "port", port_id),
        ("org.create_branch", "branch", branch_id),
        ("team.create_member", "member", member_id),
    ]
    assert all(e["action"] == "insert" and e["at"] == clock.now for e in entries[1:])
    assert entries[-1]["after"]["name"] == "𠀀王 🚨"
    assert entries[-1]["username"] == "admin"
