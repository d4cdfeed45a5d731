"""Hand edits of the roster grid (Space: on/off duty, one undo step per key press) and members' wishes
(O / W / Del), with the cell's context menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMenu, QMessageBox

from drillapp.i18n import _
from drillapp.models.enums import RosterStatus, ShiftKind
from drillapp.services.roster import ADD, REMOVE, Change
from drillapp.ui.errors import show_error
from drillapp.ui.operations import WriteOp
from drillapp.ui.roster.page_parts import RosterPageParts

WISH_WEIGHT = 10  # a wish weighs as much as one unit of unfair duty spread (the default fairness weight)


def _inverse(changes: list[Change]) -> list[Change]:
    return [(shift, member, REMOVE if action == ADD else ADD) for shift, member, action in reversed(changes)]


class GridEdit(QUndoCommand):
    """One hand edit of the grid (one key press: maybe a removal and an addition), saved as one operation.

    It is pushed once saved, so its first redo does nothing; undo and redo save the inverse or the edit again,
    each one operation. If the roster was changed meanwhile (another desk), the step is refused, the grid
    shows the roster as it now stands and the undo history is cleared (it no longer matches)."""

    def __init__(self, page: GridEditsMixin, period_id: int, changes: list[Change], text: str) -> None:
        super().__init__(text)
        self.page, self.period_id, self.changes = page, period_id, changes
        self.saved = True

    def redo(self) -> None:
        if self.saved:
            self.saved = False
            return
        self.page.save_edit(self.period_id, self.changes)

    def undo(self) -> None:
        self.page.save_edit(self.period_id, _inverse(self.changes))


class GridEditsMixin(RosterPageParts):
    def toggle(self, index: QModelIndex) -> None:
        """Space on a cell: put the member on that day's shift or take them off (day/night: cycle). The key
        press is one operation (off the day shift and onto the night shift together) and one undo step."""
        if self.grid is None or not index.isValid() or self.model.is_total_row(index.row()):
            return
        member, day = self.model.member_at(index.row()), self.model.day_at(index.column())
        period = self.period()
        if member is None or day is None or period is None:
            return
        if period.status is RosterStatus.PUBLISHED:
            self.request_swap()
            return
        current = self.model.duty.get((member.id, day))
        kinds = self.grid.kinds
        steps: list[tuple[ShiftKind, str]] = []
        if current is not None:
            steps.append((current, REMOVE))
            following = kinds.index(current) + 1
            if following < len(kinds):
                steps.append((kinds[following], ADD))
        else:
            steps.append((kinds[0], ADD))
        changes: list[Change] = []
        for kind, action in steps:
            cell = self.grid.cell(day, kind)
            if cell is None:
                QMessageBox.information(self, _("Roster"), _("Solve the roster first; then edit it by hand."))
                return
            changes.append((cell.shift_id, member.id, action))
        text = _("{name}, {day}").format(name=member.name, day=day.isoformat())
        self.save_edit(period.id, changes, undo_text=text, select=index)

    def save_edit(self, period_id: int, changes: list[Change], *, undo_text: str | None = None,
                  select: QModelIndex | None = None) -> None:
        """Save a hand edit (one operation); a new one goes onto the undo stack once saved."""
        roster = self.roster
        keep = select if select is not None else self.table.currentIndex()
        version = self.grid.period.row_version if self.grid is not None else 0  # the period as the grid shows it

        def saved(_violations: object) -> None:
            if undo_text is not None:
                self.undo_stack.push(GridEdit(self, period_id, changes, undo_text))
            self.reload(then_select=keep)

        def refused(exc: BaseException) -> None:
            if undo_text is None:  # an undo or redo that no longer fits the roster: the history is stale
                self.undo_stack.clear()
            show_error(self, exc)
            self.reload(then_select=keep)

        WriteOp(self, lambda: roster.edit_assignments(period_id, changes, version)).success(saved).failure(refused) \
            .run(initiator=self)

    # -- wishes -------------------------------------------------------------------------------------
    def set_wish(self, index: QModelIndex, wants_on: bool | None) -> None:
        """O: the member wishes to be off that day; W: on duty; Delete: no wish (weight WISH_WEIGHT)."""
        if self.grid is None or not index.isValid() or self.model.is_total_row(index.row()):
            return
        member, day = self.model.member_at(index.row()), self.model.day_at(index.column())
        if member is None or day is None:
            return
        current = self.model.wishes.get((member.id, day))
        roster, period_id = self.roster, self.grid.period.id
        if wants_on is None:
            if current is None:
                return
            op: Callable[[], object] = lambda: roster.remove_preference(  # noqa: E731
                current.id, expected_version=current.row_version)
        else:
            seen = current.row_version if current is not None else None
            op = lambda: roster.set_preference(period_id, member.id, day, wants_on,  # noqa: E731
                                               weight=WISH_WEIGHT, expected_version=seen)
        WriteOp(self, op).success(lambda _r: self.reload(then_select=index)).run(initiator=self)

    def _cell_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid() or self.model.is_total_row(index.row()):
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        draft = self.period() is not None and self.period().status is RosterStatus.DRAFT  # type: ignore[union-attr]  # period() is checked for None just before
        if draft:
            menu.addAction(_("On / off duty\tSpace"), lambda: self.toggle(index))
        else:
            menu.addAction(_("Request swap…"), self.request_swap)
        menu.addSeparator()
        menu.addAction(_("Wishes to be off this day\tO"), lambda: self.set_wish(index, False))
        menu.addAction(_("Wishes to be on duty this day\tW"), lambda: self.set_wish(index, True))
        clear = menu.addAction(_("No wish\tDel"), lambda: self.set_wish(index, None))
        member, day = self.model.member_at(index.row()), self.model.day_at(index.column())
        clear.setEnabled(member is not None and (member.id, day) in self.model.wishes)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def undo_edit(self) -> None:
        if self.undo_stack.canUndo():
            self.undo_stack.undo()

    def redo_edit(self) -> None:
        if self.undo_stack.canRedo():
            self.undo_stack.redo()
