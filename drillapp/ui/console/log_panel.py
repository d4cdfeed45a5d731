"""The log of a run (a drill's or an incident's): the newest lines, and a quick entry with a branch tag, ready
phrases ("area sealed", "initial report sent") and, for something phoned in or read off paper, the time it
happened beside the time it is recorded (both kept and shown)."""

from __future__ import annotations

from datetime import time
from functools import partial
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.models.enums import Agency
from drillapp.services.run_view import LogRow
from drillapp.ui.console.formatting import local_hms

#: Ready phrases of the quick entry (a run may pass its own).
QUICK_PHRASES = (N_("Area sealed"), N_("Initial report sent"), N_("Team mustered"), N_("Casualty handed over"),
                 N_("Traffic stopped"), N_("All clear"))
WHEN, AUTHOR, BRANCH, TEXT = range(4)
HEADERS = (N_("Time"), N_("By"), N_("Branch"), N_("Entry"))


class LogModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[LogRow, ...] = ()
        self.zone = ""

    def set_rows(self, rows: tuple[LogRow, ...], zone: str) -> bool:
        """Show these lines; False (and nothing done) when they are the ones shown already."""
        if [r.id for r in rows] == [r.id for r in self.rows] and zone == self.zone:
            return False
        self.beginResetModel()
        self.rows, self.zone = rows, zone
        self.endResetModel()
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == WHEN:
                text = local_hms(row.at, self.zone)
                if row.back_timed:
                    text += " " + _("(recorded {time})").format(time=local_hms(row.recorded_at, self.zone))
                return text
            if col == AUTHOR:
                return row.author
            if col == BRANCH:
                return label(row.agency)
            if col == TEXT:
                return (_("Correction: ") if row.corrects_id else "") + row.text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == TEXT:
            return row.text
        return None

    def texts(self) -> list[str]:
        return [r.text for r in self.rows]


class LogPanel(QWidget):
    """The log table and its quick entry. `submitted(text, agency or None, time it happened or None)`."""

    submitted = Signal(str, object, object)

    def __init__(self, parent: QWidget | None = None, phrases: tuple[str, ...] = QUICK_PHRASES,
                 title: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logPanel")
        self.model = LogModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("logTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.heading = QLabel(title if title is not None else _("Log"), self)
        self.heading.setObjectName("panelTitle")
        self.more = QLabel("", self)
        self.more.setProperty("muted", True)

        self.branch = QComboBox(self)
        self.branch.setObjectName("logBranch")
        self.branch.addItem(_("(no branch)"), None)
        for agency in Agency:
            self.branch.addItem(label(agency), agency)
        self.text = QLineEdit(self)
        self.text.setObjectName("logText")
        self.text.setPlaceholderText(_("What happened (Enter to log it)"))
        self.text.returnPressed.connect(self.submit)
        self.quick = QToolButton(self)
        self.quick.setObjectName("logQuick")
        self.quick.setText(_("Quick…"))
        self.quick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.quick)
        for phrase in phrases:
            menu.addAction(_(phrase), partial(self._use_phrase_of, phrase))
        self.quick.setMenu(menu)
        self.back_timed = QCheckBox(_("Happened at"), self)
        self.back_timed.setObjectName("logBackTimed")
        self.when = QTimeEdit(self)
        self.when.setObjectName("logWhen")
        self.when.setDisplayFormat("HH:mm")
        self.when.setEnabled(False)
        self.back_timed.toggled.connect(self.when.setEnabled)
        self.add = QPushButton(_("Log"), self)
        self.add.setObjectName("logAdd")
        self.add.clicked.connect(self.submit)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.more)
        entry = QHBoxLayout()
        entry.addWidget(self.branch)
        entry.addWidget(self.quick)
        entry.addWidget(self.text, 1)
        entry.addWidget(self.back_timed)
        entry.addWidget(self.when)
        entry.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)

    def show_rows(self, rows: tuple[LogRow, ...], total: int, zone: str) -> None:
        if self.model.set_rows(rows, zone):
            if len(rows) < 300:
                self.table.resizeColumnToContents(WHEN)
                self.table.resizeColumnToContents(AUTHOR)
                self.table.resizeColumnToContents(BRANCH)
            self.table.scrollToBottom()
        hidden = total - len(rows)
        self.more.setText(_("{n} earlier lines in the run record").format(n=hidden) if hidden > 0 else "")

    def start_entry(self, agency: Agency | None = None, now_local: QTime | None = None) -> None:
        """Put the cursor in the quick entry (L), tagged with a branch when one is given."""
        if agency is not None:
            self.branch.setCurrentIndex(max(0, self.branch.findData(agency)))
        if now_local is not None and not self.back_timed.isChecked():
            self.when.setTime(now_local)
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()

    def _use_phrase_of(self, phrase: str) -> None:
        """A ready phrase from the menu, in the current language."""
        self._use_phrase(_(phrase))

    def _use_phrase(self, phrase: str) -> None:
        self.text.setText(phrase)
        self.text.setFocus()

    def submit(self) -> None:
        text = self.text.text().strip()
        if not text:
            return
        happened: time | None = None
        if self.back_timed.isChecked():
            happened = cast(time, self.when.time().toPython())
        self.submitted.emit(text, self.branch.currentData(), happened)

    def entry_done(self) -> None:
        """The line was committed: clear the entry for the next one."""
        self.text.clear()
        self.back_timed.setChecked(False)
