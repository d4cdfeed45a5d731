"""A table model that reads a ListService source a page at a time (Qt's canFetchMore/fetchMore).

The view asks for more rows as the user scrolls; a search replaces the query (a WHERE in the
database), so 100,000 rows open and filter without a stall (the paging itself: ui/paged_model.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from drillapp.i18n import _
from drillapp.services.lists import SOURCES, ListService
from drillapp.ui.formatting import display
from drillapp.ui.paged_model import Index, PagedTableModel


class LazyListModel(PagedTableModel):
    def __init__(self, service: ListService, source: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.spec = SOURCES[source]
        self.keys = [c.key for c in self.spec.columns]
        self.search = ""
        self.filters: dict[str, Any] = {}
        self._exhausted = False

    # -- reading ----------------------------------------------------------------------------------
    def reload(self, search: str | None = None) -> None:
        """Read the first page again (with a new search, if given) off the GUI thread."""
        if search is not None:
            self.search = search
        super().reload()

    def query(self) -> tuple[str, dict[str, Any]]:
        return self.search, dict(self.filters)

    def read_page(self, query: tuple[str, dict[str, Any]], offset: int, limit: int) -> list[tuple[Any, ...]]:
        text, filters = query
        return self.service.page(self.spec.name, text, offset, limit, filters)

    def row_id(self, row: int) -> int:
        return int(self.rows[row][0])

    # -- Qt model interface -----------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key, value = self.keys[index.column()], self.rows[index.row()][index.column() + 1]
        overdue = key == "review_due_on" and value is not None and value < self.service.today()
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
