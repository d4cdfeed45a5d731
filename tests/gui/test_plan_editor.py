"""The plan editor driven as a coordinator would: open, revise, edit with undo/redo, save, compare, approve."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QPushButton

from drillapp.models.enums import Agency, PlanStatus
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.plans import editor as editor_module
from drillapp.ui.plans.compare import CompareDialog
from drillapp.ui.plans.editor import PlanEditor
from drillapp.ui.plans.new_plan import NewPlanDialog


def _open_first_plan(window, qtbot) -> PlanEditor:
    window.show_area("plans")
    page = window.page("plans")
    assert isinstance(page, AreaPage)
    plans = page.lists[0]
    plans.table.selectRow(0)
    page.findChild(QPushButton, "openPlan").click()
    return window.editors[plans.model.row_id(0)]  # owned by the main window, which closes it


def _yes(monkeypatch, asked: list[str] | None = None) -> None:
    """Answer Yes to the editor's questions (new revision, discard), remembering their titles."""
    from PySide6.QtWidgets import QMessageBox

    def answer(_parent, title, *_args, **_kwargs):
        if asked is not None:
            asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)


def test_revise_edit_undo_save_compare_and_approve(window, demo_world, qtbot, monkeypatch) -> None:
    editor = _open_first_plan(window, qtbot)
    assert editor.doc.status is PlanStatus.APPROVED
    assert not editor.editable and not editor.actions_table.add_button.isEnabled(), "approved: read-only"
    assert editor.revise_action.isEnabled()

    approved_number = editor.doc.number
    _yes(monkeypatch)
    editor.revise_action.trigger()
    assert (editor.doc.number, editor.doc.status) == (approved_number + 1, PlanStatus.DRAFT) and editor.editable
    actions = editor.actions_table
    before = actions.table.rowCount()
    actions.table.setCurrentCell(before - 1, 0)
    actions.add_button.click()
    assert actions.table.rowCount() == before + 1
    row = actions.table.currentRow()  # the new action, wherever the plan's order put it
    assert actions.records[row].text == "New action"
    text_col = [c.key for c in actions.columns].index("text")
    minutes_col = [c.key for c in actions.columns].index("target_minutes")
    actions.table.item(row, text_col).setText("10分钟内封闭货运通道 <海关> & “监管区”")
    actions.table.item(row, minutes_col).setText("ten")
    assert editor.problem.text() and not editor.save_action.isEnabled(), "a bad value is refused as typed"
    actions.table.item(row, minutes_col).setText("10")
    assert not editor.problem.text() and editor.save_action.isEnabled()
    row = actions.table.currentRow()  # a target moves the action within its phase: the table follows it
    assert actions.records[row].target_minutes == 10
    actions.table.setCurrentCell(row, 0)
    actions.table.edit(actions.table.currentIndex())  # the agency's drop-down list
    combo = actions.table.findChild(QComboBox, "agency_editor")
    combo.setCurrentIndex(combo.findData(Agency.CUSTOMS))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert actions.records[actions.table.currentRow() - 1].agency is Agency.CUSTOMS, "Enter: taken, one row down"

    stack = editor.undo_stack
    assert stack.count() == 4  # add, text, minutes, agency
    for _ in range(4):
        editor.undo_action.trigger()
    assert actions.table.rowCount() == before, "undo takes the new action away"
    for _ in range(4):
        editor.redo_action.trigger()
    assert any(r.text == "10分钟内封闭货运通道 <海关> & “监管区”" for r in actions.records)
    texts = [actions.table.item(r, text_col).text() for r in range(actions.table.rowCount())]
    assert "10分钟内封闭货运通道 <海关> & “监管区”" in texts, "shown exactly"

    editor.save_action.trigger()
    assert stack.isClean()
    saved = demo_world.services.plans.document(editor.doc.version_id)
    new_action = [a for a in saved.actions if a.text.startswith("10分钟内封闭货运通道")]
    assert new_action and new_action[0].target_minutes == 10 and new_action[0].agency is Agency.CUSTOMS

    compare = CompareDialog(editor.plans, editor.revisions, editor.doc)
    qtbot.addWidget(compare)
    cells = [compare.table.item(r, 1).text() for r in range(compare.table.rowCount())]
    assert any("10分钟内封闭货运通道" in c for c in cells), "compare shows the new action"

    assert not editor.approve_action.isEnabled(), "a draft is sent for review before it is approved"
    editor.submit_action.trigger()
    assert editor.doc.status is PlanStatus.IN_REVIEW and not editor.editable
    assert editor.approve_action.isEnabled()
    monkeypatch.setattr(editor_module.ApproveDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    editor.approve_action.trigger()
    assert editor.doc.status is PlanStatus.APPROVED
    versions = demo_world.services.plans.versions(editor.doc.plan_id)
    assert [s for _v, _n, s in versions][-2:] == [PlanStatus.SUPERSEDED, PlanStatus.APPROVED]


def test_sections_tree_add_edit_remove_with_undo(window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *_a, **_k: (
        asked.append(title), QMessageBox.StandardButton.Yes if title == "New revision"
        else QMessageBox.StandardButton.Discard)[1])
    editor = _open_first_plan(window, qtbot)
    editor.revise_action.trigger()
    sections = editor.sections
    count = len(editor.content.sections)
    sections.add_button.click()
    assert len(editor.content.sections) == count + 1
    sections.title.setText("临时增补章节")
    sections.title.editingFinished.emit()
    sections.body.setPlainText("物资 <储备> & 通信保障：" + "长" * 10_000)
    sections._commit_body()
    added = [s for s in editor.content.sections if s.title == "临时增补章节"][0]
    assert added.body.startswith("物资 <储备> & 通信保障：") and len(added.body) > 10_000
    sections.sub_button.click()
    child = editor.content.sections[-1]
    assert child.parent_id == added.id
    editor.save_action.trigger()
    saved = editor.doc.sections
    parent = [s for s in saved if s.title == "临时增补章节"][0]
    assert any(s.parent_id == parent.id for s in saved), "the tree is kept through a save"
    sections.remove_button.click()  # removes the selected one
    assert len(editor.content.sections) < len(saved)
    editor.undo_action.trigger()
    assert len(editor.content.sections) == len(saved)
    sections.remove_button.click()
    editor.close()  # unsaved changes: the editor asks before it closes
    assert asked == ["New revision", "Unsaved changes"]


def test_new_plan_from_the_plans_area(window, qtbot) -> None:
    dialog = NewPlanDialog(window.services.plans, window.services.org.branches(), window.services.scope)
    qtbot.addWidget(dialog)
    dialog.code.setText("QH-NEW")
    dialog.title_zh.setText("口岸恶劣天气联合处置预案")
    dialog.title_en.setText("Severe weather")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.created is not None
    editor = window.open_plan(*dialog.created)
    assert editor.doc.status is PlanStatus.DRAFT and editor.doc.title_zh == "口岸恶劣天气联合处置预案"
    assert [lv.level for lv in editor.doc.levels] == [1, 2, 3, 4]


def test_plan_list_filters_and_overdue_flag(window, demo_world, qtbot) -> None:
    from drillapp.models.enums import Scenario
    from drillapp.ui.plans.plan_filters import PlanFilters

    window.show_area("plans")
    page = window.page("plans")
    plans = page.lists[0]
    filters = page.findChild(PlanFilters)
    total = plans.model.rowCount()
    filters.scenario.setCurrentIndex(filters.scenario.findData(Scenario.DANGEROUS_GOODS))
    assert plans.model.rowCount() == 1
    filters.scenario.setCurrentIndex(0)
    filters.review.setCurrentIndex(filters.review.findData("soon"))
    assert 1 <= plans.model.rowCount() < total, "the demo has plans due within weeks"
    filters.review.setCurrentIndex(filters.review.findData("overdue"))
    assert plans.model.rowCount() == 0
    filters.review.setCurrentIndex(0)
    filters.status.setCurrentIndex(filters.status.findData(PlanStatus.DRAFT))
    assert plans.stack.currentWidget() is plans.empty
    filters.status.setCurrentIndex(0)
    # a plan whose review date has passed is flagged in the list
    from datetime import timedelta

    doc = demo_world.services.plans.current_document(plans.model.row_id(0))
    with demo_world.db.engine.begin() as conn:  # test data: an old approval, as if a year had passed
        from sqlalchemy import update

        from drillapp.models import PlanVersion

        conn.execute(update(PlanVersion).where(PlanVersion.id == doc.version_id)
                     .values(review_due_on=demo_world.services.clock().date() - timedelta(days=3)))
    plans.reload()
    column = plans.model.keys.index("review_due_on")
    flagged = [plans.model.index(r, column).data() for r in range(plans.model.rowCount())]
    assert any("(overdue)" in (text or "") for text in flagged)
    filters.review.setCurrentIndex(filters.review.findData("overdue"))
    assert plans.model.rowCount() == 1


def test_print_preview_and_action_card_reach_the_printer(window, qtbot, tmp_path, monkeypatch) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from drillapp.ui.plans import print_preview

    editor = _open_first_plan(window, qtbot)
    shown: list[print_preview.PlanPrintPreview] = []
    monkeypatch.setattr(print_preview.PlanPrintPreview, "exec", lambda self: shown.append(self) or 0)
    editor.print_action.trigger()
    assert shown and len(shown[0].images) >= 3, "the full plan, page by page, in the preview"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # what the system print dialog's printer gets
    printer.setOutputFileName(str(tmp_path / "paper.pdf"))
    assert print_preview.paint_pages(printer, shown[0].images) == len(shown[0].images)
    assert len(PdfReader(tmp_path / "paper.pdf").pages) == len(shown[0].images)

    monkeypatch.setattr(editor_module.CardDialog, "exec", lambda self: (
        self.agency.setCurrentIndex(self.agency.findData(Agency.CUSTOMS)), QDialog.DialogCode.Accepted)[1])
    editor.card_action.trigger()
    assert len(shown) == 2 and len(shown[1].images) == 1, "the customs action card is one page"


def test_a_long_change_note_shows_from_its_start_and_filling_the_tables_edits_nothing(window, qtbot) -> None:
    editor = _open_first_plan(window, qtbot)
    note = editor.change_note
    assert len(note.text()) > 40, "the demo's approved revision says what it changed"
    assert note.cursorPosition() == 0, "shown from its first word, not scrolled to its end"

    actions = editor.actions_table
    changed: list[object] = []
    actions.table.itemChanged.connect(changed.append)
    texts = [[actions.table.item(r, c).text() for c in range(actions.table.columnCount())]
             for r in range(actions.table.rowCount())]
    actions.table.setRowCount(0)  # every cell made anew, as for a plan opened the first time
    actions.show_records(actions.records, read_only=True)
    assert changed == [], "filling is not editing: no itemChanged per cell"
    assert [[actions.table.item(r, c).text() for c in range(actions.table.columnCount())]
            for r in range(actions.table.rowCount())] == texts
    assert not actions.table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable, "read-only cells"
