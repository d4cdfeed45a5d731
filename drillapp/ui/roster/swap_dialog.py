"""Asking for a swap on a published roster: member A hands a shift to member B, who may hand one back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from drillapp.i18n import _
from drillapp.services.roster import RosterService
from drillapp.services.roster_grid import GridCell, GridMember, RosterGrid
from drillapp.ui.form_dialog import FormDialog


class SwapDialog(FormDialog):
    def __init__(self, roster: RosterService, grid: RosterGrid, member: GridMember, cell: GridCell,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Request a swap"), _("{name} hands over the {shift} of {day}. Choose who takes it and, "
                                                "if it is an exchange, which of their shifts {name} takes in return. "
                                                "The swap takes effect when the team lead approves it.").format(
            name=member.name, shift=grid.kind_labels.get(cell.kind, cell.kind.value), day=cell.day.isoformat()), parent)
        self.setObjectName("swapDialog")
        self.roster, self.grid, self.member, self.cell = roster, grid, member, cell
        self.swap_id: int | None = None
        self.other = QComboBox(self)
        self.other.setObjectName("swapWith")
        for m in sorted(grid.members.values(), key=lambda m: (m.branch, m.name)):
            if m.id != member.id and m.active and m.id not in cell.member_ids:
                self.other.addItem(f"{m.name} · {m.branch}", m.id)
        self.in_return = QComboBox(self)
        self.in_return.setObjectName("swapInReturn")
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("swapReason")
        self.reason.setFixedHeight(70)
        self.form.addRow(_("Hand over to"), self.other)
        self.form.addRow(_("Take in return"), self.in_return)
        self.form.addRow(_("Reason"), self.reason)
        self.other.currentIndexChanged.connect(self._fill_return)
        self._fill_return()

    def _fill_return(self) -> None:
        self.in_return.clear()
        self.in_return.addItem(_("Nothing (a give-away)"), None)
        other = self.other.currentData()
        if other is None:
            return
        mine: set[date] = {c.day for c in self.grid.shifts_of(self.member.id)}
        for c in self.grid.shifts_of(other):
            if c.shift_id != self.cell.shift_id and c.day not in mine:
                label = self.grid.kind_labels.get(c.kind, c.kind.value)
                self.in_return.addItem(f"{c.day.isoformat()} · {label}", c.shift_id)

    def operation(self) -> Callable[[], int]:
        other = self.other.currentData()
        if other is None:
            from drillapp.services.errors import ValidationError

            raise ValidationError(_("Choose the member who takes the shift."))
        roster, period_id, shift_id, member_id = self.roster, self.grid.period.id, self.cell.shift_id, self.member.id
        in_return, reason = self.in_return.currentData(), self.reason.toPlainText()
        return lambda: roster.request_swap(period_id, shift_id, member_id, other, in_return, reason)

    def on_result(self, swap_id: int) -> None:
        self.swap_id = swap_id
