"""Small widgets every list screen uses, made the same way everywhere."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def records_view(parent: QWidget, model: QAbstractItemModel, name: str, column_width: int = 160) -> QTableView:
    """A read-only table of records: whole-row selection, no wrapping, compact rows, last column stretched."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(column_width)
    return table


def with_empty_state(parent: QWidget, content: QWidget, name: str) -> tuple[QStackedWidget, QLabel]:
    """`content` and, in its place when there is nothing to show, a centred line saying why."""
    empty = QLabel(parent)
    empty.setObjectName(name)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty.setWordWrap(True)
    stack = QStackedWidget(parent)
    stack.addWidget(content)
    stack.addWidget(empty)
    return stack, empty


def item_at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell the code filled itself. Qt's `item()` answers None for an empty cell; here that is a
    bug, said as one rather than as an AttributeError on None further on."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"{table.objectName() or 'table'}: no item at row {row}, column {column}")
    return item
