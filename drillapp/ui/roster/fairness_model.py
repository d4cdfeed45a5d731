"""Beside the roster grid, row for row: how fairly the roster shares the load (services/roster_fairness.py).

For each member of the grid (same rows, same order, same filter): duties, nights, weekends and holidays in
this period and in the days before it, and the fair share; hovering a cell says why, in words ("why me
again?"). The last row, beside the grid's "on duty / needed", is the spread (most − fewest) of the period.
The columns are those of the roster PDF's table. Text is set as plain text only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from drillapp.i18n import _
from drillapp.services.roster_fairness import (
    FairnessTable,
    cell_text,
    column_title,
    explain,
    kind_title,
    spread_text,
)
from drillapp.ui.multi_data import MultiDataTableModel
from drillapp.ui.roster.grid_model import RosterGridModel

Index = QModelIndex | QPersistentModelIndex
NOT_COUNTED = QColor("#8a8a8a")
SPREAD_FILL = QColor("#eef2f7")


class FairnessModel(MultiDataTableModel):
    def __init__(self, grid_model: RosterGridModel) -> None:
        super().__init__(grid_model)
        self.grid_model = grid_model
        grid_model.modelAboutToBeReset.connect(self.beginResetModel)
        grid_model.modelReset.connect(self.endResetModel)

    @property
    def table(self) -> FairnessTable | None:
        grid = self.grid_model.grid
        return grid.fairness if grid is not None else None

    def columns(self) -> list[tuple[str, str]]:
        return self.table.columns() if self.table is not None else []

    def is_spread_row(self, row: int) -> bool:
        return row == len(self.grid_model.rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.table is None else self.grid_model.rowCount()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        table = self.table
        if table is None or orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns()):
            return None
        kind, part = self.columns()[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(kind, part, table.past_days)
        if role == Qt.ItemDataRole.ToolTipRole:
            what = kind_title(kind)
            return {
                "period": _("{what} in this period"),
                "before": _("{what} in the {days} days before this period (what the roster balances against)"),
                "share": _("{what}: the member's fair share of this period: the average of the active members over "
                           "this period and the {days} days before, less what the member did before"),
            }[part].format(what=what, days=table.past_days)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self.table
        if table is None or not index.isValid() or not 0 <= index.column() < len(self.columns()):
            return None
        kind, part = self.columns()[index.column()]
        if self.is_spread_row(index.row()):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(table.spread_period[kind]) if part == "period" else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return spread_text(table)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(SPREAD_FILL)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        member = self.grid_model.member_at(index.row())
        row = table.row(member.id) if member is not None else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, kind, part)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return explain(table, row.member_id)
        if role == Qt.ItemDataRole.ForegroundRole and not row.counted:
            return QBrush(NOT_COUNTED)
        return None
