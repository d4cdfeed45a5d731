"""A table model that reads a ListService source a page at a time (Qt's canFetchMore/fetchMore).

The view asks for more rows as the user scrolls; a search replaces the query (a WHERE in the
database), so 100,000 rows open and filter without a stall. A (re)load, which may scan the table for a
search, runs in the background; the next page while scrolling is one indexed query of PAGE rows (a few
milliseconds) read on the GUI thread, which keeps scrolling simple and ordered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from drillapp.i18n import _
from drillapp.services.lists import SOURCES, ListService
from drillapp.ui.formatting import display
from drillapp.ui.workers import run_in_background

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class LazyListModel(QAbstractTableModel):
    loaded = Signal(int)  # rows now held
    failed = Signal(object)  # an exception from a background load

    def __init__(self, service: ListService, source: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.spec = SOURCES[source]
        self.keys = [c.key for c in self.spec.columns]
        self.rows: list[tuple[Any, ...]] = []
        self.search = ""
        self.filters: dict[str, Any] = {}
        self._exhausted = False
        self._generation = 0
        self._pending = False

    # -- reading ----------------------------------------------------------------------------------
    def reload(self, search: str | None = None) -> None:
        """Read the first page again (with a new search, if given) off the GUI thread."""
        if search is not None:
            self.search = search
        self._generation += 1
        self._pending = True  # no fetchMore until the new first page is in
        generation, text, filters = self._generation, self.search, dict(self.filters)
        run_in_background(
            lambda: self.service.page(self.spec.name, text, 0, PAGE, filters),
            lambda rows: self._replace(generation, rows),
            lambda exc: self.failed.emit(exc),
        )

    def _replace(self, generation: int, rows: list[tuple[Any, ...]]) -> None:
        if generation != self._generation:  # a newer search was typed meanwhile
            return
        self._pending = False
        self.beginResetModel()
        self.rows = rows
        self._exhausted = len(rows) < PAGE
        self.endResetModel()
        self.loaded.emit(len(self.rows))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._pending

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted or self._pending:
            return
        more = self.service.page(self.spec.name, self.search, len(self.rows), PAGE, self.filters)
        self._exhausted = len(more) < PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()
        self.loaded.emit(len(self.rows))

    def row_id(self, row: int) -> int:
        return int(self.rows[row][0])

    # -- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key, value = self.keys[index.column()], self.rows[index.row()][index.column() + 1]
        overdue = key == "review_due_on" and value is not None and value < self.service.clock().date()
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(QColor("#b00020"))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = display(key, value)
            if overdue:
                text = _("{date} (overdue)").format(date=text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if len(text) > 40 else None
            return text.replace("\n", " ")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.spec.columns[section].title)
        return None

    @property
    def exhausted(self) -> bool:
        return self._exhausted
