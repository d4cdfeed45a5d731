"""The drill designer, driven as a coordinator would from the Drills area's calendar: a new drill designed by
keys and clicks (kind, plan, level, an objective tied to an action, a participant, two injects), saved and
reopened; one occurrence of a series edited alone; a start in a blocked period refused naming the period;
undo, Esc, postponing, the MSEL sheet's problem report and launching from the designer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from drillapp.clock import to_local
from drillapp.models.enums import DrillKind, DrillStatus, ParticipantRole
from drillapp.ui.drills import designer as designer_module
from drillapp.ui.drills.calendar_page import CalendarPage
from drillapp.ui.drills.designer import DrillDesigner
from drillapp.ui.drills.designer_msel import ProblemReport


def _calendar(window) -> CalendarPage:
    window.show_area("drills")
    page = window.page("drills")
    cal = window.drill_calendar
    page.tabs.setCurrentWidget(cal)
    cal.set_mode("month")
    return cal


def _free_day(window, after: date) -> date:
    """A weekday with no drill, not blocked, after `after`."""
    sv = window.services
    taken = {to_local(r.start).date() for r in sv.drills.drills_between(after, after + timedelta(days=60))}
    blocked = sv.port_calendar.days(after, after + timedelta(days=60)).blocked_days()
    return next(d for d in (after + timedelta(days=n) for n in range(1, 60))
                if d.weekday() < 5 and d not in taken and d not in blocked)


def _only_designer(window, qtbot=None) -> DrillDesigner:
    designers = list(window.designers.designers.values())
    assert len(designers) == 1, designers
    if qtbot is not None:  # its keyboard shortcuts (Ctrl+S, Ctrl+Z) work in the active window
        designers[0].activateWindow()
        qtbot.waitUntil(designers[0].isActiveWindow)
    return designers[0]


def _new_designer(window, qtbot, day: date) -> DrillDesigner:
    cal = _calendar(window)
    cal.go_to(day, "month")
    cal.grid.selected_day = day
    cal.grid.setFocus()
    qtbot.keyClick(cal.grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    designer = _only_designer(window, qtbot)
    return designer


def _type_cell(qtbot, table, row: int, column: int, text: str) -> None:
    table.setCurrentCell(row, column)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.window().focusWidget()
    assert editor is not table, "F2 opened the cell's editor"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _choose(qtbot, combo, text_part: str) -> None:
    """Pick an item of a combo box by keyboard, as a person does: focus it, press Down until it is shown."""
    combo.setFocus()
    target = next(i for i in range(combo.count()) if text_part in combo.itemText(i))
    if combo.currentIndex() > target:
        combo.setCurrentIndex(0)
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_design_a_drill_by_keyboard_and_clicks_then_reopen_it(window, qtbot) -> None:
    sv = window.services
    day = _free_day(window, sv.drills.today() + timedelta(days=14))
    d = _new_designer(window, qtbot, day)
    assert to_local(d.content.start).date() == day and to_local(d.content.start).hour == 9

    qtbot.keyClicks(d.details.title, "Tabletop <A&B> \"quoted\"")
    qtbot.keyClick(d.details.title, Qt.Key.Key_Tab)
    _choose(qtbot, d.details.kind, "Functional")
    plan = next(p for p in d.details.plans if p.levels)
    _choose(qtbot, d.details.plan, plan.code)
    _choose(qtbot, d.details.level, "III" if 3 in plan.levels else "")
    assert d.content.kind is DrillKind.FUNCTIONAL and d.content.plan_id == plan.id
    level = d.content.level
    assert level is not None

    d.tabs.setCurrentWidget(d.objectives)
    qtbot.mouseClick(d.objectives.table.add_button, Qt.MouseButton.LeftButton)
    _type_cell(qtbot, d.objectives.table.table, 0, 0, "Muster within 15 minutes")
    assert d.objectives.action_list.count() > 0, "the plan's actions are offered"
    first = d.objectives.action_list.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    assert d.content.objectives[0].text == "Muster within 15 minutes"
    assert d.content.objectives[0].action_ids == (first.data(Qt.ItemDataRole.UserRole),)

    d.tabs.setCurrentWidget(d.people)
    assert d.people.team.topLevelItemCount() > 0, "the team is listed for the drill's day"
    member_item = d.people.team.topLevelItem(0)
    member_id = member_item.data(0, Qt.ItemDataRole.UserRole)
    d.people.team.setCurrentItem(member_item)
    _choose(qtbot, d.people.role, "Evaluator")
    qtbot.mouseClick(d.people.add_member_button, Qt.MouseButton.LeftButton)
    assert [(p.member_id, p.role) for p in d.content.participants] == [(member_id, ParticipantRole.EVALUATOR)]

    d.tabs.setCurrentWidget(d.script)
    table = d.script.table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    table.table.setCurrentCell(0, 0)
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    assert len(d.content.injects) == 2
    _type_cell(qtbot, table.table, 0, 6, "Fire alarm in hall 2 & <smoke>")
    _type_cell(qtbot, table.table, 1, 1, "20")
    _type_cell(qtbot, table.table, 1, 6, "Press asks for a statement")
    assert [i.offset_minutes for i in d.content.injects] == [0, 20]
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)  # a third at minute 20, then moved up
    _type_cell(qtbot, table.table, 2, 6, "Second alarm")
    _type_cell(qtbot, table.table, 2, 1, "20")
    table.table.setCurrentCell(2, 6)
    assert d.content.injects[2].offset_minutes == 20
    qtbot.mouseClick(table.up_button, Qt.MouseButton.LeftButton)
    assert [(i.number, i.message) for i in d.content.injects] == [
        (1, "Fire alarm in hall 2 & <smoke>"), (2, "Second alarm"), (3, "Press asks for a statement")]
    qtbot.mouseClick(table.up_button, Qt.MouseButton.LeftButton)  # not before minute 0: the minute comes first
    assert [i.message for i in d.content.injects][0] == "Fire alarm in hall 2 & <smoke>"
    table.table.setCurrentCell(0, 0)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(d, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the removal
    assert len(d.content.injects) == 3
    table.table.setCurrentCell(1, 0)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)  # "Second alarm" goes

    qtbot.keyClick(d, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert d.design is not None, f"not saved: {d.problem.text()!r} active={d.isActiveWindow()}"
    drill_id = d.design.id
    assert not d.dirty
    saved = sv.drills.design(drill_id).content
    assert saved.title == "Tabletop <A&B> \"quoted\"" and saved.kind is DrillKind.FUNCTIONAL
    assert saved.plan_id == plan.id and saved.level == level
    assert [o.text for o in saved.objectives] == ["Muster within 15 minutes"]
    assert len(saved.objectives[0].action_ids) == 1
    assert [p.member_id for p in saved.participants] == [member_id]
    assert [i.message for i in saved.injects] == ["Fire alarm in hall 2 & <smoke>", "Press asks for a statement"]

    qtbot.keyClick(d, Qt.Key.Key_Escape)  # nothing unsaved: it closes without asking
    assert not window.designers.designers

    cal = window.drill_calendar
    cal.go_to(day, "month")
    assert drill_id in [r.id for r in cal.grid.drills.get(day, [])], "the calendar shows the new drill"
    qtbot.mouseDClick(cal.grid, Qt.MouseButton.LeftButton, pos=cal.grid.chip_centre(drill_id))
    again = _only_designer(window, qtbot)
    assert again.design is not None and again.design.id == drill_id
    assert again.details.title.text() == "Tabletop <A&B> \"quoted\""
    assert again.script.table.table.item(0, 6).text() == "Fire alarm in hall 2 & <smoke>"
    assert again.objectives.table.table.item(0, 0).text() == "Muster within 15 minutes"


def test_editing_one_occurrence_of_a_series_leaves_the_others(window, qtbot) -> None:
    sv = window.services
    rows = [r for r in sv.drills.drills_between(sv.drills.today(), sv.drills.today() + timedelta(days=365))
            if r.series_id is not None and not r.detached and r.status is DrillStatus.PLANNED]
    assert len(rows) >= 3, "the demo has a monthly series"
    one = rows[1]
    others = {r.id: (r.title, r.start) for r in rows if r.id != one.id and r.series_id == one.series_id}
    _calendar(window)
    window.drill_calendar.open_drill.emit(one.id)
    d = _only_designer(window, qtbot)
    assert "series" in d.heading.text()
    d.details.title.setFocus()
    d.details.title.selectAll()
    qtbot.keyClicks(d.details.title, "Moved to the night shift")
    qtbot.keyClick(d.details.title, Qt.Key.Key_Return)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert sv.drills.design(one.id).content.title == "Moved to the night shift"
    assert sv.drills.design(one.id).detached
    info = sv.series.series(one.series_id)
    for r in info.occurrences:
        if r.id in others:
            assert (r.title, r.start) == others[r.id], "the other occurrences are as they were"


def test_a_start_in_a_blocked_period_is_refused_naming_it(window, qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    sv = window.services
    year = sv.drills.today().year
    d = _new_designer(window, qtbot, _free_day(window, sv.drills.today() + timedelta(days=7)))
    qtbot.keyClicks(d.details.title, "National Day check")
    d.details.start.setFocus()
    d.details.start.setDateTime(datetime(year, 10, 3, 10, 0))
    qtbot.keyClick(d.details.start, Qt.Key.Key_Return)
    assert to_local(d.content.start) == datetime(year, 10, 3, 10, 0), "the start is the port's time"
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.design is None, "nothing was saved"
    assert shown and "国庆" in shown[0], shown
    assert "国庆" in d.problem.text()
    assert not [r for r in sv.drills.drills_between(date(year, 10, 3), date(year, 10, 3))
                if r.title == "National Day check"]


def test_undo_redo_and_esc_asks_before_discarding(window, qtbot, monkeypatch) -> None:
    sv = window.services
    d = _new_designer(window, qtbot, _free_day(window, sv.drills.today() + timedelta(days=7)))
    qtbot.keyClicks(d.details.title, "First")
    qtbot.keyClick(d.details.title, Qt.Key.Key_Tab)
    _choose(qtbot, d.details.kind, "Live")
    assert d.content.kind is DrillKind.LIVE and d.dirty
    qtbot.keyClick(d, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert d.content.kind is DrillKind.TABLETOP and d.details.kind.currentData() is DrillKind.TABLETOP
    qtbot.keyClick(d, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert d.content.kind is DrillKind.LIVE

    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or answer[0])
    qtbot.keyClick(d, Qt.Key.Key_Escape)
    assert asked and d.isVisible(), "Esc asks; Cancel keeps the window and its edits"
    answer[0] = QMessageBox.StandardButton.Discard
    qtbot.keyClick(d, Qt.Key.Key_Escape)
    assert not d.isVisible() and not window.designers.designers
    assert not [r for r in sv.drills.drills_between(sv.drills.today(), sv.drills.today() + timedelta(days=90))
                if r.title == "First"]


def test_a_drill_changed_at_another_desk_is_a_conflict_offering_reload(window, qtbot, monkeypatch) -> None:
    from dataclasses import replace

    sv = window.services
    drill_id = _saved_tabletop(window)
    _calendar(window)
    window.drill_calendar.open_drill.emit(drill_id)
    d = _only_designer(window, qtbot)
    d.details.location.setFocus()
    d.details.location.selectAll()
    qtbot.keyClicks(d.details.location, "Berth 3")
    qtbot.keyClick(d.details.location, Qt.Key.Key_Return)
    assert d.dirty
    theirs = sv.drills.design(drill_id)  # the other desk saves first (not announced on this desk's bus)
    sv.drills.save_design(drill_id, theirs.row_version, replace(theirs.content, location="Gate 5"))
    asked: list[str] = []
    monkeypatch.setattr(designer_module, "ask_reload", lambda exc, *_a: asked.append(exc.message) or True)
    qtbot.keyClick(d, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked, "the save met the other desk's change"
    assert sv.drills.design(drill_id).content.location == "Gate 5", "theirs is kept"
    assert d.details.location.text() == "Gate 5" and not d.dirty, "reloaded"


def test_ten_thousand_characters_of_scenario_are_kept_exactly(window, qtbot) -> None:
    sv = window.services
    d = _new_designer(window, qtbot, _free_day(window, sv.drills.today() + timedelta(days=21)))
    qtbot.keyClicks(d.details.title, "Long scenario")
    text = ("<b>台风 & \"浪涌\"</b> 'quoted' \n" * 400)[:10_000]
    d.details.scenario.setFocus()
    d.details.scenario.setPlainText(text)
    qtbot.keyClick(d, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # saving takes the text being typed
    assert d.design is not None
    assert sv.drills.design(d.design.id).content.scenario_text == text
    assert d.details.scenario.toPlainText() == text


def test_the_picker_shows_who_is_on_call_or_lapsed_on_the_drills_day(window, qtbot) -> None:
    sv = window.services
    rows = [r for r in sv.drills.drills_between(sv.drills.today(), sv.drills.today() + timedelta(days=120))
            if r.status is DrillStatus.PLANNED]

    def first(flag):
        for r in rows:
            found = [c for c in sv.participants.candidates(r.start, r.duration_minutes) if flag(c)]
            if found:
                return r.id, found[0]
        raise AssertionError("the demo has such a member on some drill's day")

    _calendar(window)
    for flag, words in ((lambda c: c.on_call, "on call"), (lambda c: bool(c.lapsed), "certificate lapsed")):
        drill_id, member = first(flag)
        window.drill_calendar.open_drill.emit(drill_id)
        d = _only_designer(window, qtbot)
        d.tabs.setCurrentWidget(d.people)
        team = d.people.team
        item = next(team.topLevelItem(i) for i in range(team.topLevelItemCount())
                    if team.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == member.member_id)
        assert words in item.text(3), item.text(3)
        if not any(p.member_id == member.member_id for p in d.content.participants):
            team.clearSelection()
            item.setSelected(True)
            qtbot.mouseClick(d.people.add_member_button, Qt.MouseButton.LeftButton)
        assert member.name in d.people.summary.text(), "the chosen one is pointed out"
        d.ask_leave = lambda: True
        d.close()


def test_quitting_asks_about_a_design_left_unsaved(window, qtbot, monkeypatch) -> None:
    sv = window.services
    d = _new_designer(window, qtbot, _free_day(window, sv.drills.today() + timedelta(days=7)))
    qtbot.keyClicks(d.details.title, "Half done")
    qtbot.keyClick(d.details.title, Qt.Key.Key_Return)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.close()
    assert window.isVisible() and d.isVisible(), "Cancel keeps the app and the design open"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible() and not window.designers.designers


def _saved_tabletop(window) -> int:
    sv = window.services
    rows = [r for r in sv.drills.drills_between(sv.drills.today() + timedelta(days=1),
                                                sv.drills.today() + timedelta(days=365))
            if r.status is DrillStatus.PLANNED and r.kind is DrillKind.TABLETOP and r.series_id is None]
    return rows[0].id


def test_postpone_keeps_the_original_date_in_the_history(window, qtbot, monkeypatch) -> None:
    sv = window.services
    drill_id = _saved_tabletop(window)
    before = sv.drills.design(drill_id).content.start
    _calendar(window)
    window.drill_calendar.open_drill.emit(drill_id)
    d = _only_designer(window, qtbot)
    later = to_local(before) + timedelta(days=3)
    while sv.port_calendar.days(later.date(), later.date()).blocked_days():
        later += timedelta(days=1)
    monkeypatch.setattr(designer_module, "ask_postpone", lambda _p, _c: (later, "Crane <7> out of service"))
    qtbot.mouseClick(d.postpone_button, Qt.MouseButton.LeftButton)
    design = sv.drills.design(drill_id)
    assert design.content.status is DrillStatus.POSTPONED
    assert design.history[-1].old_start == before and design.history[-1].reason == "Crane <7> out of service"
    assert d.design is not None and d.design.content.status is DrillStatus.POSTPONED
    assert d.details.history.topLevelItemCount() >= 1


def test_msel_sheet_with_bad_rows_shows_the_problem_report(window, qtbot, monkeypatch, tmp_path) -> None:
    sv = window.services
    drill_id = _saved_tabletop(window)
    before = sv.drills.design(drill_id).content.injects
    sheet = tmp_path / "msel.csv"
    sheet.write_text("序号,时间（分钟）,内容\n1,0,开始\n2,abc,坏行\n3,99999,太晚\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))
    reports: list[str] = []
    monkeypatch.setattr(ProblemReport, "exec", lambda self: reports.append(self.lines.toPlainText()) or 0)
    _calendar(window)
    window.drill_calendar.open_drill.emit(drill_id)
    d = _only_designer(window, qtbot)
    d.tabs.setCurrentWidget(d.script)
    qtbot.mouseClick(d.script.import_button, Qt.MouseButton.LeftButton)
    assert reports and "row 3, 时间（分钟）" in reports[0] and "row 4" in reports[0], reports  # row and column named
    assert sv.drills.design(drill_id).content.injects == before, "nothing imported"

    good = tmp_path / "good.csv"
    good.write_text("No.,Minute,Message,From,To\n1,0,Start,导调组,边检\n2,10,Second <inject>,导调组,海关\n",
                    encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    qtbot.mouseClick(d.script.import_button, Qt.MouseButton.LeftButton)
    assert [i.message for i in sv.drills.design(drill_id).content.injects] == ["Start", "Second <inject>"]
    assert d.script.table.table.rowCount() == 2

    out = tmp_path / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(d.script.export_button, Qt.MouseButton.LeftButton)
    assert out.exists() and out.stat().st_size > 0


def test_launch_from_the_designer_opens_the_console(window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    drill_id = _saved_tabletop(window)
    _calendar(window)
    window.drill_calendar.open_drill.emit(drill_id)
    d = _only_designer(window, qtbot)
    assert d.launch_button.isVisible() and d.launch_button.isEnabled()
    qtbot.mouseClick(d.launch_button, Qt.MouseButton.LeftButton)
    assert window.consoles.consoles, "the console opened for the drill"
    for console in list(window.consoles.consoles.values()):
        qtbot.addWidget(console)


def test_coverage_matrix_shows_cells_and_opens_the_covering_drill(window, qtbot) -> None:
    window.show_area("drills")
    page = window.page("drills")
    cov = window.coverage_page
    page.tabs.setCurrentWidget(cov)
    matrix = cov.matrix
    assert matrix is not None and matrix.cells, "read when the tab is shown"
    table = cov.table
    assert table.rowCount() == len({(c.plan_id, c.level) for c in matrix.cells})
    assert table.columnCount() == len(matrix.branches)
    assert str(matrix.overdue_count) in cov.summary.text()
    cells = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
    scheduled = next(i for i in cells if i is not None and i.data(Qt.ItemDataRole.UserRole).scheduled)
    table.setCurrentItem(scheduled)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    d = _only_designer(window, qtbot)
    assert d.design is not None and d.design.id == scheduled.data(Qt.ItemDataRole.UserRole).scheduled[0]
    qtbot.mouseClick(cov.only_due, Qt.MouseButton.LeftButton)
    assert table.rowCount() <= len({(c.plan_id, c.level) for c in matrix.cells})


@pytest.fixture(autouse=True)
def _close_designers(window):
    yield
    for designer in list(getattr(window, "designers", None).designers.values()
                         if hasattr(window, "designers") else []):
        designer.ask_leave = lambda: True  # what a test leaves unsaved is dropped without asking
        designer.close()
