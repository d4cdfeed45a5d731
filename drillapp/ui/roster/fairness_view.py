"""The fairness table beside the roster grid: row for row with it (scrolling and selection follow), its
headers as tall as the grid's, and the spread summary under both."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView

from drillapp.i18n import _
from drillapp.services.roster_grid import RosterGrid
from drillapp.ui.column_fit import fit_columns


def side_by_side(grid: QTableView, side: QTableView, model: QAbstractItemModel) -> None:
    """The fairness table scrolls, selects and sizes its rows with the grid, so each row stays beside its
    member's row."""
    for view in (grid, side):
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(24)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # the same height below
    side.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    side.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    side.horizontalHeader().setDefaultSectionSize(52)
    grid.verticalScrollBar().valueChanged.connect(side.verticalScrollBar().setValue)
    side.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
    grid.selectionModel().currentRowChanged.connect(lambda current, _p: side.selectRow(current.row()))
    side.clicked.connect(lambda index: grid.setCurrentIndex(
        model.index(index.row(), max(0, grid.currentIndex().column()))))


def fit_fairness(table: QTableView, fair_table: QTableView, summary: QLabel, grid: RosterGrid | None) -> None:
    """Both headers as tall as the taller (the rows line up); the side table as wide as its columns."""
    grid_head, side_head = table.horizontalHeader(), fair_table.horizontalHeader()
    for head in (grid_head, side_head):
        head.setMinimumHeight(0)
        head.setMaximumHeight(16777215)
    height = max(grid_head.sizeHint().height(), side_head.sizeHint().height())
    for head in (grid_head, side_head):
        head.setFixedHeight(height)
    fit_columns(fair_table)
    # the whole table when it fits in a third of a typical window; else it scrolls sideways
    width = side_head.length() + 2 * fair_table.frameWidth() + 2
    fair_table.setMinimumWidth(min(width, 480))
    fair_table.setMaximumWidth(width)
    fairness = grid.fairness if grid is not None else None
    shown = grid is not None and fairness is not None and bool(grid.cells)
    fair_table.setVisible(shown)
    summary.setVisible(shown)
    summary.setText(_fairness_summary(fairness) if shown else "")


def _fairness_summary(table: Any) -> str:
    from drillapp.services.roster_fairness import spread_text

    return spread_text(table) + "\n" + _(
        "Fair share: each member's part of this period if it and the {days} days before were shared evenly among "
        "the active members. Hover over a member for why.").format(days=table.past_days)
