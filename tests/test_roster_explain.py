"""Why a roster cannot be made: the explanations name the requirement that fails and the day, from the fast
pre-checks (too few people hold the skill that day, not enough duty capacity) and from `diagnose` when only
the combination of rules fails."""

from __future__ import annotations

from datetime import date, timedelta

from helpers import builders

from drillapp.models import RosterPeriod
from drillapp.models.enums import ShiftPattern, UnavailabilityKind
from drillapp.roster import engine, explain
from drillapp.roster.problem import CoverRequirement, Person, Problem, ShiftType, WindowLimit

MONDAY = date(2027, 3, 8)
KO = "skill:KO"


def _problem(people: list[Person], cover: list[CoverRequirement], days: int = 7, **kw) -> Problem:
    return Problem(days=days, shift_types=[ShiftType("duty", 1440, "24 h duty")], people=people, cover=cover,
                   start=MONDAY, **kw)


def _korean(day: int, minimum: int) -> CoverRequirement:
    return CoverRequirement(day, "duty", tag=KO, minimum=minimum, label="Korean speaker")


def test_too_few_holders_on_one_day_names_the_requirement_and_the_date():
    people = [Person("kim", "Kim", qualifications={KO: None}),
              Person("park", "Park", qualifications={KO: None}, unavailable=frozenset({6})),
              Person("li", "Li")]
    p = _problem(people, [_korean(d, 2) for d in range(7)])

    found = explain.explain(p)

    assert [(f.kind, f.day, f.tag, f.available, f.needed) for f in found] == [(explain.AVAILABILITY, 6, KO, 1, 2)]
    assert found[0].message == "14 March: only 1 Korean speaker available, 2 needed"


def test_rest_after_a_duty_just_before_the_period_counts():
    people = [Person("kim", "Kim", qualifications={KO: None}, previous=("duty",))]
    p = _problem(people, [_korean(0, 1)], rest_after={"duty": 1})

    assert explain.explain(p)[0].message == "8 March: no Korean speaker available, 1 needed"


def test_a_skill_held_only_before_its_expiry():
    people = [Person("kim", "Kim", qualifications={KO: frozenset(range(4))}), Person("li", "Li")]
    p = _problem(people, [_korean(d, 1) for d in range(7)])

    assert [f.day for f in explain.explain(p)] == [4, 5, 6]


def test_supply_check_weekly_limits_against_the_duties_needed():
    people = [Person(k, k) for k in ("a", "b", "c")]
    p = _problem(people, [CoverRequirement(d, "duty", minimum=2) for d in range(7)],
                 window_limits=[WindowLimit(7, 2, sliding=True)])

    found = explain.explain(p)

    assert [(f.kind, f.available, f.needed) for f in found] == [(explain.SUPPLY, 6, 14)]
    assert "needs 14 duties" in found[0].message


def test_diagnose_finds_a_requirement_that_fails_only_in_combination():
    # one Korean speaker, needed on two days in a row, must rest a day after each duty
    people = [Person("kim", "Kim", qualifications={KO: None}), Person("li", "Li"), Person("wu", "Wu")]
    cover = [CoverRequirement(d, "duty", minimum=1) for d in range(5)] + [_korean(2, 1), _korean(3, 1)]
    p = _problem(people, cover, days=5, rest_after={"duty": 1})
    assert explain.explain(p) == []
    assert engine.solve(p, time_limit=600).status == "INFEASIBLE"  # returns once proven

    found = explain.diagnose(p, time_limit=10)

    assert len(found) == 1 and found[0].kind == explain.COMBINATION
    assert found[0].day in (2, 3) and found[0].tag == KO
    assert "no Korean speaker" not in found[0].message
    assert "0 Korean speaker on duty, 1 needed" in found[0].message
    assert "rest after a duty (Kim)" in found[0].message


def test_diagnose_names_the_weekly_limit():
    people = [Person("kim", "Kim", qualifications={KO: None}), Person("li", "Li"), Person("wu", "Wu")]
    cover = [CoverRequirement(d, "duty", minimum=1, maximum=1) for d in range(7)] + [_korean(d, 1) for d in (0, 2)]
    p = _problem(people, cover, window_limits=[WindowLimit(3, 1, sliding=True)])
    assert explain.explain(p) == []  # each day alone, and the duty count, are possible

    found = explain.diagnose(p, time_limit=10)

    assert found and all(f.tag == KO for f in found)
    assert any("weekly limit reached (Kim)" in f.message for f in found)


def test_port_roster_that_cannot_be_made_says_which_day_and_skill(services):
    port = builders.port_with_branches(services)
    services.team.create_skill("KO", "朝鲜语", "Korean")
    start = date(2027, 3, 1)
    kim = builders.member(services, port, "金")
    services.team.set_member_skill(kim, "KO", expires_on=start + timedelta(days=2), expected_version=builders.member_skill_version(services.team, kim, "KO"))
    other = builders.member(services, port, "李")
    services.team.set_member_skill(other, "KO", expected_version=builders.member_skill_version(services.team, other, "KO"))
    services.team.add_unavailability(other, UnavailabilityKind.COURSE, start + timedelta(days=3), start + timedelta(days=3))
    builders.member(services, port, "王")
    period = services.roster.create_period(port.port_id, "三月", start, start + timedelta(days=5), ShiftPattern.DUTY_24H,
                                           {"headcount": 1, "skills": {"KO": 1}, "rest_after_duty": 0})

    outcome = services.roster.solve(period, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period))

    assert not outcome.saved and outcome.solution.status == "INFEASIBLE"
    assert [f.message for f in outcome.shortfalls] == ["4 March: no member with Korean available, 1 needed"]
    assert services.roster.grid(period).cells == {}
