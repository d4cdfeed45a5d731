"""Drill series from the calendar and the designer: a new series whose occurrence falls in a blocked period is
moved by the user's choice; editing the whole series from a designer changes the occurrences that still follow
it and leaves the one changed by hand alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from drillapp.clock import to_local
from drillapp.ui.drills.series_dialog import SeriesDialog

NATIONAL_DAY = (date(2026, 10, 1), date(2026, 10, 7))  # the demo blocks the National Day week


def _when_dialog(qtbot, act) -> list[SeriesDialog]:
    """Run `act(dialog)` once the modal series dialog is up."""
    seen: list[SeriesDialog] = []

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SeriesDialog):
            QTimer.singleShot(20, step)
            return
        seen.append(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        try:
            act(dialog)
        finally:
            if dialog.isVisible():  # a failed step leaves it open: close it so the test can fail, not hang
                dialog.done(0)

    QTimer.singleShot(0, step)
    return seen


def _series_rows(window, title: str):
    rows = window.services.drills.drills_between(date(2026, 1, 1), date(2027, 12, 31))
    return sorted((r for r in rows if r.title == title), key=lambda r: r.start)


def _create(window, qtbot) -> list:
    window.show_area("drills")
    cal = window.drill_calendar
    window.page("drills").tabs.setCurrentWidget(cal)

    def fill(dialog: SeriesDialog) -> None:
        qtbot.keyClicks(dialog.title, "Monthly berth fire tabletop")
        dialog.start.setDateTime(dialog.start.dateTime().fromString("2026-10-02 10:00", "yyyy-MM-dd HH:mm"))
        dialog.rule.setText("FREQ=MONTHLY;COUNT=3")
        qtbot.keyClick(dialog.rule, Qt.Key.Key_F5)
        assert dialog.table.rowCount() == 3, (dialog.error.text(), dialog.summary.text())
        assert dialog.conflict_rows() == [0], "the October occurrence falls in the National Day week"
        assert "国庆" in dialog.table.item(0, 1).text()
        choice = dialog.table.cellWidget(0, 2)
        choice.setCurrentIndex(choice.findData("move"))
        target = dialog.table.cellWidget(0, 3)
        assert target.isEnabled()
        assert target.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-10-08 10:00", "the day after the period"
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    seen = _when_dialog(qtbot, fill)
    qtbot.mouseClick(cal.new_series_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].saved is not None, seen[0].error.text() if seen else "no dialog"
    return _series_rows(window, "Monthly berth fire tabletop")


def test_new_series_moves_the_occurrence_in_a_blocked_period(window, qtbot) -> None:
    rows = _create(window, qtbot)
    starts = [to_local(r.start) for r in rows]
    assert starts == [datetime(2026, 10, 8, 10), datetime(2026, 11, 2, 10), datetime(2026, 12, 2, 10)]
    assert rows[0].detached and not rows[1].detached
    assert len({r.series_id for r in rows}) == 1


def test_save_without_checking_first_asks_for_the_choices(window, qtbot) -> None:
    window.show_area("drills")
    plans = window.services.drills.plan_options()
    dialog = SeriesDialog(window.services.series, plans, datetime.combine(NATIONAL_DAY[0], time(9)), None, window)
    dialog.title.setText("Blocked at once")
    dialog.rule.setText("FREQ=WEEKLY;COUNT=2")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)  # Enter: the default button, save
    assert dialog.saved is None and "blocked" in dialog.error.text()
    assert dialog.conflict_rows() == [0], "the list shows the occurrence to decide"
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)  # skip is the default choice
    assert dialog.saved is not None
    rows = _series_rows(window, "Blocked at once")
    assert [to_local(r.start).date() for r in rows] == [NATIONAL_DAY[0] + timedelta(days=7)]


def test_edit_the_whole_series_from_the_designer(window, qtbot) -> None:
    rows = _create(window, qtbot)
    window.designers.open_drill(rows[1].id)
    designer = window.designers.designers[rows[1].id]
    assert designer.series_button.isVisible() and designer.series_button.isEnabled()

    def rename(dialog: SeriesDialog) -> None:
        assert dialog.title.text() == "Monthly berth fire tabletop"
        assert "1" in dialog.note.text(), "says how many occurrences were changed by hand"
        dialog.title.selectAll()
        qtbot.keyClicks(dialog.title, "Berth fire tabletop (revised)")
        dialog.duration.setValue(90)
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
        choice = dialog.table.cellWidget(dialog.conflict_rows()[0], 2)
        choice.setCurrentIndex(choice.findData("skip"))
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    seen = _when_dialog(qtbot, rename)
    qtbot.mouseClick(designer.series_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].saved is not None, seen[0].error.text() if seen else "no dialog"
    renamed = _series_rows(window, "Berth fire tabletop (revised)")
    assert [to_local(r.start) for r in renamed] == [datetime(2026, 11, 2, 10), datetime(2026, 12, 2, 10)]
    assert all(r.duration_minutes == 90 for r in renamed)
    kept = _series_rows(window, "Monthly berth fire tabletop")
    assert [r.id for r in kept] == [rows[0].id], "the occurrence moved by hand keeps its own details"
    assert designer.heading.text().find("revised") >= 0, "the open designer shows the series' change"
