"""What is done to a roster period as a whole: create, change its rules, delete a draft, publish, ask for a
swap, print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from drillapp.i18n import _
from drillapp.models.enums import RosterStatus
from drillapp.services.oncall import OnCallService
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.roster.page_parts import RosterPageParts
from drillapp.ui.roster.rules_dialog import PeriodDialog


class PeriodActionsMixin(RosterPageParts):
    def new_period(self) -> None:
        if self.port_id is None:  # every port in scope: the period belongs to the default port
            oncall = self.oncall
            QueryOp(self, lambda: default_port(oncall)).success(self._new_period_at).run()
        else:
            self._new_period_at(self.port_id)

    def _new_period_at(self, port_id: int | None) -> None:
        if port_id is None:
            QMessageBox.information(self, _("Roster"), _("Set up the port first (or load the demo port)."))
            return
        self.port_id = port_id
        dialog = PeriodDialog(self.roster, port_id, None, self, self.roster.today())
        if dialog.exec():
            self.reload_periods(select=dialog.period_id)

    def edit_rules(self) -> None:
        period = self.period()
        if period is None or self.port_id is None:
            return
        dialog = PeriodDialog(self.roster, self.port_id, period, self)
        dialog.exec()

    def delete_period(self) -> None:
        period = self.period()
        if period is None or period.status is not RosterStatus.DRAFT:
            return
        answer = QMessageBox.question(
            self, _("Delete the roster period"),
            _("Delete the draft roster {name} ({first} – {last}) with its shifts, wishes and swaps? This cannot be "
              "undone.").format(name=period.name, first=period.starts_on, last=period.ends_on),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        roster, period_id, version = self.roster, period.id, period.row_version

        def deleted(_result: object) -> None:
            self.grid = None
            self.reload_periods()

        WriteOp(self, lambda: roster.delete_period(period_id, version)).success(deleted).run(initiator=self)

    def publish(self) -> None:
        period = self.period()
        if period is None:
            return
        answer = QMessageBox.question(
            self, _("Publish the roster"),
            _("Publish {name}? Members are then on call as shown; later changes are made by swaps that the team "
              "lead approves.").format(name=period.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        roster, period_id, version = self.roster, period.id, period.row_version

        def published(_result: object) -> None:
            self.undo_stack.clear()
            self.reload_periods()

        WriteOp(self, lambda: roster.publish(period_id, version)).success(published).run(initiator=self)

    def request_swap(self) -> None:
        from drillapp.ui.roster.swap_dialog import SwapDialog

        index = self.table.currentIndex()
        member = self.model.member_at(index.row()) if index.isValid() else None
        day = self.model.day_at(index.column()) if index.isValid() else None
        kind = self.model.duty.get((member.id, day)) if member and day else None
        if self.grid is None or member is None or day is None or kind is None:
            QMessageBox.information(self, _("Request a swap"),
                                    _("Select a shift of the member who hands it over (a marked cell), then ask "
                                      "for the swap."))
            return
        cell = self.grid.cell(day, kind)
        if cell is None:
            return
        dialog = SwapDialog(self.roster, self.grid, member, cell, self)
        dialog.exec()

    def print_roster(self) -> None:
        """The period's grid, or — when a member's row is selected — that member's duties, as PDF."""
        period = self.period()
        if period is None:
            return
        index = self.table.currentIndex()
        member = self.model.member_at(index.row()) if index.isValid() else None
        if member is not None:
            choice = QMessageBox.question(
                self, _("Print roster"), _("Print the duties of {name} only?\nNo: print the whole roster.").format(
                    name=member.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
            if choice == QMessageBox.StandardButton.Cancel:
                return
            if choice == QMessageBox.StandardButton.No:
                member = None
        suggested = f"{period.name} {member.name}.pdf" if member else f"{period.name}.pdf"
        name, _f = QFileDialog.getSaveFileName(self, _("Print roster"), _safe_file_name(suggested), _("PDF files (*.pdf)"))
        if not name:
            return
        from drillapp.reports.roster_pdf import write_member_duties, write_roster_grid

        first, last, period_id = period.starts_on, period.ends_on, period.id  # both days included
        oncall, port_id, member_id, out = self.oncall, period.port_id, member.id if member else None, Path(name)
        if member_id is not None:
            op = lambda: write_member_duties(oncall.duties_sheet(member_id, first, last, port_id), out)  # noqa: E731
        else:
            op = lambda: write_roster_grid(oncall.roster_sheet(first, last, port_id, period_id), out)  # noqa: E731
        QueryOp(self, op, label=_("Printing…")).success(
            lambda path: self.progress_label.setText(_("Roster printed to {path}").format(path=path))).run()


def _safe_file_name(name: str) -> str:
    return "".join("_" if c in '<>:"/\\|?*' else c for c in name)


def default_port(oncall: OnCallService) -> int | None:
    from drillapp.services.errors import NotFoundError

    try:
        return oncall.default_port_id()
    except NotFoundError:
        return None
