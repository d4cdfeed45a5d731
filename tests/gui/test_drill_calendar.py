"""The drill calendar in the Drills area: drag one occurrence to another day, cancel one with a reason."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from drillapp.clock import to_local
from drillapp.models.enums import DrillStatus
from drillapp.ui.drills.calendar_page import CalendarPage


def _calendar(window, qtbot) -> CalendarPage:
    window.show_area("drills")
    page = window.page("drills")
    cal = window.drill_calendar
    page.tabs.setCurrentWidget(cal)
    cal.set_mode("month")
    return cal


def _first_drill_month(cal: CalendarPage, window) -> None:
    rows = [r for r in window.services.drills.drills_between(cal.anchor, cal.anchor + timedelta(days=365))
            if not r.cancelled]
    assert rows, "the demo plans drills in the coming year"
    cal.go_to(to_local(rows[0].start).date(), "month")


def test_drag_moves_one_drill_to_another_day(window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    cal = _calendar(window, qtbot)
    _first_drill_month(cal, window)
    grid = cal.grid
    row = next(d for ds in grid.drills.values() for d in ds if not d.cancelled)
    old_day = to_local(row.start).date()
    blocked = set(grid.blocked)
    target = next(old_day + timedelta(days=n) for n in (1, 2, 3, -1, -2, 7)
                  if grid.first <= old_day + timedelta(days=n) <= grid.last
                  and old_day + timedelta(days=n) not in blocked)
    start_pos = grid.chip_centre(row.id)
    end_pos = grid.day_rect(target).center()
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start_pos)
    qtbot.mouseMove(grid, end_pos)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end_pos)
    design = window.services.drills.design(row.id)
    assert to_local(design.content.start).date() == target
    assert to_local(design.content.start).time() == to_local(row.start).time(), "the time of day is kept"
    assert design.history and design.history[-1].old_start == row.start, "the old date stays in the history"
    assert row.id in [d.id for d in grid.drills.get(target, [])], "the calendar shows it on the new day"


def test_delete_cancels_the_selected_drill_with_a_reason(window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Typhoon <signal 8> & fog", True))
    cal = _calendar(window, qtbot)
    _first_drill_month(cal, window)
    grid = cal.grid
    row = next(d for ds in grid.drills.values() for d in ds if not d.cancelled)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.chip_centre(row.id))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    design = window.services.drills.design(row.id)
    assert design.content.status is DrillStatus.CANCELLED
    assert design.history[-1].reason == "Typhoon <signal 8> & fog"
    assert next(d for d in grid.drills[to_local(row.start).date()] if d.id == row.id).cancelled


def test_year_view_and_agenda_show_the_programme(window, qtbot) -> None:
    cal = _calendar(window, qtbot)
    _first_drill_month(cal, window)
    cal.set_mode("agenda")
    assert cal.agenda.topLevelItemCount() >= 1
    cal.set_mode("year")
    assert cal.year.drills, "the year view marks the drills' days"
    qtbot.mouseClick(cal.year, Qt.MouseButton.LeftButton, pos=cal.year.month_point(5).center())
    assert cal.mode() == "month" and cal.anchor.month == 5


def test_cancel_on_a_stale_calendar_is_refused(window, qtbot, monkeypatch) -> None:
    """The calendar passes the drill's version as it showed it (issue 12 item 7): a drill another desk moved
    meanwhile is not cancelled from the old picture; the user is told who changed it."""
    from drillapp.db import Database
    from drillapp.models import Drill
    from drillapp.services import Services

    warnings: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("weather", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    cal = _calendar(window, qtbot)
    _first_drill_month(cal, window)
    grid = cal.grid
    row = next(d for ds in grid.drills.values() for d in ds if not d.cancelled)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.chip_centre(row.id))
    other_db = Database.open(window.services.drills.db.url)  # another workstation
    try:
        other = Services(other_db, window.services.drills.actor, window.services.drills.clock)
        other.drills.move_drill(row.id, row.start + timedelta(hours=1), expected_version=other.drills.version_of(
            Drill, row.id))
    finally:
        other_db.dispose()
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert window.services.drills.design(row.id).content.status is not DrillStatus.CANCELLED
    assert warnings and "changed by" in warnings[-1]
