"""Proposing and accepting the year's programme on a real database: blocked periods and short rosters are
kept free, the due cells are the coverage function's, uncovered cells say why, and accepting makes planned
drills in one operation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import audit_trail, builders

from drillapp.clock import to_local
from drillapp.models.enums import CalendarEntryKind, DrillKind, DrillStatus
from drillapp.scheduling.programme import ProgrammeProblem, check
from drillapp.services.errors import ValidationError
from drillapp.services.programme import Acceptance, ProgrammeRequest


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    plans = [builders.approved_plan(services, port, f"QH-0{i}") for i in range(1, 4)]
    sv = builders.on_port(services, port)
    sv.port_calendar.set_entry(CalendarEntryKind.BLOCKED, "国庆黄金周", date(2026, 10, 1), date(2026, 10, 7), expected_version=None)
    return {"port": port, "plans": plans, "sv": sv}


def test_a_proposal_keeps_the_hard_rules_and_says_why(world):
    sv = world["sv"]
    request = ProgrammeRequest(2026, live=4, tabletop=2, blocked=((date(2026, 5, 1), date(2026, 5, 5)),),
                               max_per_month=1, weekdays=frozenset({1, 2, 3}), min_gap_days=14, time_limit=5)

    proposal = sv.programme.propose(request)

    days = [to_local(d.start).date() for d in proposal.drills]
    assert len(days) == 6 and len(set(days)) == 6
    assert all(d.weekday() in (1, 2, 3) and d > date(2026, 3, 2) for d in days)
    assert not any(date(2026, 10, 1) <= d <= date(2026, 10, 7) or date(2026, 5, 1) <= d <= date(2026, 5, 5)
                   for d in days)
    assert len({(d.year, d.month) for d in days}) == 6
    assert all((b - a).days >= 14 for a, b in zip(sorted(days), sorted(days)[1:], strict=False))
    assert [d.kind for d in proposal.drills].count(DrillKind.TABLETOP) == 2
    # 3 plans x 4 levels x 4 branches are due (never exercised); 6 drills cover 6 pairs = 24 cells
    assert (proposal.due_cells, proposal.covered_cells) == (48, 24)
    assert len(proposal.uncovered) == 24 and all("drill(s) requested" in u.why for u in proposal.uncovered)
    for d in proposal.drills:
        assert d.plan_code in d.reason and str(to_local(d.start).date()) in d.reason and len(d.cells) == 4
    tabletop_plans = {d.plan_id: to_local(d.start).date() for d in proposal.drills if d.kind is DrillKind.TABLETOP}
    for d in proposal.drills:  # building-block order where a plan has both
        if d.kind is DrillKind.LIVE and d.plan_id in tabletop_plans:
            assert tabletop_plans[d.plan_id] < to_local(d.start).date()


def test_fewer_drills_only_when_the_calendar_has_too_few_days(world):
    sv = world["sv"]
    request = ProgrammeRequest(2026, live=12, tabletop=0, max_per_month=1, min_gap_days=0,
                               weekdays=frozenset({0}), time_limit=5)

    proposal = sv.programme.propose(request)

    assert len(proposal.drills) == 10  # March..December: one a month
    assert proposal.notes and "Only 10 of the 12" in proposal.notes[0]


def test_a_proposal_leaves_public_holidays_free(world):
    """A public holiday in the port calendar is a day off: no drill is proposed on it, as on a blocked day."""
    sv = world["sv"]
    mondays = [date(2026, 3, 2) + timedelta(weeks=i) for i in range(1, 44)]
    for monday in mondays[:-2]:  # every Monday but the last two of the year is a holiday
        sv.port_calendar.set_entry(CalendarEntryKind.HOLIDAY, f"假日{monday}", monday, monday, expected_version=None)
    request = ProgrammeRequest(2026, live=0, tabletop=4, max_per_month=4, min_gap_days=0,
                               weekdays=frozenset({0}), time_limit=5)

    proposal = sv.programme.propose(request)

    assert sorted(to_local(d.start).date() for d in proposal.drills) == mondays[-2:]
    assert proposal.notes and "public holidays" in proposal.notes[0]


def test_accepting_makes_planned_drills_in_one_operation(world, clock):
    sv = world["sv"]
    proposal = sv.programme.propose(ProgrammeRequest(2026, live=2, tabletop=1, time_limit=5))
    first, second, third = proposal.drills
    moved = first.start + timedelta(days=1)

    ids = sv.programme.accept([Acceptance(first, moved), Acceptance(third)])

    rows = {r.id: r for r in sv.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))}
    assert set(rows) == set(ids)
    assert rows[ids[0]].start == moved and rows[ids[1]].start == third.start
    assert all(r.status is DrillStatus.PLANNED for r in rows.values())
    assert {e["operation"] for e in audit_trail.entries(sv.db, entity="drill", action="insert")} == {
        "drills.accept_proposal"}
    matrix = sv.coverage.matrix()
    assert all(c.scheduled for c in matrix.cells if (c.plan_id, c.level) == (first.plan_id, first.level))
    again = sv.programme.propose(ProgrammeRequest(2026, live=2, tabletop=1, time_limit=5))
    assert (first.plan_id, first.level) not in {(d.plan_id, d.level) for d in again.drills}
    with pytest.raises(ValidationError, match="国庆黄金周"):
        sv.programme.accept([Acceptance(second, second.start.replace(month=10, day=3))])


def test_check_finds_a_broken_rule():
    days = tuple(date(2026, 1, 1) + timedelta(days=i) for i in range(5))
    problem = ProgrammeProblem(days, frozenset(days[:2]), (DrillKind.LIVE,), ((1, 1),), (), 1, 1)
    from drillapp.scheduling.programme import Placed

    assert check(problem, (Placed(0, DrillKind.LIVE, days[3], 1, 1, ()),)) == [f"{days[3]} is not an allowed day"]
