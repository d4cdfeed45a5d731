"""Call-out (muster) tests: who acknowledged and when each arrived, the time to the required strength and to
the full team, no-shows, ending, refusals, a test as part of a live drill, history and trend."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import audit_trail, builders
from sqlalchemy import select

from drillapp.models import CalloutResponse, CalloutTest, LogEntry, Member
from drillapp.models.enums import Agency, CalloutStatus, LogKind, MemberStatus, Role
from drillapp.services.callouts import _summary, describe, minutes_text
from drillapp.services.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationError


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def team(services, port) -> dict[str, int]:
    names = ["王强", "李娜", "张伟", "刘洋", "陈静"]
    agencies = [Agency.BORDER_INSPECTION, Agency.CUSTOMS, Agency.QUARANTINE, Agency.PORT_OFFICE, Agency.CUSTOMS]
    return {name: builders.member(services, port, name, agency) for name, agency in zip(names, agencies, strict=True)}


def test_friday_unannounced_muster_full_team_in_eleven_minutes(services, clock, port, team):
    clock.now = clock.now.replace(day=6, hour=16)  # Friday 6 March 2026, 16:00
    started = clock.now
    test = services.callouts.start_test(port.port_id, required_strength=3, announced=False, note="周五突击集结")

    clock.advance(minutes=1)
    services.callouts.acknowledge(test, team["王强"])
    services.callouts.acknowledge(test, team["李娜"])
    clock.advance(minutes=1)
    services.callouts.acknowledge(test, team["张伟"])
    clock.advance(minutes=2)
    services.callouts.acknowledge(test, team["刘洋"])
    services.callouts.acknowledge(test, team["陈静"])
    clock.advance(minutes=2)  # 6 minutes
    services.callouts.arrive(test, team["李娜"])
    clock.advance(minutes=1.5)  # 7.5
    services.callouts.arrive(test, team["王强"])
    clock.advance(minutes=1.5)  # 9
    services.callouts.arrive(test, team["张伟"])
    clock.advance(minutes=1)  # 10
    services.callouts.arrive(test, team["陈静"])
    clock.advance(minutes=1)  # 11
    services.callouts.arrive(test, team["刘洋"])
    clock.advance(minutes=4)
    services.callouts.end_test(test)

    summary = services.callouts.summary(test)
    assert summary.status is CalloutStatus.ENDED
    assert summary.started_at == started and summary.ended_at == started + timedelta(minutes=15)
    assert summary.announced is False and summary.note == "周五突击集结"
    assert (summary.called, summary.acknowledged, summary.arrived, summary.no_shows, summary.pending) == (5, 5, 5, 0, 0)
    assert summary.required_strength == 3
    assert summary.minutes_to_required == 9.0
    assert summary.minutes_to_full_team == summary.minutes_to_all_who_came == 11.0
    assert describe(summary)[1:] == ["Required strength (3) reached after 9:00.", "Full team (5) assembled after 11:00."]
    assert [(row.name, row.minutes_to_acknowledge, row.minutes_to_arrive) for row in summary.members] == [
        ("李娜", 1.0, 6.0),
        ("王强", 1.0, 7.5),
        ("张伟", 2.0, 9.0),
        ("陈静", 4.0, 10.0),
        ("刘洋", 4.0, 11.0),
    ]
    assert summary.members[0].arrived_at == started + timedelta(minutes=6)
    assert not any(row.no_show for row in summary.members)
    operations = {e["operation"] for e in audit_trail.entries(services.db)}
    assert {"callouts.start", "callouts.acknowledge", "callouts.arrive", "callouts.end"} <= operations


def test_default_members_are_the_ports_active_team_and_strength_defaults_to_all(services, port, team):
    services.team.update_member(team["陈静"], status=MemberStatus.ON_LEAVE, expected_version=services.team.version_of(Member, team["陈静"]))
    other_port = builders.port_with_branches(services, "HC", "珲春口岸")
    builders.member(services, other_port, "外人")

    test = services.callouts.start_test(port.port_id)

    summary = services.callouts.summary(test)
    assert {row.member_id for row in summary.members} == {team[n] for n in ("王强", "李娜", "张伟", "刘洋")}
    assert summary.required_strength == 4
    assert summary.minutes_to_required is None and summary.minutes_to_full_team is None
    assert summary.pending == 4


def test_arrival_without_acknowledgement_acknowledges_it(services, clock, port, team):
    test = services.callouts.start_test(port.port_id, [team["王强"]], required_strength=1)
    clock.advance(minutes=8)
    services.callouts.arrive(test, team["王强"])

    row = services.callouts.summary(test).members[0]
    assert row.acknowledged_at == row.arrived_at == clock.now
    assert row.minutes_to_acknowledge == row.minutes_to_arrive == 8.0


def test_no_shows_and_ending_make_the_rest_no_shows(services, clock, port, team):
    called = [team["王强"], team["李娜"], team["张伟"], team["刘洋"]]
    test = services.callouts.start_test(port.port_id, called, required_strength=3, announced=True)
    clock.advance(minutes=2)
    services.callouts.acknowledge(test, team["王强"])
    services.callouts.no_show(test, team["刘洋"])
    clock.advance(minutes=5)
    services.callouts.arrive(test, team["王强"])
    clock.advance(minutes=7)
    services.callouts.arrive(test, team["李娜"])

    running = services.callouts.summary(test)
    assert (running.arrived, running.no_shows, running.pending) == (2, 1, 1)
    assert running.minutes_to_required is None and not running.required_missed  # 张伟 may still come
    assert running.minutes_to_full_team is None and running.minutes_to_all_who_came is None  # 张伟 is expected

    clock.advance(minutes=10)
    services.callouts.end_test(test)

    summary = services.callouts.summary(test)
    assert (summary.arrived, summary.no_shows, summary.pending) == (2, 2, 0)
    assert summary.minutes_to_required is None and summary.required_missed  # 3 required, 2 came
    assert summary.minutes_to_full_team is None and not summary.full_team  # two did not come
    assert summary.minutes_to_all_who_came == 14.0  # the last of those who came
    by_member = {row.member_id: row for row in summary.members}
    assert by_member[team["张伟"]].no_show and by_member[team["刘洋"]].no_show
    assert not by_member[team["王强"]].no_show
    assert [row.member_id for row in summary.members][:2] == [team["王强"], team["李娜"]]
    with services.db.session() as s:
        assert s.scalar(select(CalloutTest.status).where(CalloutTest.id == test)) is CalloutStatus.ENDED


def test_refusals(services, clock, port, team):
    outsider = builders.member(services, builders.port_with_branches(services, "HC", "珲春口岸"), "外人")
    with pytest.raises(ValidationError, match="not on this port's team"):
        services.callouts.start_test(port.port_id, [team["王强"], outsider])
    with pytest.raises(ValidationError, match="required strength"):
        services.callouts.start_test(port.port_id, [team["王强"]], required_strength=2)
    with pytest.raises(ValidationError, match="at least one member"):
        services.callouts.start_test(port.port_id, [])
    with pytest.raises(NotFoundError):
        services.callouts.start_test(99999)

    test = services.callouts.start_test(port.port_id, [team["王强"], team["李娜"]], required_strength=1)
    with pytest.raises(NotFoundError, match="not called"):
        services.callouts.arrive(test, team["张伟"])
    with pytest.raises(NotFoundError, match="not called"):
        services.callouts.acknowledge(test, 99999)
    with pytest.raises(NotFoundError):
        services.callouts.arrive(99999, team["王强"])

    clock.advance(minutes=3)
    services.callouts.arrive(test, team["王强"])
    with pytest.raises(DomainError, match="already recorded"):
        services.callouts.arrive(test, team["王强"])
    with pytest.raises(DomainError, match="already acknowledged"):
        services.callouts.acknowledge(test, team["王强"])
    with pytest.raises(DomainError, match="cannot be a no-show"):
        services.callouts.no_show(test, team["王强"])

    saved = clock.now
    clock.now = saved - timedelta(hours=1)  # a workstation clock behind the start
    with pytest.raises(ValidationError, match="before the start"):
        services.callouts.arrive(test, team["李娜"])
    clock.now = saved

    services.callouts.end_test(test)
    for call in (services.callouts.acknowledge, services.callouts.arrive, services.callouts.no_show):
        with pytest.raises(DomainError, match="has ended"):
            call(test, team["李娜"])
    with pytest.raises(DomainError, match="has ended"):
        services.callouts.end_test(test)
    summary = services.callouts.summary(test)
    assert (summary.arrived, summary.no_shows, summary.minutes_to_required) == (1, 1, 3.0)


def test_refused_roles_write_nothing(services, port, team):
    viewer = builders.services_as(services, builders.actor(services, Role.VIEWER))
    with pytest.raises(PermissionDeniedError):
        viewer.callouts.start_test(port.port_id)
    lead = builders.services_as(services, builders.actor(services, Role.TEAM_LEAD))
    test = lead.callouts.start_test(port.port_id, [team["王强"]], required_strength=1)
    evaluator = builders.services_as(services, builders.actor(services, Role.EVALUATOR))
    with pytest.raises(PermissionDeniedError):
        evaluator.callouts.arrive(test, team["王强"])
    with services.db.session() as s:
        assert s.scalar(select(CalloutResponse.arrived_at).where(CalloutResponse.test_id == test)) is None


def test_a_callout_test_as_part_of_a_live_drill(services, clock, port, team):
    run = services.runs.start_run(builders.drill(services, port, builders.approved_plan(services, port)), confirm_early=True)
    test = services.callouts.start_test(port.port_id, [team["王强"], team["李娜"]], required_strength=2,
                                        announced=True, drill_run_id=run)
    clock.advance(minutes=4)
    services.callouts.arrive(test, team["王强"])
    clock.advance(minutes=2)
    services.callouts.arrive(test, team["李娜"])
    services.callouts.end_test(test)

    summary = services.callouts.summary(test)
    assert summary.drill_run_id == run
    assert (summary.minutes_to_required, summary.minutes_to_full_team) == (6.0, 6.0)
    with services.db.session() as s:
        muster = list(s.scalars(select(LogEntry.text).where(LogEntry.drill_run_id == run,
                                                            LogEntry.kind == LogKind.MUSTER).order_by(LogEntry.id)))
    assert len(muster) == 2 and "2/2" in muster[1]

    services.runs.end_run(run)
    with pytest.raises(DomainError, match="drill run has ended"):
        services.callouts.start_test(port.port_id, [team["王强"]], drill_run_id=run)
    other = builders.port_with_branches(services, "HC", "珲春口岸")
    other_run = services.runs.start_run(builders.drill(services, other), confirm_early=True)
    with pytest.raises(ValidationError, match="another port"):
        services.callouts.start_test(port.port_id, [team["王强"]], drill_run_id=other_run)


def test_history_newest_first_and_trend_oldest_first(services, clock, port, team):
    called = [team["王强"], team["李娜"]]
    starts, expected = [], [12.0, 9.0, None]
    for minutes in expected:
        starts.append(clock.now)
        test = services.callouts.start_test(port.port_id, called, required_strength=2)
        clock.advance(minutes=minutes or 5)
        services.callouts.arrive(test, team["王强"])
        if minutes is not None:
            services.callouts.arrive(test, team["李娜"])
        services.callouts.end_test(test)
        clock.advance(days=7)
    running = services.callouts.start_test(port.port_id, called, required_strength=1)

    history = services.callouts.history(port.port_id)
    assert [h.test_id for h in history][0] == running
    assert [h.started_at for h in history[1:]] == starts[::-1]
    assert [h.minutes_to_required for h in history[1:]] == expected[::-1]
    assert services.callouts.trend(port.port_id) == list(zip(starts, expected, strict=True))
    other = builders.port_with_branches(services, "HC", "珲春口岸")
    assert services.callouts.history(other.port_id) == [] and services.callouts.trend(other.port_id) == []


def test_a_no_show_is_never_reported_as_the_full_team(services, clock, port, team):
    """Issue 14 item 6: everyone required, one no-show, the others in by 0:28. Before, the screen said
    "required strength not reached" next to "full team in 0:28"; the facts now say one thing."""
    called = list(team.values())
    test = services.callouts.start_test(port.port_id, called)  # all five required
    services.callouts.no_show(test, team["陈静"])
    for name in ["王强", "李娜", "张伟", "刘洋"]:
        clock.advance(seconds=7)
        services.callouts.arrive(test, team[name])
    summary = services.callouts.summary(test)
    assert summary.status is CalloutStatus.RUNNING and summary.accounted  # everyone is accounted for
    assert (summary.arrived, summary.no_shows, summary.pending, summary.required_strength) == (4, 1, 0, 5)
    assert not summary.required_reached and summary.required_missed
    assert not summary.full_team and summary.minutes_to_full_team is None
    assert minutes_text(summary.minutes_to_all_who_came) == "0:28"
    assert describe(summary) == [
        "4 of 5 arrived · 4 acknowledged · 1 no-show · 0 still expected",
        "Required strength (5) not reached: only 4 arrived.",
        "Not the full team: all who came (4 of 5) assembled after 0:28.",
    ]


def _made_up_test(outcomes: tuple, required: int, ended: bool) -> CalloutTest:
    """A test in memory: each outcome is minutes to arrive, "no" (no-show) or None (pending)."""
    start = datetime(2026, 3, 6, 8, 0)
    test = CalloutTest(id=1, port_id=1, drill_run_id=None, started_at=start, announced=False, note="",
                       required_strength=required, status=CalloutStatus.ENDED if ended else CalloutStatus.RUNNING,
                       ended_at=start + timedelta(hours=1) if ended else None)
    for i, outcome in enumerate(outcomes):
        arrived = start + timedelta(minutes=outcome) if isinstance(outcome, int) else None
        test.responses.append(CalloutResponse(id=i + 1, member_id=100 + i, acknowledged_at=arrived,
                                              arrived_at=arrived, no_show=outcome == "no" or (ended and not arrived)))
    return test


def test_the_summary_never_contradicts_itself():
    """Every way three called members can stand, with every required strength, running or ended."""
    import itertools

    checked = 0
    for outcomes in itertools.product([3, 5, 9, "no", None], repeat=3):
        for required, ended in itertools.product((1, 2, 3), (False, True)):
            t = _summary(_made_up_test(outcomes, required, ended), {})
            checked += 1
            assert t.arrived + t.no_shows + t.pending == t.called == 3
            assert t.required_reached == (t.arrived >= required)
            assert not (t.required_reached and t.required_missed)
            if ended:
                assert t.pending == 0 and (t.required_reached or t.required_missed)
            assert t.full_team == (t.arrived == t.called)
            if t.full_team:
                assert t.required_reached and t.minutes_to_required <= t.minutes_to_full_team
                assert t.minutes_to_all_who_came == t.minutes_to_full_team and t.no_shows == 0
            if t.no_shows:
                assert not t.full_team and t.minutes_to_full_team is None
            assert (t.minutes_to_all_who_came is not None) == (t.pending == 0 and t.arrived > 0)
            words = "\n".join(describe(t))
            assert ("Full team (" in words) == t.full_team
            assert ("all who came" in words) == (t.minutes_to_all_who_came is not None and not t.full_team)
            assert ("reached after" in words) == t.required_reached
            assert sum(p in words for p in ("reached after", "not reached:", "not reached yet")) == 1
    assert checked == 5 ** 3 * 6
