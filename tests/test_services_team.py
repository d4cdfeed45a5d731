"""Organisation, users and the rapid-response team: the happy path of each operation."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import audit_trail, builders
from sqlalchemy import select

from drillapp.models import Branch, Member, MemberSkill, Port, Squad, Unavailability, User
from drillapp.models.enums import Agency, MemberStatus, PortKind, Role, SquadKind, UnavailabilityKind
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import DomainError
from drillapp.services.org import BranchRow, PortRow, UserService


def test_create_port_and_its_four_branches(services):
    port_id = services.org.create_port(" QH ", "圈河口岸", "Quanhe Port", PortKind.ROAD, "朝鲜")
    branch_ids = [
        services.org.create_branch(port_id, agency, name, duty_phone="0433-7512345")
        for agency, name in builders.BRANCH_NAMES.items()
    ]

    assert services.org.ports() == [PortRow(port_id, "QH", "圈河口岸", "Quanhe Port", PortKind.ROAD)]
    assert [b.agency for b in services.org.branches(port_id)] == list(Agency)
    assert services.org.branches(port_id)[1] == BranchRow(
        branch_ids[1], port_id, Agency.CUSTOMS, "海关", "", "0433-7512345"
    )
    with services.db.session() as s:
        port = s.get(Port, port_id)
        assert (port.neighbour_country, port.row_version) == ("朝鲜", 1)
        assert [b.id for b in port.branches] == branch_ids


def test_branches_of_all_ports_or_of_one(services):
    first = builders.port_with_branches(services, "QH")
    second = builders.port_with_branches(services, "SH", "沙坨子口岸")

    assert len(services.org.branches()) == 8
    assert {b.port_id for b in services.org.branches(second.port_id)} == {second.port_id}
    assert {b.id for b in services.org.branches(first.port_id)} == set(first.branches.values())


def test_the_same_agency_twice_at_one_port_is_refused(services):
    port = builders.port_with_branches(services)

    with pytest.raises(DomainError, match="conflicts with existing data"):
        services.org.create_branch(port.port_id, Agency.CUSTOMS, "第二个海关")

    with services.db.session() as s:
        assert len(s.scalars(select(Branch).where(Branch.agency == Agency.CUSTOMS)).all()) == 1


def test_first_local_user_is_administrator_and_later_ones_viewers(db):
    users = UserService(db, SYSTEM_ACTOR)

    first = users.ensure_local_user("zhang", "张科长")
    second = users.ensure_local_user("li")
    again = users.ensure_local_user("zhang")

    assert (first.role, first.display_name) == (Role.ADMINISTRATOR, "张科长")
    assert (second.role, second.display_name) == (Role.VIEWER, "li")
    assert again == first
    entry = audit_trail.one(db, entity="app_user", entity_id=first.user_id)
    assert (entry["operation"], entry["username"], entry["user_id"]) == ("users.ensure_local_user", "system", None)


def test_create_user_with_a_role_and_branch(services):
    port = builders.port_with_branches(services)

    user_id = services.users.create_user("duty1", Role.DUTY_OFFICER, "值班员", port.branches[Agency.PORT_OFFICE])

    with services.db.session() as s:
        user = s.get(User, user_id)
        assert (user.username, user.role, user.display_name, user.branch_id, user.active) == (
            "duty1", Role.DUTY_OFFICER, "值班员", port.branches[Agency.PORT_OFFICE], True
        )


def test_skill_team_and_squads(services):
    port = builders.port_with_branches(services)

    skill_id = services.team.create_skill("first_aid", "急救", "First aid", certificate_required=True)
    team = builders.team_with_squads(services, port, (SquadKind.COMMAND, SquadKind.MEDICAL))

    with services.db.session() as s:
        squads = s.scalars(select(Squad).where(Squad.team_id == team.team_id).order_by(Squad.id)).all()
        assert [(q.kind, q.min_strength) for q in squads] == [(SquadKind.COMMAND, 2), (SquadKind.MEDICAL, 2)]
    assert audit_trail.one(services.db, entity="skill", entity_id=skill_id)["after"]["certificate_required"] is True


def test_create_member_with_details(services):
    port = builders.port_with_branches(services)

    member_id = services.team.create_member(
        port.branches[Agency.QUARANTINE], "  陈静  ", post="检疫员", rank="二级", phone="0433-7511111",
        mobile="13912345678", email="chen@example.cn", volunteer_date=date(2024, 5, 1), notes="懂俄语",
    )

    with services.db.session() as s:
        m = s.get(Member, member_id)
        assert (m.name, m.post, m.rank, m.mobile, m.email, m.volunteer_date, m.notes, m.status) == (
            "陈静", "检疫员", "二级", "13912345678", "chen@example.cn", date(2024, 5, 1), "懂俄语", MemberStatus.ACTIVE
        )
    assert services.team.active_member_count() == 1


def test_update_member_moves_and_changes_status(services):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)

    version = services.team.update_member(
        member_id, status=MemberStatus.ON_LEAVE, branch_id=port.branches[Agency.CUSTOMS], fitness_date=date(2026, 1, 5),
        expected_version=services.team.version_of(Member, member_id),
    )

    assert version == 2
    with services.db.session() as s:
        m = s.get(Member, member_id)
        assert (m.status, m.branch_id, m.fitness_date) == (MemberStatus.ON_LEAVE, port.branches[Agency.CUSTOMS],
                                                            date(2026, 1, 5))
    assert services.team.active_member_count() == 0


def test_assign_and_unassign_a_squad(services):
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.SECURITY,))
    member_id = builders.member(services, port)

    services.team.assign_squad(member_id, team.squads[SquadKind.SECURITY], expected_version=services.team.version_of(Member, member_id))
    with services.db.session() as s:
        assert s.get(Member, member_id).squad_id == team.squads[SquadKind.SECURITY]

    services.team.assign_squad(member_id, None, expected_version=services.team.version_of(Member, member_id))
    with services.db.session() as s:
        assert s.get(Member, member_id).squad_id is None


def test_set_member_skill_creates_then_updates_one_certificate(services):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)
    services.team.create_skill("first_aid", "急救", certificate_required=True)

    first = services.team.set_member_skill(member_id, "first_aid", expires_on=date(2027, 1, 1), certificate_no="A-1", expected_version=builders.member_skill_version(services.team, member_id, "first_aid"))
    second = services.team.set_member_skill(
        member_id, "first_aid", expires_on=date(2029, 1, 1), certificate_no="A-2", issued_on=date(2026, 1, 1),
        expected_version=builders.member_skill_version(services.team, member_id, "first_aid"),
    )

    assert first == second
    with services.db.session() as s:
        rows = s.scalars(select(MemberSkill).where(MemberSkill.member_id == member_id)).all()
        assert [(r.certificate_no, r.issued_on, r.expires_on) for r in rows] == [
            ("A-2", date(2026, 1, 1), date(2029, 1, 1))
        ]
    update = audit_trail.one(services.db, entity="member_skill", action="update")
    assert update["before"] == {"certificate_no": "A-1", "expires_on": "2027-01-01", "issued_on": None}
    assert update["after"] == {"certificate_no": "A-2", "expires_on": "2029-01-01", "issued_on": "2026-01-01"}


def test_add_unavailability(services):
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)

    entry_id = services.team.add_unavailability(
        member_id, UnavailabilityKind.COURSE, date(2026, 4, 1), date(2026, 4, 1), note="培训"
    )

    with services.db.session() as s:
        entry = s.get(Unavailability, entry_id)
        assert (entry.member_id, entry.kind, entry.starts_on, entry.ends_on, entry.note) == (
            member_id, UnavailabilityKind.COURSE, date(2026, 4, 1), date(2026, 4, 1), "培训"
        )
