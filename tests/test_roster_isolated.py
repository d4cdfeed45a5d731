"""The roster search in a child process (roster/isolated.py), as the desktop app's Roster tab runs it: the same
roster saved, progress passed on, the caller's language in the explanations, a stop honoured, the child's death
and its errors reported, and a search on the calling thread where no process can be started."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import threading
from datetime import date, timedelta

import pytest
from helpers import builders
from helpers.reminder_desks import wait_until

from drillapp.errors import DomainError
from drillapp.i18n import current_language, set_language
from drillapp.models import RosterPeriod
from drillapp.models.enums import ShiftPattern
from drillapp.roster import isolated

START = date(2027, 3, 1)
HAN = re.compile(r"[\u4e00-\u9fff]")


def _period(services, headcount: int = 1, days: int = 7) -> int:
    port = builders.port_with_branches(services)
    for name in ("甲", "乙", "丙", "丁"):
        builders.member(services, port, name)
    return services.roster.create_period(port.port_id, "隔离", START, START + timedelta(days=days - 1),
                                         ShiftPattern.DUTY_24H, {"headcount": headcount, "rest_after_duty": 1})


def _version(services, period: int) -> int:
    return services.roster.version_of(RosterPeriod, period)


def test_the_isolated_search_saves_a_roster_that_keeps_the_rules_and_reports_progress(services) -> None:
    period = _period(services)
    seen: list[object] = []

    outcome = services.roster.solve(period, time_limit=10, expected_version=_version(services, period),
                                    progress=seen.append, isolate=True)

    assert outcome.saved and outcome.solution.found and outcome.violations == []
    assert seen, "the child's progress reaches the caller"
    grid = services.roster.grid(period)
    assert len(grid.cells) == 7 and all(len(c.member_ids) == 1 for c in grid.cells.values())


def test_the_explanations_come_back_in_the_callers_language(services) -> None:
    period = _period(services, headcount=5)  # five on duty from four members: impossible
    before = current_language()
    set_language("zh_CN")
    try:
        outcome = services.roster.solve(period, time_limit=5, expected_version=_version(services, period),
                                        isolate=True)
    finally:
        set_language(before)

    assert not outcome.saved and outcome.shortfalls
    assert all(HAN.search(f.message) for f in outcome.shortfalls), [f.message for f in outcome.shortfalls]


def test_a_stop_ends_the_child_promptly(services) -> None:
    problem = services.roster.build_problem(_period(services, days=60))
    stop = threading.Event()
    stop.set()

    found = isolated.search_isolated(problem, time_limit=600, workers=1, stop=stop)  # ten minutes if not stopped

    assert found.solution.status == "STOPPED"
    assert not [p for p in multiprocessing.active_children() if p.name == "drillapp-roster-search"]


def test_a_child_that_dies_is_reported_and_nothing_is_saved(services) -> None:
    period = _period(services)
    killed: list[int] = []

    def kill_it_once_started() -> bool:
        for child in multiprocessing.active_children():
            if child.name == "drillapp-roster-search" and child.pid:
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)
        return bool(killed)

    killer = threading.Thread(target=lambda: wait_until(kill_it_once_started, timeout=60, interval=0.001))
    killer.start()
    try:
        with pytest.raises(DomainError, match="ended unexpectedly"):
            services.roster.solve(period, time_limit=10, expected_version=_version(services, period), isolate=True)
    finally:
        killer.join()
    assert killed
    assert services.roster.period(period).solved_at is None


def test_an_error_in_the_child_is_raised_in_the_caller(services) -> None:
    problem = services.roster.build_problem(_period(services))

    with pytest.raises(TypeError):
        isolated.search_isolated(problem, time_limit="ten", workers=1)


def test_without_a_process_the_search_runs_on_the_calling_thread(services, monkeypatch) -> None:
    def refuse(self) -> None:
        raise OSError("no processes on this machine")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    period = _period(services)

    outcome = services.roster.solve(period, time_limit=10, expected_version=_version(services, period), isolate=True)

    assert outcome.saved and outcome.violations == []


def test_the_child_reads_the_period_as_this_process_would_on_the_ports_clock(services) -> None:
    """The problem is read in the child (services/roster_solve_input.py): on the caller's port clock, not the
    default one, so the days of the shifts worked before the period fall where they fall here."""
    from concurrent.futures import ProcessPoolExecutor

    from drillapp import clock as port_clock
    from drillapp.services.roster_solve_input import PeriodLoader, read_solve_input

    port_clock.use_zone("America/Los_Angeles")  # 16 hours from the default zone: night shifts change day
    first = _period(services, days=7)
    services.roster.solve(first, time_limit=10, expected_version=_version(services, first))
    services.roster.publish(first, _version(services, first))
    port_id = services.roster.period(first).port_id
    second = services.roster.create_period(port_id, "隔离二", START + timedelta(days=7), START + timedelta(days=13),
                                           ShiftPattern.DAY_NIGHT, {"headcount": 1, "rest_after_night": 1})
    version = _version(services, second)
    with services.roster.read() as s:
        here = read_solve_input(s, second, version, True)
    assert any(code is not None for p in here.problem.people for code in p.previous), "shifts worked before"

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(PeriodLoader(services.db.url, port_clock.zone_name(), second, version, True)).result()

    assert there == here


def test_hand_edits_stay_pinned_and_marked_when_the_child_reads_them(services) -> None:
    period = _period(services)
    services.roster.solve(period, time_limit=10, expected_version=_version(services, period))
    grid = services.roster.grid(period)
    (day, code), cell = sorted(grid.cells.items())[2]
    member = next(m for m in grid.members if m not in cell.member_ids)
    services.roster.edit_assignments(period, [(cell.shift_id, m, "remove") for m in cell.member_ids]
                                     + [(cell.shift_id, member, "add")], expected_version=_version(services, period))

    outcome = services.roster.solve(period, time_limit=10, expected_version=_version(services, period), isolate=True)

    assert outcome.saved and outcome.violations == []
    after = services.roster.grid(period).cells[(day, code)]
    assert after.member_ids == (member,) and after.manual_ids == {member}


def test_a_period_changed_on_another_desk_is_refused_before_the_search(services) -> None:
    period = _period(services)
    stale = _version(services, period)
    services.roster.update_rules(period, {"headcount": 1, "rest_after_duty": 0}, stale)

    with pytest.raises(DomainError):
        services.roster.solve(period, time_limit=10, expected_version=stale, isolate=True)
    assert not [p for p in multiprocessing.active_children() if p.name == "drillapp-roster-search"]
