"""The Drills area's programme proposal: the coordinator asks for a year's drills (how many live and tabletop,
at most N a month, the weekdays allowed, a minimum gap, extra blocked days besides the port calendar's), the
solver proposes them off the GUI thread (a LongOp: the window stays live, the progress bar counts the search
time), the proposal is shown month by month with why each drill is there and which due cells stay uncovered
and why; the ticked proposals (all by default) become planned drills in one operation."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import from_local, to_local
from drillapp.i18n import N_, _
from drillapp.labels import label, level_label
from drillapp.services.permissions import allowed
from drillapp.services.programme import (
    Acceptance,
    ProgrammeRequest,
    ProgrammeService,
    Proposal,
    ProposedDrill,
    by_month,
)
from drillapp.ui.drills.proposal_move import MoveProposalDialog
from drillapp.ui.drills.year_grid import month_name
from drillapp.ui.errors import show_error
from drillapp.ui.operations import LongOp, WriteOp

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
PROPOSAL = Qt.ItemDataRole.UserRole
MOVED = Qt.ItemDataRole.UserRole + 1  # the new start (port time) the coordinator moved a proposal to
TICK_MS = 100


def _spin(parent: QWidget, name: str, low: int, high: int, value: int, tip: str, suffix: str = "") -> QSpinBox:
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    if suffix:
        box.setSuffix(suffix)
    return box


class ProgrammePage(QWidget):
    def __init__(self, programme: ProgrammeService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("programmePage")
        self.programme = programme
        self.proposal: Proposal | None = None
        self.runner = LongOp(self)
        self.runner.finished.connect(self._proposed)
        self.runner.failed.connect(self._failed)
        self._started = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        today = programme.today()
        next_year = today.month >= 10  # late in the year the coordinator plans the next one

        self.year = _spin(self, "programmeYear", 1900, 2999, today.year + (1 if next_year else 0),
                          _("The year to plan"))
        self.live = _spin(self, "programmeLive", 0, 60, 4, _("How many live drills"))
        self.tabletop = _spin(self, "programmeTabletop", 0, 60, 12, _("How many tabletop drills"))
        self.per_month = _spin(self, "programmePerMonth", 1, 31, 2, _("At most this many drills in one month"))
        self.gap = _spin(self, "programmeGap", 0, 180, 7, _("At least this many days between two drills"),
                         _(" days"))
        self.seconds = _spin(self, "programmeSeconds", 1, 120, 6, _("How long the solver may search"), _(" s"))
        self.weekdays: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for i, name in enumerate(WEEKDAYS):
            box = QCheckBox(_(name), self)
            box.setObjectName(f"weekday{i}")
            box.setChecked(i < 5)
            self.weekdays.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("&Year:"), self.year)
        counts = QHBoxLayout()
        for text, spin in ((_("&Live:"), self.live), (_("&Tabletop:"), self.tabletop),
                          (_("At most a &month:"), self.per_month), (_("Minimum &gap:"), self.gap),
                          (_("Search &for:"), self.seconds)):
            caption = QLabel(text, self)
            caption.setBuddy(spin)
            counts.addWidget(caption)
            counts.addWidget(spin)
        counts.addStretch(1)
        form.addRow(_("Drills:"), counts)
        form.addRow(_("Weekdays allowed:"), days_row)
        self.propose_button = QPushButton(_("Propose (F9)"), self)
        self.propose_button.setObjectName("proposeProgramme")
        self.propose_button.setToolTip(_("Propose the year's drills (F9). The port calendar's blocked periods and "
                                         "public holidays, and days with short rosters, are left out."))
        self.propose_button.clicked.connect(self.propose)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("proposalProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setVisible(False)
        self.status = QLabel(_("Set the year and the numbers of drills, then press Propose (F9)."), self)
        self.status.setObjectName("proposalStatus")
        self.status.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setObjectName("proposalNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5300;")

        self.drills = QTreeWidget(self)
        self.drills.setObjectName("proposedDrills")
        self.drills.setHeaderLabels([_("Date"), _("Kind"), _("Plan"), _("Level"), _("Why here")])
        self.drills.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.drills.setWordWrap(True)
        self.drills.setAlternatingRowColors(True)
        self.drills.itemChanged.connect(lambda *_a: self._update())
        self.drills.currentItemChanged.connect(self._current_changed)
        self.reason = QLabel(self)
        self.reason.setObjectName("proposalReason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.uncovered = QTreeWidget(self)
        self.uncovered.setObjectName("uncoveredCells")
        self.uncovered.setHeaderLabels([_("Plan"), _("Level"), _("Branch"), _("Due"), _("Why not covered")])
        self.uncovered.setRootIsDecorated(False)
        self.uncovered.setWordWrap(True)
        self.uncovered_title = QLabel(self)
        self.uncovered_title.setObjectName("uncoveredTitle")
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.reason)
        lower_layout.addWidget(self.uncovered_title)
        lower_layout.addWidget(self.uncovered, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.drills)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.all_button = QPushButton(_("Tick all"), self)
        self.all_button.setObjectName("tickAllProposals")
        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button = QPushButton(_("Tick none"), self)
        self.none_button.setObjectName("tickNoProposals")
        self.none_button.clicked.connect(lambda: self.tick_all(False))
        self.move_button = QPushButton(_("Move… (F2)"), self)
        self.move_button.setObjectName("moveProposal")
        self.move_button.setToolTip(_("Move the selected proposed drill to another day or time before accepting it "
                                      "(F2)."))
        self.move_button.clicked.connect(self.move_selected)
        self.accept_button = QPushButton(_("Accept ticked (Ctrl+Enter)"), self)
        self.accept_button.setObjectName("acceptProposal")
        self.accept_button.setToolTip(_("The ticked drills become planned drills, all in one step (Ctrl+Enter). "
                                        "Space ticks or unticks the selected one."))
        self.accept_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)

        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.propose_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, self.propose)
        move = QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.move_selected)
        move.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            accept = QShortcut(QKeySequence(keys), self, self.accept)
            accept.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update()

    # -- asking -------------------------------------------------------------------------------------
    def request(self) -> ProgrammeRequest:
        days = frozenset(i for i, box in enumerate(self.weekdays) if box.isChecked())
        return ProgrammeRequest(self.year.value(), self.live.value(), self.tabletop.value(),
                                max_per_month=self.per_month.value(), weekdays=days,
                                min_gap_days=self.gap.value(), time_limit=float(self.seconds.value()))

    def propose(self) -> None:
        if self.runner.running:
            return
        if self.drills.topLevelItemCount() and self._ticked() and not self._drop_ticked():
            return
        request, programme = self.request(), self.programme
        self.proposal = None
        self.drills.clear()
        self.reason.setText("")
        self.uncovered.clear()
        self.notes.setText("")
        self.uncovered_title.setText("")
        self.progress.setRange(0, int(request.time_limit * 1000 / TICK_MS))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(_("Searching for the best programme… (up to {s} s; you can keep working)").format(
            s=self.seconds.value()))
        self._started = time.monotonic()
        self._ticker.start()
        self._update()
        self.runner.start(lambda _progress, _stop: programme.propose(request))
        self._update()

    def _drop_ticked(self) -> bool:
        answer = QMessageBox.question(self, _("Propose again"), _("Drop the proposal shown (nothing of it is "
                                                                  "scheduled yet) and propose again?"))
        return answer == QMessageBox.StandardButton.Yes

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        self.progress.setValue(min(self.progress.maximum(), int(elapsed * 1000 / TICK_MS)))

    def _stop_progress(self) -> None:
        self._ticker.stop()
        self.progress.setVisible(False)

    def _failed(self, exc: BaseException) -> None:
        self._stop_progress()
        self.status.setText(_("No proposal: {error}").format(error=getattr(exc, "message", str(exc))))
        self._update()
        show_error(self, exc)

    # -- showing ------------------------------------------------------------------------------------
    def _proposed(self, proposal: Any) -> None:
        self._stop_progress()
        self.show_proposal(proposal)

    def show_proposal(self, proposal: Proposal) -> None:
        self.proposal = proposal
        self.drills.blockSignals(True)
        self.drills.clear()
        for month, drills in sorted(by_month(proposal.drills).items()):
            head = QTreeWidgetItem([f"{month_name(month)} {proposal.request.year}", "", "", "",
                                    _("{n} drill(s)").format(n=len(drills))])
            head.setFirstColumnSpanned(False)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.drills.addTopLevelItem(head)
            for d in drills:
                head.addChild(self._drill_item(d))
            head.setExpanded(True)
        self.drills.blockSignals(False)
        self.drills.resizeColumnToContents(0)
        for c, width in enumerate((90, 110, 80), start=1):
            self.drills.setColumnWidth(c, width)
        self.uncovered.clear()
        for u in proposal.uncovered:
            item = QTreeWidgetItem([u.plan_code, level_label(u.level), label(u.agency), u.due.isoformat(), u.why])
            item.setToolTip(4, u.why)
            self.uncovered.addTopLevelItem(item)
        for c, width in enumerate((110, 80, 150, 100)):
            self.uncovered.setColumnWidth(c, width)
        self.uncovered_title.setText(
            _("Due cells left uncovered ({n}):").format(n=len(proposal.uncovered)) if proposal.uncovered
            else _("Every cell falling due this year is covered."))
        self.status.setText(_("{n} drill(s) proposed in {s:.1f} s, covering {covered} of the {due} cells falling "
                              "due; {days} allowed days. Tick the ones to keep and accept them.").format(
            n=len(proposal.drills), s=proposal.seconds, covered=proposal.covered_cells, due=proposal.due_cells,
            days=proposal.allowed_days))
        self.notes.setText("\n".join(proposal.notes))
        if not proposal.drills:
            self.status.setText(_("No drill could be placed: {days} allowed days in {year}. Allow more weekdays, "
                                  "a shorter gap or more drills a month.").format(days=proposal.allowed_days,
                                                                                   year=proposal.request.year))
        self._update()
        items = self.proposal_items()
        if items:
            self.drills.setCurrentItem(items[0])

    def _drill_item(self, d: ProposedDrill) -> QTreeWidgetItem:
        item = QTreeWidgetItem([self._when_text(d), label(d.kind), d.plan_code,
                                level_label(d.level), d.reason])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked)
        item.setData(0, PROPOSAL, d)
        item.setToolTip(4, d.reason)
        item.setToolTip(2, d.plan_title)
        return item

    def _current_changed(self, item: QTreeWidgetItem | None, _old: QTreeWidgetItem | None = None) -> None:
        self._show_reason(item)
        self._update()

    def _show_reason(self, item: QTreeWidgetItem | None) -> None:
        proposed = item.data(0, PROPOSAL) if item is not None else None
        self.reason.setText(_("Why here: {reason}").format(reason=proposed.reason) if proposed else "")

    def proposal_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.drills.topLevelItemCount()):
            head = self.drills.topLevelItem(i)
            if head is not None:
                out += [c for j in range(head.childCount()) if (c := head.child(j)) is not None]
        return out

    def _ticked(self) -> list[ProposedDrill]:
        return [item.data(0, PROPOSAL) for item in self.proposal_items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def tick_all(self, on: bool) -> None:
        for item in self.proposal_items():
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update(self) -> None:
        running = self.runner.running
        may_accept = allowed(self.programme.actor.role, "drills.accept_proposal")
        ticked = len(self._ticked())
        self.propose_button.setEnabled(not running)
        self.accept_button.setEnabled(not running and may_accept and ticked > 0)
        self.accept_button.setText(_("Accept {n} ticked (Ctrl+Enter)").format(n=ticked) if ticked
                                   else _("Accept ticked (Ctrl+Enter)"))
        has = bool(self.proposal_items())
        current = self.drills.currentItem()
        self.move_button.setEnabled(not running and current is not None and current.data(0, PROPOSAL) is not None)
        self.all_button.setEnabled(has)
        self.none_button.setEnabled(has)

    def move_selected(self) -> None:
        """Asks for another start for the selected proposal; it is kept on the row (shown with an arrow) and used
        when the proposal is accepted."""
        item = self.drills.currentItem()
        proposed = item.data(0, PROPOSAL) if item is not None else None
        if item is None or proposed is None or self.runner.running:
            return
        current = item.data(0, MOVED) or to_local(proposed.start)
        dialog = MoveProposalDialog(f"{proposed.plan_code} · {label(proposed.kind)} · {proposed.title}", current, self)
        if dialog.exec() != MoveProposalDialog.DialogCode.Accepted:
            return
        start = dialog.start()
        item.setData(0, MOVED, None if start == to_local(proposed.start) else start)
        item.setText(0, self._when_text(proposed, item.data(0, MOVED)))
        item.setCheckState(0, Qt.CheckState.Checked)

    def _when_text(self, d: ProposedDrill, moved: Any = None) -> str:
        local = to_local(d.start)
        text = f"{local:%Y-%m-%d} {_(WEEKDAYS[local.weekday()])} {local:%H:%M}"
        if moved is None:
            return text
        return _("{old} → {new}").format(old=text, new=f"{moved:%Y-%m-%d} {_(WEEKDAYS[moved.weekday()])} "
                                                              f"{moved:%H:%M}")

    # -- accepting ----------------------------------------------------------------------------------
    def accept(self) -> None:
        chosen = self._ticked()
        if not chosen or not self.accept_button.isEnabled():
            return
        programme = self.programme
        moved = {id(item.data(0, PROPOSAL)): item.data(0, MOVED) for item in self.proposal_items()}
        accepted = [Acceptance(d, from_local(moved[id(d)]) if moved.get(id(d)) else None) for d in chosen]
        WriteOp(self, lambda: programme.accept(accepted)).success(self._accepted).run(initiator=self)

    def _accepted(self, ids: tuple[int, ...]) -> None:
        self.drills.clear()
        self.reason.setText("")
        self.uncovered.clear()
        self.uncovered_title.setText("")
        self.notes.setText("")
        self.proposal = None
        self.status.setText(_("{n} drill(s) scheduled. They are on the calendar; open one there to design it.")
                            .format(n=len(ids)))
        self._update()
