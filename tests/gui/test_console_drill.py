"""The drill console driven by keyboard as a duty officer would: launch from the Drills area (asked first, it
is days early), tick with Space / N / S, a note, a log line with L, the muster with M, pause and resume (the
clock stops), an item turning amber then red as the clock runs, the inject popping up without taking the
keyboard and marked delivered with F6, a back-timed tick, end with Ctrl+Shift+E, the hot wash; then what the
database holds. And reopening: a new main window shows the running drill as it was."""

from __future__ import annotations

from datetime import timedelta

from helpers.console_ui import activate, first_planned, release_modifiers, when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTimeEdit
from sqlalchemy import select

from drillapp.clock import to_local
from drillapp.models import ChecklistEntry, DrillRun, Finding, HotWashNote, LogEntry, RunInject
from drillapp.models.enums import DrillKind, FindingSource, InjectStatus, ItemState, LogKind, RunStatus
from drillapp.services.run_view import ItemStatus
from drillapp.ui.console.window import MUSTER_LINE, RunConsole
from drillapp.ui.pages.areas import AreaPage

K = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _launch_from_drills_area(qtbot, window, drill_id: int, monkeypatch) -> RunConsole:
    asked: list[str] = []

    def yes(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.show_area("drills")
    page = window.page("drills")
    assert isinstance(page, AreaPage)
    drills = page.lists[0]
    row = next(r for r in range(drills.model.rowCount()) if drills.model.row_id(r) == drill_id)
    drills.table.selectRow(row)
    drills.table.setFocus()
    window.activateWindow()
    qtbot.keyClick(drills.table, K.Key_L, CTRL | SHIFT)
    release_modifiers(qtbot, drills.table)
    assert asked and "minutes from now" in asked[0], "starting days before its time asks first"
    consoles = window.consoles.consoles
    assert len(consoles) == 1
    console = next(iter(consoles.values()))
    assert isinstance(console, RunConsole)
    qtbot.waitExposed(console)
    return console


def _states(db, run_id: int) -> dict[int, ChecklistEntry]:
    with db.session() as s:
        return {e.id: e for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}


def test_a_short_drill_by_keyboard(qtbot, window, demo_world, demo_clock, monkeypatch):
    db = demo_world.db
    drill_id = first_planned(db, DrillKind.LIVE)
    console = _launch_from_drills_area(qtbot, window, drill_id, monkeypatch)
    run_id = console.run_id
    model, checklist = console.model, console.checklist
    assert console.header.banner.text() == "演练  DRILL"
    assert console.header.elapsed.text() == "0:00:00"
    assert model.rowCount() >= 4
    assert console.focusWidget() is checklist  # the console opens with the keyboard on the checklist
    items = [v.row for v in model.items]

    # Space: done (the row shows done once the commit returned), N: not applicable, S: skipped with a reason
    checklist.select_row(0)
    demo_clock.advance(minutes=1)
    qtbot.keyClick(checklist, K.Key_Space)
    assert model.items[0].row.state is ItemState.DONE and model.items[0].row.done_by
    assert checklist.current_row() == 1, "the selection moves on to the next item"
    qtbot.keyClick(checklist, K.Key_N)
    assert model.items[1].row.state is ItemState.NOT_APPLICABLE

    def give_reason(dialog):
        text = dialog.findChild(QLineEdit, "itemDialogText")
        qtbot.keyClicks(text, "No <vehicle> & crew today")
        qtbot.keyClick(text, K.Key_Return)

    when_modal(give_reason)
    qtbot.keyClick(checklist, K.Key_S)
    assert model.items[2].row.state is ItemState.SKIPPED and model.items[2].row.reason == "No <vehicle> & crew today"
    # R reopens the not-applicable one
    checklist.select_row(1)
    qtbot.keyClick(checklist, K.Key_R)
    assert model.items[1].row.state is ItemState.OPEN

    # Enter: a note on the item
    def write_note(dialog):
        text = dialog.findChild(QLineEdit, "itemDialogText")
        text.insert("油罐车已就位")  # typed by an input method
        qtbot.keyClick(text, K.Key_Return)

    when_modal(write_note)
    qtbot.keyClick(checklist, K.Key_Return)
    assert model.items[1].row.note == "油罐车已就位"

    # L: a log line tagged with the branch of the current item, typed and logged with Enter
    qtbot.keyClick(checklist, K.Key_L)
    entry = console.log_panel.text
    assert console.focusWidget() is entry
    assert console.log_panel.branch.currentData() is items[1].agency
    entry.insert("旅检大厅已封控")
    qtbot.keyClick(entry, K.Key_Return)
    assert entry.text() == ""
    assert console.focusWidget() is checklist
    assert console.log_panel.model.texts()[-1] == "旅检大厅已封控"
    # M: the team's muster
    qtbot.keyClick(checklist, K.Key_M)
    assert console.log_panel.model.texts()[-1] == MUSTER_LINE

    # the clock runs: an open item with a target turns amber near it, red past it
    timed = next(v for v in model.items if v.row.state is ItemState.OPEN and v.row.target_minutes)
    target = timed.row.target_minutes
    demo_clock.advance(minutes=target - 1 - 1)  # a minute before its target (one minute had passed)
    console.tick_clock()
    assert model.items[model.row_of(timed.row.id)].status is ItemStatus.AMBER
    demo_clock.advance(minutes=2)
    console.tick_clock()
    row = model.row_of(timed.row.id)
    assert model.items[row].status is ItemStatus.RED
    assert model.data(model.index(row, 5)).startswith("−")

    # pause: the clock stops (and the targets with it), then resume
    shown = console.header.elapsed.text()
    activate(qtbot, console)
    qtbot.keyClick(checklist, K.Key_P, CTRL | SHIFT)
    release_modifiers(qtbot, checklist)
    assert console.view.clock.paused_since is not None and "PAUSED" in console.header.state.text()
    demo_clock.advance(minutes=10)
    console.tick_clock()
    assert console.header.elapsed.text() == shown
    qtbot.keyClick(checklist, K.Key_P, CTRL | SHIFT)
    release_modifiers(qtbot, checklist)
    assert console.view.clock.running

    # the inject pops up when due, without taking the keyboard; F6 marks it delivered
    inject = console.snapshot.injects[0]
    elapsed_min = console.view.clock.elapsed_seconds / 60
    if inject.due_minutes > elapsed_min:
        demo_clock.advance(minutes=inject.due_minutes - elapsed_min + 0.5)
    console.tick_clock()
    assert console.injects.due_box.isVisible() and inject.info.message in console.injects.due_text.text()
    assert console.focusWidget() is checklist, "the inject does not steal the keyboard"
    activate(qtbot, console)
    qtbot.keyClick(checklist, K.Key_F6)
    assert not console.injects.due_box.isVisible()

    # Shift+Space: done earlier, at the time it happened (from a paper sheet)
    open_row = next(n for n, v in enumerate(model.items) if v.row.state is ItemState.OPEN and n > 2)
    checklist.select_row(open_row)
    back = to_local(demo_clock() - timedelta(minutes=3))

    def give_time(dialog):
        when = dialog.findChild(QTimeEdit, "itemDialogWhen")
        when.setTime(when.time().fromString(back.strftime("%H:%M"), "HH:mm"))
        qtbot.keyClick(dialog.findChild(QLineEdit, "itemDialogText"), K.Key_Return)

    when_modal(give_time)
    qtbot.keyClick(checklist, K.Key_Space, SHIFT)
    release_modifiers(qtbot, checklist)
    back_timed = model.items[open_row].row
    assert back_timed.state is ItemState.DONE and back_timed.back_timed
    assert to_local(back_timed.done_at).strftime("%H:%M") == back.strftime("%H:%M")

    # Ctrl+Shift+E: end (asked), then the hot wash
    activate(qtbot, console)
    qtbot.keyClick(checklist, K.Key_E, CTRL | SHIFT)
    release_modifiers(qtbot, checklist)
    assert console.snapshot.status is RunStatus.ENDED and not console.timer.isActive()
    hot_wash = console.hot_wash
    assert hot_wash is not None and hot_wash.isVisible()
    hot_wash.branch.setCurrentIndex(2)
    hot_wash.to_improve.setChecked(True)
    hot_wash.text.insertPlainText("隔离观察室开设偏慢 <19 分钟>")
    activate(qtbot, hot_wash)
    qtbot.keyClick(hot_wash.text, K.Key_Return, CTRL)
    release_modifiers(qtbot, hot_wash.text)
    assert hot_wash.notes.count() == 1 and hot_wash.review_id is not None
    # a tick after the end is refused, and nothing changes
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    checklist.select_row(open_row)
    qtbot.keyClick(checklist, K.Key_R)
    assert model.items[open_row].row.state is ItemState.DONE

    # the database afterwards
    states = _states(db, run_id)
    assert states[items[0].id].state is ItemState.DONE
    assert states[items[1].id].state is ItemState.OPEN and states[items[1].id].note == "油罐车已就位"
    assert states[items[2].id].state is ItemState.SKIPPED
    assert states[back_timed.id].done_at < states[back_timed.id].recorded_at
    with db.session() as s:
        run = s.get(DrillRun, run_id)
        assert run.status is RunStatus.ENDED
        log = list(s.scalars(select(LogEntry).where(LogEntry.drill_run_id == run_id).order_by(LogEntry.seq)))
        kinds = [e.kind for e in log]
        assert LogKind.PAUSE in kinds and LogKind.RESUME in kinds and LogKind.MUSTER in kinds
        assert any(e.text == "旅检大厅已封控" and e.agency is items[1].agency for e in log)
        assert s.scalar(select(RunInject.status).where(RunInject.drill_run_id == run_id)) is InjectStatus.DELIVERED
        note = s.scalar(select(HotWashNote).where(HotWashNote.review_id == hot_wash.review_id))
        finding = s.get(Finding, note.finding_id)
        assert finding.draft and finding.source is FindingSource.HOT_WASH and finding.text == "隔离观察室开设偏慢 <19 分钟>"
    assert demo_world.services.console.verify_log(run_id).intact
    assert QApplication.activeModalWidget() is None


def test_a_running_drill_reopens_as_it_was(qtbot, window, demo_world, demo_clock, monkeypatch):
    from drillapp.ui.main_window import MainWindow

    drill_id = first_planned(demo_world.db, DrillKind.LIVE)
    console = _launch_from_drills_area(qtbot, window, drill_id, monkeypatch)
    qtbot.keyClick(console.checklist, K.Key_Space)
    done_id = console.model.items[0].row.id
    demo_clock.advance(minutes=7)
    window.close()  # the app goes (the run does not end)

    again = MainWindow(demo_world.services)
    qtbot.addWidget(again)
    again.show()
    again.consoles.reopen_running()
    reopened = again.consoles.consoles[console.run_id]
    assert isinstance(reopened, RunConsole)
    assert reopened.model.items[reopened.model.row_of(done_id)].row.state is ItemState.DONE
    assert reopened.header.elapsed.text() == "0:07:00", "the clock counts from the real start"
