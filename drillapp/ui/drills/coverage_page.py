"""The Drills area's coverage matrix: each plan × response level (rows) × branch (columns) with when it was
last exercised (by a completed drill, or a real incident, marked), when it is next due, and the drills
already scheduled to cover it; red where overdue, amber within 60 days. Read off the GUI thread from the one
coverage function (services/coverage.py) and kept fresh by a Watch. Double-click or Enter on a cell opens the
drill scheduled to cover it (else the one that last did)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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
from drillapp.labels import label, level_label
from drillapp.services.coverage import CoverageCell, CoverageMatrix, CoverageService
from drillapp.ui.operations import QueryOp, Watch

OVERDUE = QColor("#f4c7c3")
DUE_SOON = QColor("#fde9b5")
FINE = QColor("#d9ead3")
CELL = Qt.ItemDataRole.UserRole


def cell_text(c: CoverageCell) -> str:
    last = c.last_exercised.isoformat() if c.last_exercised else _("never")
    if c.by_incident:
        last += " " + _("(incident)")
    lines = [_("last: {date}").format(date=last), _("due: {date}").format(date=c.due.isoformat())]
    if c.scheduled:
        lines.append(_("{n} scheduled").format(n=len(c.scheduled)))
    return "\n".join(lines)


def cell_tip(c: CoverageCell) -> str:
    parts = [f"{c.plan_code} · {level_label(c.level)} · {label(c.agency)}",
             _("Exercised every {n} months.").format(n=c.interval_months)]
    if c.overdue:
        parts.append(_("Overdue since {date}.").format(date=c.due.isoformat()))
    elif c.due_soon:
        parts.append(_("Due within 60 days."))
    if c.scheduled:
        parts.append(_("Scheduled drills: {ids}").format(ids=", ".join(f"#{i}" for i in c.scheduled)))
    return "\n".join(parts)


class CoverageTable(QTableWidget):
    activated_cell = Signal(object)  # CoverageCell

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (item := self.currentItem()) is not None:
            cell = item.data(CELL)
            if cell is not None:
                self.activated_cell.emit(cell)
                return
        super().keyPressEvent(event)


class CoveragePage(QWidget):
    open_drill = Signal(int)

    def __init__(self, coverage: CoverageService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageMatrix")
        self.coverage = coverage
        self.matrix: CoverageMatrix | None = None
        self.watch = Watch(self, self.refresh)
        self.summary = QLabel(self)
        self.summary.setObjectName("coverageSummary")
        self.only_due = QCheckBox(_("Only overdue or due soon"), self)
        self.only_due.setObjectName("onlyDue")
        self.only_due.toggled.connect(lambda _on: self._show())
        self.refresh_button = QPushButton(_("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.table = CoverageTable(self)
        self.table.setObjectName("coverageTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(lambda item: self._open(item.data(CELL)))
        self.table.activated_cell.connect(self._open)
        self.empty = QLabel(_("No plan in force at this port yet: coverage counts the plans' levels and branches."),
                            self)
        self.empty.setProperty("muted", True)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText("&nbsp;&nbsp;".join(
            f'<span style="background:{colour.name()}">&nbsp;&nbsp;&nbsp;</span> {text}'
            for colour, text in ((OVERDUE, _("Overdue")), (DUE_SOON, _("Due within 60 days")),
                                 (FINE, _("Covered")))))
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.only_due)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.legend)
        self._loaded = False

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self.activate()

    def refresh(self) -> None:
        coverage = self.coverage
        QueryOp(self, coverage.matrix, watch=self.watch).success(self._loaded_matrix).run()

    def _loaded_matrix(self, matrix: CoverageMatrix) -> None:
        self._loaded = True
        self.matrix = matrix
        self.summary.setText(_("{overdue} overdue, {soon} due within 60 days, of {cells} cells (plan × level × "
                               "branch), as of {today}.").format(overdue=matrix.overdue_count,
                                                                 soon=matrix.due_soon_count, cells=len(matrix.cells),
                                                                 today=matrix.today.isoformat()))
        self._show()

    def _show(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        columns = {branch_id: i for i, (branch_id, _a) in enumerate(matrix.branches)}
        rows: dict[tuple[int, int], list[CoverageCell]] = {}
        for c in matrix.cells:
            rows.setdefault((c.plan_id, c.level), []).append(c)
        if self.only_due.isChecked():
            rows = {k: cs for k, cs in rows.items() if any(c.overdue or c.due_soon for c in cs)}
        self.table.clear()
        self.table.setColumnCount(len(matrix.branches))
        self.table.setHorizontalHeaderLabels([label(agency) for _b, agency in matrix.branches])
        self.table.setRowCount(len(rows))
        for r, ((_plan, level), cells) in enumerate(rows.items()):
            head = QTableWidgetItem(f"{cells[0].plan_code} {level_label(level)}")
            head.setToolTip(cells[0].plan_title)
            self.table.setVerticalHeaderItem(r, head)
            for c in cells:
                item = QTableWidgetItem(cell_text(c))
                item.setData(CELL, c)
                item.setToolTip(cell_tip(c))
                item.setBackground(QBrush(OVERDUE if c.overdue else DUE_SOON if c.due_soon else FINE))
                self.table.setItem(r, columns[c.branch_id], item)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not matrix.cells)

    def _open(self, cell: CoverageCell | None) -> None:
        if cell is None:
            return
        drill_id = cell.scheduled[0] if cell.scheduled else cell.last_drill_id
        if drill_id is not None:
            self.open_drill.emit(drill_id)
