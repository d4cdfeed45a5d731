"""Swaps asked for on a published roster, with Approve / Reject for the team lead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import SwapStatus
from drillapp.services.roster import RosterService
from drillapp.services.roster_swaps import SwapInfo
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.widgets import item_at


class SwapPanel(QWidget):
    """The swaps of the period shown: approve or reject the requested ones."""

    def __init__(self, roster: RosterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster = roster
        self.watch = Watch(self, lambda: self.set_period(self.period_id), always_visible=True)
        self.period_id: int | None = None
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("swapTable")
        self.table.setHorizontalHeaderLabels([_("Shift"), _("Handed over by"), _("Taken by"), _("In return"), _("Status")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.approve_button = QPushButton(_("Approve"), self)
        self.approve_button.setObjectName("approveSwap")
        self.reject_button = QPushButton(_("Reject…"), self)
        self.reject_button.setObjectName("rejectSwap")
        self.approve_button.clicked.connect(lambda _c=False: self.approve())
        self.reject_button.clicked.connect(lambda _c=False: self.reject())
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Swaps"), self), 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._update_buttons()

    def set_period(self, period_id: int | None) -> None:
        self.period_id = period_id
        roster = self.roster
        QueryOp(self, lambda: roster.swaps(period_id) if period_id is not None else [], watch=self.watch) \
            .success(self._show).run()

    def _show(self, rows: list[SwapInfo]) -> None:
        self.table.setRowCount(0)
        for w in rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            given = f"{to_local(w.shift_b_start):%Y-%m-%d %H:%M}" if w.shift_b_start else _("nothing")
            values = [f"{to_local(w.shift_a_start):%Y-%m-%d %H:%M}", w.member_a_name, w.member_b_name, given, label(w.status)]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (w.id, w.status, w.row_version))
                if w.reason:
                    item.setToolTip(w.reason)
                self.table.setItem(r, c, item)
        self._update_buttons()

    def selected(self) -> tuple[int, SwapStatus, int] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return item_at(self.table, rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        open_ = chosen is not None and chosen[1] is SwapStatus.REQUESTED
        self.approve_button.setEnabled(open_)
        self.reject_button.setEnabled(open_)

    def approve(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        roster, swap_id, version = self.roster, chosen[0], chosen[2]
        WriteOp(self, lambda: roster.approve_swap(swap_id, expected_version=version)).run(initiator=self)

    def reject(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        reason, ok = QInputDialog.getText(self, _("Reject the swap"), _("Why (the members see this):"))
        if not ok:
            return
        roster, swap_id, version = self.roster, chosen[0], chosen[2]
        WriteOp(self, lambda: roster.reject_swap(swap_id, reason, expected_version=version)).run(initiator=self)
