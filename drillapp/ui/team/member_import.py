"""Import the volunteers the branches sent (CSV or Excel): check first, list every problem by row and
column, import only a clean sheet (all rows or none); and export the team to a sheet.

A sheet exported earlier may hold rows changed in the app since: those are listed as conflicts, each with
what differs and a choice (keep the app's values, or take the sheet's); the import waits for every choice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.services.member_conflicts import Conflict, Resolution
from drillapp.services.member_import import ImportReport, MemberImportService
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.widgets import item_at

SHEETS = "(*.xlsx *.csv)"


class MemberImportDialog(QDialog):
    def __init__(self, service: MemberImportService, port_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberImport")
        self.setWindowTitle(_("Import members"))
        self.resize(760, 480)
        self.service, self.port_id = service, port_id
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self.imported: ImportReport | None = None
        self.file_label = QLabel(_("Choose the sheet the branches sent (Excel or CSV)."), self)
        self.file_label.setWordWrap(True)
        self.choose = QPushButton(_("Choose file…"), self)
        self.choose.setObjectName("chooseFile")
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 3, self)
        self.problems.setObjectName("problems")
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems.verticalHeader().setVisible(False)
        self.conflicts = QTableWidget(0, 4, self)
        self.conflicts.setObjectName("conflicts")
        self.conflicts.setHorizontalHeaderLabels([_("Row"), _("Member"), _("What differs (sheet → app)"),
                                                  _("Choice")])
        self.conflicts.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.do_import)
        self.choose.clicked.connect(self.pick)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.conflicts, 1)
        layout.addWidget(self.buttons)

    def pick(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import members"), str(Path.home()),
                                                    _("Member sheets") + f" {SHEETS}")
        if path:
            self.check(Path(path))

    def check(self, path: Path) -> None:
        """Read and check the sheet (in the background); nothing is written."""
        self.path = path
        self.file_label.setText(str(path))
        self.summary.setText(_("Checking…"))
        self.import_button.setEnabled(False)
        service, port_id = self.service, self.port_id
        QueryOp(self, lambda: service.check(path, port_id), label=_("Checking the sheet…")) \
            .success(self._checked).failure(self._failed).run()

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText(report.message() if report.problems or report.unresolved else
                             _("{rows} row(s) ready: {created} new member(s), {updated} updated.").format(
                                 rows=report.rows, created=report.created, updated=report.updated))
        lines = report.lines()
        self.problems.setRowCount(len(lines))
        for r, p in enumerate(report.problems):
            for c, text in enumerate((str(p.row), p.column, p.problem)):
                self.problems.setItem(r, c, QTableWidgetItem(text))
        if len(lines) > len(report.problems):  # "… and 2,997 more."
            self.problems.setItem(len(report.problems), 2, QTableWidgetItem(lines[-1]))
        self._show_conflicts(report.conflicts if report.ok else ())
        self._update_import_button()

    def _show_conflicts(self, conflicts: tuple[Conflict, ...]) -> None:
        self.conflicts.setRowCount(len(conflicts))
        self.conflicts.setVisible(bool(conflicts))
        for r, conflict in enumerate(conflicts):
            what = "\n".join(f"{d.column}: {d.sheet or '—'} → {d.app or '—'}" for d in conflict.differences)
            for c, text in enumerate((str(conflict.row), conflict.name, what)):
                self.conflicts.setItem(r, c, QTableWidgetItem(text))
            choice = QComboBox(self.conflicts)
            choice.addItem(_("Choose…"), None)
            choice.addItem(_("Keep the app's values"), Resolution.KEEP_APP.value)
            choice.addItem(_("Take the sheet's values"), Resolution.TAKE_SHEET.value)
            choice.currentIndexChanged.connect(self._update_import_button)
            self.conflicts.setCellWidget(r, 3, choice)
        self.conflicts.resizeRowsToContents()

    def choice(self, row: int) -> QComboBox:
        """The choice box of the conflict listed at `row` of the table."""
        return self.conflicts.cellWidget(row, 3)  # type: ignore[return-value]  # column 3 holds the row's choice box, placed by this dialog

    def resolutions(self) -> dict[int, Resolution]:
        """The choices made so far: sheet row -> resolution."""
        out = {}
        for r in range(self.conflicts.rowCount()):
            value = self.choice(r).currentData()
            if value is not None:
                out[int(item_at(self.conflicts, r, 0).text())] = Resolution(value)
        return out

    def _update_import_button(self) -> None:
        report = self.report
        ready = report is not None and report.ok and report.rows > 0
        self.import_button.setEnabled(ready and len(self.resolutions()) == self.conflicts.rowCount())

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("")
        show_error(self, exc)

    def do_import(self) -> None:
        if self.path is None:
            return
        service, path, port_id, resolutions = self.service, self.path, self.port_id, self.resolutions()

        def failed(exc: BaseException) -> None:  # e.g. changed on disk since the check: say so, nothing written
            show_error(self, exc)
            self.check(path)

        WriteOp(self, lambda: service.import_file(path, port_id, resolutions), label=_("Importing…"), long=True) \
            .success(self._imported).failure(failed).run(initiator=self)

    def _imported(self, report: ImportReport) -> None:
        self.imported = report
        self.summary.setText(report.message())
        self.accept()


def export_members(service: MemberImportService, port_id: int, parent: QWidget,
                   done: Callable[[Path], object]) -> None:
    """Ask where, then write the port's members to a sheet off the GUI thread; `done(path)` once written."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Export members"), str(Path.home() / "members.xlsx"),
                                                _("Member sheets") + f" {SHEETS}")
    if path:
        QueryOp(parent, lambda: service.export(port_id, Path(path)), label=_("Exporting…")).success(done).run()
