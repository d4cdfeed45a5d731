"""From launch to the printed AAR in one go, as the duty officer, the evaluator and the coordinator would (issue 10,
"Done when"): a short drill launched from the Drills area and worked by keyboard in the console (Space, L, M),
ended with Ctrl+Shift+E, the hot wash written, "Open the review…" pressed, and in the review editor an objective
rated by key, the hot wash's draft accepted, pointed at a plan action, "Revise plan" (a draft revision linked),
signed off, and the AAR printed with Ctrl+P. Each step is checked in the database as it happens."""

from __future__ import annotations

from helpers.console_ui import activate, first_planned, release_modifiers, when_modal
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import select

from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    DrillRun,
    Finding,
    HotWashNote,
    LogEntry,
    ObjectiveRating,
    PlanVersion,
)
from drillapp.models.enums import (
    DrillKind,
    FindingSource,
    ItemState,
    LogKind,
    PlanPart,
    PlanStatus,
    Rating,
    ReviewStatus,
    RunStatus,
)
from drillapp.ui.console.window import MUSTER_LINE, RunConsole
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.reviews.editor import ReviewEditor

K = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LATE_NOTE = "隔离观察室开设偏慢 <19 分钟> & 钥匙找了8分钟"


def _launch(qtbot, window, drill_id: int) -> RunConsole:
    window.show_area("drills")
    page = window.page("drills")
    assert isinstance(page, AreaPage)
    drills = page.lists[0]
    drills.table.selectRow(next(r for r in range(drills.model.rowCount()) if drills.model.row_id(r) == drill_id))
    drills.table.setFocus()
    activate(qtbot, window)
    qtbot.keyClick(drills.table, K.Key_L, CTRL | SHIFT)
    release_modifiers(qtbot, drills.table)
    console = next(iter(window.consoles.consoles.values()))
    assert isinstance(console, RunConsole)
    qtbot.waitExposed(console)
    return console


def _entry(db, entry_id: int) -> ChecklistEntry:
    with db.session() as s:
        entry = s.get(ChecklistEntry, entry_id)
        s.expunge(entry)
        return entry


def _finding(db, finding_id: int) -> Finding:
    with db.session() as s:
        finding = s.get(Finding, finding_id)
        s.expunge(finding)
        return finding


def test_a_drill_from_launch_to_the_printed_aar(qtbot, window, demo_world, demo_clock, tmp_path, monkeypatch):
    db = demo_world.db
    asked: list[str] = []

    def yes(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)  # starting early and ending are both asked

    # -- the console, by keyboard -------------------------------------------------------------------------
    console = _launch(qtbot, window, first_planned(db, DrillKind.LIVE))
    run_id, model, checklist = console.run_id, console.model, console.checklist
    assert asked, "a drill days before its time asks before it starts"
    with db.session() as s:
        assert s.get(DrillRun, run_id).status is RunStatus.RUNNING
    assert console.focusWidget() is checklist
    first, second = model.items[0].row.id, model.items[1].row.id
    checklist.select_row(0)
    demo_clock.advance(minutes=2)
    qtbot.keyClick(checklist, K.Key_Space)
    assert _entry(db, first).state is ItemState.DONE
    demo_clock.advance(minutes=3)
    qtbot.keyClick(checklist, K.Key_Space)  # the selection moved on to the next item
    done = _entry(db, second)
    assert done.state is ItemState.DONE and done.done_by_id is not None
    with db.session() as s:
        started = s.get(DrillRun, run_id).started_at
    assert (done.done_at - started).total_seconds() == 5 * 60, "the exact time of the key press"

    qtbot.keyClick(checklist, K.Key_L)
    console.log_panel.text.insert("旅检大厅已封控")  # typed by an input method
    qtbot.keyClick(console.log_panel.text, K.Key_Return)
    demo_clock.advance(minutes=4)
    qtbot.keyClick(checklist, K.Key_M)
    assert console.log_panel.model.texts()[-2:] == ["旅检大厅已封控", MUSTER_LINE]
    with db.session() as s:
        kinds = [e.kind for e in s.scalars(select(LogEntry).where(LogEntry.drill_run_id == run_id))]
        assert LogKind.MUSTER in kinds

    # Ctrl+Shift+E ends it (asked); the hot wash opens
    demo_clock.advance(minutes=20)
    activate(qtbot, console)
    asked.clear()
    qtbot.keyClick(checklist, K.Key_E, CTRL | SHIFT)
    release_modifiers(qtbot, checklist)
    assert asked, "ending asks"
    with db.session() as s:
        assert s.get(DrillRun, run_id).status is RunStatus.ENDED
    hot_wash = console.hot_wash
    assert hot_wash is not None and hot_wash.isVisible()

    # -- the hot wash: one note of each kind, Ctrl+Enter each ------------------------------------------------
    activate(qtbot, hot_wash)
    hot_wash.went_well.setChecked(True)
    hot_wash.text.insertPlainText("机动队集结迅速")
    qtbot.keyClick(hot_wash.text, K.Key_Return, CTRL)
    release_modifiers(qtbot, hot_wash.text)
    hot_wash.branch.setCurrentIndex(2)
    hot_wash.to_improve.setChecked(True)
    hot_wash.text.insertPlainText(LATE_NOTE)
    qtbot.keyClick(hot_wash.text, K.Key_Return, CTRL)
    release_modifiers(qtbot, hot_wash.text)
    assert hot_wash.notes.count() == 2
    review_id = hot_wash.review_id
    assert review_id is not None
    with db.session() as s:
        notes = list(s.scalars(select(HotWashNote).where(HotWashNote.review_id == review_id)))
        assert sorted(n.text for n in notes) == sorted(["机动队集结迅速", LATE_NOTE])
        late_finding_id = next(n.finding_id for n in notes if n.text == LATE_NOTE)
    draft = _finding(db, late_finding_id)
    assert draft.draft and draft.source is FindingSource.HOT_WASH

    # "Open the review…": the editor of this run's review
    qtbot.mouseClick(hot_wash.review_button, Qt.MouseButton.LeftButton)
    editor = window.review_opener.editors[review_id]
    assert isinstance(editor, ReviewEditor)
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    assert editor.doc is not None and editor.doc.draft

    # -- the review: an objective rated by key ---------------------------------------------------------------
    editor.tabs.setCurrentWidget(editor.objectives)
    table = editor.objectives.table
    objective = editor.doc.ratings[0].objective_id
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, K.Key_S)
    with db.session() as s:
        rating = s.scalar(select(ObjectiveRating).where(ObjectiveRating.review_id == review_id,
                                                        ObjectiveRating.objective_id == objective))
        assert rating is not None and rating.rating is Rating.S

    # the hot wash's "to improve" draft accepted, pointed at a plan action, and a plan revision opened for it
    editor.tabs.setCurrentWidget(editor.findings)
    panel = editor.findings
    row = next(r for r, f in enumerate(editor.doc.findings) if f.id == late_finding_id)
    panel.table.setCurrentCell(row, 1)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert not _finding(db, late_finding_id).draft
    assert panel.current() is not None and panel.current().id == late_finding_id

    def pick_action(dialog) -> None:
        dialog.parts.setCurrentRow(next(i for i in range(dialog.parts.count())
                                        if (dialog.parts.item(i).data(Qt.ItemDataRole.UserRole) or (None,))[0]
                                        is PlanPart.ACTION))
        dialog.accept()

    when_modal(pick_action)
    qtbot.mouseClick(panel.target_button, Qt.MouseButton.LeftButton)
    pointed = _finding(db, late_finding_id)
    assert pointed.plan_action_id is not None and pointed.plan_id is not None
    assert panel.revise_button.isEnabled()
    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    revised = _finding(db, late_finding_id)
    assert revised.revision_version_id is not None
    with db.session() as s:
        revision = s.get(PlanVersion, revised.revision_version_id)
        assert (revision.plan_id, revision.status) == (pointed.plan_id, PlanStatus.DRAFT)
    assert "answered by plan version" in panel.target.text()
    plan_editor = window.editors.get(pointed.plan_id)
    assert plan_editor is not None, "the revision opens in the plan editor"
    plan_editor.close()
    activate(qtbot, editor)

    # the other draft (what went well) accepted too: a review with drafts is not signed off
    row = next(r for r, f in enumerate(editor.doc.findings) if f.draft)
    panel.table.setCurrentCell(row, 1)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert s.scalar(select(Finding.id).where(Finding.review_id == review_id, Finding.draft.is_(True))) is None

    # -- sign-off (asked), then the AAR with Ctrl+P -----------------------------------------------------------
    asked.clear()
    editor.sign_off_action.trigger()
    assert asked, "signing off asks"
    with db.session() as s:
        review = s.get(AfterActionReview, review_id)
        assert review.status is ReviewStatus.SIGNED_OFF and review.signed_off_at is not None
    assert not editor.sign_off_action.isEnabled()

    out = tmp_path / "aar.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    activate(qtbot, editor)
    qtbot.keyClick(editor, K.Key_P, CTRL)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "隔离观察室开设偏慢" in text
    assert QApplication.activeModalWidget() is None
