"""Solving the selected draft period: the CP-SAT search runs off the GUI thread (a LongOp), its progress is
shown as it comes, Esc stops it and keeps the best roster found so far."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QMessageBox

from drillapp.i18n import _
from drillapp.labels import solver_status_label
from drillapp.models.enums import RosterStatus
from drillapp.roster.problem import Progress
from drillapp.services.roster import SolveOutcome
from drillapp.ui.errors import show_error
from drillapp.ui.roster.page_parts import RosterPageParts


class SolvingMixin(RosterPageParts):
    def solve(self) -> None:
        period = self.period()
        if period is None or period.status is not RosterStatus.DRAFT or self.runner.running:
            return
        keep = True
        edits = sum(len(c.manual_ids) for c in self.grid.cells.values()) if self.grid is not None else 0
        if edits:
            buttons = (QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                       | QMessageBox.StandardButton.Cancel)
            answer = QMessageBox.question(
                self, _("Solve again"),
                _("Keep your {n} hand edit(s) in place and solve around them?\nYes: keep them. No: solve from "
                  "scratch, replacing them.").format(n=edits), buttons)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            keep = answer == QMessageBox.StandardButton.Yes
        seconds = self.time_limit.value()
        self.progress.setRange(0, seconds * 10)
        self.progress.setValue(0)
        self.progress_label.setText(_("Searching for a roster… (Esc stops and keeps the best found so far)"))
        self.problems.clear()
        pid, version = period.id, period.row_version
        roster = self.roster

        def work(progress: Any, stop: Any) -> SolveOutcome:
            # the search in a process of its own: its Python never competes with the GUI thread's painting
            return roster.solve(pid, time_limit=float(seconds), progress=progress, stop=stop, keep_manual=keep,
                                expected_version=version, isolate=True)

        self.runner.start(work)
        self._update_state()

    def stop(self) -> None:
        if self.runner.running:
            self.runner.stop()
            self.progress_label.setText(_("Stopping… the best roster found so far is kept."))

    def _progress(self, p: Progress) -> None:
        self.progress.setValue(min(self.progress.maximum(), int(p.seconds * 10)))
        if p.objective is None:
            self.progress_label.setText(_("Searching… {s:.0f} s, no roster found yet").format(s=p.seconds))
        else:
            self.progress_label.setText(_("Arranging… {s:.0f} s · best so far: {objective} points off the ideal · "
                                          "{n} rosters found").format(s=p.seconds, objective=p.objective,
                                                                      n=p.solutions))

    def _solved(self, outcome: SolveOutcome) -> None:
        sol = outcome.solution
        self._update_state()
        if outcome.saved:
            self.undo_stack.clear()
            self.progress_label.setText(_("Roster arranged in {s:.1f} s: {objective} points off the ideal; {status}."
                                          ).format(s=sol.seconds, objective=sol.objective,
                                                   status=solver_status_label(sol.status)))
            self.reload_periods()
            return
        self._update_state()
        self.problems.clear()
        if outcome.shortfalls:
            self.progress_label.setText(_("No roster meets every requirement. Why:"))
            for f in outcome.shortfalls:
                item = QListWidgetItem("✖ " + f.message)
                item.setData(Qt.ItemDataRole.UserRole, (None, f.day))
                self.problems.addItem(item)
        elif sol.status == "STOPPED":
            self.progress_label.setText(_("Stopped before any roster was found. Solve again with more time."))
        else:
            self.progress_label.setText(_("No roster found within {s} s ({status}). Give the solver more time or "
                                          "relax a rule.").format(s=self.time_limit.value(),
                                                                  status=solver_status_label(sol.status)))

    def _solve_failed(self, exc: BaseException) -> None:
        self.progress_label.setText("")
        self._update_state()
        show_error(self, exc)
