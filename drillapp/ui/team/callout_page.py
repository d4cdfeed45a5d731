"""Call-out (muster) tests, in the Team area: start a test (announced or not, the required strength, whom
to call, optionally as part of a live drill run), record each member's acknowledgement, arrival or
no-show with one key (A, R, N on the selected row) while a clock runs, see the time to the required
strength and to the full team as they happen, end the test; the history of past tests and the trend."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.models.enums import CalloutStatus
from drillapp.services.callouts import CalloutService, CalloutSummary
from drillapp.services.errors import NotFoundError
from drillapp.services.oncall import OnCallService
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.team.trend_chart import TrendChart, TrendPoint

#: Whom a test calls: the members on call now, or the whole active team.
CALL_ON_CALL, CALL_TEAM = "on_call", "team"


def minutes_text(value: float | None) -> str:
    if value is None:
        return "—"
    whole = int(value)
    return f"{whole}:{round((value - whole) * 60):02d}"


class MusterTable(QTableWidget):
    """The called members; A, R and N on the selected row record acknowledgement, arrival, no-show."""

    key_action = Signal(str)
    KEYS = {Qt.Key.Key_A: "ack", Qt.Key.Key_R: "arrive", Qt.Key.Key_N: "no_show"}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        action = self.KEYS.get(Qt.Key(event.key()))
        if action is not None and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.key_action.emit(action)
            event.accept()
            return
        super().keyPressEvent(event)


class CalloutPage(QWidget):
    def __init__(self, callouts: CalloutService, oncall: OnCallService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calloutPage")
        self.callouts, self.oncall = callouts, oncall
        self.watch = Watch(self, self.refresh)
        self.port_id: int | None = None
        self.test: CalloutSummary | None = None
        self.history: list[CalloutSummary] = []
        self.loaded_once = False

        self.start_box = QGroupBox(_("Start a call-out test"), self)
        self.call_choice = QComboBox(self.start_box)
        self.call_choice.setObjectName("callWhom")
        self.call_choice.addItem(_("The members on call now"), CALL_ON_CALL)
        self.call_choice.addItem(_("The whole active team"), CALL_TEAM)
        self.announced = QCheckBox(_("Announced in advance"), self.start_box)
        self.announced.setObjectName("announced")
        self.strength = QSpinBox(self.start_box)
        self.strength.setObjectName("requiredStrength")
        self.strength.setRange(0, 999)
        self.strength.setSpecialValueText(_("everyone called"))
        self.strength.setValue(0)
        self.run_choice = QComboBox(self.start_box)
        self.run_choice.setObjectName("drillRun")
        self.start_button = QPushButton(_("Start test"), self.start_box)
        self.start_button.setObjectName("startTest")
        self.start_button.clicked.connect(lambda _c=False: self.start_test())
        form = QFormLayout(self.start_box)
        form.addRow(_("Call"), self.call_choice)
        form.addRow(_("Required strength"), self.strength)
        form.addRow(_("Part of a drill"), self.run_choice)
        form.addRow(self.announced)
        form.addRow(self.start_button)

        self.live_box = QGroupBox(_("Running test"), self)
        self.clock_label = QLabel("—", self.live_box)
        self.clock_label.setObjectName("liveClock")
        font = self.clock_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.clock_label.setFont(font)
        self.progress = QLabel(_("No test is running. Start one on the left."), self.live_box)
        self.progress.setObjectName("progress")
        self.progress.setWordWrap(True)
        self.table = MusterTable(0, 5, self.live_box)
        self.table.setObjectName("musterTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Acknowledged"), _("Arrived"), _("Status"), _("ID")])
        self.table.setColumnHidden(4, True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.key_action.connect(self.record)
        self.ack_button = QPushButton(_("Acknowledged (A)"), self.live_box)
        self.ack_button.setObjectName("ackButton")
        self.arrive_button = QPushButton(_("Arrived (R)"), self.live_box)
        self.arrive_button.setObjectName("arriveButton")
        self.no_show_button = QPushButton(_("No-show (N)"), self.live_box)
        self.no_show_button.setObjectName("noShowButton")
        self.end_button = QPushButton(_("End test"), self.live_box)
        self.end_button.setObjectName("endTest")
        self.ack_button.clicked.connect(lambda _c=False: self.record("ack"))
        self.arrive_button.clicked.connect(lambda _c=False: self.record("arrive"))
        self.no_show_button.clicked.connect(lambda _c=False: self.record("no_show"))
        self.end_button.clicked.connect(lambda _c=False: self.end_test())
        buttons = QHBoxLayout()
        for b in (self.ack_button, self.arrive_button, self.no_show_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        live = QVBoxLayout(self.live_box)
        top = QHBoxLayout()
        top.addWidget(self.clock_label)
        top.addWidget(self.progress, 1)
        live.addLayout(top)
        live.addWidget(self.table, 1)
        live.addLayout(buttons)

        self.history_table = QTableWidget(0, 6, self)
        self.history_table.setObjectName("calloutHistory")
        self.history_table.setHorizontalHeaderLabels([
            _("Started"), _("Announced"), _("Arrived / called"), _("To required"), _("To full team"), _("Status")])
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history_table.horizontalHeader().setMinimumSectionSize(40)
        self.chart = TrendChart(self)

        upper = QHBoxLayout()
        upper.addWidget(self.start_box)
        upper.addWidget(self.live_box, 1)
        upper_widget = QWidget(self)
        upper_widget.setLayout(upper)
        upper.setContentsMargins(0, 0, 0, 0)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        history_box = QGroupBox(_("Past tests"), self)
        QVBoxLayout(history_box).addWidget(self.history_table)
        trend_box = QGroupBox(_("Trend"), self)
        QVBoxLayout(trend_box).addWidget(self.chart)
        lower.addWidget(history_box)
        lower.addWidget(trend_box)
        lower.setSizes([500, 500])
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper_widget)
        splitter.addWidget(lower)
        splitter.setSizes([420, 320])
        QVBoxLayout(self).addWidget(splitter)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self._update_controls()

    # -- loading --------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self.loaded_once:
            self.refresh()

    def refresh(self) -> None:
        QueryOp(self, self._load, watch=self.watch).success(self._show).run()

    def _load(self) -> tuple[int | None, list[CalloutSummary], list]:
        try:
            port_id = self.oncall.port_id or self.oncall.default_port_id()
        except NotFoundError:
            return None, [], []
        return port_id, self.callouts.history(port_id), self.oncall.live_drill_runs(port_id)

    def _show(self, loaded: tuple[int | None, list[CalloutSummary], list]) -> None:
        self.loaded_once = True
        self.port_id, self.history, runs = loaded
        self.run_choice.clear()
        self.run_choice.addItem(_("No, a test on its own"), None)
        for run in runs:
            self.run_choice.addItem(_("{title} (running since {time})").format(
                title=run.title, time=to_local(run.started_at).strftime("%m-%d %H:%M")), run.run_id)
        running = next((t for t in self.history if t.status is CalloutStatus.RUNNING), None)
        self._set_test(running)
        self._fill_history()

    def _fill_history(self) -> None:
        ended = [t for t in self.history if t.status is CalloutStatus.ENDED]
        self.history_table.setRowCount(len(self.history))
        for row, t in enumerate(self.history):
            cells = [to_local(t.started_at).strftime("%Y-%m-%d %H:%M"), _("yes") if t.announced else _("no"),
                     f"{t.arrived} / {t.called}", minutes_text(t.minutes_to_required),
                     minutes_text(t.minutes_to_full_team),
                     _("running") if t.status is CalloutStatus.RUNNING else _("ended")]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, t.test_id)
                self.history_table.setItem(row, col, item)
        self.chart.set_points([TrendPoint(t.started_at, t.minutes_to_required, t.minutes_to_full_team)
                               for t in reversed(ended)])

    # -- the running test -----------------------------------------------------------------------------
    def _set_test(self, summary: CalloutSummary | None) -> None:
        self.test = summary
        selected = self.selected_member()
        self.table.setRowCount(0)
        running = summary is not None and summary.status is CalloutStatus.RUNNING
        self.live_box.setTitle(_("Running test") if running or summary is None else _("Last test (ended)"))
        if summary is None:
            self.timer.stop()
            self.clock_label.setText("—")
            self.progress.setText(_("No test is running. Start one on the left."))
            self._update_controls()
            return
        self.table.setRowCount(len(summary.members))
        for row, m in enumerate(summary.members):
            status = (_("arrived") if m.arrived_at else _("no-show") if m.no_show
                      else _("acknowledged") if m.acknowledged_at else _("called"))
            for col, text in enumerate([m.name, minutes_text(m.minutes_to_acknowledge),
                                        minutes_text(m.minutes_to_arrive), status, str(m.member_id)]):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.member_id)
                self.table.setItem(row, col, item)
            if m.member_id == selected:
                self.table.selectRow(row)
        if self.table.currentRow() < 0 and summary.members:
            self.table.selectRow(0)
        self.progress.setText(self.progress_text(summary))
        if summary.status is not CalloutStatus.RUNNING:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()
        self.tick()
        self._update_controls()

    @staticmethod
    def progress_text(t: CalloutSummary) -> str:
        lines = [_("{arrived} of {called} arrived, {ack} acknowledged, {no_shows} no-show; {required} required.").format(
            arrived=t.arrived, called=t.called, ack=t.acknowledged, no_shows=t.no_shows, required=t.required_strength)]
        lines.append(_("Required strength reached after {time}.").format(time=minutes_text(t.minutes_to_required))
                     if t.minutes_to_required is not None else _("Required strength not reached yet."))
        if t.pending == 0 and t.minutes_to_full_team is not None:
            lines.append(_("Full team after {time}.").format(time=minutes_text(t.minutes_to_full_team)))
        return "\n".join(lines)

    def tick(self) -> None:
        if self.test is None:
            return
        end = self.test.ended_at or self.callouts.clock()
        seconds = max(0, int((end - self.test.started_at).total_seconds()))
        self.clock_label.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    def selected_member(self) -> int | None:
        return self.selected_member_at(self.table.currentRow())

    def selected_member_at(self, row: int) -> int | None:
        item = self.table.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _update_controls(self) -> None:
        running = self.test is not None and self.test.status is CalloutStatus.RUNNING
        for w in (self.ack_button, self.arrive_button, self.no_show_button, self.end_button):
            w.setEnabled(running)
        self.start_button.setEnabled(not running)

    # -- operations -----------------------------------------------------------------------------------
    def start_test(self) -> None:
        oncall, callouts = self.oncall, self.callouts
        port_id, call_team = self.port_id, self.call_choice.currentData() == CALL_TEAM
        strength, announced = self.strength.value() or None, self.announced.isChecked()
        run_id = self.run_choice.currentData()

        def start() -> int:
            port = port_id if port_id is not None else oncall.port_id or oncall.default_port_id()
            members = None if call_team else _members_on_call(oncall, port)
            return callouts.start_test(port, members, required_strength=strength, announced=announced,
                                       drill_run_id=run_id)

        WriteOp(self, start).success(self._started).run(initiator=self)

    def _started(self, test_id: int) -> None:
        self._after_write(test_id)
        self.table.setFocus()

    def record(self, action: str) -> None:
        member = self.selected_member()
        if self.test is None or member is None:
            return
        callouts, test_id = self.callouts, self.test.test_id
        if action == "ack":
            op = lambda: callouts.acknowledge(test_id, member)  # noqa: E731
        elif action == "arrive":
            op = lambda: callouts.arrive(test_id, member)  # noqa: E731
        else:
            op = lambda: callouts.no_show(test_id, member)  # noqa: E731
        WriteOp(self, op).success(lambda _r: self._recorded(test_id)).run(initiator=self)

    def _recorded(self, test_id: int) -> None:
        self._after_write(test_id)  # rows re-sort by arrival; the selection follows the member
        self.table.setFocus()

    def end_test(self) -> None:
        if self.test is None:
            return
        test_id = self.test.test_id
        WriteOp(self, lambda: self.callouts.end_test(test_id)).success(lambda _r: self._after_write(test_id)) \
            .run(initiator=self)  # the final times stay in view until the next test

    def _after_write(self, test_id: int | None) -> None:
        """Show the test as it now stands, and the history with it (read off the GUI thread)."""
        callouts, port_id = self.callouts, self.port_id

        def read() -> tuple[CalloutSummary | None, list[CalloutSummary] | None]:
            return (callouts.summary(test_id) if test_id is not None else None,
                    callouts.history(port_id) if port_id is not None else None)

        QueryOp(self, read).success(self._show_after_write).run()

    def _show_after_write(self, found: tuple[CalloutSummary | None, list[CalloutSummary] | None]) -> None:
        summary, history = found
        if summary is not None:
            self._set_test(summary)
        if history is not None:
            self.history = history
            self._fill_history()

    def elapsed(self) -> float | None:
        """Minutes since the running test started (what the live clock shows)."""
        if self.test is None:
            return None
        end: datetime = self.test.ended_at or self.callouts.clock()
        return (end - self.test.started_at).total_seconds() / 60


def _members_on_call(oncall: OnCallService, port_id: int) -> list[int]:
    """The members of the shift on call now (the whole team is called with None instead)."""
    shift = oncall.current_shift(None, port_id)
    if shift is None or not shift.members:
        raise NotFoundError(_("Nobody is on call now (no published roster covers this time). "
                              "Call the whole active team instead."))
    return [m.member_id for m in shift.members]
