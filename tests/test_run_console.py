"""The drill console's core: launching (planned, early, unplanned), ticking with who and when (back-timed too),
reopening, skipping with a reason, notes, pausing (the clock and the targets stop), the amber/red computation,
injects due from the MSEL (delivered, delayed, skipped), report countdowns, the neighbours' local time, and a
run reopened exactly as it was. Every time comes from a FixedClock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from helpers import builders, databases
from sqlalchemy import select

from drillapp.db import Database
from drillapp.models import ChecklistEntry, ChecklistEvent, Drill, DrillRun, Inject, LogEntry, PlanVersion
from drillapp.models.enums import (
    Agency,
    DrillKind,
    DrillStatus,
    EventAction,
    InjectStatus,
    ItemState,
    LogKind,
    ReportKind,
    ResponsePhase,
    RunStatus,
)
from drillapp.services import Services, run_clock
from drillapp.services.errors import ConflictError, DomainError, ValidationError
from drillapp.services.plan_document import ContactDoc
from drillapp.services.plan_revisions import DraftContent
from drillapp.services.run_view import ItemStatus, Thresholds, build_view, item_status
from drillapp.services.runs import EarlyStartError

#: The scenario's plan: seal the hall in 5, the cargo area in 10, the isolation room in 15, the initial report
#: due at 30, for every level.
ACTIONS = [
    (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, "封控旅检大厅", None, 5),
    (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运区", None, 10),
    (Agency.QUARANTINE, ResponsePhase.FIRST_RESPONSE, "开设隔离观察室", None, 15),
    (Agency.PORT_OFFICE, ResponsePhase.FIRST_RESPONSE, "通报市应急办", None, 10),
]


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def plan(services, port):
    plan = builders.draft_plan(services, port, actions=[])
    for agency, phase, text, level, minutes in ACTIONS:
        services.plans.add_action(plan.version_id, agency, phase, text, level=level, target_minutes=minutes)
    services.plans.add_action(plan.version_id, Agency.PORT_OFFICE, ResponsePhase.ESCALATION, "报送初报",
                              target_minutes=30, report_due=ReportKind.INITIAL)
    doc = services.plans.document(plan.version_id)
    contacts = (ContactDoc(Agency.PORT_OFFICE, "赵志刚", "口岸办主任", "0433-7561401", "", "", 0),
                ContactDoc(None, "对方口岸（元汀里口岸）联络处", "朝方口岸联络员", "0433-7561499", "", "需朝鲜语翻译", 1))
    services.revisions.save_draft(plan.version_id, services.revisions.version_of(PlanVersion, plan.version_id), DraftContent.of(doc).__class__(
        doc.change_note, doc.sections, doc.levels, doc.actions, doc.matrix, contacts, doc.resources))
    today = services.clock().date()
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    services.plans.approve_version(plan.version_id, today, today + timedelta(days=365), expected_version=services.plans.version_of(PlanVersion, plan.version_id))
    return plan


def _items(services, run_id) -> dict[str, int]:
    with services.db.session() as s:
        return {e.text: e.id for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}


def _run(services, port, plan, clock, **drill) -> int:
    drill_id = builders.drill(services, port, plan, level=2, starts_in=timedelta(minutes=5), **drill)
    return services.runs.start_run(drill_id)


# -- launching ----------------------------------------------------------------------------------------------


def test_starting_well_before_the_scheduled_time_asks_first(services, port, plan, clock):
    drill_id = builders.drill(services, port, plan, starts_in=timedelta(hours=2))
    counts = databases.row_counts(services.db)

    with pytest.raises(EarlyStartError) as asked:
        services.runs.start_run(drill_id)

    assert asked.value.minutes_early == 120 and asked.value.scheduled_start == clock.now + timedelta(hours=2)
    assert databases.row_counts(services.db) == counts
    run_id = services.runs.start_run(drill_id, confirm_early=True)
    with services.db.session() as s:
        assert s.get(DrillRun, run_id).started_at == clock.now
        assert s.get(Drill, drill_id).status is DrillStatus.IN_PROGRESS


def test_a_drill_due_within_half_an_hour_starts_without_asking(services, port, plan, clock):
    drill_id = builders.drill(services, port, plan, starts_in=timedelta(minutes=29))

    assert services.runs.start_run(drill_id) > 0


def test_an_unplanned_drill_from_a_plan_and_level(services, port, plan, clock):
    run_id = services.runs.start_unplanned(plan.plan_id, 2)

    snap = services.console.snapshot(run_id)
    assert snap.unplanned and snap.status is RunStatus.RUNNING and snap.started_at == clock.now
    assert [i.text for i in snap.items] == ["封控旅检大厅", "封闭货运区", "通报市应急办", "开设隔离观察室", "报送初报"]
    with services.db.session() as s:
        drill = s.get(Drill, snap.drill_id)
        assert (drill.status, drill.plan_id, drill.level, drill.kind) == (DrillStatus.IN_PROGRESS, plan.plan_id, 2,
                                                                          DrillKind.LIVE)
        assert drill.title.endswith(builders.draft_plan.__kwdefaults__["title_zh"])
    assert snap.log[0].text == "计划外演练开始 / Unplanned drill started"


def test_an_unplanned_drill_needs_a_plan_in_force_and_a_level_it_defines(services, port, plan):
    draft = builders.draft_plan(services, port, "QH-02")
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="no approved version"):
        services.runs.start_unplanned(draft.plan_id, 2)
    with pytest.raises(ValidationError, match="level"):
        services.runs.start_unplanned(plan.plan_id, 7)

    assert databases.row_counts(services.db) == counts


# -- ticking ------------------------------------------------------------------------------------------------


def test_a_tick_records_who_and_the_exact_time_as_an_event_in_the_chain(services, port, plan, admin, clock):
    run_id = _run(services, port, plan, clock)
    item = _items(services, run_id)["封控旅检大厅"]
    clock.advance(minutes=4, seconds=17)

    result = services.runs.tick(item, note="大厅已封控", expected_version=services.runs.version_of(ChecklistEntry, item))

    assert (result.state, result.happened_at, result.recorded_at) == (ItemState.DONE, clock.now, clock.now)
    with services.db.session() as s:
        entry = s.get(ChecklistEntry, item)
        assert (entry.state, entry.done_at, entry.recorded_at, entry.done_by_id, entry.note) == (
            ItemState.DONE, clock.now, clock.now, admin.user_id, "大厅已封控")
        event = s.get(ChecklistEvent, result.event_id)
        assert (event.entry_id, event.action, event.author_name, event.text, event.seq) == (
            item, EventAction.DONE, "admin", "大厅已封控", 2)  # the start line is record 1
    view = services.console.view(run_id)
    assert view.item(item).status is ItemStatus.DONE and view.item(item).minutes_taken == pytest.approx(4 + 17 / 60)


def test_a_back_timed_tick_keeps_both_times_and_is_measured_by_when_it_happened(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    item = _items(services, run_id)["开设隔离观察室"]
    clock.advance(minutes=25)

    services.runs.tick(item, happened_at=start + timedelta(minutes=19), expected_version=services.runs.version_of(ChecklistEntry, item))

    view = services.console.view(run_id)
    row = view.item(item).row
    assert (row.done_at, row.recorded_at, row.back_timed) == (start + timedelta(minutes=19), clock.now, True)
    assert view.item(item).minutes_taken == 19 and view.item(item).status is ItemStatus.LATE
    other = _items(services, run_id)["封闭货运区"]
    with pytest.raises(ValidationError, match="later than now") as future:
        services.runs.tick(other, happened_at=clock.now + timedelta(minutes=2), expected_version=services.runs.version_of(ChecklistEntry, other))
    assert future.value.field == "happened_at"
    with pytest.raises(ValidationError, match="before the start"):
        services.runs.tick(other, happened_at=start - timedelta(minutes=2), expected_version=services.runs.version_of(ChecklistEntry, other))


def test_a_time_typed_to_the_minute_just_before_the_start_is_taken_as_the_start(services, port, plan, clock):
    clock.now += timedelta(seconds=27)  # the drill starts at 16:00:27
    run_id = _run(services, port, plan, clock)
    start = clock.now
    items = _items(services, run_id)
    clock.advance(minutes=3)

    services.runs.tick(items["封控旅检大厅"], happened_at=start.replace(second=0), expected_version=services.runs.version_of(ChecklistEntry, items["封控旅检大厅"]))  # the sheet says 16:00
    services.runs.tick(items["封闭货运区"], happened_at=clock.now + timedelta(seconds=40), expected_version=services.runs.version_of(ChecklistEntry, items["封闭货运区"]))  # a slow PC clock

    view = services.console.view(run_id)
    assert view.item(items["封控旅检大厅"]).row.done_at == start
    assert view.item(items["封闭货运区"]).row.done_at == clock.now


def test_reopen_then_tick_again_each_an_event(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    item = _items(services, run_id)["封闭货运区"]
    clock.advance(minutes=3)
    services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    clock.advance(minutes=1)

    services.runs.reopen(item, expected_version=services.runs.version_of(ChecklistEntry, item))

    view = services.console.view(run_id)
    assert view.item(item).row.state is ItemState.OPEN and view.item(item).row.done_at is None
    with pytest.raises(DomainError, match="open already"):
        services.runs.reopen(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    clock.advance(minutes=5)
    services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    with services.db.session() as s:
        actions = list(s.scalars(select(ChecklistEvent.action).where(ChecklistEvent.entry_id == item)
                                 .order_by(ChecklistEvent.seq)))
    assert actions == [EventAction.DONE, EventAction.REOPEN, EventAction.DONE]
    assert services.console.view(run_id).item(item).minutes_taken == 9


def test_not_applicable_and_skipped_with_its_reason(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    items = _items(services, run_id)
    counts = databases.row_counts(services.db)

    with pytest.raises(ValidationError, match="why") as no_reason:
        services.runs.tick(items["封闭货运区"], ItemState.SKIPPED, expected_version=services.runs.version_of(ChecklistEntry, items["封闭货运区"]))

    assert no_reason.value.field == "reason" and databases.row_counts(services.db) == counts
    services.runs.tick(items["封闭货运区"], ItemState.SKIPPED, reason="货运区今日无作业", expected_version=services.runs.version_of(ChecklistEntry, items["封闭货运区"]))
    services.runs.tick(items["通报市应急办"], ItemState.NOT_APPLICABLE, expected_version=services.runs.version_of(ChecklistEntry, items["通报市应急办"]))
    view = services.console.view(run_id)
    assert view.item(items["封闭货运区"]).status is ItemStatus.SKIPPED
    assert view.item(items["封闭货运区"]).row.reason == "货运区今日无作业"
    assert view.item(items["通报市应急办"]).status is ItemStatus.NOT_APPLICABLE
    assert (view.done, view.open) == (2, 3)


def test_a_tick_on_an_item_another_desk_changed_is_refused(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    item = _items(services, run_id)["封控旅检大厅"]
    shown = services.console.snapshot(run_id).items[0]
    assert shown.id == item
    services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))  # the other desk

    with pytest.raises(ConflictError):
        services.runs.tick(item, ItemState.NOT_APPLICABLE, expected_version=shown.row_version)


def test_a_note_on_an_item_is_an_event_and_keeps_its_state(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    item = _items(services, run_id)["封控旅检大厅"]

    services.runs.note_entry(item, "北侧通道已用警戒带封闭", expected_version=services.runs.version_of(ChecklistEntry, item))

    row = services.console.snapshot(run_id).items[0]
    assert (row.state, row.note) == (ItemState.OPEN, "北侧通道已用警戒带封闭")
    assert services.console.snapshot(run_id).events[-1].action is EventAction.NOTE


def test_once_ended_the_checklist_and_log_are_closed(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    item = _items(services, run_id)["封控旅检大厅"]
    clock.advance(minutes=50)
    services.runs.end_run(run_id)
    counts = databases.row_counts(services.db)

    with pytest.raises(DomainError, match="checklist is closed"):
        services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    with pytest.raises(DomainError, match="checklist is closed"):
        services.runs.note_entry(item, "迟到的备注", expected_version=services.runs.version_of(ChecklistEntry, item))
    with pytest.raises(DomainError, match="log is closed"):
        services.runs.add_log_entry("迟到的记录", drill_run_id=run_id)
    with pytest.raises(DomainError, match="log is closed"):
        services.runs.pause(run_id)

    assert databases.row_counts(services.db) == counts


def test_log_lines_with_a_branch_tag_back_timing_and_a_correction(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    clock.advance(minutes=12)
    sealed = services.runs.add_log_entry("旅检大厅已封控", drill_run_id=run_id, agency=Agency.BORDER_INSPECTION,
                                         happened_at=start + timedelta(minutes=6))

    fixed = services.runs.add_log_entry("旅检大厅已封控（北侧）", drill_run_id=run_id,
                                        agency=Agency.BORDER_INSPECTION, corrects_id=sealed)

    log = {line.id: line for line in services.console.snapshot(run_id).log}
    assert (log[sealed].at, log[sealed].recorded_at, log[sealed].agency) == (
        start + timedelta(minutes=6), clock.now, Agency.BORDER_INSPECTION)
    assert log[sealed].text == "旅检大厅已封控", "the corrected line stays as it was"
    assert log[fixed].corrects_id == sealed
    other = services.runs.start_run(builders.drill(services, port, plan, starts_in=timedelta(0)))
    with pytest.raises(DomainError, match="not in this log"):
        services.runs.add_log_entry("改错了", drill_run_id=other, corrects_id=sealed)
    with pytest.raises(DomainError, match="own commands"):
        services.runs.add_log_entry("暂停", drill_run_id=run_id, kind=LogKind.PAUSE)


# -- the clock, pauses and colours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed_min", "target", "state", "taken", "expected"),
    [
        (10, 15, ItemState.OPEN, None, ItemStatus.OPEN),
        (12.5, 15, ItemState.OPEN, None, ItemStatus.AMBER),  # past 80 % of the target
        (13.5, 15, ItemState.OPEN, None, ItemStatus.AMBER),  # within 2 minutes
        (15.0, 15, ItemState.OPEN, None, ItemStatus.AMBER),  # at the target: not late yet
        (15.1, 15, ItemState.OPEN, None, ItemStatus.RED),
        (3, 5, ItemState.OPEN, None, ItemStatus.AMBER),  # 60 %, but only 2 minutes left
        (2.9, 5, ItemState.OPEN, None, ItemStatus.OPEN),
        (30, None, ItemState.OPEN, None, ItemStatus.OPEN),  # untimed: never late
        (30, 15, ItemState.DONE, 14, ItemStatus.DONE),
        (30, 15, ItemState.DONE, 19, ItemStatus.LATE),
        (30, 15, ItemState.SKIPPED, None, ItemStatus.SKIPPED),
        (30, 15, ItemState.NOT_APPLICABLE, None, ItemStatus.NOT_APPLICABLE),
    ],
)
def test_item_colours_against_the_thresholds(elapsed_min, target, state, taken, expected):
    assert item_status(elapsed_min * 60, target, state, taken) is expected


def test_thresholds_are_a_setting():
    assert item_status(10 * 60, 15, ItemState.OPEN, None, Thresholds(amber_minutes=5, amber_fraction=0.9)) \
        is ItemStatus.AMBER
    assert item_status(9 * 60, 15, ItemState.OPEN, None, Thresholds(amber_minutes=5, amber_fraction=0.9)) \
        is ItemStatus.OPEN


def test_the_console_turns_items_amber_then_red_as_the_clock_runs(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    snap = services.console.snapshot(run_id)
    seal = _items(services, run_id)["封控旅检大厅"]

    def at(minutes):
        return build_view(snap, start + timedelta(minutes=minutes))

    assert at(1).item(seal).status is ItemStatus.OPEN
    assert at(3.5).item(seal).status is ItemStatus.AMBER
    assert at(5.5).item(seal).status is ItemStatus.RED and at(5.5).item(seal).remaining_seconds == -30
    assert at(5.5).item(seal).due_at == start + timedelta(minutes=5)
    assert at(5.5).late == 1
    assert at(7).clock.elapsed_seconds == 420 and at(7).clock.running


def test_pausing_stops_the_clock_and_the_targets_and_both_are_logged(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    isolation = _items(services, run_id)["开设隔离观察室"]
    clock.advance(minutes=10)
    services.runs.pause(run_id)
    clock.advance(minutes=6)

    paused = services.console.view(run_id)

    assert (paused.clock.elapsed_seconds, paused.clock.running, paused.clock.paused_since) == (
        600, False, start + timedelta(minutes=10))
    assert paused.item(isolation).due_at is None, "while paused its due time is not known"
    assert paused.item(isolation).remaining_seconds == 300
    with pytest.raises(DomainError, match="paused already"):
        services.runs.pause(run_id)
    services.runs.resume(run_id)
    clock.advance(minutes=3)
    running = services.console.view(run_id)
    assert running.clock.elapsed_seconds == 13 * 60 and running.clock.running
    assert running.item(isolation).due_at == start + timedelta(minutes=15 + 6)
    assert running.item(isolation).status is ItemStatus.AMBER
    with pytest.raises(DomainError, match="not paused"):
        services.runs.resume(run_id)
    services.runs.tick(isolation, expected_version=services.runs.version_of(ChecklistEntry, isolation))  # at 19 minutes of wall time, 13 of drill time
    assert services.console.view(run_id).item(isolation).minutes_taken == 13
    kinds = [(line.kind, line.text) for line in services.console.snapshot(run_id).log]
    assert (LogKind.PAUSE, "演练暂停 / Drill paused") in kinds and (LogKind.RESUME, "演练继续 / Drill resumed") in kinds


def test_the_run_clock_functions():
    start = datetime(2027, 4, 30, 1, 30)
    pauses = ((start + timedelta(minutes=10), start + timedelta(minutes=15)),
              (start + timedelta(minutes=20), None))
    assert run_clock.elapsed_minutes(start, pauses, start + timedelta(minutes=30)) == 15
    assert run_clock.elapsed_minutes(start, pauses, start + timedelta(minutes=30), until=start + timedelta(
        minutes=25)) == 15
    assert run_clock.moment(start, pauses, 12) == start + timedelta(minutes=17)
    assert run_clock.moment(start, pauses, 15) == start + timedelta(minutes=20)
    assert run_clock.moment(start, pauses, 16) is None
    assert run_clock.pauses_from([(start, False), (start, True), (start, True), (start + timedelta(1), False)]) == (
        (start, start + timedelta(1)),)


def test_the_initial_report_counts_down(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    snap = services.console.snapshot(run_id)

    [report] = build_view(snap, start + timedelta(minutes=20)).reports

    assert (report.kind, report.target_minutes, report.remaining_seconds, report.status) == (
        ReportKind.INITIAL, 30, 600, ItemStatus.OPEN)
    assert build_view(snap, start + timedelta(minutes=26)).reports[0].status is ItemStatus.AMBER
    assert report.due_at == start + timedelta(minutes=30)
    assert build_view(snap, start + timedelta(minutes=31)).reports[0].status is ItemStatus.RED


# -- injects ------------------------------------------------------------------------------------------------


def test_injects_fall_due_at_their_offset_and_the_controller_marks_them(services, port, plan, clock):
    run_id = _run(services, port, plan, clock, injects=[(12, "货运通道发现第二名可疑人员"), (20, "有旅客受伤")])
    start = clock.now
    with services.db.session() as s:
        first, second = s.scalars(select(Inject.id).join(DrillRun, DrillRun.drill_id == Inject.drill_id)
                                  .where(DrillRun.id == run_id).order_by(Inject.offset_minutes))
    snap = services.console.snapshot(run_id)

    early = build_view(snap, start + timedelta(minutes=11))
    assert [(i.row.info.id, i.due, i.seconds_until) for i in early.injects_due] == [(first, False, 60),
                                                                                    (second, False, 540)]
    assert build_view(snap, start + timedelta(minutes=12)).injects_due[0].due

    clock.advance(minutes=12)
    services.runs.mark_inject(run_id, first, InjectStatus.DELAYED, delay_minutes=5)
    snap = services.console.snapshot(run_id)
    delayed = build_view(snap, start + timedelta(minutes=13)).injects_due[0]
    assert (delayed.row.info.id, delayed.row.status, delayed.row.due_minutes, delayed.due) == (
        first, InjectStatus.DELAYED, 17, False)
    assert delayed.due_at == start + timedelta(minutes=17)
    assert build_view(snap, start + timedelta(minutes=17)).injects_due[0].due

    clock.advance(minutes=5)
    services.runs.mark_inject(run_id, first, InjectStatus.DELIVERED)
    services.runs.mark_inject(run_id, second, InjectStatus.SKIPPED, note="伤员环节取消")
    view = services.console.view(run_id)
    assert view.injects_due == () and {i.row.status for i in view.injects} == {InjectStatus.DELIVERED,
                                                                               InjectStatus.SKIPPED}
    with pytest.raises(DomainError, match="marked already"):
        services.runs.mark_inject(run_id, first, InjectStatus.SKIPPED)
    assert [line.text for line in view.snapshot.log if line.kind is LogKind.INJECT] == [
        "导调注入1推迟5分钟 / Inject 1 delayed 5 min: 货运通道发现第二名可疑人员",
        "导调注入1已下达 / Inject 1 delivered: 货运通道发现第二名可疑人员",
        "导调注入2取消 / Inject 2 skipped: 有旅客受伤",
    ]


def test_a_pause_moves_the_injects_on(services, port, plan, clock):
    run_id = _run(services, port, plan, clock, injects=[(12, "发现可疑人员")])
    start = clock.now
    clock.advance(minutes=5)
    services.runs.pause(run_id)
    clock.advance(minutes=10)
    services.runs.resume(run_id)

    [inject] = services.console.view(run_id).injects_due

    assert inject.due_at == start + timedelta(minutes=22) and inject.seconds_until == 7 * 60


# -- contacts and reopening ---------------------------------------------------------------------------------


def test_the_neighbours_contact_shows_their_own_local_time(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)

    contacts = {c.row.name: c for c in services.console.view(run_id).contacts}

    neighbour = contacts["对方口岸（元汀里口岸）联络处"]
    assert (neighbour.row.zone, neighbour.utc_offset) == ("Asia/Pyongyang", "UTC+9")
    assert neighbour.local_time == clock.now + timedelta(hours=9)
    assert contacts["赵志刚"].local_time is None and contacts["赵志刚"].utc_offset == ""


def test_reopening_shows_the_run_exactly_as_it_was_and_the_clock_counts_from_the_real_start(
        services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    start = clock.now
    items = _items(services, run_id)
    clock.advance(minutes=4)
    services.runs.tick(items["封控旅检大厅"], expected_version=services.runs.version_of(ChecklistEntry, items["封控旅检大厅"]))
    services.runs.add_log_entry("机动队集结完毕", drill_run_id=run_id, kind=LogKind.MUSTER)
    clock.advance(minutes=5)
    services.runs.pause(run_id)
    before = services.console.snapshot(run_id)
    services.db.dispose()  # the PC goes down

    reopened = Database.open(services.db.url)
    try:
        clock.advance(minutes=30)
        again = Services(reopened, services.actor, clock)
        assert [r.run_id for r in again.console.running()] == [run_id]
        assert again.console.snapshot(run_id) == before
        services_view = again.console.view(run_id)
        assert services_view.clock.started_at == start and services_view.clock.elapsed_seconds == 9 * 60
        again.runs.resume(run_id)
        clock.advance(minutes=1)
        assert again.console.view(run_id).clock.elapsed_seconds == 10 * 60
    finally:
        reopened.dispose()


def test_ticks_and_log_lines_share_one_chain_that_verifies(services, port, plan, clock):
    run_id = _run(services, port, plan, clock)
    items = _items(services, run_id)
    for n, item in enumerate(items.values()):
        clock.advance(minutes=1)
        services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
        services.runs.add_log_entry(f"第{n}条", drill_run_id=run_id)
    services.runs.end_run(run_id)

    report = services.console.verify_log(run_id)

    assert report.intact and report.records == 1 + 2 * len(items) + 1
    with services.db.session() as s:
        seqs = sorted([*s.scalars(select(LogEntry.seq).where(LogEntry.drill_run_id == run_id)),
                       *s.scalars(select(ChecklistEvent.seq).where(ChecklistEvent.drill_run_id == run_id))])
        run = s.get(DrillRun, run_id)
        assert seqs == list(range(1, report.records + 1)) and run.chain_seq == report.records
        assert run.chain_head == report.head


def test_scenario_time_runs_with_the_drill_and_jumps_in_a_tabletop(services, port, plan, clock):
    live = _run(services, port, plan, clock, injects=[(12, "发现第二名可疑人员")])
    snap = services.console.snapshot(live)
    # the MSEL's scenario time is a field of the drill design (read through drill_inputs); given "09:42" at 12 min:
    first = replace(snap.injects[0], info=replace(snap.injects[0].info, scenario_time="09:42"))
    snap = replace(snap, injects=(first,))
    assert build_view(snap, snap.started_at + timedelta(minutes=20)).clock.scenario_time == "09:50"
    assert build_view(snap, snap.started_at).clock.scenario_time == "09:30"

    tabletop = builders.drill(services, port, plan, level=2, starts_in=timedelta(0), kind=DrillKind.TABLETOP,
                              injects=[(0, "旅检大厅发生持刀伤人")])
    run_id = services.runs.start_run(tabletop)
    services.runs.tabletop_advance(run_id)
    services.runs.tabletop_jump(run_id, 120)
    view = services.console.tabletop(run_id)
    assert view.scenario_time == "+2:00" and view.current == 0
    assert view.current_step.inject.message == "旅检大厅发生持刀伤人"
    assert [line.text for line in view.snapshot.log][-1] == "情景时间推进120分钟 / Scenario time moves on 120 min"
