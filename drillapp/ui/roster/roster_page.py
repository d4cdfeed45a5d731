"""The Roster tab of the Team area: periods, solving with progress, the editable grid with its fairness table
beside it (row for row: each member's duties, nights, weekends and holidays now and before, and the fair share;
the spread under the grid), problems, swaps.

Keys: F9 solves the selected draft, Esc stops the solver (the best roster so far is kept), Space/Enter on a
cell puts the member on or takes them off that day (day/night: off → day → night → off), Ctrl+Z / Ctrl+Shift+Z
undo and redo hand edits (one step per key press: day → night is one operation and one undo), Ctrl+F filters
members. A published roster is not edited: Space asks for a swap instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
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
from drillapp.models.enums import RosterStatus
from drillapp.services.context import PortScope
from drillapp.services.oncall import OnCallService
from drillapp.services.roster import (
    PeriodInfo,
    PreferenceInfo,
    RosterService,
)
from drillapp.services.roster_grid import RosterGrid
from drillapp.ui.errors import show_error
from drillapp.ui.measured_header import MeasuredHeader
from drillapp.ui.operations import LongOp, QueryOp, Watch
from drillapp.ui.roster.fairness_model import FairnessModel
from drillapp.ui.roster.fairness_view import fit_fairness, side_by_side
from drillapp.ui.roster.grid_edits import GridEditsMixin
from drillapp.ui.roster.grid_model import RosterGridModel
from drillapp.ui.roster.period_actions import PeriodActionsMixin, default_port
from drillapp.ui.roster.solving import SolvingMixin
from drillapp.ui.roster.swap_panel import SwapPanel


class RosterPage(SolvingMixin, GridEditsMixin, PeriodActionsMixin):
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
        rows_header = MeasuredHeader(Qt.Orientation.Vertical, self.table)  # a thousand members: measured once
        rows_header.setSectionsClickable(True)  # as the table's own (a click selects the member's row)
        rows_header.setHighlightSections(True)
        self.model.rows_laid_out.connect(lambda: rows_header.measure(self.model.row_labels()))
        self.table.setVerticalHeader(rows_header)
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
        side_rows = MeasuredHeader(Qt.Orientation.Vertical, self.fair_table)  # hidden, yet Qt would measure it
        side_rows.set_hint(QSize(0, 0))
        self.fair_table.setVerticalHeader(side_rows)
        self.fair_table.verticalHeader().setVisible(False)
        side_by_side(self.table, self.fair_table, self.model)
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

        # Ctrl+F: the main window's Find goes to `search` (a shortcut of the page's own made Ctrl+F ambiguous there)
        self.search = self.filter
        for key, slot in ((QKeySequence(Qt.Key.Key_F9), self.solve), (QKeySequence.StandardKey.Undo, self.undo_edit),
                          (QKeySequence.StandardKey.Redo, self.redo_edit)):
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
            port = port_id if port_id is not None else default_port(oncall)
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
        fit_fairness(self.table, self.fair_table, self.fairness_summary, self.grid)
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


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
