"""The parts of the reports dialog: the list of an incident's reports (and those owed but not drafted yet) and
the form of one report's eight headings, editable while it is a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.models.enums import IncidentReportStatus, ReportKind
from drillapp.services.incident_reports import FIELDS, ReportDue
from drillapp.services.incident_view import IncidentSnapshot, ReportRow

FIELD_LABELS = {
    "occurred": N_("Time"), "place": N_("Place"), "nature": N_("Nature"), "casualties": N_("Casualties"),
    "measures": N_("Measures taken"), "resources": N_("Resources committed"), "next_steps": N_("Next steps"),
    "reporter": N_("Reporter"),
}
#: the headings of one line; the others are paragraphs
ONE_LINE = ("occurred", "place", "reporter")
LATE = QColor("#9b1c1c")


def when(value: datetime | None, zone: str) -> str:
    return to_local(value, zone or None).strftime("%Y-%m-%d %H:%M") if value is not None else "—"


@dataclass(frozen=True)
class ListLine:
    """One line of the list: a report (drafted or issued) or a report owed and not drafted yet (report None)."""

    kind: ReportKind
    report: ReportRow | None
    due_at: datetime | None
    issued_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Not issued and past its time, or issued after it."""
        if self.due_at is None:
            return False
        return (self.issued_at or now) > self.due_at


def list_lines(snap: IncidentSnapshot) -> list[ListLine]:
    """The reports in the order they were drafted, each with the time it was owed by; then those owed and not
    drafted (the final report only once stood down)."""
    dues: list[ReportDue] = list(snap.dues)
    by_number = {d.issued_number: d for d in dues if d.issued}
    waiting = [d for d in dues if not d.issued]
    lines = []
    for r in snap.reports:
        if r.status is IncidentReportStatus.ISSUED:
            due = by_number.get(r.number)
            lines.append(ListLine(r.kind, r, due.due_at if due else None, r.issued_at))
            continue
        due = next((d for d in waiting if d.kind is r.kind), None)
        if due is not None:
            waiting.remove(due)
        lines.append(ListLine(r.kind, r, due.due_at if due else None, None))
    return lines + [ListLine(d.kind, None, d.due_at, None) for d in waiting
                    if snap.active or d.kind is ReportKind.FINAL]


class ReportsTable(QTableWidget):
    """Kind, number, status, due and issued (port time); an overdue line in red and saying so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("reportsList")
        self.setHorizontalHeaderLabels([_("Report"), _("Report no."), _("Status"), _("Due (port time)"),
                                        _("Issued (port time)")])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.lines: list[ListLine] = []

    def show_lines(self, lines: list[ListLine], zone: str, now: datetime) -> None:
        self.lines = lines
        self.setRowCount(len(lines))
        for row, line in enumerate(lines):
            r = line.report
            if r is None:
                status = _("Not drafted yet")
            else:
                status = label(r.status)
            late = line.overdue(now)
            if late:
                status += " · " + (_("issued late") if line.issued_at else _("OVERDUE"))
            cells = (label(line.kind), str(r.number) if r is not None and r.number else "—", status,
                     when(line.due_at, zone) if line.due_at else _("no set time"), when(line.issued_at, zone))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if late:
                    item.setForeground(QBrush(LATE))
                if r is None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.setItem(row, col, item)

    def current_line(self) -> ListLine | None:
        row = self.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def select_report(self, report_id: int | None) -> bool:
        for row, line in enumerate(self.lines):
            if line.report is not None and (report_id is None or line.report.id == report_id):
                self.selectRow(row)
                self.setCurrentCell(row, 0)
                return True
        return False


class ReportForm(QWidget):
    """The eight headings of one report; read-only once issued (or when no report is chosen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportForm")
        self.report: ReportRow | None = None
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        layout = QFormLayout(self)
        for name in FIELDS:
            editor: QLineEdit | QPlainTextEdit
            if name in ONE_LINE:
                editor = QLineEdit(self)
                editor.setMaxLength(200 if name == "reporter" else 100_000)
            else:
                editor = QPlainTextEdit(self)
                editor.setTabChangesFocus(True)
                editor.setMinimumHeight(54)
            editor.setObjectName(f"field_{name}")
            self.editors[name] = editor
            layout.addRow(_(FIELD_LABELS[name]), editor)
        self.show_report(None)

    @staticmethod
    def _text(editor: QLineEdit | QPlainTextEdit) -> str:
        return editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()

    def values(self) -> dict[str, str]:
        return {name: self._text(e) for name, e in self.editors.items()}

    @property
    def editable(self) -> bool:
        return self.report is not None and self.report.status is IncidentReportStatus.DRAFT

    def dirty(self) -> bool:
        """Edits not saved (the service trims what it stores: so does the comparison)."""
        if not self.editable or self.report is None:
            return False
        return any(v.strip() != self.report.field(n).strip() for n, v in self.values().items())

    def show_report(self, report: ReportRow | None, *, keep_edits: bool = False) -> None:
        """Show a report's words (`keep_edits`: the same draft, reloaded: what is being typed stays)."""
        same = keep_edits and report is not None and self.report is not None and self.report.id == report.id
        edits = self.values() if same and self.dirty() else None
        self.report = report
        for name, editor in self.editors.items():
            text = edits[name] if edits is not None else (report.field(name) if report is not None else "")
            if self._text(editor) != text:
                editor.setPlainText(text) if isinstance(editor, QPlainTextEdit) else editor.setText(text)
            editor.setReadOnly(not self.editable)
            editor.setEnabled(report is not None)
