"""A real incident at the desk, by keyboard (issue 11): Ctrl+Shift+I from the main window, the plan found by
typing its code, the level, an alarm earlier than now; the console in red with the port's number; ticks with
Space; escalation with Ctrl+E (the checklist grows, what was done stays); a log line with its category; a task
with Ctrl+T moved on from the tasks table; the hand-over with Ctrl+H (the PDF holds the officers and the open
actions); the stand-down with Ctrl+Shift+D (the checklist and log close, the review opens). And two desks on
one incident: the second to tick an item is told who ticked it when."""

from __future__ import annotations

from datetime import timedelta

from helpers.console_ui import activate, release_modifiers, when_modal
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from drillapp.clock import to_local
from drillapp.db import Database
from drillapp.models import ChecklistEntry
from drillapp.models.enums import (
    ActionStatus,
    IncidentReportStatus,
    IncidentStatus,
    ItemState,
    LogKind,
    ReportKind,
)
from drillapp.services import Services
from drillapp.services.change_feed import ListeningFeed, open_feed
from drillapp.ui.change_watcher import ChangeWatcher
from drillapp.ui.date_field import qt_datetime
from drillapp.ui.incidents.activate import ActivateIncidentDialog
from drillapp.ui.incidents.console import IncidentConsole
from drillapp.ui.incidents.reports import ReportsDialog
from drillapp.ui.reviews.editor import ReviewEditor

K = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _ime(widget, text: str) -> None:
    """Chinese typed through the input method (QTest's key clicks take Latin-1 only): its commit string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _chord(qtbot, widget, key, mods) -> None:
    qtbot.keyClick(widget, key, mods)
    release_modifiers(qtbot, widget)


def _activate_by_keyboard(qtbot, window, demo_clock) -> IncidentConsole:
    seen: dict[str, object] = {}

    def fill(dialog):
        assert isinstance(dialog, ActivateIncidentDialog)
        qtbot.keyClicks(dialog.search, "YA-05")  # the dangerous-goods plan, by its code
        seen["plans"] = [dialog.plan_list.item(n).text() for n in range(dialog.plan_list.count())]
        dialog.level.setCurrentIndex(dialog.level.findData(3))
        alarm = to_local(demo_clock() - timedelta(minutes=20)).replace(second=0, microsecond=0)
        dialog.alarm.setDateTime(qt_datetime(alarm))
        _ime(dialog.title, "货运通道危化品泄漏")
        _ime(dialog.location, "货运通道3号")
        _ime(dialog.description, "一辆货车所载化学品泄漏")
        qtbot.keyClick(dialog.title, K.Key_Return)

    when_modal(fill)
    activate(qtbot, window)
    _chord(qtbot, window, K.Key_I, CTRL | SHIFT)
    plans = seen["plans"]
    assert len(plans) == 2 and plans[0].startswith("QH-YA-05"), "the plan, then the generic checklist"
    consoles = window.incident_desk.consoles
    assert len(consoles) == 1
    console = next(iter(consoles.values()))
    assert isinstance(console, IncidentConsole)
    qtbot.waitExposed(console)
    return console


def test_a_short_incident_by_keyboard(qtbot, window, demo_world, demo_clock, monkeypatch, tmp_path):
    incidents = demo_world.services.incidents
    console = _activate_by_keyboard(qtbot, window, demo_clock)
    snap = console.snapshot
    assert snap.level == 3 and snap.number.endswith("-2026-001") and snap.location == "货运通道3号"
    assert (demo_clock() - snap.alarm_at) == timedelta(minutes=20, seconds=demo_clock().second)
    assert console.header.banner.text() == "实战  REAL" and "REAL" in console.windowTitle()
    assert snap.number in console.header.title.text() and "0:20:" in console.header.elapsed.text()
    checklist, model = console.checklist, console.model
    assert model.rowCount() == len(snap.items) > 0

    # Space ticks the current item (the first open one); the console moves to the next
    first = model.items[0].row
    activate(qtbot, console)
    qtbot.keyClick(checklist, K.Key_Space)
    assert console.snapshot.item(first.id).row.state is ItemState.DONE
    assert checklist.current_row() == 1
    before = model.rowCount()

    # Ctrl+E: escalate to level II with the reason; the checklist grows, the done item stays done
    def escalate(dialog):
        assert dialog.level.currentData() == 2, "one step more severe is offered first"
        _ime(dialog.reason, "泄漏扩大，出现人员不适")
        qtbot.keyClick(dialog.reason, K.Key_Return)

    when_modal(escalate)
    _chord(qtbot, checklist, K.Key_E, CTRL)
    snap = console.snapshot
    assert snap.level == 2 and model.rowCount() > before
    assert snap.item(first.id).row.state is ItemState.DONE
    assert "泄漏扩大" in snap.log[-1].text and snap.log[-1].kind is LogKind.DECISION

    # L: a log line, with its category chosen at the entry
    activate(qtbot, console)
    checklist.setFocus()
    qtbot.keyClick(checklist, K.Key_L)
    panel = console.log_panel
    assert panel.text.hasFocus()
    panel.kind.setCurrentIndex(panel.kind.findData(LogKind.COMMUNICATION))
    _ime(panel.text, "已电话报告市应急局")
    qtbot.keyClick(panel.text, K.Key_Return)
    last = console.snapshot.log[-1]
    assert last.text == "已电话报告市应急局" and last.kind is LogKind.COMMUNICATION
    assert panel.model.data(panel.model.index(panel.model.rowCount() - 1, 3)) == "Communication"

    # Ctrl+T: a task for customs; Ctrl+J to the tasks, P then D moves it on
    def task(dialog):
        _ime(dialog.text, "核查货物申报单")
        _ime(dialog.person, "方超刚")
        dialog.branch.setCurrentIndex(dialog.branch.findText("Customs"))
        qtbot.keyClick(dialog.person, K.Key_Return)

    when_modal(task)
    activate(qtbot, console)
    _chord(qtbot, checklist, K.Key_T, CTRL)
    tasks = console.snapshot.tasks
    assert [(t.text, t.assignee, t.status) for t in tasks] == [("核查货物申报单", "方超刚", ActionStatus.OPEN)]
    activate(qtbot, console)
    _chord(qtbot, checklist, K.Key_J, CTRL)
    assert console.tasks.hasFocus()
    qtbot.keyClick(console.tasks, K.Key_P)
    qtbot.keyClick(console.tasks, K.Key_D)
    assert console.snapshot.tasks[0].status is ActionStatus.DONE

    # Ctrl+H: the hand-over naming both officers; the save dialog cancelled, then Ctrl+Shift+H saves the sheet
    sheet = tmp_path / "handover.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))

    def hand_over(dialog):
        _ime(dialog.to_officer, "李早班")
        qtbot.keyClick(dialog.to_officer, K.Key_Return)

    when_modal(hand_over)
    activate(qtbot, console)
    checklist.setFocus()
    _chord(qtbot, checklist, K.Key_H, CTRL)
    assert console.snapshot.log[-1].kind is LogKind.HANDOVER and "李早班" in console.snapshot.log[-1].text
    assert "no sheet saved" in console.notice.text() and not sheet.exists()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), "PDF files (*.pdf)"))
    handovers = sum(1 for e in console.snapshot.log if e.kind is LogKind.HANDOVER)
    activate(qtbot, console)
    checklist.setFocus()
    _chord(qtbot, checklist, K.Key_H, CTRL | SHIFT)
    assert sum(1 for e in console.snapshot.log if e.kind is LogKind.HANDOVER) == handovers, "only the sheet"
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    open_item = next(i for i in console.snapshot.items if i.open and not i.not_required)
    assert "李早班" in text and console.snapshot.number in text
    assert open_item.row.text[:6] in text.replace("\n", "")
    assert "Hand-over sheet saved" in console.notice.text()

    # Ctrl+R: the reports; Ctrl+N drafts the initial report from the log, Ctrl+S saves, Ctrl+I issues it
    activate(qtbot, console)
    _chord(qtbot, checklist, K.Key_R, CTRL)
    reports = console.findChildren(ReportsDialog)
    assert len(reports) == 1
    dialog = reports[0]
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    _chord(qtbot, dialog, K.Key_N, CTRL)
    assert dialog.form.report is not None and dialog.form.editable
    qtbot.keyClicks(dialog.form.editors["reporter"], "zhao")
    _chord(qtbot, dialog, K.Key_S, CTRL)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _chord(qtbot, dialog, K.Key_I, CTRL)
    issued = [r for r in console.incidents.snapshot(console.incident_id).reports if r.number == 1]
    assert issued and issued[0].kind is ReportKind.INITIAL and issued[0].status is IncidentReportStatus.ISSUED
    qtbot.keyClick(dialog, K.Key_Escape)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: any(e.kind is LogKind.REPORT for e in console.snapshot.log))

    # Ctrl+Shift+D: stand down with the summary; the checklist and the log close, the review opens
    def stand_down(dialog):
        _ime(dialog.summary, "泄漏已处置完毕，现场恢复通关")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    activate(qtbot, console)  # first: waiting for the window to be active runs the event loop
    when_modal(stand_down)
    _chord(qtbot, checklist, K.Key_D, CTRL | SHIFT)
    snap = console.snapshot
    assert snap.status is IncidentStatus.STOOD_DOWN and snap.summary == "泄漏已处置完毕，现场恢复通关"
    assert not console.log_panel.text.isEnabled() and not console.buttons["level"].isEnabled()
    assert console.buttons["reports"].isEnabled() and console.buttons["review"].isEnabled()
    still_open = next(n for n, v in enumerate(model.items) if v.row.state is ItemState.OPEN)
    checklist.select_row(still_open)
    qtbot.keyClick(checklist, K.Key_Space)
    assert console.snapshot.items[still_open].row.state is ItemState.OPEN
    assert "stood down" in console.notice.text()
    opened: list[ReviewEditor] = []
    window.review_opener.opened.connect(opened.append)
    activate(qtbot, console)
    _chord(qtbot, checklist, K.Key_R, CTRL | SHIFT)
    assert len(opened) == 1, "the review, made for the stood-down incident"
    qtbot.waitUntil(lambda: opened[0].doc is not None)
    assert opened[0].doc.real and opened[0].doc.overview.incident_id == snap.id
    opened[0].close()
    assert incidents.snapshot(snap.id).status is IncidentStatus.STOOD_DOWN


def test_two_desks_the_second_to_tick_is_told_who_ticked_it_when(qtbot, window, demo_world, monkeypatch):
    incidents = demo_world.services.incidents
    plan = incidents.activatable_plans("QH-YA-05")[0]
    incident_id = incidents.open_incident(None, "危化品泄漏", plan_id=plan.plan_id, level=3)
    window.incident_desk.open_incident(incident_id)
    console = window.incident_desk.consoles[incident_id]
    item = console.model.items[0].row

    feed = open_feed(demo_world.db)
    if isinstance(feed, ListeningFeed):
        feed.include_own = True  # both "desks" live in this one test process
    watcher = ChangeWatcher(feed, interval_ms=50)
    seen: list = []
    watcher.changed.connect(seen.append)
    watcher.poll()
    other = Database.open(demo_world.db.url)  # the border station's duty room
    try:
        desk = Services(other, demo_world.actor)
        desk.runs.tick(item.id, expected_version=desk.runs.version_of(ChecklistEntry, item.id))
        task_id = desk.incidents.add_task(incident_id, "customs", "封存货物样本")
    finally:
        other.dispose()

    # this desk has not seen it yet and ticks the same item: told who ticked it and when
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    console.checklist.select_row(0)
    console.act("done")
    assert warned and "already ticked by" in warned[0], warned
    assert "already ticked by" in console.notice.text()
    row = console.model.row_of(item.id)
    assert console.model.items[row].row.state is ItemState.DONE  # read again after the refusal

    # and the other desk's task arrives through the change feed, with no key pressed here
    qtbot.waitUntil(lambda: (watcher.poll(), bool(seen))[1], timeout=5000)
    watcher.close()
    assert [t.id for t in console.snapshot.tasks] == [task_id]
    assert console.tasks.rowCount() == 1


def test_the_incidents_area_lists_by_alarm_filters_by_status_and_enter_opens_the_console(qtbot, window, demo_world,
                                                                                       demo_clock):
    from drillapp.ui.pages.areas import AreaPage

    incidents = demo_world.services.incidents
    first = incidents.open_incident(None, "旅检大厅可疑包裹", alarm_at=demo_clock() - timedelta(hours=3))
    incidents.stand_down(first, "误报")
    second = incidents.open_incident(None, "货运通道危化品泄漏", alarm_at=demo_clock() - timedelta(minutes=20))
    window.show_area("incidents")
    page = window.page("incidents")
    assert isinstance(page, AreaPage)
    listing = page.lists[0]
    assert [listing.model.row_id(r) for r in range(listing.model.rowCount())] == [second, first]
    alarm = to_local(demo_clock() - timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M")
    assert listing.model.data(listing.model.index(0, 1)) == alarm
    window.incident_filters.status.setCurrentIndex(window.incident_filters.status.findData(IncidentStatus.ACTIVE))
    assert [listing.model.row_id(r) for r in range(listing.model.rowCount())] == [second]
    listing.table.selectRow(0)
    listing.table.setFocus()
    activate(qtbot, window)
    qtbot.keyClick(listing.table, K.Key_Return)
    assert list(window.incident_desk.consoles) == [second]


def _open(window, demo_world, level: int = 3) -> IncidentConsole:
    incidents = demo_world.services.incidents
    plan = incidents.activatable_plans("QH-YA-05")[0]
    incident_id = incidents.open_incident(None, "危化品泄漏", plan_id=plan.plan_id, level=level)
    window.incident_desk.open_incident(incident_id)
    return window.incident_desk.consoles[incident_id]


def test_after_de_escalation_the_open_items_stay_greyed_not_required_and_can_still_be_ticked(qtbot, window,
                                                                                             demo_world):
    from drillapp.ui.console.checklist import STATE
    from drillapp.ui.incidents.checklist import GREY_TEXT

    console = _open(window, demo_world, level=2)
    snap = console.snapshot
    console.services.incidents.set_level(snap.id, 3, "泄漏已控制", expected_version=snap.row_version)
    console.reload()
    model = console.model
    greyed = [n for n in range(model.rowCount()) if not model.is_required(n)]
    assert greyed, "the level II actions are kept"
    row = greyed[0]
    assert "not required at this level" in model.data(model.index(row, STATE))
    assert model.data(model.index(row, STATE), Qt.ItemDataRole.ForegroundRole).color().name() == GREY_TEXT
    required = [n for n in range(model.rowCount()) if model.is_required(n)]
    assert max(required) < min(greyed), "the required items first"
    item_id = model.items[row].row.id
    console.checklist.select_row(row)
    activate(qtbot, console)
    qtbot.keyClick(console.checklist, K.Key_Space)
    assert console.snapshot.item(item_id).row.state is ItemState.DONE
    assert "降级至Ⅲ级响应（泄漏已控制）" in console.snapshot.log[-1].text


def test_activation_says_what_is_wrong_and_writes_nothing(qtbot, window, demo_world, monkeypatch):
    from sqlalchemy import select

    from drillapp.models import PlanVersion
    from drillapp.models.enums import PlanStatus

    services = demo_world.services
    dialog = ActivateIncidentDialog(services.incidents, services.scope.zone, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "YA-05")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    assert "title" in dialog.error.text() and dialog.incident_id is None

    # the plan is retired at another desk while the form is open: refused in words, nothing written
    plan = dialog.chosen_plan()
    with demo_world.db.session() as s:
        approved = s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan.plan_id,
                                                         PlanVersion.status == PlanStatus.APPROVED))
    services.revisions.retire(plan.plan_id, expected_version=services.plans.version_of(PlanVersion, approved))
    _ime(dialog.title, "货运通道危化品泄漏")
    ok.click()
    assert "retired" in dialog.error.text() and dialog.incident_id is None
    assert services.incidents.incidents() == []

    # Esc with something typed asks first
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    dialog.show()
    qtbot.keyClick(dialog, K.Key_Escape)
    assert asked and dialog.isVisible()


def test_an_incident_not_stood_down_reopens_after_a_restart(qtbot, window, demo_world, demo_clock):
    from drillapp.ui.main_window import MainWindow

    console = _open(window, demo_world)
    incident_id = console.incident_id
    qtbot.keyClick(console.checklist, K.Key_Space)
    demo_clock.advance(minutes=7)
    window.close()

    again = MainWindow(demo_world.services)
    qtbot.addWidget(again)
    again.show()
    again.incident_desk.reopen_active()
    reopened = again.incident_desk.consoles[incident_id]
    assert reopened.snapshot.items[0].row.state is ItemState.DONE
    assert reopened.header.elapsed.text() == "0:07:00", "the clock counts from the alarm"


def test_ctrl_shift_m_calls_out_the_on_call_team_and_arrivals_reach_the_incident(qtbot, window, demo_world,
                                                                                  monkeypatch):
    from drillapp.ui.team.callout_page import CalloutPage

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    console = _open(window, demo_world)
    on_call = [m.name for m in console.on_call.current.members]
    activate(qtbot, console)
    _chord(qtbot, console.checklist, K.Key_M, CTRL | SHIFT)
    page = console.callout_window
    assert isinstance(page, CalloutPage) and page.isVisible() and not page.start_box.isVisible()
    assert sorted(c.name for c in console.snapshot.called) == sorted(on_call)
    assert page.test is not None and page.table.rowCount() == len(on_call)
    page.table.setCurrentCell(0, 0)
    arrived = page.member_row(0).name
    qtbot.keyClick(page.table, K.Key_R)  # the panel's own key: arrived; the console reads again by itself
    assert [c.name for c in console.snapshot.on_scene] == [arrived]
    assert arrived in console.snapshot.log[-1].text
    assert console.called.item(0).text().startswith(arrived)
