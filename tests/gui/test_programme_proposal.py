"""The programme proposal tab: propose a year's drills (the solver runs as a LongOp), untick one by keyboard,
accept the rest; they become planned drills on the calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from drillapp.clock import to_local
from drillapp.ui.date_field import qt_datetime
from drillapp.ui.drills.programme_page import ProgrammePage
from drillapp.ui.drills.proposal_move import MoveProposalDialog


def _page(window) -> ProgrammePage:
    window.show_area("drills")
    area = window.page("drills")
    page = area.findChild(ProgrammePage)
    area.tabs.setCurrentWidget(page)
    return page


def test_propose_untick_one_and_accept_the_rest(window, qtbot) -> None:
    page = _page(window)
    page.year.setValue(2026)
    page.live.setValue(1)
    page.tabletop.setValue(2)
    page.seconds.setValue(2)
    page.weekdays[5].setChecked(False)
    before = {r.id for r in window.services.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))}
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    assert page.proposal is not None and not page.runner.running
    items = page.proposal_items()
    assert len(items) == 3, page.status.text()
    assert all(i.checkState(0) == Qt.CheckState.Checked for i in items), "all ticked by default"
    assert all(to_local(i.data(0, Qt.ItemDataRole.UserRole).start).weekday() < 5 for i in items)
    assert "3" in page.status.text()
    assert all(i.text(4) for i in items), "each proposal says why it is there"
    dropped = items[1].data(0, Qt.ItemDataRole.UserRole)
    page.drills.setFocus()
    page.drills.setCurrentItem(items[1])
    assert dropped.reason in page.reason.text(), "the selected proposal's reason is shown in full"
    qtbot.keyClick(page.drills, Qt.Key.Key_Space)
    assert items[1].checkState(0) == Qt.CheckState.Unchecked
    assert page.accept_button.text().startswith("Accept 2")
    qtbot.keyClick(page.drills, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    after = window.services.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))
    new = [r for r in after if r.id not in before]
    assert len(new) == 2
    assert dropped.start not in {r.start for r in new}, "the unticked proposal was not scheduled"
    assert page.proposal is None and "2" in page.status.text()
    assert not page.proposal_items()


def test_a_request_the_service_refuses_says_why(window, qtbot, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("drillapp.ui.drills.programme_page.show_error", lambda _w, exc: shown.append(exc))
    page = _page(window)
    page.live.setValue(0)
    page.tabletop.setValue(0)
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert shown and "at least one drill" in page.status.text()
    assert not page.proposal_items() and page.propose_button.isEnabled()


def test_the_search_runs_off_the_gui_thread_with_progress(window, qtbot, monkeypatch) -> None:
    from drillapp.ui import workers

    page = _page(window)
    page.year.setValue(2026)
    page.live.setValue(1)
    page.tabletop.setValue(1)
    page.seconds.setValue(1)
    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    assert page.runner.running, "the solver runs in a thread of its own"
    assert page.progress.isVisible() and not page.propose_button.isEnabled()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=30_000)
    assert len(page.proposal_items()) == 2 and not page.progress.isVisible()
    assert page.propose_button.isEnabled()


def test_a_proposal_moved_by_f2_is_scheduled_at_its_new_start(window, qtbot) -> None:
    page = _page(window)
    page.year.setValue(2026)
    page.live.setValue(0)
    page.tabletop.setValue(1)
    page.seconds.setValue(2)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    item = page.proposal_items()[0]
    proposed = item.data(0, Qt.ItemDataRole.UserRole)
    new_start = to_local(proposed.start).replace(hour=14, minute=30) + timedelta(days=1)
    answered: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MoveProposalDialog)
        dialog.when.setDateTime(qt_datetime(new_start))
        answered.append(dialog.windowTitle())
        qtbot.keyClick(dialog.when, Qt.Key.Key_Return)

    page.drills.setFocus()
    page.drills.setCurrentItem(item)
    QTimer.singleShot(0, answer)
    qtbot.keyClick(page.drills, Qt.Key.Key_F2)
    assert answered, "F2 asked for the new start"
    assert "→" in item.text(0) and f"{new_start:%Y-%m-%d}" in item.text(0)
    before = {r.id for r in window.services.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))}
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    new = [r for r in window.services.drills.drills_between(date(2026, 1, 1), date(2026, 12, 31))
           if r.id not in before]
    assert len(new) == 1, (page.status.text(), page.accept_button.isEnabled(), item.text(0))
    assert to_local(new[0].start) == datetime(new_start.year, new_start.month, new_start.day, 14, 30)
