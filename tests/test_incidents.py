"""Real incidents (issue 11), in the core: activation with the port's number (unique with two desks at once), the
level's checklist counted from the alarm, escalation and de-escalation keeping what was done, tasks beyond the
plan, the append-only hash-chained log, situation reports due from the plan and frozen once issued, the
hand-over, the stand-down, and the review after it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from helpers import builders, databases
from helpers.audit_tamper import as_owner_without_triggers
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from drillapp.db import Database
from drillapp.models import (
    AfterActionReview,
    Incident,
    IncidentReport,
    IncidentTask,
    LogEntry,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    IncidentReportStatus,
    IncidentStatus,
    ItemState,
    LogKind,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Role,
    Scenario,
)
from drillapp.reports import incident_pdf
from drillapp.services import Services
from drillapp.services.errors import ConflictError, DomainError, ValidationError
from drillapp.services.run_view import ItemStatus

DG_ACTIONS = [  # (agency, phase, text, level, minutes, report)
    (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, "封控货运通道", None, 5, None),
    (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "查验泄漏车辆及货物", 3, 15, None),
    (Agency.PORT_OFFICE, ResponsePhase.ALERT, "报送初报", None, 30, ReportKind.INITIAL),
    (Agency.CUSTOMS, ResponsePhase.CONTAINMENT, "启动危化品专业处置", 2, 10, None),
    (Agency.QUARANTINE, ResponsePhase.CONTAINMENT, "医疗救护待命", 2, 20, None),
    (Agency.PORT_OFFICE, ResponsePhase.ESCALATION, "报送续报", 2, 60, ReportKind.FOLLOW_UP),
]


def dg_plan(services: Services, port: builders.PortIds, code: str = "QH-DG", *, levels=(1, 2, 3, 4),
            approve: bool = True) -> int:
    from drillapp.models import PlanVersion

    plan_id, version_id = services.plans.create_plan(port.port_id, code, Scenario.DANGEROUS_GOODS,
                                                     "危险货物泄漏事件联合处置预案", "Dangerous goods", levels=levels)
    for agency, phase, words, level, minutes, report in DG_ACTIONS:
        services.plans.add_action(version_id, agency, phase, words, level=level, target_minutes=minutes,
                                  report_due=report)
    if approve:
        services.revisions.submit_for_review(version_id,
                                             expected_version=services.revisions.version_of(PlanVersion, version_id))
        services.plans.approve_version(version_id, effective_on=services.clock().date(),
                                       review_due_on=services.clock().date() + timedelta(days=365),
                                       expected_version=services.plans.version_of(PlanVersion, version_id))
    return plan_id


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def sv(services, port):
    """Services on the port (its time zone, its number)."""
    return builders.on_port(services, port)


@pytest.fixture
def plan(sv, port):
    return dg_plan(sv, port)


def _items(sv: Services, incident: int) -> dict[str, object]:
    return {i.row.text: i for i in sv.incidents.snapshot(incident).items}


def _version(sv: Services, model, ident: int) -> int:
    return sv.incidents.version_of(model, ident)


# -- activation -------------------------------------------------------------------------------------------


def test_activation_numbers_the_incident_and_builds_the_levels_checklist_from_the_alarm(sv, port, plan, clock):
    alarm = clock.now - timedelta(minutes=20)
    incident = sv.incidents.open_incident(port.port_id, "货运通道危险品泄漏", plan_id=plan, level=3, alarm_at=alarm,
                                          location="货运通道3号", description="一辆货车所载化学品泄漏")

    snap = sv.incidents.snapshot(incident)
    assert (snap.number, snap.level, snap.status, snap.alarm_at, snap.opened_at) == (
        "QH-2026-001", 3, IncidentStatus.ACTIVE, alarm, clock.now)
    assert [i.row.text for i in snap.items] == ["报送初报", "封控货运通道", "查验泄漏车辆及货物"]
    seal = snap.item(_items(sv, incident)["封控货运通道"].row.id)
    assert seal.due_at == alarm + timedelta(minutes=5), "targets count from the alarm, not the activation"
    assert snap.next_report.kind is ReportKind.INITIAL and snap.next_report.due_at == alarm + timedelta(minutes=30)
    assert [(e.kind, e.text) for e in snap.log] == [
        (LogKind.SYSTEM, "事件处置启动 / Incident opened"),
        (LogKind.DECISION, "QH-2026-001 货运通道危险品泄漏：启动预案 QH-DG Ⅲ级响应 / Plan QH-DG activated at level Ⅲ"),
        (LogKind.INFORMATION, "一辆货车所载化学品泄漏"),
    ]
    assert snap.log[2].at == alarm and snap.log[2].recorded_at == clock.now

    second = sv.incidents.open_incident(port.port_id, "旅客突发疾病")
    assert sv.incidents.snapshot(second).number == "QH-2026-002"
    other_port = builders.port_with_branches(sv, "HC", "珲春口岸")
    third = sv.incidents.open_incident(other_port.port_id, "车辆起火")
    assert sv.incidents.snapshot(third).number == "HC-2026-001", "numbered per port"


def test_the_year_of_the_number_is_the_alarms_in_port_time(sv, port, clock):
    clock.now = datetime(2026, 12, 31, 16, 30)  # 2027-01-01 00:30 in Beijing
    incident = sv.incidents.open_incident(port.port_id, "跨年夜事件")
    assert sv.incidents.snapshot(incident).number == "QH-2027-001"


def test_without_a_plan_the_generic_checklist(sv, port):
    incident = sv.incidents.open_incident(port.port_id, "不明原因停电")

    snap = sv.incidents.snapshot(incident)
    assert [(i.row.target_minutes, i.row.report_due) for i in snap.items] == [
        (5, None), (10, None), (30, ReportKind.INITIAL)]
    assert "通知应急队伍集结" in snap.items[1].row.text
    assert snap.plan_code == "" and "generic checklist" in snap.log[1].text


def test_two_desks_opening_at_once_get_two_numbers(sv, port, clock):
    numbers: list[int] = []
    errors: list[BaseException] = []
    go = threading.Barrier(2)

    def desk(n: int) -> None:
        mine = Services(sv.db, sv.actor, clock, sv.scope)
        try:
            go.wait()
            for i in range(3):
                numbers.append(mine.incidents.open_incident(port.port_id, f"{n}号台事件{i}"))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    got = sorted(sv.incidents.snapshot(i).number for i in numbers)
    assert got == [f"QH-2026-{n:03d}" for n in range(1, 7)]


def test_bad_activations_say_why_and_write_nothing(sv, port, clock):
    draft = dg_plan(sv, port, "QH-DRAFT", approve=False)
    narrow = dg_plan(sv, port, "QH-23", levels=(2, 3))
    before = databases.row_counts(sv.db)

    with pytest.raises(DomainError, match="no approved version in force.*version 1 would apply"):
        sv.incidents.open_incident(port.port_id, "事件", plan_id=draft, level=2)
    with pytest.raises(ValidationError, match="does not define level Ⅰ"):
        sv.incidents.open_incident(port.port_id, "事件", plan_id=narrow, level=1)
    with pytest.raises(ValidationError, match="later than now"):
        sv.incidents.open_incident(port.port_id, "事件", alarm_at=clock.now + timedelta(hours=1))
    with pytest.raises(ValidationError, match="must not be empty"):
        sv.incidents.open_incident(port.port_id, "  ")

    assert databases.row_counts(sv.db) == before


def test_a_retired_plan_is_refused_in_words(sv, port):
    from drillapp.models import PlanVersion

    plan_id = dg_plan(sv, port, "QH-OLD")
    with sv.db.session() as s:
        version = s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan_id))
    sv.revisions.retire(plan_id, expected_version=sv.revisions.version_of(PlanVersion, version))
    with sv.db.session() as s:
        assert s.get(PlanVersion, version).status is PlanStatus.RETIRED
    with pytest.raises(DomainError, match="retired"):
        sv.incidents.open_incident(port.port_id, "事件", plan_id=plan_id, level=2)


# -- escalation -------------------------------------------------------------------------------------------


def test_escalation_gains_the_new_levels_actions_and_keeps_what_was_done(sv, port, plan, clock):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3)
    seal = _items(sv, incident)["封控货运通道"].row
    sv.runs.tick(seal.id, expected_version=seal.row_version)
    clock.advance(minutes=25)

    gained = sv.incidents.set_level(incident, 2, "泄漏扩大，出现人员不适",
                                    expected_version=_version(sv, Incident, incident))

    items = _items(sv, incident)
    assert len(gained) == 3 and set(items) == {"封控货运通道", "查验泄漏车辆及货物", "报送初报", "启动危化品专业处置",
                                                "医疗救护待命", "报送续报"}
    assert items["封控货运通道"].row.state is ItemState.DONE, "what was done stays done"
    assert items["启动危化品专业处置"].due_at == clock.now + timedelta(minutes=10), "counted from the escalation"
    assert not any(i.not_required for i in items.values())
    assert items["查验泄漏车辆及货物"].status_at(clock.now) is ItemStatus.RED  # 25 min after the alarm, target 15
    assert items["启动危化品专业处置"].status_at(clock.now) is ItemStatus.OPEN  # counted from the escalation
    assert items["启动危化品专业处置"].status_at(clock.now + timedelta(minutes=9)) is ItemStatus.AMBER
    assert items["封控货运通道"].status_at(clock.now) is ItemStatus.DONE
    snap = sv.incidents.snapshot(incident)
    assert snap.level == 2
    last = snap.log[-1]
    assert (last.kind, last.author, last.text) == (
        LogKind.DECISION, "admin", "升级至Ⅱ级响应（泄漏扩大，出现人员不适）/ Escalated to level Ⅱ: 泄漏扩大，出现人员不适")
    assert [d.kind for d in snap.dues] == [ReportKind.INITIAL, ReportKind.FOLLOW_UP]
    assert snap.dues[1].due_at == clock.now + timedelta(minutes=60)

    treat = items["启动危化品专业处置"].row
    sv.runs.tick(treat.id, expected_version=treat.row_version)
    sv.incidents.set_level(incident, 3, "泄漏已控制", expected_version=_version(sv, Incident, incident))

    items = _items(sv, incident)
    assert len(items) == 6, "nothing is taken away"
    assert items["医疗救护待命"].not_required and items["医疗救护待命"].row.state is ItemState.OPEN
    assert not items["查验泄漏车辆及货物"].not_required
    assert items["启动危化品专业处置"].row.state is ItemState.DONE
    standby = items["医疗救护待命"].row
    sv.runs.tick(standby.id, expected_version=standby.row_version)  # still tickable
    assert _items(sv, incident)["医疗救护待命"].row.state is ItemState.DONE
    assert sv.incidents.snapshot(incident).log[-1].text.startswith("降级至Ⅲ级响应（泄漏已控制）")


def test_a_stale_level_change_is_refused_naming_who(sv, port, plan):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3)
    seen = _version(sv, Incident, incident)
    sv.incidents.set_level(incident, 2, "扩大", expected_version=seen)
    with pytest.raises(ConflictError, match="changed by admin"):
        sv.incidents.set_level(incident, 1, "再扩大", expected_version=seen)
    with pytest.raises(ValidationError, match="does not define level|response level"):
        sv.incidents.set_level(incident, 5, "?", expected_version=_version(sv, Incident, incident))


# -- tasks ------------------------------------------------------------------------------------------------


def test_task_lifecycle(sv, port, clock):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏")
    due = clock.now + timedelta(hours=1)
    by_code = sv.incidents.add_task(incident, "customs", "调取车辆报关单", assignee="王海", due_at=due)
    by_name = sv.incidents.add_task(incident, "口岸办", "通知市应急管理局")
    with pytest.raises(ValidationError, match="no branch 气象局"):
        sv.incidents.add_task(incident, "气象局", "提供风向")

    sv.incidents.set_task_status(by_code, ActionStatus.IN_PROGRESS,
                                 expected_version=_version(sv, IncidentTask, by_code))
    sv.incidents.set_task_status(by_code, ActionStatus.DONE, expected_version=_version(sv, IncidentTask, by_code))
    with pytest.raises(ConflictError):
        sv.incidents.set_task_status(by_name, ActionStatus.DONE, expected_version=0)

    tasks = {t.id: t for t in sv.incidents.snapshot(incident).tasks}
    assert (tasks[by_code].agency, tasks[by_code].assignee, tasks[by_code].status, tasks[by_code].due_at,
            tasks[by_code].done_at) == (Agency.CUSTOMS, "王海", ActionStatus.DONE, due, clock.now)
    assert (tasks[by_name].agency, tasks[by_name].status) == (Agency.PORT_OFFICE, ActionStatus.OPEN)
    lines = [e.text for e in sv.incidents.snapshot(incident).log if e.kind is LogKind.ACTION]
    assert lines[0] == (f"任务 #{by_code} 交 海关（王海）：调取车辆报关单 / Task #{by_code} to customs（王海）: 调取车辆报关单")
    assert any("已完成 / done" in line for line in lines)


# -- the log ----------------------------------------------------------------------------------------------


def test_the_log_is_append_only_corrections_point_back_and_verify_catches_a_tampered_row(sv, port, clock):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏")
    first = sv.runs.add_log_entry("风向东南", incident_id=incident, kind=LogKind.INFORMATION,
                                  agency=Agency.PORT_OFFICE)
    sv.runs.add_log_entry("已电话通知市应急办", incident_id=incident, kind=LogKind.COMMUNICATION)
    fix = sv.runs.add_log_entry("更正：风向西北", incident_id=incident, kind=LogKind.INFORMATION, corrects_id=first)

    snap = sv.incidents.snapshot(incident)
    by_id = {e.id: e for e in snap.log}
    assert by_id[first].text == "风向东南" and by_id[fix].corrects_id == first
    assert (by_id[first].author, by_id[first].agency) == ("admin", Agency.PORT_OFFICE)
    with pytest.raises(DBAPIError, match="append-only"), sv.db.engine.begin() as conn:
        conn.execute(text("UPDATE log_entry SET text = 'x' WHERE id = :id"), {"id": first})
    assert sv.console.verify_log(incident_id=incident).intact

    as_owner_without_triggers(sv.db, "UPDATE log_entry SET text = '风向西北' WHERE id = :id", id=first)

    report = sv.console.verify_log(incident_id=incident)
    assert (report.intact, report.problem, report.record_id) == (False, "changed", first)


# -- reports ----------------------------------------------------------------------------------------------


def test_an_escalation_owes_a_follow_up_not_a_second_initial_report(sv, port, clock):
    """A plan whose levels each carry their own initial report (as the demo's do): after an escalation the new
    level's initial-report item is owed as a follow-up, and issuing the follow-up ticks it."""
    from drillapp.models import PlanVersion

    plan_id, version_id = sv.plans.create_plan(port.port_id, "QH-LV", Scenario.DANGEROUS_GOODS, "分级报告预案",
                                               "Reports per level", levels=(2, 3))
    for level, words in ((3, "Ⅲ级报送初报"), (2, "Ⅱ级报送初报")):
        sv.plans.add_action(version_id, Agency.PORT_OFFICE, ResponsePhase.ALERT, words, level=level,
                            target_minutes=30, report_due=ReportKind.INITIAL)
    sv.revisions.submit_for_review(version_id, expected_version=sv.revisions.version_of(PlanVersion, version_id))
    sv.plans.approve_version(version_id, effective_on=sv.clock().date(),
                             review_due_on=sv.clock().date() + timedelta(days=365),
                             expected_version=sv.plans.version_of(PlanVersion, version_id))
    alarm = clock.now
    incident = sv.incidents.open_incident(port.port_id, "泄漏", plan_id=plan_id, level=3, alarm_at=alarm)
    clock.advance(minutes=25)
    sv.incidents.set_level(incident, 2, "扩大", expected_version=_version(sv, Incident, incident))

    dues = sv.incidents.snapshot(incident).dues
    assert [(d.kind, d.due_at) for d in dues] == [
        (ReportKind.INITIAL, alarm + timedelta(minutes=30)), (ReportKind.FOLLOW_UP, clock.now + timedelta(minutes=30))]
    for kind in (ReportKind.INITIAL, ReportKind.FOLLOW_UP):
        report = sv.incidents.draft_report(incident, kind)
        sv.incidents.update_report(report, reporter="值班员", expected_version=_version(sv, IncidentReport, report))
        sv.incidents.issue_report(report, expected_version=_version(sv, IncidentReport, report))
    items = _items(sv, incident)
    assert items["Ⅲ级报送初报"].row.state is ItemState.DONE and items["Ⅱ级报送初报"].row.state is ItemState.DONE
    assert sv.incidents.snapshot(incident).next_report is None


def test_reports_due_from_the_plan_issued_numbered_logged_and_frozen(sv, port, plan, clock):
    alarm = clock.now - timedelta(minutes=10)
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3, alarm_at=alarm,
                                          location="货运通道3号")
    assert sv.incidents.snapshot(incident).next_report.due_at == alarm + timedelta(minutes=30)
    seal = _items(sv, incident)["封控货运通道"].row
    sv.runs.tick(seal.id, expected_version=seal.row_version)
    sv.runs.add_log_entry("一名司机轻微吸入不适，已送医", incident_id=incident, kind=LogKind.INFORMATION)
    clock.advance(minutes=18)

    report = sv.incidents.draft_report(incident, ReportKind.INITIAL)
    doc = sv.incidents.report_document(report).report
    assert doc.field("place") == "货运通道3号"
    assert "封控货运通道" in doc.field("measures") and "吸入不适" in doc.field("casualties")
    assert "查验泄漏车辆及货物" in doc.field("next_steps")
    sv.incidents.update_report(report, nature="危险化学品泄漏（疑似盐酸）",
                               expected_version=_version(sv, IncidentReport, report))
    number = sv.incidents.issue_report(report, expected_version=_version(sv, IncidentReport, report))

    assert number == 1
    snap = sv.incidents.snapshot(incident)
    issued = snap.reports[0]
    assert (issued.status, issued.number, issued.issued_at, issued.field("nature")) == (
        IncidentReportStatus.ISSUED, 1, clock.now, "危险化学品泄漏（疑似盐酸）")
    assert snap.dues[0].issued_number == 1 and snap.next_report is None
    assert _items(sv, incident)["报送初报"].row.state is ItemState.DONE, "the report item is ticked"
    last = [e for e in snap.log if e.kind is LogKind.REPORT][-1]
    assert last.text.startswith("QH-2026-001 初报（第1号） 已签发") and issued.content_hash in last.text

    with pytest.raises(DomainError, match="issued"):
        sv.incidents.update_report(report, nature="改", expected_version=_version(sv, IncidentReport, report))
    with pytest.raises(DomainError, match="frozen"), sv.incidents.write("incidents.update_report") as s:
        s.get(IncidentReport, report).nature = "悄悄改"  # the core refuses, whoever writes
    with pytest.raises(DomainError, match="stand the incident down first"):
        final = sv.incidents.draft_report(incident, ReportKind.FINAL)
        sv.incidents.issue_report(final, expected_version=_version(sv, IncidentReport, final))
    assert sv.console.verify_log(incident_id=incident).intact


# -- hand-over, stand-down, review --------------------------------------------------------------------------


def _pdf_text(path) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_hand_over_logs_both_officers_and_the_sheet_holds_open_actions_and_last_entries(sv, port, plan, clock,
                                                                                        tmp_path):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3, location="货运通道3号")
    sv.runs.add_log_entry("消防已到场 <A&B> \"quoted\"", incident_id=incident, kind=LogKind.INFORMATION)
    sv.incidents.add_task(incident, "customs", "调取车辆报关单", assignee="王海")
    clock.advance(hours=4)

    entry = sv.incidents.hand_over(incident, "赵敏", from_officer="李强", note="注意风向变化")

    with sv.db.session() as s:
        line = s.get(LogEntry, entry)
        assert (line.kind, line.text) == (LogKind.HANDOVER, "交接班：李强 移交 赵敏 / Hand-over from 李强 to 赵敏\n注意风向变化")
    out = incident_pdf.write_handover(sv.incidents.handover_sheet(incident), tmp_path / "handover.pdf",
                                      from_officer="李强", to_officer="赵敏", now=clock.now)
    words = _pdf_text(out)
    for expected in ("实战", "QH-2026-001", "查验泄漏车辆及货物", "报送初报", "调取车辆报关单", "王海",
                     "消防已到场<A&B>\"quoted\"", "交接班：李强移交赵敏", "李强", "赵敏"):
        assert expected in words, expected
    assert len(PdfReader(str(out)).pages) == 1, "one page where it fits"


def test_stand_down_closes_the_checklist_and_log_but_the_final_report_and_review_follow(sv, port, plan, clock):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3)
    item = _items(sv, incident)["查验泄漏车辆及货物"].row
    clock.advance(hours=7)
    with pytest.raises(DomainError, match="still active"):
        sv.reviews.create_review("复盘", incident_id=incident)
    before = databases.row_counts(sv.db)
    with pytest.raises(ValidationError):
        sv.incidents.stand_down(incident, "  ")
    assert databases.row_counts(sv.db) == before

    sv.incidents.stand_down(incident, "泄漏已处置完毕，通道恢复通行")

    snap = sv.incidents.snapshot(incident)
    assert (snap.status, snap.closed_at, snap.summary) == (IncidentStatus.STOOD_DOWN, clock.now,
                                                           "泄漏已处置完毕，通道恢复通行")
    assert [d.kind for d in snap.dues if not d.issued][-1] is ReportKind.FINAL
    with pytest.raises(DomainError, match="checklist is closed"):
        sv.runs.tick(item.id, expected_version=item.row_version)
    with pytest.raises(DomainError, match="log is closed"):
        sv.runs.add_log_entry("之后的记录", incident_id=incident)
    with pytest.raises(DomainError, match="stood down"):
        sv.incidents.set_level(incident, 2, "?", expected_version=_version(sv, Incident, incident))
    with pytest.raises(DomainError, match="stood down"):
        sv.incidents.add_task(incident, "customs", "?")
    with pytest.raises(DomainError, match="only its final report"):
        sv.incidents.draft_report(incident, ReportKind.FOLLOW_UP)

    clock.advance(hours=1)
    final = sv.incidents.draft_report(incident, ReportKind.FINAL)
    assert sv.incidents.issue_report(final, expected_version=_version(sv, IncidentReport, final)) == 1
    review = sv.reviews.create_from_incident(incident)
    assert sv.reviews.create_from_incident(incident) == review

    with sv.db.session() as s:
        aar = s.get(AfterActionReview, review)
        assert (aar.incident_id, aar.drill_run_id) == (incident, None)
        assert aar.title == "QH-2026-001 危险品泄漏 — after-action review (real incident)", "in the desk's language"
    log = sv.incidents.snapshot(incident).log
    assert "终报（第1号） 已签发" in log[-2].text and log[-1].text.startswith("复盘评估启动")
    assert sv.console.verify_log(incident_id=incident).intact
    assert sv.incidents.snapshot(incident).next_report is None


def test_two_desks_ticking_the_same_item_the_second_is_told_who_ticked_it_when(sv, port, clock):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏")
    border = builders.actor(sv, Role.DUTY_OFFICER, "zhao")
    engine = Database.open(sv.db.url)  # the border station's desk: its own engine on the shared database
    try:
        other = Services(engine, border, clock, sv.scope)
        item = sv.incidents.snapshot(incident).items[0].row  # both desks show it open at this version

        other.runs.tick(item.id, expected_version=item.row_version)
        clock.advance(seconds=5)
        with pytest.raises(DomainError, match=r"already ticked by zhao at 16:00:00"):
            sv.runs.tick(item.id, expected_version=item.row_version)
        assert other.incidents.snapshot(incident).item(item.id).row.done_by == "zhao"
    finally:
        engine.dispose()


def test_a_call_out_for_the_incident_logs_who_arrived_and_the_sheet_shows_who_is_on_scene(sv, port, clock,
                                                                                          tmp_path):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏")
    zhang = builders.member(sv, port, "张伟", mobile="13900000001")
    li = builders.member(sv, port, "李娜", Agency.CUSTOMS)
    test = sv.callouts.start_test(port.port_id, [zhang, li], required_strength=1, incident_id=incident)
    clock.advance(minutes=9)
    sv.callouts.arrive(test, zhang)

    snap = sv.incidents.snapshot(incident)
    assert [(c.name, c.arrived_at) for c in snap.called] == [("张伟", clock.now), ("李娜", None)]
    assert [c.name for c in snap.on_scene] == ["张伟"]
    assert [e.text for e in snap.log if e.kind is LogKind.MUSTER] == [
        "应急队伍召集开始（2人）/ Team called out (2)", "到场：张伟 / Arrived: 张伟"]
    out = incident_pdf.write_handover(sv.incidents.handover_sheet(incident), tmp_path / "h.pdf", from_officer="李强",
                                      to_officer="赵敏", now=clock.now)
    assert "张伟" in _pdf_text(out) and "13900000001" in _pdf_text(out)
    sv.callouts.end_test(test)
    assert sv.incidents.snapshot(incident).log[-1].text.startswith("召集结束：1/2 人到场")
    assert sv.console.verify_log(incident_id=incident).intact

    sv.incidents.stand_down(incident, "结束")
    with pytest.raises(DomainError, match="stood down"):
        sv.callouts.start_test(port.port_id, [zhang], incident_id=incident)


def test_the_activation_picker_finds_plans_in_force_by_title_code_and_scenario(sv, port, plan):
    dg_plan(sv, port, "QH-DRAFT", approve=False)
    builders.approved_plan(sv, port, "QH-01")  # a violent-attack plan

    assert [p.code for p in sv.incidents.activatable_plans()] == ["QH-01", "QH-DG"]
    assert [p.code for p in sv.incidents.activatable_plans("危险货物")] == ["QH-DG"]
    assert [p.code for p in sv.incidents.activatable_plans("qh-dg")] == ["QH-DG"]
    assert [p.code for p in sv.incidents.activatable_plans("dangerous goods")] == ["QH-DG"]
    assert [p.code for p in sv.incidents.activatable_plans("violent")] == ["QH-01"]
    found = sv.incidents.activatable_plans("QH-DG")[0]
    assert (found.version, [lv for lv, _name in found.levels]) == (1, [1, 2, 3, 4])
    with pytest.raises(ValidationError, match="response level"):
        sv.incidents.open_incident(port.port_id, "事件", plan_id=plan)


def test_a_report_of_ten_thousand_characters_with_markup_prints_exactly(sv, port, tmp_path):
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏")
    report = sv.incidents.draft_report(incident, ReportKind.INITIAL)
    words = ("泄漏 <b>盐酸</b> & \"烧碱\" 'x' " * 400)[:9_999] + "。"
    sv.incidents.update_report(report, measures=words, expected_version=_version(sv, IncidentReport, report))
    sv.incidents.issue_report(report, expected_version=_version(sv, IncidentReport, report))

    doc = sv.incidents.report_document(report)
    assert doc.report.field("measures") == words
    out = incident_pdf.write_report(doc, tmp_path / "long.pdf")
    assert _pdf_text(out).count("泄漏<b>盐酸</b>&\"烧碱\"'x'") >= 390


def test_hand_over_and_record_print_ten_thousand_characters(sv, port, tmp_path, clock):
    words = ("风向 <东南> & \"阵风\" " * 700)[:9_999] + "。"
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", description=words, location="货运通道")
    sv.runs.add_log_entry(words, incident_id=incident, kind=LogKind.INFORMATION)
    sv.incidents.add_task(incident, "customs", words[:2000])

    hand = incident_pdf.write_handover(sv.incidents.handover_sheet(incident), tmp_path / "h.pdf",
                                       from_officer="李强", to_officer="赵敏", now=clock.now)
    record = incident_pdf.write_record(sv.incidents.record(incident), tmp_path / "r.pdf")
    for out in (hand, record):
        assert _pdf_text(out).count("风向<东南>&\"阵风\"") >= 690


def test_the_console_view_at_a_moment(sv, port, plan, clock):
    from drillapp.services.incident_console import build_incident_view

    alarm = clock.now - timedelta(minutes=12)
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏", plan_id=plan, level=3, alarm_at=alarm)
    sv.incidents.add_task(incident, "customs", "调取报关单", due_at=clock.now + timedelta(minutes=5))
    snap = sv.incidents.snapshot(incident)

    view = build_incident_view(snap, clock.now)
    by_text = {v.item.row.text: v for v in view.items}
    assert view.elapsed_seconds == 12 * 60
    assert by_text["封控货运通道"].status is ItemStatus.RED and by_text["封控货运通道"].remaining_seconds == -7 * 60
    assert by_text["查验泄漏车辆及货物"].status is ItemStatus.AMBER  # 12 of 15 minutes
    assert (view.next_report.kind, view.report_remaining_seconds) == (ReportKind.INITIAL, 18 * 60)
    assert (view.done, view.open, view.late) == (0, 3, 1)
    assert not view.tasks[0].overdue
    later = build_incident_view(snap, clock.now + timedelta(minutes=20))
    assert later.tasks[0].overdue and later.report_remaining_seconds == -2 * 60
