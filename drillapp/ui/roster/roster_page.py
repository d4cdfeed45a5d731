"""The Roster tab of the Team area: periods, solving with progress, the editable grid with its fairness table
beside it (row for row: each member's duties, nights, weekends and holidays now and before, and the fair share;
the spread under the grid), problems, swaps.

Keys: F9 solves the selected draft, Esc stops the solver (the best roster so far is kept), Space/Enter on a
cell puts the member on or takes them off that day (day/night: off → day → night → off), Ctrl+Z / Ctrl+Shift+Z
undo and redo hand edits (one step per key press: day → night is one operation and one undo), Ctrl+F filters
members. A published roster is not edited: Space asks for a swap instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label, solver_status_label
from drillapp.models.enums import RosterStatus, ShiftKind
from drillapp.roster.problem import Progress
from drillapp.services.context import PortScope
from drillapp.services.oncall import OnCallService
from drillapp.services.roster import (
    ADD,
    REMOVE,
    Change,
    PeriodInfo,
    PreferenceInfo,
    RosterService,
    SolveOutcome,
)
from drillapp.services.roster_grid import RosterGrid
from drillapp.ui.errors import show_error
from drillapp.ui.operations import LongOp, QueryOp, Watch, WriteOp
from drillapp.ui.roster.fairness_model import FairnessModel
from drillapp.ui.roster.grid_model import RosterGridModel
from drillapp.ui.roster.rules_dialog import PeriodDialog
from drillapp.ui.roster.swap_panel import SwapPanel

WISH_WEIGHT = 10  # a wish weighs as much as one unit of unfair duty spread (the default fairness weight)


def _inverse(changes: list[Change]) -> list[Change]:
    return [(shift, member, REMOVE if action == ADD else ADD) for shift, member, action in reversed(changes)]


class GridEdit(QUndoCommand):
    """One hand edit of the grid (one key press: maybe a removal and an addition), saved as one operation.

    It is pushed once saved, so its first redo does nothing; undo and redo save the inverse or the edit again,
    each one operation. If the roster was changed meanwhile (another desk), the step is refused, the grid
    shows the roster as it now stands and the undo history is cleared (it no longer matches)."""

    def __init__(self, page: RosterPage, period_id: int, changes: list[Change], text: str) -> None:
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


class RosterPage(QWidget):
    def __init__(self, roster: RosterService, oncall: OnCallService, scope: PortScope,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterPage")
        self.roster, self.oncall, self.scope = roster, oncall, scope
        self.port_id: int | None = scope.id
        self.grid: RosterGrid | None = None
        self.undo_stack = QUndoStack(self)
        # its own edits show themselves when saved; changes made elsewhere (a swap panel, a dialog, another
        # desk) read the page again
        self.watch = Watch(self, self.refresh, skip_own=True)
        self.runner = LongOp(self)
        self.runner.progressed.connect(self._progress)
        self.runner.finished.connect(self._solved)
        self.runner.failed.connect(self._solve_failed)
        self.loaded = False

        self.periods = QListWidget(self)
        self.periods.setObjectName("rosterPeriods")
        self.periods.setWordWrap(True)
        self.periods.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.periods.currentItemChanged.connect(lambda *_a: self._period_changed())
        self.new_button = self._button(_("New period…"), "newPeriod", self.new_period)
        self.rules_button = self._button(_("Rules…"), "periodRules", self.edit_rules)
        self.delete_button = self._button(_("Delete period…"), "deletePeriod", self.delete_period)
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Roster periods"), self))
        left.addWidget(self.periods, 1)
        left.addWidget(self.new_button)
        left.addWidget(self.rules_button)
        left.addWidget(self.delete_button)
        left_box = QWidget(self)
        left_box.setLayout(left)

        self.title = QLabel(self)
        self.title.setObjectName("rosterTitle")
        self.title.setWordWrap(True)
        self.time_limit = QSpinBox(self)
        self.time_limit.setObjectName("solveSeconds")
        self.time_limit.setRange(1, 3600)
        self.time_limit.setValue(30)
        self.time_limit.setSuffix(_(" s"))
        self.time_limit.setToolTip(_("How long the solver may search"))
        self.solve_button = self._button(_("Solve (F9)"), "solveRoster", self.solve)
        self.stop_button = self._button(_("Stop (Esc)"), "stopSolve", self.stop)
        self.publish_button = self._button(_("Publish…"), "publishRoster", self.publish)
        self.print_button = self._button(_("Print roster…"), "printRoster", self.print_roster)
        self.swap_button = self._button(_("Request swap…"), "requestSwap", self.request_swap)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(QLabel(_("Search for"), self))
        bar.addWidget(self.time_limit)
        for b in (self.solve_button, self.stop_button, self.publish_button, self.swap_button, self.print_button):
            bar.addWidget(b)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("solveProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("solveStatus")
        self.progress_label.setWordWrap(True)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("rosterFilter")
        self.filter.setPlaceholderText(_("Filter members by name, branch or squad (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.model = RosterGridModel(self)
        self.filter.textChanged.connect(self.model.set_filter)
        self.table = QTableView(self)
        self.table.setObjectName("rosterGrid")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(46)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda index: self.toggle(index))
        self.fair_model = FairnessModel(self.model)
        self.fair_table = QTableView(self)
        self.fair_table.setObjectName("fairnessTable")
        self.fair_table.setModel(self.fair_model)
        self.fair_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fair_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.fair_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fair_table.verticalHeader().setVisible(False)
        self._side_by_side(self.table, self.fair_table)
        self.fairness_summary = QLabel(self)
        self.fairness_summary.setObjectName("fairnessSummary")
        self.fairness_summary.setWordWrap(True)
        self.grid_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.grid_split.setObjectName("gridSplit")
        self.grid_split.addWidget(self.table)
        self.grid_split.addWidget(self.fair_table)
        self.grid_split.setStretchFactor(0, 1)
        self.grid_split.setStretchFactor(1, 0)
        self.grid_split.setCollapsible(0, False)
        self.empty = QLabel(self)
        self.empty.setObjectName("rosterEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("muted", True)

        self.problems = QListWidget(self)
        self.problems.setObjectName("rosterProblems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.swaps = SwapPanel(roster, self)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        problems_box = QWidget(self)
        pl = QVBoxLayout(problems_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(QLabel(_("Problems"), self))
        pl.addWidget(self.problems)
        lower.addWidget(problems_box)
        lower.addWidget(self.swaps)

        right = QVBoxLayout()
        right.addLayout(bar)
        right.addWidget(self.progress)
        right.addWidget(self.progress_label)
        right.addWidget(self.filter)
        right.addWidget(self.empty)
        right.addWidget(self.grid_split, 1)
        right.addWidget(self.fairness_summary)
        self.legend = QLabel(_("● on duty (D day, N night) · ✎ put on by hand · ○ wishes to be off · ◎ wishes to be "
                               "on duty · ★ squad leader · Space: on/off · O / W: wish off / on · Del: clear wish · "
                               "Ctrl+Z / Ctrl+Shift+Z: undo / redo"), self)
        self.legend.setObjectName("rosterLegend")
        self.legend.setWordWrap(True)
        self.legend.setProperty("muted", True)
        right.addWidget(self.legend)
        right_box = QWidget(self)
        right_box.setLayout(right)
        vertical = QSplitter(Qt.Orientation.Vertical, self)
        vertical.addWidget(right_box)
        vertical.addWidget(lower)
        vertical.setStretchFactor(0, 4)
        vertical.setStretchFactor(1, 1)
        vertical.setSizes([620, 150])
        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(left_box)
        outer.addWidget(vertical)
        outer.setStretchFactor(1, 1)
        outer.setSizes([240, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)

        for key, slot in ((QKeySequence(Qt.Key.Key_F9), self.solve), (QKeySequence.StandardKey.Undo, self.undo_edit),
                          (QKeySequence.StandardKey.Redo, self.redo_edit),
                          (QKeySequence.StandardKey.Find, self.filter.setFocus)):
            QShortcut(key, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for toggle_key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(toggle_key), self.table, lambda: self.toggle(self.table.currentIndex()),
                      context=Qt.ShortcutContext.WidgetShortcut)
        for wish_key, wish in ((Qt.Key.Key_O, False), (Qt.Key.Key_W, True), (Qt.Key.Key_Delete, None)):
            QShortcut(QKeySequence(wish_key), self.table, lambda w=wish: self.set_wish(self.table.currentIndex(), w),
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._cell_menu)
        self._update_state()

    def _side_by_side(self, grid: QTableView, side: QTableView) -> None:
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
            self.model.index(index.row(), max(0, grid.currentIndex().column()))))

    def _fit_fairness(self) -> None:
        """Both headers as tall as the taller (the rows line up); the side table as wide as its columns."""
        grid_head, side_head = self.table.horizontalHeader(), self.fair_table.horizontalHeader()
        for head in (grid_head, side_head):
            head.setMinimumHeight(0)
            head.setMaximumHeight(16777215)
        height = max(grid_head.sizeHint().height(), side_head.sizeHint().height())
        for head in (grid_head, side_head):
            head.setFixedHeight(height)
        side_head.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        # the whole table when it fits in a third of a typical window; else it scrolls sideways
        width = side_head.length() + 2 * self.fair_table.frameWidth() + 2
        self.fair_table.setMinimumWidth(min(width, 480))
        self.fair_table.setMaximumWidth(width)
        table = self.grid.fairness if self.grid is not None else None
        shown = table is not None and bool(self.grid.cells)  # type: ignore[union-attr]  # table is only set with a grid
        self.fair_table.setVisible(shown)
        self.fairness_summary.setVisible(shown)
        self.fairness_summary.setText(_fairness_summary(table) if shown else "")

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- loading ------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self.loaded:
            self.reload_periods()

    def refresh(self) -> None:
        if not self.runner.running:  # a solve in progress shows its own result when it ends
            self.reload_periods()

    def reload_periods(self, select: int | None = None) -> None:
        current = select if select is not None else self.period_id()
        roster, oncall, port_id = self.roster, self.oncall, self.port_id

        def read() -> tuple[int | None, list[PeriodInfo]]:
            port = port_id if port_id is not None else _default_port(oncall)
            return port, roster.periods(port) if port is not None else []

        QueryOp(self, read, watch=self.watch).success(lambda found: self._show_periods(found, current)).run()

    def _show_periods(self, found: tuple[int | None, list[PeriodInfo]], current: int | None) -> None:
        self.port_id, rows = found
        self.periods.blockSignals(True)
        self.periods.clear()
        for p in rows:
            item = QListWidgetItem(f"{p.name}\n{p.starts_on} – {p.ends_on} · {label(p.status)}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(f"{p.name}\n{label(p.pattern)}")
            self.periods.addItem(item)
            if p.id == current:
                self.periods.setCurrentItem(item)
        if self.periods.currentItem() is None and self.periods.count():
            self.periods.setCurrentRow(0)
        self.periods.blockSignals(False)
        self.loaded = True
        self._period_changed()

    def period_id(self) -> int | None:
        item = self.periods.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def period(self) -> PeriodInfo | None:
        return self.grid.period if self.grid is not None else None

    def _period_changed(self) -> None:
        pid = self.period_id()
        if pid != (self.grid.period.id if self.grid else None):
            self.undo_stack.clear()
            self.progress_label.setText("")
        self.reload()

    def reload(self, then_select: QModelIndex | None = None) -> None:
        """Read the period's grid and wishes again (off the GUI thread) and show them."""
        pid = self.period_id()
        roster = self.roster
        cell = (then_select.row(), then_select.column()) if then_select is not None else None

        def read() -> tuple[RosterGrid | None, list[PreferenceInfo]]:
            if pid is None:
                return None, []
            return roster.grid(pid), roster.preferences(pid)

        def failed(exc: BaseException) -> None:
            self.grid = None
            self.model.set_grid(None, [])
            show_error(self, exc)
            self._update_state()

        QueryOp(self, read, watch=self.watch).success(lambda found: self._show_grid(found, cell)).failure(failed) \
            .run()

    def _show_grid(self, found: tuple[RosterGrid | None, list[PreferenceInfo]],
                   cell: tuple[int, int] | None) -> None:
        self.grid, wishes = found
        self.model.set_grid(self.grid, wishes)
        self._fit_fairness()
        self.swaps.set_period(self.grid.period.id if self.grid is not None else None)
        self._show_violations()
        self._update_state()
        if cell is not None:
            self.table.setCurrentIndex(self.model.index(*cell))

    def _update_state(self) -> None:
        period = self.period()
        solving = self.runner.running
        draft = period is not None and period.status is RosterStatus.DRAFT
        solved = self.grid is not None and bool(self.grid.cells)
        self.solve_button.setEnabled(draft and not solving)
        self.stop_button.setEnabled(solving)
        self.rules_button.setEnabled(draft and not solving)
        self.delete_button.setEnabled(draft and not solving)
        self.new_button.setEnabled(not solving)
        self.publish_button.setEnabled(draft and solved and not solving)
        self.swap_button.setEnabled(period is not None and not draft)
        self.print_button.setEnabled(solved and not draft)
        self.print_button.setToolTip("" if not draft else _("A roster is printed once it is published."))
        self.progress.setVisible(solving)
        self.empty.setText(_("No roster period yet. Create one with “New period…”: choose the dates, the "
                             "shift pattern and what every shift needs."))
        if period is None:
            self.title.setText("")
        else:
            rules = period.rules
            heads = "/".join(str(n) for n in rules["headcount"].values())
            result = ""
            if period.objective is not None:
                result = _(" · last arranged: {objective} points off the ideal, {status}").format(
                    status=solver_status_label(period.solver_status), objective=period.objective)
            self.title.setText(f"<b>{_html(period.name)}</b> · {period.starts_on} – {period.ends_on} · "
                               f"{_html(label(period.pattern))} · {_html(label(period.status))} · "
                               + _html(_("{n} on each shift").format(n=heads)) + _html(result))
        self.grid_split.setVisible(period is not None)
        self.legend.setVisible(period is not None)
        self.empty.setVisible(period is None)
        if period is not None and not solved and not solving and not self.progress_label.text():
            self.progress_label.setText(_("This period has no roster yet. Mark members' wishes (O: off, W: on duty) "
                                          "if any, then press Solve (F9) to find a roster that meets every "
                                          "requirement; it can then be edited by hand and published."))

    def _show_violations(self) -> None:
        self.problems.clear()
        if self.grid is None:
            return
        for v in self.grid.violations:
            item = QListWidgetItem("⚠ " + v.message)
            item.setData(Qt.ItemDataRole.UserRole, (v.person, v.day))
            self.problems.addItem(item)
        if not self.grid.violations and self.grid.cells:
            self.problems.addItem(_("The roster meets every hard rule."))

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        where = item.data(Qt.ItemDataRole.UserRole)
        if not where:
            return
        person, day = where
        col = day if day is not None else 0
        row = next((r for r, m in enumerate(self.model.rows) if person is not None and str(m.id) == person),
                   len(self.model.rows))
        self.table.setCurrentIndex(self.model.index(row, col))
        self.table.setFocus()

    # -- periods ------------------------------------------------------------------------------------
    def new_period(self) -> None:
        if self.port_id is None:  # every port in scope: the period belongs to the default port
            oncall = self.oncall
            QueryOp(self, lambda: _default_port(oncall)).success(self._new_period_at).run()
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

    # -- solving ------------------------------------------------------------------------------------
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
            return roster.solve(pid, time_limit=float(seconds), progress=progress, stop=stop, keep_manual=keep,
                                expected_version=version)

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

    # -- hand edits ---------------------------------------------------------------------------------
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

    # -- publishing, swaps, printing -----------------------------------------------------------------
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


def _fairness_summary(table: Any) -> str:
    from drillapp.services.roster_fairness import spread_text

    return spread_text(table) + "\n" + _(
        "Fair share: each member's part of this period if it and the {days} days before were shared evenly among "
        "the active members. Hover over a member for why.").format(days=table.past_days)


def _safe_file_name(name: str) -> str:
    return "".join("_" if c in '<>:"/\\|?*' else c for c in name)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _default_port(oncall: OnCallService) -> int | None:
    from drillapp.services.errors import NotFoundError

    try:
        return oncall.default_port_id()
    except NotFoundError:
        return None
