"""A searchable list of one kind of record: search box, lazy table, and an empty state that says why."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.services.lists import ListService
from drillapp.ui.column_fit import fit_columns
from drillapp.ui.errors import show_error
from drillapp.ui.list_model import LazyListModel
from drillapp.ui.operations import Watch
from drillapp.ui.widgets import records_view, with_empty_state

SEARCH_DELAY_MS = 250
MAX_COLUMN_WIDTH = 380


class ListPage(QWidget):
    activated = Signal(int)  # the id of the row opened (double-click or Enter)

    def __init__(self, service: ListService, source: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"list_{source}")
        self.empty_text = empty_text
        self.model = LazyListModel(service, source, self)
        self.model.watch = Watch(self, self.reload)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(_("Search… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("count")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)

        self.table = records_view(self, self.model, "table")
        self.stack, self.empty = with_empty_state(self, self.table, "empty")

        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self._layout.addWidget(self.stack, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.model.loaded.connect(self._show_state)
        self.table.activated.connect(lambda index: self.activated.emit(self.model.row_id(index.row())))
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self._loaded_once = False
        self._fitted = False

    def add_filters(self, bar: QWidget) -> None:
        """A row of filters under the search box (the bar sets `model.filters` and calls `reload`)."""
        self._layout.insertWidget(1, bar)

    def ensure_loaded(self) -> None:
        """Lists read their first page only when first shown, so start-up stays fast."""
        if not self._loaded_once:
            self._loaded_once = True
            self.model.reload()

    @property
    def loaded_once(self) -> bool:
        return self._loaded_once

    def reload(self) -> None:
        self._loaded_once = True
        self.model.reload()

    def apply_search(self) -> None:
        self._timer.stop()
        self._loaded_once = True
        self.model.reload(self.search.text())

    def _fit_columns(self) -> None:
        """Once, after the first page: columns as wide as their content, within reason."""
        self._fitted = True
        fit_columns(self.table, least=70, most=MAX_COLUMN_WIDTH)

    def _show_state(self, rows: int) -> None:
        if rows and not self._fitted:
            self._fit_columns()
        if rows == 0:
            self.empty.setText(
                _("Nothing matches “{text}”.").format(text=self.model.search) if self.model.search else self.empty_text
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        more = "" if self.model.exhausted else "+"
        self.count.setText(_("{rows}{more} rows").format(rows=rows, more=more))
