"""An editable table of immutable records (dataclasses): each edit produces a new tuple of records.

The plan editor keeps its working copy as frozen dataclasses and records every change as a snapshot on
its undo stack; this table turns cell edits into such changes, validating as the user types (a bad
value turns the cell red and is not taken).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _

INVALID = QBrush(QColor("#f8d7da"))


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    title: str  # translated
    kind: str = "text"  # text | int | choice
    choices: tuple[tuple[Any, str], ...] = ()  # (value, label) for "choice"
    required: bool = False
    maximum: int = 43_200
    width: int = 0


def enum_choices(enum_cls: type[enum.Enum], label: Callable[[Any], str], optional: bool = False,
                 none_label: str = "") -> tuple[tuple[Any, str], ...]:
    values: list[tuple[Any, str]] = [(None, none_label)] if optional else []
    return tuple(values + [(m, label(m)) for m in enum_cls])


class RecordTable(QWidget):
    """Rows of records with Add / Remove / Up / Down; emits `edited(new_records, description)`."""

    edited = Signal(object, str)
    validity_changed = Signal(bool)

    def __init__(self, columns: list[ColumnSpec], make_new: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.make_new = make_new
        self.records: tuple[Any, ...] = ()
        self.read_only = False
        self.invalid: set[tuple[int, int]] = set()
        self._filling = False
        self.table = QTableWidget(0, len(columns), self)
        self.table.setObjectName("records")
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for i, c in enumerate(columns):
            if c.width:
                header.resizeSection(i, c.width)
            elif c.kind == "text":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add"), self)
        self.add_button.setObjectName("add")
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("remove")
        self.up_button = QPushButton(_("Move up"), self)
        self.up_button.setObjectName("up")
        self.down_button = QPushButton(_("Move down"), self)
        self.down_button.setObjectName("down")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.table.itemChanged.connect(self._item_changed)
        # column widths change (window resized, stretched column laid out): the wrapping changes with them
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *_args: self._refit.start())

    # -- showing ----------------------------------------------------------------------------------
    def show_records(self, records: tuple[Any, ...], read_only: bool) -> None:
        current = self.table.currentRow()
        self.records, self.read_only = tuple(records), read_only
        self._filling = True
        self.invalid.clear()
        self.table.setRowCount(len(records))
        for r, record in enumerate(records):
            for c, col in enumerate(self.columns):
                value = getattr(record, col.key)
                if col.kind == "choice":
                    combo = QComboBox(self.table)
                    combo.setObjectName(f"{col.key}_{r}")
                    for choice_value, text in col.choices:
                        combo.addItem(text, choice_value)
                    combo.setCurrentIndex(max(0, combo.findData(value)))
                    combo.setEnabled(not read_only)
                    combo.currentIndexChanged.connect(lambda _i, row=r, key=col.key, box=combo:
                                                      self._set(row, key, box.currentData()))
                    self.table.setCellWidget(r, c, combo)
                else:
                    item = QTableWidgetItem("" if value is None else str(value))
                    flags = item.flags()
                    item.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable if read_only else flags | Qt.ItemFlag.ItemIsEditable)
                    self.table.setItem(r, c, item)
        self._filling = False
        self._fit_rows()
        if 0 <= current < len(records):
            self.table.selectRow(current)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setEnabled(not read_only)
        self.validity_changed.emit(True)

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped text needs (combo boxes would otherwise make every row tall)."""
        metrics = self.table.fontMetrics()
        single = max(30, metrics.height() + 12)
        for r in range(self.table.rowCount()):
            height = single
            for c, col in enumerate(self.columns):
                item = self.table.item(r, c)
                if col.kind == "choice" or item is None or not item.text():
                    continue
                width = max(40, self.table.columnWidth(c) - 8)
                rect = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), item.text())
                height = max(height, rect.height() + 10)
            self.table.setRowHeight(r, min(height, 400))

    # -- editing ----------------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        col = self.columns[item.column()]
        text = item.text()
        value: Any = text
        problem = ""
        if col.kind == "int":
            stripped = text.strip()
            if not stripped:
                value = None
            elif not stripped.isdigit() or int(stripped) > col.maximum:
                problem = _("A whole number of minutes from 0 to {max}.").format(max=col.maximum)
            else:
                value = int(stripped)
        if col.required and not text.strip():
            problem = _("{field} must not be empty.").format(field=col.title)
        cell = (item.row(), item.column())
        if problem:
            self._filling = True
            item.setBackground(INVALID)
            item.setToolTip(problem)
            self._filling = False
            self.invalid.add(cell)
            self.validity_changed.emit(False)
            return
        if cell in self.invalid:
            self.invalid.discard(cell)
            self._filling = True
            item.setBackground(QBrush())
            item.setToolTip("")
            self._filling = False
        self._set(item.row(), col.key, value)
        self.validity_changed.emit(not self.invalid)

    def _set(self, row: int, key: str, value: Any) -> None:
        if self._filling or row >= len(self.records) or getattr(self.records[row], key) == value:
            return
        records = list(self.records)
        records[row] = replace(records[row], **{key: value})
        self.edited.emit(tuple(records), _("Edit {field}").format(field=self._title(key)))

    def _title(self, key: str) -> str:
        return next(c.title for c in self.columns if c.key == key)

    def add(self) -> None:
        row = self.table.currentRow()
        at = row + 1 if row >= 0 else len(self.records)
        records = list(self.records)
        records.insert(at, self.make_new())
        self.edited.emit(tuple(records), _("Add row"))
        self.table.selectRow(at)

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.records):
            records = list(self.records)
            del records[row]
            self.edited.emit(tuple(records), _("Remove row"))

    def move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if 0 <= row < len(self.records) and 0 <= target < len(self.records):
            records = list(self.records)
            records[row], records[target] = records[target], records[row]
            self.edited.emit(tuple(records), _("Move row"))
            self.table.selectRow(target)
