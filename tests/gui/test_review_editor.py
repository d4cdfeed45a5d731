"""The review editor driven as an evaluator and the coordinator would: a drill run finished through the
services (helpers/finished_runs.py), its review opened from the Reviews list, objectives rated by keys (a
change undone and redone), the hot wash's drafts accepted, a finding and a corrective action added, the
finding pointed at the plan and a revision opened for it, sign-off (then read-only, in the window and in the
database), and the AAR printed to a PDF."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.console_ui import activate, when_modal
from helpers.finished_runs import FinishedRun, finished_live_run
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import select

from drillapp.models import AfterActionReview, CorrectiveAction, Finding, ObjectiveRating
from drillapp.models.enums import FindingKind, PlanPart, Rating, ReviewStatus
from drillapp.ui.reviews.editor import ReviewEditor

TRICKY = 'Exit <B> & "side" door — ' + "x" * 40


@pytest.fixture
def finished(demo_world, demo_clock) -> FinishedRun:
    return finished_live_run(demo_world.services, demo_clock)


def _ratings(db, review_id: int) -> dict[int, tuple[Rating, str]]:
    with db.session() as s:
        return {r.objective_id: (r.rating, r.note) for r in s.scalars(
            select(ObjectiveRating).where(ObjectiveRating.review_id == review_id))}


def _findings(db, review_id: int) -> list[Finding]:
    with db.session() as s:
        rows = list(s.scalars(select(Finding).where(Finding.review_id == review_id).order_by(Finding.position)))
        for f in rows:
            s.expunge(f)
        return rows


def _open_from_list(qtbot, window, review_id: int) -> ReviewEditor:
    window.show_area("reviews")
    page = window.page("reviews")
    reviews = page.lists[0]
    reviews.ensure_loaded()
    row = next(r for r in range(reviews.model.rowCount()) if reviews.model.row_id(r) == review_id)
    reviews.table.setFocus()
    reviews.table.selectRow(row)
    reviews.table.setCurrentIndex(reviews.model.index(row, 0))
    qtbot.keyClick(reviews.table, Qt.Key.Key_Return)
    editor = window.review_opener.editors[review_id]
    assert isinstance(editor, ReviewEditor)
    qtbot.waitExposed(editor)
    activate(qtbot, editor)  # focus moves (and texts are kept on leaving them) in the active window only
    return editor


def _answer(button: QMessageBox.StandardButton):
    return lambda box: box.button(button).click()


def test_rate_find_act_sign_off_and_print(qtbot, window, demo_world, finished, tmp_path, monkeypatch):
    db = demo_world.db
    editor = _open_from_list(qtbot, window, finished.review_id)
    assert editor.doc is not None and editor.doc.draft
    assert editor.heading.text() == editor.doc.title

    # objectives, by keys: P on the first, S on the second; then the first changed to M, undone, redone
    editor.tabs.setCurrentWidget(editor.objectives)
    table = editor.objectives.table
    assert table.rowCount() == 2
    objectives = [r.objective_id for r in editor.doc.ratings]
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_P)
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_U)
    editor.undo_action.trigger()  # a first rating undone: not rated again
    assert objectives[1] not in _ratings(db, finished.review_id)
    assert table.item(1, 1).text() == "not rated"
    qtbot.keyClick(table, Qt.Key.Key_S)
    assert {k: v[0] for k, v in _ratings(db, finished.review_id).items()} == {objectives[0]: Rating.P,
                                                                              objectives[1]: Rating.S}
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_M)
    assert _ratings(db, finished.review_id)[objectives[0]][0] is Rating.M
    editor.undo_action.trigger()
    assert _ratings(db, finished.review_id)[objectives[0]][0] is Rating.P
    editor.redo_action.trigger()
    assert _ratings(db, finished.review_id)[objectives[0]][0] is Rating.M
    assert "M:" in table.item(0, 1).text()
    # the evaluator's observations: Enter, type, back to the list (kept)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert editor.objectives.observations.hasFocus() or not editor.objectives.observations.isReadOnly()
    editor.objectives.observations.setPlainText(TRICKY)
    editor.objectives.observations.setFocus()
    table.setFocus()
    assert _ratings(db, finished.review_id)[objectives[0]] == (Rating.M, TRICKY)

    # findings: the hot wash's two drafts accepted, a new area for improvement added
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    assert [f.draft for f in editor.doc.findings] == [True, True]
    for row in range(2):
        panel.table.setCurrentCell(row, 1)
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert [f.draft for f in _findings(db, finished.review_id)] == [False, False]

    def fill_finding(dialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(FindingKind.IMPROVEMENT))
        dialog.text.setPlainText(TRICKY)
        dialog.root_cause.setPlainText("钥匙无人保管")
        dialog.box.button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(fill_finding)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    added = _findings(db, finished.review_id)[-1]
    assert (added.kind, added.text, added.root_cause, added.draft) == (FindingKind.IMPROVEMENT, TRICKY,
                                                                      "钥匙无人保管", False)
    assert panel.current() is not None and panel.current().id == added.id
    assert panel.text.toPlainText() == TRICKY
    panel.objective.setCurrentIndex(panel.objective.findData(objectives[1]))
    panel.objective.activated.emit(panel.objective.currentIndex())
    assert _findings(db, finished.review_id)[-1].objective_id == objectives[1]

    # a corrective action for it: branch, person, due date (a day of the port's calendar)
    def fill_action(dialog) -> None:
        dialog.text.setPlainText("钥匙交卫生检疫值班台保管")
        dialog.branch.setCurrentIndex(1)
        dialog.owner.setText("李四")
        dialog.due.set_value(date(2026, 4, 30))
        dialog.box.button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(fill_action)
    qtbot.mouseClick(panel.action_panel.add_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        action = s.scalar(select(CorrectiveAction).where(CorrectiveAction.finding_id == added.id))
        assert (action.text, action.owner_name, action.due_on) == ("钥匙交卫生检疫值班台保管", "李四", date(2026, 4, 30))
        assert action.owner_branch_id is not None
    assert panel.action_panel.table.rowCount() == 1

    # point it at an action of the plan, then "Revise plan": a draft revision answers it (and opens)
    def pick_part(dialog) -> None:
        offered = {(dialog.parts.item(i).data(Qt.ItemDataRole.UserRole) or (None,))[0]
                   for i in range(dialog.parts.count())}
        assert {PlanPart.ACTION, PlanPart.CONTACT} <= offered, "sections, actions, contacts and resources"
        dialog.parts.setCurrentRow(next(i for i in range(dialog.parts.count())
                                        if (dialog.parts.item(i).data(Qt.ItemDataRole.UserRole) or (None,))[0]
                                        is PlanPart.ACTION))
        dialog.accept()

    when_modal(pick_part)
    qtbot.mouseClick(panel.target_button, Qt.MouseButton.LeftButton)
    assert _findings(db, finished.review_id)[-1].plan_action_id is not None
    assert panel.revise_button.isEnabled()
    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    linked = _findings(db, finished.review_id)[-1]
    assert linked.revision_version_id is not None
    assert "answered by plan version" in panel.target.text()
    plan_editor = window.editors.get(linked.plan_id)
    assert plan_editor is not None, "the revision opens in the plan editor"
    plan_editor.close()

    # sign-off asks; afterwards the window is read-only and the database says so
    when_modal(_answer(QMessageBox.StandardButton.Yes))
    editor.sign_off_action.trigger()
    with db.session() as s:
        review = s.get(AfterActionReview, finished.review_id)
        assert review.status is ReviewStatus.SIGNED_OFF and review.signed_off_at is not None
    assert editor.banner.isVisible()
    assert not editor.sign_off_action.isEnabled()
    assert panel.text.isReadOnly() and not panel.new_button.isEnabled() and not panel.accept_button.isEnabled()
    assert editor.overview.summary.isReadOnly() and editor.objectives.observations.isReadOnly()
    editor.tabs.setCurrentWidget(editor.objectives)
    table.setFocus()
    table.setCurrentCell(1, 0)
    before = _ratings(db, finished.review_id)
    qtbot.keyClick(table, Qt.Key.Key_U)
    assert _ratings(db, finished.review_id) == before
    assert not editor.undo_action.isEnabled()
    # the corrective actions keep moving after sign-off; what is added to the review is an amendment
    assert panel.action_panel.add_button.isEnabled()
    assert editor.amend_action.isEnabled()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (TRICKY, True))
    editor.amend_action.trigger()
    assert [a.text for a in editor.doc.amendments] == [TRICKY]
    assert editor.overview.amendments.item(0).text().endswith(TRICKY)

    # Ctrl+P: the AAR, written off the GUI thread through the existing report
    out = tmp_path / "aar.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert editor.printing.last_pdf == out


def test_the_hot_wash_opens_the_review_of_the_finished_run(qtbot, window, finished):
    from drillapp.ui.console.hot_wash import HotWashDialog

    dialog = HotWashDialog(window.services.reviews, finished.run_id, "演练", window,
                           open_review=window.review_opener.open_for_run)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.review_button.isVisible()
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    editor = window.review_opener.editors[finished.review_id]
    assert isinstance(editor, ReviewEditor)
    assert [f.source.value for f in editor.doc.findings] == ["hot_wash", "hot_wash"]
    assert editor.findings.table.rowCount() == 2
    assert not editor.doc.real and editor.real_band.isHidden(), "a drill's review: no REAL band"
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(editor.objectives))


def test_a_finding_changed_at_another_desk_asks_to_reload(qtbot, window, demo_world, finished):
    editor = _open_from_list(qtbot, window, finished.review_id)
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    panel.table.setCurrentCell(0, 1)
    first = panel.current()
    demo_world.services.reviews.update_finding(first.id, text="另一台电脑改的", expected_version=first.row_version)

    when_modal(lambda box: box.reload_button.click())
    panel.text.setFocus()
    panel.text.setPlainText("我的修改")
    panel.table.setFocus()  # leaving the text stores it: refused, the other change is shown
    assert _findings(demo_world.db, finished.review_id)[0].text == "另一台电脑改的"
    assert panel.text.toPlainText() == "另一台电脑改的"
    qtbot.waitUntil(lambda: not editor.undo_stack.canUndo())


def test_delete_removes_a_finding_after_asking(qtbot, window, demo_world, finished):
    editor = _open_from_list(qtbot, window, finished.review_id)
    editor.tabs.setCurrentWidget(editor.findings)
    table = editor.findings.table
    table.setFocus()
    table.setCurrentCell(0, 1)
    when_modal(_answer(QMessageBox.StandardButton.Cancel))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(_findings(demo_world.db, finished.review_id)) == 2
    when_modal(_answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [f.text for f in _findings(demo_world.db, finished.review_id)] == ["隔离室钥匙找了8分钟"]
    assert table.rowCount() == 1


def test_a_draft_finding_blocks_sign_off_with_a_message(qtbot, window, finished, monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr("drillapp.ui.reviews.editor.show_error", lambda _parent, exc: shown.append(exc))
    editor = _open_from_list(qtbot, window, finished.review_id)
    when_modal(_answer(QMessageBox.StandardButton.Yes))
    editor.sign_off_action.trigger()
    assert len(shown) == 1 and "still drafts" in str(shown[0])
    assert editor.doc.draft and editor.sign_off_action.isEnabled()


def test_long_text_shows_exactly_and_the_summary_edit_undoes(qtbot, window, demo_world, finished, tmp_path):
    long_text = ('<b>门 & "侧门"</b> ' * 700)[:9_999] + "尾"
    assert len(long_text) == 10_000
    finding = demo_world.services.reviews.add_finding(finished.review_id, FindingKind.IMPROVEMENT, long_text)
    editor = _open_from_list(qtbot, window, finished.review_id)
    editor.tabs.setCurrentWidget(editor.findings)
    editor.findings.select(finding)
    assert editor.findings.text.toPlainText() == long_text
    assert editor.findings.table.item(editor.findings.table.currentRow(), 1).text() == long_text

    editor.tabs.setCurrentWidget(editor.overview)
    summary = editor.overview.summary
    summary.setFocus()
    summary.setPlainText(long_text)
    editor.overview.measures.setFocus()  # leaving the summary stores it
    with demo_world.db.session() as s:
        assert s.get(AfterActionReview, finished.review_id).summary == long_text
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_world.db.session() as s:
        assert s.get(AfterActionReview, finished.review_id).summary == ""
    assert summary.toPlainText() == ""

    out = tmp_path / "long.pdf"
    editor.printing.write_pdf(out)
    assert out.read_bytes().startswith(b"%PDF")


def test_a_reload_does_not_take_what_is_being_typed(qtbot, window, finished):
    editor = _open_from_list(qtbot, window, finished.review_id)
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    panel.table.setCurrentCell(1, 1)
    panel.root_cause.setFocus()
    qtbot.keyClicks(panel.root_cause, "no key <holder> & log")  # QTest types Latin letters only
    editor.load()  # what another write's reload does while the person types
    assert panel.root_cause.toPlainText() == "no key <holder> & log"
    panel.table.setFocus()  # leaving it keeps it
    assert editor.doc.findings[1].root_cause == "no key <holder> & log"


def test_an_evaluator_rates_and_writes_findings_but_plans_no_actions_and_signs_nothing(qtbot, window, demo_world,
                                                                                        finished):
    from helpers import builders

    from drillapp.models.enums import Role

    evaluator = builders.services_as(demo_world.services, builders.actor(demo_world.services, Role.EVALUATOR, "eval"))
    editor = ReviewEditor(evaluator.reviews, evaluator.review_docs, None, evaluator.org, finished.review_id, window)
    qtbot.addWidget(editor)
    editor.show()
    activate(qtbot, editor)
    assert not editor.sign_off_action.isEnabled()
    editor.tabs.setCurrentWidget(editor.objectives)
    editor.objectives.table.setFocus()
    editor.objectives.table.setCurrentCell(0, 0)
    qtbot.keyClick(editor.objectives.table, Qt.Key.Key_S)
    assert list(_ratings(demo_world.db, finished.review_id).values()) == [(Rating.S, "")]
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    panel.table.setCurrentCell(1, 1)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert not _findings(demo_world.db, finished.review_id)[1].draft
    assert panel.new_button.isEnabled() and not panel.action_panel.add_button.isEnabled()
    assert not panel.revise_button.isEnabled()


def test_a_field_that_only_has_the_focus_shows_the_stored_text_and_leaving_it_keeps_it(qtbot, window, demo_world,
                                                                                      finished):
    """The summary has the focus when the window opens, before the review was read (or when it is read again
    after a write at another desk): having the focus is not typing, so the stored text shows, and leaving the
    field writes nothing (it once stored the empty field over the summary: screenshots, issue 10)."""
    reviews = demo_world.services.reviews
    editor = _open_from_list(qtbot, window, finished.review_id)
    summary = editor.overview.summary
    summary.setFocus()
    qtbot.waitUntil(summary.hasFocus)
    reviews.update_review(finished.review_id, summary="各单位响应迅速；隔离室启用偏慢。",
                          expected_version=reviews.version_of(AfterActionReview, finished.review_id))
    editor.load()  # what the change feed does for a write at another desk
    assert summary.toPlainText() == "各单位响应迅速；隔离室启用偏慢。"
    editor.tabs.setCurrentWidget(editor.objectives)  # the focus leaves the summary
    editor.objectives.table.setFocus()
    qtbot.waitUntil(lambda: not summary.hasFocus())
    with demo_world.db.session() as s:
        assert s.get(AfterActionReview, finished.review_id).summary == "各单位响应迅速；隔离室启用偏慢。"
    assert editor.undo_stack.count() == 0


def test_the_corrective_actions_show_their_start_day_and_edit_it(qtbot, window, demo_world, finished):
    """Screenshots showed the table without the start day the AAR's improvement plan prints: it is a column
    now (a day of the port's calendar), and the action's form changes it through the service."""
    finding_id = demo_world.services.reviews.add_finding(finished.review_id, FindingKind.IMPROVEMENT, "初报超时")
    editor = _open_from_list(qtbot, window, finished.review_id)
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    panel.table.setCurrentCell(next(r for r, f in enumerate(editor.doc.findings) if f.id == finding_id), 1)
    actions = panel.action_panel
    table = actions.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[4:6] == ["Start", "Due"]

    def fill(start: date, due: date | None = None):
        def act(dialog) -> None:
            if dialog.text.toPlainText() == "":
                dialog.text.setPlainText("修订初报模板")
            dialog.has_start.setChecked(True)
            dialog.start.set_value(start)
            if due is not None:
                dialog.due.set_value(due)
            dialog.box.button(QDialogButtonBox.StandardButton.Ok).click()
        return act

    def stored() -> CorrectiveAction:
        with demo_world.db.session() as s:
            return s.scalar(select(CorrectiveAction).where(CorrectiveAction.finding_id == finding_id))

    when_modal(fill(date(2026, 4, 2), date(2026, 4, 30)))
    qtbot.mouseClick(actions.add_button, Qt.MouseButton.LeftButton)
    assert (stored().start_on, stored().due_on) == (date(2026, 4, 2), date(2026, 4, 30))
    assert [table.item(0, c).text() for c in (4, 5)] == ["2026-04-02", "2026-04-30"]

    table.setCurrentCell(0, 0)
    when_modal(fill(date(2026, 4, 9)))
    qtbot.mouseClick(actions.edit_button, Qt.MouseButton.LeftButton)
    assert (stored().start_on, stored().due_on) == (date(2026, 4, 9), date(2026, 4, 30))
    assert table.item(0, 4).text() == "2026-04-09"
