"""The drill designer's scenario script (MSEL): the injects in a table (number, minute from the start, scenario
time, from → to, delivery, message, expected action, the objective it tests), added, removed and reordered
there; imported from and exported to XLSX or CSV through the MSEL sheets (services/msel.py), with the sheet's
row-and-column problem report shown when it is refused (all rows or none)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import InjectDelivery
from drillapp.services.drill_design import InjectDoc, ObjectiveDoc
from drillapp.services.msel import SHOWN_PROBLEMS, MselImportError, MselReport, MselService
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.plans.record_table import ColumnSpec, RecordTable, enum_choices

SHEET_FILTER = "Spreadsheets (*.xlsx *.csv)"


def objective_title(n: int, o: ObjectiveDoc) -> str:
    text = o.text if len(o.text) <= 40 else o.text[:39] + "…"
    return f"{n}. {text}"


class MselTab(QWidget):
    edited = Signal(object, str)  # (tuple of InjectDoc, description)
    import_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.injects: tuple[InjectDoc, ...] = ()
        self.objectives: tuple[ObjectiveDoc, ...] = ()
        self.duration = 60
        self.table = RecordTable(self._columns(), self._new_inject, self)
        self.table.setObjectName("injects")
        self.table.edited.connect(self._edited)
        self.import_button = QPushButton(_("Import sheet…"), self)
        self.import_button.setObjectName("importMsel")
        self.import_button.clicked.connect(self.import_requested)
        self.export_button = QPushButton(_("Export sheet…"), self)
        self.export_button.setObjectName("exportMsel")
        self.export_button.clicked.connect(self.export_requested)
        self.hint = QLabel(_("Injects run in the order of their minute; Move up and Move down order those at the "
                             "same minute, and the numbers follow."), self)
        self.hint.setWordWrap(True)
        self.hint.setProperty("muted", True)
        self.empty = QLabel(_("No injects yet: press Add, or import a sheet (XLSX or CSV, Chinese or English "
                              "headers)."), self)
        self.empty.setObjectName("mselEmpty")
        self.empty.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def _columns(self) -> list[ColumnSpec]:
        objectives = tuple((o.key, objective_title(n, o)) for n, o in enumerate(self.objectives, start=1))
        return [
            ColumnSpec("number", _("No."), "int", width=50, maximum=999_999),
            ColumnSpec("offset_minutes", _("Minute"), "int", required=True, width=70, maximum=self.duration),
            ColumnSpec("scenario_time", _("Scenario time"), width=100),
            ColumnSpec("sender", _("Sender"), width=110),
            ColumnSpec("recipient", _("Recipient"), width=110),
            ColumnSpec("delivery", _("Delivery"), "choice", enum_choices(InjectDelivery, label, True, "—"), width=100),
            ColumnSpec("message", _("Message"), required=True),
            ColumnSpec("expected_action", _("Expected action")),
            ColumnSpec("objective_key", _("Objective"), "choice", ((None, "—"), *objectives), width=160),
        ]

    def _new_inject(self) -> InjectDoc:
        last = max((i.offset_minutes for i in self.injects), default=0)
        number = max((i.number or 0 for i in self.injects), default=0) + 1
        return InjectDoc(number, min(last + 5, self.duration) if self.injects else 0, _("New inject"))

    def show_injects(self, injects: tuple[InjectDoc, ...], objectives: tuple[ObjectiveDoc, ...], duration: int,
                     read_only: bool, saved: bool) -> None:
        self.injects = injects
        if objectives != self.objectives or duration != self.duration:
            self.objectives, self.duration = objectives, duration
            self.table.columns[:] = self._columns()
        self.table.show_records(injects, read_only)
        self.empty.setVisible(not injects)
        self.import_button.setEnabled(not read_only and saved)
        self.export_button.setEnabled(saved)
        tip = "" if saved else _("Save the drill first: a sheet is read into, and written from, the saved drill.")
        self.import_button.setToolTip(tip)
        self.export_button.setToolTip(tip)

    def _edited(self, injects: tuple[InjectDoc, ...], text: str) -> None:
        if text == _("Move row"):  # at the same minute, the order shown; the numbers follow the running order
            moved = list(enumerate(injects))
            moved.sort(key=lambda p: (p[1].offset_minutes, p[0]))
            injects = tuple(replace(i, number=n) for n, (_pos, i) in enumerate(moved, start=1))
        else:  # an emptied number or minute: the next free number, minute 0
            used = {i.number for i in injects if i.number}
            fixed = []
            for i in injects:
                if i.number is None:
                    i = replace(i, number=max(used, default=0) + 1)
                    used.add(i.number)
                if i.offset_minutes is None:
                    i = replace(i, offset_minutes=0)
                fixed.append(i)
            injects = tuple(fixed)
        self.edited.emit(injects, text)


class ProblemReport(QDialog):
    """A refused sheet: what was wrong, by row and column (the first few), nothing imported."""

    def __init__(self, report: MselReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mselProblems")
        self.setWindowTitle(_("Scenario script not imported"))
        self.setMinimumSize(560, 320)
        message = QLabel(report.message(), self)
        message.setWordWrap(True)
        self.lines = QPlainTextEdit(self)
        self.lines.setObjectName("problemLines")
        self.lines.setReadOnly(True)
        self.lines.setPlainText("\n".join(report.lines()[:SHOWN_PROBLEMS + 1]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)


def import_sheet(parent: QWidget, msel: MselService, drill_id: int, then: Callable[[], object]) -> None:
    """Ask for a sheet and read it into the saved drill (all rows or none); a refused sheet shows its report."""
    path, _f = QFileDialog.getOpenFileName(parent, _("Import scenario script"), "", SHEET_FILTER)
    if not path:
        return

    def refused(exc: BaseException) -> None:
        if isinstance(exc, MselImportError):
            ProblemReport(exc.report, parent).exec()
        else:
            show_error(parent, exc)

    def imported(report: MselReport) -> None:
        QMessageBox.information(parent, _("Scenario script"), report.message())
        then()

    WriteOp(parent, lambda: msel.import_file(drill_id, path), label=_("Importing…")) \
        .success(imported).failure(refused).run(initiator=parent)


def export_sheet(parent: QWidget, msel: MselService, drill_id: int) -> None:
    path, _f = QFileDialog.getSaveFileName(parent, _("Export scenario script"), f"msel-{drill_id}.xlsx", SHEET_FILTER)
    if not path:
        return
    QueryOp(parent, lambda: msel.export_file(drill_id, path)).success(
        lambda written: QMessageBox.information(parent, _("Scenario script"),
                                                _("Written to {path}.").format(path=written))).run()
