"""A table model that reads its rows a page at a time (Qt's canFetchMore/fetchMore).

Every page is read in the background: the first page of a (new) query, and the later ones as the user
scrolls (one query of PAGE rows each; on the large demo a later page of drills took 140 ms, too long for
the GUI thread). A newer query wins over an older one still loading, and one page at a time is on its way
(no next page while one is pending; rows arriving for an older query or another offset are dropped).
Subclasses say how to read (`read_page`) and how rows look (data, headers, columns).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal

from drillapp.ui.multi_data import MultiDataTableModel
from drillapp.ui.operations import QueryOp, Watch

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(MultiDataTableModel):  # a cell's roles in one call into Python (ui/multi_data.py)
    loaded = Signal(int)  # rows now held
    failed = Signal(object)  # an exception from a background load

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._exhausted = True
        self._generation = 0
        self._pending = False
        #: The screen's watch: the first page's read tells it which tables the list shows (ui/operations.py).
        self.watch: Watch | None = None

    def query(self) -> Any:
        """A snapshot of what to read (search text, filters ...), taken when a reload starts."""
        raise NotImplementedError

    def read_page(self, query: Any, offset: int, limit: int) -> list[Any]:
        """Rows offset..offset+limit of `query` (runs in a worker thread for the first page)."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the first page again, off the GUI thread."""
        self._generation += 1
        self._pending = True
        generation, query = self._generation, self.query()
        QueryOp(None, lambda: self.read_page(query, 0, PAGE), watch=self.watch) \
            .success(lambda rows: self._replace(generation, rows)) \
            .failure(lambda exc: self._failed(generation, exc)) \
            .run()

    def _replace(self, generation: int, rows: list[Any]) -> None:
        if generation != self._generation:  # a newer query was made meanwhile
            return
        self._pending = False
        self.beginResetModel()
        self.rows = rows
        self._exhausted = len(rows) < PAGE
        self.endResetModel()
        self.loaded.emit(len(self.rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self.beginResetModel()
        self.rows = []
        self._exhausted = True
        self.endResetModel()
        self.failed.emit(exc)

    def _more_failed(self, generation: int, exc: BaseException) -> None:
        """A later page could not be read: the rows held stay; no more are asked for until a reload."""
        if generation != self._generation:
            return
        self._pending = False
        self._exhausted = True
        self.failed.emit(exc)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._pending

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        """The next page, read off the GUI thread; the view asks again once it has arrived, if it needs more."""
        if parent.isValid() or self._exhausted or self._pending:
            return
        self._pending = True
        generation, query, offset = self._generation, self.query(), len(self.rows)
        QueryOp(None, lambda: self.read_page(query, offset, PAGE)) \
            .success(lambda more: self._append(generation, offset, more)) \
            .failure(lambda exc: self._more_failed(generation, exc)) \
            .run()

    def _append(self, generation: int, offset: int, more: list[Any]) -> None:
        if generation != self._generation or offset != len(self.rows):  # reloaded meanwhile
            return
        self._pending = False
        self._exhausted = len(more) < PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()
        self.loaded.emit(len(self.rows))

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)
