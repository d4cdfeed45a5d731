"""The port roster service: a solved roster keeps every hard rule (checked here, independently of the
engine and of drillapp.roster.check, over the saved rows), certificate expiry, hand edits checked live,
publication refused while rules are broken, and swaps with their audit trail."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta

import pytest
from helpers import audit_trail, builders
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drillapp.clock import to_local
from drillapp.models import (
    Member,
    MemberSkill,
    OnCallShift,
    RosterPeriod,
    ShiftAssignment,
    ShiftSwap,
    Squad,
    Unavailability,
)
from drillapp.models.enums import (
    Agency,
    RosterStatus,
    ShiftKind,
    ShiftPattern,
    SwapStatus,
    UnavailabilityKind,
)
from drillapp.roster import check
from drillapp.services.errors import ValidationError

START = date(2027, 3, 1)  # a Monday
RULES = {"headcount": 4, "min_per_branch": 1, "skills": {"RU": 1, "KO": 1}, "leader_required": True,
         "max_per_week": 2, "rest_after_duty": 1, "fairness_weight": 5, "weekend_fairness_weight": 5}


def _big_world(services):
    """16 members, 4 per branch; Russian and Korean speakers; six squad leaders; some leave; a Russian
    certificate that expires on day 7."""
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port)
    services.team.create_skill("RU", "俄语", "Russian")
    services.team.create_skill("KO", "朝鲜语", "Korean")
    ids: dict[str, int] = {}
    for i, agency in enumerate(Agency):
        for k in range(4):
            name = f"{agency.value[:3]}{k}"
            ids[name] = builders.member(services, port, name, agency)
            if k == 0:
                services.team.set_member_skill(ids[name], "RU", expires_on=START + timedelta(days=7) if i == 0 else None, expected_version=builders.member_skill_version(services.team, ids[name], "RU"))
            if k == 1:
                services.team.set_member_skill(ids[name], "KO", expected_version=builders.member_skill_version(services.team, ids[name], "KO"))
            if k == 2 and i < 2:
                services.team.set_member_skill(ids[name], "RU", expected_version=builders.member_skill_version(services.team, ids[name], "RU"))
    leaders = [ids[n] for n in ("bor2", "bor3", "cus3", "qua2", "qua3", "por2")]
    for squad, member in zip(team.squads.values(), leaders, strict=True):
        services.team.assign_squad(member, squad, expected_version=services.team.version_of(Member, member))
        services.team.set_squad_leader(squad, member, expected_version=services.team.version_of(Squad, squad))
    services.team.add_unavailability(ids["cus1"], UnavailabilityKind.LEAVE, START + timedelta(days=3),
                                     START + timedelta(days=5))
    period = services.roster.create_period(port.port_id, "三月上", START, START + timedelta(days=13),
                                           ShiftPattern.DUTY_24H, RULES)
    return port, ids, period


def _independent_check(db, period_id: int, days: int) -> list[str]:
    """Every hard rule of RULES, read straight from the saved rows: a list of what is wrong."""
    problems = []
    with db.session() as s:
        shifts = s.scalars(select(OnCallShift).where(OnCallShift.period_id == period_id)
                           .options(selectinload(OnCallShift.assignments)).order_by(OnCallShift.starts_at)).all()
        members = {m.id: m for m in s.scalars(select(Member))}
        skills = [(ms.member_id, ms.skill.code, ms.expires_on) for ms in s.scalars(select(MemberSkill))]
        leave = [(u.member_id, u.starts_on, u.ends_on) for u in s.scalars(select(Unavailability))]
        leaders = {q.leader_id for q in s.scalars(select(Squad))}
        by_day: dict[date, list[int]] = {}
        for shift in shifts:
            day = to_local(shift.starts_at).date()
            if shift.kind is not ShiftKind.DUTY_24H or to_local(shift.starts_at).time() != time(8, 0):
                problems.append(f"{day}: not a 24 h duty from 08:00")
            if shift.ends_at - shift.starts_at != timedelta(hours=24):
                problems.append(f"{day}: does not last 24 h")
            by_day.setdefault(day, []).extend(a.member_id for a in shift.assignments)
        if sorted(by_day) != [START + timedelta(days=d) for d in range(days)]:
            problems.append("not one shift a day")
        for day, on in by_day.items():
            if len(on) != 4 or len(set(on)) != 4:
                problems.append(f"{day}: {len(on)} on duty")
            branches = Counter(members[m].branch_id for m in on)
            if len(branches) < 4:
                problems.append(f"{day}: a branch missing")
            for code in ("RU", "KO"):
                if not any(m in on and c == code and (exp is None or day < exp) for m, c, exp in skills):
                    problems.append(f"{day}: no valid {code}")
            if not leaders & set(on):
                problems.append(f"{day}: no squad leader")
            for m, first, last in leave:
                if m in on and first <= day <= last:
                    problems.append(f"{day}: {members[m].name} on leave")
            if set(on) & set(by_day.get(day + timedelta(days=1), [])):
                problems.append(f"{day}: no rest day after a duty")
            week = Counter(x for d in range(7) for x in by_day.get(day + timedelta(days=d), []))
            if week and max(week.values()) > 2:
                problems.append(f"{day}: more than 2 duties in 7 days")
    return problems


def test_solved_port_roster_keeps_every_hard_rule(services, db):
    _port, ids, period = _big_world(services)

    outcome = services.roster.solve(period, time_limit=15, expected_version=services.roster.version_of(RosterPeriod, period))

    assert outcome.saved and outcome.solution.found, outcome.shortfalls
    assert _independent_check(db, period, 14) == []
    assert outcome.violations == []
    info = services.roster.period(period)
    assert info.status is RosterStatus.DRAFT and info.solver_status in ("OPTIMAL", "FEASIBLE")
    assert info.objective == outcome.solution.objective and info.solved_at is not None
    assert audit_trail.entries(db, operation="roster.solve", entity="on_call_shift")
    grid = services.roster.grid(period)
    assert len(grid.cells) == 14 and grid.violations == []
    assert grid.members[ids["bor2"]].leader and grid.members[ids["cus1"]].branch == "Customs"


def test_certificate_expiry_removes_the_skill_from_the_expiry_day(services):
    _port, ids, period = _big_world(services)

    problem = services.roster.build_problem(period)

    expiring = problem.person(str(ids["bor0"]))
    assert [d for d in range(14) if expiring.holds("skill:RU", d)] == list(range(7))  # expires on day 7
    assert all(problem.person(str(ids["cus0"])).holds("skill:RU", d) for d in range(14))
    assert problem.person(str(ids["cus1"])).unavailable == frozenset({3, 4, 5})
    assert problem.person(str(ids["bor2"])).holds("leader", 0)
    assert not problem.person(str(ids["bor0"])).holds("leader", 0)


def _small_world(services, days: int = 4, rules: dict | None = None):
    port = builders.port_with_branches(services)
    members = [builders.member(services, port, name) for name in ("甲", "乙", "丙", "丁")]
    period = services.roster.create_period(port.port_id, "小", START, START + timedelta(days=days - 1),
                                           ShiftPattern.DUTY_24H, rules or {"headcount": 1, "rest_after_duty": 1})
    assert services.roster.solve(period, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period)).saved
    return port, members, period


def _on(services, period: int, d: int) -> tuple[int, int]:
    cell = services.roster.grid(period).cells[START + timedelta(days=d), ShiftKind.DUTY_24H]
    return cell.shift_id, cell.member_ids[0]


def test_manual_edit_is_saved_flagged_and_returns_the_rules_it_breaks(services, db):
    _port, _members, period = _small_world(services)
    shift0, first = _on(services, period, 0)
    shift1, second = _on(services, period, 1)

    found = services.roster.edit_assignment(period, shift1, first, "add", expected_version=services.roster.version_of(RosterPeriod, period))

    assert {(v.rule, v.person, v.day) for v in found} == {(check.COVER_MAX, None, 1), (check.REST, str(first), 1)}
    cell = services.roster.grid(period).cells[START + timedelta(days=1), ShiftKind.DUTY_24H]
    assert first in cell.member_ids and cell.manual_ids == {first}
    assert audit_trail.one(db, operation="roster.edit_assignment")["after"]["manual"] is True
    assert services.roster.check_assignment(period, [(cell.shift_id, first, "remove")]) == []
    assert services.roster.edit_assignment(period, shift1, first, "remove", expected_version=services.roster.version_of(RosterPeriod, period)) == []
    assert services.roster.grid(period).cells[START + timedelta(days=1), ShiftKind.DUTY_24H].member_ids == (second,)


def test_solving_again_keeps_hand_edits_in_place_unless_told_not_to(services):
    _port, members, period = _small_world(services, days=6)
    shift2, on_day2 = _on(services, period, 2)
    other = next(m for m in members if m != on_day2 and all(
        _on(services, period, d)[1] != m for d in (1, 2, 3)))
    services.roster.edit_assignment(period, shift2, on_day2, "remove", expected_version=services.roster.version_of(RosterPeriod, period))
    shift2_id = services.roster.grid(period).cells[START + timedelta(days=2), ShiftKind.DUTY_24H].shift_id
    services.roster.edit_assignment(period, shift2_id, other, "add", expected_version=services.roster.version_of(RosterPeriod, period))

    assert services.roster.solve(period, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period)).saved
    cell = services.roster.grid(period).cells[START + timedelta(days=2), ShiftKind.DUTY_24H]
    assert cell.member_ids == (other,) and cell.manual_ids == {other}  # pinned, still flagged

    assert services.roster.solve(period, time_limit=10, keep_manual=False, expected_version=services.roster.version_of(RosterPeriod, period)).saved
    assert not any(c.manual_ids for c in services.roster.grid(period).cells.values())


def test_publish_refuses_a_broken_roster_and_then_publishes(services, db):
    _port, _members, period = _small_world(services)
    shift1, second = _on(services, period, 1)
    services.roster.edit_assignment(period, shift1, second, "remove", expected_version=services.roster.version_of(RosterPeriod, period))  # day 1 now has nobody

    with pytest.raises(ValidationError, match="cannot be published") as excinfo:
        services.roster.publish(period, expected_version=services.roster.version_of(RosterPeriod, period))
    assert "2 March, 24 h duty: 0 on duty, at least 1 needed" in excinfo.value.message
    assert services.roster.period(period).status is RosterStatus.DRAFT

    services.roster.edit_assignment(period, shift1, second, "add", expected_version=services.roster.version_of(RosterPeriod, period))
    services.roster.publish(period, expected_version=services.roster.version_of(RosterPeriod, period))

    info = services.roster.period(period)
    assert info.status is RosterStatus.PUBLISHED and info.published_at is not None
    assert all(c.published for c in services.roster.grid(period).cells.values())
    assert audit_trail.entries(db, operation="roster.publish")
    with pytest.raises(ValidationError, match="published"):
        services.roster.edit_assignment(period, shift1, second, "remove", expected_version=services.roster.version_of(RosterPeriod, period))


def test_swaps_are_requested_then_approved_or_rejected_with_audit_entries(services, db):
    _port, members, period = _small_world(services)
    services.roster.publish(period, expected_version=services.roster.version_of(RosterPeriod, period))
    shift0, first = _on(services, period, 0)
    shift1, second = _on(services, period, 1)
    free = next(m for m in members if m not in (first, second, _on(services, period, 2)[1]))

    # handing day 0 to the member on day 1 breaks the rest day: refused, nothing changes
    bad = services.roster.request_swap(period, shift0, first, second, reason="换休")
    with pytest.raises(ValidationError, match="needs 1 day"):
        services.roster.approve_swap(bad, expected_version=services.roster.version_of(ShiftSwap, bad))
    assert _on(services, period, 0)[1] == first

    services.roster.reject_swap(bad, "违反休息规定", expected_version=services.roster.version_of(ShiftSwap, bad))
    good = services.roster.request_swap(period, shift0, first, free, reason="家中有事")
    services.roster.approve_swap(good, expected_version=services.roster.version_of(ShiftSwap, good))

    assert _on(services, period, 0)[1] == free
    assert services.roster.grid(period).violations == []
    statuses = {w.id: (w.status, w.member_b_id) for w in services.roster.swaps(period)}
    assert statuses == {bad: (SwapStatus.REJECTED, second), good: (SwapStatus.APPROVED, free)}
    assert audit_trail.one(db, operation="roster.request_swap", entity_id=good)["after"]["reason"] == "家中有事"
    moved = audit_trail.one(db, operation="roster.approve_swap", entity="shift_assignment")
    assert (moved["before"]["member_id"], moved["after"]["member_id"]) == (first, free)
    assert audit_trail.one(db, operation="roster.reject_swap")["after"]["status"] == "rejected"
    with pytest.raises(ValidationError, match="already been decided"):
        services.roster.approve_swap(bad, expected_version=services.roster.version_of(ShiftSwap, bad))


def test_two_way_swap_exchanges_the_shifts_when_the_rules_allow(services):
    _port, _members, period = _small_world(services, days=6)
    shift0, first = _on(services, period, 0)
    shift_b, other = next(_on(services, period, d) for d in range(2, 6) if _on(services, period, d)[1] != first)
    exchange = [(shift0, first, "remove"), (shift0, other, "add"), (shift_b, other, "remove"), (shift_b, first, "add")]
    allowed = services.roster.check_assignment(period, exchange) == []
    swap = services.roster.request_swap(period, shift0, first, other, shift_b_id=shift_b)

    if allowed:
        services.roster.approve_swap(swap, expected_version=services.roster.version_of(ShiftSwap, swap))
        assert {_on(services, period, 0)[1], *services.roster.grid(period).cells[
            next(k for k, c in services.roster.grid(period).cells.items() if c.shift_id == shift_b)].member_ids} == {
            other, first}
        assert _on(services, period, 0)[1] == other
    else:
        with pytest.raises(ValidationError, match="would break"):
            services.roster.approve_swap(swap, expected_version=services.roster.version_of(ShiftSwap, swap))
        assert _on(services, period, 0)[1] == first


def test_previous_period_counts_for_rest_and_fairness(services):
    port, members, first_period = _small_world(services, days=7)
    last_day = _on(services, first_period, 6)[1]
    period = services.roster.create_period(port.port_id, "下", START + timedelta(days=7), START + timedelta(days=13),
                                           ShiftPattern.DUTY_24H, {"headcount": 1, "rest_after_duty": 1})

    problem = services.roster.build_problem(period)

    assert problem.person(str(last_day)).previous[-1] == "duty_24h"
    assert sum(p.past_shifts for p in problem.people) == 7
    outcome = services.roster.solve(period, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period))
    assert outcome.saved
    cell = services.roster.grid(period).cells[START + timedelta(days=7), ShiftKind.DUTY_24H]
    assert cell.member_ids and last_day not in cell.member_ids


def test_rules_are_checked_and_defaults_filled_in(services):
    port = builders.port_with_branches(services)
    with pytest.raises(ValidationError, match="max_per_week"):
        services.roster.create_period(port.port_id, "错", START, START, ShiftPattern.DUTY_24H, {"max_per_week": -1})
    with pytest.raises(ValidationError, match="Unknown roster rule"):
        services.roster.create_period(port.port_id, "错", START, START, ShiftPattern.DUTY_24H, {"headcont": 2})
    period = services.roster.create_period(port.port_id, "昼夜", START, START + timedelta(days=6),
                                           ShiftPattern.DAY_NIGHT, {"headcount": {"day": 3, "night": 2}})

    info = services.roster.period(period)
    assert info.rules["headcount"] == {"day": 3, "night": 2} and info.rules["rest_after_night"] == 1
    problem = services.roster.build_problem(period)
    assert problem.shift_codes() == ["day", "night"] and ("night", "day") in problem.forbidden_successions
    version = services.roster.update_rules(period, {"headcount": 2}, expected_version=info.row_version)
    assert services.roster.period(period).rules["headcount"] == {"day": 2, "night": 2}
    assert version == info.row_version + 1


def test_day_night_roster_times_and_preferences(services, db):
    port = builders.port_with_branches(services)
    members = [builders.member(services, port, f"队员{k}") for k in range(6)]
    period = services.roster.create_period(port.port_id, "昼夜", START, START + timedelta(days=3),
                                           ShiftPattern.DAY_NIGHT, {"headcount": 1, "rest_after_night": 1})
    services.roster.set_preference(period, members[0], START + timedelta(days=2), True, shift=ShiftKind.NIGHT,
                                   weight=50, expected_version=builders.preference_version(services.roster, period, members[0], START + timedelta(days=2)))
    pref = services.roster.set_preference(period, members[1], START, False, weight=50, expected_version=builders.preference_version(services.roster, period, members[1], START))
    prefs = services.roster.preferences(period)
    assert [(p.id, p.member_id, p.wants_on, p.shift) for p in prefs][0] == (pref, members[1], False, None)
    assert (prefs[1].member_id, prefs[1].shift, prefs[1].weight) == (members[0], ShiftKind.NIGHT, 50)

    assert services.roster.solve(period, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period)).saved

    grid = services.roster.grid(period)
    night = grid.cells[START + timedelta(days=2), ShiftKind.NIGHT]
    assert night.member_ids == (members[0],)
    assert (to_local(night.starts_at).time(), night.ends_at - night.starts_at) == (time(20, 0), timedelta(hours=12))
    assert members[1] not in grid.cells[START, ShiftKind.DAY].member_ids + grid.cells[START, ShiftKind.NIGHT].member_ids
    with db.session() as s:
        assert s.scalar(select(ShiftAssignment).where(ShiftAssignment.manual.is_(True))) is None
    day_shift = grid.cells[START + timedelta(days=2), ShiftKind.DAY]
    with pytest.raises(ValidationError, match="another shift that day"):
        services.roster.edit_assignment(period, day_shift.shift_id, members[0], "add", expected_version=services.roster.version_of(RosterPeriod, period))


def test_public_holidays_count_with_weekends_and_bad_dates_are_refused(services):
    port = builders.port_with_branches(services)
    builders.member(services, port, "甲")
    period = services.roster.create_period(port.port_id, "节日", START, START + timedelta(days=6),
                                           ShiftPattern.DUTY_24H, {"headcount": 1, "holidays": ["2027-03-03"]})
    assert services.roster.build_problem(period).holidays == frozenset({2})
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        services.roster.update_rules(period, {"headcount": 1, "holidays": ["3 March"]}, expected_version=services.roster.version_of(RosterPeriod, period))


def test_a_draft_period_is_deleted_whole_and_a_published_one_is_kept(services, db):
    port, members, period = _small_world(services)
    services.roster.set_preference(period, members[0], START, False, expected_version=builders.preference_version(services.roster, period, members[0], START))
    services.roster.delete_period(period, expected_version=services.roster.version_of(RosterPeriod, period))
    with db.session() as s:
        assert s.scalar(select(OnCallShift.id).where(OnCallShift.period_id == period)) is None
    assert audit_trail.one(db, operation="roster.delete_period", entity="roster_period")["entity_id"] == period

    kept = services.roster.create_period(port.port_id, "留", START, START + timedelta(days=3), ShiftPattern.DUTY_24H,
                                         {"headcount": 1, "rest_after_duty": 1})
    assert services.roster.solve(kept, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, kept)).saved
    services.roster.publish(kept, expected_version=services.roster.version_of(RosterPeriod, kept))
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.roster.delete_period(kept, expected_version=services.roster.version_of(RosterPeriod, kept))
    assert services.roster.period(kept).status is RosterStatus.PUBLISHED
