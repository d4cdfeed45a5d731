"""The checklist of a run (a drill's or an incident's): the plan's actions grouped by phase and branch, each
with its target counted from the start, coloured as the clock runs (amber near the target, red past it).

The model shows a `RunView`'s items; `set_view` is called at every tick of the console's clock and only says
which cells changed. An item being written shows "Saving…" until its commit has returned and the run was read
again: the row shows done only then.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.services.run_view import ItemStatus, ItemView, RunView
from drillapp.ui.console.formatting import countdown, local_hm, target_text
from drillapp.ui.windows import refit_when_resized

TARGET, BRANCH, PHASE, ACTION, STATE, LEFT = range(6)
HEADERS = (N_("Target"), N_("Branch"), N_("Phase"), N_("Action"), N_("State"), N_("Left / taken"))

#: (background, text) of a row by how it shows now
COLOURS: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.OPEN: ("", ""),
    ItemStatus.AMBER: ("#ffcc4d", "#1f1f1f"),
    ItemStatus.RED: ("#c62828", "#ffffff"),
    ItemStatus.DONE: ("#d7ecd9", "#1f1f1f"),
    ItemStatus.LATE: ("#f3d9b1", "#1f1f1f"),
    ItemStatus.NOT_APPLICABLE: ("#e4e4e4", "#555555"),
    ItemStatus.SKIPPED: ("#e4e4e4", "#555555"),
}
STATUS_WORDS = {
    ItemStatus.OPEN: N_("Not done yet"),
    ItemStatus.AMBER: N_("Due soon"),
    ItemStatus.RED: N_("Overdue"),
    ItemStatus.DONE: N_("Done"),
    ItemStatus.LATE: N_("Done late"),
    ItemStatus.NOT_APPLICABLE: N_("Not applicable"),
    ItemStatus.SKIPPED: N_("Skipped"),
}


class KeepColourDelegate(QStyledItemDelegate):
    """The current row keeps its colour (amber, red, a gap) and text colour under a see-through selection
    with a blue frame: the officer always sees how late the item is."""

    SELECTION = QColor(21, 101, 192, 60)
    FRAME = QColor("#1565c0")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if not option.state & QStyle.StateFlag.State_Selected:
            super().paint(painter, option, index)
            return
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, plain, index)
        painter.save()
        painter.fillRect(option.rect, self.SELECTION)
        painter.setPen(QPen(self.FRAME, 2))
        painter.drawLine(option.rect.topLeft(), option.rect.topRight())
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()


class ChecklistModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: tuple[ItemView, ...] = ()
        self.zone = ""
        self.pending: dict[int, str] = {}  # item id -> what is being written ("Saving…")
        self._bold = QFont()
        self._bold.setBold(True)

    # -- feeding ----------------------------------------------------------------------------------
    def set_view(self, view: RunView) -> None:
        """The items as they show at this moment: a reset when the items themselves changed, else only the
        cells that differ."""
        self.set_items(view.items, view.snapshot.port_zone)

    def set_items(self, items: tuple[ItemView, ...], zone: str, *, reset: bool = False) -> None:
        """`set_view` from the items themselves (the incident console builds them from its own view);
        `reset` redraws every row even when the items are the same (their marking changed)."""
        old = self.items
        self.zone = zone
        if reset or [i.row for i in old] != [i.row for i in items]:
            self.beginResetModel()
            self.items = items
            self.endResetModel()
            return
        self.items = items
        changed = [n for n, (a, b) in enumerate(zip(old, items, strict=True))
                   if a.status is not b.status or a.remaining_seconds != b.remaining_seconds]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), LEFT))

    def set_pending(self, item_id: int, text: str | None) -> None:
        if text is None:
            self.pending.pop(item_id, None)
        else:
            self.pending[item_id] = text
        row = self.row_of(item_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, LEFT))

    def row_of(self, item_id: int) -> int | None:
        return next((n for n, i in enumerate(self.items) if i.row.id == item_id), None)

    def item_at(self, row: int) -> ItemView | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    # -- Qt ---------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), view, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (ACTION, STATE):
            return self._tooltip(view)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = COLOURS[view.status][0]
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = COLOURS[view.status][1]
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole and view.status in (ItemStatus.RED, ItemStatus.AMBER):
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return view.row.id
        return None

    def _text(self, row: int, view: ItemView, col: int) -> str:
        r = view.row
        prev = self.items[row - 1].row if row > 0 else None
        if col == TARGET:
            return target_text(r.target_minutes)
        if col == PHASE:  # shown where a group starts: the rows read as grouped by phase, then branch
            return label(r.phase) if prev is None or prev.phase is not r.phase else ""
        if col == BRANCH:
            new_group = prev is None or prev.phase is not r.phase or prev.agency is not r.agency
            return label(r.agency) if new_group else ""
        if col == ACTION:
            return r.text + (f"  ✎ {r.note}" if r.note else "")
        if col == STATE:
            pending = self.pending.get(r.id)
            if pending:
                return pending
            words = _(STATUS_WORDS[view.status])
            if r.done_at is not None:
                words += f" {local_hm(r.done_at, self.zone)}"
                if r.back_timed:
                    words += " " + _("(recorded {time})").format(time=local_hm(r.recorded_at, self.zone))
                if r.done_by:
                    words += f" · {r.done_by}"
            if r.reason:
                words += f" — {r.reason}"
            return words
        if col == LEFT:
            if view.remaining_seconds is not None:
                return countdown(view.remaining_seconds)
            if view.minutes_taken is not None:
                return _("{minutes} min").format(minutes=f"{view.minutes_taken:.0f}")
        return ""

    def _tooltip(self, view: ItemView) -> str:
        r = view.row
        lines = [r.text]
        if r.note:
            lines.append(_("Note: {text}").format(text=r.note))
        if r.back_timed:
            lines.append(_("Happened {happened}, recorded {recorded}").format(
                happened=local_hm(r.done_at, self.zone), recorded=local_hm(r.recorded_at, self.zone)))
        return "\n".join(lines)


class ChecklistView(QTableView):
    """The checklist table: one row selected at a time, worked by keys (the console connects them)."""

    def __init__(self, model: ChecklistModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setItemDelegate(KeepColourDelegate(self))
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.setFont(font)
        self.verticalHeader().setMinimumSectionSize(int(self.fontMetrics().height() * 1.9))
        self.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.9))
        # sized to the contents when the rows change or the action column's width does (the window maximised
        # after the run was read, a splitter moved), never at a tick of the clock (400 rows stay smooth)
        self._current_id: int | None = None
        self._fitted_width = -1
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._fit)
        self._refit = refit_when_resized(self, self._fit_rows)

    def _remember(self) -> None:
        model = self.model()
        item = model.item_at(self.current_row()) if isinstance(model, ChecklistModel) else None
        self._current_id = item.row.id if item is not None else None

    def _fit(self) -> None:
        """After the rows changed (the run read again): the same item stays current, the columns fit."""
        model = self.model()
        if self._current_id is not None and isinstance(model, ChecklistModel):
            row = model.row_of(self._current_id)
            if row is not None:
                self.select_row(row)
        for col in (TARGET, BRANCH, PHASE, STATE, LEFT):
            self.resizeColumnToContents(col)
        self.setColumnWidth(STATE, max(self.columnWidth(STATE), 170))
        self.setColumnWidth(LEFT, max(self.columnWidth(LEFT), 90))
        # the rows once, after the columns just sized have settled (the action column stretches into what is
        # left): fitting now and again then cost two passes over 400 rows at each reload
        self._fitted_width = -1
        self._refit.start()

    def _fit_rows(self) -> None:
        """Long actions wrap: each row as tall as its text needs at the action column's width now."""
        model = self.model()
        width = self.columnWidth(ACTION)
        if model is None or model.rowCount() > 500 or width == self._fitted_width:
            return
        self._fitted_width = width
        self._fit_row_heights(model, width)

    def _fit_row_heights(self, model: Any, width: int) -> None:
        """Each row as tall as its action's wrapped text asks at the column's width (the one column that wraps;
        the others are sized to their contents): the delegate asked once a row, as sizeHintForRow asks it for
        each cell, where Qt's resizeRowsToContents asks every cell of every row (120 ms for 400 items)."""
        header = self.verticalHeader()
        least = header.minimumSectionSize()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, width, least)
        delegate = self.itemDelegateForColumn(ACTION) or self.itemDelegate()
        grid = 1 if self.showGrid() else 0  # as sizeHintForRow counts the grid line
        for row in range(model.rowCount()):
            height = max(least, delegate.sizeHint(option, model.index(row, ACTION)).height() + grid)
            if header.sectionSize(row) != height:
                header.resizeSection(row, height)

    def current_row(self) -> int:
        return self.currentIndex().row()

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is not None and 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, ACTION))
