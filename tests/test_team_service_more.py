"""The team lead's operations behind the member editor and the squad board: each writes what it says and
leaves its audit entry, refuses bad input with a message that says what to do, and the team overview counts
skills and strength by the roster's rule (a certificate stops counting on its expiry date)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import audit_trail, builders
from sqlalchemy import select

from drillapp.models import Member, MemberSkill, Skill, Squad, Unavailability
from drillapp.models.enums import Agency, MemberStatus, SquadKind, UnavailabilityKind
from drillapp.services.errors import ConflictError, NotFoundError, ValidationError
from drillapp.services.team import SkillEntry, UnavailabilityEntry
from drillapp.services.team_overview import CertificateState, certificate_state, skill_valid_on

DAY = date(2026, 3, 2)  # the fixed clock's day


@pytest.fixture
def team(services):
    port = builders.port_with_branches(services)
    ids = builders.team_with_squads(services, port)
    first_aid = services.team.create_skill("FA", "急救", "First aid", certificate_required=True)
    russian = services.team.create_skill("RU", "俄语", "Russian")
    return port, ids, first_aid, russian


def test_the_expiry_rule_is_the_rosters_a_skill_stops_counting_on_its_expiry_date() -> None:
    assert skill_valid_on(None, DAY)
    assert skill_valid_on(DAY + timedelta(days=1), DAY)
    assert not skill_valid_on(DAY, DAY), "on the expiry date the skill no longer counts"
    assert certificate_state(DAY, DAY) is CertificateState.EXPIRED
    assert certificate_state(DAY + timedelta(days=30), DAY) is CertificateState.EXPIRING
    assert certificate_state(DAY + timedelta(days=31), DAY) is CertificateState.VALID
    assert certificate_state(None, DAY) is CertificateState.VALID
    assert not skill_valid_on(None, DAY, issued_on=DAY + timedelta(days=1)), "nor before its issue date"
    assert skill_valid_on(None, DAY, issued_on=DAY)


def test_save_member_creates_then_replaces_details_skills_and_unavailability(services, team) -> None:
    port, ids, first_aid, russian = team
    mid = services.team.save_member(
        None, None,
        {"branch_id": port.branches[Agency.CUSTOMS], "name": "王<芳> & Co", "mobile": "13800000001",
         "squad_id": ids.squads[SquadKind.MEDICAL], "volunteer_date": date(2025, 5, 1)},
        [SkillEntry(first_aid, "JJ-001", date(2024, 1, 1), date(2027, 1, 1))],
        [UnavailabilityEntry(UnavailabilityKind.LEAVE, date(2026, 4, 1), date(2026, 4, 5), "探亲")],
    )
    detail = services.team.member_detail(mid)
    assert (detail.name, detail.mobile, detail.squad_id) == ("王<芳> & Co", "13800000001", ids.squads[SquadKind.MEDICAL])
    assert [(h.code, h.certificate_no, h.expires_on) for h in detail.skills] == [("FA", "JJ-001", date(2027, 1, 1))]
    leave = detail.unavailability[0]

    services.team.save_member(
        mid, detail.row_version, {"post": "医生", "status": MemberStatus.ON_LEAVE.value},
        [SkillEntry(russian)],
        [UnavailabilityEntry(UnavailabilityKind.COURSE, date(2026, 4, 2), date(2026, 4, 9), "培训", id=leave.id),
         UnavailabilityEntry(UnavailabilityKind.BLACKOUT, date(2026, 6, 1), date(2026, 6, 1))],
    )
    after = services.team.member_detail(mid)
    assert (after.post, after.status) == ("医生", MemberStatus.ON_LEAVE)
    assert [h.code for h in after.skills] == ["RU"], "first aid removed, Russian added"
    assert [(u.id == leave.id, u.kind, u.note) for u in after.unavailability] == [
        (True, UnavailabilityKind.COURSE, "培训"), (False, UnavailabilityKind.BLACKOUT, "")]
    assert audit_trail.entries(services.db, operation="team.save_member", entity="member_skill", action="delete")
    with pytest.raises(ConflictError):
        services.team.save_member(mid, detail.row_version, {"post": "护士"}, [], [])
    assert services.team.member_detail(mid).post == "医生", "a stale save changes nothing"


def test_save_member_refuses_bad_rows_and_writes_nothing(services, team) -> None:
    port, _ids, first_aid, _ru = team
    mid = builders.member(services, port)
    version = services.team.member_detail(mid).row_version
    with pytest.raises(ValidationError, match="listed twice") as twice:
        services.team.save_member(mid, version, {}, [SkillEntry(first_aid), SkillEntry(first_aid)], [])
    assert twice.value.field == "skills"
    with pytest.raises(ValidationError, match="expiry date is before the issue date"):
        services.team.save_member(mid, version, {}, [SkillEntry(first_aid, "", date(2026, 5, 1), date(2026, 1, 1))], [])
    with pytest.raises(ValidationError, match="end date is before the start date") as backwards:
        services.team.save_member(mid, version, {"post": "x"}, [], [
            UnavailabilityEntry(UnavailabilityKind.LEAVE, date(2026, 4, 5), date(2026, 4, 1))])
    assert backwards.value.field == "unavailability"
    with pytest.raises(ValidationError, match="Name must not be empty"):
        services.team.save_member(mid, version, {"name": "  "}, [], [])
    detail = services.team.member_detail(mid)
    assert (detail.row_version, detail.post, detail.skills) == (version, "", ())


def test_remove_member_skill_and_unavailability_edits(services, team) -> None:
    port, _ids, _fa, _ru = team
    mid = builders.member(services, port)
    services.team.set_member_skill(mid, "RU", expected_version=builders.member_skill_version(services.team, mid, "RU"))
    services.team.remove_member_skill(mid, "RU", expected_version=builders.member_skill_version(services, mid, "RU"))
    with services.db.session() as s:
        assert s.scalars(select(MemberSkill).where(MemberSkill.member_id == mid)).all() == []
    assert audit_trail.one(services.db, operation="team.remove_member_skill")["action"] == "delete"
    with pytest.raises(ValidationError, match="does not hold the skill RU"):
        services.team.remove_member_skill(mid, "RU", expected_version=builders.member_skill_version(services, mid, "RU"))

    entry = services.team.add_unavailability(mid, UnavailabilityKind.LEAVE, date(2026, 4, 1), date(2026, 4, 3))
    version = services.team.update_unavailability(entry, UnavailabilityKind.COURSE, date(2026, 4, 2),
                                                  date(2026, 4, 4), "消防培训", expected_version=1)
    assert version == 2
    with pytest.raises(ConflictError):
        services.team.update_unavailability(entry, UnavailabilityKind.LEAVE, date(2026, 4, 2), date(2026, 4, 4),
                                            expected_version=1)
    with pytest.raises(ValidationError, match="end date is before"):
        services.team.update_unavailability(entry, UnavailabilityKind.LEAVE, date(2026, 4, 4), date(2026, 4, 2), expected_version=services.team.version_of(Unavailability, entry))
    with services.db.session() as s:
        row = s.get(Unavailability, entry)
        assert (row.kind, row.starts_on, row.note) == (UnavailabilityKind.COURSE, date(2026, 4, 2), "消防培训")
    services.team.remove_unavailability(entry, expected_version=services.team.version_of(Unavailability, entry))
    with pytest.raises(NotFoundError):
        services.team.remove_unavailability(entry, expected_version=services.team.version_of(Unavailability, entry))
    assert audit_trail.one(services.db, operation="team.remove_unavailability")["entity_id"] == entry


def test_squad_leader_must_be_an_active_member_of_the_squad(services, team) -> None:
    port, ids, _fa, _ru = team
    medical, security = ids.squads[SquadKind.MEDICAL], ids.squads[SquadKind.SECURITY]
    doctor = builders.member(services, port, "李医生", squad_id=medical)
    outsider = builders.member(services, port, "外人", squad_id=security)
    away = builders.member(services, port, "请假", squad_id=medical, status=MemberStatus.ON_LEAVE.value)
    with pytest.raises(ValidationError, match="外人 is not in medical: move them into the squad first"):
        services.team.set_squad_leader(medical, outsider, expected_version=services.team.version_of(Squad, medical))
    with pytest.raises(ValidationError, match="not active"):
        services.team.set_squad_leader(medical, away, expected_version=services.team.version_of(Squad, medical))
    services.team.set_squad_leader(medical, doctor, expected_version=services.team.version_of(Squad, medical))
    overview = services.team.team_overview(ids.team_id)
    squad = next(q for q in overview.squads if q.id == medical)
    assert (squad.leader_id, squad.leader_name) == (doctor, "李医生")
    assert audit_trail.one(services.db, operation="team.set_squad_leader")["after"]["leader_id"] == doctor

    services.team.assign_squad(doctor, security, expected_version=services.team.version_of(Member, doctor))  # moving the leader out leaves the squad without one
    with services.db.session() as s:
        assert s.get(Squad, medical).leader_id is None
    services.team.set_squad_leader(security, doctor, expected_version=services.team.version_of(Squad, security))
    services.team.set_squad_leader(security, None, expected_version=services.team.version_of(Squad, security))
    with services.db.session() as s:
        assert s.get(Squad, security).leader_id is None


def test_minimums_of_squads_and_branches_and_the_gaps_in_the_overview(services, team) -> None:
    port, ids, first_aid, _ru = team
    medical = ids.squads[SquadKind.MEDICAL]
    customs, quarantine = port.branches[Agency.CUSTOMS], port.branches[Agency.QUARANTINE]
    active = builders.member(services, port, "甲", Agency.CUSTOMS, squad_id=medical)
    builders.member(services, port, "乙", Agency.CUSTOMS, squad_id=medical, status=MemberStatus.ON_LEAVE.value)
    builders.member(services, port, "丙", Agency.CUSTOMS, status=MemberStatus.LEFT.value)
    services.team.set_squad_min_strength(medical, 1, expected_version=services.team.version_of(Squad, medical))
    services.team.set_branch_minimum(ids.team_id, customs, 2, expected_version=builders.branch_minimum_version(services.team, ids.team_id, customs))
    services.team.set_branch_minimum(ids.team_id, customs, 1, expected_version=builders.branch_minimum_version(services.team, ids.team_id, customs))  # the second call updates the same row
    services.team.set_branch_minimum(ids.team_id, quarantine, 1, expected_version=builders.branch_minimum_version(services.team, ids.team_id, quarantine))
    with pytest.raises(ValidationError, match="whole number from 0 to 999"):
        services.team.set_squad_min_strength(medical, -1, expected_version=services.team.version_of(Squad, medical))
    other = builders.port_with_branches(services, "SH", "沙坨子口岸")
    with pytest.raises(ValidationError, match="not at this team's port"):
        services.team.set_branch_minimum(ids.team_id, other.branches[Agency.CUSTOMS], 1, expected_version=builders.branch_minimum_version(services.team, ids.team_id, other.branches[Agency.CUSTOMS]))

    overview = services.team.team_overview(ids.team_id)
    squad = next(q for q in overview.squads if q.id == medical)
    assert (squad.strength, squad.min_strength, squad.short) == (1, 1, False)
    assert [m.name for m in squad.members] == ["乙", "甲"], "on-leave members are shown, not counted"
    assert all(m.name != "丙" for q in overview.squads for m in q.members) and not overview.unassigned
    branches = {b.branch_id: b for b in overview.branches}
    assert (branches[customs].strength, branches[customs].minimum, branches[customs].short) == (1, 1, False)
    assert (branches[quarantine].strength, branches[quarantine].short) == (0, True)
    security = next(q for q in overview.squads if q.kind is SquadKind.SECURITY)
    assert security.short and security.strength == 0
    assert len(audit_trail.entries(services.db, operation="team.set_branch_minimum")) == 3
    assert overview.member(active) is not None


def test_overview_skills_valid_on_a_day_and_flagged_certificates(services, team) -> None:
    port, ids, _fa, _ru = team
    mid = builders.member(services, port, "赵", squad_id=ids.squads[SquadKind.MEDICAL])
    services.team.set_member_skill(mid, "FA", expires_on=date(2026, 3, 20), expected_version=builders.member_skill_version(services.team, mid, "FA"))
    services.team.set_member_skill(mid, "RU", expected_version=builders.member_skill_version(services.team, mid, "RU"))

    before = services.team.team_overview(ids.team_id, date(2026, 3, 19)).member(mid)
    assert before.skills == ("First aid", "Russian") and before.has_expiring and not before.has_expired
    on_expiry = services.team.team_overview(ids.team_id, date(2026, 3, 20)).member(mid)
    assert on_expiry.skills == ("Russian",), "the roster stops counting first aid on its expiry date"
    assert on_expiry.has_expired and [h.code for h in on_expiry.flagged] == ["FA"]
    far = services.team.team_overview(ids.team_id, date(2026, 1, 1)).member(mid)
    assert far.flagged == () and far.skills == ("First aid", "Russian")


def test_the_skill_list_create_rename_remove(services, team) -> None:
    port, _ids, first_aid, _ru = team
    korean = services.team.create_skill("KO", "朝鲜语")
    services.team.rename_skill(korean, "朝鲜语（韩语）", "Korean", certificate_required=True, expected_version=1)
    row = next(k for k in services.team.skills() if k.id == korean)
    assert (row.name_zh, row.name_en, row.certificate_required, row.holders) == ("朝鲜语（韩语）", "Korean", True, 0)
    with pytest.raises(ValidationError, match="Chinese name must not be empty"):
        services.team.rename_skill(korean, "", "Korean", expected_version=services.team.version_of(Skill, korean))

    mid = builders.member(services, port)
    services.team.set_member_skill(mid, "FA", expected_version=builders.member_skill_version(services.team, mid, "FA"))
    with pytest.raises(ValidationError, match=r"First aid is held by 1 member\(s\)\. Remove it from them first"):
        services.team.remove_skill(first_aid, expected_version=services.team.version_of(Skill, first_aid))
    services.team.remove_skill(korean, expected_version=services.team.version_of(Skill, korean))
    with services.db.session() as s:
        assert s.get(Skill, korean) is None and s.get(Skill, first_aid) is not None
    assert audit_trail.one(services.db, operation="team.remove_skill")["entity_id"] == korean


def test_leaving_the_team_ends_a_leadership(services, team) -> None:
    port, ids, _fa, _ru = team
    medical = ids.squads[SquadKind.MEDICAL]
    lead = builders.member(services, port, squad_id=medical)
    services.team.set_squad_leader(medical, lead, expected_version=services.team.version_of(Squad, medical))
    services.team.update_member(lead, status=MemberStatus.LEFT.value, expected_version=services.team.version_of(Member, lead))
    with services.db.session() as s:
        assert s.get(Squad, medical).leader_id is None
        assert s.get(Member, lead).status is MemberStatus.LEFT


def test_a_skill_code_already_on_the_list_is_refused_whatever_its_case(services) -> None:
    from drillapp.services.errors import ValidationError

    services.team.create_skill("KO", "朝鲜语", "Korean")
    with pytest.raises(ValidationError, match="already on the list"):
        services.team.create_skill(" ko ", "韩语")
    assert [s.code for s in services.team.skills()] == ["KO"]
