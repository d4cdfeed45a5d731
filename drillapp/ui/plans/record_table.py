"""An editable table of immutable records (dataclasses): each edit produces a new tuple of records.

The plan editor keeps its working copy as frozen dataclasses and records every change as a snapshot on
its undo stack; this table turns cell edits into such changes, validating as the user types (a bad
value turns the cell red and is not taken).

It edits like a spreadsheet (`SheetTable`): typing on a cell starts editing it with what is typed, Tab and
Shift+Tab commit and go on editing the next or previous cell, Enter commits and moves down. A choice
(agency, level, phase ...) is a cell like any other, edited with a drop-down list. Showing the records
again after an edit updates the cells in place, so the cell being edited and the next one are not
disturbed. With a `sort_key` the rows stay in that order (a plan's actions), the edited row followed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.ui.windows import fit_rows, refit_when_resized

INVALID = QBrush(QColor("#f8d7da"))
VALUE = Qt.ItemDataRole.UserRole  # a choice cell's value (its text is the value's label)
Index = QModelIndex | QPersistentModelIndex


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


class SheetTable(QTableWidget):
    """A QTableWidget that edits like a spreadsheet (see the module docstring)."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)

    def move_down(self) -> None:
        row, column = self.currentRow(), self.currentColumn()
        if 0 <= row < self.rowCount() - 1 and column >= 0:
            self.setCurrentCell(row + 1, column)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_down()
            event.accept()
            return
        super().keyPressEvent(event)

    def step(self, row: int, column: int, step: int) -> QModelIndex:
        """The cell `step` (1 or -1) cells on from (row, column), reading row by row; an invalid index past the
        first or last cell."""
        column += step
        if column >= self.columnCount():
            row, column = row + 1, 0
        elif column < 0:
            row, column = row - 1, self.columnCount() - 1
        return self.model().index(row, column) if 0 <= row < self.rowCount() else QModelIndex()


class ChoiceDelegate(QStyledItemDelegate):
    """Choice columns are edited with a drop-down list of their values; the others with a line edit. Enter, Tab
    and Shift+Tab in an editor commit it and move (down; on, editing; back, editing) from where the edited
    record now is: a sorted table may have moved it."""

    def __init__(self, table: RecordTable) -> None:
        super().__init__(table)
        self.records = table

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(editor, QWidget) and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]  # a key event (checked by the caller's type())
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._finish(editor, 0)
                return True
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                backwards = key == Qt.Key.Key_Backtab or bool(
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]  # a key event (checked by the caller's type())
                self._finish(editor, -1 if backwards else 1)
                return True
        return super().eventFilter(editor, event)

    def _finish(self, editor: QWidget, step: int) -> None:
        table = self.records.table
        column = table.currentColumn()
        self.records.moved_to = None
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        row = self.records.moved_to if self.records.moved_to is not None else table.currentRow()
        if step == 0:
            table.setCurrentCell(min(row + 1, table.rowCount() - 1), column)
            return
        target = table.step(row, column, step)
        if target.isValid():
            table.setCurrentIndex(target)
            table.edit(target)
        else:
            table.setCurrentCell(row, column)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        col = self.records.columns[index.column()]
        if col.kind != "choice":
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName(f"{col.key}_editor")
        for value, text in col.choices:
            combo.addItem(text, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(VALUE))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            self.records.choose(index.row(), index.column(), editor.currentData())
        else:
            super().setModelData(editor, model, index)


class RecordTable(QWidget):
    """Rows of records with Add / Remove / Up / Down; emits `edited(new_records, description)`."""

    edited = Signal(object, str)
    validity_changed = Signal(bool)

    def __init__(self, columns: list[ColumnSpec], make_new: Callable[[], Any], parent: QWidget | None = None,
                 sort_key: Callable[[Any], Any] | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.make_new = make_new
        self.sort_key = sort_key
        self.records: tuple[Any, ...] = ()
        self.read_only = False
        self.invalid: set[tuple[int, int]] = set()
        self._filling = False
        self.moved_to: int | None = None  # where the record edited in an open editor is after the edit
        self.table = SheetTable(0, len(columns), self)
        self.table.setObjectName("records")
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setItemDelegate(ChoiceDelegate(self))
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
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        self.table.itemChanged.connect(self._item_changed)
        refit_when_resized(self.table, self._fit_rows)

    # -- showing ----------------------------------------------------------------------------------
    def show_records(self, records: tuple[Any, ...], read_only: bool) -> None:
        """Show `records`, changing only the cells whose text, value or editability differ."""
        self.records, self.read_only = tuple(records), read_only
        self._filling = True
        for r, c in self.invalid:
            item = self.table.item(r, c)
            if item is not None:
                item.setBackground(QBrush())
                item.setToolTip("")
        self.invalid.clear()
        if self.table.rowCount() != len(records):
            self.table.setRowCount(len(records))
        blocked = self.table.blockSignals(True)  # no itemChanged per cell filled (a large plan has ~500)
        flags = _cell_flags(read_only)  # worked out once: Qt's flag arithmetic in Python costs ~10 µs a cell
        try:
            for r, record in enumerate(records):
                for c, col in enumerate(self.columns):
                    self._show_cell(r, c, col, getattr(record, col.key), read_only, flags)
        finally:
            self.table.blockSignals(blocked)
            self._filling = False
        self._fit_rows()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setEnabled(not read_only)
        self.validity_changed.emit(True)

    def _show_cell(self, r: int, c: int, col: ColumnSpec, value: Any, read_only: bool, flags: Qt.ItemFlag) -> None:
        if col.kind == "choice":
            text = next((label for choice, label in col.choices if choice == value), "")
        else:
            text = "" if value is None else str(value)
        item = self.table.item(r, c)
        if item is None:  # a new cell: made whole, then put in the table once
            item = QTableWidgetItem(text)
            if col.kind == "choice":
                item.setData(VALUE, value)
            if read_only:
                item.setFlags(flags)
            self.table.setItem(r, c, item)
            return
        if item.text() != text:
            item.setText(text)
        if col.kind == "choice" and item.data(VALUE) != value:
            item.setData(VALUE, value)
        if item.flags() != flags:
            item.setFlags(flags)

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped text needs (a choice is one line)."""
        fit_rows(self.table, skip={c for c, col in enumerate(self.columns) if col.kind == "choice"})

    # -- editing ----------------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        col = self.columns[item.column()]
        if col.kind == "choice":
            return  # chosen through the delegate (`choose`)
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

    def choose(self, row: int, column: int, value: Any) -> None:
        """A value picked in a choice cell."""
        self._set(row, self.columns[column].key, value)

    def _set(self, row: int, key: str, value: Any) -> None:
        if self._filling or row >= len(self.records) or getattr(self.records[row], key) == value:
            return
        records = list(self.records)
        records[row] = replace(records[row], **{key: value})
        self._emit(records, row, _("Edit {field}").format(field=self._title(key)))

    def _emit(self, records: list[Any], focus: int, text: str) -> None:
        """Offer the new records (in `sort_key` order), then put the current cell on the row of the record
        that was at `focus`, wherever the order moved it."""
        order = list(range(len(records)))
        if self.sort_key is not None:
            order.sort(key=lambda i: self.sort_key(records[i]))  # type: ignore[misc]  # sort keys are tuples the subclass builds
        ordered = tuple(records[i] for i in order)
        if ordered == self.records:
            return
        column = max(0, self.table.currentColumn())
        self.edited.emit(ordered, text)
        if not 0 <= focus < len(records) or order.index(focus) >= self.table.rowCount():
            return
        if self.table.state() == QAbstractItemView.State.EditingState:
            self.moved_to = order.index(focus)  # the delegate moves on from there once the editor is closed
        else:
            self.table.setCurrentCell(order.index(focus), column)

    def _title(self, key: str) -> str:
        return next(c.title for c in self.columns if c.key == key)

    def add(self) -> None:
        row = self.table.currentRow()
        at = row + 1 if row >= 0 else len(self.records)
        records = list(self.records)
        records.insert(at, self.make_new())
        self._emit(records, at, _("Add row"))

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.records):
            records = list(self.records)
            del records[row]
            self._emit(records, min(row, len(records) - 1), _("Remove row"))

    def move_row(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if 0 <= row < len(self.records) and 0 <= target < len(self.records):
            records = list(self.records)
            records[row], records[target] = records[target], records[row]
            self._emit(records, target, _("Move row"))


_FLAGS: dict[bool, Qt.ItemFlag] = {}


def _cell_flags(read_only: bool) -> Qt.ItemFlag:
    """A cell's flags: a new item's (selectable, enabled, editable, ...) without "editable" when read-only."""
    if read_only not in _FLAGS:
        editable = QTableWidgetItem().flags() | Qt.ItemFlag.ItemIsEditable
        _FLAGS[True], _FLAGS[False] = editable & ~Qt.ItemFlag.ItemIsEditable, editable
    return _FLAGS[read_only]
