"""Coverage: a drill of plan P at level L covers (P, L, b) for each branch taking part (all four when
comprehensive), a real incident counts (marked), the next due date follows the plan's interval, and drills
to come are listed as scheduled."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from helpers import builders

from drillapp.models import ContingencyPlan, Drill
from drillapp.models.enums import Agency, DrillScope
from drillapp.services.drill_design import ParticipantDoc
from drillapp.services.errors import ValidationError


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    return {"port": port, "plan": plan, "sv": builders.on_port(services, port)}


def _run_drill(sv, world, days_ago: int, level: int, *, branches=(), scope=DrillScope.SINGLE, member=None) -> int:
    drill = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=1), level=level)
    design = sv.drills.design(drill)
    people = tuple(ParticipantDoc(None, world["port"].branches[a]) for a in branches)
    if member is not None:
        people += (ParticipantDoc(member, None),)
    sv.drills.save_design(drill, design.row_version, replace(design.content, scope=scope, participants=people))
    sv.runs.end_run(sv.runs.start_run(drill, confirm_early=True))
    _backdate(sv, drill, days_ago)
    return drill


def _backdate(sv, drill_id: int, days_ago: int) -> None:
    """Put a completed drill's date in the past (through an audited operation, as a data fix would be)."""
    from drillapp.models import Drill
    from drillapp.services.context import ServiceBase

    with ServiceBase(sv.db, sv.actor, sv.clock).write("drills.save_design") as s:
        s.get(Drill, drill_id).scheduled_start = sv.clock() - timedelta(days=days_ago)


def test_cells_follow_the_drills_branches_and_the_interval(world, clock):
    sv = world["sv"]
    today = clock.now.date()
    customs = builders.member(sv, world["port"], "关员", Agency.CUSTOMS)
    _run_drill(sv, world, 100, 2, branches=(Agency.BORDER_INSPECTION,), member=customs)
    _run_drill(sv, world, 310, 4, scope=DrillScope.COMPREHENSIVE)
    _run_drill(sv, world, 10, 3)  # names no branch: covers none
    sv.incidents.open_incident(world["port"].port_id, "真实事件", plan_id=world["plan"].plan_id, level=1)
    to_come = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=30), level=2)
    design = sv.drills.design(to_come)
    sv.drills.save_design(to_come, design.row_version, replace(design.content, participants=(
        ParticipantDoc(None, world["port"].branches[Agency.QUARANTINE]),)))
    cancelled = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=31), level=3)
    sv.drills.cancel_drill(cancelled, expected_version=sv.drills.version_of(Drill, cancelled))

    matrix = sv.coverage.matrix()
    cell = {(c.level, c.agency): c for c in matrix.cells}

    assert len(matrix.cells) == 16
    assert cell[(2, Agency.BORDER_INSPECTION)].last_exercised == today - timedelta(days=100)
    assert cell[(2, Agency.CUSTOMS)].last_exercised == today - timedelta(days=100)  # its member took part
    assert cell[(2, Agency.PORT_OFFICE)].last_exercised is None
    assert cell[(2, Agency.BORDER_INSPECTION)].due == today - timedelta(days=100) + relativedelta(months=12)
    assert all(cell[(4, a)].last_exercised == today - timedelta(days=310) for a in Agency)
    assert all(cell[(4, a)].due_soon and not cell[(4, a)].overdue for a in Agency)  # due in 55 days
    assert cell[(3, Agency.CUSTOMS)].last_exercised is None and not cell[(3, Agency.CUSTOMS)].scheduled
    assert all(cell[(1, a)].by_incident and cell[(1, a)].last_drill_id is None for a in Agency)
    assert cell[(2, Agency.QUARANTINE)].scheduled == (to_come,)
    assert cell[(2, Agency.PORT_OFFICE)].overdue is False and cell[(2, Agency.PORT_OFFICE)].due == today

    sv.coverage.set_interval(world["plan"].plan_id, 6, expected_version=sv.coverage.version_of(ContingencyPlan, world["plan"].plan_id))
    half = {(c.level, c.agency): c for c in sv.coverage.matrix().cells}
    assert half[(4, Agency.CUSTOMS)].overdue and half[(4, Agency.CUSTOMS)].due == (
        today - timedelta(days=310) + relativedelta(months=6))
    assert sv.coverage.overdue_count() == 4
    with pytest.raises(ValidationError) as excinfo:
        sv.coverage.set_interval(world["plan"].plan_id, 7, expected_version=sv.coverage.version_of(ContingencyPlan, world["plan"].plan_id))
    assert excinfo.value.field == "interval_months"
