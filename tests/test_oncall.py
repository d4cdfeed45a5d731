"""Who is on call (drillapp/services/oncall.py): published shifts only, the 08:00 hand-over, the next shift,
members with branch, squad, leader flag, phones and the skills valid that day, a period's shifts, one
member's duties, and the live drill runs a call-out test can join."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers import builders

from drillapp.models import OnCallShift, ShiftAssignment, Squad
from drillapp.models.enums import Agency, ShiftKind, SquadKind
from drillapp.services.context import ServiceBase
from drillapp.services.errors import NotFoundError

DAY1 = datetime(2026, 3, 2, 8, 0)  # Monday 08:00, the conftest clock's start


def add_shift(services, port_id: int, starts: datetime, members: list[int], *, hours: int = 24,
              published: bool = True, kind: ShiftKind = ShiftKind.DUTY_24H, duties: dict[int, str] | None = None) -> int:
    """A shift written directly (the roster service that publishes shifts is another module's)."""
    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        shift = OnCallShift(port_id=port_id, kind=kind, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                            published=published)
        shift.assignments = [ShiftAssignment(member_id=m, duty=(duties or {}).get(m, "")) for m in members]
        s.add(shift)
        s.flush()
        return shift.id


def make_leader(services, squad_id: int, member_id: int) -> None:
    with ServiceBase(services.db, services.actor, services.clock).write("team.create_squad") as s:
        s.get(Squad, squad_id).leader_id = member_id


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.MEDICAL, SquadKind.SECURITY))
    services.team.create_skill("first_aid", "急救", "First aid", certificate_required=True)
    services.team.create_skill("russian", "俄语", "Russian")
    m = {
        "王强": builders.member(services, port, "王强", Agency.BORDER_INSPECTION, phone="0433-7500001",
                              mobile="13900000001", squad_id=team.squads[SquadKind.SECURITY]),
        "李娜": builders.member(services, port, "李娜", Agency.CUSTOMS, mobile="13900000002",
                              squad_id=team.squads[SquadKind.MEDICAL]),
        "张伟": builders.member(services, port, "张伟", Agency.QUARANTINE, mobile="13900000003"),
        "刘洋": builders.member(services, port, "刘洋", Agency.PORT_OFFICE, mobile="13900000004"),
    }
    make_leader(services, team.squads[SquadKind.MEDICAL], m["李娜"])
    services.team.set_member_skill(m["李娜"], "first_aid", expires_on=date(2026, 3, 3), expected_version=builders.member_skill_version(services.team, m["李娜"], "first_aid"))
    services.team.set_member_skill(m["李娜"], "russian", expected_version=builders.member_skill_version(services.team, m["李娜"], "russian"))
    monday = add_shift(services, port.port_id, DAY1, [m["王强"], m["李娜"]], duties={m["王强"]: "带班"})
    tuesday = add_shift(services, port.port_id, DAY1 + timedelta(days=1), [m["张伟"], m["李娜"]])
    draft = add_shift(services, port.port_id, DAY1 + timedelta(days=2), [m["刘洋"]], published=False)
    thursday = add_shift(services, port.port_id, DAY1 + timedelta(days=3), [m["刘洋"], m["王强"]])
    return {"port": port, "team": team, "m": m, "shifts": (monday, tuesday, draft, thursday)}


def names(shift) -> list[str]:
    return [member.name for member in shift.members]


def test_the_08_00_hand_over(services, world):
    monday, tuesday, _draft, _thursday = world["shifts"]
    oncall = services.oncall
    assert oncall.current_shift(DAY1 - timedelta(seconds=1)) is None  # nothing before Monday's shift
    assert oncall.current_shift(DAY1).shift_id == monday  # 08:00 sharp: the new shift is on
    assert oncall.current_shift(DAY1 + timedelta(hours=23, minutes=59)).shift_id == monday
    at_handover = DAY1 + timedelta(days=1)
    assert oncall.current_shift(at_handover).shift_id == tuesday  # Monday's ended at 08:00
    assert oncall.next_shift(at_handover - timedelta(seconds=1)).shift_id == tuesday
    assert oncall.next_shift(at_handover).shift_id != tuesday  # it has started: not "next" any more
    assert oncall.current_shift().shift_id == monday  # default: the clock's now (Monday 08:00)


def test_unpublished_drafts_are_nobodys_duty(services, world):
    _monday, tuesday, draft, thursday = world["shifts"]
    wednesday_noon = DAY1 + timedelta(days=2, hours=4)
    assert services.oncall.current_shift(wednesday_noon) is None
    assert services.oncall.next_shift(DAY1 + timedelta(days=1, hours=1)).shift_id == thursday  # not the draft
    between = services.oncall.shifts_between(DAY1, DAY1 + timedelta(days=7))
    assert draft not in [s.shift_id for s in between]
    assert [s.shift_id for s in services.oncall.shifts_between(DAY1, DAY1 + timedelta(days=7),
                                                                published_only=False)][2] == draft
    duties = services.oncall.member_duties(world["m"]["刘洋"], DAY1, DAY1 + timedelta(days=7))
    assert [d.shift_id for d in duties.duties] == [thursday]


def test_members_with_branch_squad_leader_phones_and_skills_valid_that_day(services, world):
    monday = services.oncall.current_shift(DAY1 + timedelta(hours=3))
    assert names(monday) == ["王强", "李娜"]  # in the order of the agencies
    wang, li = monday.members
    assert (wang.agency, wang.branch, wang.squad, wang.leader) == (Agency.BORDER_INSPECTION, "边防检查站", "security",
                                                                   False)
    assert (wang.phone, wang.mobile, wang.duty) == ("0433-7500001", "13900000001", "带班")
    assert (li.squad_kind, li.leader, li.mobile) == (SquadKind.MEDICAL, True, "13900000002")
    assert li.skills == ("First aid", "Russian")  # the certificate runs out on 3 March: still valid Monday


def test_an_expired_certificate_is_not_listed_from_its_expiry_date(services, world):
    tuesday = services.oncall.current_shift(DAY1 + timedelta(days=1, hours=1))
    assert tuesday.starts_at.date() == date(2026, 3, 3)
    li = next(m for m in tuesday.members if m.name == "李娜")
    assert li.skills == ("Russian",)
    assert next(m for m in tuesday.members if m.name == "张伟").skills == ()


def test_shifts_between_and_member_duties(services, world):
    monday, tuesday, _draft, thursday = world["shifts"]
    week = services.oncall.shifts_between(DAY1 + timedelta(hours=12), DAY1 + timedelta(days=3))
    assert [s.shift_id for s in week] == [monday, tuesday]  # overlapping; Thursday starts at the end
    duties = services.oncall.member_duties(world["m"]["王强"], DAY1, DAY1 + timedelta(days=7))
    assert duties.member.name == "王强"
    assert [(d.shift_id, d.duty) for d in duties.duties] == [(monday, "带班"), (thursday, "")]
    assert services.oncall.member_duties(world["m"]["张伟"], DAY1 + timedelta(days=5),
                                         DAY1 + timedelta(days=6)).duties == ()
    with pytest.raises(NotFoundError):
        services.oncall.member_duties(99999, DAY1, DAY1 + timedelta(days=1))


def test_ports_are_kept_apart(services, world):
    other = builders.port_with_branches(services, "HC", "珲春口岸")
    stranger = builders.member(services, other, "外人")
    add_shift(services, other.port_id, DAY1, [stranger], hours=12)
    port_id = world["port"].port_id
    assert names(services.oncall.current_shift(DAY1 + timedelta(hours=1), port_id)) == ["王强", "李娜"]
    assert names(services.oncall.current_shift(DAY1 + timedelta(hours=1), other.port_id)) == ["外人"]
    assert services.oncall.default_port_id() == port_id  # the first port with a roster
    assert services.oncall.port_name(port_id) == "Quanhe Port"


def test_live_drill_runs_a_callout_test_can_join(services, world):
    port = world["port"]
    assert services.oncall.live_drill_runs(port.port_id) == []
    run = services.runs.start_run(builders.drill(services, port, title="货运通道实战演练"), confirm_early=True)
    live = services.oncall.live_drill_runs(port.port_id)
    assert [(r.run_id, r.title) for r in live] == [(run, "货运通道实战演练")]
    services.runs.end_run(run)
    assert services.oncall.live_drill_runs(port.port_id) == []


def test_no_port_at_all(services):
    with pytest.raises(NotFoundError, match="no port"):
        services.oncall.default_port_id()
    assert services.oncall.current_shift(DAY1) is None and services.oncall.next_shift(DAY1) is None


def test_shift_times_are_on_the_shifts_own_port_clock(services, world):
    """The on-call panel (dashboard, incident desk) showed a shift of a port in another zone on the process's
    clock: 05:00 UTC read 13:00 (Shanghai) for a shift that starts at 08:00 in Moscow."""
    from drillapp.clock import DEFAULT_ZONE, zone_name

    assert zone_name() == DEFAULT_ZONE == "Asia/Shanghai"
    port = builders.port_in_zone(services, "MSK", "Europe/Moscow")  # UTC+3, five hours behind Shanghai
    msk = port.port_id
    member = builders.member(services, port, "伊万", Agency.CUSTOMS)
    starts = datetime(2026, 3, 2, 5, 0)  # 08:00 in Moscow
    shift_id = add_shift(services, msk, starts, [member])
    oncall = services.oncall
    for shift in (oncall.current_shift(starts, msk), oncall.next_shift(starts - timedelta(hours=1), msk),
                  *oncall.shifts_between(starts, starts + timedelta(days=1), msk)):
        assert shift is not None and shift.shift_id == shift_id
        assert shift.zone == "Europe/Moscow"
        assert shift.local_start == datetime(2026, 3, 2, 8, 0)
        assert shift.local_end == datetime(2026, 3, 3, 8, 0)
    home = oncall.current_shift(DAY1, world["port"].port_id)  # a port on the process's own clock
    assert home.zone == "Asia/Shanghai" and home.local_start == DAY1 + timedelta(hours=8)
