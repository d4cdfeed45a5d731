"""The incident log in the drill console's log panel, with the category every entry has (decision, action,
information, communication, report) shown in its own column and chosen at the quick entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QWidget

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.models.enums import LogKind
from drillapp.services.run_view import LogRow
from drillapp.ui.console.log_panel import AUTHOR, BRANCH, TEXT, WHEN, LogModel, LogPanel

#: The categories an officer picks (the system's own lines have theirs).
CATEGORIES = (LogKind.INFORMATION, LogKind.DECISION, LogKind.ACTION, LogKind.COMMUNICATION, LogKind.REPORT)
#: Ready phrases of the incident's quick entry.
INCIDENT_PHRASES = (N_("Area sealed"), N_("Initial report sent by phone"), N_("Team mustered"),
                    N_("Casualty handed over"), N_("Traffic stopped"), N_("Fire brigade on scene"),
                    N_("All clear"))
CATEGORY = 3  # the column, between the branch and the entry
ENTRY = 4


class IncidentLogModel(LogModel):
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section >= CATEGORY:
            return _("Category") if section == CATEGORY else _("Entry")
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.column() == CATEGORY:
            row: LogRow = self.rows[index.row()]
            return label(row.kind) if role == Qt.ItemDataRole.DisplayRole else None
        if index.column() == ENTRY:
            return super().data(self.index(index.row(), TEXT), role)
        return super().data(index, role)


class IncidentLogPanel(LogPanel):
    """`category()` is the category chosen for the next entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, phrases=INCIDENT_PHRASES, title=_("Incident log"))
        self.model = IncidentLogModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ENTRY, QHeaderView.ResizeMode.Stretch)
        self.kind = QComboBox(self)
        self.kind.setObjectName("logCategory")
        self.kind.setToolTip(_("Category of the entry"))
        for kind in CATEGORIES:
            self.kind.addItem(label(kind), kind)
        layout = self.layout()
        entry = layout.itemAt(2) if layout is not None else None
        if isinstance(entry, QHBoxLayout):
            entry.insertWidget(1, self.kind)

    def show_rows(self, rows: tuple[LogRow, ...], total: int, zone: str) -> None:
        super().show_rows(rows, total, zone)
        if len(rows) < 300:
            for col in (WHEN, AUTHOR, BRANCH, CATEGORY):
                self.table.resizeColumnToContents(col)
        self.more.setText(_("{n} earlier lines in the incident record").format(n=total - len(rows))
                          if total > len(rows) else "")

    def category(self) -> LogKind:
        return self.kind.currentData()

    def set_writable(self, writable: bool) -> None:
        for widget in (self.branch, self.kind, self.quick, self.text, self.back_timed, self.add):
            widget.setEnabled(writable)
        self.when.setEnabled(writable and self.back_timed.isChecked())
        self.text.setPlaceholderText(_("What happened (Enter to log it)") if writable
                                     else _("The incident has been stood down: its log is closed."))
