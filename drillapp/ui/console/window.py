"""The live console of a drill run: full-window, keyboard first.

Keys on the checklist: Up/Down move, Space done, N not applicable, S skipped (asks why), R reopen, Enter a
note, Shift+Space done earlier (asks when it happened), L a log line, M the team's muster, Shift+M the call-out
test linked to the run (a panel of its own with its A / R / N keys). Window keys:
F6 / F7 / F8 deliver, delay or skip the inject due, Ctrl+Shift+P pause or resume, Ctrl+Shift+E end (asks).

Every write goes through the operation runner; a row shows done only after its commit returned and the run
was read again. The clock is the service's clock (tests move it), read at each tick of a QTimer; another
desk's ticks arrive through the change feed on the operation bus and reload the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import ClassVar

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import level_label
from drillapp.models.enums import Agency, InjectStatus, ItemState, LogKind
from drillapp.services.reviews import ReviewService
from drillapp.services.run_console import RunConsoleService
from drillapp.services.run_view import RunSnapshot, RunView, build_view
from drillapp.services.runs import RunService
from drillapp.ui.console.checklist import ChecklistModel, ChecklistView
from drillapp.ui.console.dialogs import ask_end
from drillapp.ui.console.header import ClockHeader
from drillapp.ui.console.item_keys import ItemKeys
from drillapp.ui.console.log_panel import LogPanel
from drillapp.ui.console.side_panels import ContactsPanel, InjectPanel, ReportsPanel, _title
from drillapp.ui.operations import QueryOp, Watch, WriteOp

#: The muster line M writes, in the port's working language first like the run's other record lines.
MUSTER_LINE = "队伍集结完毕 / Team mustered"
#: The clock's tick (the bench measures its lateness).
TICK_MS = 1000
#: Log lines kept on screen (the run record holds them all).
LOG_LINES = 200



def run_subtitle(snap: RunSnapshot) -> str:
    parts = []
    if snap.plan_code or snap.plan_title:
        plan = f"{snap.plan_code} {snap.plan_title}".strip()
        if snap.plan_version is not None:
            plan += " " + _("(version {version})").format(version=snap.plan_version)
        parts.append(plan)
    parts.append(level_label(snap.level))
    if snap.unplanned:
        parts.append(_("Unplanned"))
    if snap.location:
        parts.append(snap.location)
    return "  ·  ".join(parts)


class RunConsole(ItemKeys, QWidget):
    """One run's console window. `closed(run_id)` when the window closes (the run goes on: reopen it),
    `ended(run_id)` once the run has ended."""

    closed = Signal(int)
    ended = Signal(int)
    loaded = Signal()
    #: a record this console wrote was committed and is shown: ("event", checklist event id) or ("log", entry id)
    SHIFT_KEYS: ClassVar[dict[Qt.Key, str]] = {Qt.Key.Key_M: "callout"}  # Shift+M: the linked call-out
    committed = Signal(str, int)

    def __init__(self, runs: RunService, console: RunConsoleService, reviews: ReviewService, run_id: int,
                 parent: QWidget | None = None, *, log_lines: int = LOG_LINES, tick_ms: int = TICK_MS,
                 muster: Callable[[int], QWidget] | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("runConsole")
        self.runs, self.console, self.reviews, self.run_id = runs, console, reviews, run_id
        self.log_lines = log_lines
        #: opens the call-out (muster) panel linked to this run (Shift+M), when the desk has one
        self.muster = muster
        self.muster_window: QWidget | None = None
        self.snapshot: RunSnapshot | None = None
        self.view: RunView | None = None
        self.hot_wash: QWidget | None = None
        #: opens the run's review (its editor) once the drill has ended; set by the opener
        self.open_review: Callable[[int], object] | None = None
        self._shown_once = False
        self.watch = Watch(self, self.reload, skip_own=True)

        self.header = ClockHeader(self)
        self.model = ChecklistModel(self)
        self.checklist = ChecklistView(self.model, self)
        self.checklist.installEventFilter(self)
        self.log_panel = LogPanel(self)
        self.log_panel.submitted.connect(self.write_log)
        self.injects = InjectPanel(self)
        self.injects.marked.connect(self.mark_inject)
        self.reports = ReportsPanel(self)
        self.contacts = ContactsPanel(self)
        self.keys_help = QLabel(_("Space done · N not applicable · S skipped · R reopen · Enter note · "
                                  "Shift+Space done earlier · L log · M muster · Shift+M call-out test · F6/F7/F8 inject"), self)
        self.keys_help.setObjectName("keysHelp")
        self.keys_help.setWordWrap(True)
        self.keys_help.setProperty("muted", True)
        self.pause_button = QPushButton(_("Pause (Ctrl+Shift+P)"), self)
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.end_button = QPushButton(_("End drill… (Ctrl+Shift+E)"), self)
        self.end_button.setObjectName("endButton")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.end_button.clicked.connect(self.end_run)
        self._build_layout()
        self._build_actions()

        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick_clock)
        self.reload()

    def _build_layout(self) -> None:
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.checklist)
        left.addWidget(self.log_panel)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.injects)
        side_layout.addWidget(_title(_("Reports"), side))
        side_layout.addWidget(self.reports, 1)
        side_layout.addWidget(_title(_("Contacts"), side))
        side_layout.addWidget(self.contacts, 2)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([1100, 440])
        bar = QHBoxLayout()
        bar.addWidget(self.keys_help, 1)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        layout.addLayout(bar)

    def _build_actions(self) -> None:
        specs = (("pause", "Ctrl+Shift+P", self.toggle_pause), ("end", "Ctrl+Shift+E", self.end_run),
                 ("deliver", "F6", lambda: self.injects.mark(InjectStatus.DELIVERED)),
                 ("delay", "F7", lambda: self.injects.mark(InjectStatus.DELAYED)),
                 ("skip_inject", "F8", lambda: self.injects.mark(InjectStatus.SKIPPED)),
                 ("focus_checklist", "Escape", lambda: self.checklist.setFocus()))
        self.actions_by_id: dict[str, QAction] = {}
        for name, keys, slot in specs:
            action = QAction(self)
            action.setObjectName(f"console_{name}")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions_by_id[name] = action

    # -- reading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        run_id, console, lines = self.run_id, self.console, self.log_lines
        QueryOp(self, lambda: console.snapshot(run_id, log_limit=lines), watch=self.watch) \
            .success(self._loaded).run()

    def _loaded(self, snap: RunSnapshot) -> None:
        first = self.snapshot is None
        self.snapshot = snap
        self.setWindowTitle(f"演练 DRILL — {snap.drill_title}")
        self.log_panel.show_rows(snap.log, snap.log_total, snap.port_zone)
        self.tick_clock()
        running = snap.ended_at is None
        self.pause_button.setText(_("Resume (Ctrl+Shift+P)") if snap.pauses and snap.pauses[-1][1] is None
                                  else _("Pause (Ctrl+Shift+P)"))
        for widget in (self.pause_button, self.end_button):
            widget.setEnabled(running)
        if running and not self.timer.isActive():
            self.timer.start()
        elif not running:
            self.timer.stop()
        if first:
            self.log_panel.when.setTime(self.now_local())
            first_open = next((n for n, v in enumerate(self.model.items) if v.row.state is ItemState.OPEN), 0)
            self.checklist.select_row(first_open)
            self.checklist.setFocus()
        self.loaded.emit()

    def tick_clock(self) -> None:
        """Recompute what shows at the service clock's now (no database): colours, countdowns, injects due."""
        if self.snapshot is None:
            return
        view = build_view(self.snapshot, self.console.clock())
        self.view = view
        self.header.set_view(view, run_subtitle(view.snapshot))
        self.model.set_view(view)
        self.injects.set_injects(view.injects_due, bool(view.injects), view.snapshot.port_zone)
        self.reports.set_reports(view.reports)
        self.contacts.set_contacts(view.contacts)

    def now_local(self) -> QTime:
        now = to_local(self.console.clock(), self.snapshot.port_zone if self.snapshot else None)
        return QTime(now.hour, now.minute)

    # -- keys -------------------------------------------------------------------------------------
    def act(self, action: str) -> None:
        """Do what a key does on the current row (buttons and tests call this too)."""
        row = self.checklist.current_row()
        if action == "log":
            self.log_panel.start_entry(self._agency_at(row), self.now_local())
            return
        if action == "muster":
            self._write_log(MUSTER_LINE, self._agency_at(row), None, LogKind.MUSTER)
            return
        if action == "callout":
            self.open_muster()
            return
        self.act_on_item(row, action)

    def _agency_at(self, row: int) -> Agency | None:
        item = self.model.item_at(row)
        return item.row.agency if item is not None else None

    # -- writing ----------------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self.console.clock()

    def write_log(self, text: str, agency: Agency | None, happened: time | None) -> None:
        self._write_log(text, agency, happened, LogKind.NOTE, from_panel=True)

    def _write_log(self, text: str, agency: Agency | None, happened: time | None, kind: LogKind,
                   from_panel: bool = False) -> None:
        runs, run_id, when = self.runs, self.run_id, self._happened(happened)

        def done(entry_id: int) -> None:
            if from_panel:
                self.log_panel.entry_done()
                self.checklist.setFocus()
            self._after_write("log", entry_id)

        WriteOp(self, lambda: runs.add_log_entry(text, drill_run_id=run_id, kind=kind, agency=agency,
                                                 happened_at=when)) \
            .success(done).failure(self._failed).run(initiator=self)

    def mark_inject(self, inject_id: int, status: InjectStatus) -> None:
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.mark_inject(run_id, inject_id, status)).success(lambda _r: self.reload()) \
            .failure(self._failed).run(initiator=self)

    def toggle_pause(self) -> None:
        snap = self.snapshot
        if snap is None or snap.ended_at is not None:
            return
        paused = bool(snap.pauses) and snap.pauses[-1][1] is None
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.resume(run_id) if paused else runs.pause(run_id)) \
            .success(lambda _r: self.reload()).failure(self._failed).run(initiator=self)

    def end_run(self) -> None:
        snap = self.snapshot
        if snap is None or snap.ended_at is not None:
            return
        if not ask_end(self, self.view.open if self.view is not None else 0):
            return
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.end_run(run_id)).success(lambda _r: self._ended()) \
            .failure(self._failed).run(initiator=self)

    def _ended(self) -> None:
        self.reload()
        self.ended.emit(self.run_id)
        self.open_hot_wash()

    def open_muster(self) -> QWidget | None:
        """The call-out test panel linked to this run, in a window of its own: its table keeps its A / R / N
        keys while it has the focus, and each arrival is a muster line of this run's log."""
        if self.muster is None:
            return None
        if self.muster_window is None:
            self.muster_window = self.muster(self.run_id)
        self.muster_window.show()
        self.muster_window.raise_()
        self.muster_window.activateWindow()
        return self.muster_window

    def open_hot_wash(self) -> QWidget:
        """The hot wash, right after the end: quick notes by branch that become draft findings."""
        from drillapp.ui.console.hot_wash import HotWashDialog

        if self.hot_wash is None:
            self.hot_wash = HotWashDialog(self.reviews, self.run_id, self.snapshot.drill_title if self.snapshot
                                          else "", self, open_review=self.open_review)
        self.hot_wash.show()
        self.hot_wash.raise_()
        return self.hot_wash

    def _after_write(self, kind: str, record_id: int) -> None:
        self.reload()
        self.committed.emit(kind, record_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.timer.stop()
        self.closed.emit(self.run_id)
        super().closeEvent(event)
