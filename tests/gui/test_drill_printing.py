"""Paper and calendar files from the Drills area (the year's programme PDF and .ics from the calendar, a drill's
briefing from its designer), and the dashboard's next drill opening in its designer."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from drillapp.clock import to_local


def _save_to(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(_parent, title, suggested, _filter):
        asked.append(suggested)
        return str(path), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def _calendar(window):
    window.show_area("drills")
    cal = window.drill_calendar
    window.page("drills").tabs.setCurrentWidget(cal)
    cal.set_mode("year")
    return cal


def test_print_the_programme_and_export_the_calendar(window, qtbot, monkeypatch, tmp_path) -> None:
    cal = _calendar(window)
    pdf = tmp_path / "programme.pdf"
    asked = _save_to(monkeypatch, pdf)
    cal.setFocus()
    qtbot.keyClick(cal, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked and str(cal.anchor.year) in asked[0]
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    assert "programme.pdf" in window.statusBar().currentMessage()

    ics = tmp_path / "drills.ics"
    _save_to(monkeypatch, ics)
    qtbot.mouseClick(cal.ics_button, Qt.MouseButton.LeftButton)
    parsed = Calendar.from_ical(ics.read_bytes())
    events = [c for c in parsed.walk("VEVENT")]
    year_rows = [r for r in cal.rows if to_local(r.start).year == cal.anchor.year and r.series_id is None]
    assert events and len(events) >= len(year_rows)
    assert {str(e.get("SUMMARY")) for e in events} >= {r.title for r in year_rows}


def test_print_a_briefing_from_the_designer(window, qtbot, monkeypatch, tmp_path) -> None:
    cal = _calendar(window)
    row = next(r for r in cal.rows if not r.cancelled)
    window.designers.open_drill(row.id)
    designer = window.designers.designers[row.id]
    button = designer.findChild(QPushButton, "printBriefing")
    assert button is not None and button.isVisible()
    out = tmp_path / "briefing.pdf"
    asked = _save_to(monkeypatch, out)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == [str(Path.home() / f"briefing-{row.id}-controllers.pdf")]
    assert out.read_bytes().startswith(b"%PDF")
    assert told and "briefing.pdf" in told[0]


def test_dashboard_opens_the_next_drill_and_links_to_coverage(window, qtbot) -> None:
    dash = window.dashboard
    qtbot.waitUntil(lambda: dash.data is not None)
    assert dash.data.next_drills, "the demo has drills coming"
    dash.drills.list.setCurrentRow(0)
    first = dash.data.next_drills[0].id
    window.activateWindow()
    dash.drills.list.setFocus()
    qtbot.keyClick(dash.drills.list, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert first in window.designers.designers, "the next drill opened in its designer"
    designer = window.designers.designers[first]
    assert designer.design is not None and designer.design.id == first
    if dash.data.overdue_cells:
        assert str(dash.data.overdue_cells) in dash.coverage_link.text()
        dash.coverage_link.linkActivated.emit("coverage")
        assert window.area() == "drills"
        assert window.page("drills").tabs.currentWidget() is window.coverage_page
    else:
        assert dash.coverage_link.text() == ""
