"""Reviews → Corrective actions: every corrective action of the port (the demo's reviews), overdue ones
highlighted, filtered by overdue, status and search, the status moved by a key (an operation: the database
holds it), cancelling asks, and Enter opens the action's review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.console_ui import activate, when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy import select

from drillapp.models import CorrectiveAction
from drillapp.models.enums import ActionStatus
from drillapp.ui.reviews.actions_panel import OVERDUE_BACKGROUND
from drillapp.ui.reviews.editor import ReviewEditor
from drillapp.ui.reviews.tracker import ActionTracker


@pytest.fixture
def tracker(qtbot, window) -> ActionTracker:
    window.show_area("reviews")
    page = window.page("reviews")
    index = next(i for i in range(page.tabs.count()) if isinstance(page.tabs.widget(i), ActionTracker))
    page.tabs.setCurrentIndex(index)
    view = page.tabs.widget(index)
    assert isinstance(view, ActionTracker)
    activate(qtbot, window)
    return view


def _status(db, action_id: int) -> ActionStatus:
    with db.session() as s:
        return s.scalar(select(CorrectiveAction.status).where(CorrectiveAction.id == action_id))


def test_lists_highlights_and_filters_the_ports_actions(tracker, demo_world):
    expected = demo_world.services.tracker.actions()
    assert expected, "the demo's reviews have corrective actions"
    assert tracker.table.rowCount() == len(expected)
    overdue = [r for r, a in enumerate(tracker.rows) if a.overdue]
    assert overdue, "the demo has overdue actions"
    row = overdue[0]
    assert tracker.table.item(row, 0).background().color().name() == OVERDUE_BACKGROUND
    assert "overdue" in tracker.table.item(row, 1).text()
    # the day each action starts, beside the day it is due (as the review editor shows them)
    assert tracker.table.horizontalHeaderItem(0).text() == "Start"
    assert any(a.start_on for a in tracker.rows), "the demo's actions have start days"
    assert [tracker.table.item(r, 0).text() for r in range(len(tracker.rows))] == [
        a.start_on.isoformat() if a.start_on else "—" for a in tracker.rows]
    assert f"{len(overdue)} overdue" in tracker.count.text()

    tracker.overdue.setChecked(True)
    assert tracker.table.rowCount() == len(overdue) and all(a.overdue for a in tracker.rows)
    tracker.overdue.setChecked(False)

    tracker.status.setCurrentIndex(tracker.status.findData(ActionStatus.DONE))
    assert all(a.status is ActionStatus.DONE for a in tracker.rows)
    tracker.status.setCurrentIndex(0)

    plan_id = expected[0].plan_id
    tracker.plan.setCurrentIndex(tracker.plan.findData(plan_id))
    assert tracker.rows and all(a.plan_id == plan_id for a in tracker.rows)
    tracker.plan.setCurrentIndex(0)
    tracker.due.setCurrentIndex(tracker.due.findData(7))  # due by then (the overdue ones too)
    last = demo_world.services.tracker.today() + timedelta(days=7)
    assert [a.id for a in tracker.rows] == [a.id for a in expected if a.due_on and a.due_on <= last]
    tracker.due.setCurrentIndex(0)

    word = expected[0].owner_name
    tracker.search.setText(word)
    tracker.refresh()  # the search waits for typing to pause
    assert tracker.rows and all(word in (a.owner_name + a.text + a.finding_text) for a in tracker.rows)
    window = tracker.window()
    window.focus_search()  # Ctrl+F on this tab searches the tracker
    assert tracker.search.hasFocus()
    tracker.search.setText("没有这样的措施")
    tracker.refresh()
    assert tracker.table.rowCount() == 0 and tracker.empty.isVisible()


def test_status_by_key_cancel_asks_verify_and_enter_opens_the_review(qtbot, tracker, window, demo_world,
                                                                     monkeypatch):
    open_rows = [r for r, a in enumerate(tracker.rows) if a.status is ActionStatus.OPEN]
    assert open_rows
    action = tracker.rows[open_rows[0]]
    tracker.table.setFocus()
    tracker.table.setCurrentCell(open_rows[0], 2)
    qtbot.keyClick(tracker.table, Qt.Key.Key_D)
    assert _status(demo_world.db, action.id) is ActionStatus.DONE
    assert tracker.current().id == action.id and tracker.current().status is ActionStatus.DONE
    qtbot.keyClick(tracker.table, Qt.Key.Key_O)
    assert _status(demo_world.db, action.id) is ActionStatus.OPEN

    # cancelling asks; "No" changes nothing
    when_modal(lambda box: box.button(QMessageBox.StandardButton.No).click())
    tracker.set_to.setCurrentIndex(tracker.set_to.findData(ActionStatus.CANCELLED))
    tracker.set_to.activated.emit(tracker.set_to.currentIndex())
    assert _status(demo_world.db, action.id) is ActionStatus.OPEN
    assert tracker.set_to.currentData() is ActionStatus.OPEN

    # the coordinator verifies it: evidence recorded, the action done, shown verified
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("整改照片已存档 <附件> & 签字", True))
    qtbot.mouseClick(tracker.verify_button, Qt.MouseButton.LeftButton)
    with demo_world.db.session() as s:
        row = s.get(CorrectiveAction, action.id)
        assert (row.status, row.evidence, row.verified_at is not None) == (
            ActionStatus.DONE, "整改照片已存档 <附件> & 签字", True)
    assert tracker.current().id == action.id and tracker.table.item(tracker.table.currentRow(), 8).text()
    assert not tracker.verify_button.isEnabled()

    tracker.table.setFocus()
    qtbot.keyClick(tracker.table, Qt.Key.Key_Return)
    editor = window.review_opener.editors[action.review_id]
    assert isinstance(editor, ReviewEditor)
    assert any(a.id == action.id for f in editor.doc.findings for a in f.actions)


def test_an_action_changed_at_another_desk_asks_to_reload(qtbot, tracker, demo_world):
    row = next(r for r, a in enumerate(tracker.rows) if a.status is ActionStatus.OPEN)
    action = tracker.rows[row]
    demo_world.services.reviews.update_corrective_action(action.id, owner_name="另一台电脑",
                                                         expected_version=action.row_version)
    asked: list[str] = []

    def reload(box) -> None:
        asked.append(box.text())
        box.reload_button.click()

    tracker.table.setFocus()
    tracker.table.setCurrentCell(row, 2)
    when_modal(reload)
    qtbot.keyClick(tracker.table, Qt.Key.Key_I)
    assert asked, "the conflict was asked about"
    assert _status(demo_world.db, action.id) is ActionStatus.OPEN
    assert tracker.current().owner_name == "另一台电脑"
