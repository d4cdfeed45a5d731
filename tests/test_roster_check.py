"""The independent roster checker (drillapp.roster.check): each hard rule of problem.py is detected on a
hand-made roster, with a message naming the person, the day and the requirement; the objective is
recomputed by hand on small examples."""

from __future__ import annotations

from datetime import date

import pytest

from drillapp.roster import check
from drillapp.roster.problem import CoverRequirement, Person, Problem, Request, ShiftType, WindowLimit

MONDAY = date(2027, 3, 8)  # day 6 is Sunday 14 March


def _problem(*people: Person, days: int = 7, **kw) -> Problem:
    types = [ShiftType("D", 480, "day shift"), ShiftType("N", 720, "night shift")]
    return Problem(days=days, shift_types=types, people=list(people), start=MONDAY, **kw)


def _rules(found: list[check.Violation]) -> list[tuple[str, str | None, int | None]]:
    return [(v.rule, v.person, v.day) for v in found]


def test_a_roster_keeping_every_rule_has_no_violations():
    p = _problem(Person("a", "Ann"), Person("b", "Bo"),
                 cover=[CoverRequirement(d, "D", minimum=1, maximum=1) for d in range(7)])
    roster = {("a" if d % 2 else "b", d): "D" for d in range(7)}

    assert check.violations(p, roster) == []


def test_missing_skill_names_the_day_the_requirement_and_the_minimum():
    ru = CoverRequirement(6, "D", tag="skill:RU", minimum=1, label="Russian speaker")
    p = _problem(Person("a", "Ann", qualifications={"skill:RU": frozenset({0, 1, 2})}), Person("b", "Bo"), cover=[ru])

    found = check.violations(p, {("a", 6): "D", ("b", 6): "D"})  # Ann's Russian lapsed after day 2

    assert _rules(found) == [(check.COVER_MIN, None, 6)]
    assert found[0].message == "14 March, day shift: no Russian speaker on duty (needs 1)"
    assert found[0].shift == "D"


def test_cover_counts_below_the_minimum_and_above_the_maximum():
    p = _problem(Person("a"), Person("b"), Person("c"),
                 cover=[CoverRequirement(0, "D", minimum=2), CoverRequirement(1, "N", maximum=1),
                        CoverRequirement(2, "D", tag="leader", minimum=2, label="squad leader")])
    p.people[0].qualifications["leader"] = None

    found = check.violations(p, {("a", 0): "D", ("a", 1): "N", ("b", 1): "N", ("a", 2): "D", ("b", 2): "D"})

    assert _rules(found) == [(check.COVER_MIN, None, 0), (check.COVER_MAX, None, 1), (check.COVER_MIN, None, 2)]
    assert found[0].message == "8 March, day shift: 1 on duty, at least 2 needed"
    assert found[1].message == "9 March, night shift: 2 on duty, at most 1 allowed"
    assert "1 squad leader on duty, at least 2 needed" in found[2].message


def test_no_dates_means_day_numbers():
    p = Problem(days=3, shift_types=[ShiftType("D")], people=[Person("a")], cover=[CoverRequirement(2, "D", minimum=1)])

    assert check.violations(p, {})[0].message.startswith("day 3, D:")


def test_unavailable_day_and_unknown_shift():
    p = _problem(Person("a", "Ann", unavailable=frozenset({3})))

    found = check.violations(p, {("a", 3): "D", ("a", 4): "X", ("z", 1): "D"})

    assert sorted(_rules(found)) == [(check.INVALID, "a", 4), (check.INVALID, "z", 1), (check.UNAVAILABLE, "a", 3)]
    assert "Ann is on duty on 11 March but is not available" in next(
        v.message for v in found if v.rule == check.UNAVAILABLE)


def test_forbidden_succession_including_from_the_day_before_the_period():
    p = _problem(Person("a", "Ann", previous=("N",)), forbidden_successions={("N", "D")})

    found = check.violations(p, {("a", 0): "D", ("a", 3): "N", ("a", 4): "D", ("a", 5): "N", ("a", 6): "N"})

    assert _rules(found) == [(check.SUCCESSION, "a", 0), (check.SUCCESSION, "a", 4)]


def test_rest_after_a_shift_counts_shifts_before_the_period():
    p = _problem(Person("a", "Ann", previous=("N", None)), rest_after={"N": 3})

    found = check.violations(p, {("a", 1): "D", ("a", 2): "N", ("a", 6): "D"})

    # day -2 N needs days -1..1 off: day 1 breaks it; day 2 N needs 3..5 off: kept
    assert _rules(found) == [(check.REST, "a", 1)]
    assert found[0].message == "Ann: needs 3 day(s) off after night shift, but is on duty on 9 March."


def test_counts_per_type_total_and_minutes():
    p = _problem(Person("a", "Ann", max_shifts={"N": 1}, max_total=2, max_minutes=1500),
                 Person("b", "Bo", min_total=2, min_minutes=600))

    found = check.violations(p, {("a", 0): "N", ("a", 2): "N", ("a", 4): "D", ("b", 1): "D"})

    assert sorted(_rules(found)) == [(check.MAX_MINUTES, "a", None), (check.MAX_SHIFTS, "a", None),
                                     (check.MAX_TOTAL, "a", None), (check.MIN_MINUTES, "b", None),
                                     (check.MIN_TOTAL, "b", None)]
    assert "Ann: 2 × night shift, at most 1 allowed." in [v.message for v in found]


def test_max_consecutive_counts_the_days_before_the_period():
    p = _problem(Person("a", "Ann", max_consecutive=3, previous=(None, "D", "D")), Person("b", max_consecutive=3))
    roster = {("a", 0): "D", ("a", 1): "D", ("b", 2): "D", ("b", 3): "D", ("b", 4): "D"}

    found = check.violations(p, roster)

    assert _rules(found) == [(check.MAX_CONSECUTIVE, "a", 1)]
    assert "4 days on duty in a row up to 9 March" in found[0].message


def test_min_stretches_bind_only_interior_stretches():
    on = Person("a", min_consecutive=2)
    off = Person("b", min_consecutive_off=2)
    p = _problem(on, off)
    roster = {("a", 0): "D",  # touches the start: not bound
              ("a", 3): "D",  # interior single day: too short
              ("a", 6): "D",  # touches the end
              ("b", 0): "D", ("b", 2): "D", ("b", 3): "D", ("b", 4): "D", ("b", 5): "D"}  # day 1 off alone

    found = check.violations(p, roster)

    assert _rules(found) == [(check.MIN_CONSECUTIVE, "a", 3), (check.MIN_CONSECUTIVE_OFF, "b", 1)]


def test_max_weekends_counts_partial_weekends():
    p = _problem(Person("a", "Ann", max_weekends=1), days=14)

    assert check.violations(p, {("a", 5): "D", ("a", 13): "D"})[0].rule == check.MAX_WEEKENDS
    assert check.violations(p, {("a", 5): "D", ("a", 6): "D"}) == []


def test_window_limits_blocks_and_sliding_windows_with_previous_shifts():
    block = _problem(Person("a", "Ann"), Person("b"), days=14, window_limits=[WindowLimit(7, 2)])
    roster = {("a", 4): "D", ("a", 5): "D", ("a", 6): "D", ("b", 5): "D", ("b", 6): "D", ("b", 7): "D"}

    assert _rules(check.violations(block, roster)) == [(check.WINDOW, "a", 0)]

    sliding = _problem(Person("a", "Ann", previous=("D", None, "D")), days=14,
                       window_limits=[WindowLimit(7, 2, sliding=True)])
    found = check.violations(sliding, {("a", 1): "D"})  # with day -3 and day -1 in the same 7 days
    assert _rules(found) == [(check.WINDOW, "a", 1), (check.WINDOW, "a", 2), (check.WINDOW, "a", 3)]
    assert "3 shifts in the 7 days up to 9 March" in found[0].message


def test_objective_cover_preferences_and_requests_by_hand():
    p = _problem(Person("a"), Person("b"), Person("c"),
                 cover=[CoverRequirement(0, "D", preferred=2, under_weight=10, over_weight=3),
                        CoverRequirement(1, "D", preferred=1, under_weight=10, over_weight=3),
                        CoverRequirement(2, "D", tag="skill:RU", preferred=1, under_weight=7)],
                 requests=[Request("a", 3, "N", True, 5),  # wants a night on day 3: gets a day shift -> 5
                           Request("b", 3, None, False, 4),  # wants day 3 free: gets it -> 0
                           Request("c", 4, None, False, 2),  # wants day 4 free: works -> 2
                           Request("c", 5, "D", False, 1),  # no day shift on day 5: has a night -> 0
                           Request("b", 6, None, True, 6)])  # wants to work day 6: off -> 6
    roster = {("a", 0): "D", ("a", 1): "D", ("b", 1): "D", ("c", 1): "D", ("a", 2): "D",
              ("a", 3): "D", ("c", 4): "N", ("c", 5): "N"}

    # day 0: 1 short x10; day 1: 2 over x3; day 2: no RU speaker x7; requests 5 + 2 + 6
    assert check.objective(p, roster) == 10 + 6 + 7 + 13


@pytest.mark.parametrize("weights, expected", [((1, 0), 3), ((0, 5), 5 * 4), ((2, 3), 2 * 3 + 3 * 4)])
def test_objective_fairness_spreads_count_past_periods(weights, expected):
    people = [Person("a", past_shifts=2, past_weekends=2), Person("b", past_shifts=0), Person("c", past_shifts=1)]
    p = _problem(*people, fairness_weight=weights[0], weekend_fairness_weight=weights[1], holidays=frozenset({0}))
    roster = {("a", 0): "D", ("a", 5): "D", ("b", 1): "D", ("c", 2): "D", ("c", 3): "D"}

    # total load: a 2+2=4, b 0+1=1, c 1+2=3 -> spread 3; weekend/holiday days (0, 5, 6): a 2+2=4, b 0, c 0 -> 4
    assert check.objective(p, roster) == expected
