"""The corrective actions of the selected area for improvement: what, capability element, branch and person,
start and due (days of the port's calendar), status; overdue ones in red. They keep moving after sign-off."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from drillapp.labels import label
from drillapp.models.enums import ActionStatus
from drillapp.services.review_read import ActionDoc, FindingDoc
from drillapp.ui.windows import fit_rows, refit_when_resized

OVERDUE_BACKGROUND = "#fbe3e3"
OVERDUE_TEXT = "#9b1c1c"


def action_cells(a: ActionDoc) -> list[str]:
    """The row's texts; start and due are days of the port's calendar, stored as such (shown as they are)."""
    start = a.start_on.isoformat() if a.start_on else "—"
    due = a.due_on.isoformat() if a.due_on else "—"
    if a.overdue:
        due = _("{date} (overdue)").format(date=due)
    return [a.text, label(a.capability) if a.capability else "—", label(a.agency) if a.agency else "—",
            a.owner_name or "—", start, due, label(a.status)]


class ActionsPanel(QWidget):
    add_wanted = Signal(int)  # finding id
    edit_wanted = Signal(object)  # ActionDoc
    status_wanted = Signal(object, object)  # ActionDoc, ActionStatus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding: FindingDoc | None = None
        #: what the user's role may do here (the service refuses the rest anyway; the buttons say so first)
        self.may_add = self.may_edit = self.may_set_status = True
        self.rows: tuple[ActionDoc, ...] = ()
        self.title = QLabel(_("Corrective actions"), self)
        self.title.setObjectName("sectionTitle")
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("correctiveActions")
        self.table.setHorizontalHeaderLabels([_("Corrective action"), _("Capability"), _("Branch"), _("Owner"),
                                              _("Start"), _("Due"), _("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._edit())
        refit_when_resized(self.table, self._fit)
        self.empty = QLabel(self)
        self.empty.setObjectName("actionsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.add_button = QPushButton(_("Add action…"), self)
        self.add_button.setObjectName("addAction")
        self.add_button.clicked.connect(self._add)
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.setObjectName("editAction")
        self.edit_button.clicked.connect(self._edit)
        self.status = QComboBox(self)
        self.status.setObjectName("actionStatus")
        self.status.setToolTip(_("Set the selected action's status"))
        for status in ActionStatus:
            self.status.addItem(label(status), status)
        self.status.activated.connect(self._status)
        self.table.currentCellChanged.connect(lambda *_a: self._selected())
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addStretch(1)
        bar.addWidget(QLabel(_("Status"), self))
        bar.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)

    def show_actions(self, finding: FindingDoc | None, can_have: bool) -> None:
        row = self.table.currentRow()
        self.finding = finding
        self.rows = finding.actions if finding is not None else ()
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            for c, text in enumerate(action_cells(a)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if a.overdue:
                    item.setBackground(QBrush(QColor(OVERDUE_BACKGROUND)))
                    item.setForeground(QBrush(QColor(OVERDUE_TEXT)))
                self.table.setItem(r, c, item)
        if finding is None:
            self.empty.setText("")
        elif not can_have:
            self.empty.setText(_("Corrective actions belong to accepted areas for improvement."))
        else:
            self.empty.setText(_("No corrective actions yet: add what will be done, by whom, by when."))
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        # actions keep moving after sign-off: the improvement plan
        self.add_button.setEnabled(can_have and self.may_add)
        if self.rows:
            self.table.setCurrentCell(min(max(row, 0), len(self.rows) - 1), 0)
        self._fit()
        self._selected()

    def _fit(self) -> None:
        fit_rows(self.table, skip=(1, 2, 3, 4, 5, 6), max_height=120)

    def current(self) -> ActionDoc | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        a = self.current()
        self.edit_button.setEnabled(a is not None and self.may_edit)
        self.status.setEnabled(a is not None and self.may_set_status)
        if a is not None:
            self.status.setCurrentIndex(self.status.findData(a.status))

    def _add(self) -> None:
        if self.finding is not None:
            self.add_wanted.emit(self.finding.id)

    def _edit(self) -> None:
        a = self.current()
        if a is not None:
            self.edit_wanted.emit(a)

    def _status(self, _index: int) -> None:
        a = self.current()
        status = self.status.currentData()
        if a is not None and status is not a.status:
            self.status_wanted.emit(a, status)
