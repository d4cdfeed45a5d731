"""The incident console: the drill console's engine for a real incident, keyboard first.

Keys on the checklist are the drill console's: Space done, N not applicable, S skipped (asks why), R reopen,
Enter a note, Shift+Space done earlier, L a log line. Window keys: Ctrl+E change the level (asks why), Ctrl+T a
task (on the tasks table P / D / C / O move it on), Ctrl+R reports, Ctrl+H hand over (Ctrl+Shift+H saves
the sheet again, logging nothing), Ctrl+Shift+M call out the on-call team (then the call-out panel, its A / R / N
keys recording answers and arrivals), Ctrl+Shift+D stand down (asks the summary), Ctrl+Shift+R the review (after
the stand-down).

Every write goes through the runner; the clock is the service's, read at each tick; another desk's ticks,
tasks and log lines arrive through the change feed and reload the incident. Once stood down the checklist and
the log are read only; the reports and the review remain.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, ClassVar

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
from drillapp.i18n import N_, _
from drillapp.models.enums import ActionStatus, Agency, ItemState
from drillapp.services import Services
from drillapp.services.incident_console import IncidentView, build_incident_view
from drillapp.services.incident_view import IncidentSnapshot
from drillapp.ui.console.checklist import ChecklistView
from drillapp.ui.console.item_keys import ItemKeys
from drillapp.ui.console.side_panels import _title
from drillapp.ui.incidents.checklist import IncidentChecklistModel
from drillapp.ui.incidents.console_actions import IncidentActions
from drillapp.ui.incidents.header import IncidentHeader
from drillapp.ui.incidents.log import IncidentLogPanel
from drillapp.ui.incidents.panels import CalledPanel, DuesPanel, TasksPanel
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.team.oncall_panel import OnCallPanel

TICK_MS = 1000
LOG_LINES = 200
#: (id, key, button text or None, slot name)
WINDOW_ACTIONS = (
    ("level", "Ctrl+E", N_("Change level… (Ctrl+E)"), "change_level"),
    ("task", "Ctrl+T", N_("New task… (Ctrl+T)"), "new_task"),
    ("reports", "Ctrl+R", N_("Reports… (Ctrl+R)"), "open_reports"),
    ("handover", "Ctrl+H", N_("Hand over… (Ctrl+H)"), "hand_over"),
    ("sheet", "Ctrl+Shift+H", None, "save_handover_sheet"),
    ("callout", "Ctrl+Shift+M", N_("Call out on-call team (Ctrl+Shift+M)"), "call_out"),
    ("stand_down", "Ctrl+Shift+D", N_("Stand down… (Ctrl+Shift+D)"), "stand_down"),
    ("review", "Ctrl+Shift+R", N_("Review… (Ctrl+Shift+R)"), "open_review"),
    ("log", "Ctrl+L", None, "start_log"),
    ("tasks", "Ctrl+J", None, "focus_tasks"),
    ("focus_checklist", "Escape", None, "focus_checklist"),
)
#: what stays possible once the incident has been stood down
AFTER_STAND_DOWN = {"reports", "review", "tasks", "focus_checklist", "sheet"}


class IncidentConsole(IncidentActions, ItemKeys, QWidget):
    """One incident's console window. `closed(id)` when it closes (the incident goes on: reopen it),
    `stood_down(id)`, `handed_over(path of the sheet)`."""

    closed = Signal(int)
    stood_down = Signal(int)
    handed_over = Signal(object)
    loaded = Signal()
    #: a record this console wrote was committed and is shown: ("event", checklist event id) or ("log", entry id)
    committed = Signal(str, int)

    IGNORED: ClassVar[frozenset[str]] = frozenset({"muster"})  # the drill's muster line; the call-out is Ctrl+Shift+M

    def __init__(self, services: Services, incident_id: int, parent: QWidget | None = None, *,
                 review_opener: Any = None, log_lines: int = LOG_LINES, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("incidentConsole")
        self.services, self.incidents, self.runs = services, services.incidents, services.runs
        self.incident_id, self.review_opener, self.log_lines = incident_id, review_opener, log_lines
        self.snapshot: IncidentSnapshot | None = None
        self.view: IncidentView | None = None
        self._shown_once = False
        self.callout_window: QWidget | None = None
        self.watch = Watch(self, self.reload, skip_own=True)

        self.header = IncidentHeader(self)
        self.model = IncidentChecklistModel(self)
        self.checklist = ChecklistView(self.model, self)
        self.checklist.installEventFilter(self)
        self.log_panel = IncidentLogPanel(self)
        self.log_panel.submitted.connect(self.write_log)
        self.dues = DuesPanel(self)
        self.tasks = TasksPanel(self)
        self.tasks.status_key.connect(self.set_task_status)
        self.on_call = OnCallPanel(services.oncall, self)
        self.on_call.print_button.hide()
        self.on_call.loaded.connect(self._on_call_now_only)
        self.called = CalledPanel(self)
        self.keys_help = QLabel(_("Space done · N not applicable · S skipped · R reopen · Enter note · "
                                  "Shift+Space done earlier · L log · Ctrl+J tasks (P / D / C / O)"), self)
        self.keys_help.setObjectName("keysHelp")
        self.keys_help.setWordWrap(True)
        self.keys_help.setProperty("muted", True)
        self.notice = QLabel("", self)
        self.notice.setObjectName("consoleNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("#consoleNotice { color: #b00020; font-weight: bold; }")
        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        self._build_actions()
        self._build_layout()
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick_clock)
        self.reload()  # the on-call panel reads once the incident's port is known

    def _build_actions(self) -> None:
        for name, keys, text, slot in WINDOW_ACTIONS:
            action = QAction(self)
            action.setObjectName(f"incident_{name}")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(getattr(self, slot))
            self.addAction(action)
            self.actions_by_id[name] = action
            if text is not None:
                button = QPushButton(_(text), self)
                button.setObjectName(f"{name}Button")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(action.trigger)
                self.buttons[name] = button
        self.buttons["handover"].setToolTip(_("Record the hand-over to the next duty officer and save its sheet "
                                              "(Ctrl+H). Ctrl+Shift+H saves the sheet again without recording a "
                                              "hand-over."))

    def _build_layout(self) -> None:
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.checklist)
        left.addWidget(self.log_panel)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        reports_row = QHBoxLayout()
        reports_row.addWidget(_title(_("Reports"), side), 1)
        reports_row.addWidget(self.buttons["reports"])
        side_layout.addLayout(reports_row)
        side_layout.addWidget(self.dues)
        tasks_row = QHBoxLayout()
        tasks_row.addWidget(_title(_("Tasks"), side), 1)
        tasks_row.addWidget(self.buttons["task"])
        side_layout.addLayout(tasks_row)
        side_layout.addWidget(self.tasks, 2)
        side_layout.addWidget(self.on_call, 3)
        called_row = QHBoxLayout()
        called_row.addWidget(_title(_("Called out"), side), 1)
        called_row.addWidget(self.buttons["callout"])
        side_layout.addLayout(called_row)
        side_layout.addWidget(self.called, 1)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([1050, 500])
        bar = QHBoxLayout()
        texts = QVBoxLayout()
        texts.addWidget(self.notice)
        texts.addWidget(self.keys_help)
        bar.addLayout(texts, 1)
        for name in ("level", "handover", "stand_down", "review"):
            bar.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        layout.addLayout(bar)

    # -- reading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        incidents, incident_id, lines = self.incidents, self.incident_id, self.log_lines
        QueryOp(self, lambda: incidents.snapshot(incident_id, log_limit=lines), watch=self.watch) \
            .success(self._loaded).run()

    def _loaded(self, snap: IncidentSnapshot) -> None:
        first = self.snapshot is None
        self.snapshot = snap
        self.setWindowTitle(f"实战 REAL — {snap.number} {snap.title}")
        self.log_panel.show_rows(snap.log, snap.log_total, snap.port_zone)
        self.log_panel.set_writable(snap.active)
        for name, action in self.actions_by_id.items():
            enabled = (snap.active or name in AFTER_STAND_DOWN) and (name != "review" or not snap.active)
            action.setEnabled(enabled)
            if name in self.buttons:
                self.buttons[name].setEnabled(enabled)
        if self.on_call.fixed_port_id != snap.port_id:  # the incident's port, whatever the desk's ("All ports")
            self.on_call.show_port(snap.port_id)
        self.tick_clock()
        if snap.active and not self.timer.isActive():
            self.timer.start()
        elif not snap.active:
            self.timer.stop()
        if first:
            self.log_panel.when.setTime(self.now_local())
            first_open = next((n for n, v in enumerate(self.model.items) if v.row.state is ItemState.OPEN), 0)
            self.checklist.select_row(first_open)
            self.checklist.setFocus()
        self.loaded.emit()

    def tick_clock(self) -> None:
        """What shows at the service clock's now, without a read: colours, the clock, the report countdown."""
        if self.snapshot is None:
            return
        view = build_incident_view(self.snapshot, self.incidents.clock())
        self.view = view
        self.header.set_incident(view)
        self.model.set_incident(view)
        self.dues.set_view(view)
        self.tasks.set_tasks(view.tasks, view.snapshot.port_zone)
        self.called.set_view(view)

    def _on_call_now_only(self) -> None:
        """The console shows who is on call now; the next shift is the dashboard's."""
        self.on_call.next_title.hide()
        self.on_call.next_list.hide()

    def now_local(self) -> QTime:
        now = to_local(self.incidents.clock(), self.snapshot.port_zone if self.snapshot else None)
        return QTime(now.hour, now.minute)

    # -- the checklist's keys -----------------------------------------------------------------------
    def act(self, action: str) -> None:
        """Do what a key does on the current row (buttons and tests call this too)."""
        if not self.active:
            self.notice.setText(_("The incident has been stood down: its checklist and log are closed."))
            return
        row = self.checklist.current_row()
        item = self.model.item_at(row)
        if action == "log":
            self.log_panel.start_entry(item.row.agency if item is not None else None, self.now_local())
            return
        self.act_on_item(row, action)

    # -- writing ----------------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self.incidents.clock()

    def write_log(self, text: str, agency: Agency | None, happened: time | None) -> None:
        runs, incident_id, when, kind = self.runs, self.incident_id, self._happened(happened), \
            self.log_panel.category()

        def done(entry_id: int) -> None:
            self.log_panel.entry_done()
            self.checklist.setFocus()
            self._after_write("log", entry_id)

        WriteOp(self, lambda: runs.add_log_entry(text, incident_id=incident_id, kind=kind, agency=agency,
                                                 happened_at=when)).success(done).failure(self._failed) \
            .run(initiator=self)

    def set_task_status(self, task_id: int, status: ActionStatus) -> None:
        task = next((t for t in self.tasks.tasks if t.id == task_id), None)
        if task is None or task.status is status or not self.active:
            return
        incidents, version = self.incidents, task.row_version
        WriteOp(self, lambda: incidents.set_task_status(task_id, status, expected_version=version)) \
            .success(lambda _r: self.reload()).failure(self._failed).run(initiator=self)

    def _after_write(self, kind: str, record_id: int) -> None:
        self.notice.setText("")
        self.reload()
        self.committed.emit(kind, record_id)

    def _on_failure(self, exc: BaseException) -> None:
        self.notice.setText(getattr(exc, "message", ""))

    # -- the window -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.timer.stop()
        self.closed.emit(self.incident_id)
        super().closeEvent(event)

