"""Paper and calendar files from the Drills area: the year's programme as a PDF (A4 landscape), the programme
as an iCalendar file (stable UIDs: a second export updates the events in Outlook or Thunderbird), and a drill's
briefing PDF (with the scenario script only when it is for the controllers). Each asks where to save, then
writes off the GUI thread (a QueryOp: reading and writing a file, nothing in the database changes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton, QWidget

from drillapp.i18n import _
from drillapp.services.drill_calendar import DrillCalendarService
from drillapp.ui.operations import QueryOp

PDF_FILTER = "PDF (*.pdf)"
ICS_FILTER = "iCalendar (*.ics)"


def tell(parent: QWidget, text: str) -> None:
    """Say a file was written: in the main window's status bar, else in a message."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 10000)
    else:
        QMessageBox.information(parent, _("Saved"), text)


def _ask_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    path, _chosen = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return Path(path) if path else None


def print_programme(parent: QWidget, service: DrillCalendarService, year: int,
                    done: Callable[[Path], object] | None = None) -> None:
    out = _ask_path(parent, _("Print the {year} programme").format(year=year), f"drill-programme-{year}.pdf",
                    PDF_FILTER)
    if out is None:
        return
    from drillapp.reports.drill_pdf import write_year_programme

    def write() -> Path:
        return write_year_programme(service.year_programme(year), out, service.clock())

    QueryOp(parent, write, label=_("Writing the PDF…")).success(
        lambda path: _written(parent, _("Programme printed to {path}").format(path=path), path, done)).run()


def export_ics(parent: QWidget, service: DrillCalendarService, first: date, last: date,
               done: Callable[[Path], object] | None = None) -> None:
    out = _ask_path(parent, _("Export the drills to a calendar file"),
                    f"drills-{first.isoformat()}-{last.isoformat()}.ics", ICS_FILTER)
    if out is None:
        return
    QueryOp(parent, lambda: service.write_ics(out, first, last), label=_("Writing the calendar…")).success(
        lambda path: _written(parent, _("Calendar written to {path}").format(path=path), path, done)).run()


def print_briefing(parent: QWidget, service: DrillCalendarService, drill_id: int,
                   done: Callable[[Path], object] | None = None) -> None:
    answer = QMessageBox.question(
        parent, _("Print briefing"), _("Print the controllers' briefing, with the scenario script (injects)?\n"
                                       "No: the players' briefing, without the script."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Cancel:
        return
    controllers = answer == QMessageBox.StandardButton.Yes
    suggested = f"briefing-{drill_id}{'-controllers' if controllers else ''}.pdf"
    out = _ask_path(parent, _("Print briefing"), suggested, PDF_FILTER)
    if out is None:
        return
    from drillapp.reports.drill_pdf import write_briefing

    def write() -> Path:
        return write_briefing(service.briefing(drill_id), out, service.clock(), controllers=controllers)

    QueryOp(parent, write, label=_("Writing the PDF…")).success(
        lambda path: _written(parent, _("Briefing printed to {path}").format(path=path), path, done)).run()


def _written(parent: QWidget, text: str, path: Path, done: Callable[[Path], object] | None) -> None:
    if done is not None:
        done(path)
    tell(parent, text)


def add_briefing_button(designer: QWidget, service: DrillCalendarService) -> QPushButton:
    """"Print briefing…" in a drill designer's button row (for the drill as saved)."""
    button = QPushButton(_("Print briefing…"), designer)
    button.setObjectName("printBriefing")
    button.setAutoDefault(False)
    button.setToolTip(_("The drill's briefing as a PDF: objectives, scenario, participants, timings, safety"))

    def clicked() -> None:
        design = getattr(designer, "design", None)
        if design is None or getattr(designer, "dirty", False):
            QMessageBox.information(designer, _("Print briefing"),
                                    _("Save the drill first: the briefing shows what is saved."))
            return
        print_briefing(designer, service, design.id)

    button.clicked.connect(lambda _checked=False: clicked())
    bar = getattr(designer, "bar", None)
    if bar is not None:
        bar.insertWidget(bar.count() - 1, button)  # before Close
    return button
