"""What a coordinator hit in the first week with plans (issue 14, items 1-5), driven through the real widgets:
a revision asks first and can be discarded, the version in force stays in the list and the editor, actions
in their order, windows that fit the screen, approval after review, spreadsheet typing and typed dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from drillapp.models.enums import PlanStatus, ResponsePhase
from drillapp.services.plan_document import action_order
from drillapp.ui import windows
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.plans import dialogs
from drillapp.ui.plans.compare import CompareDialog
from drillapp.ui.plans.editor import PlanEditor


def _plans_page(window) -> AreaPage:
    window.show_area("plans")
    page = window.page("plans")
    assert isinstance(page, AreaPage)
    return page


def _open_first_plan(window) -> PlanEditor:
    plans = _plans_page(window).lists[0]
    plans.table.selectRow(0)
    window.page("plans").findChild(QPushButton, "openPlan").click()
    return window.editors[plans.model.row_id(0)]


def _answer(monkeypatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *_a, **_k: (asked.append(title), answer)[1])
    return asked


def _list_row(window, plan_id: int) -> dict:
    plans = _plans_page(window).lists[0]
    plans.reload()
    row = next(r for r in range(plans.model.rowCount()) if plans.model.row_id(r) == plan_id)
    return {key: plans.model.index(row, c).data() for c, key in enumerate(plans.model.keys)}


def test_a_revision_asks_first_keeps_the_version_in_force_in_view_and_can_be_discarded(window, monkeypatch) -> None:
    editor = _open_first_plan(window)
    approved = editor.doc
    assert approved.status is PlanStatus.APPROVED

    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    editor.revise_action.trigger()
    assert asked == ["New revision"] and editor.doc.version_id == approved.version_id, "No: nothing made"

    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    draft = editor.doc
    assert (draft.number, draft.status) == (approved.number + 1, PlanStatus.DRAFT)
    chooser = editor.version_chooser
    assert [chooser.itemData(i) for i in range(chooser.count())] == [draft.version_id, approved.version_id]
    assert not editor.revise_action.isEnabled() and editor.discard_action.isEnabled()
    row = _list_row(window, approved.plan_id)
    assert (row["version"], row["draft"]) == (str(approved.number), str(draft.number)), "in force, draft beside it"
    assert row["status"] == "Approved"

    # the version in force: chosen in the editor, read-only, printable
    chooser.setCurrentIndex(chooser.findData(approved.version_id))
    chooser.activated.emit(chooser.currentIndex())
    assert editor.doc.version_id == approved.version_id and not editor.editable
    assert not editor.revise_action.isEnabled(), "its draft exists: reached from the version list"
    from drillapp.reports import plan_pdf
    from drillapp.ui.plans import print_preview

    printed: list[int | None] = []
    write = plan_pdf.write_plan_pdf
    monkeypatch.setattr(plan_pdf, "write_plan_pdf", lambda doc, *a, **k: (printed.append(doc.number),
                                                                           write(doc, *a, **k))[1])
    monkeypatch.setattr(print_preview.PlanPrintPreview, "exec", lambda self: 0)
    editor.print_action.trigger()
    assert printed == [approved.number], "the version in force goes to the printer, not the draft"

    # a window opened from the list shows the version in force
    editor.close()
    again = _open_first_plan(window)
    assert again.doc.version_id == approved.version_id

    again.version_chooser.setCurrentIndex(again.version_chooser.findData(draft.version_id))
    again.version_chooser.activated.emit(again.version_chooser.currentIndex())
    assert again.doc.version_id == draft.version_id and again.discard_action.isEnabled()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    again.discard_action.trigger()
    assert asked == ["Discard draft"]
    assert again.doc.version_id == approved.version_id, "back to the version in force"
    assert [v for v, _n, _s in window.services.plans.versions(approved.plan_id)][-1] == approved.version_id
    assert again.version_chooser.count() == len(window.services.plans.versions(approved.plan_id))
    assert again.revise_action.isEnabled()
    assert _list_row(window, approved.plan_id)["draft"] in (None, "")


def test_approve_waits_for_review_and_takes_typed_dates(window, qtbot, monkeypatch) -> None:
    editor = _open_first_plan(window)
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    assert not editor.approve_action.isEnabled()
    assert "review first" in editor.approve_action.toolTip()

    editor.submit_action.trigger()
    assert editor.approve_action.isEnabled()

    def typed(dialog: dialogs.ApproveDialog) -> QDialog.DialogCode:
        for field, text in ((dialog.effective, "2027-01-01"), (dialog.review, "2028-1-31")):
            field.setFocus()
            qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(field, text)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ApproveDialog, "exec", typed)
    editor.approve_action.trigger()
    assert editor.doc.status is PlanStatus.APPROVED
    assert (editor.doc.effective_on, editor.doc.review_due_on) == (date(2027, 1, 1), date(2028, 1, 31))


def test_the_actions_table_keeps_the_plans_order(window, monkeypatch) -> None:
    editor = _open_first_plan(window)
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    actions = editor.actions_table
    keys = lambda: [action_order(a)[:3] for a in actions.records]  # noqa: E731
    assert keys() == sorted(keys())

    actions.table.setCurrentCell(actions.table.rowCount() - 1, 0)  # after the last action (recovery …)
    actions.add_button.click()
    row = actions.table.currentRow()
    level_col = [c.key for c in actions.columns].index("level")
    actions.choose(row, level_col, 2)
    assert keys() == sorted(keys()), "a new action takes its place by level, phase and target, not the end"
    new = actions.records[actions.table.currentRow()]
    assert (new.text, new.level, new.phase) == ("New action", 2, ResponsePhase.FIRST_RESPONSE)
    editor.save_action.trigger()
    saved = window.services.plans.document(editor.doc.version_id)
    assert [a.text for a in saved.actions] == [a.text for a in actions.records]


def test_tables_edit_like_a_spreadsheet(window, qtbot, monkeypatch) -> None:
    editor = _open_first_plan(window)
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    editor.tabs.setCurrentWidget(editor.contacts)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    contacts = editor.contacts
    table = contacts.table
    keys = [c.key for c in contacts.columns]
    row, name_col = 0, keys.index("name")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentCell(row, name_col)

    def type_here(text: str) -> None:
        for ch in text:  # each key to whatever has the focus now, as a keyboard does
            qtbot.keyClicks(QApplication.focusWidget() or table, ch)

    type_here("Li <A&B>")  # typing on a cell starts editing it with that text
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # taken, and the next cell is edited
    type_here("Chief")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_here("0433-7500001")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # taken, and one row down

    record = contacts.records[row]
    assert (record.name, record.post, record.phone) == ("Li <A&B>", "Chief", "0433-7500001")
    assert (table.currentRow(), table.currentColumn()) == (row + 1, keys.index("phone"))
    assert table.item(row, name_col).text() == "Li <A&B>", "shown exactly"
    assert editor.undo_stack.count() == 3

    qtbot.keyClick(table, Qt.Key.Key_Backtab)  # not editing: Shift+Tab moves, the next keystrokes edit there
    assert table.currentColumn() == keys.index("post")
    type_here("Deputy")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert contacts.records[row + 1].post == "Deputy"


def test_compare_rows_are_one_line_tall_and_windows_fit_the_screen(window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(windows, "available_area", lambda _w: QRect(0, 0, 1440, 900))
    editor = _open_first_plan(window)
    assert editor.height() <= 900 - windows.FRAME
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    doc = editor.doc
    contacts = editor.contacts
    phone_col = [c.key for c in contacts.columns].index("phone")
    contacts.table.item(0, phone_col).setText("0433-7599999")
    editor.save_action.trigger()

    compare = CompareDialog(editor.plans, editor.revisions, editor.doc)
    qtbot.addWidget(compare)
    compare.show()
    qtbot.waitExposed(compare)
    assert compare.height() <= 900 - windows.FRAME
    qtbot.waitUntil(lambda: compare.table.rowCount() > 0)
    line = compare.table.fontMetrics().height()
    row = next(r for r in range(compare.table.rowCount()) if "0433-7599999" in compare.table.item(r, 3).text())
    qtbot.waitUntil(lambda: compare.table.rowHeight(row) <= 3 * line)  # laid out at the dialog's real widths

    from drillapp.ui.plans import print_preview

    shown: list = []
    monkeypatch.setattr(print_preview.PlanPrintPreview, "exec", lambda self: shown.append(self) or 0)
    editor.print_action.trigger()
    assert shown and (shown[0].width(), shown[0].height()) == (900, 900 - windows.FRAME), "900 × 1000 fitted"
    assert doc.number == editor.doc.number


def test_a_new_plans_first_draft_cannot_be_discarded_but_is_listed_as_draft(window, qtbot) -> None:
    from drillapp.models.enums import Scenario

    plan_id, _version = window.services.plans.create_plan(window.services.scope.id, "QH-TMP", Scenario.OTHER, "临时预案")
    editor = window.open_plan(plan_id)
    assert editor.doc.status is PlanStatus.DRAFT and not editor.discard_action.isEnabled()
    row = _list_row(window, plan_id)
    assert (row["version"], row["status"], row["draft"]) == ("1", "Draft", "")


def test_a_draft_discarded_on_another_desk_gives_way_to_the_version_in_force(window, monkeypatch) -> None:
    from drillapp.services.changes import ChangeSet

    editor = _open_first_plan(window)
    approved = editor.doc
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.revise_action.trigger()
    draft = editor.doc
    window.services.revisions.discard_draft(draft.version_id, draft.row_version)  # the other desk

    # what the change feed announces on the bus; told to this editor alone (editors of earlier tests, still
    # open on the PostgreSQL run's reused database, would hear the same ids)
    editor._changed_elsewhere(ChangeSet.of(ids={"plan_version": [draft.version_id]}, remote=True), None)

    assert editor.doc.version_id == approved.version_id
    assert editor.version_chooser.count() == len(window.services.plans.versions(approved.plan_id))
    assert "no longer there" in editor.statusBar().currentMessage()
